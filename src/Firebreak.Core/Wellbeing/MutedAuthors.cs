namespace Firebreak.Core.Wellbeing;

using System.Collections.Concurrent;
using Firebreak.Core.Mentions;

/// <summary>
/// Which authors a workspace muted, cached per workspace because every stream refresh asks; a change through
/// <see cref="MuteAsync"/>/<see cref="UnmuteAsync"/> drops the cache of that workspace on this node (other nodes
/// pick it up within <see cref="MaxAge"/>).
/// </summary>
public sealed class MutedAuthors(IWellbeingStore store, TimeProvider clock)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<long, (DateTimeOffset LoadedAt, HashSet<(Platform, string)> Authors)> cache = new();

    /// <summary>The mentions whose authors are not muted, and how many were left out.</summary>
    public async ValueTask<(IReadOnlyList<Mention> Kept, int Hidden)> FilterAsync(long workspaceId, IReadOnlyList<Mention> mentions, CancellationToken cancellationToken)
    {
        var muted = await SetAsync(workspaceId, cancellationToken).ConfigureAwait(false);
        if (muted.Count == 0)
        {
            return (mentions, 0);
        }

        var kept = mentions.Where(m => !muted.Contains((m.Platform, m.Author.Handle))).ToArray();
        return (kept, mentions.Count - kept.Length);
    }

    public async Task<bool> MuteAsync(long workspaceId, Platform platform, string handle, string? by, CancellationToken cancellationToken)
    {
        var changed = await store.MuteAsync(new MutedAuthor(workspaceId, platform, handle, by, clock.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        cache.TryRemove(workspaceId, out _);
        return changed;
    }

    public async Task<bool> UnmuteAsync(long workspaceId, Platform platform, string handle, CancellationToken cancellationToken)
    {
        var changed = await store.UnmuteAsync(workspaceId, platform, handle, cancellationToken).ConfigureAwait(false);
        cache.TryRemove(workspaceId, out _);
        return changed;
    }

    private async ValueTask<HashSet<(Platform, string)>> SetAsync(long workspaceId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (cache.TryGetValue(workspaceId, out var hit) && now - hit.LoadedAt < MaxAge)
        {
            return hit.Authors;
        }

        var authors = (await store.ListMutedAsync(workspaceId, cancellationToken).ConfigureAwait(false))
            .Select(a => (a.Platform, a.Handle)).ToHashSet();
        cache[workspaceId] = (now, authors);
        return authors;
    }
}
