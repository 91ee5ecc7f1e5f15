namespace Firebreak.Cli;

using System.CommandLine;
using System.Diagnostics;
using Firebreak.Core.Detection;
using Firebreak.Core.Detection.Items;
using Firebreak.Core.Detection.Terms;
using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;
using Firebreak.Core.Scenarios;
using Firebreak.Core.Text;
using Firebreak.Core.Topics.Query;
using Firebreak.Web.Demo;

/// <summary>
/// `firebreak bench terms`: the viral item and emerging term detectors on one thread, over the scenario stream
/// (re-captures and edits included) with the demo workspace's topics, mentions/s and bytes allocated per mention.
/// </summary>
internal static class TermsBench
{
    public static Command Create()
    {
        var mentions = new Option<int>("--mentions") { Description = "Captures to feed (the first tenth warms up and is not timed; fewer than about 2 million end before the tables are full)", DefaultValueFactory = _ => 2_000_000 };
        var command = new Command("terms", "Viral item and emerging term detectors: mentions/s on one thread and bytes allocated per mention.") { mentions };
        command.SetAction(result =>
        {
            var count = result.GetValue(mentions);
            var load = Stopwatch.StartNew();
            var stream = Sample(count);
            load.Stop();
            var fresh = stream.Count(s => s.IsNew);
            var topics = stream.Sum(s => s.Item.TopicIds.Length);
            Console.WriteLine($"Stream: {stream.Length:N0} captures of the airline-crisis scenario over 2 days ({fresh:N0} new mentions, the rest re-captures, edits and repeats), "
                + $"{topics / (double)stream.Length:N2} demo topics matched per capture; prepared in {load.Elapsed.TotalSeconds:N1} s (not timed).");
            Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}. One thread; the first {stream.Length / 10:N0} captures warm up untimed.");
            Console.WriteLine();
            Console.WriteLine("detectors        | captures/s | µs/capture | B/capture    | B/capture      | B/detection | retained MiB | detections");
            Console.WriteLine("                 |  (timed)   |  (timed)   | (quiet ones) | (quiet, last ¼)|             | (after run)  | (whole run)");
            Measure("viral item", stream, viral: true, terms: false);
            Measure("emerging terms", stream, viral: false, terms: true);
            Measure("both", stream, viral: true, terms: true);
            return 0;
        });
        return command;
    }

    /// <summary>
    /// Three timed runs with fresh detectors (the machine may be shared; the fastest counts), then one untimed run
    /// that reads the allocation counter around every capture, so the hot path (captures that reveal nothing) and
    /// the detections are told apart, and the last quarter (tables long full) shows the steady state.
    /// </summary>
    private static void Measure(string label, Capture[] stream, bool viral, bool terms)
    {
        var warm = stream.Length / 10;
        var best = TimeSpan.MaxValue;
        for (var run = 0; run < 3; run++)
        {
            var clock = new SteppedClock();
            var items = new ViralItemDetector(clock);
            var words = new EmergingTermDetector(clock);
            var detections = new List<Detection>();
            Feed(stream.AsSpan(0, warm), items, words, viral, terms, clock, detections);
            var timer = Stopwatch.StartNew();
            Feed(stream.AsSpan(warm), items, words, viral, terms, clock, detections);
            timer.Stop();
            best = timer.Elapsed < best ? timer.Elapsed : best;
        }

        var costs = Account(stream, viral, terms);
        var measured = stream.Length - warm;
        Console.WriteLine($"{label,-16} | {measured / best.TotalSeconds,10:N0} | {best.TotalMicroseconds / measured,10:N2} | {costs.HotPath,12:N2} | {costs.HotPathSteady,14:N2} | {costs.PerDetection,11:N0} | {costs.RetainedMiB,12:N1} | {costs.Detections,10:N0}");
    }

    private static (double HotPath, double HotPathSteady, double PerDetection, double RetainedMiB, int Detections) Account(Capture[] stream, bool viral, bool terms)
    {
        var clock = new SteppedClock();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var items = new ViralItemDetector(clock);
        var words = new EmergingTermDetector(clock);
        var detections = new List<Detection>(4_096);
        var warm = stream.Length / 10;
        var tail = stream.Length - (stream.Length / 4);
        long quiet = 0, quietSteady = 0, firing = 0;
        int quietCount = 0, quietSteadyCount = 0, found = 0;
        for (var i = 0; i < stream.Length; i++)
        {
            var bytes = GC.GetAllocatedBytesForCurrentThread();
            var count = detections.Count;
            Feed(stream.AsSpan(i, 1), items, words, viral, terms, clock, detections);
            bytes = GC.GetAllocatedBytesForCurrentThread() - bytes;
            if (detections.Count > count)
            {
                found += detections.Count - count;
                firing += bytes;
                detections.Clear();
            }
            else if (i >= warm)
            {
                (quiet, quietCount) = (quiet + bytes, quietCount + 1);
                if (i >= tail)
                {
                    (quietSteady, quietSteadyCount) = (quietSteady + bytes, quietSteadyCount + 1);
                }
            }
        }

        var retained = GC.GetTotalMemory(forceFullCollection: true) - before;
        GC.KeepAlive(items);
        GC.KeepAlive(words);
        return (quiet / (double)quietCount, quietSteady / (double)quietSteadyCount, found == 0 ? 0 : firing / (double)found, retained / 1048576.0, found);
    }

    private static void Feed(ReadOnlySpan<Capture> captures, ViralItemDetector items, EmergingTermDetector words, bool viral, bool terms, SteppedClock clock, List<Detection> detections)
    {
        foreach (ref readonly var capture in captures)
        {
            clock.Now = capture.Item.CapturedAt;
            if (viral)
            {
                items.Observe(capture.Item, detections);
            }

            if (terms && capture.IsNew)
            {
                words.Observe(capture.Text, detections);
            }
        }
    }

    /// <summary>The scenario's captures, normalised as ingest would (captured when delivered), with the demo topics matched.</summary>
    private static Capture[] Sample(int count)
    {
        var generator = new ScenarioGenerator(BenchCommand.TwoBusyDays(count));
        var clock = new SteppedClock();
        var normaliser = new MentionNormaliser(clock);
        var index = TopicIndex.Build(DemoWorkspaceService.Topics.Select((t, i) => ((long)(i + 1), QueryParser.Parse(t.Query).Query!)));
        var subject = new MatchSubject();
        var tokenizer = new Tokenizer();
        var matched = new List<long>();
        var seen = new HashSet<(Platform, string)>();
        var captures = new List<Capture>(count);
        while (captures.Count < count && generator.NextCaptureAt is { } at)
        {
            var input = generator.Next()!;
            clock.Now = at;
            if (!normaliser.TryNormalise(1, input, null, out var mention, out _))
            {
                continue;
            }

            mention!.Id = captures.Count + 1;
            subject.Load(mention, tokenizer);
            matched.Clear();
            index.Match(subject, matched);
            long[] topicIds = [.. matched];
            var isNew = seen.Add((mention.Platform, mention.ExternalId));
            captures.Add(new Capture(ItemObservation.Of(mention, topicIds), TermObservation.Of(mention, topicIds), isNew));
        }

        return [.. captures];
    }

    private readonly record struct Capture(ItemObservation Item, TermObservation Text, bool IsNew);

    private sealed class SteppedClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
