namespace Firebreak.Storage.Sqlite;

using Firebreak.Core.Corrections;

public sealed class SqliteCorrectionStore(SqliteDatabase database, TimeProvider clock) : ICorrectionStore
{
    public async Task<LabelCorrection> AddAsync(long workspaceId, long mentionId, string task, string label, string text, string language, string? correctedBy, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        var now = DateTimeOffset.FromUnixTimeMilliseconds(clock.GetUtcNow().ToUnixTimeMilliseconds());
        command.CommandText = """
            INSERT INTO label_corrections (workspace_id, mention_id, task, label, text, language, corrected_by, created_at)
            VALUES ($w, $m, $t, $l, $x, $g, $b, $c) RETURNING id
            """;
        command.Parameters.AddWithValue("$w", workspaceId);
        command.Parameters.AddWithValue("$m", mentionId);
        command.Parameters.AddWithValue("$t", task);
        command.Parameters.AddWithValue("$l", label);
        command.Parameters.AddWithValue("$x", text);
        command.Parameters.AddWithValue("$g", language);
        command.Parameters.AddWithValue("$b", (object?)correctedBy ?? DBNull.Value);
        command.Parameters.AddWithValue("$c", now.ToUnixTimeMilliseconds());
        var id = (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        return new LabelCorrection(id, workspaceId, mentionId, task, label, text, language, correctedBy, now);
    }

    public async Task<IReadOnlyList<LabelCorrection>> ListAsync(long workspaceId, string? task, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT id, workspace_id, mention_id, task, label, text, language, corrected_by, created_at FROM label_corrections
            WHERE workspace_id = $w AND ($t IS NULL OR task = $t) ORDER BY id
            """;
        command.Parameters.AddWithValue("$w", workspaceId);
        command.Parameters.AddWithValue("$t", (object?)task ?? DBNull.Value);
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
