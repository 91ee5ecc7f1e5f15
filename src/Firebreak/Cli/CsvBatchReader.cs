namespace Firebreak.Cli;

using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Firebreak.Core.Ingestion;

/// <summary>
/// Reads mentions from RFC 4180 CSV with a header row, in the columns `firebreak export --format csv`
/// writes (snake_case or camelCase; unknown columns are ignored). Quoted fields may hold commas, quotes
/// and line breaks; every record keeps the file line it started on, for error messages.
/// </summary>
internal sealed class CsvBatchReader(int batchSize = 2_000)
{
    private static readonly string[] RequiredColumns = ["platform", "external_id", "text", "author_handle", "created_at"];

    public async IAsyncEnumerable<IngestBatch> ReadAsync(long workspaceId, Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var text = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        var records = new CsvRecordReader(text);
        var header = await records.ReadAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new CliException("The CSV file is empty; expected a header row such as: " + string.Join(",", RequiredColumns));
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Fields.Count; i++)
        {
            columns.TryAdd(Key(header.Fields[i]), i);
        }

        var missing = RequiredColumns.Where(c => !columns.ContainsKey(Key(c))).ToArray();
        if (missing.Length > 0)
        {
            throw new CliException($"The CSV header lacks column(s) {string.Join(", ", missing)}. Found: {string.Join(", ", header.Fields)}");
        }

        var items = new List<IngestItem>(batchSize);
        var batch = new IngestBatch(workspaceId, items);
        var index = 0;
        while (await records.ReadAsync(cancellationToken).ConfigureAwait(false) is { } record)
        {
            var item = new IngestItem { Index = index++, Line = record.Line };
            items.Add(item);
            if (record.Error is { } error)
            {
                batch.Reject(item, "$", error);
            }
            else if (TryRead(record.Fields, columns, out var input, out var field, out var reason))
            {
                item.Input = input;
                item.RawPayload = record.Raw;
            }
            else
            {
                batch.Reject(item, field, reason);
            }

            if (items.Count >= batchSize)
            {
                yield return batch;
                items = new List<IngestItem>(batchSize);
                batch = new IngestBatch(workspaceId, items);
            }
        }

        if (items.Count > 0)
        {
            yield return batch;
        }
    }

    private static string Key(string header) => header.Trim().Replace("_", string.Empty, StringComparison.Ordinal).ToLowerInvariant();

    private static bool TryRead(List<string> fields, Dictionary<string, int> columns, out MentionInput input, out string field, out string reason)
    {
        string? Get(string name) => columns.TryGetValue(name, out var i) && i < fields.Count && fields[i].Length > 0 ? fields[i] : null;

        field = string.Empty;
        reason = string.Empty;
        var author = new AuthorInput { Handle = Unguard(Get("authorhandle")), DisplayName = Unguard(Get("authorname")) };
        var engagement = new EngagementInput();
        input = new MentionInput
        {
            Platform = Get("platform"),
            ExternalId = Get("externalid"),
            Kind = Get("kind"),
            Text = Unguard(Get("text")),
            Language = Get("language"),
            Url = Get("url"),
            ParentExternalId = Get("parentexternalid"),
            ThreadExternalId = Get("threadexternalid"),
            Author = author,
            Engagement = engagement,
        };
        if (Get("createdat") is { } created)
        {
            if (!DateTimeOffset.TryParse(created, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                (field, reason) = ("created_at", $"'{created}' is not an ISO 8601 time");
                return false;
            }

            input.CreatedAt = at;
        }

        foreach (var column in (string[])["authorfollowers", "likes", "shares", "replies", "views"])
        {
            if (Get(column) is not { } raw)
            {
                continue;
            }

            if (!long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                (field, reason) = (column == "authorfollowers" ? "author_followers" : column, $"'{raw}' is not a whole number");
                return false;
            }

            switch (column)
            {
                case "authorfollowers": author.Followers = value; break;
                case "likes": engagement.Likes = value; break;
                case "shares": engagement.Shares = value; break;
                case "replies": engagement.Replies = value; break;
                default: engagement.Views = value; break;
            }
        }

        if (Get("authorverified") is { } verified)
        {
            author.Verified = verified.Trim().ToLowerInvariant() is "true" or "1" or "yes";
        }

        return true;
    }

    /// <summary>Undoes the apostrophe the exporter puts before text a spreadsheet would run as a formula.</summary>
    private static string? Unguard(string? value) =>
        value is { Length: > 1 } && value[0] == '\'' && value[1] is '=' or '+' or '-' or '@' or '\t' or '\r' ? value[1..] : value;
}

