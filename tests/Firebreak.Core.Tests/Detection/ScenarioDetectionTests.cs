using Firebreak.Core.Detection;
using Firebreak.Core.Detection.Items;
using Firebreak.Core.Detection.Terms;
using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;
using Firebreak.Core.Scenarios;
using Firebreak.Core.Tests.Ingestion;

// This namespace is called Detection too, which hides the record's simple name.
using Finding = Firebreak.Core.Detection.Detection;

namespace Firebreak.Core.Tests.Detection;

/// <summary>
/// Both detectors over the generated airline crisis (two days, 20 mentions a minute, as docs/early-warning-items-terms.md
/// describes): quiet on the ordinary day, quick on the crisis.
/// </summary>
public sealed class ScenarioDetectionTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public void AirlineCrisis_QuietBefore_FoundWithinMinutes()
    {
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var options = new ScenarioOptions { Start = start, Duration = TimeSpan.FromDays(2), BaseRatePerMinute = 20, CrisisStart = TimeSpan.FromDays(1.4) };
        var crisis = start + options.CrisisStart!.Value;
        var generator = new ScenarioGenerator(options);
        var clock = new FixedClock(start);
        var normaliser = new MentionNormaliser(clock);
        var viral = new ViralItemDetector(clock);
        var terms = new EmergingTermDetector(clock);
        var found = new List<Finding>();
        var seen = new HashSet<(Platform, string)>();
        long id = 0;
        while (generator.NextCaptureAt is { } at)
        {
            var input = generator.Next()!;
            clock.Now = at;
            if (!normaliser.TryNormalise(1, input, null, out var mention, out _))
            {
                continue;
            }

            mention!.Id = ++id;
            viral.Observe(ItemObservation.Of(mention, []), found);
            if (seen.Add((mention.Platform, mention.ExternalId)))
            {
                terms.Observe(TermObservation.Of(mention, []), found);
            }
        }

        // The figures docs/early-warning-items-terms.md quotes.
        output.WriteLine($"viral items: {found.Count(d => d.Signal == DetectionSignal.ViralItem)}, before the crisis {found.Count(d => d.Signal == DetectionSignal.ViralItem && d.DetectedAt < crisis)}; emerging terms: {found.Count(d => d.Signal == DetectionSignal.EmergingTerm)}");
        foreach (var d in found.Where(d => d.Signal == DetectionSignal.ViralItem && (d.DetectedAt < crisis || d.Explanation.StartsWith("post by @idrisbakare ", StringComparison.Ordinal))))
        {
            output.WriteLine($"{d.DetectedAt:u} {d.Severity} {d.Explanation}");
        }

        Assert.DoesNotContain(found, d => d.Signal == DetectionSignal.EmergingTerm && d.DetectedAt < crisis);
        Assert.InRange(found.Count(d => d.Signal == DetectionSignal.ViralItem && d.DetectedAt < crisis), 0, 3);
        var post = found.First(d => d.Signal == DetectionSignal.ViralItem && d.Explanation.StartsWith("post by @idrisbakare ", StringComparison.Ordinal));
        Assert.InRange(post.DetectedAt, crisis, crisis.AddMinutes(10));
        Assert.True(post.Severity >= DetectionSeverity.High, post.Severity.ToString());
        var tag = found.First(d => d.Dimension == "#boycottauroraair");
        Assert.InRange(tag.DetectedAt, crisis, crisis.AddMinutes(10));
    }
}
