using Firebreak.Core.Detection.Series;

namespace Firebreak.Core.Detection.Monitoring;

/// <summary>
/// Holds one online detector per (workspace, topic, signal, slice) and turns each closed minute of a topic
/// into <see cref="Detection"/>s: <see cref="DetectionSignal.Volume"/>, <see cref="DetectionSignal.NegativeVolume"/>,
/// <see cref="DetectionSignal.NegativeShare"/> (smoothed towards the topic's long-run share, judged only with
/// enough support), <see cref="DetectionSignal.ReachWeightedNegativity"/>, and the volume of each platform and
/// language slice (at most <see cref="TopicSeriesMonitorOptions.MaxSlicesPerDimension"/> of each per topic).
/// <para>
/// Feed every closed minute of every topic, in time order per topic (<see cref="Observe"/>). Minutes missing
/// in between are taken as empty, so a quiet topic may be fed only when it has mentions; a minute at or before
/// one already fed for that topic is ignored. Memory is bounded: each series is a fixed-size
/// <see cref="SeriesState"/>, and past <see cref="TopicSeriesMonitorOptions.MaxSeriesPerWorkspace"/> the least
/// recently updated topic of the workspace is forgotten whole. An update allocates nothing unless it detects
/// something. Thread-safe (one lock; the live loop is the one caller in practice).
/// </para>
/// <para>TopTerms and SampleMentionIds are left empty: term bursts and samples are added by their owners.</para>
/// </summary>
public sealed class TopicSeriesMonitor
{
    /// <summary>Series each topic always has: volume, negative volume, negative share, negative reach.</summary>
    private const int TopicSignals = 4;

    private readonly TimeProvider clock;
    private readonly SeriesDetector countDetector;
    private readonly SeriesDetector valueDetector;
    private readonly double sharePriorDecay;
    private readonly Dictionary<long, WorkspaceSeries> workspaces = [];
    private readonly Lock gate = new();

    public TopicSeriesMonitor(TimeProvider clock, TopicSeriesMonitorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(clock);
        this.clock = clock;
        Options = options ?? TopicSeriesMonitorOptions.Default;
        countDetector = new SeriesDetector(Options.Counts);
        valueDetector = new SeriesDetector(Options.Values);

        // The long-run share behind the smoothing: a day of minutes' half-life.
        sharePriorDecay = Math.Pow(0.5, 1.0 / 1_440);
    }

    public TopicSeriesMonitorOptions Options { get; }

    /// <summary>Learns one closed minute of one topic and returns what it revealed (usually nothing).</summary>
    public IReadOnlyList<Detection> Observe(in TopicMinute minute)
    {
        var at = Math.DivRem(minute.Start.ToUnixTimeSeconds(), 60, out var seconds) - (seconds < 0 ? 1 : 0);
        lock (gate)
        {
            if (!workspaces.TryGetValue(minute.WorkspaceId, out var workspace))
            {
                workspace = new WorkspaceSeries();
                workspaces.Add(minute.WorkspaceId, workspace);
            }

            var topic = TopicOf(workspace, minute.TopicId);
            if (at <= topic.LastMinute)
            {
                return Array.Empty<Detection>();
            }

            var found = new Findings(minute, clock);
            var counts = minute.Counts;
            Count(topic.Volume, at, counts.Count, DetectionSignal.Volume, SliceDimension.None, "", ref found);
            Count(topic.Negative, at, counts.Negative, DetectionSignal.NegativeVolume, SliceDimension.None, "", ref found);
            Share(topic, at, counts, ref found);
            Reach(topic, at, minute.NegativeReach, counts.Negative, ref found);
            Slices(workspace, topic, topic.Platforms, minute.Platforms, at, SliceDimension.Platform, ref found);
            Slices(workspace, topic, topic.Languages, minute.Languages, at, SliceDimension.Language, ref found);
            topic.LastMinute = at;
            return found.Detections;
        }
    }

