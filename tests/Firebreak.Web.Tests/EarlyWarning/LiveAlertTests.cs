namespace Firebreak.Web.Tests.EarlyWarning;

using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Firebreak.Tests.Shared;
using Firebreak.Web.Tests.Api;
using Xunit.Abstractions;

/// <summary>
/// The whole live path on a real host with production settings: HTTP ingest → analysis → store → detect stage →
/// live detection service → alert manager → outbox → signed webhook on a real loopback receiver.
/// </summary>
public sealed class LiveAlertTests(ApiHost host, ITestOutputHelper output) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task A_post_going_viral_reaches_the_webhook_within_five_seconds_of_its_ingest()
    {
        await using var receiver = new TestHttpReceiver();
        var ws = await host.NewWorkspaceAsync();
        var hook = await PostAsync($"/api/workspaces/{ws}/alert-channels", new { kind = "webhook", name = "Ops", url = receiver.Url(), secret = "whsec-live-0123456789" });
        await PostAsync($"/api/workspaces/{ws}/alert-rules", new { name = "Viral to ops", signals = new[] { "viralItem" }, minSeverity = "high", onCall = false, inApp = false, channelIds = new[] { hook.GetProperty("id").GetInt64() } });

        // A small account's complaint, 10 minutes old, already shared thousands of times.
        var now = TimeProvider.System.GetUtcNow();
        var post = Payloads.Mention("viral-1", "Aurora Air threw me off my flight for filming the broken seat. #boycott", followers: 1_000, handle: "idris");
        post["createdAt"] = now.AddMinutes(-10);
        post["engagement"] = new Dictionary<string, object?> { ["likes"] = 20_000, ["shares"] = 6_000, ["replies"] = 900, ["views"] = 400_000 };
        var clock = Stopwatch.StartNew();
        (await host.Client.PostAsJsonAsync($"/api/workspaces/{ws}/ingest", new[] { post })).EnsureSuccessStatusCode();
        var stored = clock.Elapsed;

        var delivery = Assert.Single(await receiver.WaitForAsync(r => r.Length >= 1, TimeSpan.FromSeconds(30)));
        var delivered = clock.Elapsed;
        output.WriteLine($"stored after {stored.TotalMilliseconds:N0} ms, webhook received after {delivered.TotalMilliseconds:N0} ms");

        var alert = JsonDocument.Parse(delivery.Body).RootElement.GetProperty("alert");
        Assert.Equal("viralItem", alert.GetProperty("signal").GetString());
        Assert.Contains("@idris", alert.GetProperty("explanation").GetString(), StringComparison.Ordinal);
        Assert.True(delivered - stored < TimeSpan.FromSeconds(5), $"webhook {(delivered - stored).TotalSeconds:N1} s after the mention was stored");
    }

    private async Task<JsonElement> PostAsync(string path, object body)
    {
        var response = await host.Client.PostAsJsonAsync(path, body);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
