using Firebreak.Core.Detection;
using Firebreak.Core.Detection.Monitoring;
using Firebreak.Core.Ingestion;
using Firebreak.Core.Tests.Ingestion;

namespace Firebreak.Core.Tests.Detection;

public sealed class TopicSeriesMonitorTests
{
    private const long Workspace = 7;
    private const long Topic = 3;

    private readonly FixedClock clock = new(Synthetic.Start);

    [Fact]
    public void NegativeBurst_GivesANegativeVolumeDetectionWithEveryField()
    {
        var monitor = new TopicSeriesMonitor(clock);
        var random = new Random(11);
        // Thursday 10:17 UTC: 60 negative mentions where about 3 are usual at that hour.
        var burstStart = Synthetic.Start.AddDays(3).AddHours(10).AddMinutes(17);
        var detectionsBefore = FeedNormalMinutes(monitor, random, until: burstStart);
        clock.Now = burstStart.AddSeconds(65);
        var detections = monitor.Observe(Minute(burstStart, count: 80, negative: 60, platforms: [new("x", 50), new("reddit", 30)], languages: [new("en", 80)]));

        Assert.Empty(detectionsBefore);
        var negative = Assert.Single(detections, d => d.Signal == DetectionSignal.NegativeVolume);
        Assert.Equal((Workspace, Topic, ""), (negative.WorkspaceId, negative.TopicId, negative.Dimension));
        Assert.Equal(burstStart, negative.BucketStart);
        Assert.Equal(clock.Now, negative.DetectedAt);
        Assert.Equal(60, negative.Observed);
        Assert.InRange(negative.Expected, 1, 8);
        Assert.InRange(negative.Score, 0.5, 1);
        Assert.True(negative.Severity >= DetectionSeverity.High, negative.Severity.ToString());
        Assert.StartsWith("negative mentions ", negative.Explanation, StringComparison.Ordinal);
        Assert.Contains("× the usual Thursday 10:00 level (60 against ", negative.Explanation, StringComparison.Ordinal);
        Assert.Empty(negative.TopTerms);
        Assert.Empty(negative.SampleMentionIds);
        Assert.Contains(detections, d => d.Signal == DetectionSignal.NegativeShare);
        Assert.Contains(detections, d => d.Signal == DetectionSignal.ReachWeightedNegativity);
    }

    [Fact]
    public void PlatformSlice_SpikeIsReportedOnItsDimension()
    {
        var monitor = new TopicSeriesMonitor(clock);
        var at = Synthetic.Start.AddDays(3).AddHours(4);
        FeedNormalMinutes(monitor, new Random(12), until: at);

        var detections = monitor.Observe(Minute(at, count: 45, negative: 1, platforms: [new("x", 2), new("reddit", 43)], languages: [new("en", 45)]));

        var slice = Assert.Single(detections, d => d.Dimension == "platform:reddit");
        Assert.Equal(DetectionSignal.Volume, slice.Signal);
        Assert.StartsWith("mentions on reddit ", slice.Explanation, StringComparison.Ordinal);
        Assert.DoesNotContain(detections, d => d.Dimension == "platform:x");
    }

    [Fact]
    public void NewSlice_IsInWarmUp_SoItCannotAlarmYet()
    {
        var monitor = new TopicSeriesMonitor(clock);
        var at = Synthetic.Start.AddDays(2).AddHours(4);
        FeedNormalMinutes(monitor, new Random(15), until: at);

        var detections = monitor.Observe(Minute(at, count: 45, negative: 1, platforms: [new("x", 1), new("reddit", 1), new("tiktok", 43)], languages: [new("en", 45)]));

        Assert.DoesNotContain(detections, d => d.Dimension == "platform:tiktok");
        Assert.Contains(detections, d => d.Dimension == "");
    }

    [Fact]
    public void NegativeShare_NeedsSupport()
    {
        var monitor = new TopicSeriesMonitor(clock);
        var at = Synthetic.Start.AddDays(3).AddHours(4);
        FeedNormalMinutes(monitor, new Random(13), until: at);

        // Three of three negative at 04:00: 100%, but three mentions say little.
        var detections = monitor.Observe(Minute(at, count: 3, negative: 3, platforms: [new("x", 3)]));

        Assert.DoesNotContain(detections, d => d.Signal == DetectionSignal.NegativeShare);
    }

    [Fact]
    public void ColdStart_NoDetectionInTheFirstHours()
    {
        var monitor = new TopicSeriesMonitor(clock);
        for (var i = 0; i < 120; i++)
        {
            var wild = i % 10 == 9;
            Assert.Empty(monitor.Observe(Minute(Synthetic.Start.AddMinutes(i), count: wild ? 500 : 2, negative: wild ? 400 : 0, platforms: [new("x", wild ? 500 : 2)])));
        }
    }

