using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;

namespace Firebreak.Storage.Tests;

public abstract class IdempotencyTests(StoreProvider provider) : IAsyncLifetime
{
    private static readonly DateTimeOffset T = TestStore.Now.AddHours(-2);
    private TestStore store = null!;
    private long workspace;

    public async Task InitializeAsync()
    {
        store = await TestStore.OpenAsync(provider);
        workspace = await store.AddWorkspaceAsync();
        await store.AddTopicAsync(workspace, "refunds", "refund*");
    }

    public async Task DisposeAsync() => await store.DisposeAsync();

    [StoreFact]
    public async Task Ingest_SameBatchTwice_OneRowEachAndSecondReportAllUnchanged()
    {
        MentionInput[] batch =
        [
            Input.Make("1", "where is my refund", T),
            Input.Make("2", "great crew today", T.AddMinutes(1), platform: "tiktok"),
            Input.Make("1", "same external id, other platform", T.AddMinutes(2), platform: "reddit"),
        ];

        var first = await store.IngestAsync(workspace, batch);
        var second = await store.IngestAsync(workspace, batch);

        Assert.Equal((3, 3, 0, 0), (first.Received, first.Inserted, first.Updated, first.Unchanged));
        Assert.Equal((3, 0, 0, 3), (second.Received, second.Inserted, second.Updated, second.Unchanged));
        Assert.Empty(second.Rejected);
        Assert.Equal(3, await store.ScalarAsync("SELECT count(*) FROM mentions"));
        Assert.Equal(0, await store.ScalarAsync("SELECT count(*) FROM mention_versions"));
        Assert.Equal(1, await store.ScalarAsync("SELECT count(*) FROM mention_topics"));
        Assert.Equal(3, await store.ScalarAsync("SELECT sum(count) FROM rollup_hour WHERE topic_id = 0"));
        await RollupAudit.AssertRollupsMatchScanAsync(store, workspace);
    }

    [StoreFact]
    public async Task Ingest_SameKeyTwiceInOneBatch_OneRowLastWins()
    {
        var report = await store.IngestAsync(
            workspace,
            Input.Make("7", "first delivery about a refund", T),
            Input.Make("8", "someone else", T),
            Input.Make("7", "second delivery, great", T.AddMinutes(3), language: "fr"));

        Assert.Equal((3, 2, 0, 1), (report.Received, report.Inserted, report.Updated, report.Unchanged));
        var row = await store.RowsAsync("SELECT text, language, created_at, version, topic_ids FROM mentions WHERE external_id = '7'");
        Assert.Equal(["second delivery, great", "fr", T.AddMinutes(3).ToUnixTimeMilliseconds(), 1L, DBNull.Value], Assert.Single(row));
        Assert.Equal(0, await store.ScalarAsync("SELECT count(*) FROM mention_versions"));
        Assert.Equal(0, await store.ScalarAsync("SELECT count(*) FROM mention_topics"));
        await RollupAudit.AssertRollupsMatchScanAsync(store, workspace);
    }

    [StoreFact]
    public async Task Ingest_RecaptureWithHigherEngagementSameText_UpdatedWithoutVersion()
    {
        var original = Input.Make("42", "my refund is late", T, followers: 10, likes: 1, views: 5);
        await store.IngestAsync(workspace, original);
        store.Clock.Now = TestStore.Now.AddMinutes(30);

        var report = await store.IngestAsync(workspace, original.With(likes: 90, views: 5_000));

        Assert.Equal((1, 0, 1, 0), (report.Received, report.Inserted, report.Updated, report.Unchanged));
        var mention = Assert.Single((await store.Reader.ListAsync(workspace, new MentionFilter(), null, 10, CancellationToken.None)).Items);
        Assert.Equal(new Engagement(90, 0, 0, 5_000), mention.Engagement);
        Assert.Equal(store.Clock.Now, mention.CapturedAt);
        Assert.Empty(await store.Reader.GetVersionsAsync(workspace, mention.Id, CancellationToken.None));
        Assert.Equal(1, await store.ScalarAsync("SELECT version FROM mentions"));
        Assert.Equal(1, await store.ScalarAsync("SELECT count FROM rollup_hour WHERE topic_id = 0"));
        Assert.Equal(5_000, await store.ScalarAsync("SELECT reach FROM rollup_hour WHERE topic_id = 0"));
        await RollupAudit.AssertRollupsMatchScanAsync(store, workspace);
    }

