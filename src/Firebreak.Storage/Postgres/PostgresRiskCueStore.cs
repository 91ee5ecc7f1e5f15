namespace Firebreak.Storage.Postgres;

using Firebreak.Core.RiskCues;
using Npgsql;

public sealed class PostgresRiskCueStore(PostgresDatabase database, TimeProvider clock) : IRiskCueStore
{
    public async Task<IReadOnlyList<RiskCue>?> GetAsync(long workspaceId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var exists = new NpgsqlCommand("SELECT count(*) FROM risk_cue_lists WHERE workspace_id = $1", connection).Add(workspaceId))
        {
            if ((long)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! == 0)
            {
                return null;
            }
        }

        await using var command = new NpgsqlCommand("SELECT name, query, enabled FROM risk_cues WHERE workspace_id = $1 ORDER BY position", connection).Add(workspaceId);
        var cues = new List<RiskCue>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            cues.Add(new RiskCue(reader.GetString(0), reader.GetString(1), reader.GetBoolean(2)));
        }

        return cues;
    }

    public async Task SetAsync(long workspaceId, IReadOnlyList<RiskCue>? cues, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection, tx);
        batch.BatchCommands.Add(PostgresMentionWriter.Command("DELETE FROM risk_cues WHERE workspace_id = $1", workspaceId));
        batch.BatchCommands.Add(PostgresMentionWriter.Command("DELETE FROM risk_cue_lists WHERE workspace_id = $1", workspaceId));
        if (cues is not null)
        {
            batch.BatchCommands.Add(PostgresMentionWriter.Command("INSERT INTO risk_cue_lists (workspace_id, updated_at) VALUES ($1, $2)", workspaceId, clock.GetUtcNow().ToUnixTimeMilliseconds()));
            for (var i = 0; i < cues.Count; i++)
            {
                batch.BatchCommands.Add(PostgresMentionWriter.Command("INSERT INTO risk_cues (workspace_id, position, name, query, enabled) VALUES ($1, $2, $3, $4, $5)", workspaceId, i, cues[i].Name, cues[i].Query, cues[i].Enabled));
            }
        }

        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
