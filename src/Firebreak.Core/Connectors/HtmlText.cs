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

        var text = new StringBuilder(html.Length);
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
            if (tag is "script" or "style")
            {
                var end = html.IndexOf("</" + tag, close, StringComparison.OrdinalIgnoreCase);
                i = end < 0 ? html.Length : Math.Max(close + 1, html.IndexOf('>', end) + 1);
                if (i <= close)
                {
                    i = html.Length;
                }

                continue;
            }

            if (tag is "br" or "/p" or "p" or "/div" or "/li" or "/h1" or "/h2" or "/h3" or "/blockquote")
            {
                if (text.Length > 0 && text[^1] != '\n')
                {
                    text.Append('\n');
                }
            }

            i = close + 1;
        }

        return WebUtility.HtmlDecode(text.ToString()).Trim();
    }

    private static string TagName(ReadOnlySpan<char> inside)
    {
        var start = 0;
        var end = 0;
        while (end < inside.Length && (char.IsLetterOrDigit(inside[end]) || (end == 0 && inside[end] == '/')))
        {
            end++;
        }

        return end == start ? string.Empty : inside[start..end].ToString().ToLowerInvariant();
    }
}
