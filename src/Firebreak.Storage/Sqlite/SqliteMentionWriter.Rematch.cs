namespace Firebreak.Storage.Sqlite;

using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;
using Firebreak.Core.Text;
using Firebreak.Core.Topics;
using Firebreak.Core.Topics.Query;
using Microsoft.Data.Sqlite;

/// <summary>Re-matching one topic over stored mentions (topic created, edited or deleted).</summary>
public sealed partial class SqliteMentionWriter
{
    private readonly Tokenizer rematchTokenizer = new();
    private readonly MatchSubject rematchSubject = new();

    public async Task<RematchChunk> RematchAsync(long workspaceId, long topicId, CompiledQuery? query, MentionCursor? after, DateTimeOffset from, int chunkSize, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await EnsureOpenAsync(cancellationToken).ConfigureAwait(false);

            return Rematch(workspaceId, topicId, query, after, from, chunkSize);
        }
        finally
        {
            gate.Release();
        }
    }

    private RematchChunk Rematch(long workspaceId, long topicId, CompiledQuery? query, MentionCursor? after, DateTimeOffset from, int chunkSize)
    {
        var c = commands!;
        rollups.Clear();
        using var tx = connection!.BeginTransaction(deferred: false);
        c.Enlist(tx);
        using var select = connection.CreateCommand();
        select.Transaction = tx;

        // A deleted topic only needs its own members; a live one looks at every recent mention.
        select.CommandText = query is null
            ? """
              SELECT m.id, m.platform, m.kind, m.author_handle, m.author_followers, m.author_verified, m.text, m.language,
                     m.created_at, m.topic_ids, m.sentiment, m.views
              FROM mention_topics mt JOIN mentions m ON m.id = mt.mention_id
              WHERE mt.topic_id = $t AND m.workspace_id = $w AND (mt.created_at < $ct OR (mt.created_at = $ct AND mt.mention_id < $cid))
              ORDER BY mt.created_at DESC, mt.mention_id DESC LIMIT $n
              """
            : """
              SELECT m.id, m.platform, m.kind, m.author_handle, m.author_followers, m.author_verified, m.text, m.language,
                     m.created_at, m.topic_ids, m.sentiment, m.views
              FROM mentions m
              WHERE m.workspace_id = $w AND m.created_at >= $from AND (m.created_at < $ct OR (m.created_at = $ct AND m.id < $cid))
              ORDER BY m.created_at DESC, m.id DESC LIMIT $n
              """;
        select.Parameters.AddWithValue("$t", topicId);
        select.Parameters.AddWithValue("$w", workspaceId);
        select.Parameters.AddWithValue("$from", from.ToUnixTimeMilliseconds());
        select.Parameters.AddWithValue("$ct", after?.CreatedAtMs ?? long.MaxValue);
        select.Parameters.AddWithValue("$cid", after?.Id ?? long.MaxValue);
        select.Parameters.AddWithValue("$n", chunkSize);

        int scanned = 0, added = 0, removed = 0;
        MentionCursor? last = null;
        var changes = new List<(long Id, long CreatedMs, long[] Topics, bool Add, RollupContribution Contribution)>();
        using (var reader = select.ExecuteReader())
        {
            while (reader.Read())
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
                    Author = new MentionAuthor(reader.GetString(3), null, reader.GetInt64(4), reader.GetInt64(5) != 0),
                    Text = reader.GetString(6),
                    Language = reader.GetString(7),
                    CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(createdMs),
                    CapturedAt = DateTimeOffset.FromUnixTimeMilliseconds(createdMs),
                    Engagement = new Engagement(0, 0, 0, reader.GetInt64(11)),
                };
                last = new MentionCursor(createdMs, mention.Id);
                var topics = reader.IsDBNull(9) ? [] : ParseIds(reader.GetString(9));
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

        using var setTopics = connection.CreateCommand();
        setTopics.Transaction = tx;
        setTopics.CommandText = "UPDATE mentions SET topic_ids = $ids WHERE id = $id";
        var ids = setTopics.Parameters.Add("$ids", SqliteType.Text);
        var id = setTopics.Parameters.Add("$id", SqliteType.Integer);
        foreach (var change in changes)
        {
            ids.Value = change.Topics.Length == 0 ? DBNull.Value : string.Join(',', change.Topics);
            id.Value = change.Id;
            setTopics.ExecuteNonQuery();
            if (change.Add)
            {
                AddTopics(c, change.Id, change.CreatedMs, [topicId], []);
                added++;
            }
            else
            {
                RemoveTopics(c, change.Id, change.CreatedMs, [topicId], []);
                removed++;
            }

            rollups.AddTopicOnly(workspaceId, topicId, change.Contribution, change.Add ? +1 : -1);
        }

        ApplyRollups(c);
        tx.Commit();
        return new RematchChunk(scanned, added, removed, scanned < chunkSize ? null : last);
    }
}
