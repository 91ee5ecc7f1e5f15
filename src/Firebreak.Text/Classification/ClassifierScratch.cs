namespace Firebreak.Text.Classification;

/// <summary>
/// Reusable per-thread working memory for featurizing and predicting. Buffers grow on demand and are then
/// reused, so after a warm-up prediction allocates nothing. Not thread-safe: one instance per thread.
/// </summary>
public sealed class ClassifierScratch
{
    internal char[] Folded = new char[512];
    internal int[] SourceIndex = new int[512];
    internal int FoldedLength;

    internal char[] TokenChars = new char[512];
    internal int[] TokenStart = new int[128];
    internal int[] TokenLength = new int[128];
    internal FeatureTokenKind[] TokenKind = new FeatureTokenKind[128];
    internal bool[] TokenNegated = new bool[128];
    internal int[] TokenSourceStart = new int[128];
    internal int[] TokenSourceEnd = new int[128];
    internal int TokenCount;
    internal int TokenCharCount;

    internal int[] Ids = new int[1024];
    internal float[] Values = new float[1024];
    internal int[] Owner = new int[1024];
    internal FeatureFamily[] Family = new FeatureFamily[1024];
    internal int Count;

    // Block sizes of the latest featurization (word block includes the language copies), so a model that
    // shares the featurization but not every block can rebuild its own normalisation.
    internal int WordFeatureCount;
    internal int LanguageFeatureCount;
    internal int CharFeatureCount;

    // Extra features (lexicon, unmasked words) are the last ones, from this index to Count.
    internal int ExtraStart;

    // Lexicon hits of the latest featurization: token index and category, in pairs.
    internal int[] LexiconHits = new int[256];
    internal int LexiconHitCount;

    /// <summary>Probabilities of the latest <see cref="TextClassifiers.PredictAll"/>, one slot of
    /// <see cref="LinearClassifier.MaxLabels"/> per model.</summary>
    internal float[] SetProbabilities = new float[4 * LinearClassifier.MaxLabels];

    internal float[] SetSums = new float[64];

    internal readonly float[] Logits = new float[LinearClassifier.MaxLabels];

    /// <summary>Probabilities of the latest prediction; <see cref="Prediction.Probabilities"/> points here.</summary>
    internal readonly float[] Probabilities = new float[LinearClassifier.MaxLabels];

    internal void EnsureFolded(int needed)
    {
        if (Folded.Length < needed)
        {
            var size = Math.Max(needed, Folded.Length * 2);
            Array.Resize(ref Folded, size);
            Array.Resize(ref SourceIndex, size);
        }
        else if (SourceIndex.Length < Folded.Length)
        {
            // TextFolder may have grown Folded by itself; keep the index map the same size.
            Array.Resize(ref SourceIndex, Folded.Length);
        }
    }

    internal void EnsureTokens(int needed)
    {
        if (TokenStart.Length >= needed)
        {
            return;
        }

        var size = Math.Max(needed, TokenStart.Length * 2);
        Array.Resize(ref TokenStart, size);
        Array.Resize(ref TokenLength, size);
        Array.Resize(ref TokenKind, size);
        Array.Resize(ref TokenNegated, size);
        Array.Resize(ref TokenSourceStart, size);
        Array.Resize(ref TokenSourceEnd, size);
    }

    internal void EnsureTokenChars(int needed)
    {
        if (TokenChars.Length < needed)
        {
            Array.Resize(ref TokenChars, Math.Max(needed, TokenChars.Length * 2));
        }
    }

    internal void EnsureFeatures(int needed)
    {
        if (Ids.Length >= needed)
        {
            return;
        }

        var size = Math.Max(needed, Ids.Length * 2);
        Array.Resize(ref Ids, size);
        Array.Resize(ref Values, size);
        Array.Resize(ref Owner, size);
        Array.Resize(ref Family, size);
    }

    internal ReadOnlySpan<char> Token(int index) => TokenChars.AsSpan(TokenStart[index], TokenLength[index]);
}

/// <summary>What a token is, which decides the features it produces.</summary>
internal enum FeatureTokenKind : byte
{
    Word,
    Hashtag,
    Special,
    Emoji,
    Punctuation,
}

/// <summary>Feature block of a hashed feature; used for normalisation and for naming terms in explanations.</summary>
internal enum FeatureFamily : byte
{
    Word,
    WordLanguage,
    Bigram,
    BigramLanguage,
    Hashtag,
    Char,
    Language,

    /// <summary><see cref="ExtraFeatures.Lexicon"/> category token (word block, not counted in its norm).</summary>
    Lexicon,

    /// <summary><see cref="ExtraFeatures.Deobfuscated"/> unmasked word (word block, not counted in its norm).</summary>
    Deobfuscated,
}
