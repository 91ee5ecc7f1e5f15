namespace Firebreak.Cli;

using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;
using Firebreak.Core.Topics;
using Firebreak.Core.Workspaces;
using System.Data.Common;
using Firebreak.Storage;
using Firebreak.Storage.Postgres;
using Firebreak.Storage.Sqlite;
using Firebreak.Web.Hosting;
using Microsoft.Extensions.DependencyInjection;

/// <summary>
/// The same services `serve` runs, wired for a command that works on the data folder directly (import,
/// replay, export, bench). SQLite lets it run beside a live server: writers take turns, readers never wait.
/// </summary>
internal sealed class LocalEngine : IAsyncDisposable
{
    private readonly ServiceProvider services;

    private LocalEngine(ServiceProvider services) => this.services = services;

    public IngestPipeline Pipeline => services.GetRequiredService<IngestPipeline>();

    public IWorkspaceStore Workspaces => services.GetRequiredService<IWorkspaceStore>();

    public ITopicStore Topics => services.GetRequiredService<ITopicStore>();

    public TopicCatalog Catalog => services.GetRequiredService<TopicCatalog>();

    public IMentionReader Mentions => services.GetRequiredService<IMentionReader>();

    public ISeriesReader Series => services.GetRequiredService<ISeriesReader>();

    public TimeProvider Clock => services.GetRequiredService<TimeProvider>();

    public IServiceProvider Services => services;

    public TopicBackfill Backfill => services.GetRequiredService<TopicBackfill>();

    public Core.Security.IAccountStore Accounts => services.GetRequiredService<Core.Security.IAccountStore>();

    public Core.Security.AccountService AccountService => services.GetRequiredService<Core.Security.AccountService>();

    public Core.Security.IAuditStore Audit => services.GetRequiredService<Core.Security.IAuditStore>();

    public Core.Corrections.ICorrectionStore Corrections => services.GetRequiredService<Core.Corrections.ICorrectionStore>();

    /// <summary>Opens the store the command line names: --postgres (or FIREBREAK_POSTGRES) if given, else the data folder.</summary>
    public static Task<LocalEngine> OpenAsync(System.CommandLine.ParseResult result) =>
        OpenAsync(result.GetValue(FirebreakCli.Data)!, postgres: result.GetValue(FirebreakCli.Postgres));

    /// <param name="postgres">A PostgreSQL connection string to work on that store instead of the data folder's SQLite file.</param>
    public static async Task<LocalEngine> OpenAsync(string dataDirectory, bool durable = true, Action<IServiceCollection>? configure = null, string? postgres = null)
    {
        var collection = new ServiceCollection();
        collection.AddStore(new FirebreakOptions { DataDirectory = dataDirectory, DurableCommits = durable, PostgresConnectionString = postgres });
        collection.AddIngestion();
        configure?.Invoke(collection);
        var provider = collection.BuildServiceProvider();
        await provider.GetRequiredService<IStoreDatabase>().MigrateAsync();
        provider.GetRequiredService<IngestPipeline>().Start();
        return new LocalEngine(provider);
    }

    public async Task<Workspace> RequireWorkspaceAsync(string slug, bool create, CancellationToken ct)
    {
        var found = await Workspaces.FindAsync(slug, ct);
        if (found is not null)
        {
            return found;
        }

        if (!create)
        {
            throw new CliException($"No workspace '{slug}' in this data folder. Create it with --create-workspace, or list them with `firebreak workspaces list`.");
        }

        return await Workspaces.AddAsync(slug, slug, "UTC", ct) ?? (await Workspaces.FindAsync(slug, ct))!;
    }

    /// <summary>Rows in mention_topics: how much matching work an ingest did (benchmarks report it).</summary>
    public async Task<long> CountTopicMatchesAsync(CancellationToken ct)
    {
        await using var connection = await OpenConnectionAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM mention_topics";
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>End of the newest hour with mentions, from the rollups.</summary>
    public async Task<DateTimeOffset?> NewestMentionAsync(long workspaceId, CancellationToken ct)
    {
        await using var connection = await OpenConnectionAsync(ct);
        await using var command = connection.CreateCommand();
        // The id is a long, so inlining it is safe and keeps the SQL the same for both providers.
        command.CommandText = $"SELECT max(bucket) FROM rollup_hour WHERE workspace_id = {workspaceId} AND topic_id = 0 AND count > 0";
        return await command.ExecuteScalarAsync(ct) is long hour ? DateTimeOffset.FromUnixTimeSeconds((hour + 1) * 3600) : null;
    }

    private async Task<DbConnection> OpenConnectionAsync(CancellationToken ct) =>
        services.GetService<PostgresDatabase>() is { } postgres
            ? await postgres.OpenAsync(ct)
            : await services.GetRequiredService<SqliteDatabase>().OpenAsync(ct);

    public async ValueTask DisposeAsync()
    {
        await Pipeline.DrainAsync();
        await services.DisposeAsync();
    }
}

/// <summary>An error the user can fix; printed without a stack trace.</summary>
internal sealed class CliException(string message) : Exception(message);
