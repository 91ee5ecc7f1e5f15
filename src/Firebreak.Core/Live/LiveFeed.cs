namespace Firebreak.Core.Live;

using System.Collections.Concurrent;
using System.Threading.Channels;

/// <summary>
/// In-process fan-out of live items to the subscribers of a workspace (server-sent event streams, detectors).
/// Each subscriber has a bounded queue that drops its oldest items when the reader falls behind: a slow browser
/// tab must never slow down whoever publishes.
/// </summary>
/// <typeparam name="T">What is published.</typeparam>
public abstract class LiveFeed<T>
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

    public void Publish(long workspaceId, T item)
    {
        foreach (var subscription in subscriptions.Values)
        {
            if (subscription.WorkspaceId == workspaceId)
            {
                subscription.Writer.TryWrite(item);
            }
        }
    }

    public sealed class Subscription : IDisposable
    {
        private readonly LiveFeed<T> feed;
        private readonly Channel<T> channel;

        internal Subscription(LiveFeed<T> feed, long workspaceId, int capacity)
        {
            this.feed = feed;
            WorkspaceId = workspaceId;
            channel = Channel.CreateBounded<T>(new BoundedChannelOptions(capacity)
            {
                FullMode = BoundedChannelFullMode.DropOldest,
                SingleReader = true,
                SingleWriter = false,
            });
        }

        public Guid Id { get; } = Guid.NewGuid();

        public long WorkspaceId { get; }

        public ChannelReader<T> Reader => channel.Reader;

        internal ChannelWriter<T> Writer => channel.Writer;

        public void Dispose()
        {
            feed.subscriptions.TryRemove(Id, out _);
            channel.Writer.TryComplete();
        }
    }
}
