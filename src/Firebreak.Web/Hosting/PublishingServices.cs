namespace Firebreak.Web.Hosting;

using Firebreak.Core.Alerts;
using Firebreak.Core.Cluster;
using Firebreak.Core.Publishing;
using Firebreak.Core.Publishing.Holds;
using Firebreak.Core.Publishing.Outbox;
using Firebreak.Core.Publishing.Platforms;
using Firebreak.Core.Workspaces;
using Firebreak.Storage.Publishing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

/// <summary>The sending side of publishing (docs/publishing-outbox.md): the outbox store, holds, publish clients and the loops that run them.</summary>
public static class PublishingServices
{
    /// <summary>How long a platform may take to answer one request before the attempt counts as timed out (and is reconciled).</summary>
    public static readonly TimeSpan PlatformTimeout = TimeSpan.FromSeconds(30);

    /// <summary>What any process with a store needs (the host and the CLI): the outbox, its door and the pause switch.</summary>
    public static IServiceCollection AddPublishingOutboxStore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(new OutboxOptions());
        services.AddSingleton<IOutboxStore, OutboxStore>();
        services.AddSingleton<IPublishQueue, PublishQueue>();
        services.AddSingleton<PublishHoldService>();
        services.AddSingleton<IPublishHolds, ActiveHolds>();
        return services;
    }

    /// <summary>The host's part: publish clients, the sender, the heartbeat watchdog and the rogue-post alarm (needs alerting).</summary>
    public static IServiceCollection AddPublishingOutbox(this IServiceCollection services)
    {
        services.TryAddSingleton(new MediaFetcherOptions());
        services.TryAddSingleton(sp => new MediaFetcher(sp.GetRequiredService<MediaFetcherOptions>()));
        services.AddSingleton<IPlatformPublisher>(sp => new MastodonPublisher(PlatformClient(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<MediaFetcher>()));
        services.AddSingleton<IPlatformPublisher>(sp => new BlueskyPublisher(PlatformClient(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<MediaFetcher>()));
        services.AddSingleton<OutboxSender>();
        services.AddSingleton<PublisherWatchdog>();
        services.AddSingleton<RoguePostMonitor>();
        services.AddHostedService<OutboxSenderService>();
        services.AddHostedService<PublishingWatchService>();
        return services;
    }

    private static HttpClient PlatformClient() =>
        new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AllowAutoRedirect = false }) { Timeout = PlatformTimeout };
}

/// <summary>
/// Runs the outbox sender on every node (items are leased, and claims of a workspace take turns in the store, so nodes
/// never send the same item). A pass that fails is logged and tried again; the heartbeat stops only if the loop stops.
/// </summary>
public sealed class OutboxSenderService(OutboxSender sender, OutboxOptions options, TimeProvider clock, ILogger<OutboxSenderService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var handled = 0;
            try
            {
                handled = await sender.RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Publishing outbox pass failed");
            }

            if (handled == 0)
            {
                await Task.Delay(options.PollInterval, clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}

/// <summary>
/// One node at a time (lease "publishing:watch"): the heartbeat watchdog every 30 seconds, and the rogue-post read-back of
/// every workspace's owned accounts every <see cref="OutboxOptions.ReadBackInterval"/>.
/// </summary>
public sealed class PublishingWatchService(ILeaseStore leases, PublisherWatchdog watchdog, RoguePostMonitor rogue, IWorkspaceStore workspaces, OutboxOptions options, TimeProvider clock, ILogger<PublishingWatchService> logger) : BackgroundService
{
    private static readonly TimeSpan WatchInterval = TimeSpan.FromSeconds(30);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        new LeaderElector(leases, "publishing:watch", NodeIdentity.Id, TimeSpan.FromMinutes(1), clock).RunAsync(
            async (_, leading) =>
            {
                var nextReadBack = clock.GetUtcNow();
                while (!leading.IsCancellationRequested)
                {
                    try
                    {
                        await watchdog.CheckAsync(leading);
                        if (clock.GetUtcNow() >= nextReadBack)
                        {
                            nextReadBack = clock.GetUtcNow() + options.ReadBackInterval;
                            foreach (var workspace in await workspaces.ListAsync(leading))
                            {
                                await rogue.ScanAsync(workspace.Id, leading);
                            }
                        }
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        logger.LogError(e, "Publishing watch pass failed");
                    }

                    await Task.Delay(WatchInterval, clock, leading).ContinueWith(_ => { }, TaskScheduler.Default);
                }
            },
            stoppingToken);
}
