namespace Firebreak.Web.Hosting;

using System.Net;
using Firebreak.Core.Cluster;
using Firebreak.Core.Connectors;
using Firebreak.Core.Connectors.Bluesky;
using Firebreak.Core.Connectors.Feeds;
using Firebreak.Core.Connectors.LinkedIn;
using Firebreak.Core.Connectors.Mastodon;
using Firebreak.Core.Connectors.Reddit;
using Firebreak.Core.Connectors.X;
using Firebreak.Core.Connectors.YouTube;
using Firebreak.Core.Connectors.OAuth;
using Firebreak.Core.Connectors.Pinterest;
using Firebreak.Core.Connectors.TikTok;
using Firebreak.Core.Mentions;
using Firebreak.Core.Connectors.Meta;
using Firebreak.Core.Publishing;
using Firebreak.Core.Publishing.Platforms;
using Firebreak.Core.Workspaces;
using Firebreak.Storage.Connectors;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

/// <summary>Connectors: the store, owned accounts (<see cref="IPlatformAccounts"/>), the adapters, the runner and its supervisor.</summary>
public static class ConnectorHosting
{
    /// <summary>Registers everything connectors need; <paramref name="runSources"/> false leaves listening off (tests that only use the API).</summary>
    public static IServiceCollection AddConnectors(this IServiceCollection services, bool runSources = true)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IConnectorStore, ConnectorStore>();
        services.TryAddSingleton<ConnectionService>();
        services.TryAddSingleton<IPlatformAccounts>(sp => sp.GetRequiredService<ConnectionService>());
        services.TryAddSingleton(new ConnectorHttpOptions());
        services.TryAddSingleton(new ConnectorRunnerOptions());
        services.TryAddSingleton(new MastodonOptions());
        services.TryAddSingleton(new BlueskyOptions());
        services.TryAddSingleton(sp => new ConnectorHttp(
            new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AutomaticDecompression = DecompressionMethods.All })
            {
                // Per-request timeouts are ConnectorHttp's; streams stay open for hours.
                Timeout = Timeout.InfiniteTimeSpan,
            },
            sp.GetRequiredService<ConnectorHttpOptions>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IListeningConnector, MastodonConnector>();
        services.AddSingleton<IListeningConnector>(sp => new BlueskyConnector(sp.GetRequiredService<ConnectorHttp>(), sp.GetRequiredService<BlueskyOptions>()));
        services.AddSingleton<IListeningConnector, FeedConnector>();
        services.AddSingleton<IReplySender, MastodonReplySender>();
        services.AddSingleton<IReplySender, BlueskyReplySender>();
        services.TryAddSingleton(new XOptions());
        services.TryAddSingleton(new RedditOptions());
        services.TryAddSingleton(new YouTubeOptions());
        services.AddSingleton<IListeningConnector, XConnector>();
        services.AddSingleton<IListeningConnector, RedditConnector>();
        services.AddSingleton<IListeningConnector, YouTubeConnector>();
        services.AddSingleton<IReplySender, XReplySender>();
        services.AddSingleton<IPlatformPublisher, XPublisher>();
        services.AddSingleton<IReplySender, RedditReplySender>();
        services.AddSingleton<IReplySender, YouTubeReplySender>();
        services.AddTikTokLinkedInPinterest();
        services.AddMetaConnectors();
        services.AddOAuthSignIn();
        services.TryAddSingleton<ConnectorRunner>();
        services.TryAddSingleton<MastodonOAuth>();
        services.TryAddSingleton<ReplyDispatcher>();
        if (runSources)
        {
            services.AddHostedService<ConnectorSupervisorService>();
            services.AddHostedService<ReplySendingService>();
        }

        return services;
    }

    /// <summary>TikTok, LinkedIn and Pinterest, configured from <c>Connectors:TikTok</c>, <c>Connectors:LinkedIn</c>, <c>Connectors:Pinterest</c> (client id and secret of the operator's app), and their token refresh.</summary>
    private static void AddTikTokLinkedInPinterest(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => Bind(sp, "Connectors:TikTok", new TikTokOptions()));
        services.TryAddSingleton(sp => Bind(sp, "Connectors:LinkedIn", new LinkedInOptions()));
        services.TryAddSingleton(sp => Bind(sp, "Connectors:Pinterest", new PinterestOptions()));
        services.AddSingleton<IListeningConnector, TikTokConnector>();
        services.AddSingleton<IListeningConnector, LinkedInConnector>();
        services.AddSingleton<IListeningConnector, PinterestConnector>();
        services.AddSingleton<IReplySender, TikTokReplySender>();
        services.TryAddSingleton<TikTokWebhook>();
        services.AddSingleton<IReplySender, LinkedInReplySender>();
        services.AddSingleton<IPlatformPublisher, LinkedInPublisher>();
        services.AddSingleton(sp => Grant(sp.GetRequiredService<TikTokOptions>()));
        services.AddSingleton(sp => Grant(sp.GetRequiredService<LinkedInOptions>()));
        services.AddSingleton(sp => Grant(sp.GetRequiredService<PinterestOptions>()));
        services.TryAddSingleton<TokenRefresher>();
    }

    private static RefreshTokenGrant Grant(TikTokOptions o) => new(Platform.TikTok, new Uri(o.OpenApiBase, "v2/oauth/token/"), o.ClientKey, o.ClientSecret, "client_key");

    private static RefreshTokenGrant Grant(LinkedInOptions o) => new(Platform.LinkedIn, o.TokenUri, o.ClientId, o.ClientSecret);

    private static RefreshTokenGrant Grant(PinterestOptions o) => new(Platform.Pinterest, new Uri(o.ApiBase, "oauth/token"), o.ClientId, o.ClientSecret, BasicAuth: true);

    private static T Bind<T>(IServiceProvider services, string section, T options)
    {
        services.GetService<IConfiguration>()?.GetSection(section).Bind(options);
        return options;
    }
}

