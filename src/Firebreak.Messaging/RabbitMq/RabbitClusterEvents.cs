namespace Firebreak.Messaging.RabbitMq;

using System.Buffers;
using System.Text.Json;
using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;
using Firebreak.Core.RiskCues;
using Firebreak.Core.Topics;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

/// <summary>
/// What one node must tell the others, over the <c>firebreak.events</c> fanout: "these mentions were just
/// stored" (so every web node's live stream shows mentions a worker stored) and "this workspace's topics or
/// risk cues changed" (so every worker rebuilds its matcher). Events are best effort and transient: a node
/// that misses one shows a mention a moment later on refresh, and a cache is rebuilt on the next change.
/// </summary>
public sealed class RabbitClusterEvents : IAsyncDisposable
{
    private readonly RabbitMqOptions options;
    private readonly TopicCatalog catalog;
    private readonly RiskCueMatcher cues;
    private readonly LiveMentionHub hub;
    private readonly IMentionReader reader;
    private static readonly TimeSpan PublishPatience = TimeSpan.FromSeconds(3);
    private readonly SemaphoreSlim publishing = new(1, 1);
    private IConnection? connection;
    private IChannel? channel;

    /// <summary>Creates the event bus and starts announcing this node's own cache invalidations.</summary>
    public RabbitClusterEvents(RabbitMqOptions options, TopicCatalog catalog, RiskCueMatcher cues, LiveMentionHub hub, IMentionReader reader)
    {
        this.options = options;
        this.catalog = catalog;
        this.cues = cues;
        this.hub = hub;
        this.reader = reader;
        catalog.Invalidated += workspace => _ = PublishAsync(new ClusterEvent("topics", workspace, null));
        cues.Invalidated += workspace => _ = PublishAsync(new ClusterEvent("cues", workspace, null));
    }

    /// <summary>Node identity, so a node ignores its own announcements.</summary>
    public string NodeId { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Tells every node which mentions were stored (called by the worker after commit).</summary>
    public Task AnnounceStoredAsync(long workspaceId, long[] mentionIds) =>
        PublishAsync(new ClusterEvent("mentions", workspaceId, mentionIds));

    /// <summary>A relayed event with a payload of its own (<see cref="RelayAsync"/>) arrived from another node.</summary>
    public event Action<string, long, string>? Relayed;

    /// <summary>
    /// Relays an opaque payload of a named kind (e.g. "alert": a live alert event as JSON) to every other node,
    /// which raise <see cref="Relayed"/>. Best effort, like every event.
    /// </summary>
    public Task RelayAsync(string kind, long workspaceId, string payload) =>
        PublishAsync(new ClusterEvent("relay:" + kind, workspaceId, null, Payload: payload));

    /// <summary>Hands a stored batch to the live detectors' feed (best effort, like every event).</summary>
    public Task FeedDetectorsAsync(byte[] body) =>
        PublishAsync(body, string.Empty, RabbitTopology.DetectionQueue(options));

    /// <summary>Consumes events until cancelled, reconnecting when the broker goes away.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await ConsumerLoop.RunAsync(options, "events", SubscribeAsync, cancellationToken).ConfigureAwait(false);

        async Task<IChannel> SubscribeAsync(IConnection listen, CancellationToken ct)
        {
            var listenChannel = await listen.CreateChannelAsync(cancellationToken: ct).ConfigureAwait(false);
            await listenChannel.ExchangeDeclareAsync(RabbitTopology.EventsExchange(options), ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: ct).ConfigureAwait(false);
            // A private, server-named queue that disappears with this node.
            var queue = await listenChannel.QueueDeclareAsync(string.Empty, durable: false, exclusive: true, autoDelete: true, cancellationToken: ct).ConfigureAwait(false);
            await listenChannel.QueueBindAsync(queue.QueueName, RabbitTopology.EventsExchange(options), string.Empty, cancellationToken: ct).ConfigureAwait(false);
            var consumer = new AsyncEventingBasicConsumer(listenChannel);
            consumer.ReceivedAsync += (_, delivery) => OnEventAsync(delivery, ct);
            await listenChannel.BasicConsumeAsync(queue.QueueName, autoAck: true, consumer, ct).ConfigureAwait(false);
            return listenChannel;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (channel is not null)
        {
            await channel.DisposeAsync().ConfigureAwait(false);
        }

        if (connection is not null)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        publishing.Dispose();
    }

    private async Task OnEventAsync(BasicDeliverEventArgs delivery, CancellationToken cancellationToken)
    {
        ClusterEvent? received;
        try
        {
            received = JsonSerializer.Deserialize(delivery.Body.Span, ClusterEventJson.Default.ClusterEvent);
        }
        catch (JsonException)
        {
            return;
        }

        if (received is null || received.Node == NodeId)
        {
            return;
        }

        switch (received.Type)
        {
            case "topics":
                catalog.InvalidateLocal(received.Workspace);
                break;
            case "cues":
                cues.InvalidateLocal(received.Workspace);
                break;
            case { } type when type.StartsWith("relay:", StringComparison.Ordinal) && received.Payload is { } payload:
                Relayed?.Invoke(type["relay:".Length..], received.Workspace, payload);
                break;
            case "mentions" when received.Ids is { } ids && hub.HasSubscribers(received.Workspace):
                // Only nodes with someone watching read the mentions back.
                foreach (var id in ids)
                {
                    if (await reader.GetAsync(received.Workspace, id, cancellationToken).ConfigureAwait(false) is { } mention)
                    {
                        hub.Publish(received.Workspace, new LiveMention(mention, [], IngestOutcome.Inserted));
                    }
                }

                break;
        }
    }

    private Task PublishAsync(ClusterEvent message)
    {
        var body = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(body))
        {
            JsonSerializer.Serialize(json, message with { Node = NodeId }, ClusterEventJson.Default.ClusterEvent);
        }

        return PublishAsync(body.WrittenMemory, RabbitTopology.EventsExchange(options), string.Empty);
    }

