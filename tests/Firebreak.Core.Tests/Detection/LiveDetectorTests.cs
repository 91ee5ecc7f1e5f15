namespace Firebreak.Core.Tests.Detection;

using Firebreak.Core.Detection;
using Firebreak.Core.Detection.Items;
using Firebreak.Core.Detection.Live;
using Firebreak.Core.Detection.Monitoring;
using Firebreak.Core.Detection.Terms;
using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;

public sealed class LiveDetectorTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);
    private readonly LiveClock clock = new() { Now = Start };

    [Fact]
    public void A_viral_post_matched_by_two_topics_is_one_finding_for_the_whole_stream()
    {
        var detector = NewDetector();
        var post = Mention(1, Start.AddMinutes(-20), followers: 1_000, shares: 8_000, replies: 900);
        clock.Now = Start;

        detector.Observe(post, [7, 9], IngestOutcome.Inserted);

        var viral = Assert.Single(detector.Drain(), d => d.Signal == DetectionSignal.ViralItem);
        Assert.Equal(0, viral.TopicId);
        Assert.Equal("mention:1", viral.Dimension);
    }

    [Fact]
    public void Minutes_close_by_data_time_in_order_and_a_late_mention_is_not_counted()
    {
        var detector = NewDetector();
        detector.Observe(Mention(1, Start.AddSeconds(5)), [], IngestOutcome.Inserted);
        detector.Observe(Mention(2, Start.AddMinutes(3).AddSeconds(20)), [], IngestOutcome.Inserted);

        // Data time is 10:03:20, so 10:00, 10:01 and 10:02 are due (10 s lateness); the clock is not consulted.
        clock.Now = Start.AddMinutes(3).AddSeconds(21);
        Assert.Equal(3, detector.CloseDueMinutes());
        Assert.Equal(0, detector.CloseDueMinutes());

        detector.Observe(Mention(3, Start.AddMinutes(1).AddSeconds(30)), [], IngestOutcome.Inserted); // late: 10:01 was judged
        Assert.Equal(0, detector.CloseDueMinutes());
        Assert.Equal(3, detector.ClosedMinutes);
    }

    [Fact]
    public void A_quiet_workspace_has_its_minutes_closed_by_the_clock()
    {
        var detector = NewDetector();
        detector.Observe(Mention(1, Start.AddSeconds(5)), [], IngestOutcome.Inserted);
        clock.Now = Start.AddSeconds(20);
        Assert.Equal(0, detector.CloseDueMinutes());

        clock.Now = Start.AddMinutes(5); // nothing heard for more than 30 s: 10:00 to 10:03 are due
        Assert.Equal(4, detector.CloseDueMinutes());
    }

    [Fact]
    public void Findings_about_old_data_teach_but_do_not_wait_for_alerting()
    {
        var detector = NewDetector();
        clock.Now = Start.AddHours(3);

        detector.Observe(Mention(1, Start.AddMinutes(-20), followers: 1_000, shares: 8_000, replies: 900, capturedAt: Start), [], IngestOutcome.Inserted);

        Assert.Empty(detector.Drain());
    }

    [Fact]
    public void A_burst_is_raised_while_its_minute_is_open_and_the_closed_minute_confirms_every_early_finding()
    {
        var burst = Start.AddHours(3);
        var found = Run(CalmThenBurst(burst, extra: 120), until: burst.AddMinutes(5));

        // Raised within the burst's own minute, not 10 s after it ends.
        var early = found.Where(f => f.BucketStart == burst && f.Signal == DetectionSignal.Volume && f.Dimension.Length == 0 && f.Severity >= DetectionSeverity.Medium).ToList();
        Assert.NotEmpty(early);
        Assert.True(early[0].DetectedAt < burst.AddSeconds(60), $"first volume finding at {early[0].DetectedAt:u}");
        Assert.Contains("s into the minute", early[0].Explanation, StringComparison.Ordinal);

        // A count heard so far is a lower bound of the minute's final count, so whatever the open minute raised, the
        // closed minute raises too, at the same severity or higher: the early look adds no alarm of its own.
        var closed = found.Where(f => !IsEarly(f)).ToList();
        var earlyOnes = found.Where(IsEarly).ToList();
        Assert.NotEmpty(earlyOnes);
        foreach (var finding in earlyOnes)
        {
            Assert.Contains(closed, c => c.BucketStart == finding.BucketStart && c.Signal == finding.Signal && c.Dimension == finding.Dimension && c.Severity >= finding.Severity);
        }

        // One early finding per severity step of a signal, not one per second.
        Assert.Equal(earlyOnes.Count, earlyOnes.DistinctBy(f => (f.BucketStart, f.Signal, f.Dimension, f.Severity)).Count());
    }

    [Fact]
    public void Early_findings_depend_only_on_what_was_heard_so_far()
    {
        var burst = Start.AddHours(3);
        var cut = burst.AddSeconds(25);
        var stream = CalmThenBurst(burst, extra: 120);

        // The same past with three futures: as generated, nothing more, and a far bigger burst after the cut.
        var whole = Run(stream, until: burst.AddMinutes(3));
        var none = Run([.. stream.Where(m => m.CreatedAt <= cut)], until: burst.AddMinutes(3));
        var bigger = Run([.. stream, .. Enumerable.Range(0, 300).Select(i => Mention(900_000 + i, cut.AddMilliseconds(100 * (i + 1))))], until: burst.AddMinutes(3));

        var before = Lines(whole, cut);
        Assert.Contains(before, line => line.Contains("s into the minute", StringComparison.Ordinal));
        Assert.Equal(before, Lines(none, cut));
        Assert.Equal(before, Lines(bigger, cut));

        static List<string> Lines(List<Detection> found, DateTimeOffset until) =>
            [.. found.Where(f => f.DetectedAt <= until).Select(f => $"{f.DetectedAt:O} {f.TopicId} {f.Signal} {f.Dimension} {f.Severity} {f.Score:R} {f.Explanation}")];
    }

    [Fact]
    public void Without_the_early_check_a_burst_waits_for_its_minute_to_close()
    {
        var burst = Start.AddHours(3);
        var found = Run(CalmThenBurst(burst, extra: 120), until: burst.AddMinutes(3), earlyCheck: false);

        var first = found.First(f => f.BucketStart == burst && f.Signal == DetectionSignal.Volume && f.Dimension.Length == 0);
        Assert.True(first.DetectedAt >= burst.AddSeconds(70), $"{first.DetectedAt:u}");
        Assert.DoesNotContain(found, IsEarly);
    }

    private static bool IsEarly(Detection finding) =>
        finding.Explanation.Contains("s into the minute", StringComparison.Ordinal) || finding.Explanation.Contains("before the minute closed", StringComparison.Ordinal);

    /// <summary>Three hours of Poisson minutes (about 20 mentions, a third negative), then <paramref name="extra"/> negative mentions in the first 30 s of the burst's minute.</summary>
    private static List<Mention> CalmThenBurst(DateTimeOffset burst, int extra)
    {
        var random = new Random(17);
        var mentions = new List<Mention>();
        long id = 1;
        for (var at = Start; at < burst.AddMinutes(3); at = at.AddMinutes(1))
        {
            var n = Synthetic.Poisson(random, 20);
            for (var i = 0; i < n; i++)
            {
                mentions.Add(Mention(id++, at.AddSeconds(random.NextDouble() * 60), sentiment: random.NextDouble() < 0.33 ? Sentiment.Negative : Sentiment.Neutral));
            }
        }

        for (var i = 0; i < extra; i++)
        {
            mentions.Add(Mention(id++, burst.AddSeconds(30.0 * i / extra)));
        }

        mentions.Sort((a, b) => a.CreatedAt.CompareTo(b.CreatedAt));
        return mentions;
    }

    /// <summary>Feeds mentions as their time comes, closing minutes every second of simulated time; returns every finding.</summary>
    private static List<Detection> Run(List<Mention> mentions, DateTimeOffset until, bool earlyCheck = true)
    {
        var clock = new LiveClock { Now = Start };
        var detector = new LiveDetector(clock, new TopicSeriesMonitor(clock), new ViralItemDetector(clock), new EmergingTermDetector(clock), new LiveDetectionOptions { EarlyCheck = earlyCheck });
        var found = new List<Detection>();
        var next = 0;
        for (var now = Start.AddSeconds(1); now <= until; now = now.AddSeconds(1))
        {
            clock.Now = now;
            while (next < mentions.Count && mentions[next].CreatedAt <= now)
            {
                detector.Observe(mentions[next++], [], IngestOutcome.Inserted);
            }

            detector.CloseDueMinutes();
            found.AddRange(detector.Drain());
        }

        return found;
    }

    private LiveDetector NewDetector() => new(clock, new TopicSeriesMonitor(clock), new ViralItemDetector(clock), new EmergingTermDetector(clock));

    private static Mention Mention(long id, DateTimeOffset createdAt, long followers = 100, long shares = 0, long replies = 0, DateTimeOffset? capturedAt = null, Sentiment sentiment = Sentiment.Negative) => new()
    {
        Id = id,
        WorkspaceId = 1,
        Platform = Platform.X,
        ExternalId = "p" + id,
        Kind = MentionKind.Post,
        Author = new MentionAuthor("@user" + id, null, followers, false),
        Text = "flight delayed again #aurora " + id,
        CreatedAt = createdAt,
        CapturedAt = capturedAt ?? (createdAt > Start ? createdAt : Start),
        Engagement = new Engagement(0, shares, replies, 0),
        Analysis = new MentionAnalysis { Sentiment = sentiment },
    };

    private sealed class LiveClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
