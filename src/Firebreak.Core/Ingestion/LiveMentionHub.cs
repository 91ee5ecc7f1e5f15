namespace Firebreak.Core.Ingestion;

using System.Collections.Concurrent;
using System.Threading.Channels;
using Firebreak.Core.Mentions;

/// <summary>A committed mention as live subscribers (dashboards, detectors) see it.</summary>
public sealed record LiveMention(Mention Mention, long[] TopicIds, IngestOutcome Outcome);

/// <summary>
/// Fan-out of committed mentions to live subscribers. Each subscriber has a bounded queue that drops its
/// oldest items when the reader falls behind: a slow browser tab must never slow ingestion down.
/// </summary>
public sealed class LiveMentionHub
{
    private readonly ConcurrentDictionary<Guid, Subscription> subscriptions = new();

    public int SubscriberCount => subscriptions.Count;

    /// <summary>Whether anyone on this node watches the workspace (saves work when nobody does).</summary>
    public bool HasSubscribers(long workspaceId)
    {
        foreach (var subscription in subscriptions.Values)
        {
            if (subscription.WorkspaceId == workspaceId)
            {
                return true;
            }
        }

        return false;
    }

    public Subscription Subscribe(long workspaceId, int capacity = 1024)
    {
        var subscription = new Subscription(this, workspaceId, capacity);
        subscriptions[subscription.Id] = subscription;
        return subscription;
    }

    public void Publish(long workspaceId, LiveMention mention)
    {
        foreach (var subscription in subscriptions.Values)
        {
            if (subscription.WorkspaceId == workspaceId)
            {
                subscription.Writer.TryWrite(mention);
            }
        }
    }

    public sealed class Subscription : IDisposable
    {
        private readonly LiveMentionHub hub;
        private readonly Channel<LiveMention> channel;

        internal Subscription(LiveMentionHub hub, long workspaceId, int capacity)
        {
            this.hub = hub;
            WorkspaceId = workspaceId;
            channel = Channel.CreateBounded<LiveMention>(new BoundedChannelOptions(capacity)
            {
                FullMode = BoundedChannelFullMode.DropOldest,
                SingleReader = true,
                SingleWriter = false,
            });
        }

        public Guid Id { get; } = Guid.NewGuid();

        public long WorkspaceId { get; }

        public ChannelReader<LiveMention> Reader => channel.Reader;

        internal ChannelWriter<LiveMention> Writer => channel.Writer;

        public void Dispose()
        {
            hub.subscriptions.TryRemove(Id, out _);
            channel.Writer.TryComplete();
        }
    }
}

/// <summary>Publish: after commit, tells live subscribers (the pipeline then acknowledges the submitters).</summary>
public sealed class PublishStage(LiveMentionHub hub) : IIngestStage
{
    public string Name => "publish";

    public ValueTask ProcessAsync(IReadOnlyList<IngestBatch> batches, CancellationToken cancellationToken)
    {
        foreach (var batch in batches)
        {
            if (hub.SubscriberCount > 0)
            {
                foreach (var item in batch.Items)
                {
                    if (item.Outcome is IngestOutcome.Inserted or IngestOutcome.Updated && item.Mention is { } mention)
                    {
                        hub.Publish(batch.WorkspaceId, new LiveMention(mention, item.TopicIds, item.Outcome));
                    }
                }
            }
        }

        return ValueTask.CompletedTask;
    }
}
