namespace Firebreak.Core.Mentions;

public enum SeriesInterval
{
    Minute,
    Hour,
    Day,
}

public enum SeriesBreakdown
{
    None,
    Language,
    Platform,
}

/// <summary>One bucket of a topic's series: volume by sentiment and summed reach.</summary>
public sealed record SeriesPoint(DateTimeOffset Start, long Count, long Negative, long Neutral, long Positive, long Unknown, long Reach);

/// <summary>One bucket's volume for one language or platform.</summary>
public sealed record SeriesSlice(DateTimeOffset Start, string Key, long Count);

public sealed record TimeSeries(long TopicId, SeriesInterval Interval, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<SeriesPoint> Points, IReadOnlyList<SeriesSlice> Breakdown);

/// <summary>Reads the per-topic rollups maintained at ingest; never scans raw mentions.</summary>
public interface ISeriesReader
{
    /// <summary>topicId 0 is the workspace's whole stream.</summary>
    Task<TimeSeries> ReadAsync(long workspaceId, long topicId, SeriesInterval interval, DateTimeOffset from, DateTimeOffset to, SeriesBreakdown breakdown, CancellationToken cancellationToken);
}
