using System.Globalization;
using Firebreak.Core.Detection;
using Firebreak.Core.Detection.Terms;
using Firebreak.Core.Tests.Ingestion;
using Firebreak.Core.Text;

// This namespace is called Detection too, which hides the record's simple name.
using Finding = Firebreak.Core.Detection.Detection;

namespace Firebreak.Core.Tests.Detection;

public sealed class EmergingTermDetectorTests
{
    private const long Workspace = 3;
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(20);

    public static TheoryData<string, string, string> Scripts => new()
    {
        { "en", "#BoycottAcme", " " },
        { "ar", "#مقاطعة_أكمي", " " },
        { "ja", "#アクメ炎上", string.Empty },
    };

    [Theory]
    [MemberData(nameof(Scripts))]
    public void NewHashtagBurst_FiresOncePerEpisode(string language, string tag, string separator)
    {
        var words = Words(language);
        var stream = new TermStream()
            .Background(words, separator, TimeSpan.Zero, TimeSpan.FromHours(18), Every, seed: 1)
            .Burst(tag + " " + words[0], TimeSpan.FromHours(12), TimeSpan.FromMinutes(30), 150)
            .Burst(tag + " " + words[0], TimeSpan.FromHours(16), TimeSpan.FromMinutes(30), 150)
            .Build(Workspace, [5]);

        var detections = Run(new EmergingTermDetector(new FixedClock(TermStream.Start)), stream);

        // Nothing at all before the burst: everyday talk in this script is quiet.
        Assert.DoesNotContain(detections, d => d.BucketStart < TermStream.Start.AddHours(12));
        var term = TextFolder.Fold(tag);
        var mine = detections.Where(d => d.Dimension == term && d.TopicId == 0).ToList();
        var episodes = Episodes(mine);
        Assert.Equal(2, episodes.Count);
        Assert.InRange(episodes[0][0].BucketStart, TermStream.Start.AddHours(12), TermStream.Start.AddHours(12.5));
        Assert.InRange(episodes[1][0].BucketStart, TermStream.Start.AddHours(16), TermStream.Start.AddHours(16.5));
        foreach (var episode in episodes)
        {
            // Within an episode a term is reported again only when it gets worse.
            for (var i = 1; i < episode.Count; i++)
            {
                Assert.True(episode[i].Severity > episode[i - 1].Severity, string.Join(", ", episode.Select(d => d.Severity)));
            }
        }

        var first = mine[0];
        Assert.Equal(DetectionSignal.EmergingTerm, first.Signal);
        Assert.StartsWith(term + ": 10 mentions since 12:00 UTC, usually ", first.Explanation);
        Assert.Contains(" per 10 min", first.Explanation);
        Assert.Equal(10, first.Observed);
        Assert.True(first.Expected < 10 / 3.0);
        Assert.InRange(first.Score, 0.5, 1.0);
        Assert.Contains(term, first.TopTerms);
        Assert.NotEmpty(first.SampleMentionIds);

        // The topic the mentions matched gets the same episodes as the whole stream.
        Assert.Equal(mine.Count, detections.Count(d => d.Dimension == term && d.TopicId == 5));
    }

    [Fact]
    public void JapaneseWord_WithoutSpaces_FiresAsCharacterPair()
    {
        var stream = new TermStream()
            .Background(TermStream.Japanese, string.Empty, TimeSpan.Zero, TimeSpan.FromHours(14), Every, seed: 2)
            .Burst("アクメが炎上", TimeSpan.FromHours(12), TimeSpan.FromMinutes(20), 120)
            .Build(Workspace, []);

        var detections = Run(new EmergingTermDetector(new FixedClock(TermStream.Start)), stream);

        var burst = Assert.Single(Episodes(detections.Where(d => d.Dimension == "炎上").ToList()));
        Assert.StartsWith("炎上: 20 mentions since 12:00 UTC", burst[0].Explanation);
        Assert.All(detections, d => Assert.True(d.Dimension.Length >= 2, d.Dimension));
        Assert.DoesNotContain(detections, d => d.BucketStart < TermStream.Start.AddHours(12));
    }

    [Fact]
    public void SteadyTerms_ThroughAVolumeSurge_DoNotFire()
    {
        // Four times the volume from noon: every term rises with it, none is over-represented.
        var stream = new TermStream()
            .Background(TermStream.English, " ", TimeSpan.Zero, TimeSpan.FromHours(12), Every, seed: 3)
            .Background(TermStream.English, " ", TimeSpan.FromHours(12), TimeSpan.FromHours(24), Every / 4, seed: 4)
            .Build(Workspace, [2]);

        var detections = Run(new EmergingTermDetector(new FixedClock(TermStream.Start)), stream);

        Assert.Empty(detections);
    }