    [StoreFact]
    public async Task Ingest_EditedText_UpdatedKeepsPreviousVersionAndReindexes()
    {
        var original = Input.Make("99", "awful refund policy, cancelled", T, likes: 3);
        await store.IngestAsync(workspace, original);
        var firstCapture = store.Clock.Now;
        store.Clock.Now = TestStore.Now.AddMinutes(5);

        var report = await store.IngestAsync(workspace, original.With(text: "okay they rebooked me, kudos", likes: 7));

        Assert.Equal((1, 0, 1, 0), (report.Received, report.Inserted, report.Updated, report.Unchanged));
        var mention = Assert.Single((await store.Reader.ListAsync(workspace, new MentionFilter(), null, 10, CancellationToken.None)).Items);
        Assert.Equal("okay they rebooked me, kudos", mention.Text);
        Assert.Equal(Sentiment.Neutral, mention.Analysis.Sentiment);
        var version = Assert.Single(await store.Reader.GetVersionsAsync(workspace, mention.Id, CancellationToken.None));
        Assert.Equal(new MentionVersion(1, "awful refund policy, cancelled", firstCapture, new Engagement(3, 0, 0, 0)), version);
        Assert.Equal(2, await store.ScalarAsync("SELECT version FROM mentions"));
        var other = await store.AddWorkspaceAsync("other");
        Assert.Empty(await store.Reader.GetVersionsAsync(other, mention.Id, CancellationToken.None));
        Assert.Equal([mention.Id], await SearchAsync("kudos"));
        Assert.Empty(await SearchAsync("cancelled"));
        Assert.Empty(await SearchAsync("refund*"));
        Assert.Equal(0, await store.ScalarAsync("SELECT count(*) FROM mention_topics"));
        Assert.Equal(0, await store.FullTextCountAsync("cancelled"));
        Assert.Equal(1, await store.FullTextCountAsync("kudos"));
        await RollupAudit.AssertTopicMembershipAsync(store, workspace);
        await RollupAudit.AssertRollupsMatchScanAsync(store, workspace);
    }

    [StoreFact]
    public async Task Ingest_EditedTwice_KeepsEveryPreviousVersionInOrder()
    {
        var original = Input.Make("5", "version one", T);
        await store.IngestAsync(workspace, original);
        await store.IngestAsync(workspace, original.With(text: "version two"));
        await store.IngestAsync(workspace, original.With(text: "version two"));
        var report = await store.IngestAsync(workspace, original.With(text: "version three"));

        Assert.Equal(1, report.Updated);
        var id = await store.ScalarAsync("SELECT id FROM mentions");
        var versions = await store.Reader.GetVersionsAsync(workspace, id, CancellationToken.None);
        Assert.Equal([(1, "version one"), (2, "version two")], versions.Select(v => (v.Version, v.Text)));
        Assert.Equal(3, await store.ScalarAsync("SELECT version FROM mentions"));
        Assert.Equal([id], await SearchAsync("three"));
        Assert.Empty(await SearchAsync("two"));
    }

    [StoreFact]
    public async Task Ingest_SameKeyInAnotherWorkspace_SeparateRowsAndRollups()
    {
        var other = await store.AddWorkspaceAsync("other");
        var input = Input.Make("1", "refund please", T);

        var here = await store.IngestAsync(workspace, input);
        var there = await store.IngestAsync(other, input);

        Assert.Equal(1, here.Inserted);
        Assert.Equal(1, there.Inserted);
        Assert.Equal(1, await store.Reader.CountAsync(workspace, CancellationToken.None));
        Assert.Equal(1, await store.Reader.CountAsync(other, CancellationToken.None));
        Assert.Equal(1, await store.ScalarAsync("SELECT count(*) FROM mention_topics"));
        await RollupAudit.AssertRollupsMatchScanAsync(store, workspace);
        await RollupAudit.AssertRollupsMatchScanAsync(store, other);
    }

