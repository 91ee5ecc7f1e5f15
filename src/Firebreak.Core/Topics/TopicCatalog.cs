namespace Firebreak.Core.Topics;

using System.Collections.Concurrent;
using Firebreak.Core.Topics.Query;

/// <summary>
/// Compiled topic indexes per workspace, built on first use and rebuilt after a topic changes. The index
/// is immutable, so the match stage reads it without locks while an edit swaps in a new one.
/// </summary>
public sealed class TopicCatalog(ITopicStore topics)
{
    private readonly ConcurrentDictionary<long, Task<TopicIndex>> indexes = new();

    public async Task<TopicIndex> GetIndexAsync(long workspaceId, CancellationToken cancellationToken)
    {
        var build = indexes.GetOrAdd(workspaceId, id => BuildAsync(id, CancellationToken.None));
        try
        {
            return await build.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch when (build.IsFaulted || build.IsCanceled)
        {
            // A failed read of the topics must not stick: forget it so the next batch tries again.
            indexes.TryRemove(new KeyValuePair<long, Task<TopicIndex>>(workspaceId, build));
            throw;
        }
    }

    /// <summary>Raised when this node changed a workspace's topics, so other nodes can be told.</summary>
    public event Action<long>? Invalidated;

    /// <summary>Drops the workspace's index; the next batch builds a fresh one from the store.</summary>
    public void Invalidate(long workspaceId)
    {
        InvalidateLocal(workspaceId);
        Invalidated?.Invoke(workspaceId);
    }

    /// <summary>Drops the index because another node changed the topics (not announced again).</summary>
    public void InvalidateLocal(long workspaceId) => indexes.TryRemove(workspaceId, out _);

    private async Task<TopicIndex> BuildAsync(long workspaceId, CancellationToken cancellationToken)
    {
        var list = await topics.ListAsync(workspaceId, cancellationToken).ConfigureAwait(false);
        var compiled = new List<(long, CompiledQuery)>(list.Count);
        foreach (var topic in list)
        {
            // Queries are validated when saved; one that no longer parses (a grammar change) is skipped, not fatal.
            if (topic.Enabled && QueryParser.Parse(topic.Query) is { Query: { } query })
            {
                compiled.Add((topic.Id, query));
            }
        }

        return TopicIndex.Build(compiled);
    }
}
