namespace Firebreak.Web.Endpoints;

using Firebreak.Core.Alerts;
using Firebreak.Core.Alerts.Channels;
using Firebreak.Core.Detection;

public sealed record QuietHoursDto(string? Start, string? End, string? TimeZone)
{
    public static QuietHoursDto? From(QuietHours? q) => q is null ? null : new(q.Start.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture), q.End.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture), q.TimeZone);
}

/// <param name="OnCallOrder">Position in the on-call rotation (lowest paged first); null when not on call.</param>
public sealed record ContactRequest(string? Name, string? Email, int? OnCallOrder, QuietHoursDto? QuietHours, bool? Enabled);

public sealed record ContactDto(long Id, string Name, string? Email, int? OnCallOrder, QuietHoursDto? QuietHours, bool Enabled, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static ContactDto From(AlertContact c) => new(c.Id, c.Name, c.Email, c.OnCallOrder, QuietHoursDto.From(c.QuietHours), c.Enabled, c.CreatedAt, c.UpdatedAt);
}

/// <summary>
/// A channel target to create or replace. webhook: url + secret (the HMAC key, at least 16 characters). slack, teams:
/// url (the incoming-webhook URL, kept encrypted). email: host, port, security (none, startTls, tls), username,
/// password, from, fromName. Secrets (secret, password, the Slack/Teams url) are write-only: on replace, leave them
/// out to keep the stored ones.
/// </summary>
public sealed record ChannelRequest(
    string? Kind,
    string? Name,
    bool? Enabled,
    string? Url,
    string? Secret,
    string? Host,
    int? Port,
    string? Security,
    string? Username,
    string? Password,
    string? From,
    string? FromName,
    bool? AllowPlaintextAuth);

/// <param name="Url">The webhook URL; for Slack and Teams only its origin (the full URL is a secret).</param>
/// <param name="HasSecret">Whether a secret (signing secret, password, Slack/Teams URL) is stored. It is never returned.</param>
public sealed record ChannelDto(
    long Id,
    ChannelKind Kind,
    string Name,
    bool Enabled,
    string? Url,
    string? Host,
    int? Port,
    SmtpSecurity? Security,
    string? Username,
    string? From,
    string? FromName,
    bool? AllowPlaintextAuth,
    bool HasSecret,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static ChannelDto Of(ChannelTarget t)
    {
        var email = t.Kind == ChannelKind.Email;
        var s = t.Settings;
        return new(t.Id, t.Kind, t.Name, t.Enabled, s.Url, email ? s.Host : null, email ? s.Port : null, email ? s.Security : null, email ? s.Username : null,
            email ? s.From : null, email ? s.FromName : null, email ? s.AllowPlaintextAuth : null, t.Secret is not null, t.CreatedAt, t.UpdatedAt);
    }
}

/// <param name="TopicId">The topic (0: the whole stream); leave out for every topic of the workspace.</param>
/// <param name="Signals">volume, negativeVolume, negativeShare, reachWeightedNegativity, viralItem, emergingTerm.</param>
/// <param name="MinSeverity">low, medium, high, critical.</param>
/// <param name="EscalateAfterMinutes">Unacknowledged this long → the next person on call is paged (default 5).</param>
public sealed record RuleRequest(
    string? Name,
    long? TopicId,
    string[]? Signals,
    string? MinSeverity,
    bool? OnCall,
    long[]? ContactIds,
    string[]? Emails,
    bool? InApp,
    long[]? ChannelIds,
    double? EscalateAfterMinutes,
    bool? Enabled);

public sealed record RuleDto(
    long Id,
    long? TopicId,
    string Name,
    IReadOnlyList<DetectionSignal> Signals,
    DetectionSeverity MinSeverity,
    bool OnCall,
    IReadOnlyList<long> ContactIds,
    IReadOnlyList<string> Emails,
    bool InApp,
    IReadOnlyList<long> ChannelIds,
    double EscalateAfterMinutes,
    bool Enabled,
    bool IsDefault)
{
    public static RuleDto From(AlertRule r) => new(r.Id, r.TopicId, r.Name, r.Signals, r.MinSeverity, r.OnCall, r.ContactIds, r.Emails, r.InApp, r.ChannelIds,
        r.EscalateAfter.TotalMinutes, r.Enabled, r.IsDefault);
}

