using Firebreak.Core.Mentions;
using Firebreak.Core.Topics;
using Firebreak.Core.Topics.Query;

namespace Firebreak.Storage.Tests;

public abstract class MentionReaderTests(ReaderData data)
{
    private static readonly DateTimeOffset T = ReaderData.T;

    [StoreTheory]
    [InlineData("none", "r10 r9 r8 r7 r6 r5 r4 r3 r2 r1")]
    [InlineData("topic refunds", "r7 r3 r1")]
    [InlineData("topic x", "r10 r8 r3 r1")]
    [InlineData("topic refunds from/to", "r3")]
    [InlineData("from/to", "r6 r5 r4 r3")]
    [InlineData("from only", "r10 r9 r8")]
    [InlineData("sentiment negative", "r1")]
    [InlineData("sentiment positive", "r9 r2")]
    [InlineData("sentiment neutral", "r4")]
    [InlineData("sentiment unknown", "r10 r8 r7 r6 r5 r3")]
    [InlineData("lang fr", "r3")]
    [InlineData("lang und", "r10")]
    [InlineData("platform tiktok", "r2")]
    [InlineData("platform x", "r10 r8 r3 r1")]
    [InlineData("kind review", "r9")]
    [InlineData("kind news", "r7")]
    [InlineData("kind reply", "r2")]
    [InlineData("author alice", "r4 r1")]
    [InlineData("author ALICE", "r4 r1")]
    [InlineData("author @Alice", "r4 r1")]
    [InlineData("author nobody", "")]
    [InlineData("lang en + platform x", "r8 r1")]
    public async Task ListAsync_Filter_ReturnsMatchesNewestFirst(string filter, string expected)
    {
        var f = filter switch
        {
            "none" => new MentionFilter(),
            "topic refunds" => new MentionFilter { TopicId = data.RefundTopic },
            "topic x" => new MentionFilter { TopicId = data.XTopic },
            "topic refunds from/to" => new MentionFilter { TopicId = data.RefundTopic, From = T.AddMinutes(10), To = T.AddMinutes(30) },
            "from/to" => new MentionFilter { From = T.AddMinutes(10), To = T.AddMinutes(30) },
            "from only" => new MentionFilter { From = T.AddMinutes(35) },
            "sentiment negative" => new MentionFilter { Sentiment = Sentiment.Negative },
            "sentiment positive" => new MentionFilter { Sentiment = Sentiment.Positive },
            "sentiment neutral" => new MentionFilter { Sentiment = Sentiment.Neutral },
            "sentiment unknown" => new MentionFilter { Sentiment = Sentiment.Unknown },
            "lang fr" => new MentionFilter { Language = "fr" },
            "lang und" => new MentionFilter { Language = "und" },
            "platform tiktok" => new MentionFilter { Platform = Platform.TikTok },
            "platform x" => new MentionFilter { Platform = Platform.X },
            "kind review" => new MentionFilter { Kind = MentionKind.Review },
            "kind news" => new MentionFilter { Kind = MentionKind.NewsArticle },
            "kind reply" => new MentionFilter { Kind = MentionKind.Reply },
            "author alice" => new MentionFilter { Author = "alice" },
            "author ALICE" => new MentionFilter { Author = "ALICE" },
            "author @Alice" => new MentionFilter { Author = "@Alice" },
            "author nobody" => new MentionFilter { Author = "nobody" },
            "lang en + platform x" => new MentionFilter { Language = "en", Platform = Platform.X },
            _ => throw new ArgumentOutOfRangeException(nameof(filter)),
        };

        Assert.Equal(expected, await ListAsync(f));
    }

    [StoreTheory]
    [InlineData("refund", "r7 r1")]
    [InlineData("REFUND", "r7 r1")]
    [InlineData("refund*", "r7 r1")]
    [InlineData("\"late flight\"", "r8 r2")]
    [InlineData("late flight", "r8 r4 r2")]
    [InlineData("#boycott", "r8 r2")]
    [InlineData("boycott", "r8 r7 r2")]
    [InlineData("-refund", "r10 r9 r8 r6 r5 r4 r3 r2")]
    [InlineData("NOT flight", "r10 r9 r7 r6 r5 r3 r1")]
    [InlineData("lang:fr", "r3")]
    [InlineData("crew -great", "r4")]
    [InlineData("late NEAR/1 flight", "r8 r4 r2")]
    [InlineData("refund OR remboursement", "r7 r3 r1")]
    [InlineData("مطار", "r5")]
    [InlineData("استرداد", "r5")]
    [InlineData("東京", "r6")]
    [InlineData("タワー", "r6")]
    [InlineData("京東", "")]
    [InlineData("大阪", "")]
    [InlineData("airline", "r7")]
    [InlineData("other", "")]
    public async Task ListAsync_TextQuery_MeansWhatATopicWouldMatch(string query, string expected)
    {
        Assert.Equal(expected, await ListAsync(new MentionFilter { Text = query }));
        Assert.Equal(expected, await StreamAsync(new MentionFilter { Text = query }));
    }

