namespace Firebreak.Core.Detection.Live;

using Firebreak.Core.Detection.Monitoring;
using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;

/// <summary>
/// What one topic heard in one minute, tallied from the mentions as they are stored (new ones only: an edit or a
/// re-capture is not more talk). It carries what the rollups do plus what they do not: the reach of negative
/// mentions, and a few sample mentions to show in an alert.
/// </summary>
public sealed class MinuteTally(long workspaceId, long topicId, long minute)
{
    /// <summary>Most samples kept: the negative mentions with the largest reach, else the largest reach.</summary>
    public const int MaxSamples = 5;

    /// <summary>Most platform or language slices kept per minute; the rest are counted in the total only.</summary>
    public const int MaxSlices = 32;

    private readonly List<(long Id, long Reach, bool Negative)> samples = new(MaxSamples);
    private Dictionary<(DetectionSignal Signal, string Dimension), DetectionSeverity>? earlyFindings;

    public long WorkspaceId { get; } = workspaceId;

    /// <summary>0 is the workspace's whole stream.</summary>
    public long TopicId { get; } = topicId;

    /// <summary>Unix minute.</summary>
    public long Minute { get; } = minute;

    public DateTimeOffset Start => DateTimeOffset.FromUnixTimeSeconds(Minute * 60);

    public long Count { get; private set; }

    public long Unknown { get; private set; }

    public long Negative { get; private set; }

    public long Positive { get; private set; }

    public long Neutral { get; private set; }

    public long Reach { get; private set; }

    public long NegativeReach { get; private set; }

    /// <summary>The <see cref="Count"/> when the open minute was last judged early (nothing new, nothing to judge).</summary>
    public long CheckedCount { get; set; }

    /// <summary>The largest reach of one negative mention in the minute.</summary>
    public long LargestNegativeReach { get; private set; }

    public Dictionary<Platform, long> Platforms { get; } = [];

    public Dictionary<string, long> Languages { get; } = new(StringComparer.Ordinal);

    /// <summary>Sample mention ids, most telling first.</summary>
    public IReadOnlyList<long> SampleIds => [.. samples.OrderByDescending(s => s.Negative).ThenByDescending(s => s.Reach).Select(s => s.Id)];

    /// <summary>
    /// The minute as the series monitor reads it: the same figures as the rollups, plus the reach of negative
    /// mentions leaving out the single largest. Reach is heavy-tailed: one hostile post from a big account would
    /// otherwise decide the whole signal (on the calm days of the demo scenario it did, twice); that one post is
    /// the viral-item detector's business, and a surge of negativity is many voices.
    /// </summary>
    public TopicMinute ToMinute() => new(
        WorkspaceId,
        TopicId,
        Start,
        new RollupCounts { Count = Count, Negative = Negative, Neutral = Neutral, Positive = Positive, Unknown = Unknown, Reach = Reach },
        NegativeReach - LargestNegativeReach,
        [.. Platforms.Select(p => new SliceCount(p.Key.ToWire(), p.Value))],
        [.. Languages.Select(l => new SliceCount(l.Key, l.Value))]);

    /// <summary>A minute in which the topic heard nothing: zeros are data for a count series.</summary>
    public static TopicMinute Silent(long workspaceId, long topicId, long minute) =>
        new(workspaceId, topicId, DateTimeOffset.FromUnixTimeSeconds(minute * 60), default, 0, [], []);

    /// <summary>
    /// Whether an early finding about this open minute says something new: the first of its signal and slice, or a
    /// higher severity than the last one kept (remembered when it does).
    /// </summary>
    public bool IsNewEarlyFinding(Detection detection)
    {
        earlyFindings ??= [];
        var key = (detection.Signal, detection.Dimension);
        if (earlyFindings.TryGetValue(key, out var raised) && raised >= detection.Severity)
        {
            return false;
        }

        earlyFindings[key] = detection.Severity;
        return true;
    }

    public void Add(Mention mention)
    {
        var reach = mention.Reach;
        var negative = mention.Analysis.Sentiment == Sentiment.Negative;
        Count++;
        Reach += reach;
        switch (mention.Analysis.Sentiment)
        {
            case Sentiment.Negative:
                Negative++;
                NegativeReach += reach;
                LargestNegativeReach = Math.Max(LargestNegativeReach, reach);
                break;
            case Sentiment.Positive:
                Positive++;
                break;
            case Sentiment.Neutral:
                Neutral++;
                break;
            default:
                Unknown++;
                break;
        }

        Increment(Platforms, mention.Platform);
        Increment(Languages, mention.Language);
        KeepSample(mention.Id, reach, negative);
    }

    private static void Increment<TKey>(Dictionary<TKey, long> slices, TKey key)
        where TKey : notnull
    {
        if (slices.TryGetValue(key, out var count))
        {
            slices[key] = count + 1;
        }
        else if (slices.Count < MaxSlices)
        {
            slices[key] = 1;
        }
    }

    private void KeepSample(long id, long reach, bool negative)
    {
        if (samples.Count < MaxSamples)
        {
            samples.Add((id, reach, negative));
            return;
        }

        // Replace the least telling sample if this one says more (negative beats not, then reach).
        var weakest = 0;
        for (var i = 1; i < samples.Count; i++)
        {
            if (Weaker(samples[i], samples[weakest]))
            {
                weakest = i;
            }
        }

        if (Weaker(samples[weakest], (id, reach, negative)))
        {
            samples[weakest] = (id, reach, negative);
        }

        static bool Weaker((long Id, long Reach, bool Negative) a, (long Id, long Reach, bool Negative) b) =>
            a.Negative != b.Negative ? !a.Negative : a.Reach < b.Reach;
    }
}
