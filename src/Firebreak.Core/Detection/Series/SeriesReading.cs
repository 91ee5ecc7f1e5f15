namespace Firebreak.Core.Detection.Series;

/// <summary>
/// What the detector says about one value, from what it had learned before that value.
/// </summary>
/// <param name="Score">Anomaly score in [0, 1]: 0.5 is a one-in-a-million surprise (by default), 0 during warm-up.</param>
/// <param name="Expected">The baseline's value for this time (level and daily/weekly rhythm).</param>
/// <param name="Observed">The value given.</param>
/// <param name="Surprise">−log10 of the tail probability of the value under the baseline, after episode damping.</param>
/// <param name="Severity">Null unless the surprise reaches <see cref="SeriesDetectorOptions.LowSurprise"/>.</param>
/// <param name="SeasonalWeight">How much of the expectation came from the learned rhythm (0 none yet, 1 fully).</param>
public readonly record struct SeriesReading(double Score, double Expected, double Observed, double Surprise, DetectionSeverity? Severity, double SeasonalWeight)
{
    public bool IsAnomaly => Severity is not null;
}
