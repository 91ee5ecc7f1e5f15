namespace Firebreak.Messaging.RabbitMq;

using System.Buffers;
using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;
using RabbitMQ.Client;

/// <summary>
/// The last stage on a front (web or import) node of a distributed deployment: instead of analysing and
/// storing, it hands each batch's accepted mentions to RabbitMQ, split by partition, and marks them
/// <see cref="IngestOutcome.Queued"/> only once the broker has confirmed every message (quorum queues
/// confirm after a majority has written it to disk). If anything is not confirmed the whole group fails,
/// its senders get 503 and send again; workers store idempotently, so a repeat is harmless.
/// </summary>
public sealed class BrokerIngestStage(RabbitMqOptions options) : IIngestStage, IAsyncDisposable
{
    private readonly SemaphoreSlim connecting = new(1, 1);
    private readonly List<Mention>[] buckets = CreateBuckets(options.Partitions);
    private IConnection? connection;
    private IChannel? channel;

    /// <inheritdoc />
    public string Name => "enqueue";

    /// <summary>Messages confirmed by the broker since start.</summary>
    public long Published { get; private set; }

    /// <inheritdoc />
    public async ValueTask ProcessAsync(IReadOnlyList<IngestBatch> batches, CancellationToken cancellationToken)
    {
        var publisher = await EnsureChannelAsync(cancellationToken).ConfigureAwait(false);
        var confirms = new List<Task>();
        foreach (var batch in batches)
        {
            foreach (var item in batch.Items)
            {
                if (item.Outcome == IngestOutcome.Pending && item.Mention is { } m)
                {
                    buckets[IngestPartitioner.PartitionOf(batch.WorkspaceId, m.Platform, m.ExternalId, options.Partitions)].Add(m);
                }
            }

            for (var p = 0; p < buckets.Length; p++)
            {
                if (buckets[p].Count == 0)
                {
                    continue;
                }

                // The body must live until the broker confirms it, so each message owns its buffer.
                var body = new ArrayBufferWriter<byte>(4096);
                IngestMessageCodec.Encode(batch.WorkspaceId, buckets[p], body);
                buckets[p].Clear();
                confirms.Add(PublishAsync(publisher, p, body, cancellationToken));
            }
        }

        await Task.WhenAll(confirms).ConfigureAwait(false);
        Published += confirms.Count;
        foreach (var batch in batches)
        {
            foreach (var item in batch.Items)
            {
                if (item.Outcome == IngestOutcome.Pending && item.Mention is not null)
                {
                    item.Outcome = IngestOutcome.Queued;
                }
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await CloseAsync().ConfigureAwait(false);
        connecting.Dispose();
    }

    private static List<Mention>[] CreateBuckets(int partitions)
    {
        var buckets = new List<Mention>[partitions];
        for (var i = 0; i < partitions; i++)
        {
            buckets[i] = [];
        }

        return buckets;
    }

    private async Task PublishAsync(IChannel publisher, int partition, ArrayBufferWriter<byte> body, CancellationToken cancellationToken)
    {
        var properties = new BasicProperties
        {
            Persistent = true,
            ContentType = "application/json",
            MessageId = Guid.NewGuid().ToString("N"),
        };
        // mandatory: an unroutable message (a queue deleted by hand) is an error, not a silent drop.
        await publisher.BasicPublishAsync(RabbitTopology.IngestExchange(options), RabbitTopology.RoutingKey(partition), mandatory: true, properties, body.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IChannel> EnsureChannelAsync(CancellationToken cancellationToken)
    {
        if (channel is { IsOpen: true } open)
        {
            return open;
        }

        await connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (channel is { IsOpen: true } reopened)
            {
                return reopened;
            }

            // A broken connection is replaced, not recovered in place: nothing half-sent is ever assumed confirmed.
            await CloseAsync().ConfigureAwait(false);
            connection = await RabbitTopology.ConnectAsync(options, "ingest", cancellationToken).ConfigureAwait(false);
            channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken).ConfigureAwait(false);
            await RabbitTopology.DeclareAsync(channel, options, cancellationToken).ConfigureAwait(false);
            return channel;
        }
        finally
        {
            connecting.Release();
        }
    }

    private async Task CloseAsync()
    {
        var (oldChannel, oldConnection) = (channel, connection);
        (channel, connection) = (null, null);
        try
        {
            if (oldChannel is not null)
            {
                await oldChannel.DisposeAsync().ConfigureAwait(false);
            }

            if (oldConnection is not null)
            {
                await oldConnection.DisposeAsync().ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Closing a connection that is already broken may throw; it is being replaced anyway.
        }
    }
}
