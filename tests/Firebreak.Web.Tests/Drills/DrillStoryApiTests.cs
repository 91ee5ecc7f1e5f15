namespace Firebreak.Web.Tests.Drills;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Firebreak.Web.Tests.Api;
using Xunit.Abstractions;

/// <summary>
/// The storylines with their own stream, end to end on a real host: a hacked-account playbook drills on the hacked-account
/// story (its own mentions and prompts through the real pipeline, a real alert), the team pauses publishing in the sandbox
/// through the real pause API, and the ended drill's key decision is scored from that pause; a tragedy drill where nobody
/// pauses scores nothing for it.
/// </summary>
public sealed class DrillStoryApiTests(AlertApiHost host, ITestOutputHelper output) : IClassFixture<AlertApiHost>
{
    private HttpClient Client => host.Client;

    [Fact]
    public async Task A_hacked_account_drill_plays_its_own_story_and_scores_the_pause()
    {
        var ws = await host.NewWorkspaceAsync();
        await PostAsync($"/api/workspaces/{ws}/topics", new { name = "Brand", query = "\"aurora air\" OR auroraair OR #auroraair OR @auroraair" });

        var scenarios = (await Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/drills/scenarios")).EnumerateArray().ToDictionary(s => s.GetProperty("key").GetString()!);
        Assert.Contains("Publishing paused", scenarios["hacked-account"].GetProperty("keyDecision").GetString(), StringComparison.Ordinal);
        Assert.Contains("whether you were hacked", string.Join('|', scenarios["hacked-account"].GetProperty("prompts").EnumerateArray().Select(p => p.GetString())), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, scenarios["sudden-burst"].GetProperty("keyDecision").ValueKind);

        // No scenario named: the playbook's kind picks its own story.
        var drill = await PostAsync($"/api/workspaces/{ws}/drills", new { playbookKey = "hacked-account", speed = 240, ratePerMinute = 2, minutes = 20 });
        Assert.Equal("hacked-account", drill.GetProperty("scenario").GetString());
        var drillApi = $"/api/workspaces/{ws}/drills/{drill.GetProperty("id").GetInt64()}";
        var sbApi = $"/api/workspaces/{drill.GetProperty("sandbox").GetString()}";

        // The story's stream reaches the sandbox: the viral "were you hacked" post and a real alert.
        await WaitForAsync(async () =>
        {
            var page = await Client.GetFromJsonAsync<JsonElement>($"{sbApi}/mentions?author=nadiakorsakova_sec");
            return page.GetProperty("items").EnumerateArray().Select(m => (JsonElement?)m).FirstOrDefault(m => m!.Value.GetProperty("text").GetString()!.Contains("hacked", StringComparison.Ordinal));
        }, "the story's viral post in the sandbox");
        var alert = await WaitForAsync(async () =>
        {
            var list = await Client.GetFromJsonAsync<JsonElement>($"{sbApi}/alerts?state=open");
            return list.GetProperty("items").EnumerateArray().Select(a => (JsonElement?)a).FirstOrDefault();
        }, "an alert in the sandbox");
        output.WriteLine($"alert: {alert.GetProperty("signal").GetString()} {alert.GetProperty("explanation").GetString()}");

        // The key decision, through the real pause switch of the sandbox (a platform pause is enough for a hacked account).
        await PostAsync($"{sbApi}/publishing/pause", new { scope = "platform", target = "x", reason = "Drill: account hacked, securing it" });
        var holds = await Client.GetFromJsonAsync<JsonElement>($"{sbApi}/publishing/holds");
        Assert.Equal(1, holds.GetArrayLength());

        var prompt = await WaitForAsync(async () =>
        {
            var d = await Client.GetFromJsonAsync<JsonElement>(drillApi);
            return d.GetProperty("injects").EnumerateArray().Any(i => i.GetProperty("key").GetString() == "were-you-hacked") ? d : (JsonElement?)null;
        }, "the follower's \"were you hacked?\" prompt");
        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsJsonAsync($"{drillApi}/end", new { })).StatusCode);

