namespace Firebreak.Messaging.RabbitMq;

/// <summary>How a node talks to RabbitMQ. Every node of a cluster must agree on <see cref="Partitions"/>.</summary>
public sealed class RabbitMqOptions
{
    /// <summary>AMQP URI, e.g. amqp://user:password@rabbit:5672/vhost.</summary>
    public required Uri Uri { get; init; }

    /// <summary>
    /// Number of ingest queues. A mention's queue is fixed by its key, and each queue has one active consumer,
    /// so order per key holds; more queues spread the work over more workers.
    /// </summary>
    public int Partitions { get; init; } = 16;

    /// <summary>Unacknowledged messages a worker holds per queue (bounds its memory and its redelivery on a crash).</summary>
    public ushort Prefetch { get; init; } = 32;

    /// <summary>Deliveries after which a message that keeps killing workers is dead-lettered instead of retried.</summary>
    public int DeliveryLimit { get; init; } = 20;

    /// <summary>
    /// Prefix of every exchange and queue name, so several Firebreak clusters (or test runs) can share a broker.
    /// </summary>
    public string Prefix { get; init; } = "firebreak";

    /// <summary>Name shown in the RabbitMQ management UI for this node's connection.</summary>
    public string ClientName { get; init; } = "firebreak";
}
