namespace Firebreak.Web.Tests.Drills;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Firebreak.Core.Security;
using Firebreak.Core.Workspaces;
using Firebreak.Tests.Shared;
using Firebreak.Web.Tests.Api;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

/// <summary>
/// A drill end to end on a real host: started through the API at a fast speed with a small stream, the scenario played
/// through the real pipeline into a sandbox (real detection, a real alert), the incident declared from that alert, the
/// playbook applied, a reply kept (not sent), the role-play prompts arriving as mentions, the incident resolved and the
/// drill scored on the review's own timings.
/// </summary>
public sealed class DrillApiTests(AlertApiHost host, ITestOutputHelper output) : IClassFixture<AlertApiHost>
{
    private HttpClient Client => host.Client;

    [Fact]
    public async Task A_drill_is_scored_end_to_end_in_an_isolated_sandbox()
    {
        var ws = await host.NewWorkspaceAsync();
        var parent = (await host.Services.GetRequiredService<IWorkspaceStore>().FindAsync(ws, CancellationToken.None))!;
        await PostAsync($"/api/workspaces/{ws}/topics", new { name = "Brand", query = "\"aurora air\" OR auroraair OR #auroraair OR @auroraair" });
        var viewerToken = await TestAccounts.TokenForAsync(host.Services, $"vera-{ws}@example.com", parent.Id, WorkspaceRole.Viewer);
        using var viewer = TestAccounts.WithBearer(new Uri(host.BaseAddress), viewerToken);
        var start = new { playbookKey = "viral-complaint", scenario = "sudden-burst", speed = 240, ratePerMinute = 2, minutes = 20 };

        // A viewer may look at drills but not start one.
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync($"/api/workspaces/{ws}/drills", start)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.PostAsJsonAsync($"/api/workspaces/{ws}/drills", start with { speed = 5_000 })).StatusCode);

        var drill = await PostAsync($"/api/workspaces/{ws}/drills", start);
        var drillId = drill.GetProperty("id").GetInt64();
        var sandbox = drill.GetProperty("sandbox").GetString()!;
        Assert.Equal($"Test {ws} (drill 1)", drill.GetProperty("sandboxName").GetString());
        Assert.Equal("running", drill.GetProperty("state").GetString());
        var drillApi = $"/api/workspaces/{ws}/drills/{drillId}";
        var sbApi = $"/api/workspaces/{sandbox}";

        // The sandbox is a copy: the topic, the members (the viewer keeps their role), and it is marked in the UI.
        var topics = await Client.GetFromJsonAsync<JsonElement>($"{sbApi}/topics");
        Assert.Contains(topics.EnumerateArray(), t => t.GetProperty("name").GetString() == "Brand");
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"{sbApi}/incidents")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync($"{sbApi}/incidents", new { title = "x", severity = "sev3" })).StatusCode);

        // Real detection raises a real alert in the sandbox.
        var alert = await WaitForAsync(async () =>
        {
            var list = await Client.GetFromJsonAsync<JsonElement>($"{sbApi}/alerts?state=open");
            return list.GetProperty("items").EnumerateArray().Select(a => (JsonElement?)a).FirstOrDefault();
        }, "an alert in the sandbox");
        var alertId = alert.GetProperty("id").GetInt64();
        output.WriteLine($"alert: {alert.GetProperty("signal").GetString()} {alert.GetProperty("explanation").GetString()}");

        // Declared from the alert, acknowledged, the playbook applied.
        var promoted = await PostAsync($"{sbApi}/alerts/{alertId}/incident", new { });
        var incidentId = long.Parse(promoted.GetProperty("incidentId").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        await PostAsync($"{sbApi}/alerts/{alertId}/acknowledge", new { by = "owner" });
        var applied = await PostAsync($"{sbApi}/incidents/{incidentId}/playbook", new { key = "viral-complaint" });
        Assert.True(applied.GetProperty("created").GetInt32() > 0);
        var incApi = $"{sbApi}/incidents/{incidentId}";

        // The team answers a mention from the inbox: the reply is kept as a drill reply, never queued for sending.
        var inbox = await WaitForAsync(async () =>
        {
            var page = await Client.GetFromJsonAsync<JsonElement>($"{incApi}/inbox");
            return page.GetProperty("items").GetArrayLength() > 0 ? page : (JsonElement?)null;
        }, "mentions in the sandbox inbox");
        var first = inbox.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("mention")).First(m => !m.GetProperty("externalId").GetString()!.StartsWith("drill-", StringComparison.Ordinal));
        var firstId = first.GetProperty("id").GetInt64();
        await PostAsync($"{incApi}/inbox/{firstId}/claim", new { });
        var reply = await PostAsync($"{incApi}/replies", new { mentionId = firstId, text = "We're sorry {author}, please DM us so we can help." });
        Assert.Equal("drill", reply.GetProperty("state").GetString());

        // The angry customer answers that reply: a mention from the same author, a reply to the one answered, in the inbox.
        var angry = await WaitForAsync(async () =>
        {
            var page = await Client.GetFromJsonAsync<JsonElement>($"{incApi}/inbox?limit=200");
            return page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("mention"))
                .Where(m => m.GetProperty("externalId").GetString() == $"drill-{drillId}-angry-customer").Select(m => (JsonElement?)m).FirstOrDefault();
        }, "the angry customer's reply in the inbox");
        Assert.Equal(first.GetProperty("author").GetProperty("handle").GetString(), angry.GetProperty("author").GetProperty("handle").GetString());
        Assert.Equal(first.GetProperty("externalId").GetString(), angry.GetProperty("parentExternalId").GetString());

        // The journalist's request arrives in the sandbox's stream too (on x: the inbox shows it when the incident covers x);
        // the team answers it.
        var journalist = await WaitForAsync(async () =>
        {
            var page = await Client.GetFromJsonAsync<JsonElement>($"{sbApi}/mentions?author=dana_reports");
            return page.GetProperty("items").EnumerateArray()
                .Where(m => m.GetProperty("externalId").GetString() == $"drill-{drillId}-journalist-en").Select(m => (JsonElement?)m).FirstOrDefault();
        }, "the journalist's request in the sandbox's stream");
        var journalistId = journalist.GetProperty("id").GetInt64();
        await PostAsync($"{incApi}/inbox/{journalistId}/claim", new { });
        await PostAsync($"{incApi}/replies", new { mentionId = journalistId, text = "Thanks Dana, our statement follows within the hour." });

        // The first playbook task is done in time.
        var task = (await Client.GetFromJsonAsync<JsonElement>($"{incApi}/tasks"))[0];
        var done = await Client.PutAsJsonAsync($"{incApi}/tasks/{task.GetProperty("id").GetInt64()}", new { version = task.GetProperty("version").GetInt64(), title = task.GetProperty("title").GetString(), state = "done" });
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);

        // A public response, then the incident is resolved: the drill ends itself and keeps its score.
        await PostAsync($"{incApi}/notes", new { text = "Holding statement posted", reason = "We speak first", publicResponse = true });
        var prompts = await WaitForAsync(async () =>
        {
            var d = await Client.GetFromJsonAsync<JsonElement>(drillApi);
            return d.GetProperty("injects").GetArrayLength() >= 3 ? d : (JsonElement?)null;
        }, "three prompts fired");
        var timeline = await Client.GetFromJsonAsync<JsonElement>($"{incApi}/timeline?limit=200");
        Assert.Contains(timeline.GetProperty("items").EnumerateArray(), e => e.GetProperty("kind").GetString() == "drill" && e.GetProperty("text").GetString()!.Contains("angry customer", StringComparison.Ordinal));
        var version = (await Client.GetFromJsonAsync<JsonElement>(incApi)).GetProperty("incident").GetProperty("version").GetInt64();
        Assert.Equal(HttpStatusCode.OK, (await Client.PatchAsJsonAsync(incApi, new { status = "resolved", version })).StatusCode);
        var ended = await WaitForAsync(async () =>
        {
            var d = await Client.GetFromJsonAsync<JsonElement>(drillApi);
            return d.GetProperty("state").GetString() == "ended" ? d : (JsonElement?)null;
        }, "the drill to end when its incident was resolved");

        // The score's parts are the review's own figures, against the targets.
        var score = await Client.GetFromJsonAsync<JsonElement>($"{drillApi}/score");
        var figures = (await Client.GetFromJsonAsync<JsonElement>($"{incApi}/review")).GetProperty("figures");
        var parts = score.GetProperty("components").EnumerateArray().ToDictionary(c => c.GetProperty("key").GetString()!);
        foreach (var c in parts.Values)
        {
            output.WriteLine($"{c.GetProperty("key").GetString()}: {c.GetProperty("points").GetDouble()}/{c.GetProperty("weight").GetDouble()} {c.GetProperty("why").GetString()}");
        }

        Assert.Equal(Math.Round(figures.GetProperty("timeToAcknowledgeMinutes").GetDouble(), 2), parts["acknowledge"].GetProperty("value").GetDouble(), 2);
        Assert.Equal(Math.Round(figures.GetProperty("timeToFirstResponseMinutes").GetDouble(), 2), parts["firstResponse"].GetProperty("value").GetDouble(), 2);
        var burstAt = ended.GetProperty("burstAt").GetDateTimeOffset();
        var openedAt = alert.GetProperty("openedAt").GetDateTimeOffset();
        Assert.True(parts["detect"].GetProperty("value").GetDouble() <= Math.Max(0, (openedAt - burstAt).TotalMinutes) + 0.01);
        Assert.Equal(20, parts["acknowledge"].GetProperty("points").GetDouble());
        Assert.Equal(25, parts["firstResponse"].GetProperty("points").GetDouble());
        // Of the prompts fired by the end, only the journalist's was answered.
        Assert.Equal(1, parts["prompts"].GetProperty("value").GetDouble());
        Assert.Equal(ended.GetProperty("injects").GetArrayLength(), (int)parts["prompts"].GetProperty("target").GetDouble());
        Assert.True(prompts.GetProperty("injects").GetArrayLength() >= 3);
        Assert.Equal(applied.GetProperty("created").GetInt32(), (int)parts["tasks"].GetProperty("target").GetDouble());
        Assert.Equal(1, parts["tasks"].GetProperty("value").GetDouble());
        var expected = (int)Math.Round(parts.Values.Where(c => c.GetProperty("applies").GetBoolean()).Sum(c => c.GetProperty("points").GetDouble())
            / parts.Values.Where(c => c.GetProperty("applies").GetBoolean()).Sum(c => c.GetProperty("weight").GetDouble()) * 100, MidpointRounding.AwayFromZero);
        Assert.Equal(expected, score.GetProperty("total").GetInt32());
        Assert.Equal(score.GetProperty("total").GetInt32(), ended.GetProperty("score").GetProperty("total").GetInt32());

        // Kept in the parent's history; ending again is a conflict.
        var history = await viewer.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/drills");
        Assert.Equal(drillId, Assert.Single(history.EnumerateArray()).GetProperty("id").GetInt64());
        Assert.Equal(HttpStatusCode.Conflict, (await Client.PostAsJsonAsync($"{drillApi}/end", new { })).StatusCode);

        // Isolation: the parent got no mentions and no alerts; nothing in the sandbox was queued for sending.
        Assert.Equal(0, (await Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/mentions?limit=10")).GetProperty("items").GetArrayLength());
        Assert.Equal(0, (await Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/alerts")).GetProperty("items").GetArrayLength());
        var replies = await Client.GetFromJsonAsync<JsonElement>($"{incApi}/replies");
        Assert.Equal(2, replies.GetArrayLength());
        Assert.All(replies.EnumerateArray(), r => Assert.Equal("drill", r.GetProperty("state").GetString()));

        // The UI marks the sandbox.
        var page = await Client.GetStringAsync($"/w/{sandbox}/incidents");
        Assert.Contains("DRILL — nothing is published", page, StringComparison.Ordinal);
        Assert.DoesNotContain("DRILL — nothing is published", await Client.GetStringAsync($"/w/{ws}/incidents"), StringComparison.Ordinal);
    }

    private Task<JsonElement> PostAsync(string path, object body) => DrillHttp.PostAsync(Client, path, body);

    private static Task<JsonElement> WaitForAsync(Func<Task<JsonElement?>> probe, string what) => DrillHttp.WaitForAsync(probe, what);
}
