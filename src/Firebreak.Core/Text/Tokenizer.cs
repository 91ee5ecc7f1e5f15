namespace Firebreak.Core.Text;

/// <summary>
/// Splits text into folded tokens. One instance per thread: it owns a reusable fold buffer.
/// </summary>
/// <remarks>
/// Rules, applied to the folded text (<see cref="TextFolder"/>):
/// <list type="bullet">
/// <item>A word is a run of letters, digits and combining marks; anything else separates, including
/// apostrophes ("don't" → don, t) and '_' outside hashtags and handles.</item>
/// <item>"#tag" and "@handle" (not preceded by a letter or digit, so "c#" and "bob@example.com" are not)
/// become one Hashtag or Handle token without the sigil; '_' is allowed inside. A hashtag or handle needs at
/// least one letter or digit.</item>
/// <item>Each char of an unspaced script (Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar) is a token, so
/// "東京" is the two-token sequence 東, 京. Inside a hashtag they stay one token ("#東京" → 東京).</item>
/// <item>URLs (http://, https://, www.) up to the next whitespace yield only plain word tokens: a #fragment
/// or an @ in a URL is not a hashtag or handle.</item>
/// <item>Emoji and other symbols are not tokens.</item>
/// <item>Only the first <see cref="MaxInputChars"/> chars are read and at most
/// <see cref="TokenizedText.MaxTokens"/> tokens kept.</item>
/// </list>
/// </remarks>
public sealed class Tokenizer
{
    /// <summary>Chars of input read; a longer text is cut so a 10 MB blob costs bounded time and memory.</summary>
    public const int MaxInputChars = 262_144;

    private char[] folded = new char[1024];

    /// <summary>Convenience for tests and one-off callers; allocates a new result.</summary>
    public TokenizedText Tokenize(string text)
    {
        var result = new TokenizedText();
        Tokenize(text, result);
        return result;
    }

    /// <summary>Tokenizes <paramref name="text"/> into <paramref name="output"/>, which is reset first.</summary>
    public void Tokenize(ReadOnlySpan<char> text, TokenizedText output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Reset();
        if (text.Length > MaxInputChars)
        {
            text = text[..MaxInputChars];
        }

        var length = TextFolder.FoldInto(text, ref folded, 0);
        Scan(folded.AsSpan(0, length), output);
    }

    private static void Scan(ReadOnlySpan<char> s, TokenizedText output)
    {
        var previous = CharKind.Separator;
        var i = 0;
        while (i < s.Length)
        {
            var kind = KindAt(s, i, out var width);
            var c = s[i];
            if (kind == CharKind.Word)
            {
                if ((c == 'h' || c == 'w') && previous == CharKind.Separator && IsUrlStart(s[i..]))
                {
                    if (!ScanUrl(s, ref i, output))
                    {
                        return;
                    }

                    previous = CharKind.Separator;
                    continue;
                }

                var end = RunEnd(s, i, allowSingle: false, allowConnector: false);
                if (!output.Add(s[i..end], TokenKind.Word))
                {
                    return;
                }

                i = end;
                previous = CharKind.Word;
                continue;
            }

            if (kind == CharKind.Single)
            {
                if (!output.Add(s.Slice(i, width), TokenKind.Word))
                {
                    return;
                }

                i += width;
                previous = CharKind.Single;
                continue;
            }

            if ((c == '#' || c == '@') && previous == CharKind.Separator)
            {
                var end = RunEnd(s, i + 1, allowSingle: true, allowConnector: true);
                if (HasLetterOrDigit(s[(i + 1)..end]))
                {
                    if (!output.Add(s[(i + 1)..end], c == '#' ? TokenKind.Hashtag : TokenKind.Handle))
                    {
                        return;
                    }

                    i = end;
                    previous = CharKind.Word;
                    continue;
                }
            }

            previous = kind;
            i += width;
        }
    }

    /// <summary>Emits the plain words of a URL and moves past it; false when the token cap was hit.</summary>
    private static bool ScanUrl(ReadOnlySpan<char> s, ref int i, TokenizedText output)
    {
        while (i < s.Length && !char.IsWhiteSpace(s[i]))
        {
            var kind = KindAt(s, i, out var width);
            if (kind == CharKind.Word)
            {
                var end = RunEnd(s, i, allowSingle: false, allowConnector: false);
                if (!output.Add(s[i..end], TokenKind.Word))
                {
                    return false;
                }

                i = end;
            }
            else if (kind == CharKind.Single)
            {
                if (!output.Add(s.Slice(i, width), TokenKind.Word))
                {
                    return false;
                }

                i += width;
            }
            else
            {
                i += width;
            }
        }

        return true;
    }

    private static bool IsUrlStart(ReadOnlySpan<char> s) =>
        s.StartsWith("http://", StringComparison.Ordinal)
        || s.StartsWith("https://", StringComparison.Ordinal)
        || (s.StartsWith("www.", StringComparison.Ordinal) && s.Length > 4 && CharClass.Of(s[4]) == CharKind.Word);

    private static int RunEnd(ReadOnlySpan<char> s, int i, bool allowSingle, bool allowConnector)
    {
        while (i < s.Length)
        {
            var kind = KindAt(s, i, out var width);
            var ok = kind == CharKind.Word
                || (allowSingle && kind == CharKind.Single)
                || (allowConnector && kind == CharKind.Connector);
            if (!ok)
            {
                break;
            }

            i += width;
        }

        return i;
    }

    private static bool HasLetterOrDigit(ReadOnlySpan<char> run)
    {
        foreach (var c in run)
        {
            if (c != '_')
            {
                return true;
            }
        }

        return false;
    }

    private static CharKind KindAt(ReadOnlySpan<char> s, int i, out int width)
    {
        var c = s[i];
        if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
        {
            width = 2;
            return CharClass.OfSupplementary(char.ConvertToUtf32(c, s[i + 1]));
        }

        width = 1;
        return CharClass.Of(c);
    }
}
