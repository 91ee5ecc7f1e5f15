namespace Firebreak.Messaging.RabbitMq;

/// <summary>
/// Spreads the ingest partitions over the live workers: worker of rank r among n takes every partition p with
/// p mod n = r. Each worker computes this from the same membership list, so they agree without talking; while
/// membership changes, two workers may briefly both subscribe to a queue, and the queue's single-active-consumer
/// setting still lets only one of them receive.
/// </summary>
public static class PartitionAssignment
{
    /// <summary>The partitions worker <paramref name="rank"/> of <paramref name="members"/> should consume.</summary>
    public static IReadOnlyList<int> For(int rank, int members, int partitions)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        if (members <= 0 || rank >= members)
        {
            // Not (yet) in the membership list: consume everything rather than nothing, so a lone worker that
            // cannot reach the database still drains the queues it can.
            return [.. Enumerable.Range(0, partitions)];
        }

        var mine = new List<int>();
        for (var p = rank; p < partitions; p += members)
        {
            mine.Add(p);
        }

        return mine;
    }
}
