namespace Firebreak.Cluster.Tests;

using System.Diagnostics;
using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;
using Firebreak.Core.Workspaces;
using Firebreak.Messaging.RabbitMq;
using Firebreak.Storage;
using Npgsql;
using Firebreak.Web.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RabbitMQ.Client;

/// <summary>
/// A small real cluster for one test: its own RabbitMQ names (a unique prefix on the shared broker), a front
/// pipeline that queues mentions exactly as a web node does, a store, and workers (in-process or as real
/// `firebreak worker` processes that can be killed).
/// </summary>
internal sealed class BrokerCluster : IAsyncDisposable
{
    private readonly List<IHost> workers = [];
    private readonly List<Process> processes = [];

    private readonly string rabbitUri;
    private readonly string? postgresServer;

    private BrokerCluster(string prefix, DirectoryInfo data, string rabbitUri, string? postgresServer, string? postgres, IHost store, long workspaceId)
    {
        this.rabbitUri = rabbitUri;
        this.postgresServer = postgresServer;
        Postgres = postgres;
        Prefix = prefix;
        Data = data;
        Store = store;
        WorkspaceId = workspaceId;
        Rabbit = new RabbitMqOptions { Uri = new Uri(rabbitUri), Prefix = prefix, ClientName = "firebreak-test" };
        Broker = new BrokerIngestStage(Rabbit);
        Front = new IngestPipeline([new NormaliseStage(new MentionNormaliser(TimeProvider.System)), new DedupeStage(), Broker]);
        Front.Start();
    }

    public string Prefix { get; }

    /// <summary>The cluster's own PostgreSQL database when a server is configured (as in CI), else null (SQLite).</summary>
    public string? Postgres { get; }

    public DirectoryInfo Data { get; }

    public RabbitMqOptions Rabbit { get; }

    public BrokerIngestStage Broker { get; }

    public IngestPipeline Front { get; }

    public long WorkspaceId { get; }

    /// <summary>An API token (read, write, ingest) of an owner of the workspace.</summary>
    public string Token { get; private init; } = string.Empty;

    /// <summary>A client of a web node that sends <see cref="Token"/>.</summary>
    public HttpClient Client(string baseAddress, TimeSpan? timeout = null) => Firebreak.Tests.Shared.TestAccounts.WithBearer(new Uri(baseAddress), Token, timeout);

    /// <summary>A host over the same store, used by the test to read what the workers stored.</summary>
    public IHost Store { get; }

    public IMentionReader Reader => Store.Services.GetRequiredService<IMentionReader>();

    public FirebreakOptions Options => new() { DataDirectory = Data.FullName, PostgresConnectionString = Postgres, RabbitMq = rabbitUri, RabbitMqPrefix = Prefix, DurableCommits = false };

    /// <summary>Starts a cluster on the shared servers, or with <paramref name="faults"/> on the fault tests' own ones.</summary>
    public static async Task<BrokerCluster> StartAsync(bool faults = false)
    {
        var rabbitUri = (faults ? TestServers.FaultsRabbitMq : TestServers.RabbitMq)!;
        var postgresServer = faults ? TestServers.FaultsPostgres : TestServers.Postgres;
        var prefix = "fbtest-" + Guid.NewGuid().ToString("N")[..10];
        var data = Directory.CreateTempSubdirectory("firebreak-cluster-");
        // The workers share PostgreSQL when there is one (the deployment this is for), else one SQLite file.
        var postgres = postgresServer is null ? null : await CreateDatabaseAsync(postgresServer, "fbc_" + Guid.NewGuid().ToString("N")[..12]);
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddStore(new FirebreakOptions { DataDirectory = data.FullName, PostgresConnectionString = postgres, DurableCommits = false });
        var store = builder.Build();
        await store.Services.GetRequiredService<IStoreDatabase>().MigrateAsync();
        var workspace = await store.Services.GetRequiredService<IWorkspaceStore>().AddAsync("acme", "Acme", "UTC", CancellationToken.None);
        // Web nodes require a signed-in caller: an owner of the workspace with an API token, made on the shared store.
        var token = await Firebreak.Tests.Shared.TestAccounts.TokenForAsync(store.Services, "ops@example.com", workspace!.Id, Firebreak.Core.Security.WorkspaceRole.Owner);
        return new BrokerCluster(prefix, data, rabbitUri, postgresServer, postgres, store, workspace.Id) { Token = token };
    }

    /// <summary>Starts an in-process worker (the real worker host).</summary>
    public async Task<IHost> StartWorkerAsync()
    {
        var host = await WorkerHost.BuildAsync(Options);
        await host.StartAsync();
        workers.Add(host);
        return host;
    }

