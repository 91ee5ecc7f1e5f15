namespace Firebreak.Core.RiskCues;

using System.Collections.Concurrent;
using Firebreak.Core.Topics.Query;

/// <summary>
/// Finds risk cues in a mention with the same indexed matcher as topics, so a long cue list costs only
/// the cues whose terms occur. One compiled set per workspace, rebuilt when the workspace saves its list.
/// </summary>
public sealed class RiskCueMatcher(IRiskCueStore store)
{
    private readonly ConcurrentDictionary<long, Task<CompiledCues>> cache = new();

    public static CompiledCues Compile(IReadOnlyList<RiskCue> cues)
    {
        var names = new List<string>(cues.Count);
        var queries = new List<(long, CompiledQuery)>(cues.Count);
        foreach (var cue in cues)
        {
            if (cue.Enabled && QueryParser.Parse(cue.Query) is { Query: { } query })
            {
                queries.Add((names.Count, query));
                names.Add(cue.Name);
            }
        }

        return new CompiledCues(names.ToArray(), TopicIndex.Build(queries));
    }

    public async Task<CompiledCues> ForWorkspaceAsync(long workspaceId, CancellationToken cancellationToken)
    {
        var build = cache.GetOrAdd(workspaceId, id => BuildAsync(id));
        try
        {
            return await build.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch when (build.IsFaulted || build.IsCanceled)
        {
            cache.TryRemove(new KeyValuePair<long, Task<CompiledCues>>(workspaceId, build));
            throw;
        }
    }

    /// <summary>Raised when this node changed a workspace's cues, so other nodes can be told.</summary>
    public event Action<long>? Invalidated;

    /// <summary>Drops the workspace's compiled cues; the next batch compiles them again from the store.</summary>
    public void Invalidate(long workspaceId)
    {
        InvalidateLocal(workspaceId);
        Invalidated?.Invoke(workspaceId);
    }

    /// <summary>Drops the compiled cues because another node changed them (not announced again).</summary>
    public void InvalidateLocal(long workspaceId) => cache.TryRemove(workspaceId, out _);

    private async Task<CompiledCues> BuildAsync(long workspaceId) =>
        Compile(await store.GetAsync(workspaceId, CancellationToken.None).ConfigureAwait(false) ?? DefaultRiskCues.All);
}

/// <summary>An immutable compiled cue list.</summary>
public sealed class CompiledCues(string[] names, TopicIndex index)
{
    public IReadOnlyList<string> Names => names;

    /// <summary>Adds the names of the cues found in the subject, in list order, to <paramref name="found"/>.</summary>
    public void Match(MatchSubject subject, List<long> scratch, List<string> found)
    {
        scratch.Clear();
        index.Match(subject, scratch);
        scratch.Sort();
        foreach (var i in scratch)
        {
            found.Add(names[(int)i]);
        }
    }
}
