namespace Firebreak.Cluster.Tests;

using System.Buffers;
using System.Text;
using Firebreak.Core.Mentions;
using Firebreak.Messaging;
using Firebreak.Messaging.RabbitMq;

public sealed class CodecTests
{
    private static readonly DateTimeOffset T = new(2025, 3, 3, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Mentions_round_trip_with_hostile_text_intact()
    {
        string[] texts = ["مرحبا بالعالم 👋 <script>alert(1)</script>", "Z̸̢̛a̷l̶g̴o̵ \"quoted\" \\ back", "日本語のテキスト\u200F", new string('x', 100_000)];
        var mentions = texts.Select((t, i) => Make(i.ToString(System.Globalization.CultureInfo.InvariantCulture), t)).ToList();
        mentions[0] = Make("0", texts[0], url: "https://x.com/a/status/1", parent: "p", raw: "{\"a\":1}", source: 7);

        var buffer = new ArrayBufferWriter<byte>();
        IngestMessageCodec.Encode(42, mentions, buffer);
        var (workspace, decoded) = IngestMessageCodec.Decode(buffer.WrittenSpan);

        Assert.Equal(42, workspace);
        Assert.Equal(mentions.Count, decoded.Count);
        for (var i = 0; i < mentions.Count; i++)
        {
            Assert.Equal(StableHash.Of(mentions[i]), StableHash.Of(decoded[i]));
            Assert.Equal(mentions[i].Text, decoded[i].Text);
            Assert.Equal(mentions[i].CapturedAt, decoded[i].CapturedAt);
            Assert.Equal(mentions[i].RawPayload, decoded[i].RawPayload);
            Assert.Equal(mentions[i].SourceId, decoded[i].SourceId);
            Assert.Equal(42, decoded[i].WorkspaceId);
        }
    }

    [Theory]
    [InlineData("", "malformed")]
    [InlineData("not json", "malformed")]
    [InlineData("{\"v\":1,\"workspace\":1,\"mentions\":[{\"platform\":\"x\",", "malformed")]
    [InlineData("{\"v\":2,\"workspace\":1,\"mentions\":[]}", "version 2")]
    [InlineData("{\"v\":1,\"mentions\":[]}", "'workspace' must come before")]
    [InlineData("{\"v\":1,\"workspace\":1,\"mentions\":[{\"platform\":\"myspace\",\"externalId\":\"1\",\"kind\":\"post\",\"handle\":\"a\",\"text\":\"t\"}]}", "mentions[0].platform")]
    [InlineData("{\"v\":1,\"workspace\":1,\"mentions\":[{\"platform\":\"x\",\"kind\":\"post\",\"handle\":\"a\",\"text\":\"t\"}]}", "mentions[0].externalId")]
    public void Bad_messages_fail_with_what_and_where(string body, string expected)
    {
        var error = Assert.Throws<IngestMessageException>(() => IngestMessageCodec.Decode(Encoding.UTF8.GetBytes(body)));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_version_of_a_post_goes_to_the_same_partition_and_partitions_spread()
    {
        var counts = new int[16];
        for (var i = 0; i < 16_000; i++)
        {
            var id = "post-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var p = IngestPartitioner.PartitionOf(1, Platform.X, id, 16);
            Assert.Equal(p, IngestPartitioner.PartitionOf(1, Platform.X, id, 16));
            counts[p]++;
        }

        // Roughly even: every partition within ±15% of the mean of 1,000.
        Assert.All(counts, c => Assert.InRange(c, 850, 1150));
        Assert.NotEqual(IngestPartitioner.PartitionOf(1, Platform.X, "a", 1 << 20), IngestPartitioner.PartitionOf(2, Platform.X, "a", 1 << 20));
    }

    [Theory]
    [InlineData(1, 16)]
    [InlineData(2, 16)]
    [InlineData(3, 16)]
    [InlineData(5, 4)]
    public void Partitions_are_shared_out_exactly_once(int members, int partitions)
    {
        var all = Enumerable.Range(0, members).SelectMany(r => PartitionAssignment.For(r, members, partitions)).ToList();
        Assert.Equal(Enumerable.Range(0, partitions), all.Order());
    }

    [Fact]
    public void A_worker_outside_the_membership_list_takes_every_partition()
    {
        Assert.Equal(Enumerable.Range(0, 8), PartitionAssignment.For(0, 0, 8));
    }

    internal static Mention Make(string id, string text, string? url = null, string? parent = null, string? raw = null, long? source = null) => new()
    {
        WorkspaceId = 1,
        SourceId = source,
        Platform = Platform.X,
        ExternalId = id,
        Kind = MentionKind.Post,
        Author = new MentionAuthor("@someone", "Some One", 1234, true),
        Text = text,
        Language = "en",
        Url = url,
        CreatedAt = T,
        CapturedAt = T.AddMinutes(1),
        Engagement = new Engagement(1, 2, 3, 4),
        ParentExternalId = parent,
        RawPayload = raw,
    };
}

public sealed class DetectionFeedCodecTests
{
    [Fact]
    public void Stored_mentions_round_trip_with_id_sentiment_topics_and_outcome()
    {
        var at = new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);
        Firebreak.Core.Mentions.Mention Stored(long id, string text, Firebreak.Core.Mentions.Sentiment sentiment) => new()
        {
            Id = id,
            WorkspaceId = 3,
            Platform = Firebreak.Core.Mentions.Platform.X,
            ExternalId = "e" + id,
            Kind = Firebreak.Core.Mentions.MentionKind.Post,
            Author = new Firebreak.Core.Mentions.MentionAuthor("@a", null, 12, false),
            Text = text,
            CreatedAt = at,
            CapturedAt = at,
            Analysis = new Firebreak.Core.Mentions.MentionAnalysis { Sentiment = sentiment },
        };
        var items = new List<Firebreak.Core.Ingestion.IngestItem>
        {
            new() { Mention = Stored(10, "refund now", Firebreak.Core.Mentions.Sentiment.Negative), TopicIds = [4, 5], Outcome = Firebreak.Core.Ingestion.IngestOutcome.Inserted },
            new() { Mention = Stored(11, "same as before", Firebreak.Core.Mentions.Sentiment.Neutral), Outcome = Firebreak.Core.Ingestion.IngestOutcome.Unchanged },
            new() { Mention = Stored(12, "مرحبا 👋", Firebreak.Core.Mentions.Sentiment.Positive), TopicIds = [5], Outcome = Firebreak.Core.Ingestion.IngestOutcome.Updated },
        };

        var (workspace, live) = Firebreak.Messaging.DetectionFeedCodec.Decode(Firebreak.Messaging.DetectionFeedCodec.Encode(3, items));

        Assert.Equal(3, workspace);
        Assert.Equal([10L, 12L], live.Select(l => l.Mention.Id));
        Assert.Equal(Firebreak.Core.Mentions.Sentiment.Negative, live[0].Mention.Analysis.Sentiment);
        Assert.Equal([4L, 5L], live[0].TopicIds);
        Assert.Equal(Firebreak.Core.Ingestion.IngestOutcome.Updated, live[1].Outcome);
        Assert.Equal("مرحبا 👋", live[1].Mention.Text);
        Assert.Null(Firebreak.Messaging.DetectionFeedCodec.Encode(3, [items[1]]));
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 0, 0, 0, 200, 1, 2 })]
    [InlineData(new byte[] { 0, 0, 0, 2, (byte)'{', (byte)'}', (byte)'x' })]
    public void A_message_that_is_not_a_feed_is_refused_with_a_reason(byte[] body) =>
        Assert.Throws<Firebreak.Messaging.IngestMessageException>(() => Firebreak.Messaging.DetectionFeedCodec.Decode(body));
}
