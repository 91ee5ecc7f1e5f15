namespace Firebreak.Storage.Playbooks;

using System.Data.Common;
using Firebreak.Core.Playbooks;
using Firebreak.Storage.Alerts;

/// <summary>
/// Playbook versions, written once for both providers (see <see cref="PortableDatabase"/>). A save reads the newest
/// version and inserts the next in one transaction that writers take in turn, so two people saving at once get versions
/// n+1 and n+2, never a lost save or a key conflict.
/// </summary>
public sealed class PlaybookStore(PortableDatabase database) : IPlaybookStore
{
    private const string Columns = "key, version, yaml, saved_by, saved_at, note";
    private const long LockKey = 0x46425f504c4159; // "FB_PLAY"

    public async Task<PlaybookVersion> AddVersionAsync(long workspaceId, string key, string yaml, string savedBy, string? note, DateTimeOffset savedAt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (database.SerializeStatement(LockKey ^ workspaceId) is { } serialize)
        {
            await using var lockCommand = database.Command(connection, transaction, serialize);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        int version;
        await using (var next = database.Command(connection, transaction, "SELECT COALESCE(MAX(version), 0) + 1 FROM playbook_versions WHERE workspace_id = $1 AND key = $2", workspaceId, key))
        {
            version = Convert.ToInt32(await next.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        }

        var at = savedAt.ToUnixTimeMilliseconds();
        await using (var insert = database.Command(
            connection,
            transaction,
            "INSERT INTO playbook_versions (workspace_id, key, version, yaml, saved_by, saved_at, note) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            workspaceId, key, version, yaml, savedBy, at, note))
        {
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new PlaybookVersion(key, version, yaml, savedBy, DateTimeOffset.FromUnixTimeMilliseconds(at), note);
    }

    public Task<IReadOnlyList<PlaybookVersion>> ListVersionsAsync(long workspaceId, string key, CancellationToken cancellationToken) =>
        ListAsync($"SELECT {Columns} FROM playbook_versions WHERE workspace_id = $1 AND key = $2 ORDER BY version DESC", cancellationToken, workspaceId, key);

    public async Task<PlaybookVersion?> GetVersionAsync(long workspaceId, string key, int version, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, $"SELECT {Columns} FROM playbook_versions WHERE workspace_id = $1 AND key = $2 AND version = $3", workspaceId, key, version);
        return await Sql.SingleAsync(command, Map, cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<PlaybookVersion>> LatestAsync(long workspaceId, CancellationToken cancellationToken) =>
        ListAsync(
            $"""
            SELECT {Columns} FROM playbook_versions p WHERE workspace_id = $1
            AND version = (SELECT MAX(version) FROM playbook_versions q WHERE q.workspace_id = p.workspace_id AND q.key = p.key)
            ORDER BY key
            """,
            cancellationToken,
            workspaceId);

    private static PlaybookVersion Map(DbDataReader r) => new(
        r.GetString(0),
        r.GetInt32(1),
        r.GetString(2),
        r.GetString(3),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(4)),
        r.IsDBNull(5) ? null : r.GetString(5));

    private async Task<IReadOnlyList<PlaybookVersion>> ListAsync(string sql, CancellationToken cancellationToken, params object?[] args)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, sql, args);
        return await Sql.ListAsync(command, Map, cancellationToken).ConfigureAwait(false);
    }
}
