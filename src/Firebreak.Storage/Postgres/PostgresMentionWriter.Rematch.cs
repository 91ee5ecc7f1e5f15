namespace Firebreak.Storage.Postgres;

using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;
using Firebreak.Core.Text;
using Firebreak.Core.Topics;
using Firebreak.Core.Topics.Query;
using Firebreak.Storage.Sqlite;
using Npgsql;

/// <summary>Re-matching one topic over stored mentions (topic created, edited or deleted).</summary>
public sealed partial class PostgresMentionWriter : ITopicMembershipWriter
{
    private readonly Tokenizer rematchTokenizer = new();
    private readonly MatchSubject rematchSubject = new();

    public async Task<RematchChunk> RematchAsync(long workspaceId, long topicId, CompiledQuery? query, MentionCursor? after, DateTimeOffset from, int chunkSize, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await RunAsync(() => RematchOnceAsync(workspaceId, topicId, query, after, from, chunkSize, cancellationToken), rollups.Clear, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<RematchChunk> RematchOnceAsync(long workspaceId, long topicId, CompiledQuery? query, MentionCursor? after, DateTimeOffset from, int chunkSize, CancellationToken cancellationToken)
    {
        var c = connection!;
        rollups.Clear();
        await using var tx = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // The chunk's ids first, then their keys locked (an ingest elsewhere may be editing them), then the rows read.
        var ids = new List<long>(chunkSize);
        await using (var select = new NpgsqlCommand(
            query is null
                ? """
                  SELECT mt.mention_id FROM mention_topics mt JOIN mention_keys k ON k.id = mt.mention_id
                  WHERE mt.topic_id = $1 AND k.workspace_id = $2 AND (mt.created_at < $4 OR (mt.created_at = $4 AND mt.mention_id < $5))
                  ORDER BY mt.created_at DESC, mt.mention_id DESC LIMIT $6
                  """
                : """
                  SELECT m.id FROM mentions m
                  WHERE m.workspace_id = $2 AND m.created_at >= $3 AND (m.created_at < $4 OR (m.created_at = $4 AND m.id < $5))
                  ORDER BY m.created_at DESC, m.id DESC LIMIT $6
                  """,
            c,
            tx))
        {
            select.Parameters.Add(new NpgsqlParameter<long> { TypedValue = topicId });
            select.Parameters.Add(new NpgsqlParameter<long> { TypedValue = workspaceId });
            select.Parameters.Add(new NpgsqlParameter<long> { TypedValue = from.ToUnixTimeMilliseconds() });
            select.Parameters.Add(new NpgsqlParameter<long> { TypedValue = after?.CreatedAtMs ?? long.MaxValue });
            select.Parameters.Add(new NpgsqlParameter<long> { TypedValue = after?.Id ?? long.MaxValue });
            select.Parameters.Add(new NpgsqlParameter<int> { TypedValue = chunkSize });
            await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                ids.Add(reader.GetInt64(0));
            }
        }

        int scanned = 0, added = 0, removed = 0;
        MentionCursor? last = null;
        var changes = new List<(long Id, long CreatedMs, long[] Topics, bool Add, RollupContribution Contribution)>();
        await using (var batch = new NpgsqlBatch(c, tx))
        {
            batch.BatchCommands.Add(Command("SELECT 1 FROM mention_keys WHERE id = ANY($1) ORDER BY workspace_id, platform, external_id FOR UPDATE", ids.ToArray()));
            batch.BatchCommands.Add(Command(
                """
                SELECT m.id, m.platform, m.kind, m.author_handle, m.author_followers, m.author_verified, m.text, m.language,
                       m.created_at, m.topic_ids, m.sentiment, m.views
                FROM mention_keys k JOIN mentions m ON m.id = k.id AND m.created_at = k.created_at
                WHERE k.id = ANY($1) ORDER BY m.created_at DESC, m.id DESC
                """,
                ids.ToArray()));
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                scanned++;
                EnumNames.TryParsePlatform(reader.GetString(1), out var platform);
                EnumNames.TryParseKind(reader.GetString(2), out var kind);
                var createdMs = reader.GetInt64(8);
                var mention = new Mention
                {
                    Id = reader.GetInt64(0),
                    WorkspaceId = workspaceId,
                    Platform = platform,
                    ExternalId = string.Empty,
                    Kind = kind,
                    Author = new MentionAuthor(reader.GetString(3), null, reader.GetInt64(4), reader.GetBoolean(5)),
                    Text = reader.GetString(6),
                    Language = reader.GetString(7),
                    CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(createdMs),
                    CapturedAt = DateTimeOffset.FromUnixTimeMilliseconds(createdMs),
                    Engagement = new Engagement(0, 0, 0, reader.GetInt64(11)),
                };
                last = new MentionCursor(createdMs, mention.Id);
                var topics = reader.IsDBNull(9) ? [] : SqliteMentionWriter.ParseIds(reader.GetString(9));
                var member = Array.IndexOf(topics, topicId) >= 0;
                var matches = false;
                if (query is not null)
                {
                    rematchSubject.Load(mention, rematchTokenizer);
                    matches = query.Matches(rematchSubject);
                }

                if (matches == member)
                {
                    continue;
                }

                var contribution = new RollupContribution(mention.CreatedAt, (Sentiment)reader.GetInt32(10), mention.Language, platform, mention.Reach, [topicId]);
                var updated = matches ? [.. topics, topicId] : topics.Where(t => t != topicId).ToArray();
                Array.Sort(updated);
                changes.Add((mention.Id, createdMs, updated, matches, contribution));
            }
        }

        if (changes.Count > 0)
        {
            await using var batch = new NpgsqlBatch(c, tx);
            foreach (var change in changes)
            {
                batch.BatchCommands.Add(Command("UPDATE mentions SET topic_ids = $1 WHERE id = $2 AND created_at = $3", change.Topics.Length == 0 ? null : string.Join(',', change.Topics), change.Id, change.CreatedMs));
                batch.BatchCommands.Add(Command(
                    change.Add
                        ? "INSERT INTO mention_topics (topic_id, created_at, mention_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING"
                        : "DELETE FROM mention_topics WHERE topic_id = $1 AND created_at = $2 AND mention_id = $3",
                    topicId,
                    change.CreatedMs,
                    change.Id));
                if (change.Add)
                {
                    added++;
                }
                else
                {
                    removed++;
                }

                rollups.AddTopicOnly(workspaceId, topicId, change.Contribution, change.Add ? +1 : -1);
            }

            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await rollupWriter.ApplyAsync(c, tx, rollups, cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        // The cursor follows the ids selected (a row edited away meanwhile is simply not scanned).
        return new RematchChunk(scanned, added, removed, ids.Count < chunkSize ? null : last);
    }
}
