namespace Firebreak.Storage.Sqlite;

using Firebreak.Core.Mentions;
using Firebreak.Core.Workspaces;
using Microsoft.Data.Sqlite;

public sealed class SqliteWorkspaceStore(SqliteDatabase database, TimeProvider clock) : IWorkspaceStore
{
    public async Task<IReadOnlyList<Workspace>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, slug, name, time_zone, created_at FROM workspaces ORDER BY slug";
        var list = new List<Workspace>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(MapWorkspace(reader));
        }

        return list;
    }

    public async Task<Workspace?> FindAsync(string slug, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, slug, name, time_zone, created_at FROM workspaces WHERE slug = $s";
        command.Parameters.AddWithValue("$s", slug);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? MapWorkspace(reader) : null;
    }

    public async Task<Workspace?> AddAsync(string slug, string name, string timeZone, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        var now = clock.GetUtcNow();
        command.CommandText = "INSERT INTO workspaces (slug, name, time_zone, created_at) VALUES ($s, $n, $z, $c) ON CONFLICT (slug) DO NOTHING RETURNING id";
        command.Parameters.AddWithValue("$s", slug);
        command.Parameters.AddWithValue("$n", name);
        command.Parameters.AddWithValue("$z", timeZone);
        command.Parameters.AddWithValue("$c", now.ToUnixTimeMilliseconds());
        var id = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return id is long value ? new Workspace(value, slug, name, timeZone, DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds())) : null;
    }

    public async Task<IReadOnlyList<Source>> ListSourcesAsync(long workspaceId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, workspace_id, platform, kind, target, name, enabled, created_at FROM sources WHERE workspace_id = $w ORDER BY id";
        command.Parameters.AddWithValue("$w", workspaceId);
        var list = new List<Source>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            EnumNames.TryParsePlatform(reader.GetString(2), out var platform);
            Enum.TryParse<SourceKind>(reader.GetString(3), ignoreCase: true, out var kind);
            list.Add(new Source(reader.GetInt64(0), reader.GetInt64(1), platform, kind, reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetInt64(6) != 0, DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7))));
        }

        return list;
    }

    public async Task<Source> AddSourceAsync(long workspaceId, Platform platform, SourceKind kind, string target, string? name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        var now = DateTimeOffset.FromUnixTimeMilliseconds(clock.GetUtcNow().ToUnixTimeMilliseconds());
        command.CommandText = "INSERT INTO sources (workspace_id, platform, kind, target, name, enabled, created_at) VALUES ($w, $p, $k, $t, $n, 1, $c) RETURNING id";
        command.Parameters.AddWithValue("$w", workspaceId);
        command.Parameters.AddWithValue("$p", platform.ToWire());
        command.Parameters.AddWithValue("$k", kind.ToString().ToLowerInvariant());
        command.Parameters.AddWithValue("$t", target);
        command.Parameters.AddWithValue("$n", (object?)name ?? DBNull.Value);
        command.Parameters.AddWithValue("$c", now.ToUnixTimeMilliseconds());
        var id = (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        return new Source(id, workspaceId, platform, kind, target, name, true, now);
    }

    public async Task<bool> DeleteSourceAsync(long workspaceId, long sourceId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM sources WHERE workspace_id = $w AND id = $id";
        command.Parameters.AddWithValue("$w", workspaceId);
        command.Parameters.AddWithValue("$id", sourceId);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    private static Workspace MapWorkspace(SqliteDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(4)));
}
