namespace Firebreak.Text.LanguageId;

/// <summary>The outcome of cleaning: which script dominates and how many of its letters there are.</summary>
internal readonly record struct CleanResult(Script Script, int Letters);

/// <summary>
/// Turns raw (social-media) text into lower-cased words of letters, in the scratch buffers. Whole tokens that are
/// URLs, e-mail addresses or @handles are dropped since they are language-neutral; '#' is punctuation, so a
/// hashtag keeps its word. Digits, punctuation, symbols and emoji separate words. Words also break where the
/// script changes, so "iPhoneを" gives a Latin and a Japanese word and mixed text can go by its dominant script.
/// </summary>
internal static class TextCleaner
{
    public static CleanResult Clean(ReadOnlySpan<char> text, LanguageIdScratch scratch)
    {
        var chars = scratch.Chars;
        var counts = scratch.ScriptCounts;
        Array.Clear(counts);
        var wordStart = scratch.WordStart;
        var wordLength = scratch.WordLength;
        var wordScript = scratch.WordScript;
        var words = 0;
        var length = 0;
        var inWord = false;
        var current = Script.None;
        var tokenStart = true;
        var limit = Math.Min(text.Length, LanguageIdScratch.MaxScan);
        var i = 0;
        while (i < limit)
        {
            var c = text[i];
            var kind = CharTable.KindOf(c);
            if (kind == CharTable.Space)
            {
                tokenStart = true;
                inWord = false;
                i++;
                continue;
            }

            if (tokenStart)
            {
                tokenStart = false;
                var end = TokenEnd(text, i, limit);
                if (IsNonLinguisticToken(text[i..end]))
                {
                    inWord = false;
                    i = end;
                    continue;
                }
            }

            i++;
            if (kind == CharTable.Separator)
            {
                inWord = false;
                continue;
            }

            if (kind == CharTable.Ignore)
            {
                continue;
            }

            if (kind == CharTable.Mark)
            {
                if (inWord && length < chars.Length)
                {
                    chars[length++] = CharTable.ToLower(c);
                    wordLength[words - 1]++;
                }

                continue;
            }

            var script = (Script)(kind - CharTable.LetterBase);
            if (inWord && ScriptInfo.Group(script) != ScriptInfo.Group(current))
            {
                inWord = false;
            }

            if (!inWord)
            {
                if (words == wordStart.Length || length >= chars.Length - 1)
                {
                    break;
                }

                wordStart[words] = length;
                wordLength[words] = 0;
                wordScript[words] = script;
                words++;
                inWord = true;
                current = script;
            }
            else if (length == chars.Length)
            {
                break;
            }

            chars[length++] = CharTable.ToLower(c);
            wordLength[words - 1]++;
            counts[(int)script]++;
        }

        scratch.WordCount = words;
        return Dominant(counts);
    }

    private static CleanResult Dominant(int[] counts)
    {
        var best = Script.None;
        var bestCount = 0;
        for (var s = 1; s < counts.Length; s++)
        {
            var script = (Script)s;
            if (script == Script.Kana)
            {
                continue;
            }

            var count = counts[s] + (script == Script.Han ? counts[(int)Script.Kana] : 0);
            if (count > bestCount)
            {
                bestCount = count;
                best = script;
            }
        }

        // Any kana in Han-dominated text means Japanese; Chinese never uses kana.
        if (best == Script.Han && counts[(int)Script.Kana] > 0)
        {
            best = Script.Kana;
        }

        return new CleanResult(best, bestCount);
    }

    private static int TokenEnd(ReadOnlySpan<char> text, int start, int limit)
    {
        var end = start;
        while (end < limit && CharTable.KindOf(text[end]) != CharTable.Space)
        {
            end++;
        }

        return end;
    }

    private static bool IsNonLinguisticToken(ReadOnlySpan<char> token) =>
        token.Contains('@')
        || token.Contains("://", StringComparison.Ordinal)
        || token.StartsWith("www.", StringComparison.OrdinalIgnoreCase);
}