    /// <summary>Starts a real `firebreak worker` process, which the test can kill with SIGKILL.</summary>
    public async Task<Process> StartWorkerProcessAsync()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "firebreak.dll"), "worker", "--data", Data.FullName, "--rabbitmq", rabbitUri, "--rabbitmq-prefix", Prefix },
            Environment = { ["FIREBREAK_POSTGRES"] = Postgres ?? string.Empty },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start)!;
        processes.Add(process);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.Contains("is consuming", StringComparison.Ordinal) == true)
            {
                ready.TrySetResult();
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return process;
    }

    /// <summary>
    /// Sends mentions as a web node does and, like a well-behaved client, sends a batch again until it is
    /// acknowledged (the broker down is a 503 to a client).
    /// </summary>
    public async Task SendAsync(IReadOnlyList<MentionInput> inputs, int batchSize = 50, CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < inputs.Count; i += batchSize)
        {
            var slice = inputs.Skip(i).Take(batchSize).ToArray();
            while (true)
            {
                try
                {
                    var report = await Front.IngestAsync(IngestBatch.FromInputs(WorkspaceId, slice), cancellationToken);
                    Assert.Equal(slice.Length, report.Queued);
                    break;
                }
                catch (IngestStageException)
                {
                    await Task.Delay(200, cancellationToken);
                }
            }
        }
    }

    /// <summary>Waits until the store holds <paramref name="count"/> mentions (and not more).</summary>
    public async Task WaitForCountAsync(long count, TimeSpan timeout)
    {
        var started = Stopwatch.GetTimestamp();
        long seen;
        while ((seen = await CountAsync()) < count)
        {
            Assert.True(Stopwatch.GetElapsedTime(started) < timeout, $"only {seen} of {count} mentions stored after {timeout}");
            await Task.Delay(100);
        }

        Assert.Equal(count, seen);
    }

    /// <summary>How many mentions are stored; while a fault test restarts PostgreSQL, a failed read counts as -1.</summary>
    public async Task<long> CountAsync()
    {
        try
        {
            return await Reader.CountAsync(WorkspaceId, CancellationToken.None);
        }
        catch (NpgsqlException)
        {
            return -1;
        }
    }

    /// <summary>Every stored mention's key and text, for comparing with what was sent.</summary>
    public async Task<Dictionary<string, string>> StoredTextsAsync()
    {
        var stored = new Dictionary<string, string>();
        await foreach (var mention in Reader.StreamAsync(WorkspaceId, new MentionFilter(), CancellationToken.None))
        {
            Assert.True(stored.TryAdd(mention.ExternalId, mention.Text), $"mention {mention.ExternalId} stored twice");
        }

        return stored;
    }

    public async Task<IChannel> OpenChannelAsync(IConnection connection)
    {
        var channel = await connection.CreateChannelAsync();
        await RabbitTopology.DeclareAsync(channel, Rabbit, CancellationToken.None);
        return channel;
    }

    public static MentionInput Input(int id, string text, DateTimeOffset at) => new()
    {
        Platform = "x",
        ExternalId = "m" + id.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Kind = "post",
        Author = new AuthorInput { Handle = "@user" + (id % 97).ToString(System.Globalization.CultureInfo.InvariantCulture), Followers = id },
        Text = text,
        CreatedAt = at,
    };

    public async ValueTask DisposeAsync()
    {
        foreach (var process in processes)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }

        foreach (var worker in workers)
        {
            await worker.StopAsync(TimeSpan.FromSeconds(10));
            worker.Dispose();
        }

        await Front.DrainAsync();
        await Broker.DisposeAsync();
        try
        {
            await using var connection = await RabbitTopology.ConnectAsync(Rabbit, "cleanup", CancellationToken.None);
            await using var channel = await connection.CreateChannelAsync();
            await RabbitTopology.DeleteAsync(channel, Rabbit, CancellationToken.None);
        }
        catch (Exception ex) when (ex is RabbitMQ.Client.Exceptions.BrokerUnreachableException or RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            // The broker is being restarted by a fault test; the names are unique, so leftovers do no harm.
        }

        Store.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Data.Delete(recursive: true);
        if (Postgres is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await DropDatabaseAsync(postgresServer!, new NpgsqlConnectionStringBuilder(Postgres).Database!);
        }
    }

    private static async Task<string> CreateDatabaseAsync(string server, string name)
    {
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    private static async Task DropDatabaseAsync(string server, string name)
    {
        await using var admin = new NpgsqlConnection(server);
        await admin.OpenAsync();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name}", admin);
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ObjectInUse && attempt < 40)
            {
                // Killed worker processes' connections take a moment to go.
                await Task.Delay(250);
            }
        }
    }
}
