namespace Firebreak.Core.Detection.Series;

/// <summary>
/// An online, causal anomaly detector for one univariate series (one call per bucket, in time order). Each
/// value is scored against what was learned before it, then learned; nothing after it is ever read.
/// <list type="bullet">
/// <item><b>Baseline</b>: a robust level (exponentially weighted, fed residuals clipped to a few scales so a
/// spike does not become normal) plus a time-of-day profile (96 bins of 15 minutes) and an hour-of-week
/// profile (168 bins), both learned as offsets (values) or factors (counts) from the level, read and learned
/// by interpolation between neighbouring bins. An hour-of-week bin is shrunk towards the daily profile until it
/// has been seen a few times, so the daily rhythm is used from day two and the weekly one as weeks pass.</item>
/// <item><b>Noise</b>: for values a Laplace tail around the mean absolute residual (per time of day, shrunk
/// to the overall one); for counts a quasi-Poisson tail (the Poisson tail of x/φ with mean μ/φ, φ the learned
/// dispersion, mid-p), so a series of zeros and ones is judged as counts, not as a bell curve.</item>
/// <item><b>Calibration</b>: each surprise (−ln p) is then judged against the series' own history of surprises
/// (<see cref="SurpriseCalibration"/>), so a series whose big residuals are routine does not alarm on each,
/// and one threshold serves every series.</item>
/// <item><b>Episodes</b>: after a notable surprise the score rests at 0 for a while (<see cref="SeriesDetectorOptions.RestPeriod"/>).</item>
/// <item><b>Cold start</b>: no score for <see cref="SeriesDetectorOptions.WarmUpUpdates"/>, then scales widened
/// by 1 + c/√n, which tightens as history grows.</item>
/// <item><b>Level shifts</b>: two-sided CUSUM on the standardised residual; when it crosses its height the level
/// jumps to the mean residual since the CUSUM left zero, so a shift is one episode, not an endless one.</item>
/// <item><b>Zero and constant series</b>: every division has a floor (the smallest step seen, a minimum expected
/// count), so nothing divides by zero; a constant series scores 0 until it changes.</item>
/// </list>
/// The detector holds only settings; all memory is the caller's <see cref="SeriesState"/>, and an update
/// allocates nothing.
/// </summary>
public sealed class SeriesDetector
{
    private const double Ln10 = 2.302585092994046;

    private readonly double levelRate;
    private readonly double scaleRate;
    private readonly double calibrationRate;
    private readonly double excessRate;

    public SeriesDetector(SeriesDetectorOptions? options = null)
    {
        Options = options ?? SeriesDetectorOptions.Default;
        levelRate = RateOf(Options.LevelHalfLife);
        scaleRate = RateOf(Options.ScaleHalfLife);
        calibrationRate = RateOf(Options.CalibrationHalfLife);
        excessRate = RateOf(Options.CalibrationHalfLife * Options.CalibrationQuantile);
    }

    public SeriesDetectorOptions Options { get; }

    /// <summary>
    /// Scores <paramref name="value"/> at <paramref name="unixSeconds"/> (UTC) against the state, then learns it.
    /// Values must come in time order; a non-finite value is ignored (scored 0, not learned).
    /// </summary>
    public SeriesReading Update(ref SeriesState state, long unixSeconds, double value)
    {
        if (!double.IsFinite(value))
        {
            return new SeriesReading(0, state.Updates == 0 ? 0 : state.Level, value, 0, null, 0);
        }

        if (state.Updates == 0)
        {
            Start(ref state, unixSeconds, value);
            return new SeriesReading(0, value, value, 0, null, 0);
        }

        LearnInterval(ref state, unixSeconds - state.LastTime);
        var position = SeasonalPosition.At(unixSeconds);
        var baseline = Baseline(ref state, position);
        var surprise = 0.0;
        if (state.Updates >= Options.WarmUpUpdates)
        {
            var raw = Surprise(value, baseline);
            surprise = (Options.CalibrateSurprise ? state.PointTail.Calibrate(raw, calibrationRate, excessRate, Options.MaximumTailShape) : raw) / Ln10;
        }

        surprise = RestAfterAlarm(ref state, surprise);
        Learn(ref state, position, value, baseline);
        state.LastTime = unixSeconds;
        state.LastValue = value;
        state.Updates++;
        var score = 1 - Math.Pow(2, -surprise / Options.HalfScoreSurprise);
        return new SeriesReading(score, baseline.Expected, value, surprise, SeverityOf(surprise), baseline.SeasonalWeight);
    }