    private async Task PublishAsync(ReadOnlyMemory<byte> body, string exchange, string routingKey)
    {
        // Never hold up the worker's pipeline: an event that cannot go out within a few seconds (a broker
        // restarting, a quorum queue electing its leader) is dropped, as best effort allows.
        using var patience = new CancellationTokenSource(PublishPatience);
        try
        {
            await publishing.WaitAsync(patience.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        try
        {
            if (channel is not { IsOpen: true })
            {
                if (connection is not null)
                {
                    await connection.DisposeAsync().ConfigureAwait(false);
                    connection = null;
                }

                connection = await RabbitTopology.ConnectAsync(options, "announce", patience.Token).ConfigureAwait(false);
                channel = await connection.CreateChannelAsync(cancellationToken: patience.Token).ConfigureAwait(false);
                await channel.ExchangeDeclareAsync(RabbitTopology.EventsExchange(options), ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: patience.Token).ConfigureAwait(false);
                await RabbitTopology.DeclareDetectionQueueAsync(channel, options, patience.Token).ConfigureAwait(false);
            }

            await channel.BasicPublishAsync(exchange, routingKey, body, patience.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or RabbitMQ.Client.Exceptions.BrokerUnreachableException or RabbitMQ.Client.Exceptions.OperationInterruptedException or RabbitMQ.Client.Exceptions.AlreadyClosedException)
        {
            // Best effort by design (see the class summary); the next event starts on a fresh channel.
            if (channel is not null)
            {
                await channel.DisposeAsync().ConfigureAwait(false);
                channel = null;
            }
        }
        finally
        {
            publishing.Release();
        }
    }
}

/// <summary>One cluster event on the wire.</summary>
/// <param name="Type">"mentions", "topics", "cues" or "relay:&lt;kind&gt;".</param>
/// <param name="Workspace">The workspace concerned.</param>
/// <param name="Ids">For "mentions": the ids stored.</param>
/// <param name="Node">The announcing node.</param>
/// <param name="Payload">For "relay:…": what is relayed.</param>
public sealed record ClusterEvent(string Type, long Workspace, long[]? Ids, string? Node = null, string? Payload = null);

/// <summary>Source-generated JSON for <see cref="ClusterEvent"/>.</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(ClusterEvent))]
internal sealed partial class ClusterEventJson : System.Text.Json.Serialization.JsonSerializerContext;

/// <summary>The worker's last stage: announces what it stored to every node.</summary>
public sealed class AnnounceStage(RabbitClusterEvents events) : IIngestStage
{
    private readonly List<long> ids = [];

    /// <inheritdoc />
    public string Name => "announce";

    /// <inheritdoc />
    public async ValueTask ProcessAsync(IReadOnlyList<IngestBatch> batches, CancellationToken cancellationToken)
    {
        foreach (var batch in batches)
        {
            ids.Clear();
            foreach (var item in batch.Items)
            {
                if (item.Outcome is IngestOutcome.Inserted or IngestOutcome.Updated && item.Mention is { } mention)
                {
                    ids.Add(mention.Id);
                }
            }

            if (ids.Count > 0)
            {
                await events.AnnounceStoredAsync(batch.WorkspaceId, [.. ids]).ConfigureAwait(false);
                await events.FeedDetectorsAsync(DetectionFeedCodec.Encode(batch.WorkspaceId, batch.Items)!).ConfigureAwait(false);
            }
        }
    }
}
