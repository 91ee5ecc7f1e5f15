namespace Firebreak.Bench;

using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

/// <summary>
/// `firebreak bench latency`: end-to-end latency from an HTTP ingest request to the mention being queryable,
/// against a running deployment (one node, or web nodes + RabbitMQ + workers), under a steady background load.
/// A probe posts one mention carrying a unique token and polls the search API until the token is found: that
/// time is what a user waits between a post arriving and seeing it in Firebreak.
/// </summary>
internal static class LatencyBench
{
    public static Command Create()
    {
        var url = new Option<string>("--url") { Description = "Base address of a running web node", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var workspace = new Option<string>("--workspace") { Description = "Workspace slug (created if missing)", DefaultValueFactory = _ => "bench" };
        var rate = new Option<int>("--rate") { Description = "Background load in mentions per second (sent as NDJSON batches ten times a second)", DefaultValueFactory = _ => 2_000 };
        var seconds = new Option<int>("--seconds") { Description = "How long to measure", DefaultValueFactory = _ => 30 };
        var probes = new Option<int>("--probes") { Description = "Probes per second", DefaultValueFactory = _ => 5 };
        var token = new Option<string?>("--token")
        {
            Description = "API token with read, write and ingest scopes (default: FIREBREAK_TOKEN; make one with `firebreak tokens create`)",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("FIREBREAK_TOKEN"),
        };
        var command = new Command("latency", "End-to-end latency from HTTP ingest to queryable (p50/p99) under load, against a running deployment.") { url, workspace, rate, seconds, probes, token };
        command.SetAction(async (result, ct) =>
        {
            using var http = new HttpClient { BaseAddress = new Uri(result.GetValue(url)!), Timeout = TimeSpan.FromSeconds(60) };
            if (result.GetValue(token) is { Length: > 0 } bearer)
            {
                http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
            }
            var slug = result.GetValue(workspace)!;
            await EnsureWorkspaceAsync(http, slug, ct);
            var duration = TimeSpan.FromSeconds(result.GetValue(seconds));
            var run = Guid.NewGuid().ToString("N")[..8];

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var load = LoadAsync(http, slug, run, result.GetValue(rate), stop.Token);
            var measured = await ProbeAsync(http, slug, run, result.GetValue(probes), duration, ct);
            await stop.CancelAsync();
            var (sent, loadTime) = await load;

            Console.WriteLine($"Background load: {sent / loadTime.TotalSeconds:N0} mentions/s achieved (asked {result.GetValue(rate):N0}/s), {measured.Count} probes over {duration.TotalSeconds:N0} s.");
            Console.WriteLine("measure                     |    p50 ms |    p90 ms |    p99 ms |    max ms");
            Print("HTTP ingest answered", measured.Select(m => m.Acked).ToList());
            Print("queryable (search finds it)", measured.Select(m => m.Visible).ToList());
            return 0;
        });
        return command;
    }

    private static void Print(string name, List<double> values)
    {
        values.Sort();
        Console.WriteLine($"{name,-27} | {Percentile(values, 0.50),9:N1} | {Percentile(values, 0.90),9:N1} | {Percentile(values, 0.99),9:N1} | {values[^1],9:N1}");
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static double Percentile(List<double> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static async Task EnsureWorkspaceAsync(HttpClient http, string slug, CancellationToken ct)
    {
        if ((await http.GetAsync($"/api/workspaces/{slug}", ct)).IsSuccessStatusCode)
        {
            return;
        }

        var created = await http.PostAsJsonAsync("/api/workspaces", new { slug, name = "Latency bench", timeZone = "UTC" }, ct);
        created.EnsureSuccessStatusCode();
    }

    /// <summary>Sends rate/10 mentions every 100 ms until stopped; returns how many were acknowledged, in what time.</summary>
    private static async Task<(long Sent, TimeSpan Elapsed)> LoadAsync(HttpClient http, string slug, string run, int rate, CancellationToken ct)
    {
        long sent = 0;
        var perTick = Math.Max(1, rate / 10);
        var clock = Stopwatch.StartNew();
        var tick = 0;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var body = new StringBuilder(perTick * 220);
                for (var i = 0; i < perTick; i++)
                {
                    AppendMention(body, $"load-{run}-{sent + i}", $"Flight {(sent + i) % 300} delayed again, I want a refund #aurora {sent + i}");
                }

                using var content = new StringContent(body.ToString(), Encoding.UTF8, "application/x-ndjson");
                (await http.PostAsync($"/api/workspaces/{slug}/ingest", content, ct)).EnsureSuccessStatusCode();
                sent += perTick;
                tick++;
                var due = TimeSpan.FromMilliseconds(100 * tick) - clock.Elapsed;
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }

        return (sent, clock.Elapsed);
    }

    private static async Task<List<(double Acked, double Visible)>> ProbeAsync(HttpClient http, string slug, string run, int perSecond, TimeSpan duration, CancellationToken ct)
    {
        var probes = new List<Task<(double, double)>>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; clock.Elapsed < duration; i++)
        {
            probes.Add(OneProbeAsync(http, slug, $"probe{run}x{i}", ct));
            var due = TimeSpan.FromSeconds((i + 1) / (double)perSecond) - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, ct);
            }
        }

        return [.. await Task.WhenAll(probes)];
    }

    private static async Task<(double Acked, double Visible)> OneProbeAsync(HttpClient http, string slug, string token, CancellationToken ct)
    {
        var body = new StringBuilder();
        AppendMention(body, token, $"latency probe {token}");
        var started = Stopwatch.GetTimestamp();
        using (var content = new StringContent(body.ToString(), Encoding.UTF8, "application/x-ndjson"))
        {
            (await http.PostAsync($"/api/workspaces/{slug}/ingest", content, ct)).EnsureSuccessStatusCode();
        }

        var acked = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        while (true)
        {
            var page = await http.GetFromJsonAsync<JsonElement>($"/api/workspaces/{slug}/mentions?q={token}&limit=1", ct);
            if (page.GetProperty("items").GetArrayLength() > 0)
            {
                return (acked, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            await Task.Delay(5, ct);
        }
    }

    private static void AppendMention(StringBuilder body, string id, string text)
    {
        var created = TimeProvider.System.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        body.Append("{\"platform\":\"x\",\"externalId\":\"").Append(id).Append("\",\"kind\":\"post\",\"author\":{\"handle\":\"@bench\",\"followers\":10},\"text\":\"")
            .Append(text).Append("\",\"createdAt\":\"").Append(created).Append("\"}\n");
    }
}
