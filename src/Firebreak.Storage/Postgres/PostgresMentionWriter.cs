namespace Firebreak.Storage.Postgres;

using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;
using Firebreak.Core.Topics.Query;
using Firebreak.Storage.Sqlite;
using Npgsql;
using NpgsqlTypes;

/// <summary>
/// The bulk writer of the PostgreSQL store. Per group of batches, in one transaction: the rows are copied
/// (binary COPY) into a temporary staging table, new keys are claimed and their mentions, topic memberships
/// and full-text vectors inserted by one set-based statement, existing keys are locked and re-read, edits
/// applied in one round trip, and the group's rollup deltas added with INSERT … ON CONFLICT DO UPDATE.
/// </summary>
/// <remarks>
/// Several writer processes may share one database. Correctness under concurrency: keys are claimed and
/// locked in sorted order, an existing row is re-read only after its key is locked (so two writers never
/// both retract the same old contribution), and rollups are increments, never read-modify-write. A
/// deadlock or serialization failure (40P01/40001) rolls back the group, which is then retried whole.
/// </remarks>
public sealed partial class PostgresMentionWriter(PostgresDatabase database) : IMentionWriter, IAsyncDisposable
{
    private const int MaxAttempts = 5;

    private const string StageColumns = "ord, workspace_id, source_id, platform, external_id, kind, author_handle, author_name, author_followers, author_verified, text, language, url, created_at, captured_at, likes, shares, replies, views, parent_external_id, thread_external_id, raw, sentiment, analysis, topic_ids, content_hash, search";

    private const string MentionValues = "workspace_id, source_id, platform, external_id, kind, author_handle, author_name, author_followers, author_verified, text, language, url, created_at, captured_at, likes, shares, replies, views, parent_external_id, thread_external_id, raw, sentiment, analysis, topic_ids, content_hash";

    private const string CreateStage = $"""
        CREATE TEMP TABLE IF NOT EXISTS firebreak_stage (
            ord integer NOT NULL, workspace_id bigint NOT NULL, source_id bigint, platform text NOT NULL, external_id text NOT NULL,
            kind text NOT NULL, author_handle text NOT NULL, author_name text, author_followers bigint NOT NULL, author_verified boolean NOT NULL,
            text text NOT NULL, language text NOT NULL, url text, created_at bigint NOT NULL, captured_at bigint NOT NULL,
            likes bigint NOT NULL, shares bigint NOT NULL, replies bigint NOT NULL, views bigint NOT NULL,
            parent_external_id text, thread_external_id text, raw text, sentiment integer NOT NULL, analysis text, topic_ids text,
            content_hash bigint NOT NULL, search text NOT NULL) ON COMMIT DELETE ROWS
        """;

    /// <summary>
    /// New keys: claimed in key order (ON CONFLICT DO NOTHING waits for a concurrent claimer, then skips),
    /// and only those rows inserted into mentions and mention_topics. Returns (ord, id) of each new mention.
    /// </summary>
    private const string InsertNew = $"""
        WITH claimed AS (
            INSERT INTO mention_keys (workspace_id, platform, external_id, id, created_at)
            SELECT workspace_id, platform, external_id, nextval('mention_ids'), created_at FROM firebreak_stage
            ORDER BY workspace_id, platform, external_id
            ON CONFLICT DO NOTHING
            RETURNING workspace_id, platform, external_id, id),
        fresh AS (
            SELECT s.*, c.id FROM firebreak_stage s JOIN claimed c USING (workspace_id, platform, external_id)),
        rows AS (
            INSERT INTO mentions (id, {MentionValues}, version, search)
            SELECT id, {MentionValues}, 1, array_to_tsvector(string_to_array(search, ' ')) FROM fresh),
        topics AS (
            INSERT INTO mention_topics (topic_id, created_at, mention_id)
            SELECT unnest(string_to_array(topic_ids, ',')::bigint[]), created_at, id FROM fresh WHERE topic_ids IS NOT NULL)
        SELECT ord, id FROM fresh
        """;