    [Fact]
    public void ColdStart_IsQuiet()
    {
        // The stream starts abruptly with a hashtag in a third of the mentions: new to the detector, not a burst.
        var stream = new TermStream()
            .Background(TermStream.English, " ", TimeSpan.Zero, TimeSpan.FromHours(3), Every, seed: 5)
            .Burst("#acmeair lounge", TimeSpan.Zero, TimeSpan.FromHours(3), 270)
            .Build(Workspace, []);
        var detector = new EmergingTermDetector(new FixedClock(TermStream.Start));

        var detections = Run(detector, stream);

        Assert.Empty(detections);
        Assert.True(detector.TrackedTermCount(Workspace, 0) > 0);
    }

    [Fact]
    public void TopTerms_RanksTheBurstFirst()
    {
        var stream = new TermStream()
            .Background(TermStream.English, " ", TimeSpan.Zero, TimeSpan.FromHours(13), Every, seed: 6)
            .Burst("#boycottacme refund", TimeSpan.FromHours(12), TimeSpan.FromMinutes(30), 90)
            .Build(Workspace, [8]);
        var detector = new EmergingTermDetector(new FixedClock(TermStream.Start));
        var beforeBurst = stream.FindIndex(o => o.CreatedAt >= TermStream.Start.AddHours(12));
        var inBurst = stream.FindIndex(o => o.CreatedAt >= TermStream.Start.AddHours(12.25));

        Run(detector, stream[..beforeBurst]);
        var before = detector.TopTerms(Workspace, 8, 3);
        Run(detector, stream[beforeBurst..inBurst]);

        Assert.DoesNotContain("#boycottacme", before);
        Assert.Equal("#boycottacme", detector.TopTerms(Workspace, 0, 3)[0]);
        Assert.Equal("#boycottacme", detector.TopTerms(Workspace, 8, 3)[0]);
        Assert.Contains("refund", detector.TopTerms(Workspace, 8, 3));
        Assert.Empty(detector.TopTerms(Workspace, 99, 3));
        Assert.Empty(detector.TopTerms(Workspace, 8, 0));
    }

    [Fact]
    public void Memory_StaysBounded_AfterAMillionDistinctTerms()
    {
        var detector = new EmergingTermDetector(new FixedClock(TermStream.Start));
        var cap = detector.Options.MaxTermsPerTopic;
        var random = new Random(7);
        var text = new char[10 * 9];
        var detections = new List<Finding>();
        for (var i = 0; i < 100_000; i++)
        {
            // Ten fresh random words per mention: 1,000,000 distinct terms in all.
            for (var w = 0; w < 10; w++)
            {
                for (var c = 0; c < 8; c++)
                {
                    text[(w * 9) + c] = (char)('a' + random.Next(26));
                }

                text[(w * 9) + 8] = ' ';
            }

            var at = TermStream.Start.AddSeconds(i);
            detector.Observe(new TermObservation(Workspace, [3], i + 1, new string(text), at, at), detections);
            if (i % 10_000 == 0)
            {
                Assert.InRange(detector.TrackedTermCount(Workspace, 0), 1, cap);
            }
        }

        Assert.Empty(detections);
        Assert.Equal(cap, detector.TrackedTermCount(Workspace, 0));
        Assert.Equal(cap, detector.TrackedTermCount(Workspace, 3));

        // After all that churn the table still finds terms: a real burst amid the noise is seen, once.
        for (var i = 0; i < 600; i++)
        {
            var at = TermStream.Start.AddSeconds(100_000 + i);
            var body = i % 4 == 0 ? "#newstorm " + i.ToString(CultureInfo.InvariantCulture) : "noise" + (char)('a' + (i % 26)) + " words" + (char)('a' + (i / 26 % 26));
            detector.Observe(new TermObservation(Workspace, [3], 200_000 + i, body, at, at), detections);
        }

        Assert.Single(Episodes(detections.Where(d => d.Dimension == "#newstorm" && d.TopicId == 0).ToList()));
        Assert.True(detector.TrackedTermCount(Workspace, 0) <= cap);
    }

    [Fact]
    public void Detections_DependOnlyOnThePast()
    {
        var stream = new TermStream()
            .Background(TermStream.English, " ", TimeSpan.Zero, TimeSpan.FromHours(14), Every, seed: 8)
            .Burst("#boycottacme refund", TimeSpan.FromHours(12), TimeSpan.FromMinutes(30), 150)
            .Burst("#walkout crew", TimeSpan.FromHours(12.2), TimeSpan.FromMinutes(40), 120)
            .Build(Workspace, [4]);
        var cut = stream.FindIndex(o => o.CreatedAt >= TermStream.Start.AddHours(12.35));

        var (whole, topAtCut) = Lines(stream, cut);
        var (prefix, topAtEnd) = Lines(stream[..cut], cut);

        Assert.NotEmpty(prefix);
        Assert.Equal(prefix, whole.Take(prefix.Count));
        Assert.All(whole.Skip(prefix.Count), line => Assert.True(int.Parse(line.Split('|')[0], CultureInfo.InvariantCulture) >= cut));
        Assert.Equal(topAtEnd, topAtCut);
    }

