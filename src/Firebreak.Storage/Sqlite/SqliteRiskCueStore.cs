namespace Firebreak.Storage.Sqlite;

using Firebreak.Core.RiskCues;

public sealed class SqliteRiskCueStore(SqliteDatabase database, TimeProvider clock) : IRiskCueStore
{
    public async Task<IReadOnlyList<RiskCue>?> GetAsync(long workspaceId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var exists = connection.CreateCommand())
        {
            exists.CommandText = "SELECT count(*) FROM risk_cue_lists WHERE workspace_id = $w";
            exists.Parameters.AddWithValue("$w", workspaceId);
            if ((long)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! == 0)
            {
                return null;
            }
        }

        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, query, enabled FROM risk_cues WHERE workspace_id = $w ORDER BY position";
        command.Parameters.AddWithValue("$w", workspaceId);
        var cues = new List<RiskCue>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            cues.Add(new RiskCue(reader.GetString(0), reader.GetString(1), reader.GetInt64(2) != 0));
        }

        return cues;
    }

    public async Task SetAsync(long workspaceId, IReadOnlyList<RiskCue>? cues, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var clear = connection.CreateCommand())
        {
            clear.CommandText = "DELETE FROM risk_cues WHERE workspace_id = $w; DELETE FROM risk_cue_lists WHERE workspace_id = $w;";
            clear.Parameters.AddWithValue("$w", workspaceId);
            await clear.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        if (cues is not null)
        {
            await using (var list = connection.CreateCommand())
            {
                list.CommandText = "INSERT INTO risk_cue_lists (workspace_id, updated_at) VALUES ($w, $u)";
                list.Parameters.AddWithValue("$w", workspaceId);
                list.Parameters.AddWithValue("$u", clock.GetUtcNow().ToUnixTimeMilliseconds());
                await list.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            for (var i = 0; i < cues.Count; i++)
            {
                await using var insert = connection.CreateCommand();
                insert.CommandText = "INSERT INTO risk_cues (workspace_id, position, name, query, enabled) VALUES ($w, $p, $n, $q, $e)";
                insert.Parameters.AddWithValue("$w", workspaceId);
                insert.Parameters.AddWithValue("$p", i);
                insert.Parameters.AddWithValue("$n", cues[i].Name);
                insert.Parameters.AddWithValue("$q", cues[i].Query);
                insert.Parameters.AddWithValue("$e", cues[i].Enabled ? 1 : 0);
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
