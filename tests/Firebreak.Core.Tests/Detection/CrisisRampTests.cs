namespace Firebreak.Core.Tests.Detection;

using Firebreak.Core.Detection;
using Firebreak.Core.Detection.Monitoring;
using Firebreak.Core.Ingestion;
using Xunit.Abstractions;

/// <summary>
/// A crisis is not a spike: it builds. Two calm days of Poisson minutes (20 mentions, 30% negative), then a
/// quadratic ramp to 26× over 40 minutes with negativity rising to 80%, as in the demo scenario.
/// </summary>
public sealed class CrisisRampTests(ITestOutputHelper output)
{
    [Fact]
    public void A_building_crisis_is_raised_within_twenty_minutes_and_the_calm_days_stay_quiet()
    {
        var calm = new List<string>();
        var crisis = new List<(int Minute, string Finding)>();
        var start = new DateTimeOffset(2026, 1, 3, 10, 0, 0, TimeSpan.Zero);
        var clock = new ProbeClock { Now = start };
        var monitor = new TopicSeriesMonitor(clock);
        var random = new Random(3);
        for (var m = 0; m < 2 * 1440 + 40; m++)
        {
            var at = start.AddMinutes(m);
            clock.Now = at.AddSeconds(70);
            var x = Math.Max(0, m - 2 * 1440) / 40.0;
            var rate = 20.0 * (1 + 25 * x * x);
            var n = Poisson(random, rate);
            var negRate = m >= 2 * 1440 ? 0.3 + 0.5 * Math.Min(1, x * 4) : 0.3;
            var neg = 0;
            for (var i = 0; i < n; i++) { if (random.NextDouble() < negRate) neg++; }
            var found = monitor.Observe(new TopicMinute(1, 0, at, new RollupCounts { Count = n, Negative = neg, Neutral = n - neg, Reach = n * 100 }, neg * 100, [], []));
            foreach (var finding in found.Where(f => f.Severity >= DetectionSeverity.Medium))
            {
                if (m < 2 * 1440)
                {
                    calm.Add($"{at:u} {finding.Signal} {finding.Severity}: {finding.Explanation}");
                }
                else
                {
                    crisis.Add((m - (2 * 1440), $"{finding.Signal} {finding.Severity}: {finding.Explanation}"));
                }
            }
        }

        output.WriteLine(string.Join('\n', crisis.Take(10).Select(c => $"+{c.Minute} min {c.Finding}")));
        Assert.Empty(calm);
        Assert.Contains(crisis, c => c.Minute <= 20 && c.Finding.StartsWith("NegativeVolume", StringComparison.Ordinal));
    }

    private static int Poisson(Random r, double lambda)
    {
        var l = Math.Exp(-Math.Min(lambda, 500));
        if (lambda > 500) return (int)Math.Round(lambda + Math.Sqrt(lambda) * (r.NextDouble() - 0.5) * 3.4);
        var k = 0; var p = 1.0;
        do { k++; p *= r.NextDouble(); } while (p > l);
        return k - 1;
    }

    private sealed class ProbeClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