    [Fact]
    public void Slices_AreBoundedPerTopic()
    {
        var monitor = new TopicSeriesMonitor(clock, new TopicSeriesMonitorOptions { MaxSlicesPerDimension = 3 });
        var languages = Enumerable.Range(0, 10).Select(i => new SliceCount("l" + i, 1)).ToArray();

        monitor.Observe(Minute(Synthetic.Start, count: 10, negative: 0, platforms: [], languages: languages));

        Assert.Equal(4 + 3, monitor.TrackedSeriesCount(Workspace));
    }

    [Fact]
    public void WorkspaceCap_ForgetsTheLeastRecentlyUpdatedTopic()
    {
        var monitor = new TopicSeriesMonitor(clock, new TopicSeriesMonitorOptions { MaxSeriesPerWorkspace = 10 });

        monitor.Observe(Minute(Synthetic.Start, 1, 0, [], topic: 1));
        monitor.Observe(Minute(Synthetic.Start.AddMinutes(1), 1, 0, [], topic: 2));
        monitor.Observe(Minute(Synthetic.Start.AddMinutes(2), 1, 0, [], topic: 1));
        monitor.Observe(Minute(Synthetic.Start.AddMinutes(3), 1, 0, [], topic: 3));

        // Two topics of four series fit; topic 2 was the least recently updated, so it went.
        Assert.Equal(8, monitor.TrackedSeriesCount(Workspace));
        Assert.Empty(monitor.Observe(Minute(Synthetic.Start.AddMinutes(4), 1, 0, [], topic: 2)));
        Assert.Equal(8, monitor.TrackedSeriesCount(Workspace));
    }

    [Fact]
    public void Observe_WithoutDetection_AllocatesNothing()
    {
        var monitor = new TopicSeriesMonitor(clock);
        var start = Synthetic.Start.AddDays(1);
        FeedNormalMinutes(monitor, new Random(14), until: start);
        SliceCount[] platforms = [new("x", 3), new("reddit", 2)];
        SliceCount[] languages = [new("en", 5)];
        monitor.Observe(Minute(start, 5, 1, platforms, languages: languages));

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 1; i < 200; i++)
        {
            monitor.Observe(Minute(start.AddMinutes(i), 5, 1, platforms, languages: languages));
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Explanation_NamesRatioWeekdayHourAndFigures()
    {
        var tuesday = new DateTimeOffset(2026, 1, 6, 10, 37, 0, TimeSpan.Zero);

        Assert.Equal(
            "negative mentions 14× the usual Tuesday 10:00 level (42 against 3 expected)",
            DetectionExplanation.Describe(DetectionSignal.NegativeVolume, SliceDimension.None, "", 42, 3, tuesday, seasonalWeight: 0.9));
        Assert.Equal(
            "mentions in fr 2.5× the recent level (25 against 10 expected)",
            DetectionExplanation.Describe(DetectionSignal.Volume, SliceDimension.Language, "fr", 25, 10, tuesday, seasonalWeight: 0.2));
        Assert.Equal(
            "negative share 64% (40 of 50 mentions with a sentiment), 3.2× the usual Tuesday 10:00 level of 20%",
            DetectionExplanation.Describe(DetectionSignal.NegativeShare, SliceDimension.None, "", 0.64, 0.2, tuesday, 0.9, negatives: 40, withSentiment: 50));
        Assert.Equal(
            "mentions on x 12 where the usual Tuesday 10:00 level is under 0.1",
            DetectionExplanation.Describe(DetectionSignal.Volume, SliceDimension.Platform, "x", 12, 0.02, tuesday, 0.9));
    }

    /// <summary>Every minute before <paramref name="until"/> of a rhythmic topic: volume peaking at 30 a minute at 14:00, a fifth of it negative, two platforms, one language.</summary>
    private List<Core.Detection.Detection> FeedNormalMinutes(TopicSeriesMonitor monitor, Random random, DateTimeOffset until)
    {
        var detections = new List<Core.Detection.Detection>();
        for (var i = 0; Synthetic.Start.AddMinutes(i) < until; i++)
        {
            var count = Synthetic.Poisson(random, Synthetic.DailyRate(i % 1_440, 30));
            var negative = Math.Min(count, (int)Math.Round(count * 0.4 * random.NextDouble()));
            var x = (int)Math.Round(count * 0.6);
            clock.Now = Synthetic.Start.AddMinutes(i + 1);
            detections.AddRange(monitor.Observe(Minute(Synthetic.Start.AddMinutes(i), count, negative, [new("x", x), new("reddit", count - x)], [new("en", count)])));
        }

        return detections;
    }

    private static TopicMinute Minute(DateTimeOffset start, long count, long negative, SliceCount[] platforms, SliceCount[]? languages = null, long topic = Topic)
    {
        var counts = new RollupCounts { Count = count, Negative = negative, Neutral = (count - negative) / 2, Positive = count - negative - ((count - negative) / 2), Reach = count * 100 };
        return new TopicMinute(Workspace, topic, start, counts, negative * 100, platforms, languages ?? []);
    }
}
