using System.Globalization;
using System.Text;

namespace Firebreak.Core.Text;

/// <summary>
/// Case and accent folding for matching, for any script. Mention text and query terms go through the same
/// fold, so what matters is that the mapping is consistent and cheap, not that it is reversible.
/// </summary>
/// <remarks>
/// Per character: NFKD-decompose (fullwidth, ligatures, superscripts and "fancy" mathematical letters fold to
/// plain ones), drop non-spacing and enclosing marks (accents, harakat, zalgo) and format characters (ZWJ,
/// ZWNJ, bidi marks, soft hyphen), then lower-case invariantly. Extra rules: ß/ẞ → "ss" and final ς → σ (as
/// Unicode case folding does), Cyrillic й keeps its breve (it is a letter, not an accented и, while ё → е),
/// Hangul syllables are kept composed, every decimal digit folds to ASCII 0-9, and Arabic/Persian letters are
/// normalised the way Arabic search usually is: أ إ آ ٱ → ا, ى ی → ي, ک → ك, ة → ه, tatweel dropped.
/// Supplementary characters (emoji, rare Han) pass through unchanged except the mathematical alphanumerics
/// block; a lone surrogate is dropped. The BMP mapping is computed once into a table, so folding is a table
/// lookup per character and never allocates when the text is already folded.
/// </remarks>
public static class TextFolder
{
    /// <summary>The largest number of chars one source char can fold to (U+FDFA expands to 18).</summary>
    public const int MaxExpansion = 18;

    private const int SurrogateMarker = 0xFF;
    private const int LengthShift = 24;
    private const int ValueMask = 0xFFFFFF;

    private static readonly FoldTable Table = FoldTable.Build();

    /// <summary>Folds a string; returns the same instance (no allocation) when it is already folded.</summary>
    public static string Fold(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (IsFolded(text))
        {
            return text;
        }

        var buffer = new char[Math.Max(16, text.Length + 8)];
        var length = FoldInto(text, ref buffer, 0);
        return new string(buffer, 0, length);
    }