    /// <summary>
    /// Judges a minute that is still open, from what it has heard so far, without learning anything: the count
    /// signals only (volume, negative volume, each tracked platform and language slice), and only for the minute right
    /// after the last one <see cref="Observe"/> was given. Call it as often as new mentions arrive; the minute must
    /// still be given to <see cref="Observe"/> when it closes.
    /// </summary>
    /// <remarks>
    /// Why this is sound and needs no stricter bar although it is checked again and again: a count heard so far is a
    /// lower bound of the minute's final count, and the tail probability, the minimum count and the minimum ratio
    /// all only grow with the count. So the early check fires at some moment of the minute exactly when the closed
    /// minute would fire with its final count, at the same or a higher severity: repeated looks add no false
    /// alarm, they only move the same alarm earlier. The share and the reach are not judged early: a share can
    /// fall again before the minute ends, and the reach alerts only alongside negative volume or share.
    /// </remarks>
    public IReadOnlyList<Detection> Peek(in TopicMinute soFar)
    {
        var at = Math.DivRem(soFar.Start.ToUnixTimeSeconds(), 60, out var seconds) - (seconds < 0 ? 1 : 0);
        lock (gate)
        {
            if (!workspaces.TryGetValue(soFar.WorkspaceId, out var workspace)
                || !workspace.Topics.TryGetValue(soFar.TopicId, out var topic)
                || at != topic.LastMinute + 1)
            {
                return Array.Empty<Detection>();
            }

            var found = new Findings(soFar, clock);
            var openFor = (int)Math.Clamp((clock.GetUtcNow() - found.Start).TotalSeconds, 0, 60);
            var counts = soFar.Counts;
            PeekCount(topic.Volume, at, counts.Count, DetectionSignal.Volume, SliceDimension.None, "", openFor, ref found);
            PeekCount(topic.Negative, at, counts.Negative, DetectionSignal.NegativeVolume, SliceDimension.None, "", openFor, ref found);
            PeekSlices(topic.Platforms, soFar.Platforms, at, SliceDimension.Platform, openFor, ref found);
            PeekSlices(topic.Languages, soFar.Languages, at, SliceDimension.Language, openFor, ref found);
            return found.Detections;
        }
    }

    /// <summary>How many series are tracked for the workspace.</summary>
    public int TrackedSeriesCount(long workspaceId)
    {
        lock (gate)
        {
            return workspaces.TryGetValue(workspaceId, out var workspace) ? workspace.SeriesCount : 0;
        }
    }

    /// <summary>Drops a topic's series (a deleted topic); the next minute of it starts from scratch.</summary>
    public void ForgetTopic(long workspaceId, long topicId)
    {
        lock (gate)
        {
            if (workspaces.TryGetValue(workspaceId, out var workspace) && workspace.Topics.Remove(topicId, out var topic))
            {
                workspace.SeriesCount -= topic.SeriesCount;
            }
        }
    }

    private TopicSeries TopicOf(WorkspaceSeries workspace, long topicId)
    {
        if (workspace.Topics.TryGetValue(topicId, out var topic))
        {
            return topic;
        }

        MakeRoom(workspace, TopicSignals, keep: null);
        topic = new TopicSeries();
        workspace.Topics.Add(topicId, topic);
        workspace.SeriesCount += TopicSignals;
        return topic;
    }

    /// <summary>Forgets least recently updated topics until <paramref name="needed"/> more series fit.</summary>
    private void MakeRoom(WorkspaceSeries workspace, int needed, TopicSeries? keep)
    {
        while (workspace.SeriesCount + needed > Options.MaxSeriesPerWorkspace)
        {
            var oldest = long.MaxValue;
            var victim = -1L;
            foreach (var (id, candidate) in workspace.Topics)
            {
                if (candidate != keep && candidate.LastMinute < oldest)
                {
                    oldest = candidate.LastMinute;
                    victim = id;
                }
            }

            if (victim < 0 || !workspace.Topics.Remove(victim, out var removed))
            {
                return;
            }

            workspace.SeriesCount -= removed.SeriesCount;
        }
    }

    private void Count(TrackedSeries series, long at, long value, DetectionSignal signal, SliceDimension dimension, string key, ref Findings found)
    {
        FillGap(countDetector, series, at);
        var reading = countDetector.Update(ref series.State, at * 60, value);
        series.LastMinute = at;
        ReportCount(reading, value, signal, dimension, key, -1, ref found);
    }

    /// <summary>A count heard so far in an open minute, judged against the state as it is (the series must be up to the minute before).</summary>
    private void PeekCount(TrackedSeries series, long at, long value, DetectionSignal signal, SliceDimension dimension, string key, int openFor, ref Findings found)
    {
        if (series.LastMinute != at - 1 || value < Options.MinimumCount)
        {
            return;
        }

        ReportCount(countDetector.Peek(series.State, at * 60, value), value, signal, dimension, key, openFor, ref found);
    }

    private void PeekSlices(List<SliceSeries> tracked, IReadOnlyList<SliceCount> given, long at, SliceDimension dimension, int openFor, ref Findings found)
    {
        // Only slices already tracked: admitting one is learning, and a new slice is in its warm-up anyway.
        for (var i = 0; i < given.Count; i++)
        {
            if (FindSlice(tracked, given[i].Key) is { } series)
            {
                PeekCount(series, at, given[i].Count, DetectionSignal.Volume, dimension, series.Key, openFor, ref found);
            }
        }
    }

