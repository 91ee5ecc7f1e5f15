using System.CommandLine;
using System.Diagnostics;
using Firebreak.Core.Detection.Monitoring;
using Firebreak.Core.Detection.Series;
using Firebreak.Core.Ingestion;

namespace Firebreak.Cli;

/// <summary>
/// `firebreak bench detectors`: series updates per second on one thread, bytes allocated per update, and the
/// memory a tracked series costs (the state alone, and inside the topic monitor).
/// </summary>
internal static class DetectorBench
{
    public static Command Create()
    {
        var series = new Option<int>("--series") { Description = "Series updated round-robin (one state each)", DefaultValueFactory = _ => 10_000 };
        var minutes = new Option<int>("--minutes") { Description = "Updates per series (one a minute of data)", DefaultValueFactory = _ => 1_440 };
        var topics = new Option<int>("--topics") { Description = "Topics fed to the monitor (7 series each: 4 signals, 2 platforms, 1 language)", DefaultValueFactory = _ => 1_000 };
        var command = new Command("detectors", "Online series detectors: updates/s on one core, allocation per update, memory per series.") { series, minutes, topics };
        command.SetAction(result =>
        {
            Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}; one thread.");
            Console.WriteLine($"SeriesState: {SeriesState.SizeInBytes:N0} bytes per series (fixed-size struct, no reference inside).");
            foreach (var kind in new[] { SeriesKind.Counts, SeriesKind.Values })
            {
                MeasureDetector(kind, result.GetValue(series), result.GetValue(minutes));
            }

            MeasureStateMemory(result.GetValue(series));
            MeasureMonitor(result.GetValue(topics), result.GetValue(minutes));
            return 0;
        });
        return command;
    }

    /// <summary>Round-robin over many states, as the monitor does each minute: caches are cold, as in production.</summary>
    private static void MeasureDetector(SeriesKind kind, int seriesCount, int minutes)
    {
        var detector = new SeriesDetector(SeriesDetectorOptions.Default with { Kind = kind, Direction = kind == SeriesKind.Counts ? TailDirection.Upper : TailDirection.Both });
        var states = new SeriesState[seriesCount];
        var values = Values(kind, minutes, seed: 1);
        var start = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();

        // Warm up (JIT, and the series past their cold start), then measure the rest on this thread only.
        var warm = Math.Min(200, minutes / 4);
        Run(detector, states, values, start, 0, warm);
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        var anomalies = Run(detector, states, values, start, warm, minutes);
        clock.Stop();
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        var updates = (long)seriesCount * (minutes - warm);
        Console.WriteLine($"{kind,-6}: {updates / clock.Elapsed.TotalSeconds,12:N0} updates/s on one thread ({updates:N0} updates of {seriesCount:N0} series in {clock.Elapsed.TotalSeconds:N2} s); "
            + $"{allocated / (double)updates:N2} bytes allocated per update; {anomalies:N0} readings with a severity.");
    }

    private static long Run(SeriesDetector detector, SeriesState[] states, double[] values, long start, int from, int to)
    {
        long anomalies = 0;
        for (var minute = from; minute < to; minute++)
        {
            var time = start + (60L * minute);
            for (var s = 0; s < states.Length; s++)
            {
                // Each series reads the shared pattern at its own offset, so they are not in lock-step.
                var reading = detector.Update(ref states[s], time, values[(minute + (s * 37)) % values.Length]);
                anomalies += reading.Severity is null ? 0 : 1;
            }
        }

        return anomalies;
    }

    /// <summary>Measured, not computed: managed heap growth for an array of N states.</summary>
    private static void MeasureStateMemory(int seriesCount)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var states = new SeriesState[seriesCount];
        var detector = new SeriesDetector();
        for (var s = 0; s < states.Length; s++)
        {
            detector.Update(ref states[s], 0, s);
        }

        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(states);
        Console.WriteLine($"Memory: {(after - before) / (double)seriesCount:N0} bytes per series for {seriesCount:N0} states in an array (GC.GetTotalMemory before and after).");
    }

    /// <summary>The whole monitor: topic-minutes per second, and heap per tracked series including its bookkeeping.</summary>
    private static void MeasureMonitor(int topicCount, int minutes)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var monitor = new TopicSeriesMonitor(TimeProvider.System, new TopicSeriesMonitorOptions { MaxSeriesPerWorkspace = topicCount * 8 });
        var counts = Values(SeriesKind.Counts, minutes, seed: 2);
        SliceCount[][] platforms = [.. Enumerable.Range(0, counts.Length).Select(i => new SliceCount[] { new("x", (long)(counts[i] * 0.6)), new("reddit", (long)counts[i] - (long)(counts[i] * 0.6)) })];
        SliceCount[][] languages = [.. Enumerable.Range(0, counts.Length).Select(i => new SliceCount[] { new("en", (long)counts[i]) })];
        var start = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
        Feed(monitor, topicCount, counts, platforms, languages, start, 0, 1);
        var created = GC.GetTotalMemory(forceFullCollection: true);
        var series = monitor.TrackedSeriesCount(1);
        var warm = Math.Min(200, minutes / 4);
        Feed(monitor, topicCount, counts, platforms, languages, start, 1, warm);
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        var detections = Feed(monitor, topicCount, counts, platforms, languages, start, warm, minutes);
        clock.Stop();
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        var observed = (long)topicCount * (minutes - warm);
        Console.WriteLine($"Monitor: {(created - before) / (double)series:N0} bytes per tracked series ({series:N0} series of {topicCount:N0} topics, heap measured); "
            + $"{observed / clock.Elapsed.TotalSeconds:N0} topic-minutes/s = {observed * series / topicCount / clock.Elapsed.TotalSeconds:N0} series updates/s on one thread; "
            + $"{allocated / (double)observed:N1} bytes allocated per topic-minute ({detections:N0} detections, which do allocate).");
    }

    private static long Feed(TopicSeriesMonitor monitor, int topicCount, double[] counts, SliceCount[][] platforms, SliceCount[][] languages, DateTimeOffset start, int from, int to)
    {
        long detections = 0;
        for (var minute = from; minute < to; minute++)
        {
            for (var topic = 0; topic < topicCount; topic++)
            {
                var i = (minute + (topic * 37)) % counts.Length;
                var count = (long)counts[i];
                var rollup = new RollupCounts { Count = count, Negative = count / 5, Neutral = count / 2, Positive = count - (count / 5) - (count / 2), Reach = count * 300 };
                detections += monitor.Observe(new TopicMinute(1, topic, start.AddMinutes(minute), rollup, rollup.Negative * 300, platforms[i], languages[i])).Count;
            }
        }

        return detections;
    }

    /// <summary>A day-rhythmic pattern: Poisson counts (peak 30 a minute) or noisy values, with a few bursts.</summary>
    private static double[] Values(SeriesKind kind, int minutes, int seed)
    {
        var random = new Random(seed);
        var values = new double[Math.Max(minutes, 1_440)];
        for (var i = 0; i < values.Length; i++)
        {
            var hours = i % 1_440 / 60.0;
            var mean = 30 * (0.1 + (0.9 * Math.Exp(-Math.Pow((hours - 14) / 3.5, 2))));
            if (i % 997 == 500)
            {
                mean *= 8;
            }

            values[i] = kind == SeriesKind.Counts ? Arrivals(random, mean) : mean + (Math.Sqrt(mean) * (random.NextDouble() - 0.5) * 3);
        }

        return values;
    }

    /// <summary>A Poisson count as the arrivals of a unit-rate process before <paramref name="mean"/>.</summary>
    private static int Arrivals(Random random, double mean)
    {
        var count = 0;
        for (var time = -Math.Log(1 - random.NextDouble()); time < mean; time -= Math.Log(1 - random.NextDouble()))
        {
            count++;
        }

        return count;
    }
}
