namespace Firebreak.Core.Drills;

using Firebreak.Core.Publishing;
using Firebreak.Core.Publishing.Holds;
using Firebreak.Core.Security;

/// <summary>
/// When publishing was first paused in a workspace, for a drill's key decision. Read from the audit trail, where every
/// pause is written ("publishing.pause", target as <see cref="PublishHoldService.Describe"/> words it), because a pause the
/// team lifted again before ending the drill still counts; the holds in force are read too, in case a pause is there
/// whose audit entry is not (the trail is the record, the holds the state).
/// </summary>
public sealed class PauseHistory(IAuditStore audit, IPublishHolds holds)
{
    public const string PauseAction = "publishing.pause";

    /// <summary>A sandbox has few changes; a drill's whole trail fits in one page.</summary>
    private const int AuditPage = 2_000;

    /// <param name="anyScope">True: a platform pause counts too; false: only the whole workspace's pause.</param>
    public async Task<DateTimeOffset?> FirstPauseAsync(long workspaceId, bool anyScope, CancellationToken cancellationToken)
    {
        var audited = (await audit.ListAsync(workspaceId, null, AuditPage, cancellationToken).ConfigureAwait(false))
            .Where(e => e.Action == PauseAction && Counts(e.Target, anyScope))
            .Select(e => (DateTimeOffset?)e.At);
        var active = (await holds.ActiveAsync(workspaceId, cancellationToken).ConfigureAwait(false))
            .Where(h => h.Scope == HoldScope.Workspace || (anyScope && h.Scope == HoldScope.Platform))
            .Select(h => (DateTimeOffset?)h.Since);
        return audited.Concat(active).Min();
    }

    /// <summary>The audit targets, worded by the hold service itself so the two cannot drift apart.</summary>
    private static readonly string WholeWorkspace = PublishHoldService.Describe(new PublishHold(0, 0, HoldScope.Workspace, null, false, string.Empty, null, default));
    private static readonly string PlatformPrefix = PublishHoldService.Describe(new PublishHold(0, 0, HoldScope.Platform, string.Empty, false, string.Empty, null, default));

    private static bool Counts(string target, bool anyScope) =>
        target == WholeWorkspace || (anyScope && target.StartsWith(PlatformPrefix, StringComparison.Ordinal));
}