    /// <summary>
    /// Scores <paramref name="value"/> at <paramref name="unixSeconds"/> exactly as <see cref="Update"/> would, without
    /// learning it: the state is copied (a fixed-size struct, so nothing is allocated) and the copy is discarded. Used to
    /// judge a bucket that is still filling (a lower bound of its final value) before it closes.
    /// </summary>
    public SeriesReading Peek(in SeriesState state, long unixSeconds, double value)
    {
        var copy = state;
        return Update(ref copy, unixSeconds, value);
    }

    /// <summary>The severity a surprise (−log10 p) earns, or null below <see cref="SeriesDetectorOptions.LowSurprise"/>.</summary>
    public DetectionSeverity? SeverityOf(double surprise) =>
        surprise >= Options.CriticalSurprise ? DetectionSeverity.Critical
        : surprise >= Options.HighSurprise ? DetectionSeverity.High
        : surprise >= Options.MediumSurprise ? DetectionSeverity.Medium
        : surprise >= Options.LowSurprise ? DetectionSeverity.Low
        : null;

    private static double RateOf(double halfLife) => halfLife <= 0 ? 1 : 1 - Math.Pow(0.5, 1 / halfLife);

    private void Start(ref SeriesState state, long unixSeconds, double value)
    {
        state = default;
        state.LastTime = unixSeconds;
        state.LastValue = value;
        state.Level = value;
        state.Dispersion = 1;
        state.Updates = 1;
        state.PointTail = SurpriseCalibration.Neutral(Options.CalibrationQuantile);
        state.SinceNotable = int.MaxValue - 1;
        if (Options.Kind == SeriesKind.Counts)
        {
            // Factors start neutral; offsets (values) are neutral at 0 already.
            ((Span<float>)state.DayOffset).Fill(1);
            ((Span<float>)state.WeekOffset).Fill(1);
        }
    }

    private static void LearnInterval(ref SeriesState state, long seconds)
    {
        if (seconds <= 0)
        {
            return;
        }

        // A robust typical spacing: gaps and bursts move it only a little.
        state.Interval = state.Interval <= 0 ? seconds : state.Interval + (0.05 * (Math.Clamp(seconds, state.Interval / 2, state.Interval * 2) - state.Interval));
    }

    private readonly record struct Expectation(double Expected, double Seasonal, double Spread, double SeasonalWeight);

    /// <summary>The expected value and the spread (scale for values, dispersion for counts) for this moment.</summary>
    private Expectation Baseline(ref SeriesState state, SeasonalPosition at)
    {
        var dayVisits = Visits(state.DayCount[at.Day0], state.DayCount[at.Day1], at.DayFraction, SamplesPerDayBin(state));
        var weekVisits = Visits(state.WeekCount[at.Week0], state.WeekCount[at.Week1], at.WeekFraction, SamplesPerWeekBin(state));
        var neutral = Options.Kind == SeriesKind.Counts ? 1.0 : 0.0;
        var dayWeight = dayVisits / (dayVisits + 0.5);
        var weekWeight = weekVisits / (weekVisits + Options.WeekShrinkage);
        var seasonal = neutral + (dayWeight * (Lerp(state.DayOffset[at.Day0], state.DayOffset[at.Day1], at.DayFraction) - neutral));
        seasonal += weekWeight * (Lerp(state.WeekOffset[at.Week0], state.WeekOffset[at.Week1], at.WeekFraction) - seasonal);
        var expected = Options.Kind == SeriesKind.Counts ? state.Level * Math.Max(seasonal, 0) : state.Level + seasonal;

        var scaleVisits = Visits(state.ScaleCount[at.Scale0], state.ScaleCount[at.Scale1], at.ScaleFraction, SamplesPerScaleBin(state));
        var binSpread = Lerp(state.DayScale[at.Scale0], state.DayScale[at.Scale1], at.ScaleFraction);
        var spread = ((scaleVisits * binSpread) + state.Scale) / (scaleVisits + 1);
        var widening = 1 + (Options.ColdStartWidening / Math.Sqrt(state.Updates));
        if (Options.Kind == SeriesKind.Counts)
        {
            var dispersion = Math.Max(1, ((scaleVisits * Math.Max(binSpread, 1)) + state.Dispersion) / (scaleVisits + 1));
            spread = dispersion * widening * widening;
        }
        else
        {
            // The floor: half the smallest step ever seen, or a hair of the level for a series that never moved.
            var floor = state.Resolution > 0 ? state.Resolution / 2 : Math.Max(1e-9 * Math.Abs(state.Level), 1e-12);
            spread = Math.Max(spread, floor) * widening;
        }

        return new Expectation(expected, seasonal, spread, Math.Max(dayWeight, weekWeight));
    }

