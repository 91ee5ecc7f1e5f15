namespace Firebreak.Core.Workspaces;

using Firebreak.Core.Mentions;

public interface IWorkspaceStore
{
    Task<IReadOnlyList<Workspace>> ListAsync(CancellationToken cancellationToken);

    Task<Workspace?> FindAsync(string slug, CancellationToken cancellationToken);

    /// <summary>Creates a workspace; returns null when the slug is taken.</summary>
    Task<Workspace?> AddAsync(string slug, string name, string timeZone, CancellationToken cancellationToken);

    Task<IReadOnlyList<Source>> ListSourcesAsync(long workspaceId, CancellationToken cancellationToken);

    Task<Source> AddSourceAsync(long workspaceId, Platform platform, SourceKind kind, string target, string? name, CancellationToken cancellationToken);

    Task<bool> DeleteSourceAsync(long workspaceId, long sourceId, CancellationToken cancellationToken);
}
