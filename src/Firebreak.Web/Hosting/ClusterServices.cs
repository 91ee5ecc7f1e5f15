namespace Firebreak.Web.Hosting;

using Firebreak.Messaging.RabbitMq;
using Microsoft.Extensions.Hosting;

/// <summary>Listens to the other nodes' events (live mentions, topic and cue changes) while the host runs.</summary>
public sealed class ClusterEventsService(RabbitClusterEvents events) : BackgroundService
{
    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => events.RunAsync(stoppingToken);
}

/// <summary>Runs the ingest worker while the host runs.</summary>
public sealed class IngestWorkerService(IngestWorker worker) : BackgroundService
{
    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => worker.RunAsync(stoppingToken);
}

/// <summary>Feeds this web node's live detectors from the workers while the host runs (one node active at a time).</summary>
public sealed class DetectionFeedService(DetectionFeedConsumer consumer) : BackgroundService
{
    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => consumer.RunAsync(stoppingToken);
}
