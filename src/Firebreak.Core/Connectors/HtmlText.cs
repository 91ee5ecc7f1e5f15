namespace Firebreak.Core.Connectors;

using System.Net;
using System.Text;

/// <summary>
/// Plain text from the small HTML platforms send (Mastodon status content, feed summaries): tags dropped, block ends
/// and &lt;br&gt; become line breaks, entities decoded once, script and style content dropped. The result is only ever
/// stored and shown as text (Blazor encodes it), so nothing here has to be a sanitiser; it must only never throw and
/// never loop, whatever the input (unclosed tags, stray '&lt;', 10 MB blobs).
/// </summary>
public static class HtmlText
{
    public static string ToText(string? html)
    {
        if (string.IsNullOrEmpty(html))
        {
            return string.Empty;
        }

        // The text is a fraction of the markup: start small, the builder grows in chunks for long texts.
        var text = new StringBuilder(Math.Min(html.Length, 256));
        var i = 0;
        while (i < html.Length)
        {
            var c = html[i];
            if (c != '<')
            {
                text.Append(c);
                i++;
                continue;
            }

            var close = html.IndexOf('>', i + 1);
            var opensTag = i + 1 < html.Length && (char.IsAsciiLetter(html[i + 1]) || html[i + 1] is '/' or '!');
            if (close < 0 || !opensTag)
            {
                // A '<' that starts no tag is text ("a < b").
                text.Append(c);
                i++;
                continue;
            }

            var tag = TagName(html.AsSpan(i + 1, close - i - 1));
            if (Is(tag, "script") || Is(tag, "style"))
            {
                var end = html.IndexOf("</" + tag.ToString(), close, StringComparison.OrdinalIgnoreCase);
                i = end < 0 ? html.Length : Math.Max(close + 1, html.IndexOf('>', end) + 1);
                if (i <= close)
                {
                    i = html.Length;
                }

                continue;
            }

            if (BreaksLine(tag))
            {
                if (text.Length > 0 && text[^1] != '\n')
                {
                    text.Append('\n');
                }
            }

            i = close + 1;
        }

        // The closing </p> left a line break at the end: drop it here rather than in a second string after decoding.
        var length = text.Length;
        while (length > 0 && char.IsWhiteSpace(text[length - 1]))
        {
            length--;
        }

        return WebUtility.HtmlDecode(text.ToString(0, length)).Trim();
    }

    /// <summary>The tag's name as written ("p", "/P", "br"), without allocating: compared case-insensitively below.</summary>
    private static ReadOnlySpan<char> TagName(ReadOnlySpan<char> inside)
    {
        var end = 0;
        while (end < inside.Length && (char.IsLetterOrDigit(inside[end]) || (end == 0 && inside[end] == '/')))
        {
            end++;
        }

        return inside[..end];
    }

    private static bool Is(ReadOnlySpan<char> tag, string name) => tag.Equals(name, StringComparison.OrdinalIgnoreCase);

    private static bool BreaksLine(ReadOnlySpan<char> tag) =>
        Is(tag, "br") || Is(tag, "/p") || Is(tag, "p") || Is(tag, "/div") || Is(tag, "/li") || Is(tag, "/h1") || Is(tag, "/h2") || Is(tag, "/h3") || Is(tag, "/blockquote");
}