    private const string LockExisting = """
        SELECT 1 FROM mention_keys k JOIN firebreak_stage s USING (workspace_id, platform, external_id)
        WHERE s.ord = ANY($1) ORDER BY k.workspace_id, k.platform, k.external_id FOR UPDATE OF k
        """;

    private const string ReadExisting = """
        SELECT s.ord, m.id, m.content_hash, m.text, m.version, m.sentiment, m.language, m.created_at, m.topic_ids,
               m.author_followers, m.views, m.captured_at, m.likes, m.shares, m.replies, m.raw, m.analysis
        FROM firebreak_stage s JOIN mention_keys k USING (workspace_id, platform, external_id)
        JOIN mentions m ON m.id = k.id AND m.created_at = k.created_at
        WHERE s.ord = ANY($1)
        """;

    private readonly RollupAccumulator rollups = new();
    private readonly PostgresRollups rollupWriter = new();
    private readonly PostgresPartitions partitions = new();
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly List<IngestItem> pending = [];
    private readonly List<IngestItem> round = [];
    private readonly List<IngestItem> later = [];
    private readonly HashSet<(long Workspace, Platform Platform, string ExternalId)> seen = [];
    private bool[] done = new bool[256];
    private long[] hashes = new long[256];
    private NpgsqlConnection? connection;

