using Firebreak.Core.Ingestion;
using Firebreak.Core.Scenarios;
using Firebreak.Core.Topics.Query;

namespace Firebreak.Storage.Tests;

/// <summary>A topic created, edited or deleted after the fact gets exactly the memberships and rollups it would have had from the start.</summary>
public abstract class TopicBackfillTests(StoreProvider provider) : IAsyncLifetime
{
    private TestStore store = null!;
    private long workspace;

    public async Task InitializeAsync()
    {
        store = await TestStore.OpenAsync(provider);
        workspace = await store.AddWorkspaceAsync();
        var inputs = new ScenarioGenerator(new ScenarioOptions
        {
            Start = TestStore.Now.AddHours(-3),
            Duration = TimeSpan.FromHours(2),
            BaseRatePerMinute = 3,
            CrisisStart = TimeSpan.FromMinutes(70),
            CrisisPeakMultiplier = 4,
            Seed = 3,
        }).Generate().ToList();
        foreach (var chunk in inputs.Chunk(200))
        {
            await store.IngestAsync(workspace, chunk);
        }
    }

    public async Task DisposeAsync() => await store.DisposeAsync();

    [StoreFact]
    public async Task Backfill_NewTopic_MatchesStoredMentionsAndRollupsEqualScan()
    {
        var topic = await store.AddTopicAsync(workspace, "refunds", "refund* OR #boycottauroraair");

        var status = await store.Backfill.RunOneAsync(workspace, topic, QueryParser.Parse("refund* OR #boycottauroraair").Query, 0, CancellationToken.None);

        Assert.Equal("done", status.State);
        Assert.True(status.Added > 0);
        Assert.Equal(await store.ScalarAsync("SELECT count(*) FROM mentions"), status.Scanned);
        Assert.Equal(status.Added, await store.ScalarAsync("SELECT count(*) FROM mention_topics WHERE topic_id = $t", ("$t", topic)));
        await RollupAudit.AssertTopicMembershipAsync(store, workspace);
        await RollupAudit.AssertRollupsMatchScanAsync(store, workspace);
    }

    [StoreFact]
    public async Task Backfill_EditedQueryThenDeleted_MovesMembershipsAndEmptiesRollups()
    {
        var topic = await store.AddTopicAsync(workspace, "t", "refund*");
        await store.Backfill.RunOneAsync(workspace, topic, QueryParser.Parse("refund*").Query, 0, CancellationToken.None);
        var before = await store.ScalarAsync("SELECT count(*) FROM mention_topics WHERE topic_id = $t", ("$t", topic));

        await store.Topics.UpdateAsync(workspace, topic, "t", "delay* OR lang:fr", true, CancellationToken.None);
        store.Catalog.Invalidate(workspace);
        var edited = await store.Backfill.RunOneAsync(workspace, topic, QueryParser.Parse("delay* OR lang:fr").Query, 0, CancellationToken.None);

        Assert.True(edited.Removed > 0 && edited.Added > 0, $"removed {edited.Removed}, added {edited.Added} of {before}");
        await RollupAudit.AssertTopicMembershipAsync(store, workspace);
        await RollupAudit.AssertRollupsMatchScanAsync(store, workspace);

        await store.Topics.DeleteAsync(workspace, topic, CancellationToken.None);
        store.Catalog.Invalidate(workspace);
        await store.Backfill.RunOneAsync(workspace, topic, null, 0, CancellationToken.None);

        Assert.Equal(0, await store.ScalarAsync("SELECT count(*) FROM mention_topics WHERE topic_id = $t", ("$t", topic)));
        Assert.Equal(0, await store.ScalarAsync("SELECT coalesce(sum(abs(count)), 0) + coalesce(sum(abs(reach)), 0) FROM rollup_minute WHERE topic_id = $t", ("$t", topic)));
        Assert.Equal(0, await store.ScalarAsync("SELECT count(*) FROM mentions WHERE ',' || topic_ids || ',' LIKE '%,' || $t || ',%'", ("$t", topic)));
    }

    [StoreFact]
    public async Task Backfill_RunTwice_ChangesNothingTheSecondTime()
    {
        var topic = await store.AddTopicAsync(workspace, "brand", "aurora");
        var query = QueryParser.Parse("aurora").Query;
        await store.Backfill.RunOneAsync(workspace, topic, query, 0, CancellationToken.None);

        var second = await store.Backfill.RunOneAsync(workspace, topic, query, 0, CancellationToken.None);

        Assert.Equal(0, second.Added + second.Removed);
        await RollupAudit.AssertRollupsMatchScanAsync(store, workspace);
    }

    [StoreFact]
    public async Task Backfill_WhileIngesting_EveryMentionEndsUpMatchedOnce()
    {
        var topic = await store.AddTopicAsync(workspace, "crew", "crew OR flight*");
        var more = new ScenarioGenerator(new ScenarioOptions { Start = TestStore.Now.AddMinutes(-50), Duration = TimeSpan.FromMinutes(40), BaseRatePerMinute = 20, CrisisStart = null, Seed = 9 }).Generate().ToList();
        var ingest = Task.Run(async () =>
        {
            foreach (var chunk in more.Chunk(50))
            {
                await store.IngestAsync(workspace, chunk);
            }
        });

        await store.Backfill.RunOneAsync(workspace, topic, QueryParser.Parse("crew OR flight*").Query, 0, CancellationToken.None);
        await ingest;

        await RollupAudit.AssertTopicMembershipAsync(store, workspace);
        await RollupAudit.AssertRollupsMatchScanAsync(store, workspace);
    }
}

public sealed class SqliteTopicBackfillTests() : TopicBackfillTests(StoreProvider.Sqlite);

[RequiresPostgres]
public sealed class PostgresTopicBackfillTests() : TopicBackfillTests(StoreProvider.Postgres);
