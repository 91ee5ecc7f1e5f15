namespace Firebreak.Storage.Sqlite;

using System.Runtime.CompilerServices;
using System.Text;
using Firebreak.Core.Mentions;
using Firebreak.Core.Text;
using Firebreak.Core.Topics.Query;
using Microsoft.Data.Sqlite;

/// <summary>
/// Lists, searches and streams mentions newest first with keyset (cursor) pagination. A text query is
/// written in the topic query language: the full-text index narrows the candidates and the compiled query
/// re-checks each one, so search means exactly what a topic with the same query would match.
/// </summary>
public sealed class SqliteMentionReader(SqliteDatabase database) : IMentionReader
{
    /// <summary>Rows examined per request when a text query cannot use the index; the page then ends early with a cursor.</summary>
    public const int MaxScannedRows = 50_000;

    private const string Columns = "m.id, m.workspace_id, m.source_id, m.platform, m.external_id, m.kind, m.author_handle, m.author_name, m.author_followers, m.author_verified, m.text, m.language, m.url, m.created_at, m.captured_at, m.likes, m.shares, m.replies, m.views, m.parent_external_id, m.thread_external_id, m.raw, m.sentiment, m.analysis";

    public async Task<MentionPage> ListAsync(long workspaceId, MentionFilter filter, MentionCursor? after, int limit, CancellationToken cancellationToken)
    {
        var items = new List<Mention>(limit);
        MentionCursor? next = null;
        await foreach (var (mention, position, exhausted) in ScanAsync(workspaceId, filter, after, limit, MaxScannedRows, cancellationToken).ConfigureAwait(false))
        {
            if (mention is not null)
            {
                items.Add(mention);
            }

            next = exhausted ? null : position;
        }

        return new MentionPage(items, next?.Encode());
    }

