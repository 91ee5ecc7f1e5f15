namespace Firebreak.Core.Playbooks;

/// <summary>
/// One saved version of a workspace's playbook: the file as the person wrote it (comments kept), who saved it, when, and
/// why. Version 0 is the shipped playbook (never stored: <see cref="SavedAt"/> is null).
/// </summary>
public sealed record PlaybookVersion(string Key, int Version, string Yaml, string SavedBy, DateTimeOffset? SavedAt, string? Note)
{
    public bool IsShipped => Version == 0;
}

/// <summary>
/// Workspace playbook versions (store providers: SQLite and PostgreSQL). Append-only: a save or a restore adds a version,
/// nothing is overwritten, so "who changed the breach playbook before the incident" always has an answer.
/// </summary>
public interface IPlaybookStore
{
    /// <summary>Adds the next version (1 for the first save of a key in the workspace) and returns it.</summary>
    Task<PlaybookVersion> AddVersionAsync(long workspaceId, string key, string yaml, string savedBy, string? note, DateTimeOffset savedAt, CancellationToken cancellationToken);

    /// <summary>Every stored version of one playbook, newest first.</summary>
    Task<IReadOnlyList<PlaybookVersion>> ListVersionsAsync(long workspaceId, string key, CancellationToken cancellationToken);

    Task<PlaybookVersion?> GetVersionAsync(long workspaceId, string key, int version, CancellationToken cancellationToken);

    /// <summary>The newest version of each playbook the workspace has saved.</summary>
    Task<IReadOnlyList<PlaybookVersion>> LatestAsync(long workspaceId, CancellationToken cancellationToken);
}
