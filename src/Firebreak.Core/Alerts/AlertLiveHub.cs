namespace Firebreak.Core.Alerts;

using System.Threading.Channels;
using Firebreak.Core.Live;

/// <summary>A live alert event: the alert changed ("alert"), or an in-app notification was delivered ("notification").</summary>
/// <param name="Type">"alert" or "notification".</param>
/// <param name="Alert">The alert as it is now (for "alert"), or null.</param>
/// <param name="Notification">The notification (for "notification"), or null.</param>
public sealed record LiveAlertEvent(string Type, Alert? Alert, AlertNotification? Notification);

/// <summary>
/// The hub that GET /api/workspaces/{ws}/alerts/live streams. What this node publishes is also offered to
/// <see cref="PublishedHere"/>, so a distributed deployment can relay it to the other web nodes, which hand it
/// to <see cref="PublishFromElsewhere"/> (their browsers see it too, and it is never relayed twice).
/// </summary>
public sealed class AlertLiveHub : LiveFeed<LiveAlertEvent>
{
    /// <summary>Raised for every event published on this node (not for relayed ones).</summary>
    public event Action<long, LiveAlertEvent>? PublishedHere;

    /// <summary>Publishes an event that happened on this node.</summary>
    public void PublishHere(long workspaceId, LiveAlertEvent item)
    {
        Publish(workspaceId, item);
        PublishedHere?.Invoke(workspaceId, item);
    }

    /// <summary>Publishes an event relayed from another node, to this node's subscribers only.</summary>
    public void PublishFromElsewhere(long workspaceId, LiveAlertEvent item) => Publish(workspaceId, item);
}

/// <summary>
/// Wakes the local dispatcher as soon as an alert change has queued deliveries (otherwise it polls). Holds at
/// most one pending wake-up: the outbox itself is the queue, and it is durable.
/// </summary>
public sealed class DeliveryWakeup
{
    private readonly Channel<bool> signals = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Notify() => signals.Writer.TryWrite(true);

    /// <summary>Returns when woken or after <paramref name="timeout"/>, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        try
        {
            await signals.Reader.ReadAsync(timer.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The poll interval passed without a wake-up.
        }
    }
}

/// <summary>The entry point for detections: whatever detects (the detectors, a replay) submits here.</summary>
public interface IAlertSink
{
    /// <summary>
    /// Queues detections for the alert manager and returns as soon as they are queued; never waits for a
    /// notification to be delivered. Waits only while the queue is full (the manager is behind on the store).
    /// </summary>
    ValueTask SubmitAsync(IReadOnlyList<Detection.Detection> detections, CancellationToken cancellationToken = default);
}

/// <summary>The bounded queue behind <see cref="IAlertSink"/>; the host runs a loop that feeds its batches to the <see cref="AlertManager"/>.</summary>
public sealed class AlertSink(AlertOptions options) : IAlertSink
{
    private readonly Channel<IReadOnlyList<Detection.Detection>> queue = Channel.CreateBounded<IReadOnlyList<Detection.Detection>>(
        new BoundedChannelOptions(options.SinkCapacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });

    public ChannelReader<IReadOnlyList<Detection.Detection>> Reader => queue.Reader;

    /// <inheritdoc />
    public ValueTask SubmitAsync(IReadOnlyList<Detection.Detection> detections, CancellationToken cancellationToken = default) =>
        detections.Count == 0 ? ValueTask.CompletedTask : queue.Writer.WriteAsync([.. detections], cancellationToken);
}
