using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;
using Firebreak.Core.Scenarios;

namespace Firebreak.Storage.Tests;

public abstract class RollupConsistencyTests(StoreProvider provider) : IAsyncLifetime
{
    private static readonly string[] EditTexts =
    [
        "awful, still no refund from Aurora",
        "great flight, the crew were lovely",
        "okay flight, nothing to report",
        "delayed again at the gate",
        "just a photo of the sunset",
    ];

    private TestStore store = null!;
    private long workspace;

    public async Task InitializeAsync()
    {
        store = await TestStore.OpenAsync(provider);
        workspace = await store.AddWorkspaceAsync();
        await store.AddTopicAsync(workspace, "brand", "aurora");
        await store.AddTopicAsync(workspace, "refunds", "refund*");
        await store.AddTopicAsync(workspace, "polar", "great OR awful");
        await store.AddTopicAsync(workspace, "flights", "flight -delayed");
        await store.AddTopicAsync(workspace, "french or arabic", "lang:fr OR lang:ar");
        await store.AddTopicAsync(workspace, "on x", "platform:x");
        await store.AddTopicAsync(workspace, "not brand", "NOT aurora");
    }

    public async Task DisposeAsync() => await store.DisposeAsync();

    [StoreFact]
    public async Task Rollups_ScenarioWithDuplicatesAndEdits_EqualScanForEveryTopicAndBucket()
    {
        var start = TestStore.Now.AddHours(-3);
        var options = new ScenarioOptions
        {
            Start = start,
            Duration = TimeSpan.FromHours(2),
            BaseRatePerMinute = 2,
            CrisisStart = TimeSpan.FromMinutes(80),
            CrisisPeakMultiplier = 3,
            DuplicateShare = 0.05,
            EditShare = 0.05,
            Seed = 11,
        };
        var inputs = new ScenarioGenerator(options).Generate().ToList();
        Assert.InRange(inputs.Count, 200, 2_000);

        // Enqueued together so the persist stage commits several batches (with repeated keys) per transaction.
        var pending = new List<Task<IngestReport>>();
        foreach (var chunk in inputs.Chunk(40))
        {
            pending.Add(await store.Pipeline.EnqueueAsync(IngestBatch.FromInputs(workspace, chunk)));
        }

        var reports = await Task.WhenAll(pending);
        var distinct = inputs.Select(i => (i.Platform, i.ExternalId)).Distinct().Count();
        Assert.Equal(distinct, reports.Sum(r => r.Inserted));
        Assert.Empty(reports.SelectMany(r => r.Rejected));

        // Re-deliver every 5th item changed: text (topic membership, sentiment), created minute (± up to 35, across
        // hour boundaries), language only, or engagement only.
        var edits = inputs.DistinctBy(i => (i.Platform, i.ExternalId)).Where((_, i) => i % 5 == 0).Select((input, i) => (i % 4) switch
        {
            0 => input.With(text: EditTexts[i % EditTexts.Length], createdAt: input.CreatedAt!.Value.AddMinutes(((i % 11) - 5) * 7)),
            1 => input.With(text: EditTexts[(i + 2) % EditTexts.Length]),
            2 => input.With(language: input.Language == "fr" ? "en" : "fr"),
            _ => input.With(views: 1_000_000 + i),
        }).ToList();
        var edited = await store.IngestAsync(workspace, [.. edits]);
        Assert.Equal(edits.Count, edited.Updated);
        var again = await store.IngestAsync(workspace, [.. edits]);
        Assert.Equal(edits.Count, again.Unchanged);

        await RollupAudit.AssertTopicMembershipAsync(store, workspace);
        await RollupAudit.AssertRollupsMatchScanAsync(store, workspace);
        await RollupAudit.AssertSeriesMatchScanAsync(store, workspace, start.AddMinutes(-30), TestStore.Now.AddMinutes(30));
        foreach (var topic in await store.Topics.ListAsync(workspace, CancellationToken.None))
        {
            // Every topic has members and non-members, or the comparison above proves little.
            var members = await store.ScalarAsync("SELECT count(*) FROM mention_topics WHERE topic_id = $t", ("$t", topic.Id));
            Assert.InRange(members, 1, distinct - 1);
        }

        Assert.True(await store.ScalarAsync("SELECT count(DISTINCT sentiment) FROM mentions") >= 3);
        Assert.True(await store.ScalarAsync("SELECT count(DISTINCT language) FROM mentions") >= 5);
    }

    [StoreFact]
    public async Task Rollups_EditMovingMinuteAcrossHourAndTopic_OldBucketsReturnToZero()
    {
        var topic = (await store.Topics.ListAsync(workspace, CancellationToken.None)).Single(t => t.Name == "refunds").Id;
        var at = new DateTimeOffset(2025, 3, 3, 9, 59, 30, TimeSpan.Zero);
        var input = Input.Make("1", "refund now", at, followers: 40);
        await store.IngestAsync(workspace, input);

        await store.IngestAsync(workspace, input.With(text: "great trip", createdAt: at.AddMinutes(2)));

        var oldMinute = at.ToUnixTimeSeconds() / 60;
        Assert.Equal(0, await store.ScalarAsync("SELECT coalesce(sum(count), 0) FROM rollup_minute WHERE bucket = $b", ("$b", oldMinute)));
        Assert.Equal(0, await store.ScalarAsync("SELECT coalesce(sum(count), 0) FROM rollup_hour WHERE bucket = $b", ("$b", oldMinute / 60)));
        Assert.Equal(0, await store.ScalarAsync("SELECT coalesce(sum(count), 0) FROM rollup_hour WHERE topic_id = $t", ("$t", topic)));
        var row = await store.RowsAsync("SELECT count, positive, unknown, reach FROM rollup_minute WHERE topic_id = 0 AND bucket = $b", ("$b", oldMinute + 2));
        Assert.Equal([1L, 1L, 0L, 40L], Assert.Single(row));
        Assert.Equal(1, await store.ScalarAsync("SELECT count FROM rollup_hour WHERE topic_id = 0 AND bucket = $b", ("$b", (oldMinute / 60) + 1)));
        await RollupAudit.AssertRollupsMatchScanAsync(store, workspace);
    }
}

public sealed class SqliteRollupConsistencyTests() : RollupConsistencyTests(StoreProvider.Sqlite);

[RequiresPostgres]
public sealed class PostgresRollupConsistencyTests() : RollupConsistencyTests(StoreProvider.Postgres);
