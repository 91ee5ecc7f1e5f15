using System.Globalization;

namespace Firebreak.Text.LanguageId;

/// <summary>
/// Per-BMP-char lookup tables (kind + script, and a lower-case form) built once, so the cleaner does one array
/// read per char instead of Unicode category calls, which keeps identification fast and allocation-free.
/// </summary>
internal static class CharTable
{
    public const byte Space = 0;
    public const byte Separator = 1;

    /// <summary>Dropped without breaking the word: zalgo/accent combining marks, harakat, niqqud, tatweel, ZWJ/ZWNJ.</summary>
    public const byte Ignore = 2;

    /// <summary>A combining mark that is part of spelling (Indic vowel signs): kept inside a word, not counted as a letter.</summary>
    public const byte Mark = 3;

    /// <summary>Letters are encoded as LetterBase + script.</summary>
    public const byte LetterBase = 16;

    private static readonly byte[] Kinds = new byte[0x10000];
    private static readonly char[] Lower = new char[0x10000];

#pragma warning disable CA1810 // Both tables are filled by one loop; a static constructor keeps it in one place.
    static CharTable()
#pragma warning restore CA1810
    {
        for (var code = 0; code < 0x10000; code++)
        {
            var c = (char)code;
            Kinds[code] = Classify(c);
            var folded = code is >= 0xFF01 and <= 0xFF5E ? (char)(code - 0xFEE0) : c;
            Lower[code] = char.IsSurrogate(folded) ? folded : char.ToLowerInvariant(folded);
        }
    }

    public static byte KindOf(char c) => Kinds[c];

    public static char ToLower(char c) => Lower[c];

    private static byte Classify(char c)
    {
        int code = c;
        if (char.IsSurrogate(c))
        {
            // Emoji and other astral chars carry no language signal here; lone surrogates must not break us either.
            return Separator;
        }

        if (char.IsWhiteSpace(c))
        {
            return Space;
        }

        var category = CharUnicodeInfo.GetUnicodeCategory(c);
        switch (category)
        {
            case UnicodeCategory.NonSpacingMark:
            case UnicodeCategory.SpacingCombiningMark:
            case UnicodeCategory.EnclosingMark:
                return IsDecorativeMark(code) ? Ignore : Mark;
            case UnicodeCategory.Format:
                return Ignore;
            case UnicodeCategory.UppercaseLetter:
            case UnicodeCategory.LowercaseLetter:
            case UnicodeCategory.TitlecaseLetter:
            case UnicodeCategory.ModifierLetter:
            case UnicodeCategory.OtherLetter:
                if (code == 0x0640)
                {
                    return Ignore; // Arabic tatweel only stretches a word visually.
                }

                return (byte)(LetterBase + (byte)ScriptOf(code));
            default:
                return Separator;
        }
    }

    /// <summary>Marks that decorate rather than spell: generic combining diacritics (zalgo), harakat and niqqud.</summary>
    private static bool IsDecorativeMark(int code) => code is
        (>= 0x0300 and <= 0x036F)
        or (>= 0x1AB0 and <= 0x1AFF)
        or (>= 0x1DC0 and <= 0x1DFF)
        or (>= 0x20D0 and <= 0x20FF)
        or (>= 0xFE20 and <= 0xFE2F)
        or (>= 0x0591 and <= 0x05C7)
        or (>= 0x0610 and <= 0x061A)
        or (>= 0x064B and <= 0x065F)
        or 0x0670
        or (>= 0x06D6 and <= 0x06ED)
        or (>= 0x08D3 and <= 0x08FF);

    private static Script ScriptOf(int code) => code switch
    {
        <= 0x024F => Script.Latin,
        <= 0x02AF => Script.Latin,
        >= 0x0370 and <= 0x03FF => Script.Greek,
        >= 0x0400 and <= 0x052F => Script.Cyrillic,
        >= 0x0530 and <= 0x058F => Script.Armenian,
        >= 0x0590 and <= 0x05FF => Script.Hebrew,
        >= 0x0600 and <= 0x06FF => Script.Arabic,
        >= 0x0750 and <= 0x077F => Script.Arabic,
        >= 0x08A0 and <= 0x08FF => Script.Arabic,
        >= 0x0900 and <= 0x097F => Script.Devanagari,
        >= 0x0980 and <= 0x09FF => Script.Bengali,
        >= 0x0E00 and <= 0x0E7F => Script.Thai,
        >= 0x10A0 and <= 0x10FF => Script.Georgian,
        >= 0x1100 and <= 0x11FF => Script.Hangul,
        >= 0x1C80 and <= 0x1C8F => Script.Cyrillic,
        >= 0x1C90 and <= 0x1CBF => Script.Georgian,
        >= 0x1E00 and <= 0x1EFF => Script.Latin,
        >= 0x1F00 and <= 0x1FFF => Script.Greek,
        >= 0x2C60 and <= 0x2C7F => Script.Latin,
        >= 0x2D00 and <= 0x2D2F => Script.Georgian,
        >= 0x2DE0 and <= 0x2DFF => Script.Cyrillic,
        >= 0x2E80 and <= 0x2FDF => Script.Han,
        >= 0x3005 and <= 0x3007 => Script.Han,
        >= 0x3040 and <= 0x30FF => Script.Kana,
        >= 0x3130 and <= 0x318F => Script.Hangul,
        >= 0x31F0 and <= 0x31FF => Script.Kana,
        >= 0x3400 and <= 0x4DBF => Script.Han,
        >= 0x4E00 and <= 0x9FFF => Script.Han,
        >= 0xA640 and <= 0xA69F => Script.Cyrillic,
        >= 0xA720 and <= 0xA7FF => Script.Latin,
        >= 0xA8E0 and <= 0xA8FF => Script.Devanagari,
        >= 0xA960 and <= 0xA97F => Script.Hangul,
        >= 0xAC00 and <= 0xD7FF => Script.Hangul,
        >= 0xF900 and <= 0xFAFF => Script.Han,
        >= 0xFB1D and <= 0xFB4F => Script.Hebrew,
        >= 0xFB50 and <= 0xFDFF => Script.Arabic,
        >= 0xFE70 and <= 0xFEFF => Script.Arabic,
        >= 0xFF21 and <= 0xFF5A => Script.Latin,
        >= 0xFF66 and <= 0xFF9F => Script.Kana,
        >= 0xFFA0 and <= 0xFFDC => Script.Hangul,
        _ => Script.Other,
    };
}
