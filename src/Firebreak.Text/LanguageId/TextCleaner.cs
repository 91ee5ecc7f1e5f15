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
        var marks = scratch.ScriptMarks;
        Array.Clear(marks);
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
                    marks[(int)current]++;
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
        return Dominant(counts, marks);
    }

    /// <summary>
    /// The script with the most weight wins: letters plus the vowel signs that spell with them (Devanagari,
    /// Bengali and Thai words are half marks), and three per letter in Han, kana and Hangul, where one letter carries
    /// about as much as a short Latin syllable. So "Aurora Air से दिल्ली जा रहा हूँ" or "Aurora Airの返金まだ来ない"
    /// go by the language around the Latin brand name. <see cref="CleanResult.Letters"/> stays the plain letter count.
    /// </summary>
    private static CleanResult Dominant(int[] counts, int[] marks)
    {
        var best = Script.None;
        var bestWeight = 0;
        var bestCount = 0;
        for (var s = 1; s < counts.Length; s++)
        {
            var script = (Script)s;
            if (script == Script.Kana)
            {
                continue;
            }

            var count = counts[s] + (script == Script.Han ? counts[(int)Script.Kana] : 0);
            var weight = ((count + marks[s] + (script == Script.Han ? marks[(int)Script.Kana] : 0)) * (ScriptInfo.IsDense(script) ? 3 : 1));
            if (weight > bestWeight)
            {
                bestWeight = weight;
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

    /// <summary>Handles, e-mail addresses and links, including scheme-less short links such as "bit.ly/aCj3I6ql".</summary>
    private static bool IsNonLinguisticToken(ReadOnlySpan<char> token)
    {
        if (token.Contains('@')
            || token.Contains("://", StringComparison.Ordinal)
            || token.StartsWith("www.", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var slash = token.IndexOf('/');
        var dot = slash > 0 ? token[..slash].LastIndexOf('.') : -1;
        return dot > 0 && dot < slash - 1 && char.IsAsciiLetter(token[dot + 1]) && char.IsAsciiLetterOrDigit(token[dot - 1]);
    }
}
