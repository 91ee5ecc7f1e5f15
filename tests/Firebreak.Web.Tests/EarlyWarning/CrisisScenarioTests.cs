namespace Firebreak.Web.Tests.EarlyWarning;

using Firebreak.Core.Alerts;
using Firebreak.Core.Detection;
using Firebreak.Core.Detection.Live;
using Firebreak.Core.Ingestion;
using Firebreak.Core.Scenarios;
using Firebreak.Core.Workspaces;
using Firebreak.Storage;
using Firebreak.Web.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

/// <summary>
/// The airline scenario (two calm days, then a customer's complaint going viral) replayed in simulated time
/// through the real pipeline: text analysis, store, detect stage, live detectors. What the default alert rules
/// would raise must stay silent on the calm days and fire soon after the burst starts (measured and printed).
/// </summary>
public sealed class CrisisScenarioTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Start = new(2026, 1, 3, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan CrisisAt = TimeSpan.FromDays(2);

    [Fact]
    public async Task Replayed_gradual_crisis_alerts_within_three_minutes_and_the_calm_days_raise_nothing()
    {
        // The default scenario: a burst that grows from nothing (1.6% extra volume in its first minute) and a viral
        // post first re-captured 2 minutes in. No detector can see it within 60 s: the evidence is not there yet.
        // Measured: 120 s (the post at its first re-capture); guarded here at 3 minutes, figure in docs/early-warning.md.
        var first = await FirstAlertAfterBurstAsync(new ScenarioOptions { Start = Start, Duration = CrisisAt + TimeSpan.FromMinutes(30), CrisisStart = CrisisAt });
        Assert.True(first.Delay <= TimeSpan.FromMinutes(3), $"first alert {first.Delay.TotalSeconds:N0} s after the burst began: {first.Explanation}");
    }

    [Fact]
    public async Task Replayed_sudden_burst_alerts_within_sixty_seconds_and_the_calm_days_raise_nothing()
    {
        // The requirement: delivered within 60 s (simulated time) of the burst's start. The same crisis as it
        // starts when a big account posts it (ScenarioCatalog.SuddenBurst: a fifth of the peak at once).
        var scenario = ScenarioCatalog.Create(ScenarioCatalog.SuddenBurst, Start) with { Duration = CrisisAt + TimeSpan.FromMinutes(10), CrisisStart = CrisisAt };
        var first = await FirstAlertAfterBurstAsync(scenario);
        Assert.True(first.Delay <= TimeSpan.FromSeconds(60), $"first alert {first.Delay.TotalSeconds:N0} s after the burst began: {first.Explanation}");
    }

    /// <summary>
    /// Replays the scenario, checks the calm days raise nothing the default rules would alert on, and returns how long
    /// after the burst's start (simulated time) the first finding a default rule alerts on came out.
    /// </summary>
    private async Task<(TimeSpan Delay, string Explanation)> FirstAlertAfterBurstAsync(ScenarioOptions scenario)
    {
        var found = await ReplayAsync(scenario);
        var crisis = scenario.Start + scenario.CrisisStart!.Value;
        var rules = DefaultAlertRules.For(1, []);
        var alerting = found.Where(f => rules.Any(r => r.Matches(f.Detection.TopicId, f.Detection.Signal, f.Detection.Severity))).ToList();
        foreach (var (detection, at) in found.Where(f => f.Detection.BucketStart >= crisis.AddMinutes(-5)).Take(40))
        {
            output.WriteLine($"{at:u} {detection.Signal} {detection.Severity} [{detection.Dimension}] {detection.Explanation}");
        }

        foreach (var group in found.GroupBy(f => (f.Detection.Signal, f.Detection.Severity, f.Detection.BucketStart >= crisis)))
        {
            output.WriteLine($"{group.Key}: {group.Count()}");
        }

        var calm = alerting.Where(f => f.Detection.BucketStart < crisis).ToList();
        Assert.True(calm.Count == 0, $"{calm.Count} alerts on the calm days, first: {calm.FirstOrDefault().Detection?.Explanation}");
        var first = alerting.FirstOrDefault(f => f.Detection.BucketStart >= crisis);
        Assert.NotNull(first.Detection);
        foreach (var bySignal in alerting.Where(f => f.Detection.BucketStart >= crisis).GroupBy(f => f.Detection.Signal))
        {
            var earliest = bySignal.First();
            output.WriteLine($"first {bySignal.Key} alert {(earliest.At - crisis).TotalSeconds:N0} s after the burst began: {earliest.Detection.Severity} {earliest.Detection.Explanation}");
        }

        output.WriteLine($"first default-rule alert {(first.At - crisis).TotalSeconds:N0} s after the burst began: {first.Detection.Signal} {first.Detection.Severity} {first.Detection.Explanation}");
        return (first.At - crisis, first.Detection.Explanation);
    }

    /// <summary>Feeds the scenario in simulated time; returns each finding with the simulated time it came out.</summary>
    private static async Task<List<(Detection Detection, DateTimeOffset At)>> ReplayAsync(ScenarioOptions scenario)
    {
        var data = Directory.CreateTempSubdirectory("firebreak-crisis-");
        var clock = new SimulatedClock(scenario.Start);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddLogging();
        services.AddStore(new FirebreakOptions { DataDirectory = data.FullName, DurableCommits = false });
        services.AddIngestion();
        await using var provider = services.BuildServiceProvider();
        try
        {
            await provider.GetRequiredService<IStoreDatabase>().MigrateAsync();
            var pipeline = provider.GetRequiredService<IngestPipeline>();
            pipeline.Start();
            var workspace = (await provider.GetRequiredService<IWorkspaceStore>().AddAsync("aurora", "Aurora Air", "UTC", CancellationToken.None))!;
            var detector = provider.GetRequiredService<LiveDetector>();
            var generator = new ScenarioGenerator(scenario);
            var found = new List<(Detection, DateTimeOffset)>();
            var step = TimeSpan.FromSeconds(5);
            var batch = new List<MentionInput>();
            MentionInput? next = generator.TryNext(out var first) ? first : null;
            for (var now = scenario.Start + step; next is not null; now += step)
            {
                clock.Now = now;
                batch.Clear();
                while (next is not null && next.CreatedAt <= now)
                {
                    batch.Add(next);
                    next = generator.TryNext(out var following) ? following : null;
                }

                if (batch.Count > 0)
                {
                    await pipeline.IngestAsync(IngestBatch.FromInputs(workspace.Id, [.. batch]));
                }

                detector.CloseDueMinutes();
                found.AddRange(detector.Drain().Select(d => (d, now)));
            }

            await pipeline.DrainAsync();
            return found;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            data.Delete(recursive: true);
        }
    }

    private sealed class SimulatedClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
