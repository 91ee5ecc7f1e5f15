namespace Firebreak.Web.Tests.Api;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Firebreak.Core.Alerts;
using Firebreak.Core.Alerts.Channels;
using Firebreak.Core.Detection;
using Firebreak.Core.Workspaces;
using Firebreak.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

/// <summary>The host with alert timings short enough for a test: fast polling, retries and a small attempt budget.</summary>
public sealed class AlertApiHost : ApiHost
{
    public static readonly AlertOptions Options = new()
    {
        PollInterval = TimeSpan.FromMilliseconds(50),
        RetryBase = TimeSpan.FromMilliseconds(100),
        RetryMax = TimeSpan.FromSeconds(1),
        MaxAttempts = 3,
        TickInterval = TimeSpan.FromMilliseconds(200),
    };

    /// <summary>Submits a detection for the workspace with this slug, as a detector would.</summary>
    public async Task<long> DetectAsync(string slug, DetectionSeverity severity = DetectionSeverity.High, long topic = 0, string dimension = "", string explanation = "negative mentions 14× usual")
    {
        var workspace = await Services.GetRequiredService<IWorkspaceStore>().FindAsync(slug, CancellationToken.None);
        var now = TimeProvider.System.GetUtcNow();
        await Services.GetRequiredService<IAlertSink>().SubmitAsync([new Detection(workspace!.Id, topic, DetectionSignal.NegativeVolume, dimension, now, now, severity, 0.9, 140, 10, explanation, ["refund"], [])]);
        return workspace.Id;
    }

    protected override void Configure(IServiceCollection services) => services.AddSingleton(Options);
}

public sealed class AlertApiTests(AlertApiHost host) : IClassFixture<AlertApiHost>
{
    private const string Secret = "whsec-0123456789abcdef";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private HttpClient Client => host.Client;

