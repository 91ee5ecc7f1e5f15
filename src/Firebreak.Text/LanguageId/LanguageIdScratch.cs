namespace Firebreak.Text.LanguageId;

/// <summary>
/// Reusable working memory for <see cref="LanguageIdentifier.Identify(ReadOnlySpan{char}, LanguageIdScratch)"/>.
/// One instance per thread: it is not thread-safe, which is why the plain overload keeps one per thread itself.
/// </summary>
public sealed class LanguageIdScratch
{
    /// <summary>Cleaned letters kept per call; a prefix this long is plenty to identify a language.</summary>
    internal const int MaxChars = 1024;

    /// <summary>Raw chars scanned per call, so a 10 MB string of emoji or spaces costs a bounded amount of time.</summary>
    internal const int MaxScan = 16 * 1024;

    internal const int MaxWords = 256;

    internal const int MaxFeatures = 8192;

    internal const int MaxLabels = 64;

    /// <summary>Creates empty buffers; they are sized once and reused for every call.</summary>
    public LanguageIdScratch()
    {
    }

    internal char[] Chars { get; } = new char[MaxChars];

    internal int[] WordStart { get; } = new int[MaxWords];

    internal int[] WordLength { get; } = new int[MaxWords];

    internal Script[] WordScript { get; } = new Script[MaxWords];

    internal int[] ScriptCounts { get; } = new int[ScriptInfo.Count];

    internal int[] ScriptMarks { get; } = new int[ScriptInfo.Count];

    internal int[] Features { get; } = new int[MaxFeatures];

    internal float[] Scores { get; } = new float[MaxLabels];

    internal int WordCount { get; set; }
}
