using System.Globalization;

namespace Firebreak.Core.Detection.Monitoring;

/// <summary>Where a series is sliced: the whole topic, one platform or one language.</summary>
public enum SliceDimension
{
    None = 0,
    Platform = 1,
    Language = 2,
}

/// <summary>
/// The one sentence of a detection, e.g. "negative mentions 14× the usual Tuesday 10:00 level (42 against 3.0
/// expected)". "Usual" names the weekday and hour (UTC) of the bucket when the baseline has learned that time's
/// rhythm, and says "recent level" while it has not, so the sentence never claims more than the model knows.
/// </summary>
public static class DetectionExplanation
{
    /// <summary>Below this share of rhythm in the expectation, the baseline is called recent, not usual.</summary>
    private const double RhythmLearned = 0.5;

    /// <summary>The <see cref="Detection.Dimension"/> text of a slice: "", "platform:x", "language:fr".</summary>
    public static string DimensionOf(SliceDimension dimension, string key) => dimension switch
    {
        SliceDimension.Platform => "platform:" + key,
        SliceDimension.Language => "language:" + key,
        _ => "",
    };

    /// <param name="signal">What fired.</param>
    /// <param name="dimension">The slice kind.</param>
    /// <param name="key">The slice key (platform or language), unused for the whole topic.</param>
    /// <param name="observed">The value seen.</param>
    /// <param name="expected">The baseline's value.</param>
    /// <param name="bucketStart">Start of the bucket.</param>
    /// <param name="seasonalWeight">How much of the expectation came from the learned rhythm (0 to 1).</param>
    /// <param name="negatives">For the share: negative mentions in the bucket.</param>
    /// <param name="withSentiment">For the share: mentions with a sentiment in the bucket.</param>
    public static string Describe(DetectionSignal signal, SliceDimension dimension, string key, double observed, double expected, DateTimeOffset bucketStart, double seasonalWeight, long negatives = 0, long withSentiment = 0)
    {
        var subject = signal switch
        {
            DetectionSignal.NegativeVolume => "negative mentions",
            DetectionSignal.NegativeShare => "negative share",
            DetectionSignal.ReachWeightedNegativity => "reach of negative mentions",
            _ => "mentions",
        } + dimension switch
        {
            SliceDimension.Platform => " on " + key,
            SliceDimension.Language => " in " + key,
            _ => "",
        };
        var utc = bucketStart.ToUniversalTime();
        var usual = seasonalWeight >= RhythmLearned
            ? string.Create(CultureInfo.InvariantCulture, $"the usual {utc.DayOfWeek} {utc.Hour:00}:00 level")
            : "the recent level";
        if (signal == DetectionSignal.NegativeShare)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{subject} {observed * 100:F0}% ({negatives} of {withSentiment} mentions with a sentiment), {Ratio(observed, expected)} {usual} of {expected * 100:F0}%");
        }

        var seen = Amount(observed);
        if (expected < 0.1)
        {
            return $"{subject} {seen} where {usual} is under 0.1";
        }

        return $"{subject} {Ratio(observed, expected)} {usual} ({seen} against {Amount(expected)} expected)";
    }

    private static string Ratio(double observed, double expected)
    {
        var ratio = observed / Math.Max(expected, 1e-9);
        return ratio >= 10
            ? string.Create(CultureInfo.InvariantCulture, $"{ratio:F0}×")
            : string.Create(CultureInfo.InvariantCulture, $"{ratio:0.#}×");
    }

    /// <summary>Counts as integers, small expectations with one decimal, large reach as 1.2M.</summary>
    private static string Amount(double value) => Math.Abs(value) switch
    {
        >= 1e9 => (value / 1e9).ToString("0.#", CultureInfo.InvariantCulture) + "B",
        >= 1e6 => (value / 1e6).ToString("0.#", CultureInfo.InvariantCulture) + "M",
        >= 1e4 => (value / 1e3).ToString("0.#", CultureInfo.InvariantCulture) + "k",
        >= 10 => value.ToString("F0", CultureInfo.InvariantCulture),
        _ => value.ToString("0.#", CultureInfo.InvariantCulture),
    };
}
