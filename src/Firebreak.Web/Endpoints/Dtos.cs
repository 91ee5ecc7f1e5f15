namespace Firebreak.Web.Endpoints;

using System.Text.Json.Serialization;
using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;
using Firebreak.Core.Topics;
using Firebreak.Core.Workspaces;

public sealed record WorkspaceDto(string Slug, string Name, string TimeZone, DateTimeOffset CreatedAt)
{
    public static WorkspaceDto From(Workspace w) => new(w.Slug, w.Name, w.TimeZone, w.CreatedAt);
}

public sealed record CreateWorkspaceRequest(string? Slug, string? Name, string? TimeZone);

public sealed record SourceDto(long Id, string Platform, string Kind, string Target, string? Name, bool Enabled, DateTimeOffset CreatedAt)
{
    public static SourceDto From(Source s) => new(s.Id, s.Platform.ToWire(), s.Kind.ToString().ToLowerInvariant(), s.Target, s.Name, s.Enabled, s.CreatedAt);
}

public sealed record CreateSourceRequest(string? Platform, string? Kind, string? Target, string? Name);

/// <param name="Backfill">Progress of matching the topic over the last 30 days of stored mentions, if one ran since start.</param>
public sealed record TopicDto(long Id, string Name, string Query, bool Enabled, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, BackfillStatus? Backfill)
{
    public static TopicDto From(Topic t, TopicBackfill? backfill = null) => new(t.Id, t.Name, t.Query, t.Enabled, t.CreatedAt, t.UpdatedAt, backfill?.StatusOf(t.Id));
}

public sealed record TopicRequest(string? Name, string? Query, bool? Enabled);

public sealed record QueryPreviewRequest(string? Query, int? Limit, int? Sample);

public sealed record QueryErrorDto(int Position, int Length, string Message, IReadOnlyList<string> Expected);

public sealed record QueryPreviewDto(bool Valid, QueryErrorDto? Error, int Scanned, int Matched, IReadOnlyList<MentionDto> Sample);

public sealed record AuthorDto(string Handle, string? DisplayName, long Followers, bool Verified);

public sealed record EngagementDto(long Likes, long Shares, long Replies, long Views);

public sealed record AnalysisDto(
    string Sentiment,
    double SentimentConfidence,
    bool Offensive,
    double ToxicityConfidence,
    bool Hateful,
    double HateConfidence,
    string? Emotion,
    double EmotionConfidence,
    string? DetectedLanguage,
    double LanguageConfidence,
    IReadOnlyList<string> RiskCues,
    IReadOnlyList<string> Why,
    IReadOnlyList<string> Corrected,
    string? Analyser);

/// <summary>
/// A mention on the wire. Its field names match the ingest format, so an NDJSON export can be imported
/// again as it is (the extra fields are ignored on import).
/// </summary>
public sealed record MentionDto(
    long Id,
    string Platform,
    string ExternalId,
    string Kind,
    AuthorDto Author,
    string Text,
    string Language,
    string? Url,
    DateTimeOffset CreatedAt,
    DateTimeOffset CapturedAt,
    EngagementDto Engagement,
    string? ParentExternalId,
    string? ThreadExternalId,
    long? SourceId,
    AnalysisDto Analysis,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Raw)
{
    public static MentionDto From(Mention m, bool includeRaw = false) => new(
        m.Id,
        m.Platform.ToWire(),
        m.ExternalId,
        m.Kind.ToWire(),
        new AuthorDto(m.Author.Handle, m.Author.DisplayName, m.Author.Followers, m.Author.Verified),
        m.Text,
        m.Language,
        m.Url,
        m.CreatedAt,
        m.CapturedAt,
        new EngagementDto(m.Engagement.Likes, m.Engagement.Shares, m.Engagement.Replies, m.Engagement.Views),
        m.ParentExternalId,
        m.ThreadExternalId,
        m.SourceId,
        new AnalysisDto(
            m.Analysis.Sentiment.ToWire(),
            m.Analysis.SentimentConfidence,
            m.Analysis.Offensive,
            m.Analysis.ToxicityConfidence,
            m.Analysis.Hateful,
            m.Analysis.HateConfidence,
            m.Analysis.Emotion,
            m.Analysis.EmotionConfidence,
            m.Analysis.DetectedLanguage,
            m.Analysis.LanguageConfidence,
            m.Analysis.RiskCues,
            m.Analysis.Why,
            m.Analysis.Corrected,
            m.Analysis.Analyser),
        includeRaw ? m.RawPayload : null);
}

public sealed record MentionPageDto(IReadOnlyList<MentionDto> Items, string? NextCursor);

public sealed record MentionDetailDto(MentionDto Mention, IReadOnlyList<MentionVersion> Versions);

public sealed record RejectionDto(int Index, long? Line, string Field, string Reason, string? ExternalId)
{
    public static RejectionDto From(IngestRejection r) => new(r.Index, r.Line, r.Field, r.Reason, r.ExternalId);
}

public sealed record IngestResponse(int Received, int Inserted, int Updated, int Unchanged, int Queued, int RejectedCount, IReadOnlyList<RejectionDto> Rejected)
{
    public static IngestResponse From(IngestReport r) => new(r.Received, r.Inserted, r.Updated, r.Unchanged, r.Queued, r.Rejected.Count, r.Rejected.Select(RejectionDto.From).ToArray());
}

[JsonSerializable(typeof(MentionDto))]
internal sealed partial class ExportJsonContext : JsonSerializerContext
{
    /// <summary>
    /// Web defaults, with every script readable as is but HTML-significant characters (&lt; &gt; &amp; ' ")
    /// escaped, so a mention can never close a script or tag wherever the JSON ends up.
    /// </summary>
    public static ExportJsonContext Safe { get; } = new(new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
    });
}
