namespace Firebreak.Core.Scenarios;

/// <summary>
/// The arrival intensity: a weekly table (daily rhythm with morning and evening peaks, weekend dip)
/// plus the crisis burst (an optional jump at the viral post, a quadratic ramp to the peak, then exponential decay). Arrivals are a
/// non-homogeneous Poisson process, integrated minute by minute so a sharp ramp is not skipped.
/// </summary>
internal sealed class ArrivalModel
{
    private const int MinutesPerWeek = 7 * 24 * 60;

    // Local-hour shape relative to the daily peak: night trough ~20%, peaks at 9h and 19-20h.
    private static readonly double[] HourShape =
    [
        0.34, 0.25, 0.20, 0.20, 0.20, 0.25, 0.42, 0.70, 0.92, 1.00, 0.88, 0.80,
        0.84, 0.80, 0.75, 0.74, 0.80, 0.90, 0.97, 1.00, 1.00, 0.90, 0.70, 0.50,
    ];

    private const double WeekendFactor = 0.78;

    private static readonly double[] WeeklyShape = BuildWeeklyShape();

    private readonly double basePerSecond;
    private readonly int startMinuteOfWeek;
    private readonly double crisisStartSec;
    private readonly double crisisRampSec;
    private readonly double crisisEndSec;
    private readonly double crisisTauSec;
    private readonly double crisisPeakPerSecond;
    private readonly double crisisOnset;
    private long cachedMinute = -1;
    private double cachedTotal;
    private double cachedCrisis;

    public ArrivalModel(ScenarioOptions options)
    {
        basePerSecond = options.BaseRatePerMinute / 60.0;
        var local = options.Start.UtcDateTime + options.UtcOffset;
        var dayIndex = ((int)local.DayOfWeek + 6) % 7; // Monday = 0
        startMinuteOfWeek = (dayIndex * 24 * 60) + (local.Hour * 60) + local.Minute;
        if (options.CrisisStart is { } crisis)
        {
            crisisStartSec = crisis.TotalSeconds;
            crisisRampSec = Math.Max(60, options.CrisisRamp.TotalSeconds);
            crisisEndSec = crisisStartSec + Math.Max(crisisRampSec, options.CrisisDuration.TotalSeconds);
            crisisTauSec = Math.Max(60, (crisisEndSec - crisisStartSec - crisisRampSec) / 3.0);
            crisisPeakPerSecond = basePerSecond * options.CrisisPeakMultiplier;
            crisisOnset = Math.Clamp(options.CrisisOnset, 0, 1);
        }
        else
        {
            crisisStartSec = double.PositiveInfinity;
            crisisEndSec = double.NegativeInfinity;
        }
    }

    /// <summary>Probability that an arrival in the current minute belongs to the crisis.</summary>
    public double CrisisFraction(double atSecond)
    {
        Refresh((long)(atSecond / 60.0));
        return cachedTotal > 0 ? cachedCrisis / cachedTotal : 0;
    }

    /// <summary>Time of the next arrival after <paramref name="fromSecond"/> (time rescaling by minute).</summary>
    public double NextArrival(double fromSecond, ScenarioRandom random)
    {
        var budget = random.NextExponential();
        var t = fromSecond;
        while (true)
        {
            var minute = (long)(t / 60.0);
            Refresh(minute);
            var minuteEnd = (minute + 1) * 60.0;
            var available = (minuteEnd - t) * cachedTotal;
            if (budget <= available)
            {
                return t + (budget / cachedTotal);
            }

            budget -= available;
            t = minuteEnd;
        }
    }

    private void Refresh(long minute)
    {
        if (minute == cachedMinute)
        {
            return;
        }

        cachedMinute = minute;
        var baseline = basePerSecond * WeeklyShape[(int)((startMinuteOfWeek + minute) % MinutesPerWeek)];
        cachedCrisis = CrisisRate((minute * 60.0) + 30.0);
        cachedTotal = baseline + cachedCrisis;
    }

    private double CrisisRate(double second)
    {
        if (second < crisisStartSec || second >= crisisEndSec)
        {
            return 0;
        }

        var s = second - crisisStartSec;
        if (s < crisisRampSec)
        {
            var x = s / crisisRampSec;
            return crisisPeakPerSecond * (crisisOnset + ((1 - crisisOnset) * x * x));
        }

        return crisisPeakPerSecond * Math.Exp(-(s - crisisRampSec) / crisisTauSec);
    }

    private static double[] BuildWeeklyShape()
    {
        var table = new double[MinutesPerWeek];
        var sum = 0.0;
        for (var m = 0; m < MinutesPerWeek; m++)
        {
            var day = m / (24 * 60);
            // Interpolate between hour centres so the rate has no hourly steps.
            var hour = ((m % (24 * 60)) / 60.0) - 0.5;
            var h0 = (int)Math.Floor(hour);
            var frac = hour - h0;
            var a = HourShape[(h0 + 24) % 24];
            var b = HourShape[(h0 + 1) % 24];
            var value = (a + ((b - a) * frac)) * (day >= 5 ? WeekendFactor : 1.0);
            table[m] = value;
            sum += value;
        }

        // Normalised so BaseRatePerMinute is the weekly average.
        var mean = sum / MinutesPerWeek;
        for (var m = 0; m < MinutesPerWeek; m++)
        {
            table[m] /= mean;
        }

        return table;
    }
}
