namespace Firebreak.Storage.Sqlite;

using Firebreak.Core.Topics;
using Microsoft.Data.Sqlite;

public sealed class SqliteTopicStore(SqliteDatabase database, TimeProvider clock) : ITopicStore
{
    private const string Columns = "id, workspace_id, name, query, enabled, created_at, updated_at";

    public async Task<IReadOnlyList<Topic>> ListAsync(long workspaceId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM topics WHERE workspace_id = $w ORDER BY name";
        command.Parameters.AddWithValue("$w", workspaceId);
        var list = new List<Topic>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(Map(reader));
        }

        return list;
    }

    public async Task<Topic?> GetAsync(long workspaceId, long topicId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM topics WHERE workspace_id = $w AND id = $id";
        command.Parameters.AddWithValue("$w", workspaceId);
        command.Parameters.AddWithValue("$id", topicId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Map(reader) : null;
    }

    public async Task<Topic?> AddAsync(long workspaceId, string name, string query, bool enabled, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        command.CommandText = $"INSERT INTO topics (workspace_id, name, query, enabled, created_at, updated_at) VALUES ($w, $n, $q, $e, $c, $c) ON CONFLICT (workspace_id, name) DO NOTHING RETURNING {Columns}";
        command.Parameters.AddWithValue("$w", workspaceId);
        command.Parameters.AddWithValue("$n", name);
        command.Parameters.AddWithValue("$q", query);
        command.Parameters.AddWithValue("$e", enabled ? 1 : 0);
        command.Parameters.AddWithValue("$c", now);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Map(reader) : null;
    }

    public async Task<Topic?> UpdateAsync(long workspaceId, long topicId, string name, string query, bool enabled, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"UPDATE topics SET name = $n, query = $q, enabled = $e, updated_at = $u WHERE workspace_id = $w AND id = $id RETURNING {Columns}";
        command.Parameters.AddWithValue("$w", workspaceId);
        command.Parameters.AddWithValue("$id", topicId);
        command.Parameters.AddWithValue("$n", name);
        command.Parameters.AddWithValue("$q", query);
        command.Parameters.AddWithValue("$e", enabled ? 1 : 0);
        command.Parameters.AddWithValue("$u", clock.GetUtcNow().ToUnixTimeMilliseconds());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Map(reader) : null;
    }

    public async Task<bool> DeleteAsync(long workspaceId, long topicId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM topics WHERE workspace_id = $w AND id = $id";
        command.Parameters.AddWithValue("$w", workspaceId);
        command.Parameters.AddWithValue("$id", topicId);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    private static Topic Map(SqliteDataReader r) => new(
        r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetInt64(4) != 0,
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5)), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(6)));
}
