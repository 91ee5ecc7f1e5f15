namespace Firebreak.Storage.Postgres;

using Firebreak.Core.Corrections;

public sealed class PostgresCorrectionStore(PostgresDatabase database, TimeProvider clock) : ICorrectionStore
{
    public async Task<LabelCorrection> AddAsync(long workspaceId, long mentionId, string task, string label, string text, string language, string? correctedBy, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(clock.GetUtcNow().ToUnixTimeMilliseconds());
        await using var command = database.DataSource.CreateCommand("""
            INSERT INTO label_corrections (workspace_id, mention_id, task, label, text, language, corrected_by, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id
            """)
            .Add(workspaceId).Add(mentionId).AddText(task).AddText(label).AddText(text).AddText(language).AddText(correctedBy).Add(now.ToUnixTimeMilliseconds());
        var id = (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        return new LabelCorrection(id, workspaceId, mentionId, task, label, text, language, correctedBy, now);
    }

    public async Task<IReadOnlyList<LabelCorrection>> ListAsync(long workspaceId, string? task, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand("""
            SELECT id, workspace_id, mention_id, task, label, text, language, corrected_by, created_at FROM label_corrections
            WHERE workspace_id = $1 AND ($2 IS NULL OR task = $2) ORDER BY id
            """)
            .Add(workspaceId).AddText(task);
        var list = new List<LabelCorrection>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new LabelCorrection(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(8))));
        }

        return list;
    }
}
