namespace Firebreak.Core.Alerts.Channels;

/// <summary>What one delivery attempt came to.</summary>
/// <param name="Delivered">It arrived.</param>
/// <param name="Permanent">It will never arrive as it is (bad address, 4xx): dead-letter at once instead of retrying.</param>
/// <param name="Error">What went wrong, for the dead-letter list.</param>
/// <param name="RetryAfter">How long the receiver asked us to wait (HTTP Retry-After), if it did.</param>
public sealed record DeliveryOutcome(bool Delivered, bool Permanent, string? Error, TimeSpan? RetryAfter = null)
{
    public static DeliveryOutcome Success { get; } = new(true, false, null);

    public static DeliveryOutcome Retry(string error, TimeSpan? retryAfter = null) => new(false, false, error, retryAfter);

    public static DeliveryOutcome Fail(string error) => new(false, true, error);
}

/// <summary>
/// One way of sending notifications (in-app, e-mail, webhook, Slack, Teams). Implementations only send: the
/// dispatcher decides when to try again, and records the outcome.
/// </summary>
public interface IAlertChannel
{
    ChannelKind Kind { get; }

    /// <param name="delivery">What to send, and to whom.</param>
    /// <param name="target">The channel target (null for in-app).</param>
    /// <param name="secret">The target's decrypted secret (signing secret, SMTP password, Slack/Teams URL), if it has one.</param>
    /// <param name="cancellationToken">Ends the attempt (the dispatcher's per-attempt timeout included).</param>
    Task<DeliveryOutcome> DeliverAsync(AlertDelivery delivery, ChannelTarget? target, string? secret, CancellationToken cancellationToken);
}

/// <summary>In-app: publishes the notification to the live hub that GET …/alerts/live streams to the browser.</summary>
public sealed class InAppChannel(AlertLiveHub hub) : IAlertChannel
{
    public ChannelKind Kind => ChannelKind.InApp;

    public Task<DeliveryOutcome> DeliverAsync(AlertDelivery delivery, ChannelTarget? target, string? secret, CancellationToken cancellationToken)
    {
        hub.PublishHere(delivery.WorkspaceId, new LiveAlertEvent("notification", null, delivery.Notification));
        return Task.FromResult(DeliveryOutcome.Success);
    }
}
