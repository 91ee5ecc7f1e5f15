namespace Firebreak.Storage;

/// <summary>
/// What the host needs from whichever store provider is configured: apply migrations at start and answer
/// readiness probes. Data access goes through the Core seams (IMentionWriter, IMentionReader, ...).
/// </summary>
public interface IStoreDatabase
{
    /// <summary>"sqlite" or "postgresql".</summary>
    string Provider { get; }

    /// <summary>Where the data lives, safe to show (a file path, or host/database without the password).</summary>
    string Location { get; }

    /// <summary>Applies every migration not yet applied. Safe to call at every start, from several processes.</summary>
    Task MigrateAsync(CancellationToken cancellationToken = default);

    /// <summary>Opens a connection and asks the server something trivial; returns the engine's version.</summary>
    Task<string> CheckReadyAsync(CancellationToken cancellationToken = default);
}
