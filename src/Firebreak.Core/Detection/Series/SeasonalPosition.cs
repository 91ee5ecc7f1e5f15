namespace Firebreak.Core.Detection.Series;

/// <summary>
/// Where a moment falls in the daily and weekly profiles, in UTC. A value lies between two bin centres and
/// is read and learned by linear interpolation between them, so a rhythm finer than the bins (a 10:00–10:15
/// peak) is approximated smoothly instead of as a staircase.
/// </summary>
internal readonly record struct SeasonalPosition(int Day0, int Day1, double DayFraction, int Scale0, int Scale1, double ScaleFraction, int Week0, int Week1, double WeekFraction)
{
    // 1970-01-05 00:00 UTC, four days after the epoch, was a Monday: hour-of-week 0.
    private const long MondayOffsetSeconds = 4 * 86_400;

    public static SeasonalPosition At(long unixSeconds)
    {
        var secondsOfWeek = ((unixSeconds - MondayOffsetSeconds) % (7 * 86_400) + (7 * 86_400)) % (7 * 86_400);
        var hourOfWeek = secondsOfWeek / 3600.0;
        var (week0, week1, weekFraction) = Interpolate(hourOfWeek, SeriesState.WeekBinCount);
        var dayPosition = (hourOfWeek % 24.0) * SeriesState.DayBinCount / 24.0;
        var (day0, day1, dayFraction) = Interpolate(dayPosition, SeriesState.DayBinCount);
        var (scale0, scale1, scaleFraction) = Interpolate(hourOfWeek % 24.0 * SeriesState.ScaleBinCount / 24.0, SeriesState.ScaleBinCount);
        return new SeasonalPosition(day0, day1, dayFraction, scale0, scale1, scaleFraction, week0, week1, weekFraction);
    }

    /// <summary>Hour-of-week (0 = Monday 00:00 UTC) of a moment, for explanations.</summary>
    public static int HourOfWeek(long unixSeconds) => (int)(((unixSeconds - MondayOffsetSeconds) % (7 * 86_400) + (7 * 86_400)) % (7 * 86_400) / 3600);

    private static (int Low, int High, double Fraction) Interpolate(double position, int bins)
    {
        // Bin i is centred at i + 0.5.
        var u = position - 0.5;
        var floor = Math.Floor(u);
        var low = (int)(((long)floor % bins + bins) % bins);
        return (low, (low + 1) % bins, u - floor);
    }
}