    public async ValueTask WriteAsync(IReadOnlyList<IngestBatch> batches, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await RunAsync(() => WriteOnceAsync(batches, cancellationToken), () => ResetOutcomes(batches), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (connection is not null)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        gate.Dispose();
    }

    /// <summary>Runs one transaction, retrying it whole on deadlock or serialization failure. Call under the gate.</summary>
    private async Task<T> RunAsync<T>(Func<Task<T>> attempt, Action undo, CancellationToken cancellationToken)
    {
        for (var tries = 1; ; tries++)
        {
            try
            {
                await EnsureOpenAsync(cancellationToken).ConfigureAwait(false);
                return await attempt().ConfigureAwait(false);
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure && tries < MaxAttempts)
            {
                undo();
                partitions.Reset();
                await Task.Delay(Random.Shared.Next(5, 20 * tries), cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                undo();
                partitions.Reset();
                if (connection is { State: not System.Data.ConnectionState.Open })
                {
                    // A broken connection is replaced on the next call (its temp table goes with it).
                    await connection.DisposeAsync().ConfigureAwait(false);
                    connection = null;
                }

                throw;
            }
        }
    }

    private Task RunAsync(Func<Task> attempt, Action undo, CancellationToken cancellationToken) =>
        RunAsync(async () => { await attempt().ConfigureAwait(false); return true; }, undo, cancellationToken);

    /// <summary>Opens the writer's own connection and its staging table on first use. Call under the gate.</summary>
    private async Task EnsureOpenAsync(CancellationToken cancellationToken)
    {
        if (connection is not null)
        {
            return;
        }

        var opened = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var create = new NpgsqlCommand(CreateStage, opened);
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await opened.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        connection = opened;
    }

    private static void ResetOutcomes(IReadOnlyList<IngestBatch> batches)
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
    }

    private async Task WriteOnceAsync(IReadOnlyList<IngestBatch> batches, CancellationToken cancellationToken)
    {
        pending.Clear();
        foreach (var batch in batches)
        {
            foreach (var item in batch.Items)
            {
                if (item.Outcome == IngestOutcome.Pending && item.Mention is { } mention)
                {
                    pending.Add(item);
                    partitions.Require(mention.CreatedAt.ToUnixTimeMilliseconds());
                }
            }
        }

        if (pending.Count == 0)
        {
            return;
        }

        var c = connection!;
        await partitions.EnsureAsync(c, cancellationToken).ConfigureAwait(false);
        rollups.Clear();
        await using var tx = await c.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);

        // A key may come twice in one group (two batches): each round holds a key once, in arrival order, so
        // the second delivery is applied on top of the first exactly as two groups would be.
        var first = true;
        var remaining = pending;
        while (remaining.Count > 0)
        {
            round.Clear();
            later.Clear();
            seen.Clear();
            foreach (var item in remaining)
            {
                var m = item.Mention!;
                (seen.Add((m.WorkspaceId, m.Platform, m.ExternalId)) ? round : later).Add(item);
            }

            if (!first)
            {
                await ExecuteAsync(c, tx, "TRUNCATE firebreak_stage", cancellationToken).ConfigureAwait(false);
            }

            await WriteRoundAsync(c, tx, cancellationToken).ConfigureAwait(false);
            first = false;
            remaining.Clear();
            remaining.AddRange(later);
        }

        await rollupWriter.ApplyAsync(c, tx, rollups, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteRoundAsync(NpgsqlConnection c, NpgsqlTransaction tx, CancellationToken cancellationToken)
    {
        if (done.Length < round.Count)
        {
            done = new bool[round.Count * 2];
            hashes = new long[round.Count * 2];
        }

        Array.Clear(done, 0, round.Count);
        await CopyRoundAsync(c, cancellationToken).ConfigureAwait(false);

        var inserted = 0;
        await using (var insert = new NpgsqlCommand(InsertNew, c, tx))
        await using (var reader = await insert.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var ord = reader.GetInt32(0);
                var item = round[ord];
                var mention = item.Mention!;
                mention.Id = reader.GetInt64(1);
                item.Outcome = IngestOutcome.Inserted;
                rollups.Add(mention.WorkspaceId, Contribution(mention, item.TopicIds), +1);
                done[ord] = true;
                inserted++;
            }
        }

        if (inserted < round.Count)
        {
            await UpdateExistingAsync(c, tx, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task CopyRoundAsync(NpgsqlConnection c, CancellationToken cancellationToken)
    {
        await using var importer = await c.BeginBinaryImportAsync($"COPY firebreak_stage ({StageColumns}) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < round.Count; i++)
        {
            var item = round[i];
            var m = item.Mention!;
            var hash = StableHash.Of(m);
            hashes[i] = hash;
            await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(i, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(m.WorkspaceId, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await WriteAsync(importer, m.SourceId, cancellationToken).ConfigureAwait(false);
            await WriteAsync(importer, m.Platform.ToWire(), cancellationToken).ConfigureAwait(false);
            await WriteAsync(importer, m.ExternalId, cancellationToken).ConfigureAwait(false);
            await WriteAsync(importer, m.Kind.ToWire(), cancellationToken).ConfigureAwait(false);
            await WriteAsync(importer, m.Author.Handle, cancellationToken).ConfigureAwait(false);
            await WriteAsync(importer, m.Author.DisplayName, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(m.Author.Followers, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(m.Author.Verified, NpgsqlDbType.Boolean, cancellationToken).ConfigureAwait(false);
            await WriteAsync(importer, m.Text, cancellationToken).ConfigureAwait(false);
            await WriteAsync(importer, m.Language, cancellationToken).ConfigureAwait(false);
            await WriteAsync(importer, m.Url, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(m.CreatedAt.ToUnixTimeMilliseconds(), NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(m.CapturedAt.ToUnixTimeMilliseconds(), NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(m.Engagement.Likes, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(m.Engagement.Shares, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(m.Engagement.Replies, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(m.Engagement.Views, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await WriteAsync(importer, m.ParentExternalId, cancellationToken).ConfigureAwait(false);
            await WriteAsync(importer, m.ThreadExternalId, cancellationToken).ConfigureAwait(false);
            await WriteAsync(importer, m.RawPayload, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync((int)m.Analysis.Sentiment, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            await WriteAsync(importer, AnalysisJson.Write(m.Analysis), cancellationToken).ConfigureAwait(false);
            await WriteAsync(importer, item.TopicIds.Length == 0 ? null : string.Join(',', item.TopicIds), cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(hash, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await WriteAsync(importer, Core.Topics.Query.TsQueryTranslator.ToIndexText(item.SearchText), cancellationToken).ConfigureAwait(false);
        }

        await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private static Task WriteAsync(NpgsqlBinaryImporter importer, long? value, CancellationToken cancellationToken) =>
        value is { } v ? importer.WriteAsync(v, NpgsqlDbType.Bigint, cancellationToken) : importer.WriteNullAsync(cancellationToken);

    private static Task WriteAsync(NpgsqlBinaryImporter importer, string? value, CancellationToken cancellationToken) =>
        value is null ? importer.WriteNullAsync(cancellationToken) : importer.WriteAsync(PgText.Clean(value), NpgsqlDbType.Text, cancellationToken);

    private async Task UpdateExistingAsync(NpgsqlConnection c, NpgsqlTransaction tx, CancellationToken cancellationToken)
    {
        var ords = new List<int>();
        for (var i = 0; i < round.Count; i++)
        {
            if (!done[i])
            {
                ords.Add(i);
            }
        }

        // Lock first, then read in a later statement: under READ COMMITTED that read sees whatever the last
        // holder of the lock committed, so the old contribution retracted below is the current one.
        var edits = new List<Edit>();
        await using (var batch = new NpgsqlBatch(c, tx))
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(LockExisting) { Parameters = { new NpgsqlParameter<int[]> { TypedValue = [.. ords] } } });
            batch.BatchCommands.Add(new NpgsqlBatchCommand(ReadExisting) { Parameters = { new NpgsqlParameter<int[]> { TypedValue = [.. ords] } } });
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var ord = reader.GetInt32(0);
                var existing = new Existing(
                    reader.GetInt64(1),
                    reader.GetInt64(2),
                    reader.GetString(3),
                    reader.GetInt32(4),
                    (Sentiment)reader.GetInt32(5),
                    reader.GetString(6),
                    reader.GetInt64(7),
                    reader.IsDBNull(8) ? [] : SqliteMentionWriter.ParseIds(reader.GetString(8)),
                    Math.Max(reader.GetInt64(9), reader.GetInt64(10)),
                    reader.GetInt64(11),
                    new Engagement(reader.GetInt64(12), reader.GetInt64(13), reader.GetInt64(14), reader.GetInt64(10)),
                    reader.IsDBNull(15) ? null : reader.GetString(15),
                    reader.IsDBNull(16) ? null : reader.GetString(16));
                done[ord] = true;
                var item = round[ord];
                var mention = item.Mention!;
                mention.Id = existing.Id;
                if (existing.Hash == hashes[ord])
                {
                    item.Outcome = IngestOutcome.Unchanged;
                    continue;
                }

                edits.Add(new Edit(item, existing, hashes[ord]));
            }
        }

        foreach (var ord in ords)
        {
            if (!done[ord])
            {
                var m = round[ord].Mention!;
                throw new InvalidOperationException($"Mention {m.Platform.ToWire()}/{m.ExternalId} neither inserted nor found.");
            }
        }

        if (edits.Count > 0)
        {
            await ApplyEditsAsync(c, tx, edits, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Edits (new text, counters, time) as one round trip: versions kept, row and index replaced, memberships moved.</summary>
    private async Task ApplyEditsAsync(NpgsqlConnection c, NpgsqlTransaction tx, List<Edit> edits, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(c, tx);
        foreach (var (item, existing, hash) in edits)
        {
            var mention = item.Mention!;
            mention.Analysis = SqliteMentionWriter.KeepCorrections(mention.Analysis, existing.AnalysisJson);
            var version = existing.Version;
            if (!string.Equals(existing.Text, mention.Text, StringComparison.Ordinal))
            {
                // Keep what the author wrote before: edits after a crisis started are evidence.
                batch.BatchCommands.Add(Command(
                    "INSERT INTO mention_versions (mention_id, version, text, captured_at, likes, shares, replies, views, raw) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING",
                    existing.Id, existing.Version, existing.Text, existing.CapturedAtMs, existing.Engagement.Likes, existing.Engagement.Shares,
                    existing.Engagement.Replies, existing.Engagement.Views, existing.Raw));
                version++;
            }

            var createdMs = mention.CreatedAt.ToUnixTimeMilliseconds();
            batch.BatchCommands.Add(Command(
                """
                UPDATE mentions SET source_id = $3, kind = $4, author_handle = $5, author_name = $6, author_followers = $7, author_verified = $8,
                    text = $9, language = $10, url = $11, created_at = $12, captured_at = $13, likes = $14, shares = $15, replies = $16, views = $17,
                    parent_external_id = $18, thread_external_id = $19, raw = $20, sentiment = $21, analysis = $22, topic_ids = $23,
                    content_hash = $24, version = $25, search = array_to_tsvector(string_to_array($26, ' '))
                WHERE id = $1 AND created_at = $2
                """,
                existing.Id, existing.CreatedAtMs, mention.SourceId, mention.Kind.ToWire(), mention.Author.Handle, mention.Author.DisplayName,
                mention.Author.Followers, mention.Author.Verified, mention.Text, mention.Language, mention.Url, createdMs,
                mention.CapturedAt.ToUnixTimeMilliseconds(), mention.Engagement.Likes, mention.Engagement.Shares, mention.Engagement.Replies,
                mention.Engagement.Views, mention.ParentExternalId, mention.ThreadExternalId, mention.RawPayload, (int)mention.Analysis.Sentiment,
                AnalysisJson.Write(mention.Analysis), item.TopicIds.Length == 0 ? null : string.Join(',', item.TopicIds), hash, version,
                Core.Topics.Query.TsQueryTranslator.ToIndexText(item.SearchText)));
            if (createdMs != existing.CreatedAtMs)
            {
                // The row moved (maybe to another partition); the key follows so the next lookup finds it.
                batch.BatchCommands.Add(Command("UPDATE mention_keys SET created_at = $2 WHERE id = $1", existing.Id, createdMs));
                MoveTopics(batch, existing.Id, existing.CreatedAtMs, existing.TopicIds, [], add: false);
                MoveTopics(batch, existing.Id, createdMs, item.TopicIds, [], add: true);
            }
            else
            {
                MoveTopics(batch, existing.Id, createdMs, existing.TopicIds, item.TopicIds, add: false);
                MoveTopics(batch, existing.Id, createdMs, item.TopicIds, existing.TopicIds, add: true);
            }

            var old = new RollupContribution(DateTimeOffset.FromUnixTimeMilliseconds(existing.CreatedAtMs), existing.Sentiment, existing.Language, mention.Platform, existing.Reach, existing.TopicIds);
            rollups.Add(mention.WorkspaceId, old, -1);
            rollups.Add(mention.WorkspaceId, Contribution(mention, item.TopicIds), +1);
            item.Outcome = IngestOutcome.Updated;
        }

        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void MoveTopics(NpgsqlBatch batch, long mentionId, long createdMs, long[] topics, long[] except, bool add)
    {
        foreach (var topic in topics)
        {
            if (Array.IndexOf(except, topic) >= 0)
            {
                continue;
            }

            batch.BatchCommands.Add(Command(
                add
                    ? "INSERT INTO mention_topics (topic_id, created_at, mention_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING"
                    : "DELETE FROM mention_topics WHERE topic_id = $1 AND created_at = $2 AND mention_id = $3",
                topic,
                createdMs,
                mentionId));
        }
    }

    internal static NpgsqlBatchCommand Command(string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(value switch
            {
                // Untyped: the server infers the column's type for a NULL.
                null => new NpgsqlParameter { Value = DBNull.Value },
                string s => new NpgsqlParameter<string> { TypedValue = PgText.Clean(s) },
                _ => new NpgsqlParameter { Value = value },
            });
        }

        return command;
    }

    private static async Task ExecuteAsync(NpgsqlConnection c, NpgsqlTransaction? tx, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, c, tx);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static RollupContribution Contribution(Mention mention, long[] topicIds) =>
        new(mention.CreatedAt, mention.Analysis.Sentiment, mention.Language, mention.Platform, mention.Reach, topicIds);

    private readonly record struct Existing(long Id, long Hash, string Text, int Version, Sentiment Sentiment, string Language, long CreatedAtMs, long[] TopicIds, long Reach, long CapturedAtMs, Engagement Engagement, string? Raw, string? AnalysisJson);

    private readonly record struct Edit(IngestItem Item, Existing Existing, long Hash);
}

/// <summary>PostgreSQL text cannot hold NUL (nor UTF-8 can a lone surrogate); the normaliser removes them from the text fields, this guards every other string.</summary>
internal static class PgText
{
    public static string Clean(string value) => MentionNormaliser.Sanitise(value);
}
