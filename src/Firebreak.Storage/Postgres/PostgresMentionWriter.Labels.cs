namespace Firebreak.Storage.Postgres;

using Firebreak.Core.Corrections;
using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;
using Firebreak.Storage.Sqlite;
using Npgsql;

/// <summary>A person's label correction, applied under the mention's key lock so rollups stay exact.</summary>
public sealed partial class PostgresMentionWriter : IMentionLabelWriter
{
    public async Task<bool> ApplyLabelAsync(long workspaceId, long mentionId, string task, string label, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await RunAsync(() => ApplyLabelOnceAsync(workspaceId, mentionId, task, label, cancellationToken), rollups.Clear, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<bool> ApplyLabelOnceAsync(long workspaceId, long mentionId, string task, string label, CancellationToken cancellationToken)
    {
        var c = connection!;
        rollups.Clear();
        await using var tx = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        RollupContribution old;
        MentionAnalysis analysis;
        await using (var batch = new NpgsqlBatch(c, tx))
        {
            batch.BatchCommands.Add(Command("SELECT 1 FROM mention_keys WHERE id = $1 AND workspace_id = $2 FOR UPDATE", mentionId, workspaceId));
            batch.BatchCommands.Add(Command(
                """
                SELECT m.created_at, m.sentiment, m.language, m.platform, greatest(m.author_followers, m.views), m.topic_ids, m.analysis
                FROM mention_keys k JOIN mentions m ON m.id = k.id AND m.created_at = k.created_at WHERE k.id = $1 AND k.workspace_id = $2
                """,
                mentionId,
                workspaceId));
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            EnumNames.TryParsePlatform(reader.GetString(3), out var platform);
            var sentiment = (Sentiment)reader.GetInt32(1);
            old = new RollupContribution(DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)), sentiment, reader.GetString(2), platform, reader.GetInt64(4), reader.IsDBNull(5) ? [] : SqliteMentionWriter.ParseIds(reader.GetString(5)));
            analysis = AnalysisJson.Read(reader.IsDBNull(6) ? null : reader.GetString(6), sentiment);
        }

        var corrected = analysis.Corrected.Contains(task) ? analysis.Corrected : [.. analysis.Corrected, task];
        analysis = task switch
        {
            "sentiment" when EnumNames.TryParseSentiment(label, out var s) => analysis with { Sentiment = s, SentimentConfidence = 1, Corrected = corrected },
            "offensive" => analysis with { Offensive = label == "offensive", ToxicityConfidence = 1, Corrected = corrected },
            "hate" => analysis with { Hateful = label == "hate", HateConfidence = 1, Corrected = corrected },
            "emotion" => analysis with { Emotion = label, EmotionConfidence = 1, Corrected = corrected },
            _ => throw new ArgumentException($"unknown task or label: {task}={label}", nameof(task)),
        };

        await using (var update = new NpgsqlCommand("UPDATE mentions SET sentiment = $1, analysis = $2 WHERE id = $3 AND created_at = $4", c, tx))
        {
            update.Parameters.Add(new NpgsqlParameter<int> { TypedValue = (int)analysis.Sentiment });
            update.Parameters.Add(new NpgsqlParameter { Value = (object?)AnalysisJson.Write(analysis) ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            update.Parameters.Add(new NpgsqlParameter<long> { TypedValue = mentionId });
            update.Parameters.Add(new NpgsqlParameter<long> { TypedValue = old.CreatedAt.ToUnixTimeMilliseconds() });
            await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        if (analysis.Sentiment != old.Sentiment)
        {
            rollups.Add(workspaceId, old, -1);
            rollups.Add(workspaceId, old with { Sentiment = analysis.Sentiment }, +1);
            await rollupWriter.ApplyAsync(c, tx, rollups, cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }
}