    [StoreFact]
    public async Task Ingest_InvalidItems_RejectedWithIndexWhileValidOnesStored()
    {
        var badLink = Input.Make("2", "bad link", T);
        badLink.Url = "javascript:alert(1)";

        var report = await store.IngestAsync(
            workspace,
            Input.Make("1", "fine", T),
            badLink,
            Input.Make("3", "future", TestStore.Now.AddHours(1)),
            Input.Make("4", "fine too", T));

        Assert.Equal((4, 2, 0, 0), (report.Received, report.Inserted, report.Updated, report.Unchanged));
        Assert.Equal([(1, "url", "2"), (2, "createdAt", "3")], report.Rejected.Select(r => (r.Index, r.Field, r.ExternalId)));
        Assert.Equal(["1", "4"], (await store.RowsAsync("SELECT external_id FROM mentions ORDER BY external_id")).Select(r => (string)r[0]));
    }

    [StoreFact]
    public async Task Ingest_NdjsonBody_StoresRawLinesAndRejectsBadLinesByNumber()
    {
        var good1 = """{"platform":"x","externalId":"a1","author":{"handle":"@Zed"},"text":"refund où est-il? 😀","createdAt":"2025-03-03T09:00:00+01:00"}""";
        var good2 = """{"platform":"twitter","externalId":"a2","author":{"handle":"amy"},"text":"hi","createdAt":"2025-03-03T09:00:00Z","language":"EN-gb"}""";
        var body = "\uFEFF" + good1 + "\r\n\r\n{\"platform\":\"x\",\"externalId\":\"a3\",\"author\":{\"followers\":\"many\"}}\n{not json\n" + good2;
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(body));
        var report = IngestReport.Empty;

        await foreach (var batch in new NdjsonBatchReader().ReadAsync(workspace, stream))
        {
            report = report.Add(await store.Pipeline.IngestAsync(batch));
        }

        Assert.Equal((4, 2), (report.Received, report.Inserted));
        Assert.Equal([(3L, "$.author.followers"), (4L, "$")], report.Rejected.Select(r => (r.Line!.Value, r.Field)));
        var raw = await store.TextAsync("SELECT raw FROM mentions WHERE external_id = 'a1'");
        Assert.Equal(good1, raw);
        var a1 = await store.RowsAsync("SELECT author_handle, created_at, platform FROM mentions WHERE external_id = 'a1'");
        Assert.Equal(["Zed", new DateTimeOffset(2025, 3, 3, 8, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), "x"], Assert.Single(a1));
        Assert.Equal("en", await store.TextAsync("SELECT language FROM mentions WHERE external_id = 'a2'"));
        Assert.Equal("x", await store.TextAsync("SELECT platform FROM mentions WHERE external_id = 'a2'"));
    }

    [StoreFact]
    public async Task Ingest_EditBetweenTextAndNoSearchableTokens_IndexFollowsText()
    {
        var original = Input.Make("e", "😀😀😀", T);
        await store.IngestAsync(workspace, original);
        var id = await store.ScalarAsync("SELECT id FROM mentions");

        await store.IngestAsync(workspace, original.With(text: "refund now"));
        Assert.Equal([id], await SearchAsync("refund"));

        await store.IngestAsync(workspace, original.With(text: "🙄"));
        Assert.Empty(await SearchAsync("refund"));
        Assert.Equal(["😀😀😀", "refund now"], (await store.Reader.GetVersionsAsync(workspace, id, CancellationToken.None)).Select(v => v.Text));
        await RollupAudit.AssertTopicMembershipAsync(store, workspace);
        await RollupAudit.AssertRollupsMatchScanAsync(store, workspace);
    }

    private async Task<List<long>> SearchAsync(string query)
    {
        var page = await store.Reader.ListAsync(workspace, new MentionFilter { Text = query }, null, 50, CancellationToken.None);
        return page.Items.Select(m => m.Id).ToList();
    }
}

public sealed class SqliteIdempotencyTests() : IdempotencyTests(StoreProvider.Sqlite);

[RequiresPostgres]
public sealed class PostgresIdempotencyTests() : IdempotencyTests(StoreProvider.Postgres);
