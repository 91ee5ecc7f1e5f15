using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;

namespace Firebreak.Storage.Tests;

public abstract class FailureAtomicityTests(StoreProvider provider) : IAsyncLifetime
{
    private static readonly DateTimeOffset T = TestStore.Now.AddHours(-2);
    private TestStore store = null!;
    private long workspace;

    public async Task InitializeAsync()
    {
        store = await TestStore.OpenAsync(provider);
        workspace = await store.AddWorkspaceAsync();
        await store.AddTopicAsync(workspace, "refunds", "refund");
        await store.InstallFailingInsertAsync();
    }

    public async Task DisposeAsync() => await store.DisposeAsync();

    [StoreFact]
    public async Task Ingest_WriterFailsMidGroup_FaultsAndCommitsNothing()
    {
        var batch = IngestBatch.FromInputs(workspace, [
            Input.Make("ok1", "refund first", T),
            Input.Make("ok2", "second", T.AddMinutes(1)),
            Input.Make("boom", "refund explodes", T.AddMinutes(2)),
            Input.Make("ok3", "refund never written", T.AddMinutes(3)),
        ]);

        var failure = await Assert.ThrowsAsync<IngestStageException>(() => store.Pipeline.IngestAsync(batch));

        Assert.Equal("persist", failure.Stage);
        Assert.Contains("boom", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(batch.Items, i => i.Outcome is IngestOutcome.Inserted or IngestOutcome.Updated or IngestOutcome.Unchanged);
        await AssertEmptyAsync();
    }

    [StoreFact]
    public async Task Ingest_AfterAFailedGroup_PipelineKeepsWorking()
    {
        await Assert.ThrowsAsync<IngestStageException>(() => store.IngestAsync(workspace, Input.Make("ok1", "refund", T), Input.Make("boom", "x", T)));

        var report = await store.IngestAsync(workspace, Input.Make("ok1", "refund", T), Input.Make("ok2", "fine", T));

        Assert.Equal(2, report.Inserted);
        Assert.Equal(2, await store.ScalarAsync("SELECT count(*) FROM mentions"));
        await RollupAudit.AssertTopicMembershipAsync(store, workspace);
        await RollupAudit.AssertRollupsMatchScanAsync(store, workspace);
    }

    [StoreFact]
    public async Task Ingest_FailedGroupWithEdits_LeavesPreviousVersionsUntouched()
    {
        var original = Input.Make("e1", "refund please, awful", T, likes: 1);
        await store.IngestAsync(workspace, original, Input.Make("e2", "kept as is", T));
        var before = await SnapshotAsync();

        await Assert.ThrowsAsync<IngestStageException>(() => store.IngestAsync(
            workspace,
            original.With(text: "all sorted, great", createdAt: T.AddMinutes(90), likes: 50),
            Input.Make("new", "refund new", T),
            Input.Make("boom", "x", T)));

        Assert.Equal(before, await SnapshotAsync());
        var mention = (await store.Reader.ListAsync(workspace, new MentionFilter { Text = "awful" }, null, 5, CancellationToken.None)).Items;
        Assert.Equal(["e1"], mention.Select(m => m.ExternalId));
        Assert.Empty((await store.Reader.ListAsync(workspace, new MentionFilter { Text = "sorted" }, null, 5, CancellationToken.None)).Items);
        await RollupAudit.AssertRollupsMatchScanAsync(store, workspace);
    }

    [StoreFact]
    public async Task Ingest_ManyBatchesAfterFailures_EachFailureIsolatedToItsBatch()
    {
        for (var i = 0; i < 5; i++)
        {
            await Assert.ThrowsAsync<IngestStageException>(() => store.IngestAsync(workspace, Input.Make($"a{i}", "refund", T), Input.Make("boom", "x", T)));
            var report = await store.IngestAsync(workspace, Input.Make($"b{i}", "refund", T.AddMinutes(i)));
            Assert.Equal(1, report.Inserted);
        }

        var stored = (await store.RowsAsync("SELECT external_id FROM mentions ORDER BY external_id")).Select(r => (string)r[0]);
        Assert.Equal(["b0", "b1", "b2", "b3", "b4"], stored);
        await RollupAudit.AssertRollupsMatchScanAsync(store, workspace);
    }

    [StoreFact]
    public async Task Ingest_FailingBatchesQueuedAmongGoodOnes_AcknowledgedExactlyWhenStored()
    {
        // Queued without waiting, so the persist stage may commit (or fail) several batches together.
        var tasks = new List<(bool Bad, string[] Keys, Task<IngestReport> Done)>();
        for (var b = 0; b < 12; b++)
        {
            var bad = b % 3 == 1;
            var keys = Enumerable.Range(0, 5).Select(i => $"b{b}-{i}").ToArray();
            var inputs = keys.Select((k, i) => Input.Make(bad && i == 3 ? "boom" : k, "refund " + k, T.AddMinutes(b))).ToArray();
            tasks.Add((bad, keys, await store.Pipeline.EnqueueAsync(IngestBatch.FromInputs(workspace, inputs))));
        }

        foreach (var (bad, keys, done) in tasks)
        {
            var error = await Record.ExceptionAsync(() => done);
            var stored = await store.ScalarAsync($"SELECT count(*) FROM mentions WHERE external_id IN ({string.Join(',', keys.Select(k => $"'{k}'"))})");
            if (bad || error is not null)
            {
                Assert.IsType<IngestStageException>(error);
                Assert.Equal(0, stored);
            }
            else
            {
                Assert.Equal(5, (await done).Inserted);
                Assert.Equal(5, stored);
            }
        }

        await RollupAudit.AssertTopicMembershipAsync(store, workspace);
        await RollupAudit.AssertRollupsMatchScanAsync(store, workspace);
    }

    private async Task AssertEmptyAsync()
    {
        foreach (var table in new[] { "mentions", "mention_topics", "mention_versions", "rollup_minute", "rollup_hour", "rollup_dim_minute", "rollup_dim_hour" })
        {
            Assert.True(await store.ScalarAsync($"SELECT count(*) FROM {table}") == 0, table + " is not empty");
        }

        Assert.Equal(0, await store.FullTextCountAsync("refund", "first", "second"));
    }

    private async Task<string> SnapshotAsync()
    {
        var parts = new List<string>();
        foreach (var table in new[] { "mentions", "mention_topics", "mention_versions", "rollup_minute", "rollup_hour", "rollup_dim_minute", "rollup_dim_hour" })
        {
            parts.AddRange((await store.RowsAsync($"SELECT * FROM {table} ORDER BY 1, 2, 3")).Select(r => table + ":" + string.Join('|', r)));
        }

        parts.Add("fts:" + await store.FullTextCountAsync("refund", "sorted", "great", "awful", "new", "kept"));
        return string.Join('\n', parts);
    }
}

public sealed class SqliteFailureAtomicityTests() : FailureAtomicityTests(StoreProvider.Sqlite);

[RequiresPostgres]
public sealed class PostgresFailureAtomicityTests() : FailureAtomicityTests(StoreProvider.Postgres);
