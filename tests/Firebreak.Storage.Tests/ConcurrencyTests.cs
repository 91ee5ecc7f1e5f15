using Firebreak.Core.Ingestion;

namespace Firebreak.Storage.Tests;

public abstract class ConcurrencyTests(StoreProvider provider) : IAsyncLifetime
{
    private TestStore store = null!;
    private long workspace;

    public async Task InitializeAsync()
    {
        store = await TestStore.OpenAsync(provider);
        workspace = await store.AddWorkspaceAsync();
        await store.AddTopicAsync(workspace, "refunds", "refund");
        await store.AddTopicAsync(workspace, "tiktok", "platform:tiktok");
    }

    public async Task DisposeAsync() => await store.DisposeAsync();

    [StoreFact]
    public async Task Ingest_FourProducersWithOverlappingKeys_OneRowPerKeyAndRollupsEqualRows()
    {
        const int Keys = 150;
        var start = TestStore.Now.AddHours(-3);

        async Task<IngestReport> ProduceAsync(int producer)
        {
            var random = new Random(producer);
            var report = IngestReport.Empty;
            for (var b = 0; b < 12; b++)
            {
                var batch = Enumerable.Range(0, 25).Select(_ =>
                {
                    var key = random.Next(Keys);
                    // Producers disagree on text and time, so the same key is inserted, edited and moved between minutes.
                    var text = random.Next(3) switch { 0 => $"refund {key}", 1 => $"awful {key}", _ => $"great {key} from {producer}" };
                    return Input.Make($"k{key}", text, start.AddMinutes(((key % 50) * 3) + random.Next(5)), platform: key % 3 == 0 ? "tiktok" : "x");
                }).ToArray();
                report = report.Add(await store.Pipeline.IngestAsync(IngestBatch.FromInputs(workspace, batch)));
            }

            return report;
        }

        var reports = await Task.WhenAll(Enumerable.Range(1, 4).Select(p => Task.Run(() => ProduceAsync(p))));

        var rows = await store.ScalarAsync("SELECT count(*) FROM mentions");
        var distinct = await store.ScalarAsync("SELECT count(DISTINCT external_id) FROM mentions");
        Assert.Equal(distinct, rows);
        Assert.InRange(rows, Keys - 10, Keys);
        Assert.Equal(rows, reports.Sum(r => r.Inserted));
        Assert.Equal(4 * 12 * 25, reports.Sum(r => r.Received));
        Assert.Equal(reports.Sum(r => r.Received), reports.Sum(r => r.Accepted));
        Assert.Equal(rows, await store.ScalarAsync("SELECT sum(count) FROM rollup_hour WHERE topic_id = 0"));
        Assert.Equal(rows, await store.ScalarAsync("SELECT sum(count) FROM rollup_minute WHERE topic_id = 0"));
        Assert.True(await store.ScalarAsync("SELECT count(*) FROM mention_versions") > 0);
        await RollupAudit.AssertTopicMembershipAsync(store, workspace);
        await RollupAudit.AssertRollupsMatchScanAsync(store, workspace);
    }
}

public sealed class SqliteConcurrencyTests() : ConcurrencyTests(StoreProvider.Sqlite);

[RequiresPostgres]
public sealed class PostgresConcurrencyTests() : ConcurrencyTests(StoreProvider.Postgres);
