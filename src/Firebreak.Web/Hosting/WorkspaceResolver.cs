namespace Firebreak.Web.Hosting;

using System.Collections.Concurrent;
using Firebreak.Core.Workspaces;

/// <summary>
/// Resolves the {workspace} route value (a slug) to a workspace. Workspaces are never renamed or deleted
/// in this version, so a found slug is cached for the life of the process.
/// </summary>
public sealed class WorkspaceResolver(IWorkspaceStore store)
{
    private readonly ConcurrentDictionary<string, Workspace> cache = new(StringComparer.Ordinal);

    public async ValueTask<Workspace?> FindAsync(string slug, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(slug, out var hit))
        {
            return hit;
        }

        var found = await store.FindAsync(slug, cancellationToken).ConfigureAwait(false);
        if (found is not null)
        {
            cache[slug] = found;
        }

        return found;
    }
}
