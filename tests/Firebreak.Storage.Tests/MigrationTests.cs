using Firebreak.Storage.Sqlite;

namespace Firebreak.Storage.Tests;

public sealed class MigrationTests : IAsyncLifetime
{
    private TestStore store = null!;

    public async Task InitializeAsync() => store = await TestStore.OpenAsync();

    public async Task DisposeAsync() => await store.DisposeAsync();

    [Fact]
    public async Task MigrateAsync_Fresh_RecordsEveryVersionAndUsesWal()
    {
        var rows = await store.RowsAsync("SELECT version, name FROM schema_migrations ORDER BY version");

        Assert.Equal(SqliteMigrations.All.Select(m => new object[] { (long)m.Version, m.Name }), rows);
        Assert.Equal("wal", await store.TextAsync("PRAGMA journal_mode"));
        Assert.True(File.Exists(Path.Combine(store.DataDirectory, "firebreak.db")));
    }

    [Fact]
    public async Task MigrateAsync_Twice_IsANoOpAndKeepsData()
    {
        var workspace = await store.AddWorkspaceAsync();
        await store.AddTopicAsync(workspace, "t", "refund");
        await store.IngestAsync(workspace, Input.Make("1", "refund", TestStore.Now.AddHours(-1)));
        var schema = await SchemaAsync();

        await store.Database.MigrateAsync();
        await store.Database.MigrateAsync();

        Assert.Equal(SqliteMigrations.All.Length, await store.ScalarAsync("SELECT count(*) FROM schema_migrations"));
        Assert.Equal(schema, await SchemaAsync());
        Assert.Equal(1, await store.ScalarAsync("SELECT count(*) FROM mentions"));
        Assert.Equal(1, await store.Reader.CountAsync(workspace, CancellationToken.None));
        var report = await store.IngestAsync(workspace, Input.Make("2", "refund again", TestStore.Now.AddHours(-1)));
        Assert.Equal(1, report.Inserted);
    }

    [Fact]
    public async Task MigrateAsync_SecondDatabaseObjectOnSameFolder_SeesSameSchema()
    {
        var again = new SqliteDatabase(new SqliteStoreOptions { DataDirectory = store.DataDirectory });

        await again.MigrateAsync();

        await using var connection = await again.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM schema_migrations";
        Assert.Equal((long)SqliteMigrations.All.Length, await command.ExecuteScalarAsync());
    }

    [Fact]
    public void SqliteVersion_Bundled_SupportsContentlessDelete()
    {
        // contentless_delete=1 (used by mention_fts) needs SQLite 3.43; the pinned SQLitePCLRaw bundle must carry it.
        var version = Version.Parse(SqliteDatabase.SqliteVersion());

        Assert.True(version >= new Version(3, 43), version.ToString());
    }

    private async Task<List<string>> SchemaAsync() =>
        (await store.RowsAsync("SELECT type || ' ' || name || ' ' || coalesce(sql, '') FROM sqlite_master ORDER BY name")).Select(r => (string)r[0]).ToList();
}
