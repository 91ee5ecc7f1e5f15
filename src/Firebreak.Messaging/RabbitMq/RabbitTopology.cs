namespace Firebreak.Messaging.RabbitMq;

using System.Globalization;
using RabbitMQ.Client;

/// <summary>
/// The exchanges and queues of a Firebreak cluster, declared idempotently by every node at start:
/// <list type="bullet">
/// <item><c>firebreak.ingest</c> (direct) → quorum queues <c>firebreak.ingest.NN</c>, one per partition, each with a
/// single active consumer (order per key) and a delivery limit (a message that keeps crashing workers stops).</item>
/// <item><c>firebreak.dead</c> (fanout) → quorum queue <c>firebreak.dead</c>: poison messages, with the reason in headers.</item>
/// <item><c>firebreak.events</c> (fanout): live mentions and cache invalidations for every node (transient).</item>
/// </list>
/// </summary>
public static class RabbitTopology
{
    /// <summary>Exchange the front nodes publish ingest messages to.</summary>
    public static string IngestExchange(RabbitMqOptions options) => options.Prefix + ".ingest";

    /// <summary>Exchange and queue for dead letters.</summary>
    public static string DeadLetters(RabbitMqOptions options) => options.Prefix + ".dead";

    /// <summary>Fanout exchange for cluster events (live mentions, topic changes).</summary>
    public static string EventsExchange(RabbitMqOptions options) => options.Prefix + ".events";

    /// <summary>Header carrying why a message was dead-lettered by a worker.</summary>
    /// <summary>
    /// The live detectors' feed: every stored mention with its id, sentiment and topics, published by workers
    /// and consumed by exactly one web node at a time (single active consumer: RabbitMQ elects the detector's
    /// leader and fails over). Bounded: if no web node reads it, the oldest messages go (detection is not the
    /// record of anything; the store is).
    /// </summary>
    public static string DetectionQueue(RabbitMqOptions options) => options.Prefix + ".detect";

    /// <summary>Most messages the detection feed holds before dropping its oldest.</summary>
    public const int DetectionQueueLength = 100_000;

    public const string ReasonHeader = "x-firebreak-reason";

    /// <summary>Header carrying the queue a dead letter came from.</summary>
    public const string QueueHeader = "x-firebreak-queue";

    /// <summary>The queue of partition <paramref name="partition"/>.</summary>
    public static string QueueName(RabbitMqOptions options, int partition) => options.Prefix + ".ingest." + partition.ToString("D2", CultureInfo.InvariantCulture);

    /// <summary>The routing key of partition <paramref name="partition"/>.</summary>
    public static string RoutingKey(int partition) => partition.ToString(CultureInfo.InvariantCulture);

    /// <summary>Declares everything (safe to repeat; fails if an existing queue was declared with other settings).</summary>
    public static async Task DeclareAsync(IChannel channel, RabbitMqOptions options, CancellationToken cancellationToken)
    {
        await channel.ExchangeDeclareAsync(DeadLetters(options), ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken).ConfigureAwait(false);
        await channel.QueueDeclareAsync(DeadLetters(options), durable: true, exclusive: false, autoDelete: false, arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" }, cancellationToken: cancellationToken).ConfigureAwait(false);
        await channel.QueueBindAsync(DeadLetters(options), DeadLetters(options), string.Empty, cancellationToken: cancellationToken).ConfigureAwait(false);

        await channel.ExchangeDeclareAsync(EventsExchange(options), ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken).ConfigureAwait(false);
        await DeclareDetectionQueueAsync(channel, options, cancellationToken).ConfigureAwait(false);
        await channel.ExchangeDeclareAsync(IngestExchange(options), ExchangeType.Direct, durable: true, autoDelete: false, cancellationToken: cancellationToken).ConfigureAwait(false);
        for (var p = 0; p < options.Partitions; p++)
        {
            var arguments = new Dictionary<string, object?>
            {
                ["x-queue-type"] = "quorum",
                ["x-single-active-consumer"] = true,
                ["x-delivery-limit"] = options.DeliveryLimit,
                ["x-dead-letter-exchange"] = DeadLetters(options),
            };
            await channel.QueueDeclareAsync(QueueName(options, p), durable: true, exclusive: false, autoDelete: false, arguments: arguments, cancellationToken: cancellationToken).ConfigureAwait(false);
            await channel.QueueBindAsync(QueueName(options, p), IngestExchange(options), RoutingKey(p), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Deletes everything <see cref="DeclareAsync"/> made (tests, and tearing a cluster down).</summary>
    public static async Task DeleteAsync(IChannel channel, RabbitMqOptions options, CancellationToken cancellationToken)
    {
        for (var p = 0; p < options.Partitions; p++)
        {
            await channel.QueueDeleteAsync(QueueName(options, p), ifUnused: false, ifEmpty: false, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        await channel.QueueDeleteAsync(DeadLetters(options), ifUnused: false, ifEmpty: false, cancellationToken: cancellationToken).ConfigureAwait(false);
        await channel.QueueDeleteAsync(DetectionQueue(options), ifUnused: false, ifEmpty: false, cancellationToken: cancellationToken).ConfigureAwait(false);
        await channel.ExchangeDeleteAsync(IngestExchange(options), cancellationToken: cancellationToken).ConfigureAwait(false);
        await channel.ExchangeDeleteAsync(DeadLetters(options), cancellationToken: cancellationToken).ConfigureAwait(false);
        await channel.ExchangeDeleteAsync(EventsExchange(options), cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Opens a connection. Automatic recovery is off on purpose: after a reconnect, delivery tags start again
    /// at 1, and an acknowledgement meant for the old channel could confirm a different message. Callers
    /// replace a broken connection with a new one instead; unacknowledged messages are simply redelivered.
    /// </summary>
    /// <summary>Declares the detection feed queue (idempotent; publishers and the consumer both call it).</summary>
    public static Task DeclareDetectionQueueAsync(IChannel channel, RabbitMqOptions options, CancellationToken cancellationToken) =>
        channel.QueueDeclareAsync(DetectionQueue(options), durable: true, exclusive: false, autoDelete: false, arguments: new Dictionary<string, object?>
        {
            ["x-queue-type"] = "quorum",
            ["x-single-active-consumer"] = true,
            ["x-max-length"] = DetectionQueueLength,
            ["x-overflow"] = "drop-head",
        }, cancellationToken: cancellationToken);

    public static Task<IConnection> ConnectAsync(RabbitMqOptions options, string role, CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory
        {
            Uri = options.Uri,
            AutomaticRecoveryEnabled = false,
            TopologyRecoveryEnabled = false,
            RequestedHeartbeat = TimeSpan.FromSeconds(15),
            ClientProvidedName = $"{options.ClientName}:{role}",
        };
        return factory.CreateConnectionAsync(cancellationToken);
    }
}
