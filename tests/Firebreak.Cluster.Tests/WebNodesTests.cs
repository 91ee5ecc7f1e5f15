namespace Firebreak.Cluster.Tests;

using System.Net.Http.Json;
using System.Text;
using Firebreak.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

/// <summary>Two web nodes behind one load balancer: what one node issued or received, the other serves.</summary>
public sealed class WebNodesTests
{
    [RabbitFact(needsPostgres: true)]
    public async Task A_secret_protected_on_one_web_node_opens_on_another()
    {
        await using var cluster = await BrokerCluster.StartAsync();
        await using var a = await StartWebNodeAsync(cluster);
        await using var b = await StartWebNodeAsync(cluster);

        var protectedOnA = a.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("cookies").Protect("signed in as ana");

        Assert.Equal("signed in as ana", b.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("cookies").Unprotect(protectedOnA));
        // And the ring lives in the shared database, not in either node's data folder.
        Assert.Empty(Directory.GetDirectories(cluster.Data.FullName, "keys", SearchOption.AllDirectories));
    }

    [RabbitFact(needsPostgres: true)]
    public async Task A_mention_sent_to_one_web_node_streams_live_from_the_other()
    {
        await using var cluster = await BrokerCluster.StartAsync();
        await cluster.StartWorkerAsync();
        await using var a = await StartWebNodeAsync(cluster);
        await using var b = await StartWebNodeAsync(cluster);
        using var clientA = cluster.Client(a.Urls.First());
        using var clientB = cluster.Client(b.Urls.First(), Timeout.InfiniteTimeSpan);

        using var stream = await clientB.GetAsync("/api/workspaces/acme/mentions/stream", HttpCompletionOption.ResponseHeadersRead);
        stream.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync());
        var body = """{"platform":"x","externalId":"live-1","kind":"post","author":{"handle":"@ana"},"text":"cross node hello","createdAt":"2026-01-05T10:00:00Z"}""";
        var sent = await clientA.PostAsync("/api/workspaces/acme/ingest", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.True(sent.IsSuccessStatusCode, await sent.Content.ReadAsStringAsync());

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        string? line;
        do
        {
            line = await reader.ReadLineAsync(timeout.Token);
        }
        while (line is not null && !line.Contains("cross node hello", StringComparison.Ordinal));

        Assert.NotNull(line);
    }

    [RabbitFact(needsPostgres: true)]
    public async Task A_post_going_viral_is_alerted_through_the_workers_detection_feed()
    {
        await using var cluster = await BrokerCluster.StartAsync();
        await cluster.StartWorkerAsync();
        await using var web = await StartWebNodeAsync(cluster);
        using var client = cluster.Client(web.Urls.First());
        var createdAt = TimeProvider.System.GetUtcNow().AddMinutes(-20).ToString("O");
        var body = $$$"""{"platform":"x","externalId":"viral-1","kind":"post","author":{"handle":"@idris","followers":1000},"text":"Aurora Air threw me off my flight","createdAt":"{{{createdAt}}}","engagement":{"likes":20000,"shares":8000,"replies":900,"views":0}}""";
        var sent = await client.PostAsync("/api/workspaces/acme/ingest", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.True(sent.IsSuccessStatusCode, await sent.Content.ReadAsStringAsync());

        string? alerts = null;
        for (var tries = 0; tries < 150 && alerts?.Contains("viralItem", StringComparison.Ordinal) != true; tries++)
        {
            await Task.Delay(200);
            alerts = await client.GetStringAsync("/api/workspaces/acme/alerts");
        }

        Assert.Contains("viralItem", alerts, StringComparison.Ordinal);
        Assert.Contains("@idris", alerts, StringComparison.Ordinal);
    }

    [RabbitFact(needsPostgres: true)]
    public async Task An_alert_raised_on_one_web_node_streams_live_from_the_other()
    {
        await using var cluster = await BrokerCluster.StartAsync();
        await using var a = await StartWebNodeAsync(cluster);
        await using var b = await StartWebNodeAsync(cluster);
        using var clientB = cluster.Client(b.Urls.First(), Timeout.InfiniteTimeSpan);
        using var stream = await clientB.GetAsync("/api/workspaces/acme/alerts/live", HttpCompletionOption.ResponseHeadersRead);
        stream.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync());
        await Task.Delay(500); // node B's relay listener is bound

        var now = TimeProvider.System.GetUtcNow();
        await a.Services.GetRequiredService<Firebreak.Core.Alerts.IAlertSink>().SubmitAsync(
            [new Firebreak.Core.Detection.Detection(cluster.WorkspaceId, 0, Firebreak.Core.Detection.DetectionSignal.NegativeVolume, "", now, now, Firebreak.Core.Detection.DetectionSeverity.High, 0.9, 140, 10, "negative mentions 14× usual, raised on node A", [], [])]);

        // The "alert" event is published where the alert manager saved it (node A); node B's browser sees it only
        // through the relay. (An in-app "notification" may come from B's own dispatcher, so it proves nothing.)
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        string? type = null;
        string? line;
        while ((line = await reader.ReadLineAsync(timeout.Token)) is not null)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line["event: ".Length..];
            }
            else if (type == "alert" && line.Contains("raised on node A", StringComparison.Ordinal))
            {
                break;
            }
        }

        Assert.NotNull(line);
    }

    private static async Task<WebApplication> StartWebNodeAsync(BrokerCluster cluster)
    {
        var options = cluster.Options;
        options.Urls = "http://127.0.0.1:0";
        // Each node on its own machine, in effect: nothing shared but PostgreSQL and RabbitMQ.
        options.DataDirectory = Path.Combine(cluster.Data.FullName, "node-" + Guid.NewGuid().ToString("N")[..8]);
        var app = await FirebreakHost.BuildAsync(options);
        await app.StartAsync();
        return app;
    }
}