/// <summary>One CSV record: its fields, the line it started on, its raw text, or why it is malformed.</summary>
internal sealed record CsvRecord(List<string> Fields, long Line, string Raw, string? Error);

/// <summary>A small RFC 4180 reader: quoted fields, doubled quotes, CRLF or LF, line breaks inside quotes.</summary>
internal sealed class CsvRecordReader(TextReader reader)
{
    /// <summary>Longest record accepted, in chars, so one unterminated quote cannot swallow the whole file into memory.</summary>
    public const int MaxRecordChars = IngestLimits.MaxTextLength + 16_384;

    /// <summary>Marks a physical line longer than <see cref="MaxRecordChars"/>; only its start was kept.</summary>
    private const string Overlong = "\0overlong";

    private readonly char[] buffer = new char[64 * 1024];
    private readonly StringBuilder pending = new();
    private int position;
    private int length;
    private long line;

    public async Task<CsvRecord?> ReadAsync(CancellationToken cancellationToken)
    {
        var first = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
        while (first is not null && first.Length == 0)
        {
            line++;
            first = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
        }

        if (first is null)
        {
            return null;
        }

        var start = ++line;
        if (ReferenceEquals(first, Overlong))
        {
            return new CsvRecord([], start, string.Empty, $"line {start} is longer than {MaxRecordChars:N0} characters; it was skipped");
        }

        var raw = new StringBuilder(first);
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var text = first;
        var i = 0;
        while (true)
        {
            if (i >= text.Length)
            {
                if (!quoted)
                {
                    fields.Add(field.ToString());
                    return new CsvRecord(fields, start, raw.ToString(), null);
                }

                var next = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
                if (next is null)
                {
                    return new CsvRecord(fields, start, raw.ToString(), $"a quoted field that starts on line {start} is never closed");
                }

                line++;
                if (ReferenceEquals(next, Overlong) || raw.Length + next.Length > MaxRecordChars)
                {
                    return new CsvRecord(fields, start, string.Empty, $"the record starting on line {start} is longer than {MaxRecordChars:N0} characters (an unclosed quote?)");
                }

                raw.Append('\n').Append(next);
                field.Append('\n');
                text = next;
                i = 0;
                continue;
            }

            var c = text[i++];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i < text.Length && text[i] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else
            {
                field.Append(c);
            }
        }
    }

    /// <summary>
    /// One physical line without its LF or CRLF, null at the end. Unlike TextReader.ReadLine it never holds more
    /// than <see cref="MaxRecordChars"/> of a line: a longer one is read to its end and dropped, so a 10 GB line
    /// cannot exhaust memory.
    /// </summary>
    private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        pending.Clear();
        var overlong = false;
        while (true)
        {
            if (position == length)
            {
                length = await reader.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                position = 0;
                if (length == 0)
                {
                    return overlong ? Overlong : pending.Length > 0 ? TrimCr(pending.ToString()) : null;
                }
            }

            var newline = Array.IndexOf(buffer, '\n', position, length - position);
            var end = newline < 0 ? length : newline;
            if (!overlong)
            {
                pending.Append(buffer, position, end - position);
                if (pending.Length > MaxRecordChars)
                {
                    overlong = true;
                    pending.Clear();
                }
            }

            position = newline < 0 ? length : newline + 1;
            if (newline >= 0)
            {
                return overlong ? Overlong : TrimCr(pending.ToString());
            }
        }
    }

    private static string TrimCr(string value) => value.EndsWith('\r') ? value[..^1] : value;
}
