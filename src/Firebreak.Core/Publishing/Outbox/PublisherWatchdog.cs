namespace Firebreak.Core.Publishing.Outbox;

using Firebreak.Core.Alerts;
using Firebreak.Core.Detection;

/// <summary>
/// The publisher's dead man's switch: when no sender has beaten for <see cref="OutboxOptions.StallAfter"/> while posts
/// are due, each workspace with due posts gets a Critical "publisher stalled" alert (one per episode: it grows while the
/// stall lasts). It reads the heartbeat from the store, so a watchdog on any node sees a sender that died on another.
/// </summary>
public sealed class PublisherWatchdog(IOutboxStore store, IAlertSink alerts, OutboxOptions options, TimeProvider clock)
{
    /// <summary>How long since the last beat (null: never beat), for health checks and metrics.</summary>
    public async Task<TimeSpan?> SilenceAsync(CancellationToken cancellationToken) =>
        await store.LastBeatAsync(cancellationToken).ConfigureAwait(false) is { } last ? clock.GetUtcNow() - last : null;

    /// <summary>Checks once; returns the detections it raised (empty when the publisher is fine or nothing is due).</summary>
    public async Task<IReadOnlyList<Detection>> CheckAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var last = await store.LastBeatAsync(cancellationToken).ConfigureAwait(false);
        if (last is { } beat && now - beat < options.StallAfter)
        {
            return [];
        }

        // Due for longer than a poll or two: a working publisher would have taken them.
        var due = await store.CountDueAsync(now - options.PollInterval - options.PollInterval, cancellationToken).ConfigureAwait(false);
        if (due.Count == 0)
        {
            return [];
        }

        var silence = last is { } b ? $"has not run for {(int)(now - b).TotalMinutes} min (last heartbeat {b:yyyy-MM-dd HH:mm:ss} UTC)" : "has never run";
        List<Detection> raised = [.. due.Select(d => new Detection(d.Key, 0, DetectionSignal.PublisherStalled, "publisher", now, now, DetectionSeverity.Critical, 1,
            d.Value, 0, $"The publisher {silence} and {d.Value} scheduled post(s) are due: they are NOT going out. Check the Firebreak host, or pause publishing.", [], []))];
        await alerts.SubmitAsync(raised, cancellationToken).ConfigureAwait(false);
        return raised;
    }
}
