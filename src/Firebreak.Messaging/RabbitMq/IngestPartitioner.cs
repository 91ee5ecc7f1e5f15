namespace Firebreak.Messaging.RabbitMq;

using Firebreak.Core.Mentions;

/// <summary>
/// Which partition (queue) a mention belongs to: a stable hash of its natural key (workspace, platform,
/// external id), so every version of one post lands in the same queue and is applied in order.
/// </summary>
public static class IngestPartitioner
{
    /// <summary>The partition of a mention among <paramref name="partitions"/>.</summary>
    public static int PartitionOf(long workspaceId, Platform platform, string externalId, int partitions)
    {
        var h = StableHash.Add(StableHash.Add(14695981039346656037UL, workspaceId), (long)platform);
        h = StableHash.Add(h, externalId);
        return (int)(h % (ulong)partitions);
    }
}
