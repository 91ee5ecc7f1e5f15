using Firebreak.Core.Ingestion;

namespace Firebreak.Storage.Tests;

public abstract class TopicCatalogRecoveryTests(StoreProvider provider) : IAsyncLifetime
{
    private TestStore store = null!;
    private long workspace;

    public async Task InitializeAsync()
    {
        store = await TestStore.OpenAsync(provider);
        workspace = await store.AddWorkspaceAsync();
        await store.AddTopicAsync(workspace, "refunds", "refund");
    }

    public async Task DisposeAsync() => await store.DisposeAsync();

    [StoreFact]
    public async Task Ingest_AfterTopicsCouldNotBeReadOnce_RecoversWhenTheStoreDoes()
    {
        // Simulates a transient store error while the match stage builds the workspace's topic index.
        await store.ExecuteAsync("ALTER TABLE topics RENAME TO topics_away");
        var failure = await Assert.ThrowsAsync<IngestStageException>(() => store.IngestAsync(workspace, Input.Make("1", "refund", TestStore.Now.AddHours(-1))));
        Assert.Equal("match", failure.Stage);
        await store.ExecuteAsync("ALTER TABLE topics_away RENAME TO topics");

        var report = await store.IngestAsync(workspace, Input.Make("1", "refund", TestStore.Now.AddHours(-1)));

        Assert.Equal(1, report.Inserted);
        Assert.Equal(1, await store.ScalarAsync("SELECT count(*) FROM mention_topics"));
    }
}

public sealed class SqliteTopicCatalogRecoveryTests() : TopicCatalogRecoveryTests(StoreProvider.Sqlite);

[RequiresPostgres]
public sealed class PostgresTopicCatalogRecoveryTests() : TopicCatalogRecoveryTests(StoreProvider.Postgres);