        var score = await Client.GetFromJsonAsync<JsonElement>($"{drillApi}/score");
        var parts = score.GetProperty("components").EnumerateArray().ToDictionary(c => c.GetProperty("key").GetString()!);
        var decision = parts["keyDecision"];
        output.WriteLine($"keyDecision: {decision.GetProperty("points").GetDouble()}/{decision.GetProperty("weight").GetDouble()} {decision.GetProperty("why").GetString()}");
        Assert.True(decision.GetProperty("applies").GetBoolean());
        var burstAt = prompt.GetProperty("burstAt").GetDateTimeOffset();
        var minutes = decision.GetProperty("value").GetDouble();
        Assert.InRange(minutes, 0, Math.Max(0, (DateTimeOffset.UtcNow - burstAt).TotalMinutes) + 0.01);
        Assert.Equal(20, decision.GetProperty("points").GetDouble()); // paused within seconds of the burst: under the 5 min target
        Assert.Equal(20, decision.GetProperty("weight").GetDouble());
    }

    [Fact]
    public async Task A_tragedy_drill_where_nobody_pauses_scores_nothing_for_the_key_decision()
    {
        var ws = await host.NewWorkspaceAsync();
        var drill = await PostAsync($"/api/workspaces/{ws}/drills", new { playbookKey = "national-tragedy", speed = 240, ratePerMinute = 2, minutes = 20 });
        Assert.Equal("national-tragedy", drill.GetProperty("scenario").GetString());
        var sbApi = $"/api/workspaces/{drill.GetProperty("sandbox").GetString()}";
        var drillApi = $"/api/workspaces/{ws}/drills/{drill.GetProperty("id").GetInt64()}";

        // A campaign pause is not the one switch that stops everything scheduled: it does not count.
        await PostAsync($"{sbApi}/publishing/pause", new { scope = "campaign", target = "sunshine-sale", reason = "Drill: pulling one campaign only" });
        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsJsonAsync($"{drillApi}/end", new { })).StatusCode);

        var score = await Client.GetFromJsonAsync<JsonElement>($"{drillApi}/score");
        var decision = score.GetProperty("components").EnumerateArray().Single(c => c.GetProperty("key").GetString() == "keyDecision");
        Assert.Equal(0, decision.GetProperty("points").GetDouble());
        Assert.Equal(JsonValueKind.Null, decision.GetProperty("value").ValueKind);
        Assert.Contains("never paused", decision.GetProperty("why").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pause_lifted_again_before_the_drill_ends_still_counts_for_the_key_decision()
    {
        var ws = await host.NewWorkspaceAsync();
        var drill = await PostAsync($"/api/workspaces/{ws}/drills", new { playbookKey = "national-tragedy", speed = 240, ratePerMinute = 2, minutes = 20 });
        var sbApi = $"/api/workspaces/{drill.GetProperty("sandbox").GetString()}";
        var drillApi = $"/api/workspaces/{ws}/drills/{drill.GetProperty("id").GetInt64()}";

        await PostAsync($"{sbApi}/publishing/pause", new { scope = "workspace", reason = "Drill: national mourning, everything scheduled stops" });
        await PostAsync($"{sbApi}/publishing/resume", new { scope = "workspace" });
        Assert.Equal(0, (await Client.GetFromJsonAsync<JsonElement>($"{sbApi}/publishing/holds")).GetArrayLength());
        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsJsonAsync($"{drillApi}/end", new { })).StatusCode);

        var score = await Client.GetFromJsonAsync<JsonElement>($"{drillApi}/score");
        var decision = score.GetProperty("components").EnumerateArray().Single(c => c.GetProperty("key").GetString() == "keyDecision");
        Assert.Equal(20, decision.GetProperty("points").GetDouble()); // paused at or before the burst, read back from the audit trail
        Assert.Contains("all publishing was paused", decision.GetProperty("why").GetString(), StringComparison.Ordinal);
    }

    private Task<JsonElement> PostAsync(string path, object body) => DrillHttp.PostAsync(Client, path, body);

    private static Task<JsonElement> WaitForAsync(Func<Task<JsonElement?>> probe, string what) => DrillHttp.WaitForAsync(probe, what);
}
