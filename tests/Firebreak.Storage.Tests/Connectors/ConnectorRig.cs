namespace Firebreak.Storage.Tests.Connectors;

using System.Collections.Concurrent;
using System.Security.Cryptography;
using Firebreak.Core.Alerts;
using Firebreak.Core.Connectors;
using Firebreak.Core.Connectors.Bluesky;
using Firebreak.Core.Connectors.Feeds;
using Firebreak.Core.Connectors.Mastodon;
using Firebreak.Core.Detection;
using Firebreak.Core.Mentions;
using Firebreak.Core.Secrets;
using Firebreak.Core.Workspaces;
using Firebreak.Storage.Connectors;
using Microsoft.Extensions.DependencyInjection;

/// <summary>Records the detections connectors raise (the alerting seam's entry), so tests can see which alerts were asked for.</summary>
internal sealed class RecordingAlertSink : IAlertSink
{
    public ConcurrentQueue<Detection> Raised { get; } = new();

    public ValueTask SubmitAsync(IReadOnlyList<Detection> detections, CancellationToken cancellationToken = default)
    {
        foreach (var d in detections)
        {
            Raised.Enqueue(d);
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// The real connector machinery over a real store and pipeline (<see cref="TestStore"/>): the portable connector store,
/// owned accounts with AES-GCM encrypted credentials, the adapters pointed at a stub platform, and the runner.
/// Waits are shortened (backoff 20 ms) but real.
/// </summary>
internal sealed class ConnectorRig : IAsyncDisposable
{
    private ConnectorRig(TestStore store, long workspaceId)
    {
        Store = store;
        WorkspaceId = workspaceId;
        Protector = new AesGcmSecretProtector(RandomNumberGenerator.GetBytes(32));
        Connectors = new ConnectorStore(store.Services.GetRequiredService<PortableDatabase>());
        Connections = new ConnectionService(Connectors, Protector, TimeProvider.System, Alerts);
        Http = new ConnectorHttp(new HttpClient { Timeout = Timeout.InfiniteTimeSpan }, HttpOptions, TimeProvider.System);
        Bluesky = new BlueskyOptions { ResumeRewind = TimeSpan.FromSeconds(5), CheckpointEvery = 3 };
    }

    public TestStore Store { get; }

    public long WorkspaceId { get; }

    public AesGcmSecretProtector Protector { get; }

    public RecordingAlertSink Alerts { get; } = new();

    public ConnectorStore Connectors { get; }

    public ConnectionService Connections { get; }

    public ConnectorHttpOptions HttpOptions { get; } = new() { BaseBackoff = TimeSpan.FromMilliseconds(20), MaxAttempts = 3, Timeout = TimeSpan.FromSeconds(10) };

    public ConnectorHttp Http { get; }

    public BlueskyOptions Bluesky { get; }

    public MastodonOptions Mastodon { get; } = new() { PageLimit = 40 };

    public static async Task<ConnectorRig> OpenAsync(StoreProvider provider = StoreProvider.Sqlite)
    {
        var store = await TestStore.OpenAsync(provider);
        return new ConnectorRig(store, await store.AddWorkspaceAsync());
    }

    public ConnectorRunnerOptions RunnerOptions { get; } = new() { RetryDelay = TimeSpan.FromMilliseconds(20), PollInterval = TimeSpan.FromMilliseconds(20) };

    public ConnectorRunner Runner() => new(
        [new MastodonConnector(Http, Mastodon), new BlueskyConnector(Http, Bluesky), new FeedConnector(Http)],
        Connectors,
        Connections,
        Store.Pipeline,
        RunnerOptions,
        TimeProvider.System);

    public Task<Source> SourceAsync(Platform platform, SourceKind kind, string target) =>
        Store.Workspaces.AddSourceAsync(WorkspaceId, platform, kind, target, null, CancellationToken.None);

    public HealthTracker Health(Source source) => new(WorkspaceId, source.Id, source.Platform, TimeProvider.System);

    public async Task<ListenReport> PassAsync(Source source, HealthTracker? health = null)
    {
        var runner = Runner();
        return await runner.PassAsync(source, runner.ConnectorFor(source.Platform)!, health ?? Health(source), CancellationToken.None);
    }

    /// <summary>The external ids stored for the workspace, sorted.</summary>
    public async Task<List<string>> StoredIdsAsync()
    {
        var rows = await Store.RowsAsync("SELECT external_id FROM mentions WHERE workspace_id = $w ORDER BY external_id", ("$w", WorkspaceId));
        return rows.Select(r => (string)r[0]).ToList();
    }

    public ValueTask DisposeAsync() => Store.DisposeAsync();
}
