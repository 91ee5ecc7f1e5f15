namespace Firebreak.Messaging.RabbitMq;

using Firebreak.Core.Detection.Live;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

/// <summary>
/// On every web node of a distributed deployment: consumes the detection feed that workers publish and hands
/// each stored mention to this node's <see cref="LiveDetector"/>. The feed queue has a single active consumer,
/// so exactly one web node detects at a time and another takes over when it dies (its detectors then start
/// cold). The others wait as standby consumers; their detectors see nothing and raise nothing.
/// </summary>
public sealed class DetectionFeedConsumer(RabbitMqOptions options, LiveDetector detector)
{
    /// <summary>Feed messages taken (for tests and diagnostics).</summary>
    public long Received => Interlocked.Read(ref received);

    private long received;

    /// <summary>Consumes until cancelled, reconnecting when the broker goes away.</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        ConsumerLoop.RunAsync(options, "detect", SubscribeAsync, cancellationToken);

    private async Task<IChannel> SubscribeAsync(IConnection connection, CancellationToken cancellationToken)
    {
        var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await RabbitTopology.DeclareDetectionQueueAsync(channel, options, cancellationToken).ConfigureAwait(false);
        await channel.BasicQosAsync(0, 64, global: false, cancellationToken).ConfigureAwait(false);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            Observe(delivery.Body.Span);
            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, cancellationToken).ConfigureAwait(false);
        };
        await channel.BasicConsumeAsync(RabbitTopology.DetectionQueue(options), autoAck: false, consumer, cancellationToken).ConfigureAwait(false);
        return channel;
    }

    private void Observe(ReadOnlySpan<byte> body)
    {
        try
        {
            var (_, mentions) = DetectionFeedCodec.Decode(body);
            foreach (var live in mentions)
            {
                detector.Observe(live.Mention, live.TopicIds, live.Outcome);
            }

            Interlocked.Increment(ref received);
        }
        catch (IngestMessageException)
        {
            // A message no detector can read is dropped: the feed is advisory, the store holds the mentions.
        }
    }
}
