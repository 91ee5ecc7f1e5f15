namespace Firebreak.Cli;

using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Firebreak.Bench;
using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;
using Firebreak.Core.Scenarios;
using Spectre.Console;

/// <summary>
/// `firebreak bench`: throughput and latency figures on this machine. Every run builds its own store in a
/// temporary folder, so figures are comparable between runs and never touch a real data folder.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Measure ingest throughput, time-series latency, text analysis and detectors; prints figures.");
        command.Subcommands.Add(Ingest());
        command.Subcommands.Add(Series());
        command.Subcommands.Add(TextBench.Create());
        command.Subcommands.Add(LatencyBench.Create());
        command.Subcommands.Add(TermsBench.Create());
        command.Subcommands.Add(DetectorBench.Create());
        command.Subcommands.Add(ConnectorBench.Create());
        return command;
    }

    private static Command Ingest()
    {
        var mentions = new Option<int>("--mentions") { Description = "Mentions per run", DefaultValueFactory = _ => 200_000 };
        var topics = new Option<string>("--topics") { Description = "Comma-separated topic counts, one run (and one process) each", DefaultValueFactory = _ => "10,50,100,1000" };
        var durable = new Option<bool>("--durable") { Description = "fsync every commit (synchronous=FULL, the server default)", DefaultValueFactory = _ => true };
        var stream = new Option<string?>("--stream") { Description = "Reuse this NDJSON file instead of generating one", Hidden = true };
        var postgres = new Option<string?>("--postgres") { Description = "Ingest into PostgreSQL instead: a server connection string; each run creates (and drops) its own database there" };
        var command = new Command("ingest", "End-to-end NDJSON ingest through every stage into SQLite (or PostgreSQL with --postgres).") { mentions, topics, durable, stream, postgres };
        command.SetAction(async (result, ct) =>
        {
            var count = result.GetValue(mentions);
            var counts = result.GetValue(topics)!.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToArray();
            var root = Directory.CreateTempSubdirectory("firebreak-bench-");
            try
            {
                if (result.GetValue(stream) is { } given)
                {
                    // A child run: one topic count, in a fresh process, so its peak RSS is its own.
                    var sample = File.ReadLines(given).Take(5_000).Select(l => JsonSerializer.Deserialize(l, IngestJsonContext.Default.MentionInput)!).ToList();
                    var figures = await RunIngestAsync(Path.Combine(root.FullName, "data"), given, counts[0], sample, result.GetValue(durable), result.GetValue(postgres), ct);
                    Console.WriteLine($"{counts[0],6} | {figures.Rate,10:N0} | {figures.Seconds,7:N2} | {figures.PeakRssMiB,12:N0} | {figures.MatchesPerMention,21:N2} | {string.Join(' ', figures.Stages.Select(s => s.TotalSeconds.ToString("N2", CultureInfo.InvariantCulture)))}");
                    return 0;
                }

                var file = Path.Combine(root.FullName, "stream.ndjson");
                WriteStream(file, count);
                Console.WriteLine($"Stream: {count:N0} mentions, {new FileInfo(file).Length / 1048576.0:N1} MiB NDJSON, airline-crisis scenario over 2 days (10 languages), durable commits: {result.GetValue(durable)}.");
                var store = result.GetValue(postgres) is { } server ? $"PostgreSQL at {new Npgsql.NpgsqlConnectionStringBuilder(server).Host}" : $"SQLite {Storage.Sqlite.SqliteDatabase.SqliteVersion()}";
                Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {store}. Each row is a separate process.");
                Console.WriteLine();
                Console.WriteLine("topics | mentions/s | seconds | peak RSS MiB | topic matches/mention | stage busy seconds (parse normalise dedupe analyse match persist detect publish)");
                foreach (var topicCount in counts)
                {
                    string[] childArgs = ["ingest", "--mentions", count.ToString(CultureInfo.InvariantCulture), "--topics", topicCount.ToString(CultureInfo.InvariantCulture), "--durable", result.GetValue(durable) ? "true" : "false", "--stream", file];
                    var code = await RunChildAsync(result.GetValue(postgres) is { } pg ? [.. childArgs, "--postgres", pg] : childArgs, ct);
                    if (code != 0)
                    {
                        return code;
                    }
                }
            }
            finally
            {
                root.Delete(recursive: true);
            }

            return 0;
        });
        return command;
    }

    private static async Task<int> RunChildAsync(string[] benchArgs, CancellationToken ct)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
        var entry = Environment.GetCommandLineArgs()[0];
        // Under the `dotnet` host the child needs the entry assembly; an apphost (`dotnet run`) is the program itself.
        var hosted = Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet";
        if (hosted && entry.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(entry);
        }

        // `firebreak` needs the verb; the bench project adds it itself.
        if (System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name == "firebreak")
        {
            start.ArgumentList.Add("bench");
        }

        foreach (var arg in benchArgs)
        {
            start.ArgumentList.Add(arg);
        }

        using var child = Process.Start(start)!;
        await child.WaitForExitAsync(ct);
        return child.ExitCode;
    }

    /// <summary>
    /// Two busy days of a large brand, the second with the crisis: the mix of a bulk import and a live peak,
    /// at a rate that yields at least <paramref name="count"/> mentions.
    /// </summary>
    internal static ScenarioOptions TwoBusyDays(int count) => new()
    {
        Start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero),
        Duration = TimeSpan.FromDays(2),
        BaseRatePerMinute = Math.Max(5, count / (2 * 1440.0) / 1.5),
        CrisisStart = TimeSpan.FromDays(1.4),
    };

    private static void WriteStream(string file, int count)
    {
        var generator = new ScenarioGenerator(TwoBusyDays(count));
        using var writer = new StreamWriter(file);
        var written = 0;
        while (written < count && generator.TryNext(out var input))
        {
            writer.WriteLine(JsonSerializer.Serialize(input, IngestJsonContext.Default.MentionInput));
            written++;
        }
    }

    private static async Task<(double Rate, double Seconds, double PeakRssMiB, TimeSpan[] Stages, double MatchesPerMention)> RunIngestAsync(string dataDirectory, string file, int topicCount, List<MentionInput> sample, bool durable, string? postgresServer, CancellationToken ct)
    {
        if (postgresServer is null)
        {
            return await MeasureIngestAsync(dataDirectory, file, topicCount, sample, durable, null, ct);
        }

        // A database of its own per run, so every run starts empty and nothing of a real store is touched.
        var name = "firebreak_bench_" + Guid.NewGuid().ToString("N");
        await PostgresAdminAsync(postgresServer, $"CREATE DATABASE {name}", ct);
        try
        {
            var connectionString = new Npgsql.NpgsqlConnectionStringBuilder(postgresServer) { Database = name }.ConnectionString;
            return await MeasureIngestAsync(dataDirectory, file, topicCount, sample, durable, connectionString, ct);
        }
        finally
        {
            // Plain DROP (not WITH FORCE): it also stops an autovacuum worker, which FORCE may not signal without superuser.
            Npgsql.NpgsqlConnection.ClearAllPools();
            await PostgresAdminAsync(postgresServer, $"DROP DATABASE IF EXISTS {name}", CancellationToken.None);
        }
    }

    private static async Task PostgresAdminAsync(string server, string sql, CancellationToken ct)
    {
        await using var connection = new Npgsql.NpgsqlConnection(server);
        await connection.OpenAsync(ct);
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<(double Rate, double Seconds, double PeakRssMiB, TimeSpan[] Stages, double MatchesPerMention)> MeasureIngestAsync(string dataDirectory, string file, int topicCount, List<MentionInput> sample, bool durable, string? postgres, CancellationToken ct)
    {
        await using var engine = await LocalEngine.OpenAsync(dataDirectory, durable, postgres: postgres);
        var ws = await engine.RequireWorkspaceAsync("bench", true, ct);
        foreach (var (name, query) in BenchTopics.Create(topicCount, sample))
        {
            _ = await engine.Topics.AddAsync(ws.Id, name, query, true, ct) ?? throw new InvalidOperationException("duplicate topic " + name);
        }

        engine.Catalog.Invalidate(ws.Id);
        GC.Collect();
        var process = Process.GetCurrentProcess();
        long peak = 0;
        using var sampler = new CancellationTokenSource();
        var sampling = Task.Run(async () =>
        {
            while (!sampler.IsCancellationRequested)
            {
                process.Refresh();
                peak = Math.Max(peak, process.WorkingSet64);
                await Task.Delay(50, CancellationToken.None);
            }
        }, CancellationToken.None);

        var before = engine.Pipeline.StageBusyTime().Select(s => s.Busy).ToArray();
        var clock = Stopwatch.StartNew();
        var rssTrace = new List<double>();
        await using (var stream = File.OpenRead(file))
        {
            var pending = new Queue<Task<IngestReport>>();
            var reader = new NdjsonBatchReader();
            long accepted = 0;
            var nextTrace = stream.Length / 10;
            await foreach (var batch in reader.ReadAsync(ws.Id, stream, ct))
            {
                if (reader.BytesRead >= nextTrace)
                {
                    // Working set at each tenth of the input: flat means memory does not grow with volume.
                    process.Refresh();
                    rssTrace.Add(process.WorkingSet64 / 1048576.0);
                    nextTrace += stream.Length / 10;
                }

                pending.Enqueue(await engine.Pipeline.EnqueueAsync(batch, ct));
                while (pending.Count > 8)
                {
                    accepted += (await pending.Dequeue()).Accepted;
                }
            }

            while (pending.Count > 0)
            {
                accepted += (await pending.Dequeue()).Accepted;
            }
        }

        clock.Stop();
        await sampler.CancelAsync();
        await sampling;
        var lines = File.ReadLines(file).LongCount();
        var stages = engine.Pipeline.StageBusyTime().Select((s, i) => s.Busy - before[i]).ToArray();
        var matches = await engine.CountTopicMatchesAsync(ct);
        Console.Error.WriteLine($"       RSS MiB at each tenth of the input: {string.Join(' ', rssTrace.Select(r => r.ToString("N0", CultureInfo.InvariantCulture)))}");
        return (lines / clock.Elapsed.TotalSeconds, clock.Elapsed.TotalSeconds, peak / 1048576.0, stages, matches / (double)lines);
    }

    private static Command Series()
    {
        var mentions = new Option<int>("--mentions") { Description = "Mentions stored before measuring", DefaultValueFactory = _ => 5_000_000 };
        var store = new Option<string?>("--store") { Description = "Keep the built store in this folder and reuse it next time (building 5M takes minutes)" };
        var iterations = new Option<int>("--iterations") { Description = "Reads per measurement", DefaultValueFactory = _ => 200 };
        var command = new Command("series", "Time series latency for one topic over 30 days with millions of mentions stored.") { mentions, store, iterations };
        command.SetAction(async (result, ct) =>
        {
            var count = result.GetValue(mentions);
            var keep = result.GetValue(store);
            var folder = keep ?? Directory.CreateTempSubdirectory("firebreak-series-").FullName;
            try
            {
                await using var engine = await LocalEngine.OpenAsync(folder, durable: false);
                var ws = await engine.RequireWorkspaceAsync("bench", true, ct);
                if (await engine.Topics.ListAsync(ws.Id, ct) is { Count: 0 })
                {
                    foreach (var (name, query) in Web.Demo.DemoWorkspaceService.Topics)
                    {
                        await engine.Topics.AddAsync(ws.Id, name, query, true, ct);
                    }

                    engine.Catalog.Invalidate(ws.Id);
                }

                var stored = await engine.Mentions.CountAsync(ws.Id, ct);
                var end = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
                if (stored < count)
                {
                    var days = 30;
                    var options = new ScenarioOptions
                    {
                        Start = end - TimeSpan.FromDays(days),
                        Duration = TimeSpan.FromDays(days),
                        // Enough for the target even without the crisis; storing stops at the count.
                        BaseRatePerMinute = count / (days * 1440.0),
                        CrisisStart = TimeSpan.FromDays(20),
                        Seed = 5,
                    };
                    var generator = new ScenarioGenerator(options);
                    var timer = Stopwatch.StartNew();
                    await AnsiConsole.Progress().StartAsync(async progress =>
                    {
                        var task = progress.AddTask($"Storing {count:N0} mentions", maxValue: count);
                        var pending = new Queue<Task<IngestReport>>();
                        var total = stored;
                        var inputs = new MentionInput[2_000];
                        while (total < count)
                        {
                            var n = generator.Fill(inputs);
                            if (n == 0)
                            {
                                break;
                            }

                            pending.Enqueue(await engine.Pipeline.EnqueueAsync(IngestBatch.FromInputs(ws.Id, inputs[..n]), ct));
                            while (pending.Count > 8)
                            {
                                // Count what was stored, not what was sent: re-deliveries and edits add no rows.
                                total += (await pending.Dequeue()).Inserted;
                            }

                            task.Value = total;
                        }

                        while (pending.Count > 0)
                        {
                            total += (await pending.Dequeue()).Inserted;
                        }
                    });
                    stored = await engine.Mentions.CountAsync(ws.Id, ct);
                    Console.WriteLine($"Built store: {stored:N0} mentions in {timer.Elapsed.TotalSeconds:N0} s ({stored / timer.Elapsed.TotalSeconds:N0}/s).");
                }

                // Measure the 30 days that end with the newest stored mention, so every read meets real rows.
                end = await engine.NewestMentionAsync(ws.Id, ct) ?? end;
                var topic = (await engine.Topics.ListAsync(ws.Id, ct)).First(t => t.Name == "Brand");
                Console.WriteLine($"Stored mentions: {stored:N0}; database {new FileInfo(Path.Combine(folder, "firebreak.db")).Length / 1048576.0:N0} MiB; topic '{topic.Name}' (id {topic.Id}).");
                Console.WriteLine($"Window: 30 days to {end:u}.");
                Console.WriteLine("series                              | p50 ms | p95 ms | max ms | points | mentions in range");
                var from = end - TimeSpan.FromDays(30);
                foreach (var (label, interval, start, topicId, breakdown) in new (string, SeriesInterval, DateTimeOffset, long, SeriesBreakdown)[]
                {
                    ("topic, 30 days, hourly", SeriesInterval.Hour, from, topic.Id, SeriesBreakdown.None),
                    ("topic, 30 days, daily", SeriesInterval.Day, from, topic.Id, SeriesBreakdown.None),
                    ("topic, 30 days, hourly, by language", SeriesInterval.Hour, from, topic.Id, SeriesBreakdown.Language),
                    ("topic, 24 hours, per minute", SeriesInterval.Minute, end - TimeSpan.FromDays(1), topic.Id, SeriesBreakdown.None),
                    ("workspace, 30 days, hourly", SeriesInterval.Hour, from, 0, SeriesBreakdown.None),
                })
                {
                    var times = new double[result.GetValue(iterations)];
                    var points = 0;
                    long inRange = 0;
                    for (var i = -5; i < times.Length; i++)
                    {
                        var t = Stopwatch.StartNew();
                        var s = await engine.Series.ReadAsync(ws.Id, topicId, interval, start, end, breakdown, ct);
                        t.Stop();
                        points = s.Points.Count;
                        inRange = s.Points.Sum(p => p.Count);
                        if (i >= 0)
                        {
                            times[i] = t.Elapsed.TotalMilliseconds;
                        }
                    }

                    Array.Sort(times);
                    Console.WriteLine($"{label,-35} | {times[times.Length / 2],6:N2} | {times[(int)(times.Length * 0.95)],6:N2} | {times[^1],6:N2} | {points,6} | {inRange:N0}");
                }

                Console.WriteLine();
                Console.WriteLine("search (first page of 50, newest first)       | p50 ms | p95 ms | max ms | items");
                foreach (var (label, filter) in new (string, MentionFilter)[]
                {
                    ("q=refund*", new MentionFilter { Text = "refund*" }),
                    ("q=\"never flying\" (phrase)", new MentionFilter { Text = "\"never flying\"" }),
                    ("q=#boycottauroraair lang:en", new MentionFilter { Text = "#boycottauroraair lang:en" }),
                    ("topic=Brand, platform=x, sentiment=unknown", new MentionFilter { TopicId = topic.Id, Platform = Platform.X, Sentiment = Sentiment.Unknown }),
                    ("q=NOT aurora (scan path, 50k rows max)", new MentionFilter { Text = "NOT aurora" }),
                })
                {
                    var times = new double[Math.Max(20, result.GetValue(iterations) / 10)];
                    var items = 0;
                    for (var i = -2; i < times.Length; i++)
                    {
                        var t = Stopwatch.StartNew();
                        var page = await engine.Mentions.ListAsync(ws.Id, filter, null, 50, ct);
                        t.Stop();
                        items = page.Items.Count;
                        if (i >= 0)
                        {
                            times[i] = t.Elapsed.TotalMilliseconds;
                        }
                    }

                    Array.Sort(times);
                    Console.WriteLine($"{label,-45} | {times[times.Length / 2],6:N1} | {times[(int)(times.Length * 0.95)],6:N1} | {times[^1],6:N1} | {items}");
                }
            }
            finally
            {
                if (keep is null)
                {
                    Directory.Delete(folder, recursive: true);
                }
            }

            return 0;
        });
        return command;
    }
}
