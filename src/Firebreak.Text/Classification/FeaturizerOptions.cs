namespace Firebreak.Text.Classification;

/// <summary>Optional extra word-block features (each emitted as additional hashed tokens next to the normal
/// ones, so a model without them reads the same features as before).</summary>
[Flags]
public enum ExtraFeatures
{
    /// <summary>No extra features.</summary>
    None = 0,

    /// <summary>For a word written with masking symbols, digits or spacing ("f*ck", "sh!t", "a$$", "f u c k"),
    /// also the word with the masking undone (lower-case letters, repeats squashed).</summary>
    Deobfuscated = 1,

    /// <summary>A "__lex_&lt;category&gt;" token per word or emoji found in the built-in lexicon (profanity,
    /// insults, anger, joy, optimism, sadness).</summary>
    Lexicon = 2,
}

/// <summary>
/// How text becomes hashed features. Stored inside every model file, so a model is always featurized the way
/// it was trained.
/// </summary>
public sealed record FeaturizerOptions
{
    /// <summary>log2 of the number of hash buckets (2^18 keeps a 3-class float16 model at 1.5 MB).</summary>
    public int BucketBits { get; init; } = 18;

    /// <summary>Shortest character n-gram (within a word, padded with boundary marks).</summary>
    public int MinCharN { get; init; } = 2;

    /// <summary>Longest character n-gram; 0 disables character n-grams.</summary>
    public int MaxCharN { get; init; } = 5;

    /// <summary>Emit token bigrams as well as unigrams.</summary>
    public bool WordBigrams { get; init; } = true;

    /// <summary>Also emit a copy of each word feature hashed with the language code, so one multilingual model
    /// can learn language-specific word meanings while sharing character n-grams and emoji.</summary>
    public bool LanguageWordFeatures { get; init; }

    /// <summary>Weight of the (unit-normalised) character block relative to the word block.</summary>
    public float CharWeight { get; init; } = 1f;

    /// <summary>Extra word-block features; models without them skip them in shared scoring.</summary>
    public ExtraFeatures ExtraFeatures { get; init; }

    /// <summary>Only this many leading chars are read: tweets are at most 280 chars, and a cap bounds the time
    /// and memory a hostile multi-megabyte input can cost.</summary>
    public int MaxInputChars { get; init; } = 2048;

    /// <summary>Number of hash buckets.</summary>
    public int Buckets => 1 << BucketBits;

    internal void Validate()
    {
        if (BucketBits is < 8 or > 24)
        {
            throw new ArgumentOutOfRangeException(nameof(BucketBits), BucketBits, "Expected 8..24.");
        }

        if (MaxCharN != 0 && (MinCharN < 1 || MaxCharN < MinCharN || MaxCharN > 8))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxCharN), MaxCharN, "Expected 1 <= MinCharN <= MaxCharN <= 8.");
        }

        if (MaxInputChars < 16)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxInputChars), MaxInputChars, "Expected at least 16.");
        }
    }
}
