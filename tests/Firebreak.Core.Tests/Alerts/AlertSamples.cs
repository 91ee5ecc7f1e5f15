using Firebreak.Core.Alerts;
using Firebreak.Core.Detection;
using Firebreak.Core.Workspaces;

namespace Firebreak.Core.Tests.Alerts;

/// <summary>Notifications, deliveries and configurations to feed channels and the planner.</summary>
internal static class AlertSamples
{
    public static readonly DateTimeOffset Now = new(2025, 3, 3, 12, 0, 0, TimeSpan.Zero);

    public static AlertNotification Notification(
        string explanation = "negative mentions 14× the usual Monday 12:00 level; top terms: refund, #boycott",
        string topic = "Refunds",
        NotificationReason reason = NotificationReason.Opened,
        DetectionSeverity severity = DetectionSeverity.High,
        IReadOnlyList<string>? terms = null) => new(
        reason,
        AlertId: 42,
        Sequence: 1,
        WorkspaceId: 7,
        WorkspaceSlug: "aurora",
        WorkspaceName: "Aurora Air",
        TopicId: 3,
        TopicName: topic,
        Signal: DetectionSignal.NegativeVolume,
        Dimension: "platform:x",
        State: AlertState.Open,
        Severity: severity,
        PreviousSeverity: reason == NotificationReason.SeverityRaised ? DetectionSeverity.Medium : null,
        Score: 0.97,
        Observed: 140,
        Expected: 10,
        DetectionCount: 1,
        Explanation: explanation,
        TopTerms: terms ?? ["refund", "#boycott"],
        SampleMentionIds: [11, 12],
        OpenedAt: Now,
        LastSeenAt: Now,
        At: Now,
        Actor: null,
        Paging: [new PagedPerson(1, "Ana", "ana@example.com", true)]);

    public static AlertDelivery Delivery(AlertNotification? notification = null, ChannelKind channel = ChannelKind.Webhook, string? recipient = null, string? recipientName = null) =>
        new(9, 7, 42, channel, 5, recipient, recipientName, notification ?? Notification(), DeliveryState.Pending, 0, Now, null, Now, Now, null);

    public static ChannelTarget Target(ChannelKind kind, ChannelSettings settings) =>
        new(5, 7, kind, "Ops " + kind, settings, "sealed", true, Now, Now);

    public static AlertContact Contact(long id, string name, int? onCallOrder = null, QuietHours? quiet = null, string? email = null) =>
        new(id, 7, name, email ?? name.ToLowerInvariant() + "@example.com", onCallOrder, quiet, true, Now, Now);

    public static AlertContext Context(IReadOnlyList<AlertRule> rules, IReadOnlyList<AlertContact> contacts, IReadOnlyList<ChannelTarget>? channels = null) =>
        new(new Workspace(7, "aurora", "Aurora Air", "UTC", Now), rules, contacts, channels ?? [], new Dictionary<long, string> { [3] = "Refunds" });

    public static AlertRule Rule(long id, bool onCall = true, long[]? contacts = null, long[]? channels = null, DetectionSeverity min = DetectionSeverity.Medium, bool inApp = true) =>
        new(id, 7, null, "rule " + id, DefaultAlertRules.SeriesSignals, min, onCall, contacts ?? [], [], inApp, channels ?? [], TimeSpan.FromMinutes(5), true);

    public static Firebreak.Core.Detection.Detection Finding(DetectionSeverity severity = DetectionSeverity.High, string dimension = "", double score = 0.9) =>
        new(7, 3, DetectionSignal.NegativeVolume, dimension, Now, Now, severity, score, 50, 5, "negative mentions 10× usual", ["refund"], [1, 2]);
}
