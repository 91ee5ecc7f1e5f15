using Firebreak.Core.Detection.Items;

namespace Firebreak.Core.Detection.Terms;

/// <summary>
/// Knobs of <see cref="EmergingTermDetector"/>. The defaults are the ones docs/early-warning-items-terms.md
/// explains.
/// </summary>
public sealed record EmergingTermOptions
{
    /// <summary>Counting bucket. Buckets start at multiples of this length since the Unix epoch.</summary>
    public TimeSpan BucketLength { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Half-life of a term's baseline (and of the weights that decide which terms are kept).</summary>
    public TimeSpan BaselineHalfLife { get; init; } = TimeSpan.FromHours(6);

    /// <summary>Buckets a (workspace, topic) must have watched before anything fires: cold start is quiet.</summary>
    public int WarmupBuckets { get; init; } = 6;

    /// <summary>Terms tracked per (workspace, topic) at most (Space-Saving: the least weighty is replaced).</summary>
    public int MaxTermsPerTopic { get; init; } = 2_048;

    /// <summary>Longer tokens are skipped (they are hashes, ids, junk), which also bounds each slot's text.</summary>
    public int MaxTermLength { get; init; } = 40;

    /// <summary>Shorter words are skipped ("de", "to"); hashtags need 2 chars, Hangul words 2 syllables.</summary>
    public int MinWordLength { get; init; } = 3;

    /// <summary>Count @handles as terms (off: a handle bursts whenever its owner is in a thread).</summary>
    public bool IncludeHandles { get; init; }

    /// <summary>
    /// Scripts written without spaces (Han, kana, Thai...) tokenize one char per token; such chars are counted as
    /// pairs of neighbours (most Chinese and Japanese words are two chars), each pair needing this many times the
    /// support of a word, since pairs that straddle two words are common.
    /// </summary>
    public double UnspacedSupportFactor { get; init; } = 2;

    /// <summary>Mentions older than this behind the newest one seen are not counted: they are backfill, not news.</summary>
    public TimeSpan MaxLateness { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Prior baseline (mentions per bucket) of a term never seen before.</summary>
    public double PriorRate { get; init; } = 0.2;

    /// <summary>Prior share of a topic's mentions for a term never seen before: in a busy topic a new term needs more.</summary>
    public double PriorShare { get; init; } = 0.001;

    /// <summary>How many buckets the prior of a new term weighs against its own counts.</summary>
    public double PriorBuckets { get; init; } = 1;

    /// <summary>Terms usually in more than this share of the topic's mentions never fire (stop-word-like).</summary>
    public double MaxBaselineShare { get; init; } = 0.2;

    /// <summary>Poisson deviance z a bucket's count must reach over its expectation to start an episode.</summary>
    public double FireZ { get; init; } = 5;

    /// <summary>z and ratio that keep an episode going; it ends after <see cref="QuietBucketsToEnd"/> buckets below.</summary>
    public double ContinueZ { get; init; } = 3;

    /// <inheritdoc cref="ContinueZ"/>
    public double ContinueRatio { get; init; } = 2;

    /// <summary>Buckets in a row without a burst that end an episode (a later burst is then a new one).</summary>
    public int QuietBucketsToEnd { get; init; } = 3;

    /// <summary>
    /// A bursting bucket teaches a term's baseline at most this many times the baseline: the burst does not
    /// become its own baseline within minutes, yet a term that stays high becomes the new normal within hours.
    /// </summary>
    public double BurstLearningCap { get; init; } = 2;

    /// <summary>Mentions in the bucket needed for Low, Medium, High, Critical.</summary>
    public IReadOnlyList<int> SeverityCounts { get; init; } = [10, 30, 100, 400];

    /// <summary>Times the expected count needed for Low, Medium, High, Critical.</summary>
    public IReadOnlyList<double> SeverityRatios { get; init; } = [3, 5, 10, 20];

    /// <summary>
    /// New episodes a (workspace, topic) may start per bucket. When a crisis brings a whole new vocabulary,
    /// the first terms to cross the bar are reported and the rest ride along in their TopTerms instead of
    /// opening dozens of alerts; a term held back can still start its episode in a later bucket.
    /// </summary>
    public int MaxNewEpisodesPerBucket { get; init; } = 8;

    /// <summary>Mentions (over the current and previous bucket) a term needs to be listed by TopTerms.</summary>
    public int TopTermMinCount { get; init; } = 3;

    internal long BucketTicks => BucketLength.Ticks;

    /// <summary>Per-bucket keep factor of the baselines: 2^(-bucket/half-life).</summary>
    internal double Keep => Math.Pow(2, -BucketLength.TotalSeconds / BaselineHalfLife.TotalSeconds);

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(BucketLength, TimeSpan.FromSeconds(1), nameof(BucketLength));
        ArgumentOutOfRangeException.ThrowIfLessThan(BaselineHalfLife, BucketLength, nameof(BaselineHalfLife));
        ArgumentOutOfRangeException.ThrowIfNegative(WarmupBuckets, nameof(WarmupBuckets));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxTermsPerTopic, 16, nameof(MaxTermsPerTopic));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxTermLength, 4, nameof(MaxTermLength));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxTermLength, 255, nameof(MaxTermLength));
        ArgumentOutOfRangeException.ThrowIfLessThan(MinWordLength, 1, nameof(MinWordLength));
        ArgumentOutOfRangeException.ThrowIfLessThan(UnspacedSupportFactor, 1.0, nameof(UnspacedSupportFactor));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxLateness, TimeSpan.Zero, nameof(MaxLateness));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PriorRate, 0.0, nameof(PriorRate));
        ArgumentOutOfRangeException.ThrowIfNegative(PriorShare, nameof(PriorShare));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PriorBuckets, 0.0, nameof(PriorBuckets));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(MaxBaselineShare, 0.0, nameof(MaxBaselineShare));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(FireZ, 0.0, nameof(FireZ));
        ArgumentOutOfRangeException.ThrowIfNegative(ContinueZ, nameof(ContinueZ));
        ArgumentOutOfRangeException.ThrowIfLessThan(ContinueRatio, 1.0, nameof(ContinueRatio));
        ArgumentOutOfRangeException.ThrowIfLessThan(QuietBucketsToEnd, 1, nameof(QuietBucketsToEnd));
        ArgumentOutOfRangeException.ThrowIfLessThan(BurstLearningCap, 1.0, nameof(BurstLearningCap));
        ArgumentOutOfRangeException.ThrowIfLessThan(TopTermMinCount, 1, nameof(TopTermMinCount));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxNewEpisodesPerBucket, 1, nameof(MaxNewEpisodesPerBucket));
        SeverityLadder.Validate(SeverityCounts, 1, nameof(SeverityCounts));
        SeverityLadder.Validate(SeverityRatios, 1.0, nameof(SeverityRatios));
    }
}
