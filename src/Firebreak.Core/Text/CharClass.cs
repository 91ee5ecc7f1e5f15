using System.Globalization;
using System.Text;

namespace Firebreak.Core.Text;

/// <summary>How the tokenizer treats a folded character.</summary>
internal enum CharKind : byte
{
    Separator,
    Word,

    /// <summary>A script written without spaces (Han, kana, Thai, Lao, Khmer, Myanmar): one token per char.</summary>
    Single,

    /// <summary>'_': part of a hashtag or handle, a separator anywhere else.</summary>
    Connector,
}

/// <summary>A lazily built BMP classification table, read by the tokenizer once per folded char.</summary>
internal static class CharClass
{
    private static readonly CharKind[] Table = Build();

    public static CharKind Of(char c) => Table[c];

    /// <summary>Classifies a supplementary code point: letters of planes 2-3 are Han, other letters words.</summary>
    public static CharKind OfSupplementary(int codePoint)
    {
        if (!Rune.IsValid(codePoint))
        {
            return CharKind.Separator;
        }

        var category = Rune.GetUnicodeCategory(new Rune(codePoint));
        if (!IsWordCategory(category))
        {
            return CharKind.Separator;
        }

        return codePoint is >= 0x20000 and <= 0x3FFFF ? CharKind.Single : CharKind.Word;
    }

    private static CharKind[] Build()
    {
        var table = new CharKind[0x10000];
        for (var code = 0; code < 0x10000; code++)
        {
            var c = (char)code;
            if (char.IsSurrogate(c))
            {
                continue;
            }

            if (c == '_')
            {
                table[code] = CharKind.Connector;
                continue;
            }

            if (!IsWordCategory(CharUnicodeInfo.GetUnicodeCategory(c)))
            {
                continue;
            }

            table[code] = IsUnspacedScript(code) ? CharKind.Single : CharKind.Word;
        }

        return table;
    }

    private static bool IsWordCategory(UnicodeCategory category) => category is
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
        or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.DecimalDigitNumber
        or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber or UnicodeCategory.SpacingCombiningMark
        or UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark;

    private static bool IsUnspacedScript(int code) => code is
        (>= 0x0E00 and <= 0x0EFF) // Thai, Lao
        or (>= 0x1000 and <= 0x109F) // Myanmar
        or (>= 0x1780 and <= 0x17FF) // Khmer
        or (>= 0x19E0 and <= 0x19FF) // Khmer symbols
        or (>= 0x2E80 and <= 0x2FDF) // CJK radicals
        or (>= 0x3005 and <= 0x3007) // 々 〆 〇
        or (>= 0x3040 and <= 0x30FF) // Hiragana, Katakana
        or (>= 0x31F0 and <= 0x31FF) // Katakana extensions
        or (>= 0x3400 and <= 0x4DBF) // Han extension A
        or (>= 0x4E00 and <= 0x9FFF) // Han
        or (>= 0xA9E0 and <= 0xA9FF) // Myanmar extended-B
        or (>= 0xAA60 and <= 0xAA7F) // Myanmar extended-A
        or (>= 0xF900 and <= 0xFAFF) // Han compatibility
        or (>= 0xFF66 and <= 0xFF9F); // Halfwidth katakana (folded away, kept for safety)
}
