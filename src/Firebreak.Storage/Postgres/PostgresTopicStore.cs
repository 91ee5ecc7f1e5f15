namespace Firebreak.Storage.Postgres;

using Firebreak.Core.Topics;
using Npgsql;

public sealed class PostgresTopicStore(PostgresDatabase database, TimeProvider clock) : ITopicStore
{
    private const string Columns = "id, workspace_id, name, query, enabled, created_at, updated_at";

    public async Task<IReadOnlyList<Topic>> ListAsync(long workspaceId, CancellationToken cancellationToken)
    {
        // COLLATE "C": the same order as SQLite's binary collation, whatever the database's locale.
        await using var command = database.DataSource.CreateCommand($"SELECT {Columns} FROM topics WHERE workspace_id = $1 ORDER BY name COLLATE \"C\"").Add(workspaceId);
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
        await using var command = database.DataSource.CreateCommand($"SELECT {Columns} FROM topics WHERE workspace_id = $1 AND id = $2").Add(workspaceId).Add(topicId);
        return await SingleAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Topic?> AddAsync(long workspaceId, string name, string query, bool enabled, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var command = database.DataSource.CreateCommand($"INSERT INTO topics (workspace_id, name, query, enabled, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (workspace_id, name) DO NOTHING RETURNING {Columns}")
            .Add(workspaceId).AddText(name).AddText(query).Add(enabled).Add(now);
        return await SingleAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Topic?> UpdateAsync(long workspaceId, long topicId, string name, string query, bool enabled, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand($"UPDATE topics SET name = $3, query = $4, enabled = $5, updated_at = $6 WHERE workspace_id = $1 AND id = $2 RETURNING {Columns}")
            .Add(workspaceId).Add(topicId).AddText(name).AddText(query).Add(enabled).Add(clock.GetUtcNow().ToUnixTimeMilliseconds());
        try
        {
            return await SingleAsync(command, cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new InvalidOperationException($"A topic named '{name}' already exists in this workspace.", e);
        }
    }

    public async Task<bool> DeleteAsync(long workspaceId, long topicId, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand("DELETE FROM topics WHERE workspace_id = $1 AND id = $2").Add(workspaceId).Add(topicId);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    private static async Task<Topic?> SingleAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Map(reader) : null;
    }

    private static Topic Map(NpgsqlDataReader r) => new(
        r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetBoolean(4),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5)), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(6)));
}
