namespace Firebreak.Storage.Sqlite;

using Firebreak.Core.Corrections;
using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;

/// <summary>A person's label correction, applied on the single writer so rollups stay exact.</summary>
public sealed partial class SqliteMentionWriter : IMentionLabelWriter
{
    public async Task<bool> ApplyLabelAsync(long workspaceId, long mentionId, string task, string label, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await EnsureOpenAsync(cancellationToken).ConfigureAwait(false);

            return ApplyLabel(workspaceId, mentionId, task, label);
        }
        finally
        {
            gate.Release();
        }
    }

    private bool ApplyLabel(long workspaceId, long mentionId, string task, string label)
    {
        var c = commands!;
        rollups.Clear();
        using var tx = connection!.BeginTransaction(deferred: false);
        c.Enlist(tx);
        using var select = connection.CreateCommand();
        select.Transaction = tx;
        select.CommandText = "SELECT created_at, sentiment, language, platform, max(author_followers, views), topic_ids, analysis FROM mentions WHERE workspace_id = $w AND id = $id";
        select.Parameters.AddWithValue("$w", workspaceId);
        select.Parameters.AddWithValue("$id", mentionId);
        RollupContribution old;
        MentionAnalysis analysis;
        using (var reader = select.ExecuteReader())
        {
            if (!reader.Read())
            {
                return false;
            }

            EnumNames.TryParsePlatform(reader.GetString(3), out var platform);
            var sentiment = (Sentiment)reader.GetInt32(1);
            old = new RollupContribution(DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)), sentiment, reader.GetString(2), platform, reader.GetInt64(4), reader.IsDBNull(5) ? [] : ParseIds(reader.GetString(5)));
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

        using var update = connection.CreateCommand();
        update.Transaction = tx;
        update.CommandText = "UPDATE mentions SET sentiment = $s, analysis = $a WHERE id = $id";
        update.Parameters.AddWithValue("$s", (int)analysis.Sentiment);
        update.Parameters.AddWithValue("$a", AnalysisJson.Write(analysis) ?? (object)DBNull.Value);
        update.Parameters.AddWithValue("$id", mentionId);
        update.ExecuteNonQuery();
        if (analysis.Sentiment != old.Sentiment)
        {
            rollups.Add(workspaceId, old, -1);
            rollups.Add(workspaceId, old with { Sentiment = analysis.Sentiment }, +1);
            ApplyRollups(c);
        }

        tx.Commit();
        return true;
    }
}
