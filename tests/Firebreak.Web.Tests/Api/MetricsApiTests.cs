namespace Firebreak.Web.Tests.Api;

using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Firebreak.Web.Hosting;
using Firebreak.Web.Metrics;

public sealed partial class MetricsApiTests(ApiHost host) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task Metrics_AfterAnIngest_CountInsertedItemsInPrometheusTextFormat()
    {
        var ws = await host.NewWorkspaceAsync();
        var before = Value(await ScrapeAsync(host.Client), "firebreak_ingest_items_total", "outcome=\"inserted\"");

        var items = Enumerable.Range(0, 7).Select(i => Payloads.Mention("m" + i, "metrics mention " + i, minute: i)).ToArray();
        (await host.Client.PostAsJsonAsync($"/api/workspaces/{ws}/ingest", items)).EnsureSuccessStatusCode();
        var text = await ScrapeAsync(host.Client);

        // Other tests in this process may ingest at the same time: the counter grows by at least our 7.
        Assert.True(Value(text, "firebreak_ingest_items_total", "outcome=\"inserted\"") - before >= 7, text);
        Assert.Contains("# TYPE firebreak_ingest_items_total counter", text);
        Assert.Contains("# TYPE firebreak_ingest_batch_duration_seconds histogram", text);
        Assert.Contains("firebreak_ingest_batch_duration_seconds_bucket{le=\"+Inf\"}", text);
        Assert.Matches("firebreak_ingest_stage_busy_seconds_total\\{stage=\"persist\"\\} ", text);
        Assert.Matches("http_server_request_duration_seconds_bucket\\{[^}]*le=\"\\+Inf\"\\}", text);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.True(line.StartsWith('#') || SampleLine().IsMatch(line), $"not a Prometheus sample line: {line}");
        }
    }

    [Fact]
    public async Task Metrics_WithAToken_RefuseScrapersWithoutIt()
    {
        var data = Directory.CreateTempSubdirectory("firebreak-metrics-");
        await using var app = await FirebreakHost.BuildAsync(new FirebreakOptions { DataDirectory = data.FullName, Urls = "http://127.0.0.1:0", MetricsToken = "s3cret-token" });
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        try
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/metrics")).StatusCode);
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "wrong");
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/metrics")).StatusCode);
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret-token");
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/metrics")).StatusCode);
        }
        finally
        {
            await app.StopAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            data.Delete(recursive: true);
        }
    }

    [Fact]
    public void Exporter_RendersCountersGaugesAndCumulativeHistogramsWithEscapedLabels()
    {
        var meterName = "Firebreak.Test." + Guid.NewGuid().ToString("N");
        using var meter = new Meter(meterName);
        using var exporter = new PrometheusExporter([meterName]);
        var counter = meter.CreateCounter<long>("test.sent", "{message}", "Messages sent");
        var histogram = meter.CreateHistogram<double>("test.wait", "s", "Waiting time", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1] });
        var depth = 3;
        meter.CreateObservableGauge("test.depth", () => depth, "{item}", "Queue depth");

        counter.Add(2, new KeyValuePair<string, object?>("queue", "a\"b\nc\\d"));
        counter.Add(3, new KeyValuePair<string, object?>("queue", "a\"b\nc\\d"));
        histogram.Record(0.05);
        histogram.Record(0.5);
        histogram.Record(7);
        var first = exporter.Render();
        depth = 9;
        var second = exporter.Render();

        Assert.Contains("# TYPE test_sent_total counter", first);
        Assert.Contains("test_sent_total{queue=\"a\\\"b\\nc\\\\d\"} 5", first);
        Assert.Contains("test_wait_seconds_bucket{le=\"0.1\"} 1", first);
        Assert.Contains("test_wait_seconds_bucket{le=\"1\"} 2", first);
        Assert.Contains("test_wait_seconds_bucket{le=\"+Inf\"} 3", first);
        Assert.Contains("test_wait_seconds_sum 7.55", first);
        Assert.Contains("test_wait_seconds_count 3", first);
        Assert.Contains("# TYPE test_depth gauge", first);
        Assert.Contains("test_depth 3", first);
        Assert.Contains("test_depth 9", second); // an observable gauge reports its current value, not a sum
        Assert.DoesNotContain("test_depth 12", second);
    }

    private static async Task<string> ScrapeAsync(HttpClient client)
    {
        var response = await client.GetAsync("/metrics");
        response.EnsureSuccessStatusCode();
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync();
    }

    private static double Value(string text, string name, string labels)
    {
        var prefix = $"{name}{{{labels}}} ";
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[prefix.Length..], CultureInfo.InvariantCulture);
    }

    [GeneratedRegex("""^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? (-?[0-9.e+E-]+|\+Inf|-Inf|NaN)$""")]
    private static partial Regex SampleLine();
}