    /// <summary>−ln p of the value under the baseline, in the configured direction.</summary>
    private double Surprise(double value, in Expectation baseline)
    {
        if (Options.Kind == SeriesKind.Counts)
        {
            var mean = Math.Max(baseline.Expected, Options.MinimumExpectedCount);
            var dispersion = baseline.Spread;
            var up = Options.Direction == TailDirection.Lower || value <= mean ? 0 : -LogMidUpper(value, mean, dispersion);
            var down = Options.Direction == TailDirection.Upper || value >= mean ? 0 : -LogMidLower(value, mean, dispersion);
            var surprise = Math.Max(up, down);
            return Options.Direction == TailDirection.Both ? Math.Max(0, surprise - Math.Log(2)) : surprise;
        }

        var z = (value - baseline.Expected) / baseline.Spread;
        return Options.Direction switch
        {
            TailDirection.Upper => z > 0 ? z + Math.Log(2) : 0,
            TailDirection.Lower => z < 0 ? -z + Math.Log(2) : 0,
            _ => Math.Abs(z),
        };
    }

    /// <summary>ln of the mid-p upper tail of a quasi-Poisson count: half of P(X ≥ x) plus half of P(X ≥ x + 1).</summary>
    private static double LogMidUpper(double x, double mean, double dispersion)
    {
        var a = TailProbability.LogPoissonUpper(x / dispersion, mean / dispersion);
        var b = TailProbability.LogPoissonUpper((x + 1) / dispersion, mean / dispersion);
        return a + Math.Log(0.5 * (1 + Math.Exp(b - a)));
    }

    private static double LogMidLower(double x, double mean, double dispersion)
    {
        var a = TailProbability.LogPoissonLower(x / dispersion, mean / dispersion);
        var b = x >= 1 ? TailProbability.LogPoissonLower((x - 1) / dispersion, mean / dispersion) : double.NegativeInfinity;
        return a + Math.Log(0.5 * (1 + Math.Exp(b - a)));
    }

    /// <summary>
    /// After a notable surprise the detector rests: scores are 0 for <see cref="SeriesDetectorOptions.RestPeriod"/>
    /// updates, so a burst or a shift raises one alarm at its start instead of a run of them.
    /// </summary>
    private double RestAfterAlarm(ref SeriesState state, double surprise)
    {
        var resting = state.SinceNotable < Options.RestPeriod;
        state.SinceNotable = surprise >= Options.RestSurprise ? 0 : Math.Min(state.SinceNotable + 1, int.MaxValue - 1);
        return resting ? 0 : surprise;
    }

    private void Learn(ref SeriesState state, SeasonalPosition at, double value, in Expectation baseline)
    {
        var counts = Options.Kind == SeriesKind.Counts;
        var expected = baseline.Expected;
        var sd = counts ? Math.Sqrt(baseline.Spread * Math.Max(expected, Options.MinimumExpectedCount)) + 1 : baseline.Spread;
        var residual = value - expected;
        var bound = Options.LearningClip * sd;
        var clipped = Math.Clamp(value, expected - bound, expected + bound);
        if (counts)
        {
            clipped = Math.Max(clipped, 0);
        }

        var n = state.Updates + 1;
        var levelStep = Math.Max(levelRate, 1.0 / n);
        var scaleStep = Math.Max(scaleRate, 1.0 / n);
        var oldLevel = state.Level;
        double target;
        if (counts)
        {
            var factor = Math.Max(baseline.Seasonal, 0.2);
            state.Level += levelStep * ((clipped / factor) - state.Level);
            target = oldLevel > Options.MinimumExpectedCount ? Math.Min(clipped / oldLevel, 50) : double.NaN;
            var pearson = Math.Min(residual * residual / Math.Max(expected, Options.MinimumExpectedCount), 100);
            state.Dispersion += scaleStep * (pearson - state.Dispersion);
            LearnBins(ref state, at, target, pearson);
        }
        else
        {
            state.Level += levelStep * (clipped - expected);
            target = clipped - oldLevel;
            var deviation = Math.Min(Math.Abs(residual), 10 * sd);
            state.Scale += scaleStep * (deviation - state.Scale);
            LearnBins(ref state, at, target, Math.Min(Math.Abs(residual), Options.BinScaleClip * sd));
            var step = Math.Abs(value - state.LastValue);
            if (step > 0 && (state.Resolution <= 0 || step < state.Resolution))
            {
                state.Resolution = step;
            }
        }

        TrackShift(ref state, residual, sd, baseline.Seasonal);
    }