    public async IAsyncEnumerable<Mention> StreamAsync(long workspaceId, MentionFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (mention, _, _) in ScanAsync(workspaceId, filter, null, int.MaxValue, long.MaxValue, cancellationToken).ConfigureAwait(false))
        {
            if (mention is not null)
            {
                yield return mention;
            }
        }
    }

    public async Task<Mention?> GetAsync(long workspaceId, long mentionId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM mentions m WHERE m.workspace_id = $w AND m.id = $id";
        command.Parameters.AddWithValue("$w", workspaceId);
        command.Parameters.AddWithValue("$id", mentionId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Map(reader) : null;
    }

    public async Task<IReadOnlyList<MentionVersion>> GetVersionsAsync(long workspaceId, long mentionId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT v.version, v.text, v.captured_at, v.likes, v.shares, v.replies, v.views
            FROM mention_versions v JOIN mentions m ON m.id = v.mention_id
            WHERE m.workspace_id = $w AND v.mention_id = $id ORDER BY v.version
            """;
        command.Parameters.AddWithValue("$w", workspaceId);
        command.Parameters.AddWithValue("$id", mentionId);
        var versions = new List<MentionVersion>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            versions.Add(new MentionVersion(
                reader.GetInt32(0),
                reader.GetString(1),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
                new Engagement(reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6))));
        }

        return versions;
    }

    public async Task<IReadOnlyList<Mention>> RecentAsync(long workspaceId, int limit, CancellationToken cancellationToken)
    {
        var page = await ListAsync(workspaceId, new MentionFilter(), null, limit, cancellationToken).ConfigureAwait(false);
        return page.Items;
    }

    public async Task<long> CountAsync(long workspaceId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT coalesce(sum(count), 0) FROM rollup_hour WHERE workspace_id = $w AND topic_id = 0";
        command.Parameters.AddWithValue("$w", workspaceId);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>
    /// Walks matching rows newest first in chunks. Yields each accepted mention with its position, and a
    /// final marker (mention null) carrying the position to resume from when the scan budget ran out.
    /// </summary>
    private async IAsyncEnumerable<(Mention? Mention, MentionCursor Position, bool Exhausted)> ScanAsync(
        long workspaceId, MentionFilter filter, MentionCursor? after, int limit, long maxScanned, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        CompiledQuery? query = null;
        string? fts = null;
        if (!string.IsNullOrWhiteSpace(filter.Text))
        {
            var parsed = QueryParser.Parse(filter.Text);
            query = parsed.Query ?? throw new QuerySyntaxException(parsed.Error!);
            fts = Fts5Translator.TryTranslate(query);
        }

        var tokenizer = query is null ? null : new Tokenizer();
        var subject = query is null ? null : new MatchSubject();
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var cursor = after;
        var returned = 0;
        long scanned = 0;
        var chunk = Math.Clamp(query is null ? limit + 1 : limit * 4, 64, 2_000);
        while (true)
        {
            await using var command = BuildCommand(connection, workspaceId, filter, fts, cursor, chunk);
            var rows = 0;
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rows++;
                    scanned++;
                    var mention = Map(reader);
                    var position = new MentionCursor(mention.CreatedAt.ToUnixTimeMilliseconds(), mention.Id);
                    cursor = position;
                    if (query is not null)
                    {
                        subject!.Load(mention, tokenizer!);
                        if (!query.Matches(subject))
                        {
                            continue;
                        }
                    }

                    if (returned == limit)
                    {
                        // One more match exists beyond the page: the page ends at the previous item.
                        yield break;
                    }

                    returned++;
                    yield return (mention, position, false);
                }
            }

            if (rows < chunk)
            {
                // Everything was read: mark the end so the caller gives no next cursor.
                yield return (null, cursor ?? default, true);
                yield break;
            }

            if (scanned >= maxScanned)
            {
                yield return (null, cursor!.Value, false);
                yield break;
            }
        }
    }

    private static SqliteCommand BuildCommand(SqliteConnection connection, long workspaceId, MentionFilter filter, string? fts, MentionCursor? cursor, int chunk)
    {
        var command = connection.CreateCommand();
        var sql = new StringBuilder();
        string timeColumn;
        string idColumn;
        if (filter.TopicId is { } topicId)
        {
            sql.Append($"SELECT {Columns} FROM mention_topics mt JOIN mentions m ON m.id = mt.mention_id WHERE mt.topic_id = $topic AND m.workspace_id = $w");
            command.Parameters.AddWithValue("$topic", topicId);
            timeColumn = "mt.created_at";
            idColumn = "mt.mention_id";
        }
        else
        {
            sql.Append($"SELECT {Columns} FROM mentions m WHERE m.workspace_id = $w");
            timeColumn = "m.created_at";
            idColumn = "m.id";
        }

        command.Parameters.AddWithValue("$w", workspaceId);
        if (cursor is { } c)
        {
            sql.Append($" AND ({timeColumn} < $ct OR ({timeColumn} = $ct AND {idColumn} < $cid))");
            command.Parameters.AddWithValue("$ct", c.CreatedAtMs);
            command.Parameters.AddWithValue("$cid", c.Id);
        }

        if (filter.From is { } from)
        {
            sql.Append($" AND {timeColumn} >= $from");
            command.Parameters.AddWithValue("$from", from.ToUnixTimeMilliseconds());
        }

        if (filter.To is { } to)
        {
            sql.Append($" AND {timeColumn} < $to");
            command.Parameters.AddWithValue("$to", to.ToUnixTimeMilliseconds());
        }

        if (filter.Sentiment is { } sentiment)
        {
            sql.Append(" AND m.sentiment = $sentiment");
            command.Parameters.AddWithValue("$sentiment", (int)sentiment);
        }

        if (!string.IsNullOrEmpty(filter.Language))
        {
            sql.Append(" AND m.language = $lang");
            command.Parameters.AddWithValue("$lang", filter.Language);
        }

        if (filter.Platform is { } platform)
        {
            sql.Append(" AND m.platform = $platform");
            command.Parameters.AddWithValue("$platform", platform.ToWire());
        }

        if (filter.Kind is { } kind)
        {
            sql.Append(" AND m.kind = $kind");
            command.Parameters.AddWithValue("$kind", kind.ToWire());
        }

        if (!string.IsNullOrEmpty(filter.Author))
        {
            sql.Append(" AND m.author_handle = $author COLLATE NOCASE");
            command.Parameters.AddWithValue("$author", filter.Author.TrimStart('@'));
        }

        if (fts is not null)
        {
            sql.Append(" AND m.id IN (SELECT rowid FROM mention_fts WHERE mention_fts MATCH $fts)");
            command.Parameters.AddWithValue("$fts", fts);
        }

        sql.Append($" ORDER BY {timeColumn} DESC, {idColumn} DESC LIMIT $limit");
        command.Parameters.AddWithValue("$limit", chunk);
        command.CommandText = sql.ToString();
        return command;
    }

    internal static Mention Map(SqliteDataReader r)
    {
        var sentiment = (Sentiment)r.GetInt32(22);
        EnumNames.TryParsePlatform(r.GetString(3), out var platform);
        EnumNames.TryParseKind(r.GetString(5), out var kind);
        return new Mention
        {
            Id = r.GetInt64(0),
            WorkspaceId = r.GetInt64(1),
            SourceId = r.IsDBNull(2) ? null : r.GetInt64(2),
            Platform = platform,
            ExternalId = r.GetString(4),
            Kind = kind,
            Author = new MentionAuthor(r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7), r.GetInt64(8), r.GetInt64(9) != 0),
            Text = r.GetString(10),
            Language = r.GetString(11),
            Url = r.IsDBNull(12) ? null : r.GetString(12),
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(13)),
            CapturedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(14)),
            Engagement = new Engagement(r.GetInt64(15), r.GetInt64(16), r.GetInt64(17), r.GetInt64(18)),
            ParentExternalId = r.IsDBNull(19) ? null : r.GetString(19),
            ThreadExternalId = r.IsDBNull(20) ? null : r.GetString(20),
            RawPayload = r.IsDBNull(21) ? null : r.GetString(21),
            Analysis = AnalysisJson.Read(r.IsDBNull(23) ? null : r.GetString(23), sentiment),
        };
    }
}
