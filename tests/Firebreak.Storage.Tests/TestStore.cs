using Firebreak.Core.Analysis;
using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;
using Firebreak.Core.Topics;
using Firebreak.Core.Workspaces;
using Firebreak.Storage.Sqlite;
using Firebreak.Web.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Firebreak.Storage.Tests;

/// <summary>
/// A fresh data folder wired exactly as the app wires it (AddSqliteStore + AddIngestion), migrated, with
/// the pipeline running and a fixed clock. Everything is real: SQLite file, WAL, pipeline stages.
/// </summary>
internal sealed class TestStore : IAsyncDisposable
{
    public static readonly DateTimeOffset Now = new(2025, 3, 3, 12, 0, 0, TimeSpan.Zero);

    private readonly DirectoryInfo directory;
    private readonly ServiceProvider services;

    private TestStore(DirectoryInfo directory, ServiceProvider services, FixedClock clock)
    {
        this.directory = directory;
        this.services = services;
        Clock = clock;
    }

    public FixedClock Clock { get; }

    public string DataDirectory => directory.FullName;

    public SqliteDatabase Database => services.GetRequiredService<SqliteDatabase>();

    public IngestPipeline Pipeline => services.GetRequiredService<IngestPipeline>();

    public IWorkspaceStore Workspaces => services.GetRequiredService<IWorkspaceStore>();

    public ITopicStore Topics => services.GetRequiredService<ITopicStore>();

    public TopicCatalog Catalog => services.GetRequiredService<TopicCatalog>();

    public IMentionReader Reader => services.GetRequiredService<IMentionReader>();

    public ISeriesReader Series => services.GetRequiredService<ISeriesReader>();

    public TopicBackfill Backfill => services.GetRequiredService<TopicBackfill>();

    public static async Task<TestStore> OpenAsync(IngestPipelineOptions? pipelineOptions = null)
    {
        var directory = Directory.CreateTempSubdirectory("firebreak-storage-tests-");
        var clock = new FixedClock(Now);
        var collection = new ServiceCollection();
        // Registered first so the TryAdd calls in AddSqliteStore/AddIngestion keep them.
        collection.AddSingleton<TimeProvider>(clock);
        collection.AddSingleton<IMentionAnalyser, KeywordAnalyser>();
        collection.AddSqliteStore(new SqliteStoreOptions { DataDirectory = directory.FullName, DurableCommits = false });
        collection.AddIngestion();
        if (pipelineOptions is not null)
        {
            collection.AddSingleton(pipelineOptions);
        }

        var provider = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        var store = new TestStore(directory, provider, clock);
        await store.Database.MigrateAsync();
        store.Pipeline.Start();
        return store;
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

    public async Task<long> ScalarAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await Database.OpenAsync();
        await using var command = Command(connection, sql, parameters);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<string?> TextAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await Database.OpenAsync();
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteScalarAsync() as string;
    }

    public async Task<List<object[]>> RowsAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await Database.OpenAsync();
        await using var command = Command(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object[]>();
        while (await reader.ReadAsync())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }

        return rows;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = await Database.OpenAsync();
        await using var command = Command(connection, sql, []);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        var connectionString = Database.ConnectionString;
        await Pipeline.DrainAsync();
        await services.DisposeAsync();
        using (var connection = new SqliteConnection(connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        directory.Delete(recursive: true);
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }
}
