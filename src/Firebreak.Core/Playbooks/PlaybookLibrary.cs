namespace Firebreak.Core.Playbooks;

/// <summary>A playbook as a workspace sees it: the newest saved version, or the shipped one when never edited.</summary>
public sealed record CurrentPlaybook(Playbook Playbook, string Yaml, int Version, bool Edited, bool Shipped);

/// <summary>What a save did: the new version, or why nothing was saved.</summary>
public sealed record PlaybookSaveResult(PlaybookVersion? Saved, IReadOnlyList<PlaybookError> Errors);

/// <summary>
/// A workspace's playbooks: the shipped library read through, with the workspace's own versions on top (the newest saved
/// version of a key replaces the shipped one). Saving validates first, so a stored version always parses.
/// </summary>
public sealed class PlaybookLibrary(IPlaybookStore store, TimeProvider clock)
{
    public const int MaxNoteLength = 500;

    public async Task<IReadOnlyList<CurrentPlaybook>> ListAsync(long workspaceId, CancellationToken cancellationToken)
    {
        var saved = (await store.LatestAsync(workspaceId, cancellationToken).ConfigureAwait(false)).ToDictionary(v => v.Key, StringComparer.Ordinal);
        var list = new List<CurrentPlaybook>();
        foreach (var shipped in ShippedPlaybooks.List)
        {
            list.Add(saved.Remove(shipped.Playbook.Key, out var own) && Current(own, true) is { } edited ? edited : new CurrentPlaybook(shipped.Playbook, shipped.Yaml, 0, false, true));
        }

        list.AddRange(saved.Values.Select(v => Current(v, false)).OfType<CurrentPlaybook>());
        return list.OrderBy(p => p.Playbook.Title, StringComparer.OrdinalIgnoreCase).ToList();
    }

    public async Task<CurrentPlaybook?> GetAsync(long workspaceId, string key, CancellationToken cancellationToken)
    {
        var versions = await store.ListVersionsAsync(workspaceId, key, cancellationToken).ConfigureAwait(false);
        var shipped = ShippedPlaybooks.Find(key);
        if (versions.Count > 0 && Current(versions[0], shipped is not null) is { } own)
        {
            return own;
        }

        return shipped is null ? null : new CurrentPlaybook(shipped.Playbook, shipped.Yaml, 0, false, true);
    }

    /// <summary>Newest first; a shipped playbook ends with its version 0.</summary>
    public async Task<IReadOnlyList<PlaybookVersion>?> VersionsAsync(long workspaceId, string key, CancellationToken cancellationToken)
    {
        var versions = (await store.ListVersionsAsync(workspaceId, key, cancellationToken).ConfigureAwait(false)).ToList();
        if (ShippedPlaybooks.Find(key) is { } shipped)
        {
            versions.Add(Shipped(shipped));
        }

        return versions.Count == 0 ? null : versions;
    }

    public async Task<PlaybookVersion?> GetVersionAsync(long workspaceId, string key, int version, CancellationToken cancellationToken) =>
        version == 0
            ? ShippedPlaybooks.Find(key) is { } shipped ? Shipped(shipped) : null
            : await store.GetVersionAsync(workspaceId, key, version, cancellationToken).ConfigureAwait(false);

    /// <summary>Validates <paramref name="yaml"/> and saves it as the next version of <paramref name="key"/>.</summary>
    public async Task<PlaybookSaveResult> SaveAsync(long workspaceId, string key, string yaml, string savedBy, string? note, CancellationToken cancellationToken)
    {
        var parsed = PlaybookYaml.Parse(yaml);
        if (parsed.Playbook is not { } playbook)
        {
            return new PlaybookSaveResult(null, parsed.Errors);
        }

        if (!string.Equals(playbook.Key, key, StringComparison.Ordinal))
        {
            return new PlaybookSaveResult(null, [new PlaybookError(LineOf(yaml, "key:"), 1, $"This file's key is '{playbook.Key}' but it is being saved as '{key}'. Change 'key' to '{key}', or save it under its own key to make a new playbook.")]);
        }

        note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (note is { Length: > MaxNoteLength })
        {
            return new PlaybookSaveResult(null, [new PlaybookError(1, 1, $"The note is {note.Length} characters; at most {MaxNoteLength}.")]);
        }

        var saved = await store.AddVersionAsync(workspaceId, key, yaml, savedBy, note, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return new PlaybookSaveResult(saved, []);
    }

    /// <summary>Saves an old version again as the newest; null when there is no such version.</summary>
    public async Task<PlaybookVersion?> RestoreAsync(long workspaceId, string key, int version, string savedBy, CancellationToken cancellationToken)
    {
        if (await GetVersionAsync(workspaceId, key, version, cancellationToken).ConfigureAwait(false) is not { } old)
        {
            return null;
        }

        var note = version == 0 ? "Restored the shipped playbook" : $"Restored version {version}";
        return await store.AddVersionAsync(workspaceId, key, old.Yaml, savedBy, note, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    private static PlaybookVersion Shipped(ShippedPlaybook shipped) => new(shipped.Playbook.Key, 0, shipped.Yaml, "Firebreak", null, "Shipped with Firebreak");

    /// <summary>A stored version that no longer validates (the vocabulary changed since) is skipped, never shown half-read.</summary>
    private static CurrentPlaybook? Current(PlaybookVersion version, bool shipped) =>
        PlaybookYaml.Parse(version.Yaml).Playbook is { } playbook ? new CurrentPlaybook(playbook, version.Yaml, version.Version, true, shipped) : null;

    private static int LineOf(string yaml, string prefix)
    {
        var lines = yaml.ReplaceLineEndings("\n").Split('\n');
        var index = Array.FindIndex(lines, l => l.StartsWith(prefix, StringComparison.Ordinal));
        return index < 0 ? 1 : index + 1;
    }
}
