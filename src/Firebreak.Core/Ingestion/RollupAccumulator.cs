namespace Firebreak.Core.Ingestion;

using Firebreak.Core.Mentions;

/// <summary>What one mention adds to (or, when retracted, removes from) the rollups.</summary>
public readonly record struct RollupContribution(DateTimeOffset CreatedAt, Sentiment Sentiment, string Language, Platform Platform, long Reach, long[] TopicIds);

/// <summary>
/// Sums per-topic per-minute deltas for a group of mentions in memory, so the store applies one upsert per
/// (topic, minute) instead of one per mention. Topic 0 is the whole workspace stream. Edits retract the
/// old contribution and add the new one, so rollups always equal what a scan of mentions would give.
/// </summary>
public sealed class RollupAccumulator
{
    private readonly Dictionary<(long Workspace, long Topic, long Minute), RollupCounts> counts = [];
    private readonly Dictionary<(long Workspace, long Topic, long Minute, RollupDimension Dim, string Key), long> dims = [];

    public IReadOnlyDictionary<(long Workspace, long Topic, long Minute), RollupCounts> Counts => counts;

    public IReadOnlyDictionary<(long Workspace, long Topic, long Minute, RollupDimension Dim, string Key), long> Dimensions => dims;

    public void Clear()
    {
        counts.Clear();
        dims.Clear();
    }

    public void Add(long workspaceId, in RollupContribution contribution, int sign)
    {
        var minute = contribution.CreatedAt.ToUnixTimeSeconds() / 60;
        Apply(workspaceId, 0, minute, contribution, sign);
        foreach (var topic in contribution.TopicIds)
        {
            Apply(workspaceId, topic, minute, contribution, sign);
        }
    }

    /// <summary>Moves one topic's rollups only (a topic re-match), leaving the workspace total (topic 0) alone.</summary>
    public void AddTopicOnly(long workspaceId, long topicId, in RollupContribution contribution, int sign) =>
        Apply(workspaceId, topicId, contribution.CreatedAt.ToUnixTimeSeconds() / 60, contribution, sign);

    private void Apply(long workspaceId, long topicId, long minute, in RollupContribution c, int sign)
    {
        var key = (workspaceId, topicId, minute);
        counts.TryGetValue(key, out var current);
        current.Count += sign;
        current.Reach += sign * c.Reach;
        switch (c.Sentiment)
        {
            case Sentiment.Negative:
                current.Negative += sign;
                break;
            case Sentiment.Neutral:
                current.Neutral += sign;
                break;
            case Sentiment.Positive:
                current.Positive += sign;
                break;
            default:
                current.Unknown += sign;
                break;
        }

        counts[key] = current;
        var langKey = (workspaceId, topicId, minute, RollupDimension.Language, c.Language);
        dims[langKey] = dims.GetValueOrDefault(langKey) + sign;
        var platformKey = (workspaceId, topicId, minute, RollupDimension.Platform, c.Platform.ToWire());
        dims[platformKey] = dims.GetValueOrDefault(platformKey) + sign;
    }
}

public enum RollupDimension
{
    Language = 1,
    Platform = 2,
}

public struct RollupCounts
{
    public long Count;
    public long Negative;
    public long Neutral;
    public long Positive;
    public long Unknown;
    public long Reach;
}
