namespace Firebreak.Core.Connectors;

using Firebreak.Core.Mentions;

/// <summary>Whether a connection's credential still works.</summary>
public enum ConnectionState
{
    /// <summary>Last used successfully (or never used yet).</summary>
    Active = 1,

    /// <summary>The platform answered 401: the token was revoked or expired; a person must reconnect.</summary>
    Revoked = 2,

    /// <summary>Its expiry has passed.</summary>
    Expired = 3,
}

/// <summary>
/// An owned account on a platform: the handle, the API base and the credential, which is stored only as
/// <see cref="Secrets.ISecretProtector"/> ciphertext (<see cref="ProtectedSecret"/>) bound to the connection's key.
/// </summary>
/// <param name="AccountKey">Stable key within the workspace, e.g. "mastodon:@brand@example.social".</param>
/// <param name="ProtectedSecret">The access token or app password, encrypted; never the clear text.</param>
/// <param name="ProtectedRefresh">The OAuth refresh token, encrypted, where the platform gives one.</param>
/// <param name="RefreshExpiresAt">When the refresh token itself expires (LinkedIn, TikTok, Pinterest): after it a person must sign in again.</param>
/// <param name="RefreshWarnedAt">When admins were warned that the refresh token is about to expire (once per refresh token).</param>
public sealed record Connection(
    long Id,
    long WorkspaceId,
    Platform Platform,
    string AccountKey,
    string Handle,
    Uri BaseUri,
    string ProtectedSecret,
    string? ProtectedRefresh,
    DateTimeOffset? ExpiresAt,
    ConnectionState State,
    string? LastError,
    DateTimeOffset? ExpiryWarnedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? RefreshExpiresAt = null,
    DateTimeOffset? RefreshWarnedAt = null)
{
    /// <summary>The purpose the secret is bound to: a ciphertext copied to another workspace or account does not open.</summary>
    public static string Purpose(long workspaceId, string accountKey) => $"connector:{workspaceId}:{accountKey}";
}

/// <summary>One connector's health, as the platform scorecard shows it.</summary>
/// <param name="ErrorRate">Share of failed calls among the recent ones (0..1).</param>
/// <param name="NewestItemAt">Creation time of the newest item received; lag is now minus this.</param>
/// <param name="ItemsPerMinute">Items received in the last minute of work.</param>
public sealed record ConnectorHealth(
    long WorkspaceId,
    long SourceId,
    Platform Platform,
    DateTimeOffset? LastSuccessAt,
    DateTimeOffset? LastErrorAt,
    string? LastError,
    double ErrorRate,
    DateTimeOffset? NewestItemAt,
    long ItemsTotal,
    double ItemsPerMinute,
    DateTimeOffset UpdatedAt)
{
    public TimeSpan? Lag(DateTimeOffset now) => NewestItemAt is { } newest ? now - newest : null;
}

/// <summary>Connections, checkpoints and health (one portable implementation for SQLite and PostgreSQL).</summary>
public interface IConnectorStore
{
    /// <summary>Adds or replaces the connection with the same (workspace, account key).</summary>
    Task<Connection> UpsertConnectionAsync(Connection connection, CancellationToken cancellationToken);

    Task<IReadOnlyList<Connection>> ListConnectionsAsync(long workspaceId, CancellationToken cancellationToken);

    /// <summary>Every workspace's connections (the expiry watcher).</summary>
    Task<IReadOnlyList<Connection>> ListAllConnectionsAsync(CancellationToken cancellationToken);

    Task<Connection?> FindConnectionAsync(long workspaceId, string accountKey, CancellationToken cancellationToken);

    Task<bool> DeleteConnectionAsync(long workspaceId, long connectionId, CancellationToken cancellationToken);

    Task SetConnectionStateAsync(long workspaceId, long connectionId, ConnectionState state, string? error, DateTimeOffset at, CancellationToken cancellationToken);

    Task MarkExpiryWarnedAsync(long workspaceId, long connectionId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Records that admins were warned the refresh token expires soon (cleared when another refresh expiry is stored).</summary>
    Task MarkRefreshWarnedAsync(long workspaceId, long connectionId, DateTimeOffset at, CancellationToken cancellationToken);

    Task<string?> GetCheckpointAsync(long workspaceId, long sourceId, CancellationToken cancellationToken);

    Task SaveCheckpointAsync(long workspaceId, long sourceId, string checkpoint, DateTimeOffset at, CancellationToken cancellationToken);

    Task SaveHealthAsync(ConnectorHealth health, CancellationToken cancellationToken);

    Task<IReadOnlyList<ConnectorHealth>> ListHealthAsync(long workspaceId, CancellationToken cancellationToken);

    /// <summary>(workspace, reply id) of inbox replies in the Queued state, oldest first, across workspaces.</summary>
    Task<IReadOnlyList<(long WorkspaceId, long ReplyId)>> ListQueuedRepliesAsync(int limit, CancellationToken cancellationToken);

    /// <summary>Keeps what the platform answered for a sent reply (its id and URL), beside the inbox's own record.</summary>
    Task RecordReplySentAsync(long workspaceId, long replyId, string remoteId, string? remoteUrl, DateTimeOffset at, CancellationToken cancellationToken);

    Task<(string RemoteId, string? RemoteUrl)?> GetReplySentAsync(long workspaceId, long replyId, CancellationToken cancellationToken);
}
