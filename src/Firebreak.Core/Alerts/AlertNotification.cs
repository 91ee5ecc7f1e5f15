namespace Firebreak.Core.Alerts;

using Firebreak.Core.Detection;

/// <summary>Why a notification is sent. Each happens at most once per alert, except a severity rise (once per level) and escalation (once per step).</summary>
public enum NotificationReason
{
    Opened = 1,
    SeverityRaised = 2,
    Escalated = 3,
    Acknowledged = 4,
    Resolved = 5,
}

/// <summary>A person a notification pages (or the rotation member an escalation reached).</summary>
/// <param name="ContactId">The contact, or null for a bare e-mail address of a rule.</param>
/// <param name="Name">Display name (the address for bare addresses).</param>
/// <param name="Email">Their address, if any.</param>
/// <param name="OnCall">Paged as the on-call person (or the escalation's next).</param>
public sealed record PagedPerson(long? ContactId, string Name, string? Email, bool OnCall);

/// <summary>
/// What a notification says, frozen when it was decided: channels render this, so a retried delivery still tells
/// what was true at the time (and <see cref="Sequence"/> lets receivers ignore one that arrives after a newer one).
/// </summary>
public sealed record AlertNotification(
    NotificationReason Reason,
    long AlertId,
    long Sequence,
    long WorkspaceId,
    string WorkspaceSlug,
    string WorkspaceName,
    long TopicId,
    string TopicName,
    DetectionSignal Signal,
    string Dimension,
    AlertState State,
    DetectionSeverity Severity,
    DetectionSeverity? PreviousSeverity,
    double Score,
    double Observed,
    double Expected,
    int DetectionCount,
    string Explanation,
    IReadOnlyList<string> TopTerms,
    IReadOnlyList<long> SampleMentionIds,
    DateTimeOffset OpenedAt,
    DateTimeOffset LastSeenAt,
    DateTimeOffset At,
    string? Actor,
    IReadOnlyList<PagedPerson> Paging);

/// <summary>Where a delivery stands in the outbox.</summary>
public enum DeliveryState
{
    Pending = 1,
    Delivered = 2,

    /// <summary>Gave up: in the dead-letter list until someone retries it.</summary>
    Dead = 3,
}

/// <summary>A notification to be sent through one channel (to one person for e-mail), before it is stored.</summary>
/// <param name="Channel">How.</param>
/// <param name="TargetId">The channel target (null for in-app).</param>
/// <param name="Recipient">E-mail address (e-mail only).</param>
/// <param name="RecipientName">Their name, for the To header and history.</param>
/// <param name="Notification">What to say.</param>
public sealed record DeliveryDraft(ChannelKind Channel, long? TargetId, string? Recipient, string? RecipientName, AlertNotification Notification);

/// <summary>One stored delivery of the outbox: persisted with the alert change that caused it, so a restart loses nothing.</summary>
public sealed record AlertDelivery(
    long Id,
    long WorkspaceId,
    long AlertId,
    ChannelKind Channel,
    long? TargetId,
    string? Recipient,
    string? RecipientName,
    AlertNotification Notification,
    DeliveryState State,
    int Attempts,
    DateTimeOffset NextAttemptAt,
    string? LastError,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? DeliveredAt)
{
    /// <summary>A stable id receivers can de-duplicate on (a delivery may arrive twice if a node dies mid-request).</summary>
    public string DeliveryKey => $"fb-{WorkspaceId}-{AlertId}-{Id}";
}

/// <summary>A history entry before it is stored (the store gives it an id and the alert id).</summary>
public sealed record AlertEventDraft(
    AlertEventKind Kind,
    DateTimeOffset At,
    string? Actor,
    string Detail,
    DetectionSeverity Severity,
    ChannelKind? Channel = null,
    string? Recipient = null);

/// <summary>
/// One atomic change of an alert: the new row (Id 0 to insert; otherwise saved only if the stored version still
/// equals <see cref="Alert.Version"/>), its history entries and its deliveries, all in one transaction.
/// </summary>
public sealed record AlertChange(Alert Alert, IReadOnlyList<AlertEventDraft> Events, IReadOnlyList<DeliveryDraft> Deliveries);
