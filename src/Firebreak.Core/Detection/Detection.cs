namespace Firebreak.Core.Detection;

/// <summary>What a detection is about. The series signals come from the per-topic rollups; the item and term
/// signals from the mentions themselves.</summary>
public enum DetectionSignal
{
    /// <summary>Mentions per minute.</summary>
    Volume = 1,

    /// <summary>Negative mentions per minute.</summary>
    NegativeVolume = 2,

    /// <summary>Share of negative among mentions with a sentiment, smoothed so a few mentions cannot make 100%.</summary>
    NegativeShare = 3,

    /// <summary>Reach of negative mentions per minute (a hostile post from a big account weighs more).</summary>
    ReachWeightedNegativity = 4,

    /// <summary>One mention whose replies and shares grow far faster than expected for its author's reach.</summary>
    ViralItem = 5,

    /// <summary>A term or hashtag bursting now against its own baseline.</summary>
    EmergingTerm = 6,

    /// <summary>The publisher stopped beating while posts are due (Publishing/Outbox): scheduled posts are not going out.</summary>
    PublisherStalled = 7,

    /// <summary>A post on an owned account that did not come through Firebreak's outbox (possibly a hacked account).</summary>
    RoguePost = 8,
    /// <summary>A platform connection or listening source needs a person: it stopped receiving, its token expires soon, or the platform revoked it.</summary>
    ConnectorHealth = 9,
}

/// <summary>How bad a detection is. Ordered: rules compare with a minimum.</summary>
public enum DetectionSeverity
{
    Low = 1,
    Medium = 2,
    High = 3,
    Critical = 4,
}

/// <summary>
/// One finding of a detector for one closed bucket (or one item, or one term). Detections of the same
/// <see cref="EpisodeKey"/> that follow each other belong to one episode, which the alerting side keeps as one
/// alert that grows instead of a storm of duplicates.
/// </summary>
/// <param name="WorkspaceId">The workspace.</param>
/// <param name="TopicId">The topic; 0 is the workspace's whole stream.</param>
/// <param name="Signal">Which signal fired.</param>
/// <param name="Dimension">"" for the whole topic; <c>platform:x</c>, <c>language:fr</c> for a slice; the term for
/// <see cref="DetectionSignal.EmergingTerm"/>; <c>mention:&lt;id&gt;</c> for <see cref="DetectionSignal.ViralItem"/>.</param>
/// <param name="BucketStart">Start of the bucket (or the capture) that revealed it, in data time.</param>
/// <param name="DetectedAt">When the detector saw it (wall or simulated clock).</param>
/// <param name="Severity">How bad.</param>
/// <param name="Score">Anomaly score in [0, 1]; higher is more surprising.</param>
/// <param name="Observed">The value seen (count, share, reach, growth per hour).</param>
/// <param name="Expected">The value the detector's baseline expected for this bucket.</param>
/// <param name="Explanation">One sentence a person can read, e.g. "negative mentions 14× the usual Tuesday 10:00
/// level; top terms: refund, #boycott".</param>
/// <param name="TopTerms">Terms most over-represented in the bucket (may be empty).</param>
/// <param name="SampleMentionIds">A few stored mention ids that show it (may be empty).</param>
public sealed record Detection(
    long WorkspaceId,
    long TopicId,
    DetectionSignal Signal,
    string Dimension,
    DateTimeOffset BucketStart,
    DateTimeOffset DetectedAt,
    DetectionSeverity Severity,
    double Score,
    double Observed,
    double Expected,
    string Explanation,
    IReadOnlyList<string> TopTerms,
    IReadOnlyList<long> SampleMentionIds)
{
    /// <summary>What makes two detections the same episode.</summary>
    public (long WorkspaceId, long TopicId, DetectionSignal Signal, string Dimension) EpisodeKey =>
        (WorkspaceId, TopicId, Signal, Dimension);
}
