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

/// <summary>
/// Live alert events (an alert opened or changed, an in-app notification) reach the browsers of every web node,
/// not only those of the node where they happened: relayed over the cluster events.
/// </summary>
public sealed class AlertEventRelay(RabbitClusterEvents events, Core.Alerts.AlertLiveHub hub) : IHostedService
{
    private static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web);

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        hub.PublishedHere += Forward;
        events.Relayed += Receive;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken)
    {
        hub.PublishedHere -= Forward;
        events.Relayed -= Receive;
        return Task.CompletedTask;
    }

    private void Forward(long workspaceId, Core.Alerts.LiveAlertEvent item) =>
        _ = events.RelayAsync("alert", workspaceId, System.Text.Json.JsonSerializer.Serialize(item, Json));

    private void Receive(string kind, long workspaceId, string payload)
    {
        if (kind != "alert")
        {
            return;
        }

        try
        {
            if (System.Text.Json.JsonSerializer.Deserialize<Core.Alerts.LiveAlertEvent>(payload, Json) is { } item)
            {
                hub.PublishFromElsewhere(workspaceId, item);
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // A node of another version: its event is skipped; the browser sees the change on refresh.
        }
    }
}