/// <summary>
/// Runs one <see cref="ConnectorRunner"/> loop per enabled source whose platform has a connector, on the node holding the
/// "connectors:runner" lease (two nodes listening to one stream would only double the platform's rate-limit spend). Every
/// 30 seconds it starts loops for new sources, stops removed or disabled ones, and checks credential expiry.
/// </summary>
public sealed class ConnectorSupervisorService(
    ILeaseStore leases,
    IWorkspaceStore workspaces,
    ConnectorRunner runner,
    ConnectionService connections,
    TokenRefresher refresher,
    TimeProvider clock,
    ILogger<ConnectorSupervisorService> logger) : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(30);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        new LeaderElector(leases, "connectors:runner", NodeIdentity.Id, TimeSpan.FromSeconds(30), clock).RunAsync(
            async (_, leading) =>
            {
                var running = new Dictionary<long, (Source Source, CancellationTokenSource Stop, Task Loop)>();
                try
                {
                    while (!leading.IsCancellationRequested)
                    {
                        try
                        {
                            await SyncAsync(running, leading);
                            // Refresh first: a token renewed in time needs no expiry warning.
                            await refresher.RefreshDueAsync(leading);
                            await connections.CheckExpiryAsync(leading);
                        }
                        catch (Exception e) when (e is not OperationCanceledException)
                        {
                            logger.LogError(e, "Connector supervision pass failed");
                        }

                        await Task.Delay(Tick, clock, leading);
                    }
                }
                finally
                {
                    foreach (var (_, stop, _) in running.Values)
                    {
                        await stop.CancelAsync();
                    }

                    await Task.WhenAll(running.Values.Select(r => r.Loop)).ContinueWith(_ => { }, TaskScheduler.Default);
                }
            },
            stoppingToken);

    private async Task SyncAsync(Dictionary<long, (Source Source, CancellationTokenSource Stop, Task Loop)> running, CancellationToken leading)
    {
        var wanted = new Dictionary<long, Source>();
        foreach (var workspace in await workspaces.ListAsync(leading))
        {
            foreach (var source in await workspaces.ListSourcesAsync(workspace.Id, leading))
            {
                if (source.Enabled && runner.ConnectorFor(source.Platform) is { } connector && connector.Unsupported(source) is null)
                {
                    wanted[source.Id] = source;
                }
            }
        }

        foreach (var (id, (source, stop, loop)) in running.ToArray())
        {
            if (!wanted.TryGetValue(id, out var now) || now != source || loop.IsCompleted)
            {
                await stop.CancelAsync();
                running.Remove(id);
            }
        }

        foreach (var (id, source) in wanted)
        {
            if (!running.ContainsKey(id))
            {
                var stop = CancellationTokenSource.CreateLinkedTokenSource(leading);
                running[id] = (source, stop, Task.Run(() => LoopAsync(source, stop.Token), CancellationToken.None));
            }
        }
    }

    private async Task LoopAsync(Source source, CancellationToken cancellationToken)
    {
        try
        {
            await runner.RunAsync(source, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // The next supervision pass starts it again.
            logger.LogError(e, "Listening to source {Source} ({Platform}) failed", source.Id, source.Platform);
        }
    }
}

/// <summary>Sends the inbox's queued replies every few seconds, on the node holding the "connectors:replies" lease.</summary>
public sealed class ReplySendingService(ILeaseStore leases, ReplyDispatcher dispatcher, TimeProvider clock, ILogger<ReplySendingService> logger) : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(5);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        new LeaderElector(leases, "connectors:replies", NodeIdentity.Id, TimeSpan.FromSeconds(30), clock).RunAsync(
            async (_, leading) =>
            {
                while (!leading.IsCancellationRequested)
                {
                    try
                    {
                        await dispatcher.SendQueuedAsync(50, leading);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        logger.LogError(e, "Sending queued replies failed");
                    }

                    await Task.Delay(Tick, clock, leading);
                }
            },
            stoppingToken);
}