    [Fact]
    public void UrlsHandlesAndNumbers_AreNotTerms()
    {
        var stream = new TermStream()
            .Background(TermStream.English, " ", TimeSpan.Zero, TimeSpan.FromHours(13), Every, seed: 9)
            .Burst("@acme_help https://t.co/Xy7Qa9zz?ref=#promo www.acme-deals.example/win 2025 404 ok", TimeSpan.FromHours(12), TimeSpan.FromMinutes(20), 120)
            .Build(Workspace, []);

        var detections = Run(new EmergingTermDetector(new FixedClock(TermStream.Start)), stream);

        Assert.Empty(detections);
    }

    [Fact]
    public void MentionsFarBehindTheNewest_AreNotCounted()
    {
        var stream = new TermStream()
            .Background(TermStream.English, " ", TimeSpan.Zero, TimeSpan.FromHours(13), Every, seed: 10)
            .Build(Workspace, []);
        var detector = new EmergingTermDetector(new FixedClock(TermStream.Start));
        Run(detector, stream);
        var newest = stream[^1].CreatedAt;
        var detections = new List<Finding>();

        for (var i = 0; i < 60; i++)
        {
            detector.Observe(new TermObservation(Workspace, [], 90_000 + i, "#backfill", newest.AddHours(-2), newest), detections);
        }

        Assert.Empty(detections);
        for (var i = 0; i < 60; i++)
        {
            detector.Observe(new TermObservation(Workspace, [], 91_000 + i, "#late", newest.AddMinutes(-30), newest), detections);
        }

        Assert.Contains(detections, d => d.Dimension == "#late");
    }

    [Fact]
    public void WarmFeeding_DoesNotAllocate()
    {
        var stream = new TermStream()
            .Background(TermStream.English, " ", TimeSpan.Zero, TimeSpan.FromHours(12), Every, seed: 11)
            .Background(TermStream.Arabic, " ", TimeSpan.Zero, TimeSpan.FromHours(12), Every, seed: 12)
            .Background(TermStream.Japanese, string.Empty, TimeSpan.Zero, TimeSpan.FromHours(12), Every, seed: 13)
            .Build(Workspace, [1, 2]);
        var detector = new EmergingTermDetector(new FixedClock(TermStream.Start));
        var detections = new List<Finding>();
        var warm = stream.Count / 2;
        for (var i = 0; i < warm; i++)
        {
            detector.Observe(stream[i], detections);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = warm; i < stream.Count; i++)
        {
            detector.Observe(stream[i], detections);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Empty(detections);
        Assert.Equal(0, allocated);
    }

    private static string[] Words(string language) => language switch
    {
        "ar" => TermStream.Arabic,
        "ja" => TermStream.Japanese,
        _ => TermStream.English,
    };

    private static List<Finding> Run(EmergingTermDetector detector, List<TermObservation> stream)
    {
        var detections = new List<Finding>();
        foreach (var observation in stream)
        {
            detector.Observe(observation, detections);
        }

        return detections;
    }

    /// <summary>Detections of one term split where more buckets than an episode's quiet tail pass between them.</summary>
    private static List<List<Finding>> Episodes(List<Finding> detections)
    {
        var episodes = new List<List<Finding>>();
        foreach (var detection in detections)
        {
            if (episodes.Count == 0 || detection.BucketStart - episodes[^1][^1].BucketStart > TimeSpan.FromMinutes(40))
            {
                episodes.Add([]);
            }

            episodes[^1].Add(detection);
        }

        return episodes;
    }

    /// <summary>Every detection as a line prefixed with the index of the mention that revealed it, and TopTerms after mention <paramref name="at"/>-1.</summary>
    private static (List<string> Lines, string TopTerms) Lines(List<TermObservation> stream, int at)
    {
        var clock = new FixedClock(TermStream.Start);
        var detector = new EmergingTermDetector(clock);
        var output = new List<Finding>();
        var lines = new List<string>();
        var top = string.Empty;
        for (var i = 0; i < stream.Count; i++)
        {
            clock.Now = stream[i].CapturedAt;
            output.Clear();
            detector.Observe(stream[i], output);
            lines.AddRange(output.Select(d => string.Join('|', i, d.TopicId, d.Dimension, d.Severity, d.BucketStart.ToString("O"), d.DetectedAt.ToString("O"),
                d.Score.ToString("R"), d.Observed.ToString("R"), d.Expected.ToString("R"), d.Explanation, string.Join(',', d.TopTerms), string.Join(',', d.SampleMentionIds))));
            if (i == at - 1)
            {
                top = string.Join(',', detector.TopTerms(Workspace, 4, 5));
            }
        }

        return (lines, top);
    }
}
