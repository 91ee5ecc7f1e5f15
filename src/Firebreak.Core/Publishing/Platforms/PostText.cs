namespace Firebreak.Core.Publishing.Platforms;

using System.Net;
using System.Text;
using System.Text.RegularExpressions;

/// <summary>Text of posts as compared when reconciling: Mastodon gives HTML back, so both sides are reduced to plain words.</summary>
public static partial class PostText
{
    /// <summary>Mastodon's status HTML as plain text: paragraphs and line breaks become newlines, tags go, entities are decoded.</summary>
    public static string FromHtml(string html)
    {
        var text = BreakTags().Replace(html, "\n");
        text = AnyTag().Replace(text, string.Empty);
        return WebUtility.HtmlDecode(text).Trim();
    }

    /// <summary>Whitespace runs collapsed to one space, trimmed, NFC: the form in which a sent text and its read-back are equal.</summary>
    public static string Normalise(string text)
    {
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text.Normalize(NormalizationForm.FormC))
        {
            if (char.IsWhiteSpace(c))
            {
                space = builder.Length > 0;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    [GeneratedRegex(@"<br\s*/?>|</p>\s*<p[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex BreakTags();

    [GeneratedRegex(@"<[^>]*>")]
    private static partial Regex AnyTag();
}