    [StoreTheory]
    [InlineData("-refund")]
    [InlineData("NOT flight")]
    [InlineData("lang:fr")]
    public void TextQuery_WithoutPrefilter_TakesTheScanPath(string query)
    {
        // Guards the tests above: these queries must reach the reader without an FTS prefilter.
        Assert.Null(Fts5Translator.TryTranslate(QueryParser.Parse(query).Query!));
    }

    [StoreFact]
    public async Task ListAsync_InvalidQuery_ThrowsSyntaxError()
    {
        await Assert.ThrowsAsync<QuerySyntaxException>(() =>
            data.Store.Reader.ListAsync(data.Workspace, new MentionFilter { Text = "refund AND" }, null, 10, CancellationToken.None));
    }

    [StoreFact]
    public async Task StreamAsync_NoFilter_YieldsAllOfTheWorkspaceOnly()
    {
        Assert.Equal("r10 r9 r8 r7 r6 r5 r4 r3 r2 r1", await StreamAsync(new MentionFilter()));
    }

    [StoreFact]
    public async Task GetAsync_OwnWorkspace_RoundTripsEveryField()
    {
        var mention = await data.Store.Reader.GetAsync(data.Workspace, data.Ids["r5"], CancellationToken.None);

        Assert.NotNull(mention);
        Assert.Equal(data.Ids["r5"], mention.Id);
        Assert.Equal(data.Workspace, mention.WorkspaceId);
        Assert.Equal((Platform.Facebook, "r5", MentionKind.Post), (mention.Platform, mention.ExternalId, mention.Kind));
        Assert.Equal(new MentionAuthor("dina", "DINA", 100, false), mention.Author);
        Assert.Equal("أين استرداد أموالي؟ الرحلة متأخرة في مطار دبي", mention.Text);
        Assert.Equal("ar", mention.Language);
        Assert.Equal("https://example.com/facebook/r5", mention.Url);
        Assert.Equal(T.AddMinutes(20), mention.CreatedAt);
        Assert.Equal(TestStore.Now, mention.CapturedAt);
        Assert.Equal(Sentiment.Unknown, mention.Analysis.Sentiment);
    }

    [StoreFact]
    public async Task GetAsync_AnalysedMention_RoundTripsAnalysis()
    {
        var mention = await data.Store.Reader.GetAsync(data.Workspace, data.Ids["r1"], CancellationToken.None);

        Assert.Equal(Sentiment.Negative, mention!.Analysis.Sentiment);
        Assert.Equal("keywords-test", mention.Analysis.Analyser);
        Assert.Equal(0.9, mention.Analysis.SentimentConfidence);
    }

    [StoreFact]
    public async Task GetAsync_OtherWorkspacesId_ReturnsNull()
    {
        Assert.Null(await data.Store.Reader.GetAsync(data.Workspace, data.Ids["o1"], CancellationToken.None));
        Assert.Null(await data.Store.Reader.GetAsync(data.OtherWorkspace, data.Ids["r1"], CancellationToken.None));
        Assert.Null(await data.Store.Reader.GetAsync(data.Workspace, 999_999, CancellationToken.None));
        Assert.NotNull(await data.Store.Reader.GetAsync(data.OtherWorkspace, data.Ids["o1"], CancellationToken.None));
    }

    [StoreFact]
    public async Task ListAsync_OtherWorkspace_SeesOnlyItsOwn()
    {
        var page = await data.Store.Reader.ListAsync(data.OtherWorkspace, new MentionFilter { Text = "refund" }, null, 10, CancellationToken.None);

        Assert.Equal(["o1"], page.Items.Select(m => m.ExternalId));
        Assert.Empty((await data.Store.Reader.ListAsync(data.OtherWorkspace, new MentionFilter { TopicId = data.RefundTopic }, null, 10, CancellationToken.None)).Items);
    }

    [StoreFact]
    public async Task CountAndRecent_Workspace_MatchTheRows()
    {
        Assert.Equal(10, await data.Store.Reader.CountAsync(data.Workspace, CancellationToken.None));
        Assert.Equal(1, await data.Store.Reader.CountAsync(data.OtherWorkspace, CancellationToken.None));
        var recent = await data.Store.Reader.RecentAsync(data.Workspace, 3, CancellationToken.None);
        Assert.Equal(["r10", "r9", "r8"], recent.Select(m => m.ExternalId));
    }

    private async Task<string> ListAsync(MentionFilter filter)
    {
        var page = await data.Store.Reader.ListAsync(data.Workspace, filter, null, 50, CancellationToken.None);
        Assert.Null(page.NextCursor);
        return string.Join(' ', page.Items.Select(m => m.ExternalId));
    }

    private async Task<string> StreamAsync(MentionFilter filter)
    {
        var ids = new List<string>();
        await foreach (var mention in data.Store.Reader.StreamAsync(data.Workspace, filter, CancellationToken.None))
        {
            ids.Add(mention.ExternalId);
        }

        return string.Join(' ', ids);
    }
}

public sealed class SqliteMentionReaderTests(SqliteReaderData data) : MentionReaderTests(data), IClassFixture<SqliteReaderData>;

[RequiresPostgres]
public sealed class PostgresMentionReaderTests(PostgresReaderData data) : MentionReaderTests(data), IClassFixture<PostgresReaderData>;