    /// <param name="openFor">Seconds of the minute heard so far when it is still open; negative for a closed minute.</param>
    private void ReportCount(in SeriesReading reading, long value, DetectionSignal signal, SliceDimension dimension, string key, int openFor, ref Findings found)
    {
        if (reading.Severity is not null && value >= Options.MinimumCount && reading.Observed >= reading.Expected * Options.MinimumRatio)
        {
            var text = DetectionExplanation.Describe(signal, dimension, key, reading.Observed, reading.Expected, found.Start, reading.SeasonalWeight);
            if (openFor >= 0)
            {
                text += openFor < 60
                    ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $", {openFor} s into the minute")
                    : ", before the minute closed";
            }

            found.Add(signal, dimension, key, reading, text);
        }
    }

    /// <summary>
    /// The negative share, smoothed as (negatives + w·p₀) / (n + w) with p₀ the topic's long-run share, learned
    /// and judged only in minutes with enough mentions that have a sentiment (others carry no information).
    /// </summary>
    private void Share(TopicSeries topic, long at, in Ingestion.RollupCounts counts, ref Findings found)
    {
        var withSentiment = counts.Negative + counts.Neutral + counts.Positive;
        if (withSentiment < Options.ShareMinimumSupport)
        {
            return;
        }

        // A neutral prior of 20% weighing five mentions until the topic's own share is known.
        var prior = (topic.ShareNegatives + 1) / (topic.ShareTotal + 5);
        var smoothed = (counts.Negative + (Options.SharePriorWeight * prior)) / (withSentiment + Options.SharePriorWeight);
        topic.ShareNegatives = (topic.ShareNegatives * sharePriorDecay) + counts.Negative;
        topic.ShareTotal = (topic.ShareTotal * sharePriorDecay) + withSentiment;
        var series = topic.Share;
        var reading = valueDetector.Update(ref series.State, at * 60, smoothed);
        series.LastMinute = at;
        if (reading.Severity is not null && counts.Negative >= Options.MinimumCount && smoothed >= reading.Expected * Options.MinimumRatio)
        {
            var text = DetectionExplanation.Describe(DetectionSignal.NegativeShare, SliceDimension.None, "", smoothed, reading.Expected, found.Start, reading.SeasonalWeight, counts.Negative, withSentiment);
            found.Add(DetectionSignal.NegativeShare, SliceDimension.None, "", reading, text);
        }
    }

    private void Reach(TopicSeries topic, long at, long negativeReach, long negatives, ref Findings found)
    {
        var series = topic.Reach;
        FillGap(valueDetector, series, at);
        var reading = valueDetector.Update(ref series.State, at * 60, negativeReach);
        series.LastMinute = at;
        if (reading.Severity is not null && negatives > 0 && reading.Observed >= reading.Expected * Options.MinimumRatio)
        {
            // Reach is heavy-tailed: a couple of big accounts in a minute look like a storm (on the demo's calm
            // days they did, at High). Alone it stays Low, a hint; it may alert only when the minute's negative
            // volume or negative share (judged just before) is unusual too.
            if (reading.Severity > DetectionSeverity.Low && !found.Has(DetectionSignal.NegativeVolume) && !found.Has(DetectionSignal.NegativeShare))
            {
                reading = reading with { Severity = DetectionSeverity.Low };
            }

            var text = DetectionExplanation.Describe(DetectionSignal.ReachWeightedNegativity, SliceDimension.None, "", reading.Observed, reading.Expected, found.Start, reading.SeasonalWeight);
            found.Add(DetectionSignal.ReachWeightedNegativity, SliceDimension.None, "", reading, text);
        }
    }

    /// <summary>Each slice with mentions is fed its count; each tracked slice without any is fed 0.</summary>
    private void Slices(WorkspaceSeries workspace, TopicSeries topic, List<SliceSeries> tracked, IReadOnlyList<SliceCount> given, long at, SliceDimension dimension, ref Findings found)
    {
        for (var i = 0; i < given.Count; i++)
        {
            var slice = given[i];
            if (slice.Count <= 0 || string.IsNullOrEmpty(slice.Key))
            {
                continue;
            }

            var series = FindSlice(tracked, slice.Key) ?? AdmitSlice(workspace, topic, tracked, slice.Key, at);
            if (series is null || series.LastMinute >= at)
            {
                continue;
            }

            series.LastActiveMinute = at;
            Count(series, at, slice.Count, DetectionSignal.Volume, dimension, series.Key, ref found);
        }

        foreach (var series in tracked)
        {
            if (series.LastMinute < at)
            {
                Count(series, at, 0, DetectionSignal.Volume, dimension, series.Key, ref found);
            }
        }
    }

    private static SliceSeries? FindSlice(List<SliceSeries> tracked, string key)
    {
        foreach (var series in tracked)
        {
            if (string.Equals(series.Key, key, StringComparison.Ordinal))
            {
                return series;
            }
        }

        return null;
    }

    /// <summary>A new slice takes a free place, or the place of one silent for a day; otherwise it is not tracked.</summary>
    private SliceSeries? AdmitSlice(WorkspaceSeries workspace, TopicSeries topic, List<SliceSeries> tracked, string key, long at)
    {
        if (tracked.Count >= Options.MaxSlicesPerDimension)
        {
            var idlest = 0;
            for (var i = 1; i < tracked.Count; i++)
            {
                if (tracked[i].LastActiveMinute < tracked[idlest].LastActiveMinute)
                {
                    idlest = i;
                }
            }

            if (at - tracked[idlest].LastActiveMinute < Options.SliceIdleMinutes)
            {
                return null;
            }

            tracked.RemoveAt(idlest);
            topic.SeriesCount--;
            workspace.SeriesCount--;
        }

        MakeRoom(workspace, 1, keep: topic);
        if (workspace.SeriesCount + 1 > Options.MaxSeriesPerWorkspace)
        {
            return null;
        }

        var series = new SliceSeries(key);
        tracked.Add(series);
        topic.SeriesCount++;
        workspace.SeriesCount++;
        return series;
    }

    /// <summary>Minutes between the last one fed and this one were empty: the detector sees their zeros.</summary>
    private void FillGap(SeriesDetector detector, TrackedSeries series, long at)
    {
        if (series.LastMinute == long.MinValue)
        {
            return;
        }

        for (var minute = Math.Max(series.LastMinute + 1, at - Options.MaxGapFillMinutes); minute < at; minute++)
        {
            detector.Update(ref series.State, minute * 60, 0);
        }
    }

    /// <summary>The detections of one minute, allocated only when there is one.</summary>
    private struct Findings(in TopicMinute minute, TimeProvider clock)
    {
        private readonly long workspaceId = minute.WorkspaceId;
        private readonly long topicId = minute.TopicId;
        private List<Detection>? detections;

        public DateTimeOffset Start { get; } = DateTimeOffset.FromUnixTimeSeconds(minute.Start.ToUnixTimeSeconds() / 60 * 60);

        public readonly IReadOnlyList<Detection> Detections => detections is null ? Array.Empty<Detection>() : detections;

        /// <summary>Whether this minute already raised the signal for the whole topic (not a slice).</summary>
        public readonly bool Has(DetectionSignal signal) => detections?.Exists(d => d.Signal == signal && d.Dimension.Length == 0) == true;

        public void Add(DetectionSignal signal, SliceDimension dimension, string key, in SeriesReading reading, string explanation)
        {
            detections ??= [];
            detections.Add(new Detection(
                workspaceId,
                topicId,
                signal,
                DetectionExplanation.DimensionOf(dimension, key),
                Start,
                clock.GetUtcNow(),
                reading.Severity ?? DetectionSeverity.Low,
                reading.Score,
                reading.Observed,
                reading.Expected,
                explanation,
                [],
                []));
        }
    }

    private sealed class WorkspaceSeries
    {
        public Dictionary<long, TopicSeries> Topics { get; } = [];

        public int SeriesCount { get; set; }
    }

    private sealed class TopicSeries
    {
        public long LastMinute { get; set; } = long.MinValue;

        public TrackedSeries Volume { get; } = new();

        public TrackedSeries Negative { get; } = new();

        public TrackedSeries Share { get; } = new();

        public TrackedSeries Reach { get; } = new();

        public List<SliceSeries> Platforms { get; } = [];

        public List<SliceSeries> Languages { get; } = [];

        public double ShareNegatives { get; set; }

        public double ShareTotal { get; set; }

        public int SeriesCount { get; set; } = TopicSignals;
    }

    /// <summary>One detector's memory; a class so the state is updated in place by reference.</summary>
    private class TrackedSeries
    {
        public SeriesState State;

        public long LastMinute = long.MinValue;
    }

    private sealed class SliceSeries(string key) : TrackedSeries
    {
        public string Key { get; } = key;

        public long LastActiveMinute { get; set; }
    }
}
