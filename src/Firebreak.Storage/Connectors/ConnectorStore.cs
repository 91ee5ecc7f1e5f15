namespace Firebreak.Storage.Connectors;

using System.Data.Common;
using Firebreak.Core.Connectors;
using Firebreak.Core.Mentions;
using Firebreak.Storage.Alerts;

/// <summary>Connections, checkpoints and connector health, written once for both providers (see <see cref="PortableDatabase"/>).</summary>
public sealed class ConnectorStore(PortableDatabase database) : IConnectorStore
{
    private const string ConnectionColumns = "id, workspace_id, platform, account_key, handle, base_uri, secret, refresh_secret, expires_at, state, last_error, expiry_warned_at, created_at, updated_at, refresh_expires_at, refresh_warned_at";
    private const string HealthColumns = "workspace_id, source_id, platform, last_success_at, last_error_at, last_error, error_rate, newest_item_at, items_total, items_per_minute, updated_at";

    public async Task<Connection> UpsertConnectionAsync(Connection c, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        // Reconnecting an account replaces its credential and clears a revoked state and the expiry warning.
        await using var command = database.Command(
            connection,
            null,
            $"""
            INSERT INTO connector_connections (workspace_id, platform, account_key, handle, base_uri, secret, refresh_secret, expires_at, state, last_error, expiry_warned_at, created_at, updated_at, refresh_expires_at, refresh_warned_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, NULL, $11, $11, $12, NULL)
            ON CONFLICT (workspace_id, account_key) DO UPDATE SET handle = excluded.handle, base_uri = excluded.base_uri, secret = excluded.secret,
                refresh_secret = excluded.refresh_secret, expires_at = excluded.expires_at, state = excluded.state, last_error = excluded.last_error,
                expiry_warned_at = NULL, updated_at = excluded.updated_at,
                -- A refresh keeps the refresh token's expiry, and so its warning (once per refresh token); a new sign-in clears it.
                refresh_warned_at = CASE WHEN connector_connections.refresh_expires_at = excluded.refresh_expires_at THEN connector_connections.refresh_warned_at ELSE NULL END,
                refresh_expires_at = excluded.refresh_expires_at
            RETURNING {ConnectionColumns}
            """,
            c.WorkspaceId, c.Platform.ToWire(), c.AccountKey, c.Handle, c.BaseUri.ToString(), c.ProtectedSecret, c.ProtectedRefresh, Sql.Ms(c.ExpiresAt), (int)c.State, c.LastError, Sql.Ms(c.UpdatedAt), Sql.Ms(c.RefreshExpiresAt));
        return await Sql.SingleAsync(command, Map, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("The connection upsert returned no row.");
    }

    public async Task<IReadOnlyList<Connection>> ListConnectionsAsync(long workspaceId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, $"SELECT {ConnectionColumns} FROM connector_connections WHERE workspace_id = $1 ORDER BY id", workspaceId);
        return await Sql.ListAsync(command, Map, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Connection>> ListAllConnectionsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, $"SELECT {ConnectionColumns} FROM connector_connections ORDER BY id");
        return await Sql.ListAsync(command, Map, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Connection?> FindConnectionAsync(long workspaceId, string accountKey, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, $"SELECT {ConnectionColumns} FROM connector_connections WHERE workspace_id = $1 AND account_key = $2", workspaceId, accountKey);
        return await Sql.SingleAsync(command, Map, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> DeleteConnectionAsync(long workspaceId, long connectionId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, "DELETE FROM connector_connections WHERE workspace_id = $1 AND id = $2", workspaceId, connectionId);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    public async Task SetConnectionStateAsync(long workspaceId, long connectionId, ConnectionState state, string? error, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, "UPDATE connector_connections SET state = $3, last_error = $4, updated_at = $5 WHERE workspace_id = $1 AND id = $2", workspaceId, connectionId, (int)state, error, Sql.Ms(at));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task MarkExpiryWarnedAsync(long workspaceId, long connectionId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, "UPDATE connector_connections SET expiry_warned_at = $3 WHERE workspace_id = $1 AND id = $2", workspaceId, connectionId, Sql.Ms(at));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task MarkRefreshWarnedAsync(long workspaceId, long connectionId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, "UPDATE connector_connections SET refresh_warned_at = $3 WHERE workspace_id = $1 AND id = $2", workspaceId, connectionId, Sql.Ms(at));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<string?> GetCheckpointAsync(long workspaceId, long sourceId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, "SELECT checkpoint FROM connector_checkpoints WHERE workspace_id = $1 AND source_id = $2", workspaceId, sourceId);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    public async Task SaveCheckpointAsync(long workspaceId, long sourceId, string checkpoint, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(
            connection,
            null,
            """
            INSERT INTO connector_checkpoints (workspace_id, source_id, checkpoint, updated_at) VALUES ($1, $2, $3, $4)
            ON CONFLICT (workspace_id, source_id) DO UPDATE SET checkpoint = excluded.checkpoint, updated_at = excluded.updated_at
            """,
            workspaceId, sourceId, checkpoint, Sql.Ms(at));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task SaveHealthAsync(ConnectorHealth h, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(
            connection,
            null,
            $"""
            INSERT INTO connector_health ({HealthColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
            ON CONFLICT (workspace_id, source_id) DO UPDATE SET platform = excluded.platform, last_success_at = excluded.last_success_at,
                last_error_at = excluded.last_error_at, last_error = excluded.last_error, error_rate = excluded.error_rate,
                newest_item_at = excluded.newest_item_at, items_total = excluded.items_total, items_per_minute = excluded.items_per_minute,
                updated_at = excluded.updated_at
            """,
            h.WorkspaceId, h.SourceId, h.Platform.ToWire(), Sql.Ms(h.LastSuccessAt), Sql.Ms(h.LastErrorAt), h.LastError, h.ErrorRate, Sql.Ms(h.NewestItemAt), h.ItemsTotal, h.ItemsPerMinute, Sql.Ms(h.UpdatedAt));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ConnectorHealth>> ListHealthAsync(long workspaceId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, $"SELECT {HealthColumns} FROM connector_health WHERE workspace_id = $1 ORDER BY source_id", workspaceId);
        return await Sql.ListAsync(command, MapHealth, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<(long WorkspaceId, long ReplyId)>> ListQueuedRepliesAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        // 2 is ReplyState.Queued (Core/Inbox); ix_inbox_replies_state serves this.
        await using var command = database.Command(connection, null, "SELECT workspace_id, id FROM inbox_replies WHERE state = 2 ORDER BY id LIMIT $1", (long)limit);
        return await Sql.ListAsync(command, r => (r.GetInt64(0), r.GetInt64(1)), cancellationToken).ConfigureAwait(false);
    }

    public async Task RecordReplySentAsync(long workspaceId, long replyId, string remoteId, string? remoteUrl, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(
            connection,
            null,
            """
            INSERT INTO connector_reply_sends (workspace_id, reply_id, remote_id, remote_url, sent_at) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (workspace_id, reply_id) DO UPDATE SET remote_id = excluded.remote_id, remote_url = excluded.remote_url, sent_at = excluded.sent_at
            """,
            workspaceId, replyId, remoteId, remoteUrl, Sql.Ms(at));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<(string RemoteId, string? RemoteUrl)?> GetReplySentAsync(long workspaceId, long replyId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, "SELECT remote_id, remote_url FROM connector_reply_sends WHERE workspace_id = $1 AND reply_id = $2", workspaceId, replyId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? (reader.GetString(0), Sql.NullableText(reader, 1)) : null;
    }

    private static Connection Map(DbDataReader r) => new(
        r.GetInt64(0),
        r.GetInt64(1),
        EnumNames.TryParsePlatform(r.GetString(2), out var platform) ? platform : Platform.Other,
        r.GetString(3),
        r.GetString(4),
        new Uri(r.GetString(5)),
        r.GetString(6),
        Sql.NullableText(r, 7),
        Sql.NullableTime(r, 8),
        (ConnectionState)r.GetInt32(9),
        Sql.NullableText(r, 10),
        Sql.NullableTime(r, 11),
        Sql.Time(r.GetInt64(12)),
        Sql.Time(r.GetInt64(13)),
        Sql.NullableTime(r, 14),
        Sql.NullableTime(r, 15));

    private static ConnectorHealth MapHealth(DbDataReader r) => new(
        r.GetInt64(0),
        r.GetInt64(1),
        EnumNames.TryParsePlatform(r.GetString(2), out var platform) ? platform : Platform.Other,
        Sql.NullableTime(r, 3),
        Sql.NullableTime(r, 4),
        Sql.NullableText(r, 5),
        r.GetDouble(6),
        Sql.NullableTime(r, 7),
        r.GetInt64(8),
        r.GetDouble(9),
        Sql.Time(r.GetInt64(10)));
}
