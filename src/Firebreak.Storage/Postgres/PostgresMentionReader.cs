namespace Firebreak.Storage.Postgres;

using System.Runtime.CompilerServices;
using System.Text;
using Firebreak.Core.Mentions;
using Firebreak.Core.Text;
using Firebreak.Core.Topics;
using Firebreak.Core.Topics.Query;
using Firebreak.Storage.Sqlite;
using Npgsql;

/// <summary>
/// Lists, searches and streams mentions newest first with keyset (cursor) pagination, as
/// <see cref="SqliteMentionReader"/> does: a text query is prefiltered with the GIN-indexed tsvector
/// (<see cref="TsQueryTranslator"/>) and every candidate re-checked with the compiled query.
/// </summary>
public sealed class PostgresMentionReader(PostgresDatabase database) : IMentionReader
{
    private const string Columns = "m.id, m.workspace_id, m.source_id, m.platform, m.external_id, m.kind, m.author_handle, m.author_name, m.author_followers, m.author_verified, m.text, m.language, m.url, m.created_at, m.captured_at, m.likes, m.shares, m.replies, m.views, m.parent_external_id, m.thread_external_id, m.raw, m.sentiment, m.analysis";

    public async Task<MentionPage> ListAsync(long workspaceId, MentionFilter filter, MentionCursor? after, int limit, CancellationToken cancellationToken)
    {
        var items = new List<Mention>(limit);
        MentionCursor? next = null;
        await foreach (var (mention, position, exhausted) in ScanAsync(workspaceId, filter, after, limit, SqliteMentionReader.MaxScannedRows, cancellationToken).ConfigureAwait(false))
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
        // Through the key table: its created_at names the one partition to look in.
        await using var command = database.DataSource.CreateCommand(
            $"SELECT {Columns} FROM mention_keys k JOIN mentions m ON m.id = k.id AND m.created_at = k.created_at WHERE k.workspace_id = $1 AND k.id = $2")
            .Add(workspaceId).Add(mentionId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Map(reader) : null;
    }

    public async Task<IReadOnlyList<MentionVersion>> GetVersionsAsync(long workspaceId, long mentionId, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand("""
            SELECT v.version, v.text, v.captured_at, v.likes, v.shares, v.replies, v.views
            FROM mention_versions v JOIN mention_keys k ON k.id = v.mention_id
            WHERE k.workspace_id = $1 AND v.mention_id = $2 ORDER BY v.version
            """).Add(workspaceId).Add(mentionId);
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
        await using var command = database.DataSource.CreateCommand("SELECT coalesce(sum(count), 0)::bigint FROM rollup_hour WHERE workspace_id = $1 AND topic_id = 0").Add(workspaceId);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Walks matching rows newest first in chunks; see <see cref="SqliteMentionReader"/> for the protocol.</summary>
    private async IAsyncEnumerable<(Mention? Mention, MentionCursor Position, bool Exhausted)> ScanAsync(
        long workspaceId, MentionFilter filter, MentionCursor? after, int limit, long maxScanned, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        CompiledQuery? query = null;
        string? tsquery = null;
        if (!string.IsNullOrWhiteSpace(filter.Text))
        {
            var parsed = QueryParser.Parse(filter.Text);
            query = parsed.Query ?? throw new QuerySyntaxException(parsed.Error!);
            tsquery = TsQueryTranslator.TryTranslate(query);
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
            await using var command = BuildCommand(connection, workspaceId, filter, tsquery, cursor, chunk);
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
                        yield break;
                    }

                    returned++;
                    yield return (mention, position, false);
                }
            }

            if (rows < chunk)
            {
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

    private static NpgsqlCommand BuildCommand(NpgsqlConnection connection, long workspaceId, MentionFilter filter, string? tsquery, MentionCursor? cursor, int chunk)
    {
        var command = new NpgsqlCommand { Connection = connection };
        var sql = new StringBuilder();
        string timeColumn;
        string idColumn;
        command.Add(workspaceId);
        if (filter.TopicId is { } topicId)
        {
            sql.Append($"SELECT {Columns} FROM mention_topics mt JOIN mentions m ON m.id = mt.mention_id AND m.created_at = mt.created_at WHERE mt.topic_id = {Next(command, topicId)} AND m.workspace_id = $1");
            timeColumn = "mt.created_at";
            idColumn = "mt.mention_id";
        }
        else
        {
            sql.Append($"SELECT {Columns} FROM mentions m WHERE m.workspace_id = $1");
            timeColumn = "m.created_at";
            idColumn = "m.id";
        }

        if (cursor is { } c)
        {
            var at = Next(command, c.CreatedAtMs);
            sql.Append($" AND ({timeColumn} < {at} OR ({timeColumn} = {at} AND {idColumn} < {Next(command, c.Id)}))");
        }

        if (filter.From is { } from)
        {
            sql.Append($" AND {timeColumn} >= {Next(command, from.ToUnixTimeMilliseconds())}");
        }

        if (filter.To is { } to)
        {
            sql.Append($" AND {timeColumn} < {Next(command, to.ToUnixTimeMilliseconds())}");
        }

        if (filter.Sentiment is { } sentiment)
        {
            sql.Append($" AND m.sentiment = {Next(command, (int)sentiment)}");
        }

        if (!string.IsNullOrEmpty(filter.Language))
        {
            sql.Append($" AND m.language = {Next(command, PgText.Clean(filter.Language))}");
        }

        if (filter.Platform is { } platform)
        {
            sql.Append($" AND m.platform = {Next(command, platform.ToWire())}");
        }

        if (filter.Kind is { } kind)
        {
            sql.Append($" AND m.kind = {Next(command, kind.ToWire())}");
        }

        if (!string.IsNullOrEmpty(filter.Author))
        {
            sql.Append($" AND lower(m.author_handle) = lower({Next(command, PgText.Clean(filter.Author.TrimStart('@')))})");
        }

        if (tsquery is not null)
        {
            sql.Append($" AND m.search @@ {Next(command, PgText.Clean(tsquery))}::tsquery");
        }

        sql.Append($" ORDER BY {timeColumn} DESC, {idColumn} DESC LIMIT {Next(command, chunk)}");
        command.CommandText = sql.ToString();
        return command;
    }

    /// <summary>Adds a positional parameter and returns its placeholder.</summary>
    private static string Next<T>(NpgsqlCommand command, T value)
    {
        command.Add(value);
        return "$" + command.Parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    internal static Mention Map(NpgsqlDataReader r)
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
            Author = new MentionAuthor(r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7), r.GetInt64(8), r.GetBoolean(9)),
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
