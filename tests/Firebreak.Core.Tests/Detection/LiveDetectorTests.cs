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

    private LiveDetector NewDetector() => new(clock, new TopicSeriesMonitor(clock), new ViralItemDetector(clock), new EmergingTermDetector(clock));

    private static Mention Mention(long id, DateTimeOffset createdAt, long followers = 100, long shares = 0, long replies = 0, DateTimeOffset? capturedAt = null) => new()
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
        Analysis = new MentionAnalysis { Sentiment = Sentiment.Negative },
    };

    private sealed class LiveClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
