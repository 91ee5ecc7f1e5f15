namespace Firebreak.Core.Mentions;

/// <summary>Who wrote a mention, as the platform reported it at capture time.</summary>
public sealed record MentionAuthor(string Handle, string? DisplayName, long Followers, bool Verified);

/// <summary>Engagement counters at capture time; they grow, so a re-capture updates them.</summary>
public readonly record struct Engagement(long Likes, long Shares, long Replies, long Views)
{
    /// <summary>Estimated reach used by rollups: views when the platform reports them, else interactions.</summary>
    public long Interactions => Likes + Shares + Replies;
}

/// <summary>
/// One item heard on a platform, validated and normalised. Everything is scoped to a workspace; the
/// natural key is (workspace, platform, external id), which makes ingestion idempotent.
/// </summary>
public sealed class Mention
{
    public long Id { get; set; }

    public required long WorkspaceId { get; init; }

    public long? SourceId { get; init; }

    public required Platform Platform { get; init; }

    public required string ExternalId { get; init; }

    public required MentionKind Kind { get; init; }

    public required MentionAuthor Author { get; init; }

    public required string Text { get; init; }

    /// <summary>ISO 639-1 code given by the platform, or detected by the analyser; "und" when unknown.</summary>
    public string Language { get; set; } = "und";

    public string? Url { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset CapturedAt { get; init; }

    public Engagement Engagement { get; init; }

    /// <summary>External id of the item this one answers, on the same platform.</summary>
    public string? ParentExternalId { get; init; }

    /// <summary>External id of the thread's root post, on the same platform.</summary>
    public string? ThreadExternalId { get; init; }

    /// <summary>The payload exactly as received (JSON), kept for audit and re-processing.</summary>
    public string? RawPayload { get; init; }

    /// <summary>Filled by the analyse stage through <see cref="Analysis.IMentionAnalyser"/>.</summary>
    public MentionAnalysis Analysis { get; set; } = MentionAnalysis.None;

    /// <summary>Estimated audience: the author's followers, or views when the platform counts them.</summary>
    public long Reach => Math.Max(Author.Followers, Engagement.Views);
}

/// <summary>
/// What the text analysers concluded. The foundation only carries it; the text-intelligence
/// capability fills it. Every label has a confidence in [0,1] and the terms that drove it.
/// </summary>
public sealed record MentionAnalysis
{
    public static MentionAnalysis None { get; } = new();

    public Sentiment Sentiment { get; init; } = Sentiment.Unknown;

    public double SentimentConfidence { get; init; }

    public bool Offensive { get; init; }

    public bool Hateful { get; init; }

    public double ToxicityConfidence { get; init; }

    /// <summary>anger, joy, optimism, sadness; null when not analysed.</summary>
    public string? Emotion { get; init; }

    public IReadOnlyList<string> RiskCues { get; init; } = [];

    /// <summary>Top contributing terms, so a human can check why a label was given.</summary>
    public IReadOnlyList<string> Why { get; init; } = [];

    /// <summary>Which analyser produced this, with its model version.</summary>
    public string? Analyser { get; init; }

    /// <summary>Language as identified from the text (the platform's own tag may differ), with its confidence.</summary>
    public string? DetectedLanguage { get; init; }

    public double LanguageConfidence { get; init; }

    public double EmotionConfidence { get; init; }

    public double HateConfidence { get; init; }

    /// <summary>Tasks whose label a person corrected; a corrected label is never overwritten by a model.</summary>
    public IReadOnlyList<string> Corrected { get; init; } = [];
}
