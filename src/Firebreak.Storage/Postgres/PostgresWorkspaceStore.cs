namespace Firebreak.Storage.Postgres;

using Firebreak.Core.Mentions;
using Firebreak.Core.Workspaces;
using Npgsql;

public sealed class PostgresWorkspaceStore(PostgresDatabase database, TimeProvider clock) : IWorkspaceStore
{
    public async Task<IReadOnlyList<Workspace>> ListAsync(CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand("SELECT id, slug, name, time_zone, created_at FROM workspaces ORDER BY slug");
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
        await using var command = database.DataSource.CreateCommand("SELECT id, slug, name, time_zone, created_at FROM workspaces WHERE slug = $1").AddText(slug);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? MapWorkspace(reader) : null;
    }

    public async Task<Workspace?> AddAsync(string slug, string name, string timeZone, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var command = database.DataSource.CreateCommand("INSERT INTO workspaces (slug, name, time_zone, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (slug) DO NOTHING RETURNING id")
            .AddText(slug).AddText(name).AddText(timeZone).Add(now);
        var id = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return id is long value ? new Workspace(value, slug, name, timeZone, DateTimeOffset.FromUnixTimeMilliseconds(now)) : null;
    }

    public async Task<IReadOnlyList<Source>> ListSourcesAsync(long workspaceId, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand("SELECT id, workspace_id, platform, kind, target, name, enabled, created_at FROM sources WHERE workspace_id = $1 ORDER BY id").Add(workspaceId);
        var list = new List<Source>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            EnumNames.TryParsePlatform(reader.GetString(2), out var platform);
            Enum.TryParse<SourceKind>(reader.GetString(3), ignoreCase: true, out var kind);
            list.Add(new Source(reader.GetInt64(0), reader.GetInt64(1), platform, kind, reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetBoolean(6), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7))));
        }

        return list;
    }

    public async Task<Source> AddSourceAsync(long workspaceId, Platform platform, SourceKind kind, string target, string? name, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(clock.GetUtcNow().ToUnixTimeMilliseconds());
        await using var command = database.DataSource.CreateCommand("INSERT INTO sources (workspace_id, platform, kind, target, name, enabled, created_at) VALUES ($1, $2, $3, $4, $5, true, $6) RETURNING id")
            .Add(workspaceId).AddText(platform.ToWire()).AddText(kind.ToString().ToLowerInvariant()).AddText(target).AddText(name).Add(now.ToUnixTimeMilliseconds());
        var id = (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        return new Source(id, workspaceId, platform, kind, target, name, true, now);
    }

    public async Task<bool> DeleteSourceAsync(long workspaceId, long sourceId, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand("DELETE FROM sources WHERE workspace_id = $1 AND id = $2").Add(workspaceId).Add(sourceId);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    private static Workspace MapWorkspace(NpgsqlDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(4)));
}
