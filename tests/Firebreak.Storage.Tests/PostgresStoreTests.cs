using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;
using Firebreak.Storage.Postgres;

namespace Firebreak.Storage.Tests;

/// <summary>What only the PostgreSQL provider has: advisory-locked migrations, partitions, several writer processes, COPY.</summary>
public sealed class PostgresStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T = TestStore.Now.AddHours(-2);
    private TestStore store = null!;
    private long workspace;

    public async Task InitializeAsync()
    {
        if (PostgresServer.ConnectionString is null)
        {
            return;
        }

        store = await TestStore.OpenAsync(StoreProvider.Postgres);
        workspace = await store.AddWorkspaceAsync();
        await store.AddTopicAsync(workspace, "refunds", "refund");
    }

    public async Task DisposeAsync()
    {
        if (store is not null)
        {
            await store.DisposeAsync();
        }
    }

    [PostgresFact]
    public async Task MigrateAsync_FourNodesAtOnceOnAFreshDatabase_EachMigrationAppliedOnce()
    {
        var name = "firebreak_t_" + Guid.NewGuid().ToString("N");
        var connectionString = await TestStore.CreateDatabaseAsync(name);
        try
        {
            var nodes = Enumerable.Range(0, 4).Select(_ => new PostgresDatabase(new PostgresStoreOptions { ConnectionString = connectionString })).ToList();
            await Task.WhenAll(nodes.Select(n => Task.Run(() => n.MigrateAsync())));
            await nodes[0].MigrateAsync();

            await using var connection = await nodes[0].OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand("SELECT string_agg(version::text, ',' ORDER BY version) FROM schema_version", connection);
            Assert.Equal(string.Join(',', PostgresMigrations.All.Select(m => m.Version)), await command.ExecuteScalarAsync());
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
        finally
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await TestStore.DropDatabaseAsync(name);
        }
    }

    [PostgresFact]
    public async Task MigrateAsync_Again_IsANoOpAndKeepsData()
    {
        await store.IngestAsync(workspace, Input.Make("1", "refund", T));

        await store.Database.MigrateAsync();

        Assert.Equal(PostgresMigrations.All.Length, await store.ScalarAsync("SELECT count(*) FROM schema_version"));
        Assert.Equal(1, await store.ScalarAsync("SELECT count(*) FROM mentions"));
        Assert.Equal("postgresql", store.Database.Provider);
        Assert.StartsWith("15", await store.Database.CheckReadyAsync(), StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task Ingest_MentionsSpanningMonths_PartitionPerMonthAndNothingInDefault()
    {
        var months = new[] { new DateTimeOffset(2024, 12, 31, 23, 59, 0, TimeSpan.Zero), new DateTimeOffset(2025, 1, 15, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2025, 2, 1, 0, 0, 0, TimeSpan.Zero), T };
        await store.IngestAsync(workspace, months.Select((at, i) => Input.Make($"m{i}", $"refund number {i}", at)).ToArray());

        var partitions = (await store.RowsAsync("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'mentions'::regclass ORDER BY 1")).Select(r => (string)r[0]);
        Assert.Equal(["mentions_default", "mentions_p202412", "mentions_p202501", "mentions_p202502", "mentions_p202503"], partitions);
        Assert.Equal(0, await store.ScalarAsync("SELECT count(*) FROM mentions_default"));
        Assert.Equal(1, await store.ScalarAsync("SELECT count(*) FROM mentions_p202412"));

        // An edit that moves a mention to another month moves its row to that partition; the key follows.
        var report = await store.IngestAsync(workspace, Input.Make("m0", "refund number 0, edited", months[2].AddDays(3)));
        Assert.Equal(1, report.Updated);
        Assert.Equal(0, await store.ScalarAsync("SELECT count(*) FROM mentions_p202412"));
        Assert.Equal(2, await store.ScalarAsync("SELECT count(*) FROM mentions_p202502"));
        Assert.Equal(months[2].AddDays(3).ToUnixTimeMilliseconds(), await store.ScalarAsync("SELECT created_at FROM mention_keys WHERE external_id = 'm0'"));
        var page = await store.Reader.ListAsync(workspace, new MentionFilter { Text = "edited" }, null, 10, CancellationToken.None);
        Assert.Equal(["m0"], page.Items.Select(m => m.ExternalId));
        Assert.NotNull(await store.Reader.GetAsync(workspace, page.Items[0].Id, CancellationToken.None));
        await RollupAudit.AssertTopicMembershipAsync(store, workspace);
        await RollupAudit.AssertRollupsMatchScanAsync(store, workspace);
    }

    [PostgresFact]
    public async Task Ingest_TwoNodesWritingTheSameKeysAtOnce_NoDuplicatesAndRollupsEqualAScan()
    {
        await using var second = await store.OpenSecondNodeAsync();
        await store.AddTopicAsync(workspace, "tiktok", "platform:tiktok");
        second.Catalog.Invalidate(workspace);
        const int Keys = 120;

        async Task<IngestReport> ProduceAsync(TestStore node, int producer)
        {
            var random = new Random(producer);
            var report = IngestReport.Empty;
            for (var b = 0; b < 15; b++)
            {
                var batch = Enumerable.Range(0, 40).Select(_ =>
                {
                    var key = random.Next(Keys);
                    var text = random.Next(3) switch { 0 => $"refund {key}", 1 => $"awful {key}", _ => $"great {key} from {producer}" };
                    return Input.Make($"k{key}", text, T.AddMinutes(-((key % 40) * 3) - random.Next(90)).AddDays(-random.Next(40)), platform: key % 3 == 0 ? "tiktok" : "x");
                }).ToArray();
                report = report.Add(await node.Pipeline.IngestAsync(IngestBatch.FromInputs(workspace, batch)));
            }

            return report;
        }

        var reports = await Task.WhenAll(
            Task.Run(() => ProduceAsync(store, 1)), Task.Run(() => ProduceAsync(second, 2)),
            Task.Run(() => ProduceAsync(store, 3)), Task.Run(() => ProduceAsync(second, 4)));

        var rows = await store.ScalarAsync("SELECT count(*) FROM mentions");
        Assert.Equal(await store.ScalarAsync("SELECT count(DISTINCT external_id) FROM mentions"), rows);
        Assert.Equal(rows, await store.ScalarAsync("SELECT count(*) FROM mention_keys"));
        Assert.Equal(rows, reports.Sum(r => r.Inserted));
        Assert.Equal(reports.Sum(r => r.Received), reports.Sum(r => r.Accepted));
        Assert.Equal(0, await store.ScalarAsync("SELECT count(*) FROM mention_keys k LEFT JOIN mentions m ON m.id = k.id AND m.created_at = k.created_at WHERE m.id IS NULL"));
        Assert.True(await store.ScalarAsync("SELECT count(*) FROM mention_versions") > 0);
        await RollupAudit.AssertTopicMembershipAsync(store, workspace);
        await RollupAudit.AssertRollupsMatchScanAsync(store, workspace);
    }

    [PostgresFact]
    public async Task Ingest_HostileText_CopiedSafelyAndSearchable()
    {
        var huge = string.Concat(Enumerable.Repeat("refund ", 14_000)) + new string('z', 2_000);
        MentionInput[] inputs =
        [
            Input.Make("nul", "before\0after refund", T),
            Input.Make("emoji", "😀 refund 👩🏽‍🚀 done", T),
            Input.Make("rtl", "\u202Eأين استرداد refund\u202C مرحبا", T),
            Input.Make("huge", huge, T),
            Input.Make("quote", "it's a \\ back'slash \"refund\"", T),
        ];

        var report = await store.IngestAsync(workspace, inputs);

        Assert.Equal(5, report.Inserted);
        Assert.Equal("before\uFFFDafter refund", await store.TextAsync("SELECT text FROM mentions WHERE external_id = 'nul'"));
        Assert.Equal(huge.Length, await store.ScalarAsync("SELECT length(text) FROM mentions WHERE external_id = 'huge'"));
        Assert.Equal(inputs[2].Text, await store.TextAsync("SELECT text FROM mentions WHERE external_id = 'rtl'"));
        Assert.Equal(5, (await store.Reader.ListAsync(workspace, new MentionFilter { Text = "refund" }, null, 10, CancellationToken.None)).Items.Count);
        Assert.Equal(["rtl"], (await store.Reader.ListAsync(workspace, new MentionFilter { Text = "مرحبا" }, null, 10, CancellationToken.None)).Items.Select(m => m.ExternalId));
        Assert.Equal(["huge"], (await store.Reader.ListAsync(workspace, new MentionFilter { Text = new string('z', 2_000) }, null, 10, CancellationToken.None)).Items.Select(m => m.ExternalId));
        Assert.Equal(["quote"], (await store.Reader.ListAsync(workspace, new MentionFilter { Text = "slash" }, null, 10, CancellationToken.None)).Items.Select(m => m.ExternalId));
        await RollupAudit.AssertRollupsMatchScanAsync(store, workspace);
    }
}
