namespace Firebreak.Core.Detection.Series;

/// <summary>What a series holds, which decides the noise model.</summary>
public enum SeriesKind
{
    /// <summary>Any real values (latency, temperature, CPU): additive rhythm, Laplace tails around a robust scale.</summary>
    Values = 1,

    /// <summary>Non-negative counts per bucket (mentions per minute), often small or zero: multiplicative rhythm,
    /// quasi-Poisson (negative-binomial-like) tails with a learned dispersion.</summary>
    Counts = 2,
}

/// <summary>Which departures are anomalies.</summary>
public enum TailDirection
{
    /// <summary>Both rises and drops.</summary>
    Both = 0,

    /// <summary>Only rises (a crisis is more mentions, not fewer).</summary>
    Upper = 1,

    /// <summary>Only drops.</summary>
    Lower = 2,
}

/// <summary>
/// Settings of <see cref="SeriesDetector"/>. The defaults are the ones measured in docs/early-warning.md; times
/// are in updates (one update per bucket), so they mean the same for minute and five-minute series.
/// </summary>
public sealed record SeriesDetectorOptions
{
    public static SeriesDetectorOptions Default { get; } = new();

    public SeriesKind Kind { get; init; } = SeriesKind.Values;

    public TailDirection Direction { get; init; } = TailDirection.Both;

    /// <summary>No score at all before this many updates: the baseline is not worth an alarm yet.</summary>
    public int WarmUpUpdates { get; init; } = 60;

    /// <summary>Half-life of the level, in updates.</summary>
    public double LevelHalfLife { get; init; } = 30;

    /// <summary>Half-life of the scale (mean absolute deviation, or count dispersion), in updates.</summary>
    public double ScaleHalfLife { get; init; } = 200;

    /// <summary>How many visits of a time-of-day bin it remembers (a visit is one pass of that hour).</summary>
    public double DayMemory { get; init; } = 7;

    /// <summary>How many visits of an hour-of-week bin it remembers.</summary>
    public double WeekMemory { get; init; } = 4;

    /// <summary>Visits an hour-of-week bin needs to weigh as much as the daily profile (empirical-Bayes shrinkage).</summary>
    public double WeekShrinkage { get; init; } = 2;

    /// <summary>Residuals are clipped to this many scales before they teach the baseline, so a spike does not become normal.</summary>
    public double LearningClip { get; init; } = 3;

    /// <summary>Cold-start widening: scales are multiplied by 1 + this / √updates, wide at first, tightening as history grows.</summary>
    public double ColdStartWidening { get; init; } = 3;

    /// <summary>CUSUM slack, in scales: residuals smaller than this do not accumulate towards a level shift.</summary>
    public double ShiftSlack { get; init; } = 1;

    /// <summary>CUSUM height, in scales, at which the level is moved to the recent values: one shift, one episode.</summary>
    public double ShiftThreshold { get; init; } = 12;

    /// <summary>Half-life, in updates, of the calibration of surprise against the series' own history.</summary>
    public double CalibrationHalfLife { get; init; } = 500;

    /// <summary>
    /// Calibrate surprise against the series' own history (a generalised Pareto tail over past surprises). Right
    /// for NAB's machine metrics, whose models are misspecified in ways only history reveals; wrong for a topic in
    /// a crisis, whose calibration learns the crisis itself within minutes and then calls a 10× surge
    /// unremarkable. Off: the severity is the model's own tail probability (−log10 p).
    /// </summary>
    public bool CalibrateSurprise { get; init; } = true;

    /// <summary>Where the calibrated tail starts: the share of updates a well-specified model puts beyond it.</summary>
    public double CalibrationQuantile { get; init; } = 0.1;

    /// <summary>Largest shape of the generalised Pareto tail fitted to surprises (0: exponential tail only).</summary>
    public double MaximumTailShape { get; init; } = 0.5;

    /// <summary>Residuals are clipped to this many scales before they teach the per-time-of-day scale.</summary>
    public double BinScaleClip { get; init; } = 100;

    /// <summary>After a surprise of at least <see cref="RestSurprise"/>, scores are 0 for this many updates: one episode, one alarm.</summary>
    public int RestPeriod { get; init; } = 30;

    /// <summary>Surprise (−log10 p) that starts a rest period.</summary>
    public double RestSurprise { get; init; } = 3;

    /// <summary>Surprise (−log10 p) at which the score is 0.5; the score is 1 − 2^(−surprise / this).</summary>
    public double HalfScoreSurprise { get; init; } = 6;

    /// <summary>Surprise (−log10 p) from which a reading has a severity: Low, Medium, High, Critical.</summary>
    public double LowSurprise { get; init; } = 5;

    public double MediumSurprise { get; init; } = 7;

    public double HighSurprise { get; init; } = 10;

    public double CriticalSurprise { get; init; } = 14;

    /// <summary>Counts: the smallest expected count used in the tail, so an all-zero history does not make one mention infinitely surprising.</summary>
    public double MinimumExpectedCount { get; init; } = 0.05;
}
