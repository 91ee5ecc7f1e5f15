namespace Firebreak.Core.Detection.Terms;

/// <summary>
/// Blanks out URLs before tokenizing. The tokenizer keeps a URL's words (so search finds a domain), but for
/// emerging terms they are noise: every short link would be a "new term" (t.co/Xy7Qa...).
/// </summary>
internal static class UrlMask
{
    /// <summary>
    /// The text itself when it has no URL (no copy); otherwise a copy in <paramref name="buffer"/> (grown and
    /// kept by the caller) where each URL, from its scheme or "www." to the next white space, is spaces.
    /// </summary>
    public static ReadOnlySpan<char> Apply(string text, ref char[] buffer)
    {
        var source = text.AsSpan();
        var start = NextUrl(source, 0);
        if (start < 0)
        {
            return source;
        }

        if (buffer.Length < source.Length)
        {
            buffer = new char[Math.Max(source.Length, buffer.Length * 2)];
        }

        var output = buffer.AsSpan(0, source.Length);
        source.CopyTo(output);
        while (start >= 0)
        {
            var end = start;
            while (end < source.Length && !char.IsWhiteSpace(source[end]))
            {
                end++;
            }

            output[start..end].Fill(' ');
            start = NextUrl(source, end);
        }

        return output;
    }

    /// <summary>Where the next URL starts at or after <paramref name="from"/>, or -1.</summary>
    private static int NextUrl(ReadOnlySpan<char> text, int from)
    {
        var rest = text[from..];
        var scheme = rest.IndexOf("://", StringComparison.Ordinal);
        var www = rest.IndexOf("www.", StringComparison.OrdinalIgnoreCase);
        while (www > 0 && char.IsLetterOrDigit(rest[www - 1]))
        {
            // "awww.": not a host.
            var next = rest[(www + 1)..].IndexOf("www.", StringComparison.OrdinalIgnoreCase);
            www = next < 0 ? -1 : www + 1 + next;
        }

        if (scheme >= 0)
        {
            // Back over the scheme's letters (https, ftp) so they are blanked too.
            while (scheme > 0 && char.IsAsciiLetter(rest[scheme - 1]))
            {
                scheme--;
            }
        }

        var at = (scheme, www) switch
        {
            (< 0, < 0) => -1,
            (< 0, _) => www,
            (_, < 0) => scheme,
            _ => Math.Min(scheme, www),
        };
        return at < 0 ? -1 : from + at;
    }
}
