namespace Firebreak.Web.Endpoints;

using System.Globalization;
using System.Text;
using Firebreak.Core.Mentions;

/// <summary>
/// CSV export in the same columns the CSV importer reads. Cells that a spreadsheet would run as a
/// formula (starting with = + - @ or a tab) get a leading apostrophe: exports are opened in Excel,
/// and mention text is written by strangers.
/// </summary>
public static class CsvFormat
{
    public static readonly string[] Header =
    [
        "id", "platform", "external_id", "kind", "author_handle", "author_name", "author_followers", "author_verified",
        "text", "language", "url", "created_at", "captured_at", "likes", "shares", "replies", "views",
        "parent_external_id", "thread_external_id", "sentiment",
    ];

    public static void WriteHeader(StringBuilder line)
    {
        line.AppendJoin(',', Header).Append("\r\n");
    }

    public static void WriteRow(StringBuilder line, Mention m)
    {
        Cell(line, m.Id.ToString(CultureInfo.InvariantCulture), false);
        Cell(line, m.Platform.ToWire());
        Cell(line, m.ExternalId);
        Cell(line, m.Kind.ToWire());
        Cell(line, m.Author.Handle);
        Cell(line, m.Author.DisplayName);
        Cell(line, m.Author.Followers.ToString(CultureInfo.InvariantCulture));
        Cell(line, m.Author.Verified ? "true" : "false");
        Cell(line, m.Text);
        Cell(line, m.Language);
        Cell(line, m.Url);
        Cell(line, m.CreatedAt.ToString("O", CultureInfo.InvariantCulture));
        Cell(line, m.CapturedAt.ToString("O", CultureInfo.InvariantCulture));
        Cell(line, m.Engagement.Likes.ToString(CultureInfo.InvariantCulture));
        Cell(line, m.Engagement.Shares.ToString(CultureInfo.InvariantCulture));
        Cell(line, m.Engagement.Replies.ToString(CultureInfo.InvariantCulture));
        Cell(line, m.Engagement.Views.ToString(CultureInfo.InvariantCulture));
        Cell(line, m.ParentExternalId);
        Cell(line, m.ThreadExternalId);
        Cell(line, m.Analysis.Sentiment.ToWire());
        line.Append("\r\n");
    }

    private static void Cell(StringBuilder line, string? value, bool separator = true)
    {
        if (separator)
        {
            line.Append(',');
        }

        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        var formula = value[0] is '=' or '+' or '-' or '@' or '\t' or '\r';
        var quote = formula || value.AsSpan().IndexOfAny(",\"\r\n") >= 0;
        if (!quote)
        {
            line.Append(value);
            return;
        }

        line.Append('"');
        if (formula)
        {
            line.Append('\'');
        }

        foreach (var c in value)
        {
            if (c == '"')
            {
                line.Append('"');
            }

            line.Append(c);
        }

        line.Append('"');
    }
}
