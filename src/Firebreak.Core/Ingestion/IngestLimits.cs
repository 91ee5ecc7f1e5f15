namespace Firebreak.Core.Ingestion;

/// <summary>
/// Hard limits on what Firebreak accepts, documented in docs/api.md. They exist so a stranger's
/// 10 MB blob or a runaway script cannot exhaust memory or the store; every rejection names the limit.
/// </summary>
public static class IngestLimits
{
    /// <summary>Longest mention text accepted, in UTF-16 chars (news articles fit; pasted dumps do not).</summary>
    public const int MaxTextLength = 100_000;

    public const int MaxExternalIdLength = 512;

    public const int MaxHandleLength = 256;

    public const int MaxDisplayNameLength = 512;

    public const int MaxUrlLength = 4_096;

    /// <summary>Largest single NDJSON line or JSON item, in bytes.</summary>
    public const int MaxItemBytes = 1_048_576;

    /// <summary>Most items in one HTTP ingest request.</summary>
    public const int MaxItemsPerRequest = 10_000;

    /// <summary>Largest HTTP ingest request body, in bytes.</summary>
    public const long MaxRequestBytes = 64L * 1024 * 1024;

    /// <summary>Mentions dated before this are certainly wrong (before any platform we support existed).</summary>
    public static readonly DateTimeOffset EarliestCreatedAt = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Tolerated clock skew for timestamps in the future.</summary>
    public static readonly TimeSpan MaxFutureSkew = TimeSpan.FromMinutes(10);
}