    [Fact]
    public async Task Contacts_CrudValidationAndOnCallOrder()
    {
        var ws = await host.NewWorkspaceAsync();
        var bad = await Client.PostAsJsonAsync($"/api/workspaces/{ws}/contacts", new { name = "", email = "not an address", onCallOrder = -1, quietHours = new { start = "22:00", end = "07:00", timeZone = "Mars/Olympus" } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["email", "name", "onCallOrder", "quietHours.timeZone"], (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(p => p.Name).Order());

        var ben = await CreateAsync($"/api/workspaces/{ws}/contacts", new { name = "Ben", email = "ben@example.com", onCallOrder = 2 });
        var ana = await CreateAsync($"/api/workspaces/{ws}/contacts", new { name = "Ana", email = "ana@example.com", onCallOrder = 1, quietHours = new { start = "22:00", end = "07:00", timeZone = "Europe/Paris" } });
        await CreateAsync($"/api/workspaces/{ws}/contacts", new { name = "Press office", email = "press@example.com" });
        Assert.Equal("22:00", ana.GetProperty("quietHours").GetProperty("start").GetString());

        var rotation = await Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/on-call");
        Assert.Equal(["Ana", "Ben"], rotation.EnumerateArray().Select(c => c.GetProperty("name").GetString()));

        var id = ben.GetProperty("id").GetInt64();
        var updated = await Client.PutAsJsonAsync($"/api/workspaces/{ws}/contacts/{id}", new { name = "Ben B.", email = "ben@example.com", onCallOrder = 0 });
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal("Ben B.", (await Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/on-call"))[0].GetProperty("name").GetString());

        var other = await host.NewWorkspaceAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/api/workspaces/{other}/contacts/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.DeleteAsync($"/api/workspaces/{other}/contacts/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/api/workspaces/{ws}/contacts/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/api/workspaces/{ws}/contacts/{id}")).StatusCode);
    }

    [Fact]
    public async Task Channels_SecretsAreWriteOnly_AndValidated()
    {
        var ws = await host.NewWorkspaceAsync();
        var missing = await Client.PostAsJsonAsync($"/api/workspaces/{ws}/alert-channels", new { kind = "webhook", name = "Ops", url = "ftp://example.com" });
        Assert.Equal(["secret", "url"], (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(p => p.Name).Order());
        var inApp = await Client.PostAsJsonAsync($"/api/workspaces/{ws}/alert-channels", new { kind = "inApp", name = "x" });
        Assert.Equal(HttpStatusCode.BadRequest, inApp.StatusCode);
        var noPassword = await Client.PostAsJsonAsync($"/api/workspaces/{ws}/alert-channels", new { kind = "email", name = "Mail", host = "smtp.example.com", from = "alerts@example.com", username = "ops" });
        Assert.True((await noPassword.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("password", out _));

        var hookResponse = await Client.PostAsJsonAsync($"/api/workspaces/{ws}/alert-channels", new { kind = "webhook", name = "Ops", url = "https://hooks.example.com/in", secret = Secret });
        var hookText = await hookResponse.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Created, hookResponse.StatusCode);
        Assert.DoesNotContain(Secret, hookText, StringComparison.Ordinal);
        var hook = JsonDocument.Parse(hookText).RootElement;
        Assert.True(hook.GetProperty("hasSecret").GetBoolean());
        Assert.Equal("webhook", hook.GetProperty("kind").GetString());

        var slackText = await (await Client.PostAsJsonAsync($"/api/workspaces/{ws}/alert-channels", new { kind = "slack", name = "War room", url = "https://hooks.slack.com/services/T000/B000/XXXXSECRET" })).Content.ReadAsStringAsync();
        var mailText = await (await Client.PostAsJsonAsync($"/api/workspaces/{ws}/alert-channels", new { kind = "email", name = "Mail", host = "smtp.example.com", port = 587, security = "startTls", username = "ops", password = "p4ssw0rd!", from = "alerts@example.com" })).Content.ReadAsStringAsync();
        Assert.DoesNotContain("XXXXSECRET", slackText, StringComparison.Ordinal);
        Assert.Equal("https://hooks.slack.com/…", JsonDocument.Parse(slackText).RootElement.GetProperty("url").GetString());
        Assert.DoesNotContain("p4ssw0rd", mailText, StringComparison.Ordinal);
        Assert.Equal("startTls", JsonDocument.Parse(mailText).RootElement.GetProperty("security").GetString());

        var id = hook.GetProperty("id").GetInt64();
        var renamed = await Client.PutAsJsonAsync($"/api/workspaces/{ws}/alert-channels/{id}", new { kind = "webhook", name = "Ops bridge", url = "https://hooks.example.com/v2" });
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.True((await renamed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("hasSecret").GetBoolean());
        var kindChange = await Client.PutAsJsonAsync($"/api/workspaces/{ws}/alert-channels/{id}", new { kind = "slack", name = "x", url = "https://hooks.slack.com/x" });
        Assert.Equal(HttpStatusCode.BadRequest, kindChange.StatusCode);

        var list = await Client.GetStringAsync($"/api/workspaces/{ws}/alert-channels");
        Assert.Equal(3, JsonDocument.Parse(list).RootElement.GetArrayLength());
        foreach (var secret in new[] { Secret, "XXXXSECRET", "p4ssw0rd" })
        {
            Assert.DoesNotContain(secret, list, StringComparison.Ordinal);
        }

        var other = await host.NewWorkspaceAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/api/workspaces/{other}/alert-channels/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.PutAsJsonAsync($"/api/workspaces/{other}/alert-channels/{id}", new { kind = "webhook", name = "x", url = "https://x.example.com", secret = Secret })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/api/workspaces/{ws}/alert-channels/{id}")).StatusCode);
    }

    [Fact]
    public async Task Rules_CrudValidationAndEffectiveDefaults()
    {
        var ws = await host.NewWorkspaceAsync();
        var other = await host.NewWorkspaceAsync();
        var foreign = await CreateAsync($"/api/workspaces/{other}/contacts", new { name = "Stranger", email = "s@example.com" });
        var defaults = await Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/alert-rules/effective?topic=0");
        Assert.Equal([(true, "medium"), (true, "high")], defaults.EnumerateArray().Select(r => (r.GetProperty("isDefault").GetBoolean(), r.GetProperty("minSeverity").GetString())));
        Assert.Equal(["viralItem", "emergingTerm"], defaults[1].GetProperty("signals").EnumerateArray().Select(s => s.GetString()));

        var bad = await Client.PostAsJsonAsync($"/api/workspaces/{ws}/alert-rules", new { name = "x", signals = new[] { "volume", "vibes" }, minSeverity = "apocalyptic", contactIds = new[] { foreign.GetProperty("id").GetInt64() }, topicId = 999, escalateAfterMinutes = 0 });
        Assert.Equal(["contactIds", "escalateAfterMinutes", "minSeverity", "signals", "topicId"], (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(p => p.Name).Order());

        var ana = await CreateAsync($"/api/workspaces/{ws}/contacts", new { name = "Ana", email = "ana@example.com" });
        var rule = await CreateAsync($"/api/workspaces/{ws}/alert-rules", new { name = "Press", topicId = 0, signals = new[] { "negativeShare", "ViralItem" }, minSeverity = "high", onCall = false, contactIds = new[] { ana.GetProperty("id").GetInt64() }, emails = new[] { "press@example.com" }, escalateAfterMinutes = 10 });
        Assert.Equal(["negativeShare", "viralItem"], rule.GetProperty("signals").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(10, rule.GetProperty("escalateAfterMinutes").GetDouble());
        var effective = await Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/alert-rules/effective?topic=0");
        Assert.Equal([rule.GetProperty("id").GetInt64()], effective.EnumerateArray().Select(r => r.GetProperty("id").GetInt64()));

        var id = rule.GetProperty("id").GetInt64();
        var put = await Client.PutAsJsonAsync($"/api/workspaces/{ws}/alert-rules/{id}", new { name = "Press (off)", signals = new[] { "volume" }, enabled = false });
        Assert.False((await put.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("enabled").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/api/workspaces/{other}/alert-rules/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/api/workspaces/{ws}/alert-rules/{id}")).StatusCode);
        Assert.Equal(2, (await Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/alert-rules/effective")).GetArrayLength());
    }

    [Fact]
    public async Task Alerts_ListAcknowledgeSnoozeResolvePromote_WithHistory_ScopedToTheirWorkspace()
    {
        var ws = await host.NewWorkspaceAsync();
        var other = await host.NewWorkspaceAsync();
        await host.DetectAsync(ws);
        var alert = await SingleAlertAsync(ws);
        var id = alert.GetProperty("id").GetInt64();
        Assert.Equal(("open", "high", "negativeVolume", 1), (alert.GetProperty("state").GetString(), alert.GetProperty("severity").GetString(), alert.GetProperty("signal").GetString(), alert.GetProperty("detectionCount").GetInt32()));

        Assert.Empty((await Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/alerts?severity=critical")).GetProperty("items").EnumerateArray());
        Assert.Single((await Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/alerts?state=open,acknowledged&topic=0&signal=negativeVolume")).GetProperty("items").EnumerateArray());
        var badFilter = await Client.GetAsync($"/api/workspaces/{ws}/alerts?state=sleeping&severity=9&limit=0");
        Assert.Equal(["limit", "severity", "state"], (await badFilter.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(p => p.Name).Order());

        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/api/workspaces/{other}/alerts/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.PostAsJsonAsync($"/api/workspaces/{other}/alerts/{id}/acknowledge", new { by = "mallory" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/api/workspaces/{other}/alerts/{id}/events")).StatusCode);

        var acknowledged = await (await Client.PostAsJsonAsync($"/api/workspaces/{ws}/alerts/{id}/acknowledge", new { by = "ana" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("acknowledged", "ana"), (acknowledged.GetProperty("state").GetString(), acknowledged.GetProperty("acknowledgedBy").GetString()));
        var tooLong = await Client.PostAsJsonAsync($"/api/workspaces/{ws}/alerts/{id}/snooze", new { minutes = 60 * 24 * 30 });
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        var snoozed = await (await Client.PostAsJsonAsync($"/api/workspaces/{ws}/alerts/{id}/snooze", new { minutes = 30, by = "ana" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(snoozed.GetProperty("snoozed").GetBoolean());
        var resolved = await (await Client.PostAsJsonAsync($"/api/workspaces/{ws}/alerts/{id}/resolve", new { by = "ben", reason = "statement posted" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("resolved", "statement posted"), (resolved.GetProperty("state").GetString(), resolved.GetProperty("resolveReason").GetString()));
        Assert.Equal(HttpStatusCode.Conflict, (await Client.PostAsJsonAsync($"/api/workspaces/{ws}/alerts/{id}/acknowledge", new { })).StatusCode);

        var promote = await Client.PostAsJsonAsync($"/api/workspaces/{ws}/alerts/{id}/incident", new { by = "ana", note = "war room" });
        Assert.Equal(HttpStatusCode.Accepted, promote.StatusCode);
        var promoted = await promote.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(promoted.GetProperty("promoted").GetBoolean());
        Assert.Equal("ana", promoted.GetProperty("promotedBy").GetString());
        Assert.Equal(JsonValueKind.String, promoted.GetProperty("incidentId").ValueKind);

        // Promoted, then the incident it opened is recorded (IncidentApiTests follows the incident side).
        var kinds = (await Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/alerts/{id}/events")).EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ToList();
        Assert.Equal(["opened", "acknowledged", "snoozed", "resolved", "promoted", "promoted"], kinds.Where(k => k is not ("notified" or "deliveryFailed")));
    }

    [Fact]
    public async Task Webhook_EndToEnd_ReceiverGetsASignedDelivery()
    {
        await using var receiver = new TestHttpReceiver();
        var ws = await host.NewWorkspaceAsync();
        var hook = await CreateAsync($"/api/workspaces/{ws}/alert-channels", new { kind = "webhook", name = "Ops", url = receiver.Url(), secret = Secret });
        await CreateAsync($"/api/workspaces/{ws}/alert-rules", new { name = "Ops", signals = new[] { "negativeVolume" }, minSeverity = "medium", onCall = false, channelIds = new[] { hook.GetProperty("id").GetInt64() } });

        await host.DetectAsync(ws, explanation: "<b>refund</b> & \"boycott\"");
        var request = Assert.Single(await receiver.WaitForAsync(r => r.Length >= 1, Patience));

        Assert.True(WebhookSignature.Verify(Secret, request.Headers["X-Firebreak-Timestamp"], request.Headers["X-Firebreak-Signature"], request.Body, TimeProvider.System.GetUtcNow(), TimeSpan.FromMinutes(5)));
        var body = JsonDocument.Parse(request.Body).RootElement;
        var alertId = (await SingleAlertAsync(ws)).GetProperty("id").GetInt64();
        Assert.Equal(alertId, body.GetProperty("alert").GetProperty("id").GetInt64());
        Assert.Equal("<b>refund</b> & \"boycott\"", body.GetProperty("alert").GetProperty("explanation").GetString());
        await Poll.UntilAsync(
            async () => (await Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/alerts/{alertId}/deliveries")).EnumerateArray().All(d => d.GetProperty("state").GetString() == "delivered"),
            Patience,
            () => "deliveries not all delivered");
    }

    [Fact]
    public async Task DeadLetters_ListedWithTheLastError_AndRetriedFromTheApi()
    {
        await using var receiver = new TestHttpReceiver { Respond = (_, _) => new Answer(500) };
        var ws = await host.NewWorkspaceAsync();
        var hook = await CreateAsync($"/api/workspaces/{ws}/alert-channels", new { kind = "webhook", name = "Flaky", url = receiver.Url(), secret = Secret });
        await CreateAsync($"/api/workspaces/{ws}/alert-rules", new { name = "Ops", signals = new[] { "negativeVolume" }, onCall = false, inApp = false, channelIds = new[] { hook.GetProperty("id").GetInt64() } });
        await host.DetectAsync(ws);

        JsonElement dead = default;
        await Poll.UntilAsync(
            async () => (dead = await Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/alerts/dead-letters")).GetArrayLength() == 1,
            Patience,
            () => "no dead letter");
        var letter = dead[0];
        Assert.Equal(AlertApiHost.Options.MaxAttempts, letter.GetProperty("attempts").GetInt32());
        Assert.StartsWith("HTTP 500", letter.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Equal("alert.opened", letter.GetProperty("event").GetString());
        Assert.Equal(AlertApiHost.Options.MaxAttempts, receiver.Requests.Count);

        var other = await host.NewWorkspaceAsync();
        var letterId = letter.GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.NotFound, (await Client.PostAsync($"/api/workspaces/{other}/alerts/dead-letters/{letterId}/retry", null)).StatusCode);
        receiver.Respond = (_, _) => Answer.Ok;
        var retry = await Client.PostAsync($"/api/workspaces/{ws}/alerts/dead-letters/{letterId}/retry", null);
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        await receiver.WaitForAsync(r => r.Any(x => x.AnsweredStatus == 200), Patience);
        await Poll.UntilAsync(async () => (await Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/alerts/dead-letters")).GetArrayLength() == 0, Patience, () => "still dead");
        Assert.Equal(HttpStatusCode.NotFound, (await Client.PostAsync($"/api/workspaces/{ws}/alerts/dead-letters/{letterId}/retry", null)).StatusCode);
    }

    [Fact]
    public async Task Email_EndToEnd_TheOnCallPersonGetsTheMessageThroughTheDefaults()
    {
        await using var smtp = new TestSmtpServer();
        var ws = await host.NewWorkspaceAsync();
        await CreateAsync($"/api/workspaces/{ws}/contacts", new { name = "Ana", email = "ana@example.com", onCallOrder = 0 });
        await CreateAsync($"/api/workspaces/{ws}/alert-channels", new { kind = "email", name = "Relay", host = "127.0.0.1", port = smtp.Port, security = "none", from = "alerts@firebreak.test" });

        await host.DetectAsync(ws, DetectionSeverity.Medium, explanation: "refunds <script>x</script>");

        var mail = Assert.Single(await smtp.WaitForAsync(1, Patience));
        Assert.Equal(["ana@example.com"], mail.Recipients);
        var parts = MimeParts.Parse(mail.Data);
        Assert.Contains("&lt;script&gt;x&lt;/script&gt;", parts.Html, StringComparison.Ordinal);
        Assert.Contains("refunds <script>x</script>", parts.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Live_StreamsAlertChangesAndInAppNotifications()
    {
        var ws = await host.NewWorkspaceAsync();
        using var stream = host.StreamClient();
        using var timeout = new CancellationTokenSource(Patience);
        using var response = await stream.GetAsync($"/api/workspaces/{ws}/alerts/live", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        Assert.Equal(": alerts", await reader.ReadLineAsync(timeout.Token));

        await host.DetectAsync(ws);

        var events = new Dictionary<string, JsonElement>();
        string? type = null;
        while (events.Count < 2 && await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                events.TryAdd(type!, JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone());
            }
        }

        Assert.Equal("open", events["alert"].GetProperty("state").GetString());
        Assert.Equal("alert.opened", events["notification"].GetProperty("event").GetString());
        Assert.Equal(events["alert"].GetProperty("id").GetInt64(), events["notification"].GetProperty("alertId").GetInt64());
    }

    [Fact]
    public async Task UnknownWorkspace_Is404Everywhere()
    {
        foreach (var path in new[] { "alerts", "alerts/1", "alerts/1/events", "alerts/dead-letters", "contacts", "on-call", "alert-channels", "alert-rules", "alert-rules/effective" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/api/workspaces/nope-{Guid.NewGuid():N}/{path}")).StatusCode);
        }
    }

    [Fact]
    public async Task OpenApi_DescribesTheAlertEndpoints()
    {
        var document = await Client.GetStringAsync("/openapi/v1.json");

        foreach (var path in new[] { "/api/workspaces/{workspace}/alerts/{id}/acknowledge", "/api/workspaces/{workspace}/alerts/live", "/api/workspaces/{workspace}/alert-rules/effective", "/api/workspaces/{workspace}/alerts/dead-letters/{id}/retry", "/api/workspaces/{workspace}/on-call" })
        {
            Assert.Contains($"\"{path}\"", document, StringComparison.Ordinal);
        }
    }

    private async Task<JsonElement> SingleAlertAsync(string ws)
    {
        JsonElement page = default;
        await Poll.UntilAsync(
            async () => (page = await Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/alerts")).GetProperty("items").GetArrayLength() > 0,
            Patience,
            () => "no alert opened");
        return Assert.Single(page.GetProperty("items").EnumerateArray());
    }

    private async Task<JsonElement> CreateAsync(string path, object body)
    {
        var response = await Client.PostAsJsonAsync(path, body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
