using Firebreak.Core.Detection;
using Firebreak.Core.Detection.Items;
using Firebreak.Core.Mentions;
using Firebreak.Core.Tests.Ingestion;

// This namespace is called Detection too, which hides the record's simple name.
using Finding = Firebreak.Core.Detection.Detection;

namespace Firebreak.Core.Tests.Detection;

public sealed class ViralItemDetectorTests
{
    private const long Workspace = 7;
    private static readonly DateTimeOffset Start = new(2025, 3, 3, 8, 0, 0, TimeSpan.Zero);

    private readonly FixedClock clock = new(Start);
    private readonly List<Finding> detections = [];
    private long nextId = 1_000;

    [Fact]
    public void SmallAccount_GrowingHundredsOfTimesNormal_Fires()
    {
        var detector = WarmDetector(out var at);
        var created = at;

        Feed(detector, Capture("viral", 2_300, 20, created, created.AddMinutes(10), handle: "@small_voice", topics: [4, 9]));
        Feed(detector, Capture("viral", 2_300, 900, created, created.AddMinutes(25), handle: "@small_voice", topics: [4, 9]));
        Feed(detector, Capture("viral", 2_300, 4_100, created, created.AddMinutes(40), handle: "@small_voice", topics: [4, 9]));

        Assert.NotEmpty(detections);
        var last = detections[^1];
        Assert.Equal(DetectionSignal.ViralItem, last.Signal);
        Assert.Equal("mention:1", last.Dimension);
        Assert.Equal([1L], last.SampleMentionIds);
        Assert.True(last.Severity >= DetectionSeverity.High, last.Severity.ToString());
        Assert.StartsWith("post by @small_voice (2,300 followers) has 4,100 replies and shares in 40 min, ", last.Explanation);
        Assert.EndsWith("× what accounts of that size get in an hour", last.Explanation);
        Assert.True(last.Observed / last.Expected > 100, $"{last.Observed} vs {last.Expected}");
        Assert.Equal(created.AddMinutes(40), last.BucketStart);
        Assert.InRange(last.Score, 0.5, 1.0);

        // One detection per topic: the whole stream (0) and each matched topic, same episode dimension.
        var lastRound = detections.Where(d => d.Severity == last.Severity).Select(d => d.TopicId).Order();
        Assert.Equal([0L, 4L, 9L], lastRound);
    }

    [Fact]
    public void BigAccounts_WithNormalBigNumbers_DoNotFire()
    {
        var detector = WarmDetector(out var at);

        for (var i = 0; i < 50; i++)
        {
            var followers = 500_000L + (i * 40_000);
            var created = at.AddMinutes(i);
            Feed(detector, Capture($"big{i}", followers, followers / 200, created, created.AddMinutes(30)));
            Feed(detector, Capture($"big{i}", followers, followers / 100, created, created.AddMinutes(90)));
        }

        Assert.Empty(detections);
    }

