using Firebreak.Core.Analysis;
using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;
using Firebreak.Core.Topics;
using Firebreak.Core.Workspaces;
using System.Data.Common;
using System.Text.RegularExpressions;
using Firebreak.Storage.Postgres;
using Firebreak.Storage.Sqlite;
using Firebreak.Web.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Firebreak.Storage.Tests;

/// <summary>
/// A fresh store wired exactly as the app wires it (AddSqliteStore or AddPostgresStore, + AddIngestion),
/// migrated, with the pipeline running and a fixed clock. Everything is real: the SQLite file and WAL, or
/// a PostgreSQL database of its own (firebreak_t_&lt;guid&gt;, dropped after), and the pipeline stages.
/// Raw SQL in tests is written once for both: $name parameters, integers read back as long.
/// </summary>
internal sealed partial class TestStore : IAsyncDisposable
{
    public static readonly DateTimeOffset Now = new(2025, 3, 3, 12, 0, 0, TimeSpan.Zero);

    private readonly DirectoryInfo directory;
    private readonly ServiceProvider services;

    private readonly string? postgresDatabase;

    private TestStore(DirectoryInfo directory, ServiceProvider services, FixedClock clock, StoreProvider provider, string? postgresDatabase)
    {
        this.directory = directory;
        this.services = services;
        this.postgresDatabase = postgresDatabase;
        Clock = clock;
        Provider = provider;
    }

    public StoreProvider Provider { get; }

    public FixedClock Clock { get; }

    public string DataDirectory => directory.FullName;

    public IStoreDatabase Database => services.GetRequiredService<IStoreDatabase>();

    public SqliteDatabase SqliteDatabase => services.GetRequiredService<SqliteDatabase>();

    public PostgresDatabase PostgresDatabase => services.GetRequiredService<PostgresDatabase>();

    public IServiceProvider Services => services;

    public IngestPipeline Pipeline => services.GetRequiredService<IngestPipeline>();

    public IWorkspaceStore Workspaces => services.GetRequiredService<IWorkspaceStore>();

    public ITopicStore Topics => services.GetRequiredService<ITopicStore>();

    public TopicCatalog Catalog => services.GetRequiredService<TopicCatalog>();

    public IMentionReader Reader => services.GetRequiredService<IMentionReader>();

    public ISeriesReader Series => services.GetRequiredService<ISeriesReader>();

    public TopicBackfill Backfill => services.GetRequiredService<TopicBackfill>();

    public static Task<TestStore> OpenAsync(IngestPipelineOptions? pipelineOptions = null) => OpenAsync(StoreProvider.Sqlite, pipelineOptions);

    public static async Task<TestStore> OpenAsync(StoreProvider provider, IngestPipelineOptions? pipelineOptions = null)
    {
        var directory = Directory.CreateTempSubdirectory("firebreak-storage-tests-");
        var clock = new FixedClock(Now);
        var collection = new ServiceCollection();
        // Registered first so the TryAdd calls in AddSqliteStore/AddIngestion keep them.
        collection.AddSingleton<TimeProvider>(clock);
        collection.AddSingleton<IMentionAnalyser, KeywordAnalyser>();
        string? database = null;
        if (provider == StoreProvider.Postgres)
        {
            database = "firebreak_t_" + Guid.NewGuid().ToString("N");
            collection.AddPostgresStore(new PostgresStoreOptions { ConnectionString = await CreateDatabaseAsync(database), DataDirectory = directory.FullName });
        }
        else
        {
            collection.AddSqliteStore(new SqliteStoreOptions { DataDirectory = directory.FullName, DurableCommits = false });
        }

        collection.AddIngestion();
        if (pipelineOptions is not null)
        {
            collection.AddSingleton(pipelineOptions);
        }

        var built = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        var store = new TestStore(directory, built, clock, provider, database);
        await store.Database.MigrateAsync();
        store.Pipeline.Start();
        return store;
    }

    /// <summary>
    /// A second node on the same PostgreSQL database: its own services, writer connection and pipeline, as
    /// another process would have. It does not drop the database; the store it was opened beside does.
    /// </summary>
    public async Task<TestStore> OpenSecondNodeAsync()
    {
        var second = Directory.CreateTempSubdirectory("firebreak-storage-tests-");
        var collection = new ServiceCollection();
        collection.AddSingleton<TimeProvider>(Clock);
        collection.AddSingleton<IMentionAnalyser, KeywordAnalyser>();
        collection.AddPostgresStore(new PostgresStoreOptions { ConnectionString = services.GetRequiredService<PostgresStoreOptions>().ConnectionString, DataDirectory = second.FullName });
        collection.AddIngestion();
        var built = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        var node = new TestStore(second, built, Clock, StoreProvider.Postgres, null);
        await node.Database.MigrateAsync();
        node.Pipeline.Start();
        return node;
    }

    public async Task<long> AddWorkspaceAsync(string slug = "acme")
    {
        var workspace = await Workspaces.AddAsync(slug, slug, "UTC", CancellationToken.None);
        Assert.NotNull(workspace);
        return workspace.Id;
    }

