namespace Firebreak.Web.Components;

using System.Collections.Concurrent;
using System.Security.Claims;
using Firebreak.Web.Auth;
using Firebreak.Core.Wellbeing;

/// <summary>
/// Counts what a person is exposed to: each hostile mention they reveal, and each minute a mention stream is in
/// front of them (the page's heartbeat). Heartbeats closer than <see cref="MinBeat"/> apart are ignored, so
/// several open tabs or a tampered script cannot inflate (or game) the minutes.
/// </summary>
public sealed class WellbeingTracker(IWellbeingStore store, TimeProvider clock)
{
    public static readonly TimeSpan MinBeat = TimeSpan.FromSeconds(50);

    private const int BeatSeconds = 60;

    private readonly ConcurrentDictionary<(long Account, long Workspace), DateTimeOffset> lastBeat = new();

    public DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    public async Task RevealedAsync(ClaimsPrincipal user, long workspaceId, CancellationToken cancellationToken)
    {
        if (user.AccountId() is { } account)
        {
            await store.AddExposureAsync(account, workspaceId, Today, 1, 0, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>True when the beat counted.</summary>
    public async Task<bool> HeartbeatAsync(ClaimsPrincipal user, long workspaceId, CancellationToken cancellationToken)
    {
        if (user.AccountId() is not { } account)
        {
            return false;
        }

        // The beat counts only for the caller that moves the last beat forward; a concurrent one (another tab) loses.
        var now = clock.GetUtcNow();
        var key = (account, workspaceId);
        var counted = lastBeat.TryGetValue(key, out var previous)
            ? now - previous >= MinBeat && lastBeat.TryUpdate(key, now, previous)
            : lastBeat.TryAdd(key, now);
        if (!counted)
        {
            return false;
        }

        await store.AddExposureAsync(account, workspaceId, Today, 0, BeatSeconds, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>The person's day and whether it is past the workspace's budget; null when not signed in.</summary>
    public async Task<(ExposureDay Day, ExposureBudget Budget)?> TodayAsync(ClaimsPrincipal user, long workspaceId, CancellationToken cancellationToken)
    {
        if (user.AccountId() is not { } account)
        {
            return null;
        }

        var day = await store.GetDayAsync(account, workspaceId, Today, cancellationToken).ConfigureAwait(false);
        var budget = await store.GetBudgetAsync(workspaceId, cancellationToken).ConfigureAwait(false);
        return (day, budget);
    }
}
