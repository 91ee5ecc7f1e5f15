namespace Firebreak.Text.LanguageId;

/// <summary>Writing systems the cleaner tells apart; the model stores which labels are allowed per script.</summary>
internal enum Script : byte
{
    None = 0,
    Latin,
    Cyrillic,
    Greek,
    Arabic,
    Hebrew,
    Devanagari,
    Bengali,
    Thai,
    Hangul,
    Han,
    Kana,
    Georgian,
    Armenian,
    Other,
}

internal static class ScriptInfo
{
    /// <summary>Number of enum values, the size of per-script tables.</summary>
    public const int Count = (int)Script.Other + 1;

    /// <summary>
    /// Han and kana share one group: Japanese mixes them inside one word run, and splitting a run at each
    /// kanji/kana change would destroy the n-grams that tell Japanese from Chinese.
    /// </summary>
    public static Script Group(Script script) => script == Script.Kana ? Script.Han : script;

    /// <summary>Scripts written without spaces or with syllable blocks, where one letter already carries meaning.</summary>
    public static bool IsDense(Script script) => script is Script.Han or Script.Kana or Script.Hangul;
}
