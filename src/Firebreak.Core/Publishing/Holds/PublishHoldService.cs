namespace Firebreak.Core.Publishing.Holds;

using Firebreak.Core.Incidents;
using Firebreak.Core.Mentions;
using Firebreak.Core.Publishing.Outbox;
using Firebreak.Core.Security;

/// <summary>What a person asks to pause.</summary>
public sealed record PauseRequest(HoldScope Scope, string? Target, string Reason, bool EventMode);

/// <summary>A pause or resume refused, with what to fix.</summary>
public sealed class HoldRequestException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}

/// <summary>
/// The pause switch. A pause is one serialised store transaction (see <see cref="IOutboxStore.PauseAsync"/>), so it wins
/// against every claim that commits after it; a resume returns posts whose time passed to review instead of sending them
/// all at once. Each change is audited and written to the timeline of every active incident of the workspace.
/// </summary>
public sealed class PublishHoldService(
    IOutboxStore store,
    IIncidentStore incidents,
    IAuditStore audit,
    IEnumerable<IPublishOutcomeSink> sinks,
    TimeProvider clock)
{
    public const int MaxReason = 500;
    public const int MaxTarget = 200;

    public Task<IReadOnlyList<StoredHold>> ListAsync(long workspaceId, CancellationToken cancellationToken) => store.ActiveHoldsAsync(workspaceId, cancellationToken);

    public async Task<PauseResult> PauseAsync(long workspaceId, PauseRequest request, IncidentActor actor, CancellationToken cancellationToken)
    {
        var reason = request.Reason?.Trim() ?? string.Empty;
        if (reason.Length == 0)
        {
            throw new HoldRequestException("reason", "say why publishing is paused (it is shown to everyone and kept in the audit log)");
        }

        if (reason.Length > MaxReason)
        {
            throw new HoldRequestException("reason", $"at most {MaxReason} characters");
        }

        var target = Target(request.Scope, request.Target);
        var now = clock.GetUtcNow();
        var hold = new PublishHold(0, workspaceId, request.Scope, target, request.EventMode, reason, actor.AccountId, now);
        var result = await store.PauseAsync(hold, actor.Name, request.EventMode, now, cancellationToken).ConfigureAwait(false);
        await ReturnedAsync(result.ReturnedForReview, now, "Event mode: planned content flagged for review", cancellationToken).ConfigureAwait(false);
        var what = Describe(result.Hold);
        await RecordAsync(workspaceId, actor, "publishing.pause", what,
            $"{(request.EventMode ? "Event mode on" : "Publishing paused")} ({what}) by {actor.Name}: {reason}"
            + (result.InFlight.Count > 0 ? $"; {result.InFlight.Count} post(s) were already being sent" : string.Empty)
            + (result.ReturnedForReview.Count > 0 ? $"; {result.ReturnedForReview.Count} planned post(s) returned to review" : string.Empty),
            now, cancellationToken).ConfigureAwait(false);
        return result;
    }

    public async Task<ResumeResult> ResumeAsync(long workspaceId, HoldScope? scope, string? target, IncidentActor actor, CancellationToken cancellationToken)
    {
        var canonical = scope is { } s ? Target(s, target) : null;
        var now = clock.GetUtcNow();
        var result = await store.ResumeAsync(workspaceId, scope, canonical, actor.Name, now, cancellationToken).ConfigureAwait(false);
        if (result.Released.Count == 0)
        {
            return result;
        }

        await ReturnedAsync(result.ReturnedForReview, now, "Its time passed while publishing was paused; review it before it goes", cancellationToken).ConfigureAwait(false);
        var what = string.Join(", ", result.Released.Select(Describe));
        await RecordAsync(workspaceId, actor, "publishing.resume", what,
            $"Publishing resumed ({what}) by {actor.Name}" + (result.ReturnedForReview.Count > 0 ? $"; {result.ReturnedForReview.Count} overdue post(s) returned to review, not sent" : string.Empty),
            now, cancellationToken).ConfigureAwait(false);
        return result;
    }

    public static string Describe(PublishHold hold) => hold.Scope switch
    {
        HoldScope.Workspace => "all platforms",
        HoldScope.Platform => $"platform {hold.Target}",
        _ => $"campaign {hold.Target}",
    };

    /// <summary>The canonical target: the platform's name as the outbox stores it, the campaign as given; none for the workspace.</summary>
    private static string? Target(HoldScope scope, string? target)
    {
        var trimmed = target?.Trim();
        switch (scope)
        {
            case HoldScope.Workspace:
                return null;
            case HoldScope.Platform:
                return Enum.TryParse<Platform>(trimmed, ignoreCase: true, out var platform) && Enum.IsDefined(platform) && !int.TryParse(trimmed, out _)
                    ? platform.ToString()
                    : throw new HoldRequestException("target", $"name a platform ({string.Join(", ", Enum.GetNames<Platform>())})");
            default:
                return string.IsNullOrEmpty(trimmed) ? throw new HoldRequestException("target", "name the campaign")
                    : trimmed.Length > MaxTarget ? throw new HoldRequestException("target", $"at most {MaxTarget} characters") : trimmed;
        }
    }

    private async Task ReturnedAsync(IReadOnlyList<OutboxItem> items, DateTimeOffset now, string why, CancellationToken cancellationToken)
    {
        foreach (var item in items)
        {
            foreach (var sink in sinks)
            {
                await sink.OnOutcomeAsync(new PublishOutcome(item.WorkspaceId, item.PostId, item.Revision, PublishOutcomeKind.ReturnedForReview, now, null, null, why), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task RecordAsync(long workspaceId, IncidentActor actor, string action, string target, string text, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await audit.AppendAsync(new AuditRecord(actor.AccountId, actor.Name, workspaceId, action, target, System.Text.Json.JsonSerializer.Serialize(new { text }), null), cancellationToken).ConfigureAwait(false);
        foreach (var incident in await incidents.ListAsync(workspaceId, [IncidentStatus.Active, IncidentStatus.Stable], 50, cancellationToken).ConfigureAwait(false))
        {
            await incidents.AppendAsync(incident.Id, new TimelineDraft(now, actor, TimelineKind.Publishing, text), cancellationToken).ConfigureAwait(false);
        }
    }
}
