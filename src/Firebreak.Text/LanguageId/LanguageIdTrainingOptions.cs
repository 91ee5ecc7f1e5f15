namespace Firebreak.Text.LanguageId;

/// <summary>Hyper-parameters of <see cref="LanguageIdTrainer"/>; the defaults are what the shipped model uses.</summary>
public sealed record LanguageIdTrainingOptions
{
    /// <summary>Seeds the held-out split and every epoch's shuffle; same data + seed give identical bytes.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>log2 of the hash bucket count; 17 keeps the int8 model near 6 MB.</summary>
    public int BucketBits { get; init; } = 17;

    public int MinN { get; init; } = 1;

    public int MaxN { get; init; } = 5;

    /// <summary>Whether whole words are features besides their character n-grams.</summary>
    public bool WordFeatures { get; init; } = true;

    /// <summary>Whether adjacent word pairs are features.</summary>
    public bool WordPairFeatures { get; init; } = true;

    public int Epochs { get; init; } = 5;

    /// <summary>AdaGrad base step size.</summary>
    public float LearningRate { get; init; } = 0.2f;

    /// <summary>Share of the rows held out for calibration, threshold choice and the training report.</summary>
    public double HoldoutFraction { get; init; } = 0.1;

    /// <summary>After calibrating on the held-out fold, retrain on all rows (same epochs) and keep the calibration.</summary>
    public bool RefitOnAllData { get; init; } = true;

    /// <summary>Class weight = (median class size / class size)^power, so small languages are not drowned out.</summary>
    public double ClassWeightPower { get; init; } = 1.0;

    /// <summary>Passes of per-language bias balancing on the held-out fold (0 turns it off).</summary>
    public int BalancePasses { get; init; } = 2;

    /// <summary>Fewer letters than this (alphabetic scripts) gives "und".</summary>
    public int MinLetters { get; init; } = 3;

    /// <summary>Fewer letters than this in Han, kana or Hangul gives "und".</summary>
    public int MinLettersDense { get; init; } = 1;

    /// <summary>A label is a candidate for a script when at least this share of its rows are dominated by it.</summary>
    public double ScriptShare { get; init; } = 0.001;

    /// <summary>
    /// The "und" threshold is the highest confidence below which held-out accuracy is at most this: there the
    /// model is more often wrong than right, so abstaining is the better answer.
    /// </summary>
    public double RejectAccuracy { get; init; } = 0.25;

    /// <summary>Upper bound on the "und" threshold, so calibration noise cannot reject confident answers.</summary>
    public float MaxThreshold { get; init; } = 0.4f;
}
