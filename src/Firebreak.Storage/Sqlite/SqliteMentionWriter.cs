namespace Firebreak.Storage.Sqlite;

using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;
using Firebreak.Core.Topics;
using Microsoft.Data.Sqlite;

/// <summary>
/// The single writer of the embedded store. One transaction per group of batches: mentions upserted on
/// their natural key, previous versions kept, topic matches, full-text tokens and rollup deltas — so a
/// hard kill leaves the store exactly as of the last acknowledged group. Commands are prepared once and
/// reused; only the parameter values change per row.
/// </summary>
public sealed partial class SqliteMentionWriter(SqliteDatabase database) : IMentionWriter, ITopicMembershipWriter, IAsyncDisposable
{
    private const string MentionColumns = "workspace_id, source_id, platform, external_id, kind, author_handle, author_name, author_followers, author_verified, text, language, url, created_at, captured_at, likes, shares, replies, views, parent_external_id, thread_external_id, raw, sentiment, analysis, topic_ids, content_hash, version";

    private readonly RollupAccumulator rollups = new();
    private readonly SemaphoreSlim gate = new(1, 1);
    private SqliteConnection? connection;
    private Commands? commands;
    private long nextId;

    public async ValueTask WriteAsync(IReadOnlyList<IngestBatch> batches, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await WriteLockedAsync(batches, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Opens the writer's own connection and prepares its statements on first use. Call under the gate.</summary>
    private async Task EnsureOpenAsync(CancellationToken cancellationToken)
    {
        if (connection is null)
        {
            connection = await database.OpenAsync(cancellationToken, cacheMiB: 64).ConfigureAwait(false);
            commands = new Commands(connection);
        }
    }

    public async ValueTask DisposeAsync()
    {
        commands?.Dispose();
        if (connection is not null)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        gate.Dispose();
    }

    private async Task WriteLockedAsync(IReadOnlyList<IngestBatch> batches, CancellationToken cancellationToken)
    {
        await EnsureOpenAsync(cancellationToken).ConfigureAwait(false);
        var c = commands!;
        rollups.Clear();
        using var tx = connection!.BeginTransaction(deferred: false);
        c.Enlist(tx);
        try
        {
            // The transaction holds SQLite's write lock from its first statement (BEGIN IMMEDIATE), so no other
            // writer (a CLI import beside the server, say) can take ids until we commit: we hand them out here.
            nextId = (long)c.MaxId.ExecuteScalar()! + 1;
            foreach (var batch in batches)
            {
                foreach (var item in batch.Items)
                {
                    if (item.Outcome == IngestOutcome.Pending && item.Mention is { } mention)
                    {
                        Upsert(c, item, mention);
                    }
                }
            }

            ApplyRollups(c);
            tx.Commit();
        }
        catch
        {
            // Nothing of the group is committed, so nothing may claim to be.
            foreach (var batch in batches)
            {
                foreach (var item in batch.Items)
                {
                    if (item.Outcome is IngestOutcome.Inserted or IngestOutcome.Updated or IngestOutcome.Unchanged)
                    {
                        item.Outcome = IngestOutcome.Pending;
                    }
                }
            }

            throw;
        }
    }

    private void Upsert(Commands c, IngestItem item, Mention mention)
    {
        var hash = StableHash.Of(mention);

        // New mentions are the common case: try the insert first and fall back to read-and-update only when
        // the natural key already exists. That saves a lookup per new mention on the hot path.
        BindInsert(c.Insert, nextId, mention, item.TopicIds, hash);
        if (c.Insert.Execute() == 1)
        {
            mention.Id = nextId++;
            IndexText(c, mention.Id, item.SearchText);
            AddTopics(c, mention.Id, mention.CreatedAt.ToUnixTimeMilliseconds(), item.TopicIds, []);
            rollups.Add(mention.WorkspaceId, Contribution(mention, item.TopicIds), +1);
            item.Outcome = IngestOutcome.Inserted;
            return;
        }

        c.LookupWorkspace.Value = mention.WorkspaceId;
        c.LookupPlatform.Value = mention.Platform.ToWire();
        c.LookupExternal.Value = mention.ExternalId;
        Existing existing;
        using (var reader = c.Lookup.ExecuteReader())
        {
            if (!reader.Read())
            {
                throw new InvalidOperationException($"Mention {mention.Platform.ToWire()}/{mention.ExternalId} neither inserted nor found.");
            }

            existing = new Existing(
                reader.GetInt64(0),
                reader.GetInt64(1),
                reader.GetString(2),
                reader.GetInt32(3),
                (Sentiment)reader.GetInt32(4),
                reader.GetString(5),
                reader.GetInt64(6),
                reader.IsDBNull(7) ? [] : ParseIds(reader.GetString(7)),
                Math.Max(reader.GetInt64(8), reader.GetInt64(9)),
                reader.GetInt64(10),
                new Engagement(reader.GetInt64(11), reader.GetInt64(12), reader.GetInt64(13), reader.GetInt64(9)),
                reader.IsDBNull(14) ? null : reader.GetString(14),
                reader.IsDBNull(15) ? null : reader.GetString(15));
        }

        Update(c, item, mention, hash, existing);
    }

    private void Update(Commands c, IngestItem item, Mention mention, long hash, Existing existing)
    {
        mention.Id = existing.Id;
        if (existing.Hash == hash)
        {
            item.Outcome = IngestOutcome.Unchanged;
            return;
        }

        mention.Analysis = KeepCorrections(mention.Analysis, existing.AnalysisJson);
        var textChanged = !string.Equals(existing.Text, mention.Text, StringComparison.Ordinal);
        var version = existing.Version;
        if (textChanged)
        {
            // Keep what the author wrote before: edits after a crisis started are evidence.
            c.VersionId.Value = existing.Id;
            c.VersionNumber.Value = existing.Version;
            c.VersionText.Value = existing.Text;
            c.VersionCaptured.Value = existing.CapturedAtMs;
            c.VersionLikes.Value = existing.Engagement.Likes;
            c.VersionShares.Value = existing.Engagement.Shares;
            c.VersionReplies.Value = existing.Engagement.Replies;
            c.VersionViews.Value = existing.Engagement.Views;
            c.VersionRaw.Value = (object?)existing.Raw ?? DBNull.Value;
            c.InsertVersion.ExecuteNonQuery();
            version++;
            c.FtsDeleteId.Value = existing.Id;
            c.FtsDelete.ExecuteNonQuery();
            IndexText(c, existing.Id, item.SearchText);
        }

        BindMention(c.UpdateParameters, mention, item.TopicIds, hash, version);
        c.UpdateId.Value = existing.Id;
        c.Update.ExecuteNonQuery();

        var createdMs = mention.CreatedAt.ToUnixTimeMilliseconds();
        if (createdMs != existing.CreatedAtMs)
        {
            RemoveTopics(c, existing.Id, existing.CreatedAtMs, existing.TopicIds, []);
            AddTopics(c, existing.Id, createdMs, item.TopicIds, []);
        }
        else
        {
            RemoveTopics(c, existing.Id, createdMs, existing.TopicIds, item.TopicIds);
            AddTopics(c, existing.Id, createdMs, item.TopicIds, existing.TopicIds);
        }

        var old = new RollupContribution(DateTimeOffset.FromUnixTimeMilliseconds(existing.CreatedAtMs), existing.Sentiment, existing.Language, mention.Platform, existing.Reach, existing.TopicIds);
        rollups.Add(mention.WorkspaceId, old, -1);
        rollups.Add(mention.WorkspaceId, Contribution(mention, item.TopicIds), +1);
        item.Outcome = IngestOutcome.Updated;
    }

    private static RollupContribution Contribution(Mention mention, long[] topicIds) =>
        new(mention.CreatedAt, mention.Analysis.Sentiment, mention.Language, mention.Platform, mention.Reach, topicIds);

    private static void IndexText(Commands c, long id, string searchText)
    {
        if (searchText.Length == 0)
        {
            return;
        }

        c.FtsInsert.Bind(1, id);
        c.FtsInsert.Bind(2, searchText);
        c.FtsInsert.Execute();
    }

    private static void AddTopics(Commands c, long mentionId, long createdMs, long[] topics, long[] except)
    {
        foreach (var topic in topics)
        {
            if (Array.IndexOf(except, topic) >= 0)
            {
                continue;
            }

            c.TopicAdd.Bind(1, topic);
            c.TopicAdd.Bind(2, createdMs);
            c.TopicAdd.Bind(3, mentionId);
            c.TopicAdd.Execute();
        }
    }

    private static void RemoveTopics(Commands c, long mentionId, long createdMs, long[] topics, long[] except)
    {
        foreach (var topic in topics)
        {
            if (Array.IndexOf(except, topic) >= 0)
            {
                continue;
            }

            c.TopicRemoveTopic.Value = topic;
            c.TopicRemoveCreated.Value = createdMs;
            c.TopicRemoveMention.Value = mentionId;
            c.TopicRemove.ExecuteNonQuery();
        }
    }

    private void ApplyRollups(Commands c)
    {
        foreach (var ((workspace, topic, minute), counts) in rollups.Counts)
        {
            if (counts.Count == 0 && counts.Reach == 0 && counts.Negative == 0 && counts.Neutral == 0 && counts.Positive == 0 && counts.Unknown == 0)
            {
                continue;
            }

            BindRollup(c.RollupMinute, workspace, topic, minute, counts);
            c.RollupMinute.Execute();
            BindRollup(c.RollupHour, workspace, topic, minute / 60, counts);
            c.RollupHour.Execute();
        }

        foreach (var ((workspace, topic, minute, dim, key), count) in rollups.Dimensions)
        {
            if (count == 0)
            {
                continue;
            }

            BindDim(c.DimMinute, workspace, topic, (int)dim, minute, key, count);
            c.DimMinute.Execute();
            BindDim(c.DimHour, workspace, topic, (int)dim, minute / 60, key, count);
            c.DimHour.Execute();
        }
    }

    private static void BindRollup(RawStatement s, long workspace, long topic, long bucket, RollupCounts counts)
    {
        s.Bind(1, workspace);
        s.Bind(2, topic);
        s.Bind(3, bucket);
        s.Bind(4, counts.Count);
        s.Bind(5, counts.Negative);
        s.Bind(6, counts.Neutral);
        s.Bind(7, counts.Positive);
        s.Bind(8, counts.Unknown);
        s.Bind(9, counts.Reach);
    }

    private static void BindDim(RawStatement s, long workspace, long topic, int dim, long bucket, string key, long count)
    {
        s.Bind(1, workspace);
        s.Bind(2, topic);
        s.Bind(3, dim);
        s.Bind(4, bucket);
        s.Bind(5, key);
        s.Bind(6, count);
    }

    private static void BindInsert(RawStatement s, long id, Mention m, long[] topicIds, long hash)
    {
        s.Bind(1, id);
        s.Bind(2, m.WorkspaceId);
        s.Bind(3, m.SourceId);
        s.Bind(4, m.Platform.ToWire());
        s.Bind(5, m.ExternalId);
        s.Bind(6, m.Kind.ToWire());
        s.Bind(7, m.Author.Handle);
        s.Bind(8, m.Author.DisplayName);
        s.Bind(9, m.Author.Followers);
        s.Bind(10, m.Author.Verified ? 1 : 0);
        s.Bind(11, m.Text);
        s.Bind(12, m.Language);
        s.Bind(13, m.Url);
        s.Bind(14, m.CreatedAt.ToUnixTimeMilliseconds());
        s.Bind(15, m.CapturedAt.ToUnixTimeMilliseconds());
        s.Bind(16, m.Engagement.Likes);
        s.Bind(17, m.Engagement.Shares);
        s.Bind(18, m.Engagement.Replies);
        s.Bind(19, m.Engagement.Views);
        s.Bind(20, m.ParentExternalId);
        s.Bind(21, m.ThreadExternalId);
        s.Bind(22, m.RawPayload);
        s.Bind(23, (int)m.Analysis.Sentiment);
        s.Bind(24, AnalysisJson.Write(m.Analysis));
        s.Bind(25, topicIds.Length == 0 ? null : string.Join(',', topicIds));
        s.Bind(26, hash);
        s.Bind(27, 1);
    }

    private static void BindMention(SqliteParameter[] p, Mention m, long[] topicIds, long hash, int version)
    {
        p[0].Value = m.WorkspaceId;
        p[1].Value = (object?)m.SourceId ?? DBNull.Value;
        p[2].Value = m.Platform.ToWire();
        p[3].Value = m.ExternalId;
        p[4].Value = m.Kind.ToWire();
        p[5].Value = m.Author.Handle;
        p[6].Value = (object?)m.Author.DisplayName ?? DBNull.Value;
        p[7].Value = m.Author.Followers;
        p[8].Value = m.Author.Verified ? 1 : 0;
        p[9].Value = m.Text;
        p[10].Value = m.Language;
        p[11].Value = (object?)m.Url ?? DBNull.Value;
        p[12].Value = m.CreatedAt.ToUnixTimeMilliseconds();
        p[13].Value = m.CapturedAt.ToUnixTimeMilliseconds();
        p[14].Value = m.Engagement.Likes;
        p[15].Value = m.Engagement.Shares;
        p[16].Value = m.Engagement.Replies;
        p[17].Value = m.Engagement.Views;
        p[18].Value = (object?)m.ParentExternalId ?? DBNull.Value;
        p[19].Value = (object?)m.ThreadExternalId ?? DBNull.Value;
        p[20].Value = (object?)m.RawPayload ?? DBNull.Value;
        p[21].Value = (int)m.Analysis.Sentiment;
        p[22].Value = (object?)AnalysisJson.Write(m.Analysis) ?? DBNull.Value;
        p[23].Value = topicIds.Length == 0 ? DBNull.Value : string.Join(',', topicIds);
        p[24].Value = hash;
        p[25].Value = version;
    }

    internal static long[] ParseIds(string value)
    {
        if (value.Length == 0)
        {
            return [];
        }

        var parts = value.Split(',');
        var ids = new long[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            ids[i] = long.Parse(parts[i], System.Globalization.CultureInfo.InvariantCulture);
        }

        return ids;
    }

    private readonly record struct Existing(long Id, long Hash, string Text, int Version, Sentiment Sentiment, string Language, long CreatedAtMs, long[] TopicIds, long Reach, long CapturedAtMs, Engagement Engagement, string? Raw, string? AnalysisJson);

    /// <summary>Labels a person corrected survive every re-analysis of the mention.</summary>
    internal static MentionAnalysis KeepCorrections(MentionAnalysis fresh, string? storedJson)
    {
        if (storedJson is null || !storedJson.Contains("\"corrected\":[\"", StringComparison.Ordinal))
        {
            return fresh;
        }

        var stored = Sqlite.AnalysisJson.Read(storedJson, Sentiment.Unknown);
        var merged = fresh with { Corrected = stored.Corrected };
        foreach (var task in stored.Corrected)
        {
            merged = task switch
            {
                "sentiment" => merged with { Sentiment = stored.Sentiment, SentimentConfidence = stored.SentimentConfidence },
                "offensive" => merged with { Offensive = stored.Offensive, ToxicityConfidence = stored.ToxicityConfidence },
                "hate" => merged with { Hateful = stored.Hateful, HateConfidence = stored.HateConfidence },
                "emotion" => merged with { Emotion = stored.Emotion, EmotionConfidence = stored.EmotionConfidence },
                _ => merged,
            };
        }

        return merged;
    }

    /// <summary>The writer's prepared statements, created once per connection.</summary>
    private sealed class Commands : IDisposable
    {
        private readonly List<SqliteCommand> all = [];
        private readonly List<RawStatement> raws = [];

        public Commands(SqliteConnection connection)
        {
            Lookup = Create(connection, "SELECT id, content_hash, text, version, sentiment, language, created_at, topic_ids, author_followers, views, captured_at, likes, shares, replies, raw, analysis FROM mentions WHERE workspace_id = $w AND platform = $p AND external_id = $e");
            LookupWorkspace = Lookup.Parameters.Add("$w", SqliteType.Integer);
            LookupPlatform = Lookup.Parameters.Add("$p", SqliteType.Text);
            LookupExternal = Lookup.Parameters.Add("$e", SqliteType.Text);

            var names = MentionColumns.Split(", ");
            Insert = CreateRaw(connection, $"INSERT INTO mentions (id, {MentionColumns}) VALUES (?1, {string.Join(", ", names.Select((_, i) => "?" + (i + 2)))}) ON CONFLICT (workspace_id, platform, external_id) DO NOTHING");
            MaxId = Create(connection, "SELECT coalesce(max(id), 0) FROM mentions");
            Update = Create(connection, $"UPDATE mentions SET {string.Join(", ", names.Select((n, i) => $"{n} = $p{i}"))} WHERE id = $id");
            UpdateParameters = names.Select((_, i) => Update.Parameters.AddWithValue("$p" + i, DBNull.Value)).ToArray();
            UpdateId = Update.Parameters.Add("$id", SqliteType.Integer);

            InsertVersion = Create(connection, "INSERT OR IGNORE INTO mention_versions (mention_id, version, text, captured_at, likes, shares, replies, views, raw) VALUES ($id, $v, $t, $c, $l, $s, $r, $vw, $raw)");
            VersionId = InsertVersion.Parameters.Add("$id", SqliteType.Integer);
            VersionNumber = InsertVersion.Parameters.Add("$v", SqliteType.Integer);
            VersionText = InsertVersion.Parameters.Add("$t", SqliteType.Text);
            VersionCaptured = InsertVersion.Parameters.Add("$c", SqliteType.Integer);
            VersionLikes = InsertVersion.Parameters.Add("$l", SqliteType.Integer);
            VersionShares = InsertVersion.Parameters.Add("$s", SqliteType.Integer);
            VersionReplies = InsertVersion.Parameters.Add("$r", SqliteType.Integer);
            VersionViews = InsertVersion.Parameters.Add("$vw", SqliteType.Integer);
            VersionRaw = InsertVersion.Parameters.Add("$raw", SqliteType.Text);

            FtsInsert = CreateRaw(connection, "INSERT INTO mention_fts (rowid, tokens) VALUES (?1, ?2)");
            FtsDelete = Create(connection, "DELETE FROM mention_fts WHERE rowid = $id");
            FtsDeleteId = FtsDelete.Parameters.Add("$id", SqliteType.Integer);

            TopicAdd = CreateRaw(connection, "INSERT OR IGNORE INTO mention_topics (topic_id, created_at, mention_id) VALUES (?1, ?2, ?3)");
            TopicRemove = Create(connection, "DELETE FROM mention_topics WHERE topic_id = $t AND created_at = $c AND mention_id = $m");
            TopicRemoveTopic = TopicRemove.Parameters.Add("$t", SqliteType.Integer);
            TopicRemoveCreated = TopicRemove.Parameters.Add("$c", SqliteType.Integer);
            TopicRemoveMention = TopicRemove.Parameters.Add("$m", SqliteType.Integer);

            RollupMinute = CreateRollup(connection, "rollup_minute");
            RollupHour = CreateRollup(connection, "rollup_hour");
            DimMinute = CreateDim(connection, "rollup_dim_minute");
            DimHour = CreateDim(connection, "rollup_dim_hour");
        }

        public SqliteCommand Lookup { get; }

        public SqliteParameter LookupWorkspace { get; }

        public SqliteParameter LookupPlatform { get; }

        public SqliteParameter LookupExternal { get; }

        public RawStatement Insert { get; }

        public SqliteCommand MaxId { get; }

        public SqliteCommand Update { get; }

        public SqliteParameter[] UpdateParameters { get; }

        public SqliteParameter UpdateId { get; }

        public SqliteCommand InsertVersion { get; }

        public SqliteParameter VersionId { get; }

        public SqliteParameter VersionNumber { get; }

        public SqliteParameter VersionText { get; }

        public SqliteParameter VersionCaptured { get; }

        public SqliteParameter VersionLikes { get; }

        public SqliteParameter VersionShares { get; }

        public SqliteParameter VersionReplies { get; }

        public SqliteParameter VersionViews { get; }

        public SqliteParameter VersionRaw { get; }

        public RawStatement FtsInsert { get; }

        public SqliteCommand FtsDelete { get; }

        public SqliteParameter FtsDeleteId { get; }

        public RawStatement TopicAdd { get; }

        public SqliteCommand TopicRemove { get; }

        public SqliteParameter TopicRemoveTopic { get; }

        public SqliteParameter TopicRemoveCreated { get; }

        public SqliteParameter TopicRemoveMention { get; }

        public RawStatement RollupMinute { get; }

        public RawStatement RollupHour { get; }

        public RawStatement DimMinute { get; }

        public RawStatement DimHour { get; }

        public void Enlist(SqliteTransaction tx)
        {
            foreach (var command in all)
            {
                command.Transaction = tx;
            }
        }

        public void Dispose()
        {
            foreach (var command in all)
            {
                command.Dispose();
            }

            foreach (var statement in raws)
            {
                statement.Dispose();
            }
        }

        private RawStatement CreateRaw(SqliteConnection connection, string sql)
        {
            var statement = new RawStatement(connection, sql);
            raws.Add(statement);
            return statement;
        }

        private SqliteCommand Create(SqliteConnection connection, string sql)
        {
            var command = connection.CreateCommand();
            command.CommandText = sql;
            all.Add(command);
            return command;
        }

        private RawStatement CreateRollup(SqliteConnection connection, string table) => CreateRaw(connection, $"""
            INSERT INTO {table} (workspace_id, topic_id, bucket, count, negative, neutral, positive, unknown, reach)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
            ON CONFLICT (workspace_id, topic_id, bucket) DO UPDATE SET
                count = count + excluded.count, negative = negative + excluded.negative, neutral = neutral + excluded.neutral,
                positive = positive + excluded.positive, unknown = unknown + excluded.unknown, reach = reach + excluded.reach
            """);

        private RawStatement CreateDim(SqliteConnection connection, string table) => CreateRaw(connection, $"""
            INSERT INTO {table} (workspace_id, topic_id, dim, bucket, key, count) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            ON CONFLICT (workspace_id, topic_id, dim, bucket, key) DO UPDATE SET count = count + excluded.count
            """);
    }
}