    [Fact]
    public void BigAccounts_AtColdStart_DoNotFire()
    {
        var detector = new ViralItemDetector(clock);

        Feed(detector, Capture("big", 2_000_000, 9_000, Start, Start.AddMinutes(45)));
        Feed(detector, Capture("bigger", 8_000_000, 40_000, Start, Start.AddMinutes(50)));

        Assert.Empty(detections);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TinyNumbers_NeverFire(bool warm)
    {
        var detector = warm ? WarmDetector(out var at) : new ViralItemDetector(clock);
        var created = warm ? clock.Now : Start;

        // 12 followers and 90 replies and shares in 5 minutes is thousands of times normal, and still nothing.
        Feed(detector, Capture("tiny", 12, 90, created, created.AddMinutes(5)));
        Feed(detector, Capture("tiny", 12, 99, created, created.AddMinutes(15)));
        Feed(detector, Capture("zero", 0, 60, created, created.AddMinutes(1)));

        Assert.Empty(detections);
    }

    [Fact]
    public void GrowingItem_IsRedetectedOnlyWhenSeverityRises()
    {
        var detector = WarmDetector(out var at);
        var created = at;
        long[] interactions = [150, 160, 170, 400, 420, 420, 2_000, 2_100, 12_000, 30_000, 60_000];

        for (var i = 0; i < interactions.Length; i++)
        {
            Feed(detector, Capture("growing", 1_500, interactions[i], created, created.AddMinutes(6 * (i + 1))));
        }

        var severities = detections.Select(d => d.Severity).ToList();
        Assert.NotEmpty(severities);
        Assert.Equal(DetectionSeverity.Critical, severities[^1]);
        for (var i = 1; i < severities.Count; i++)
        {
            Assert.True(severities[i] > severities[i - 1], string.Join(", ", severities));
        }
    }

    [Fact]
    public void Table_StaysWithinItsCap_AndKeepsItemsThatAreStillCaptured()
    {
        // Severity capped at Low by volume: this test is about memory, not about how bad.
        var options = new ViralItemOptions { MaxItemsPerWorkspace = 100, SeverityInteractions = [100, 1_000_000, 2_000_000, 3_000_000] };
        var detector = new ViralItemDetector(clock, options);
        var kept = Capture("kept", 800, 600, Start, Start.AddMinutes(20), id: 1);
        var dropped = Capture("dropped", 900, 600, Start, Start.AddMinutes(20), id: 2);
        Feed(detector, kept);
        Feed(detector, dropped);
        Assert.Equal(["mention:1", "mention:2"], detections.Select(d => d.Dimension));

        for (var i = 0; i < 10_000; i++)
        {
            var at = Start.AddMinutes(20).AddSeconds(i + 1);
            Feed(detector, Capture($"other{i}", 2_000, 10, at, at));
            if (i % 50 == 0)
            {
                // Captured again and again (same counters): the most recently updated, so never forgotten.
                Feed(detector, kept with { CapturedAt = at });
            }

            Assert.True(detector.TrackedItemCount(Workspace) <= 100);
        }

        Assert.Equal(100, detector.TrackedItemCount(Workspace));
        detections.Clear();
        Feed(detector, kept);
        Feed(detector, dropped);

        // "kept" is still known, so its old capture is stale; "dropped" was forgotten and starts over as new.
        Assert.Equal(["mention:2"], detections.Select(d => d.Dimension));
    }

    [Fact]
    public void OldPost_TakingOffAgain_FiresOnThePaceBetweenCaptures()
    {
        var detector = WarmDetector(out var at);
        var created = at.AddDays(-3);

        Feed(detector, Capture("revival", 5_000, 400, created, at));
        Feed(detector, Capture("revival", 5_000, 410, created, at.AddMinutes(30)));
        Assert.Empty(detections);

        Feed(detector, Capture("revival", 5_000, 3_400, created, at.AddMinutes(50)));

        var detection = Assert.Single(detections, d => d.TopicId == 0);
        Assert.StartsWith("post by @someone (5,000 followers) gained 2,990 replies and shares in the last 20 min (3,400 in all), a pace ", detection.Explanation);
    }

    [Fact]
    public void BigAccount_ExplodingInItsFirstMinutes_FiresOnTheSecondCapture()
    {
        var detector = WarmDetector(out var at);

        // Captured as it is posted, then a minute later: 4,000 replies and shares in that minute is 48× the hour a
        // million followers usually give (the first capture alone, 14, says nothing).
        Feed(detector, Capture("celebrity", 1_000_000, 14, at, at, handle: "@star"));
        Assert.Empty(detections);
        Feed(detector, Capture("celebrity", 1_000_000, 4_014, at, at.AddMinutes(1), handle: "@star"));

        var detection = Assert.Single(detections, d => d.TopicId == 0);
        Assert.True(detection.Severity >= DetectionSeverity.Medium, detection.Severity.ToString());
        Assert.StartsWith("post by @star (1,000,000 followers) gained 4,000 replies and shares in the last 1 min (4,014 in all), a pace ", detection.Explanation);
    }

    [Fact]
    public void BigAccount_WithABriskOrdinaryStart_DoesNotFire()
    {
        var detector = WarmDetector(out var at);
        Assert.InRange(detector.ExpectedPacePerHour(Workspace, Platform.X, MentionKind.Post, 1_000_000), 3_000, 8_000);

        // A few times the usual hourly pace in its first minutes (a post's start is brisk), with a lucky ten seconds
        // at first: 400 in 10 s would be 20× to 50× an hour's pace, but a window under a minute is not read as a pace.
        Feed(detector, Capture("brisk", 1_000_000, 20, at, at, handle: "@star"));
        Feed(detector, Capture("brisk", 1_000_000, 420, at, at.AddSeconds(10), handle: "@star"));
        Feed(detector, Capture("brisk", 1_000_000, 500, at, at.AddMinutes(1), handle: "@star"));
        Feed(detector, Capture("brisk", 1_000_000, 750, at, at.AddMinutes(2), handle: "@star"));

        Assert.Empty(detections);
    }

    [Fact]
    public void LateCapture_OlderThanOneAlreadySeen_IsIgnored()
    {
        var detector = WarmDetector(out var at);
        Feed(detector, Capture("item", 2_000, 50, at, at.AddMinutes(30)));

        var appended = detector.Observe(Capture("item", 2_000, 5_000, at, at.AddMinutes(20)), detections);

        Assert.Equal(0, appended);
        Assert.Empty(detections);
    }

    [Fact]
    public void Model_LearnsTheWorkspacesOwnLevel()
    {
        var detector = new ViralItemDetector(clock);
        var cold = detector.ExpectedPacePerHour(Workspace, Platform.X, MentionKind.Post, 10_000);

        // A workspace whose authors get ten times the prior's replies and shares.
        var random = new Random(3);
        for (var i = 0; i < 3_000; i++)
        {
            var followers = (long)Math.Pow(10, 1 + (random.NextDouble() * 5));
            var at = Start.AddSeconds(i * 10);
            Feed(detector, Capture($"n{i}", followers, (long)(followers * 0.05 * Math.Pow(10, Gaussian(random) * 0.3)), at.AddMinutes(-30), at));
        }

        var warm = detector.ExpectedPacePerHour(Workspace, Platform.X, MentionKind.Post, 10_000);
        Assert.InRange(cold, 8, 11); // the prior: 0.006 × 10,000^0.8
        Assert.InRange(warm, 300, 800);
    }

    [Fact]
    public void Detections_DependOnlyOnThePast()
    {
        var random = new Random(11);
        var stream = new List<ItemObservation>();
        for (var i = 0; i < 4_000; i++)
        {
            var followers = (long)Math.Pow(10, 1 + (random.NextDouble() * 5));
            var at = Start.AddSeconds(i * 15);
            var boost = random.NextDouble() < 0.01 ? 300 : 1;
            var item = $"p{random.Next(1_500)}";
            stream.Add(Capture(item, followers, (long)(followers * 0.005 * boost * Math.Pow(10, Gaussian(random) * 0.3)), at.AddMinutes(-random.Next(60)), at, id: i));
        }

        var whole = Run(stream);
        var prefix = Run(stream[..2_500]);

        Assert.NotEmpty(prefix);
        Assert.Equal(prefix, whole.Take(prefix.Count));
        Assert.All(whole.Skip(prefix.Count), line => Assert.True(int.Parse(line.Split('|')[0], System.Globalization.CultureInfo.InvariantCulture) >= 2_500));
    }

    [Fact]
    public void WarmFeeding_DoesNotAllocate()
    {
        var detector = new ViralItemDetector(clock, new ViralItemOptions { MaxItemsPerWorkspace = 1_000 });
        var random = new Random(13);
        var stream = new List<ItemObservation>();
        for (var i = 0; i < 12_000; i++)
        {
            // New items and re-captures of recent ones, on two platforms, posts and replies; a full table evicts.
            var followers = (long)Math.Pow(10, 1 + (random.NextDouble() * 5));
            var at = Start.AddSeconds(i * 5);
            var item = Capture($"i{(i % 3 == 0 ? i - 30 : i)}", followers, 10 + (long)(followers * 0.002), at.AddMinutes(-40), at, id: i);
            stream.Add(item with { Platform = i % 2 == 0 ? Platform.X : Platform.Reddit, Kind = i % 5 == 0 ? MentionKind.Reply : MentionKind.Post });
        }

        for (var i = 0; i < 6_000; i++)
        {
            detector.Observe(stream[i], detections);
        }

        // Measured in three chunks: the runtime may still promote the hot path to optimised code during the first
        // (a one-off, a few hundred bytes, seen once on CI); steady feeding — the last chunk — must allocate nothing.
        var chunks = new long[3];
        for (var chunk = 0; chunk < chunks.Length; chunk++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 6_000 + (chunk * 2_000); i < 8_000 + (chunk * 2_000); i++)
            {
                detector.Observe(stream[i], detections);
            }

            chunks[chunk] = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Assert.Empty(detections);
        Assert.Equal(1_000, detector.TrackedItemCount(Workspace));
        Assert.True(chunks[^1] == 0, "bytes allocated per chunk: " + string.Join(", ", chunks));
    }

    [Fact]
    public void Options_WithBadSteps_AreRefused()
    {
        Assert.Throws<ArgumentException>(() => new ViralItemDetector(clock, new ViralItemOptions { SeverityZ = [3, 4, 5] }));
        Assert.Throws<ArgumentException>(() => new ViralItemDetector(clock, new ViralItemOptions { SeverityRatios = [10, 30, 20, 300] }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ViralItemDetector(clock, new ViralItemOptions { SeverityRatios = [0.5, 30, 100, 300] }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ViralItemDetector(clock, new ViralItemOptions { MaxItemsPerWorkspace = 0 }));
    }

    private List<string> Run(List<ItemObservation> stream)
    {
        var runClock = new FixedClock(Start);
        var detector = new ViralItemDetector(runClock);
        var output = new List<Finding>();
        var lines = new List<string>();
        for (var i = 0; i < stream.Count; i++)
        {
            runClock.Now = stream[i].CapturedAt;
            output.Clear();
            detector.Observe(stream[i], output);
            lines.AddRange(output.Select(d => $"{i}|{d.TopicId}|{d.Dimension}|{d.Severity}|{d.Score:R}|{d.Observed:R}|{d.Expected:R}|{d.DetectedAt:O}|{d.Explanation}"));
        }

        return lines;
    }

    /// <summary>A detector that has seen 2,000 ordinary items: pace ≈ 0.005·followers per hour, ±0.3 decades.</summary>
    private ViralItemDetector WarmDetector(out DateTimeOffset next)
    {
        var detector = new ViralItemDetector(clock);
        var random = new Random(5);
        for (var i = 0; i < 2_000; i++)
        {
            var followers = (long)Math.Pow(10, 1 + (random.NextDouble() * 5.5));
            var at = Start.AddSeconds(i * 20);
            // Clipped at 2.5 sigma: by construction nothing in this stream is extreme.
            var interactions = (long)(followers * 0.005 * Math.Pow(10, Math.Clamp(Gaussian(random), -2.5, 2.5) * 0.3));
            Feed(detector, Capture($"n{i}", followers, interactions, at.AddMinutes(-random.Next(5, 50)), at));
        }

        Assert.Empty(detections);
        next = Start.AddSeconds(2_000 * 20);
        clock.Now = next;
        return detector;
    }

    private void Feed(ViralItemDetector detector, ItemObservation observation, long? id = null)
    {
        clock.Now = observation.CapturedAt;
        detector.Observe(id is { } given ? observation with { MentionId = given } : observation, detections);
    }

    private ItemObservation Capture(string externalId, long followers, long interactions, DateTimeOffset created, DateTimeOffset captured, string handle = "someone", long[]? topics = null, long? id = null)
    {
        // Replies and shares in the proportions real posts show; likes and views are ignored by the detector.
        var shares = interactions * 2 / 3;
        var mentionId = id ?? (externalId switch { "viral" => 1, _ => nextId++ });
        return new ItemObservation(Workspace, topics ?? [], mentionId, Platform.X, externalId, MentionKind.Post, handle, followers,
            new Engagement(interactions * 3, shares, interactions - shares, followers * 2), created, captured);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
