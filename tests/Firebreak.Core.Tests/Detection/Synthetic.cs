namespace Firebreak.Core.Tests.Detection;

/// <summary>Seeded series with known answers: Poisson counts with a daily rhythm, Gaussian values.</summary>
internal static class Synthetic
{
    /// <summary>Monday 2026-01-05 00:00 UTC: day 0 of every synthetic series.</summary>
    public static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    public static long Minute(int index) => Start.ToUnixTimeSeconds() + (60L * index);

    /// <summary>Knuth's method for small means, a rounded normal for large ones.</summary>
    public static int Poisson(Random random, double mean)
    {
        if (mean > 50)
        {
            return Math.Max(0, (int)Math.Round(mean + (Math.Sqrt(mean) * Normal(random))));
        }

        var limit = Math.Exp(-mean);
        var product = random.NextDouble();
        var count = 0;
        while (product > limit)
        {
            count++;
            product *= random.NextDouble();
        }

        return count;
    }

    public static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>Mean mentions per minute at a minute of the day: quiet nights, a broad afternoon peak of ten times the night.</summary>
    public static double DailyRate(int minuteOfDay, double peak)
    {
        var hours = minuteOfDay / 60.0;
        var shape = Math.Exp(-Math.Pow((hours - 14) / 3.5, 2));
        return peak * (0.1 + (0.9 * shape));
    }

    /// <summary>Days of per-minute Poisson counts with the daily rhythm.</summary>
    public static int[] RhythmicCounts(int days, double peak, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, days * 1_440).Select(i => Poisson(random, DailyRate(i % 1_440, peak)))];
    }
}
