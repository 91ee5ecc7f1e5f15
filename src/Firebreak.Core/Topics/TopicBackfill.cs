namespace Firebreak.Core.Topics;

using System.Collections.Concurrent;
using System.Threading.Channels;
using Firebreak.Core.Mentions;
using Firebreak.Core.Topics.Query;

/// <summary>
/// The store's side of re-matching one topic over stored mentions. Each call handles one chunk (newest
/// first, after <paramref name="after"/>) in one transaction, taking turns with ingest on the single
/// writer, and is idempotent: a membership is added or removed only if it is not already so, and rollups
/// move exactly with it.
/// </summary>
public interface ITopicMembershipWriter
{
    /// <param name="query">The topic's query, or null to remove the topic from every mention (topic deleted).</param>
    Task<RematchChunk> RematchAsync(long workspaceId, long topicId, CompiledQuery? query, MentionCursor? after, DateTimeOffset from, int chunkSize, CancellationToken cancellationToken);
}

/// <summary>One chunk's outcome; <see cref="Next"/> is null when the scan is complete.</summary>
public readonly record struct RematchChunk(int Scanned, int Added, int Removed, MentionCursor? Next);

/// <summary>Where a topic's backfill stands; shown with the topic so a user knows when its history is complete.</summary>
public sealed record BackfillStatus(string State, long Scanned, long Added, long Removed);

/// <summary>
/// Gives a new or edited topic its history: users expect a topic created today to chart the last weeks,
/// not to start empty. Runs one job at a time in the background over the last <see cref="Days"/> days.
/// </summary>
public sealed class TopicBackfill(ITopicMembershipWriter writer, Ingestion.IngestPipeline pipeline, TimeProvider clock)
{
    private readonly Channel<(long Workspace, long Topic, CompiledQuery? Query, long Generation)> jobs = Channel.CreateUnbounded<(long, long, CompiledQuery?, long)>();
    private readonly ConcurrentDictionary<long, BackfillStatus> status = new();
    private readonly ConcurrentDictionary<long, long> generations = new();

    /// <summary>How far back a backfill goes. Default 30 days.</summary>
    public int Days { get; init; } = 30;

    public int ChunkSize { get; init; } = 2_000;

    public BackfillStatus? StatusOf(long topicId) => status.GetValueOrDefault(topicId);

    /// <summary>Queues a re-match; a later request for the same topic supersedes an earlier one still queued.</summary>
    public void Enqueue(long workspaceId, long topicId, CompiledQuery? query)
    {
        var generation = generations.AddOrUpdate(topicId, 1, (_, g) => g + 1);
        status[topicId] = new BackfillStatus("queued", 0, 0, 0);
        jobs.Writer.TryWrite((workspaceId, topicId, query, generation));
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await foreach (var (workspace, topic, query, generation) in jobs.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (generations.GetValueOrDefault(topic) != generation)
            {
                continue;
            }

            await RunOneAsync(workspace, topic, query, generation, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs a re-match to completion on the caller's task (the CLI and tests use it directly).</summary>
    public async Task<BackfillStatus> RunOneAsync(long workspaceId, long topicId, CompiledQuery? query, long generation, CancellationToken cancellationToken)
    {
        // Mentions already matched with the previous topic index must be stored before we look.
        await pipeline.BarrierAsync(cancellationToken).ConfigureAwait(false);
        var from = clock.GetUtcNow().AddDays(-Days);
        long scanned = 0, added = 0, removed = 0;
        MentionCursor? after = null;
        var first = true;
        while (first || after is not null)
        {
            first = false;
            if (generation != 0 && generations.GetValueOrDefault(topicId) != generation)
            {
                return status[topicId];
            }

            var chunk = await writer.RematchAsync(workspaceId, topicId, query, after, from, ChunkSize, cancellationToken).ConfigureAwait(false);
            scanned += chunk.Scanned;
            added += chunk.Added;
            removed += chunk.Removed;
            after = chunk.Next;
            status[topicId] = new BackfillStatus(after is null ? "done" : "running", scanned, added, removed);
        }

        return status[topicId];
    }
}
