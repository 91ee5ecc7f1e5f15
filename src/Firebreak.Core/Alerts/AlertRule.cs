namespace Firebreak.Core.Alerts;

using Firebreak.Core.Detection;

/// <summary>
/// Who hears about which detections of a topic. A rule applies to one topic, or to every topic of the
/// workspace when <see cref="TopicId"/> is null; a topic that no stored rule covers (enabled or not) gets
/// <see cref="DefaultAlertRules"/>, so a new topic alerts someone from its first minute.
/// </summary>
/// <param name="Id">Store id; the built-in defaults have negative ids.</param>
/// <param name="WorkspaceId">The workspace.</param>
/// <param name="TopicId">The topic (0 is the whole stream), or null for every topic.</param>
/// <param name="Name">What people call it.</param>
/// <param name="Signals">Which detector signals it listens to.</param>
/// <param name="MinSeverity">Detections below this do not open an alert under this rule (they still grow an open one).</param>
/// <param name="OnCall">Page the workspace's on-call rotation (and escalate down it when nobody acknowledges).</param>
/// <param name="ContactIds">Contacts told directly, besides the rotation.</param>
/// <param name="Emails">Addresses told by e-mail that are not contacts (no quiet hours known for them).</param>
/// <param name="InApp">Show it in the app (the live alert stream).</param>
/// <param name="ChannelIds">Channel targets: e-mail servers (used to reach the people above), webhooks, Slack, Teams.</param>
/// <param name="EscalateAfter">How long an open alert may stay unacknowledged before the next person on call is paged.</param>
/// <param name="Enabled">A disabled rule still counts as "this topic has rules", which is how a topic is silenced.</param>
public sealed record AlertRule(
    long Id,
    long WorkspaceId,
    long? TopicId,
    string Name,
    IReadOnlyList<DetectionSignal> Signals,
    DetectionSeverity MinSeverity,
    bool OnCall,
    IReadOnlyList<long> ContactIds,
    IReadOnlyList<string> Emails,
    bool InApp,
    IReadOnlyList<long> ChannelIds,
    TimeSpan EscalateAfter,
    bool Enabled)
{
    /// <summary>The default escalation delay.</summary>
    public static readonly TimeSpan DefaultEscalateAfter = TimeSpan.FromMinutes(5);

    /// <summary>True for the built-in defaults (not stored).</summary>
    public bool IsDefault => Id < 0;

    /// <summary>Whether this rule covers the topic at all (enabled or not).</summary>
    public bool Covers(long topicId) => TopicId is null || TopicId == topicId;

    /// <summary>Whether a detection of this signal and severity on the topic should alert under this rule.</summary>
    public bool Matches(long topicId, DetectionSignal signal, DetectionSeverity severity) =>
        Enabled && Covers(topicId) && Signals.Contains(signal) && severity >= MinSeverity;
}

/// <summary>
/// What a topic without rules gets: the series signals (volume, negative volume, negative share, reach-weighted
/// negativity) at Medium and above, viral items and emerging terms at High and above (they are noisier), both to
/// the on-call rotation and in the app, through every e-mail server the workspace has configured.
/// </summary>
public static class DefaultAlertRules
{
    public const long SeriesRuleId = -1;
    public const long ItemsAndTermsRuleId = -2;

    /// <summary>Publishing safety (a stalled publisher, a rogue post): always on, whatever rules a workspace stored.</summary>
    public const long PublishingRuleId = -3;

    public static readonly IReadOnlyList<DetectionSignal> PublishingSignals = [DetectionSignal.PublisherStalled, DetectionSignal.RoguePost];

    public static readonly IReadOnlyList<DetectionSignal> SeriesSignals =
        [DetectionSignal.Volume, DetectionSignal.NegativeVolume, DetectionSignal.NegativeShare, DetectionSignal.ReachWeightedNegativity];

    public static readonly IReadOnlyList<DetectionSignal> ItemAndTermSignals = [DetectionSignal.ViralItem, DetectionSignal.EmergingTerm];

    /// <summary>The two default rules of a workspace, reaching people through its enabled e-mail targets.</summary>
    public static IReadOnlyList<AlertRule> For(long workspaceId, IReadOnlyList<long> emailChannelIds) =>
    [
        new(SeriesRuleId, workspaceId, null, "Default: series signals at Medium+", SeriesSignals, DetectionSeverity.Medium,
            OnCall: true, [], [], InApp: true, emailChannelIds, AlertRule.DefaultEscalateAfter, Enabled: true),
        new(ItemsAndTermsRuleId, workspaceId, null, "Default: viral items and emerging terms at High+", ItemAndTermSignals, DetectionSeverity.High,
            OnCall: true, [], [], InApp: true, emailChannelIds, AlertRule.DefaultEscalateAfter, Enabled: true),
    ];

    /// <summary>The publishing safety rule: every severity, on call and in the app, through every e-mail server.</summary>
    public static AlertRule Publishing(long workspaceId, IReadOnlyList<long> emailChannelIds) =>
        new(PublishingRuleId, workspaceId, null, "Built-in: publishing safety (stalled publisher, rogue posts)", PublishingSignals, DetectionSeverity.Low,
            OnCall: true, [], [], InApp: true, emailChannelIds, AlertRule.DefaultEscalateAfter, Enabled: true);
}
