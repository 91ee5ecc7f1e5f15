using Firebreak.Core.Ingestion;
using Firebreak.Core.Scenarios;

namespace Firebreak.Storage.Tests;

public abstract class ScenarioReplayerTests(StoreProvider provider) : IAsyncLifetime
{
    private TestStore store = null!;
    private long workspace;

    public async Task InitializeAsync()
    {
        store = await TestStore.OpenAsync(provider, new IngestPipelineOptions { QueueCapacity = 2, MaxGroupItems = 1_500 });
        workspace = await store.AddWorkspaceAsync();
        await store.AddTopicAsync(workspace, "brand", "aurora");
    }

    public async Task DisposeAsync() => await store.DisposeAsync();

    [StoreTheory]
    [InlineData(false)]
    [InlineData(true)] // the whole scenario is history for the fixed clock, so real time means no waiting
    public async Task RunAsync_ScenarioInThePast_EveryItemStoredOnce(bool realTime)
    {
        var options = new ScenarioOptions { Start = TestStore.Now.AddHours(-4), Duration = TimeSpan.FromHours(2), BaseRatePerMinute = 25, CrisisStart = null, DuplicateShare = 0.02, EditShare = 0.01 };
        var expected = new ScenarioGenerator(options).Generate().ToList();
        var replayer = new ScenarioReplayer(store.Pipeline, store.Clock);

        var report = await replayer.RunAsync(workspace, new ScenarioGenerator(options), realTime, speed: 1, CancellationToken.None);

        var distinct = expected.Select(i => (i.Platform, i.ExternalId)).Distinct().Count();
        Assert.True(expected.Count > 2_000, "the replayer must hand over several batches");
        Assert.Equal(expected.Count, replayer.Submitted);
        Assert.Equal(expected.Count, report.Received);
        Assert.Equal(expected.Count, report.Accepted);
        Assert.Equal(distinct, report.Inserted);
        Assert.Equal(distinct, await store.ScalarAsync("SELECT count(*) FROM mentions"));
        await RollupAudit.AssertRollupsMatchScanAsync(store, workspace);
    }
}

public sealed class SqliteScenarioReplayerTests() : ScenarioReplayerTests(StoreProvider.Sqlite);

[RequiresPostgres]
public sealed class PostgresScenarioReplayerTests() : ScenarioReplayerTests(StoreProvider.Postgres);
