using Firebreak.Core.Ingestion;

namespace Firebreak.Core.Detection.Monitoring;

/// <summary>One platform's or one language's mentions in a topic's minute.</summary>
/// <param name="Key">The platform's wire name (<c>x</c>, <c>reddit</c>) or the language code (<c>fr</c>), as in the rollups.</param>
/// <param name="Count">Mentions of that slice in the minute.</param>
public readonly record struct SliceCount(string Key, long Count);

/// <summary>
/// What <see cref="TopicSeriesMonitor"/> needs about one topic's closed minute. The live wiring builds it
/// from the rollups the persist stage already computes (<see cref="RollupAccumulator"/>): the counts of
/// <c>(workspace, topic, minute)</c>, the per-platform and per-language counts of the same key, and one figure
/// the store does not roll up: <see cref="NegativeReach"/>, the summed reach of the minute's negative mentions
/// (sum <c>Reach</c> over the mentions whose sentiment is negative while the batch is in hand).
/// </summary>
/// <param name="WorkspaceId">The workspace.</param>
/// <param name="TopicId">The topic; 0 is the workspace's whole stream.</param>
/// <param name="Start">Start of the minute (UTC); seconds are ignored.</param>
/// <param name="Counts">The minute's rollup: Count, Negative, Neutral, Positive, Unknown, Reach.</param>
/// <param name="NegativeReach">Summed reach of the minute's negative mentions.</param>
/// <param name="Platforms">Mentions per platform in the minute (absent platforms count as 0).</param>
/// <param name="Languages">Mentions per language in the minute (absent languages count as 0).</param>
public readonly record struct TopicMinute(
    long WorkspaceId,
    long TopicId,
    DateTimeOffset Start,
    RollupCounts Counts,
    long NegativeReach,
    IReadOnlyList<SliceCount> Platforms,
    IReadOnlyList<SliceCount> Languages);
