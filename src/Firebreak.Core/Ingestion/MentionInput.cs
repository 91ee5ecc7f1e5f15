namespace Firebreak.Core.Ingestion;

/// <summary>
/// A mention as it arrives on the wire (HTTP ingest, NDJSON/CSV import, the scenario replayer).
/// Everything is nullable on purpose: strangers write these, and the normaliser reports exactly
/// which field is missing or wrong instead of failing the whole batch.
/// </summary>
public sealed class MentionInput
{
    public string? Platform { get; set; }

    public string? ExternalId { get; set; }

    public string? Kind { get; set; }

    public AuthorInput? Author { get; set; }

    public string? Text { get; set; }

    /// <summary>ISO 639-1 as given by the platform, if any.</summary>
    public string? Language { get; set; }

    public string? Url { get; set; }

    public DateTimeOffset? CreatedAt { get; set; }

    public EngagementInput? Engagement { get; set; }

    public string? ParentExternalId { get; set; }

    public string? ThreadExternalId { get; set; }

    public long? SourceId { get; set; }
}

public sealed class AuthorInput
{
    public string? Handle { get; set; }

    public string? DisplayName { get; set; }

    public long? Followers { get; set; }

    public bool? Verified { get; set; }
}

public sealed class EngagementInput
{
    public long? Likes { get; set; }

    public long? Shares { get; set; }

    public long? Replies { get; set; }

    public long? Views { get; set; }
}