    /// <summary>True when <see cref="Fold(string)"/> would return the input unchanged.</summary>
    public static bool IsFolded(ReadOnlySpan<char> text)
    {
        var map = Table.Map;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var entry = map[c];
            var length = entry >>> LengthShift;
            if (length == SurrogateMarker)
            {
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])
                    && !FoldTable.IsMathAlphanumeric(char.ConvertToUtf32(c, text[i + 1])))
                {
                    i++;
                    continue;
                }

                return false;
            }

            if (length != 1 || (entry & ValueMask) != c)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Appends the folded form of <paramref name="source"/> to <paramref name="buffer"/> starting at
    /// <paramref name="start"/>, growing the buffer (doubling) when needed, and returns the new length.
    /// Reuse the buffer across calls and the hot path does not allocate.
    /// </summary>
    public static int FoldInto(ReadOnlySpan<char> source, ref char[] buffer, int start)
    {
        var map = Table.Map;
        var pool = Table.Pool;
        var at = start;
        for (var i = 0; i < source.Length; i++)
        {
            var c = source[i];
            var entry = map[c];
            var length = entry >>> LengthShift;
            if (at + MaxExpansion + 2 > buffer.Length)
            {
                Array.Resize(ref buffer, Math.Max(buffer.Length * 2, at + MaxExpansion + 2));
            }

            if (length == 1)
            {
                buffer[at++] = (char)(entry & ValueMask);
            }
            else if (length == 0)
            {
                continue;
            }
            else if (length == SurrogateMarker)
            {
                if (char.IsHighSurrogate(c) && i + 1 < source.Length && char.IsLowSurrogate(source[i + 1]))
                {
                    at = AppendSupplementary(c, source[i + 1], buffer, at);
                    i++;
                }

                // A lone surrogate is broken UTF-16; dropping it keeps every later consumer safe.
            }
            else
            {
                pool.AsSpan(entry & ValueMask, length).CopyTo(buffer.AsSpan(at));
                at += length;
            }
        }

        return at;
    }

    /// <summary>
    /// Folds into a caller-provided span. Returns false (and writes nothing useful) when the destination is
    /// too small; <c>source.Length * MaxExpansion</c> is always enough.
    /// </summary>
    public static bool TryFold(ReadOnlySpan<char> source, Span<char> destination, out int written)
    {
        var map = Table.Map;
        var pool = Table.Pool;
        written = 0;
        for (var i = 0; i < source.Length; i++)
        {
            var c = source[i];
            var entry = map[c];
            var length = entry >>> LengthShift;
            if (length == SurrogateMarker)
            {
                if (!(char.IsHighSurrogate(c) && i + 1 < source.Length && char.IsLowSurrogate(source[i + 1])))
                {
                    continue;
                }

                var folded = FoldTable.FoldSupplementary(char.ConvertToUtf32(c, source[i + 1]));
                var needed = folded?.Length ?? 2;
                if (written + needed > destination.Length)
                {
                    return false;
                }

                if (folded is null)
                {
                    destination[written++] = c;
                    destination[written++] = source[i + 1];
                }
                else
                {
                    folded.AsSpan().CopyTo(destination[written..]);
                    written += folded.Length;
                }

                i++;
                continue;
            }

            if (written + length > destination.Length)
            {
                return false;
            }

            if (length == 1)
            {
                destination[written++] = (char)(entry & ValueMask);
            }
            else if (length > 0)
            {
                pool.AsSpan(entry & ValueMask, length).CopyTo(destination[written..]);
                written += length;
            }
        }

        return true;
    }

    private static int AppendSupplementary(char high, char low, char[] buffer, int at)
    {
        var folded = FoldTable.FoldSupplementary(char.ConvertToUtf32(high, low));
        if (folded is null)
        {
            buffer[at++] = high;
            buffer[at++] = low;
            return at;
        }

        folded.AsSpan().CopyTo(buffer.AsSpan(at));
        return at + folded.Length;
    }

    /// <summary>The precomputed BMP mapping: entry = (length &lt;&lt; 24) | (char or offset into Pool).</summary>
    private sealed class FoldTable
    {
        private const int MathFirst = 0x1D400;
        private const int MathLast = 0x1D7FF;

        private static readonly string?[] MathFolds = BuildMath();

        private FoldTable(int[] map, char[] pool)
        {
            Map = map;
            Pool = pool;
        }

        public int[] Map { get; }

        public char[] Pool { get; }

        public static bool IsMathAlphanumeric(int codePoint) => codePoint is >= MathFirst and <= MathLast;

        /// <summary>Folded text of a supplementary code point, or null to pass it through unchanged.</summary>
        public static string? FoldSupplementary(int codePoint) =>
            IsMathAlphanumeric(codePoint) ? MathFolds[codePoint - MathFirst] : null;

        public static FoldTable Build()
        {
            var map = new int[0x10000];
            var pool = new List<char>(16384);
            var scratch = new StringBuilder(32);
            for (var code = 0; code < 0x10000; code++)
            {
                var c = (char)code;
                if (char.IsSurrogate(c))
                {
                    map[code] = SurrogateMarker << LengthShift;
                    continue;
                }

                scratch.Clear();
                FoldOne(c, scratch);
                if (scratch.Length == 1)
                {
                    map[code] = (1 << LengthShift) | scratch[0];
                }
                else if (scratch.Length > 1)
                {
                    map[code] = (scratch.Length << LengthShift) | pool.Count;
                    for (var k = 0; k < scratch.Length; k++)
                    {
                        pool.Add(scratch[k]);
                    }
                }
            }

            return new FoldTable(map, [.. pool]);
        }

        private static void FoldOne(char c, StringBuilder output)
        {
            if (TrySpecial(c, out var special))
            {
                output.Append(special);
                return;
            }

            // Hangul syllables would decompose to jamo: triple the size for no matching benefit.
            if (c is >= '\uAC00' and <= '\uD7A3')
            {
                output.Append(c);
                return;
            }

            string decomposed;
            try
            {
                decomposed = c.ToString().Normalize(NormalizationForm.FormKD);
            }
            catch (ArgumentException)
            {
                decomposed = c.ToString();
            }

            foreach (var d in decomposed)
            {
                AppendFoldedPart(d, output);
            }
        }

        private static void AppendFoldedPart(char d, StringBuilder output)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(d);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format)
            {
                return;
            }

            if (TrySpecial(d, out var special))
            {
                output.Append(special);
                return;
            }

            if (category == UnicodeCategory.DecimalDigitNumber)
            {
                var value = CharUnicodeInfo.GetDecimalDigitValue(d);
                if (value is >= 0 and <= 9)
                {
                    output.Append((char)('0' + value));
                    return;
                }
            }

            var lower = char.ToLowerInvariant(d);
            if (lower != d && TrySpecial(lower, out special))
            {
                output.Append(special);
                return;
            }

            output.Append(lower);
        }

        private static bool TrySpecial(char c, out string folded)
        {
            folded = c switch
            {
                'ß' or 'ẞ' => "ss",
                'ς' => "σ",
                'й' or 'Й' => "й",
                '\u0623' or '\u0625' or '\u0622' or '\u0671' => "\u0627",
                '\u0649' or '\u06CC' => "\u064A",
                '\u06A9' => "\u0643",
                '\u0629' => "\u0647",
                '\u0640' => string.Empty,
                _ => "\0",
            };

            return folded != "\0";
        }

        private static string?[] BuildMath()
        {
            var folds = new string?[MathLast - MathFirst + 1];
            var output = new StringBuilder(8);
            for (var cp = MathFirst; cp <= MathLast; cp++)
            {
                string decomposed;
                try
                {
                    decomposed = char.ConvertFromUtf32(cp).Normalize(NormalizationForm.FormKD);
                }
                catch (ArgumentException)
                {
                    continue;
                }

                output.Clear();
                foreach (var d in decomposed)
                {
                    AppendFoldedPart(d, output);
                }

                folds[cp - MathFirst] = output.ToString();
            }

            return folds;
        }
    }
}
