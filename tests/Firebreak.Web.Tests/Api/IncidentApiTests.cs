namespace Firebreak.Web.Tests.Api;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Firebreak.Core.Detection;
using Firebreak.Core.Security;
using Firebreak.Core.Workspaces;
using Firebreak.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

/// <summary>The crisis room through the API on a real host: alerts opening and joining incidents, milestones, tasks, roles.</summary>
public sealed class IncidentApiTests(AlertApiHost host) : IClassFixture<AlertApiHost>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private HttpClient Client => host.Client;

    [Fact]
    public async Task OpenAsIncident_OpensOne_ASecondAlertOnTheTopicJoinsIt_AndMilestonesReachTheTimeline()
    {
        var ws = await host.NewWorkspaceAsync();
        await host.DetectAsync(ws, DetectionSeverity.High);
        await host.DetectAsync(ws, DetectionSeverity.Medium, dimension: "en");
        var alerts = await AlertsAsync(ws, 2);
        var first = alerts.Single(a => a.GetProperty("dimension").GetString() == "").GetProperty("id").GetInt64();
        var second = alerts.Single(a => a.GetProperty("dimension").GetString() == "en").GetProperty("id").GetInt64();

        var promoted = await (await Client.PostAsJsonAsync($"/api/workspaces/{ws}/alerts/{first}/incident", new { by = "ana" })).Content.ReadFromJsonAsync<JsonElement>();
        var incidentId = promoted.GetProperty("incidentId").GetString()!;
        var joined = await (await Client.PostAsJsonAsync($"/api/workspaces/{ws}/alerts/{second}/incident", new { by = "ben" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(incidentId, joined.GetProperty("incidentId").GetString());

        var detail = await Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/incidents/{incidentId}");
        var incident = detail.GetProperty("incident");
        Assert.Equal(("sev2", "active", "other"), (incident.GetProperty("severity").GetString(), incident.GetProperty("status").GetString(), incident.GetProperty("type").GetString()));
        Assert.Equal("Negative volume: whole stream", incident.GetProperty("title").GetString());
        Assert.Equal([first, second], incident.GetProperty("alertIds").EnumerateArray().Select(a => a.GetInt64()));
        Assert.Equal("ana", incident.GetProperty("declaredBy").GetProperty("name").GetString());
        Assert.Single(await Client.GetFromJsonAsync<JsonElement[]>($"/api/workspaces/{ws}/incidents?status=active") ?? []);

        // Opening (or joining) the incident acknowledged each alert; the first grows to critical and the second is
        // resolved: both are milestones of the incident.
        Assert.Equal(("acknowledged", "ana"), (promoted.GetProperty("state").GetString(), promoted.GetProperty("acknowledgedBy").GetString()));
        await host.DetectAsync(ws, DetectionSeverity.Critical);
        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsJsonAsync($"/api/workspaces/{ws}/alerts/{second}/resolve", new { by = "carla", reason = "duplicate of the first" })).StatusCode);
        JsonElement[] entries = [];
        await Poll.UntilAsync(
            async () => (entries = await TimelineAsync(ws, incidentId)).Count(e => e.GetProperty("kind").GetString() == "alertMilestone") >= 2,
            Patience,
            () => "milestones missing: " + string.Join(" | ", entries.Select(e => e.GetProperty("text").GetString())));

        var texts = entries.Select(e => (Kind: e.GetProperty("kind").GetString(), Text: e.GetProperty("text").GetString()!)).ToList();
        Assert.Contains(texts, e => e.Kind == "alertMilestone" && e.Text.StartsWith($"Alert {first} severity high → critical", StringComparison.Ordinal));
        Assert.Contains(texts, e => e.Kind == "alertMilestone" && e.Text == $"Alert {second} resolved by carla: duplicate of the first");
        Assert.Contains(texts, e => e.Kind == "alertLinked" && e.Text.Contains("already open", StringComparison.Ordinal));
        Assert.Equal("declared", texts[^1].Kind);
        Assert.Equal(entries.Select(e => e.GetProperty("id").GetInt64()).OrderDescending(), entries.Select(e => e.GetProperty("id").GetInt64()));
    }

    [Fact]
    public async Task Declare_Update_AndValidationNamesTheField()
    {
        var ws = await host.NewWorkspaceAsync();
        var bad = await Client.PostAsJsonAsync($"/api/workspaces/{ws}/incidents", new { title = " ", type = "meteor", severity = "sev0", topicIds = new[] { 424242L }, platforms = new[] { "myspace2" } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(["platforms", "severity", "title", "topicIds", "type"], Errors(await bad.Content.ReadFromJsonAsync<JsonElement>()));

        var created = await Client.PostAsJsonAsync($"/api/workspaces/{ws}/incidents", new { title = "CEO clip", type = "executive-misconduct", severity = "SEV2", platforms = new[] { "x", "tiktok" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var incident = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = incident.GetProperty("id").GetInt64();
        Assert.Equal(1, incident.GetProperty("version").GetInt64());

        var badUpdate = await Client.PatchAsJsonAsync($"/api/workspaces/{ws}/incidents/{id}", new { status = "panicking", severity = "worst" });
        Assert.Equal(["severity", "status"], Errors(await badUpdate.Content.ReadFromJsonAsync<JsonElement>()));
        var stable = await (await Client.PatchAsJsonAsync($"/api/workspaces/{ws}/incidents/{id}", new { status = "stable", severity = "sev3", version = 1 })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("stable", "sev3", 2L), (stable.GetProperty("status").GetString(), stable.GetProperty("severity").GetString(), stable.GetProperty("version").GetInt64()));
        var stale = await Client.PatchAsJsonAsync($"/api/workspaces/{ws}/incidents/{id}", new { status = "resolved", version = 1 });
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);

        var tooLong = await Client.PostAsJsonAsync($"/api/workspaces/{ws}/incidents/{id}/notes", new { text = new string('x', 4_001) });
        Assert.Equal(["text"], Errors(await tooLong.Content.ReadFromJsonAsync<JsonElement>()));
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync($"/api/workspaces/{ws}/incidents/{id}/notes", new { text = "<script>alert(1)</script> زمان پاسخ" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync($"/api/workspaces/{ws}/incidents/{id}/notes", new { text = "No comment on the clip yet", reason = "legal review first" })).StatusCode);

        var timeline = await TimelineAsync(ws, id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(["decision", "note", "statusChanged", "severityChanged", "declared"], timeline.Select(e => e.GetProperty("kind").GetString()));
        Assert.Equal("legal review first", timeline[0].GetProperty("data").GetProperty("reason").GetString());

        var other = await host.NewWorkspaceAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/api/workspaces/{other}/incidents/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.PostAsJsonAsync($"/api/workspaces/{other}/incidents/{id}/notes", new { text = "x" })).StatusCode);
    }

    [Fact]
    public async Task Tasks_StaleVersionGets409WithTheCurrentTask_DoneTwiceIsFine()
    {
        var ws = await host.NewWorkspaceAsync();
        var id = (await (await Client.PostAsJsonAsync($"/api/workspaces/{ws}/incidents", new { title = "Leak", type = "data-breach", severity = "sev1" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var tasks = $"/api/workspaces/{ws}/incidents/{id}/tasks";
        Assert.Equal(["ownerRole", "title"], Errors(await (await Client.PostAsJsonAsync(tasks, new { title = "", ownerRole = "janitor" })).Content.ReadFromJsonAsync<JsonElement>()));
        var task = await (await Client.PostAsJsonAsync(tasks, new { title = "Notify the regulator", stepId = "notify", ownerRole = "approver" })).Content.ReadFromJsonAsync<JsonElement>();
        var taskId = task.GetProperty("id").GetInt64();
        Assert.Equal(JsonValueKind.Null, task.GetProperty("ownerId").ValueKind);

        Assert.Equal(["version"], Errors(await (await Client.PutAsJsonAsync($"{tasks}/{taskId}", new { title = "x" })).Content.ReadFromJsonAsync<JsonElement>()));
        var mine = await Client.PutAsJsonAsync($"{tasks}/{taskId}", new { version = 1, title = "Notify the regulator within 72h", state = "open" });
        var theirs = await Client.PutAsJsonAsync($"{tasks}/{taskId}", new { version = 1, title = "Notify the regulator", state = "done" });
        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, theirs.StatusCode);
        var current = (await theirs.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("current");
        Assert.Equal(("Notify the regulator within 72h", 2L), (current.GetProperty("title").GetString(), current.GetProperty("version").GetInt64()));

        var done = await Client.PutAsJsonAsync($"{tasks}/{taskId}", new { version = 2, title = "Notify the regulator within 72h", state = "done" });
        var again = await Client.PutAsJsonAsync($"{tasks}/{taskId}", new { version = 2, title = "Notify the regulator within 72h", state = "done" });
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (done.StatusCode, again.StatusCode));
        Assert.Equal("done", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());
        Assert.Single(await TimelineAsync(ws, id.ToString(System.Globalization.CultureInfo.InvariantCulture)), e => e.GetProperty("kind").GetString() == "taskDone");
    }

    [Fact]
    public async Task ApplyPlaybook_StepsBecomeTasks_OwnedByRoleHolders_DueFromDeclaration_AndOnlyOnce()
    {
        var ws = await host.NewWorkspaceAsync();
        var workspace = (await host.Services.GetRequiredService<IWorkspaceStore>().FindAsync(ws, CancellationToken.None))!;
        await TestAccounts.TokenForAsync(host.Services, $"scribe-{ws}@example.com", workspace.Id, WorkspaceRole.Responder);
        var scribeId = (await host.Services.GetRequiredService<IAccountStore>().FindByEmailAsync($"scribe-{ws}@example.com", CancellationToken.None))!.Id;
        var incident = await (await Client.PostAsJsonAsync($"/api/workspaces/{ws}/incidents", new { title = "Account posting crypto scams", type = "hacked-account", severity = "sev1" })).Content.ReadFromJsonAsync<JsonElement>();
        var id = incident.GetProperty("id").GetInt64();
        var declaredAt = incident.GetProperty("declaredAt").GetDateTimeOffset();
        Assert.Equal(HttpStatusCode.OK, (await Client.PutAsJsonAsync($"/api/workspaces/{ws}/incidents/{id}/roles/scribe", new { accountIds = new[] { scribeId } })).StatusCode);

        var plan = await Client.GetFromJsonAsync<JsonElement[]>($"/api/workspaces/{ws}/playbooks/hacked-account/plan?start={Uri.EscapeDataString(declaredAt.ToString("O"))}");
        var applied = await Client.PostAsJsonAsync($"/api/workspaces/{ws}/incidents/{id}/playbook", new { key = "hacked-account" });
        Assert.Equal(HttpStatusCode.OK, applied.StatusCode);
        var result = await applied.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(plan!.Length, result.GetProperty("created").GetInt32());

        var tasks = await Client.GetFromJsonAsync<JsonElement[]>($"/api/workspaces/{ws}/incidents/{id}/tasks");
        Assert.Equal(plan.Length, tasks!.Length);
        // The archive step belongs to the scribe, who holds that role; its deadline runs from the declaration.
        var archive = tasks.Single(t => t.GetProperty("stepId").GetString() == "hacked-account/archive");
        var archivePlan = plan.Single(p => p.GetProperty("stepId").GetString() == "archive");
        Assert.Equal(scribeId, archive.GetProperty("ownerId").GetInt64());
        Assert.Equal(archivePlan.GetProperty("dueAt").GetDateTimeOffset(), archive.GetProperty("dueAt").GetDateTimeOffset());
        Assert.Contains("approval", tasks.Single(t => t.GetProperty("stepId").GetString() == "hacked-account/delete-intruder").GetProperty("title").GetString(), StringComparison.Ordinal);

        var again = await (await Client.PostAsJsonAsync($"/api/workspaces/{ws}/incidents/{id}/playbook", new { key = "hacked-account" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((0, plan.Length), (again.GetProperty("created").GetInt32(), again.GetProperty("alreadyThere").GetInt32()));
        Assert.Equal(plan.Length, (await Client.GetFromJsonAsync<JsonElement[]>($"/api/workspaces/{ws}/incidents/{id}/tasks"))!.Length);
        Assert.Contains(await TimelineAsync(ws, id.ToString(System.Globalization.CultureInfo.InvariantCulture)), e => e.GetProperty("kind").GetString() == "playbookApplied");

        Assert.Equal(HttpStatusCode.NotFound, (await Client.PostAsJsonAsync($"/api/workspaces/{ws}/incidents/{id}/playbook", new { key = "no-such-playbook" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.PostAsJsonAsync($"/api/workspaces/{ws}/incidents/{id}/playbook", new { key = "" })).StatusCode);
    }

    [Fact]
    public async Task Roles_ByManagersOrTheLead_MembersOnly()
    {
        var ws = await host.NewWorkspaceAsync();
        var workspace = (await host.Services.GetRequiredService<IWorkspaceStore>().FindAsync(ws, CancellationToken.None))!;
        var responderToken = await TestAccounts.TokenForAsync(host.Services, $"lead-{ws}@example.com", workspace.Id, WorkspaceRole.Responder);
        var responderId = (await host.Services.GetRequiredService<IAccountStore>().FindByEmailAsync($"lead-{ws}@example.com", CancellationToken.None))!.Id;
        using var responder = TestAccounts.WithBearer(new Uri(host.BaseAddress), responderToken);
        var id = (await (await Client.PostAsJsonAsync($"/api/workspaces/{ws}/incidents", new { title = "Backlash", type = "influencer-backlash", severity = "sev3" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var roles = $"/api/workspaces/{ws}/incidents/{id}/roles";

        Assert.Equal(HttpStatusCode.Forbidden, (await responder.PutAsJsonAsync($"{roles}/scribe", new { accountIds = new[] { responderId } })).StatusCode);
        Assert.Equal(["accountIds"], Errors(await (await Client.PutAsJsonAsync($"{roles}/lead", new { accountIds = new[] { responderId, 987654L } })).Content.ReadFromJsonAsync<JsonElement>()));
        Assert.Equal(["role"], Errors(await (await Client.PutAsJsonAsync($"{roles}/janitor", new { accountIds = Array.Empty<long>() })).Content.ReadFromJsonAsync<JsonElement>()));
        Assert.Equal(HttpStatusCode.OK, (await Client.PutAsJsonAsync($"{roles}/lead", new { accountIds = new[] { responderId } })).StatusCode);

        // Now the lead, the responder hands out a hat.
        var set = await responder.PutAsJsonAsync($"{roles}/scribe", new { accountIds = new[] { responderId } });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(["lead", "scribe"], (await set.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Select(r => r.GetProperty("role").GetString()));
        var timeline = await TimelineAsync(ws, id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(2, timeline.Count(e => e.GetProperty("kind").GetString() == "rolesChanged"));
    }

    private static string[] Errors(JsonElement problem) => [.. problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order()];

    private async Task<JsonElement[]> TimelineAsync(string ws, string id) =>
        [.. (await Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/incidents/{id}/timeline")).GetProperty("items").EnumerateArray()];

    private async Task<JsonElement[]> AlertsAsync(string ws, int count)
    {
        JsonElement page = default;
        await Poll.UntilAsync(
            async () => (page = await Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/alerts")).GetProperty("items").GetArrayLength() >= count,
            Patience,
            () => "alerts not opened");
        return [.. page.GetProperty("items").EnumerateArray()];
    }
}