    private void LearnBins(ref SeriesState state, SeasonalPosition at, double offsetTarget, double spreadTarget)
    {
        var perDayBin = SamplesPerDayBin(state);
        var perWeekBin = SamplesPerWeekBin(state);
        var nearestDay = at.DayFraction < 0.5 ? at.Day0 : at.Day1;
        var nearestWeek = at.WeekFraction < 0.5 ? at.Week0 : at.Week1;
        state.DayCount[nearestDay] = (byte)Math.Min(state.DayCount[nearestDay] + 1, byte.MaxValue);
        state.WeekCount[nearestWeek] = (byte)Math.Min(state.WeekCount[nearestWeek] + 1, byte.MaxValue);
        var dayFloor = 1 / (Options.DayMemory * perDayBin);
        var weekFloor = 1 / (Options.WeekMemory * perWeekBin);
        var nearestScale = at.ScaleFraction < 0.5 ? at.Scale0 : at.Scale1;
        state.ScaleCount[nearestScale] = (byte)Math.Min(state.ScaleCount[nearestScale] + 1, byte.MaxValue);
        var scaleFloor = 1 / (Options.DayMemory * SamplesPerScaleBin(state));
        var scale0 = (1 - at.ScaleFraction) * Rate(state.ScaleCount[at.Scale0], scaleFloor);
        var scale1 = at.ScaleFraction * Rate(state.ScaleCount[at.Scale1], scaleFloor);
        state.DayScale[at.Scale0] += (float)(scale0 * (spreadTarget - state.DayScale[at.Scale0]));
        state.DayScale[at.Scale1] += (float)(scale1 * (spreadTarget - state.DayScale[at.Scale1]));
        var day0 = (1 - at.DayFraction) * Rate(state.DayCount[at.Day0], dayFloor);
        var day1 = at.DayFraction * Rate(state.DayCount[at.Day1], dayFloor);
        if (double.IsNaN(offsetTarget))
        {
            return;
        }

        state.DayOffset[at.Day0] += (float)(day0 * (offsetTarget - state.DayOffset[at.Day0]));
        state.DayOffset[at.Day1] += (float)(day1 * (offsetTarget - state.DayOffset[at.Day1]));
        var week0 = (1 - at.WeekFraction) * Rate(state.WeekCount[at.Week0], weekFloor);
        var week1 = at.WeekFraction * Rate(state.WeekCount[at.Week1], weekFloor);
        state.WeekOffset[at.Week0] += (float)(week0 * (offsetTarget - state.WeekOffset[at.Week0]));
        state.WeekOffset[at.Week1] += (float)(week1 * (offsetTarget - state.WeekOffset[at.Week1]));
    }

    /// <summary>
    /// Two-sided CUSUM on the standardised residual (clipped, so one spike cannot trip it alone). When a side
    /// crosses the height, the level moves by the mean residual since that side left zero.
    /// </summary>
    private void TrackShift(ref SeriesState state, double residual, double sd, double seasonal)
    {
        var z = Math.Clamp(residual / sd, -4, 4);
        Accumulate(ref state.CusumUp, ref state.ShiftSumUp, ref state.ShiftCountUp, z, residual);
        Accumulate(ref state.CusumDown, ref state.ShiftSumDown, ref state.ShiftCountDown, -z, residual);
        if (state.CusumUp > Options.ShiftThreshold || state.CusumDown > Options.ShiftThreshold)
        {
            var (sum, count) = state.CusumUp > state.CusumDown ? (state.ShiftSumUp, state.ShiftCountUp) : (state.ShiftSumDown, state.ShiftCountDown);
            var shift = sum / Math.Max(count, 1);
            if (Options.Kind == SeriesKind.Counts)
            {
                // The level of counts is deseasonalised: the shift seen at this time of day is divided by its factor.
                state.Level = Math.Max(0, state.Level + (shift / Math.Max(seasonal, 0.2)));
            }
            else
            {
                state.Level += shift;
            }

            state.CusumUp = state.CusumDown = 0;
            state.ShiftSumUp = state.ShiftSumDown = 0;
            state.ShiftCountUp = state.ShiftCountDown = 0;
        }
    }

    private void Accumulate(ref double cusum, ref double sum, ref int count, double z, double residual)
    {
        cusum = Math.Max(0, cusum + z - Options.ShiftSlack);
        if (cusum <= 0)
        {
            sum = 0;
            count = 0;
            return;
        }

        sum += residual;
        count++;
    }

    private static double Rate(byte count, double floor) => Math.Max(1.0 / Math.Max((int)count, 1), floor);

    private static double Visits(byte count0, byte count1, double fraction, double perBin) => Lerp(count0, count1, fraction) / perBin;

    private static double SamplesPerDayBin(in SeriesState state) => Math.Max(1, 86_400.0 / SeriesState.DayBinCount / Math.Max(state.Interval, 1));

    private static double SamplesPerScaleBin(in SeriesState state) => Math.Max(1, 86_400.0 / SeriesState.ScaleBinCount / Math.Max(state.Interval, 1));

    private static double SamplesPerWeekBin(in SeriesState state) => Math.Max(1, 3_600.0 / Math.Max(state.Interval, 1));

    private static double Lerp(double a, double b, double fraction) => a + ((b - a) * fraction);
}
