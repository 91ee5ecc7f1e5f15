namespace Firebreak.Core.Alerts;

using Firebreak.Core.Detection;

/// <summary>What happened to an alert (its history).</summary>
public enum AlertEventKind
{
    Opened = 1,

    /// <summary>Grew: severity rose or a new peak was seen (plain repeats only count up DetectionCount).</summary>
    Updated = 2,

    /// <summary>A notification was delivered (recipient and channel say to whom and how).</summary>
    Notified = 3,

    /// <summary>A person was not notified: quiet hours, or no channel reaches them.</summary>
    Suppressed = 4,

    /// <summary>A notification gave up after its last attempt and went to the dead-letter list.</summary>
    DeliveryFailed = 5,
    Acknowledged = 6,
    Snoozed = 7,
    Woke = 8,
    Escalated = 9,
    Resolved = 10,
    Promoted = 11,
}

/// <summary>One entry of an alert's history.</summary>
/// <param name="Id">Store id (increasing: the order of events).</param>
/// <param name="AlertId">The alert.</param>
/// <param name="At">When (server clock).</param>
/// <param name="Kind">What.</param>
/// <param name="Actor">Who did it ("system" for the alert manager itself).</param>
/// <param name="Detail">A sentence a person can read.</param>
/// <param name="Severity">The alert's severity at that moment.</param>
/// <param name="Channel">For notifications: how.</param>
/// <param name="Recipient">For notifications: to whom (an address, a target name).</param>
public sealed record AlertEvent(
    long Id,
    long AlertId,
    DateTimeOffset At,
    AlertEventKind Kind,
    string? Actor,
    string Detail,
    DetectionSeverity Severity,
    ChannelKind? Channel = null,
    string? Recipient = null);