public sealed record AlertDto(
    long Id,
    long TopicId,
    DetectionSignal Signal,
    string Dimension,
    AlertState State,
    DetectionSeverity Severity,
    bool Snoozed,
    DateTimeOffset? SnoozedUntil,
    double PeakScore,
    double PeakObserved,
    double PeakExpected,
    double LastObserved,
    int DetectionCount,
    string Explanation,
    IReadOnlyList<string> TopTerms,
    IReadOnlyList<long> SampleMentionIds,
    DateTimeOffset OpenedAt,
    DateTimeOffset LastSeenAt,
    DateTimeOffset FirstBucketStart,
    DateTimeOffset LastBucketStart,
    DateTimeOffset? AcknowledgedAt,
    string? AcknowledgedBy,
    DateTimeOffset? ResolvedAt,
    string? ResolvedBy,
    string? ResolveReason,
    int EscalationLevel,
    IReadOnlyList<long> RuleIds,
    bool Promoted,
    string? IncidentId,
    DateTimeOffset? PromotedAt,
    string? PromotedBy,
    long Version)
{
    public static AlertDto From(Alert a, DateTimeOffset now) => new(
        a.Id, a.TopicId, a.Signal, a.Dimension, a.State, a.Severity, a.IsSnoozed(now), a.SnoozedUntil, a.PeakScore, a.PeakObserved, a.PeakExpected, a.LastObserved,
        a.DetectionCount, a.Explanation, a.TopTerms, a.SampleMentionIds, a.OpenedAt, a.LastSeenAt, a.FirstBucketStart, a.LastBucketStart, a.AcknowledgedAt,
        a.AcknowledgedBy, a.ResolvedAt, a.ResolvedBy, a.ResolveReason, a.EscalationLevel, a.RuleIds, a.PromotedAt is not null, a.IncidentId, a.PromotedAt,
        a.PromotedBy, a.Version);
}

public sealed record AlertPageDto(IReadOnlyList<AlertDto> Items, long? NextBefore);

public sealed record AlertEventDto(long Id, DateTimeOffset At, AlertEventKind Kind, string? Actor, string Detail, DetectionSeverity Severity, ChannelKind? Channel, string? Recipient)
{
    public static AlertEventDto From(AlertEvent e) => new(e.Id, e.At, e.Kind, e.Actor, e.Detail, e.Severity, e.Channel, e.Recipient);
}

/// <summary>A queued, delivered or dead delivery (the dead-letter list shows the last error).</summary>
public sealed record DeliveryDto(
    long Id,
    long AlertId,
    ChannelKind Channel,
    long? TargetId,
    string? Recipient,
    string Event,
    DeliveryState State,
    int Attempts,
    DateTimeOffset NextAttemptAt,
    string? LastError,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? DeliveredAt)
{
    public static DeliveryDto From(AlertDelivery d) => new(d.Id, d.AlertId, d.Channel, d.TargetId, d.Recipient, AlertText.EventName(d.Notification.Reason), d.State,
        d.Attempts, d.NextAttemptAt, d.LastError, d.CreatedAt, d.UpdatedAt, d.DeliveredAt);
}

/// <summary>An in-app notification on the live stream.</summary>
public sealed record NotificationDto(string Event, long AlertId, string Title, string Explanation, DetectionSeverity Severity, AlertState State, string? Actor, IReadOnlyList<string> Paging, DateTimeOffset At)
{
    public static NotificationDto From(AlertNotification n) =>
        new(AlertText.EventName(n.Reason), n.AlertId, AlertText.Title(n), n.Explanation, n.Severity, n.State, n.Actor, [.. n.Paging.Select(p => p.Name)], n.At);
}

/// <param name="By">Who does it (free text until accounts arrive; default "api").</param>
public sealed record AlertActionRequest(string? By, string? Reason);

/// <param name="Until">When the snooze ends (ISO 8601), or</param>
/// <param name="Minutes">how long it lasts.</param>
public sealed record SnoozeRequest(DateTimeOffset? Until, double? Minutes, string? By);

public sealed record PromoteRequest(string? By, string? Note);
