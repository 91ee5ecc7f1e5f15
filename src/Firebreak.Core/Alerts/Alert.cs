namespace Firebreak.Core.Alerts;

using Firebreak.Core.Detection;

/// <summary>Where an alert is in its life. Snoozing is not a state: an open or acknowledged alert can be snoozed.</summary>
public enum AlertState
{
    Open = 1,
    Acknowledged = 2,
    Resolved = 3,
}

/// <summary>
/// One episode of one signal on one topic slice (<see cref="Detection.EpisodeKey"/>): opened by the first detection
/// a rule cares about and grown by every later one (severity only rises, the peak is kept) until it is resolved by
/// someone or by a quiet gap. A later detection of the same key then opens a new alert.
/// </summary>
public sealed record Alert
{
    public long Id { get; init; }

    public long WorkspaceId { get; init; }

    public long TopicId { get; init; }

    public DetectionSignal Signal { get; init; }

    public string Dimension { get; init; } = string.Empty;

    public AlertState State { get; init; } = AlertState.Open;

    /// <summary>The highest severity seen in the episode.</summary>
    public DetectionSeverity Severity { get; init; }

    /// <summary>The highest anomaly score seen.</summary>
    public double PeakScore { get; init; }

    /// <summary>The observed value of the most surprising detection, and what was expected then.</summary>
    public double PeakObserved { get; init; }

    public double PeakExpected { get; init; }

    /// <summary>The observed value of the latest detection.</summary>
    public double LastObserved { get; init; }

    public int DetectionCount { get; init; }

    /// <summary>The latest detection's explanation and top terms (they describe the episode as it is now).</summary>
    public string Explanation { get; init; } = string.Empty;

    public IReadOnlyList<string> TopTerms { get; init; } = [];

    /// <summary>Sample mentions collected over the episode (at most <see cref="MaxSamples"/>).</summary>
    public IReadOnlyList<long> SampleMentionIds { get; init; } = [];

    public DateTimeOffset OpenedAt { get; init; }

    /// <summary>When the latest detection reached the alert manager (the quiet gap runs from here).</summary>
    public DateTimeOffset LastSeenAt { get; init; }

    /// <summary>Data time of the first and latest bucket (may differ from wall time in a replay).</summary>
    public DateTimeOffset FirstBucketStart { get; init; }

    public DateTimeOffset LastBucketStart { get; init; }

    public DateTimeOffset? AcknowledgedAt { get; init; }

    public string? AcknowledgedBy { get; init; }

    public DateTimeOffset? ResolvedAt { get; init; }

    public string? ResolvedBy { get; init; }

    public string? ResolveReason { get; init; }

    /// <summary>Notifications are held until then (the alert still grows).</summary>
    public DateTimeOffset? SnoozedUntil { get; init; }

    /// <summary>The severity when snoozed: waking re-notifies only if it rose meanwhile.</summary>
    public DetectionSeverity? SeverityAtSnooze { get; init; }

    /// <summary>Index in the on-call rotation of the person paged last (0 = the primary).</summary>
    public int EscalationLevel { get; init; }

    /// <summary>The escalation delay runs from here (opening, the last escalation, or waking from a snooze).</summary>
    public DateTimeOffset EscalationFrom { get; init; }

    /// <summary>The rules that have matched the episode so far (they say who hears about it).</summary>
    public IReadOnlyList<long> RuleIds { get; init; } = [];

    /// <summary>Set when the alert was promoted to an incident (the id, once the incident exists).</summary>
    public string? IncidentId { get; init; }

    public DateTimeOffset? PromotedAt { get; init; }

    public string? PromotedBy { get; init; }

    /// <summary>Who has been told, with the severity they were told about (<see cref="AlertContact.Key"/> or "email:addr").</summary>
    public IReadOnlyDictionary<string, DetectionSeverity> Notified { get; init; } = new Dictionary<string, DetectionSeverity>();

    /// <summary>Optimistic concurrency: every save increments it, and a save from a stale copy is refused.</summary>
    public long Version { get; init; }

    public const int MaxSamples = 20;

    public bool IsActive => State != AlertState.Resolved;

    public bool IsSnoozed(DateTimeOffset now) => SnoozedUntil is { } until && until > now;

    /// <summary>The episode key, as <see cref="Detection.EpisodeKey"/>.</summary>
    public (long WorkspaceId, long TopicId, DetectionSignal Signal, string Dimension) EpisodeKey => (WorkspaceId, TopicId, Signal, Dimension);

    /// <summary>A new alert from the first detection of an episode.</summary>
    public static Alert Open(Detection detection, IReadOnlyList<long> ruleIds, DateTimeOffset now) => new()
    {
        WorkspaceId = detection.WorkspaceId,
        TopicId = detection.TopicId,
        Signal = detection.Signal,
        Dimension = detection.Dimension,
        State = AlertState.Open,
        Severity = detection.Severity,
        PeakScore = detection.Score,
        PeakObserved = detection.Observed,
        PeakExpected = detection.Expected,
        LastObserved = detection.Observed,
        DetectionCount = 1,
        Explanation = detection.Explanation,
        TopTerms = detection.TopTerms,
        SampleMentionIds = [.. detection.SampleMentionIds.Take(MaxSamples)],
        OpenedAt = now,
        LastSeenAt = now,
        FirstBucketStart = detection.BucketStart,
        LastBucketStart = detection.BucketStart,
        EscalationFrom = now,
        RuleIds = ruleIds,
    };

    /// <summary>The alert grown by one more detection of its episode: severity only rises, the peak is the most surprising.</summary>
    public Alert Grow(Detection detection, DateTimeOffset now)
    {
        var peak = detection.Score > PeakScore;
        return this with
        {
            Severity = detection.Severity > Severity ? detection.Severity : Severity,
            PeakScore = peak ? detection.Score : PeakScore,
            PeakObserved = peak ? detection.Observed : PeakObserved,
            PeakExpected = peak ? detection.Expected : PeakExpected,
            LastObserved = detection.Observed,
            DetectionCount = DetectionCount + 1,
            Explanation = detection.Explanation,
            TopTerms = detection.TopTerms,
            SampleMentionIds = [.. SampleMentionIds.Concat(detection.SampleMentionIds).Distinct().Take(MaxSamples)],
            LastSeenAt = now,
            LastBucketStart = detection.BucketStart > LastBucketStart ? detection.BucketStart : LastBucketStart,
        };
    }
}
