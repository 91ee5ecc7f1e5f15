namespace Firebreak.Text.LanguageId;

/// <summary>The outcome of one identification.</summary>
/// <param name="Language">An ISO 639-1 code, or <see cref="LanguageGuess.Undetermined"/> ("und").</param>
/// <param name="Confidence">Calibrated probability of <paramref name="Language"/>; for "und" after a low-confidence
/// rejection it is the probability of the rejected best guess (held in <paramref name="RunnerUp"/>), else 0.</param>
/// <param name="RunnerUp">The second most likely language, or the rejected best guess when Language is "und".</param>
/// <param name="RunnerUpConfidence">Calibrated probability of <paramref name="RunnerUp"/>.</param>
public readonly record struct LanguageGuess(string Language, float Confidence, string? RunnerUp, float RunnerUpConfidence)
{
    /// <summary>The code returned when the text is too short, in an uncovered script, or the model is unsure.</summary>
    public const string Undetermined = "und";

    /// <summary>True when no language was decided.</summary>
    public bool IsUndetermined => ReferenceEquals(Language, Undetermined) || Language == Undetermined;

    internal static LanguageGuess None => new(Undetermined, 0f, null, 0f);
}