    public async Task<long> AddTopicAsync(long workspaceId, string name, string query)
    {
        var topic = await Topics.AddAsync(workspaceId, name, query, enabled: true, CancellationToken.None);
        Assert.NotNull(topic);
        Catalog.Invalidate(workspaceId);
        return topic.Id;
    }

    public Task<IngestReport> IngestAsync(long workspaceId, params MentionInput[] inputs) =>
        Pipeline.IngestAsync(IngestBatch.FromInputs(workspaceId, inputs));

    public async Task<long> ScalarAsync(string sql, params (string Name, object Value)[] parameters) =>
        Normalise(await ExecuteScalarAsync(sql, parameters)) is long value ? value : 0;

    public async Task<string?> TextAsync(string sql, params (string Name, object Value)[] parameters) =>
        await ExecuteScalarAsync(sql, parameters) as string;

    public async Task<List<object[]>> RowsAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenConnectionAsync();
        await using var command = Command(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object[]>();
        while (await reader.ReadAsync())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = Normalise(row[i]);
            }

            rows.Add(row);
        }

        return rows;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = await OpenConnectionAsync();
        await using var command = Command(connection, sql, []);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Mentions whose full-text entry holds any of these words (FTS5 table or tsvector column).</summary>
    public Task<long> FullTextCountAsync(params string[] anyOf) => Provider == StoreProvider.Postgres
        ? ScalarAsync("SELECT count(*) FROM mentions WHERE search @@ $q::tsquery", ("$q", string.Join(" | ", anyOf)))
        : ScalarAsync("SELECT count(*) FROM mention_fts WHERE mention_fts MATCH $q", ("$q", string.Join(" OR ", anyOf)));

    /// <summary>Makes inserting a mention with external id 'boom' fail inside the writer's transaction.</summary>
    public Task InstallFailingInsertAsync() => ExecuteAsync(Provider == StoreProvider.Postgres
        ? """
          CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN IF NEW.external_id = 'boom' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $f$;
          CREATE TRIGGER boom BEFORE INSERT ON mentions FOR EACH ROW EXECUTE FUNCTION boom();
          """
        : "CREATE TRIGGER boom BEFORE INSERT ON mentions WHEN NEW.external_id = 'boom' BEGIN SELECT RAISE(ABORT, 'boom'); END");

    public async ValueTask DisposeAsync()
    {
        var connectionString = Provider == StoreProvider.Sqlite ? SqliteDatabase.ConnectionString : null;
        await Pipeline.DrainAsync();
        await services.DisposeAsync();
        if (connectionString is not null)
        {
            using var connection = new SqliteConnection(connectionString);
            SqliteConnection.ClearPool(connection);
        }

        if (postgresDatabase is not null)
        {
            await DropDatabaseAsync(postgresDatabase);
        }

        directory.Delete(recursive: true);
    }

    /// <summary>Creates an empty database of that name on the test server; returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string name)
    {
        var server = PostgresServer.ConnectionString ?? throw new InvalidOperationException(PostgresServer.SkipReason);
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    /// <summary>
    /// Plain DROP, retried while the disposed store's connections close: WITH (FORCE) would also have to signal the
    /// autovacuum worker a fresh database attracts, which a non-superuser role may not do.
    /// </summary>
    public static async Task DropDatabaseAsync(string name)
    {
        await using var admin = new NpgsqlConnection(PostgresServer.ConnectionString);
        await admin.OpenAsync();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name}", admin);
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ObjectInUse && attempt < 20)
            {
                await Task.Delay(250);
            }
        }
    }

    /// <summary>Integers of every width (and PostgreSQL's numeric sums, and booleans) as long, so assertions are provider-neutral.</summary>
    private static object Normalise(object? value) => value switch
    {
        null => DBNull.Value,
        int i => (long)i,
        short s => (long)s,
        decimal d when decimal.Truncate(d) == d => (long)d,
        bool b => b ? 1L : 0L,
        _ => value,
    };

    private async Task<object?> ExecuteScalarAsync(string sql, (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenConnectionAsync();
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteScalarAsync();
    }

    private async Task<DbConnection> OpenConnectionAsync() => Provider == StoreProvider.Postgres
        ? await PostgresDatabase.OpenAsync()
        : await SqliteDatabase.OpenAsync();

    [GeneratedRegex(@"\$([A-Za-z_]\w*)")]
    private static partial Regex SqliteParameter();

    private static DbCommand Command(DbConnection connection, string sql, (string Name, object Value)[] parameters)
    {
        if (connection is NpgsqlConnection npgsql)
        {
            // $w → @w (Npgsql's named parameters); positional $1 and dollar quotes ($f$) are left alone.
            var command = new NpgsqlCommand(SqliteParameter().Replace(sql, m => parameters.Any(p => p.Name == m.Value) ? "@" + m.Groups[1].Value : m.Value), npgsql);
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name[1..], value);
            }

            return command;
        }

        var sqlite = ((SqliteConnection)connection).CreateCommand();
        sqlite.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            sqlite.Parameters.AddWithValue(name, value);
        }

        return sqlite;
    }
}
