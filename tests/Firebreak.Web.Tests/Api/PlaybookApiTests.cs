namespace Firebreak.Web.Tests.Api;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Firebreak.Core.Playbooks;

public sealed class PlaybookApiTests(ApiHost host) : IClassFixture<ApiHost>
{
    private HttpClient Client => host.Client;

    [Fact]
    public async Task List_NewWorkspace_HasTheShippedLibrary_Unedited()
    {
        var ws = await host.NewWorkspaceAsync();

        var list = await Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/playbooks");

        Assert.Equal(ShippedPlaybooks.List.Count, list.GetArrayLength());
        var breach = list.EnumerateArray().Single(p => p.GetProperty("key").GetString() == "data-breach");
        Assert.Equal(("data-breach", 0, false), (breach.GetProperty("scenario").GetString(), breach.GetProperty("version").GetInt32(), breach.GetProperty("edited").GetBoolean()));
    }

    [Fact]
    public async Task Get_InEachFormat()
    {
        var ws = await host.NewWorkspaceAsync();

        var json = await Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/playbooks/platform-outage");
        var yaml = await Client.GetAsync($"/api/workspaces/{ws}/playbooks/platform-outage?format=yaml");
        var markdown = await Client.GetStringAsync($"/api/workspaces/{ws}/playbooks/platform-outage?format=markdown");
        var unknown = await Client.GetAsync($"/api/workspaces/{ws}/playbooks/platform-outage?format=pdf");
        var missing = await Client.GetAsync($"/api/workspaces/{ws}/playbooks/no-such");

        Assert.Equal("pause-paid", json.GetProperty("playbook").GetProperty("steps")[2].GetProperty("id").GetString());
        Assert.Equal("application/yaml", yaml.Content.Headers.ContentType!.MediaType);
        Assert.Equal(ShippedPlaybooks.Find("platform-outage")!.Yaml, await yaml.Content.ReadAsStringAsync());
        Assert.StartsWith("# Platform outage or ban", markdown, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Validate_ReturnsEveryErrorWithLineAndColumn()
    {
        var ws = await host.NewWorkspaceAsync();

        var result = await Client.PostAsJsonAsync($"/api/workspaces/{ws}/playbooks/validate", new { yaml = "key: x\ntitle: T\nscenario: hacked\ncolour: red\n" });

        var body = await result.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(body.GetProperty("valid").GetBoolean());
        var errors = body.GetProperty("errors").EnumerateArray().Select(e => $"{e.GetProperty("line").GetInt32()}:{e.GetProperty("column").GetInt32()}").ToList();
        Assert.Contains("3:11", errors);
        Assert.Contains("4:1", errors);
    }

    [Fact]
    public async Task Save_Versions_GetOld_Restore_AndPlan()
    {
        var ws = await host.NewWorkspaceAsync();
        var url = $"/api/workspaces/{ws}/playbooks/national-tragedy";
        var edited = ShippedPlaybooks.Find("national-tragedy")!.Yaml.Replace("severity: medium", "severity: high", StringComparison.Ordinal);

        var invalid = await Client.PutAsJsonAsync(url, new { yaml = edited.Replace("owner: lead", "owner: boss", StringComparison.Ordinal) });
        var saved = await Client.PutAsJsonAsync(url, new { yaml = edited, note = "We serve a grieving region often" });
        var restored = await Client.PostAsync(url + "/versions/0/restore", null);
        var versions = await Client.GetFromJsonAsync<JsonElement>(url + "/versions");
        var first = await Client.GetFromJsonAsync<JsonElement>(url + "/versions/1");
        var missingVersion = await Client.GetAsync(url + "/versions/7");
        var plan = await Client.GetFromJsonAsync<JsonElement>(url + "/plan?start=2025-01-19T04:30:00Z");

        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("Unknown incident role 'boss'", (await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, (await saved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32());
        Assert.Equal(2, (await restored.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32());
        Assert.Equal([2, 1, 0], versions.EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
        Assert.Equal("We serve a grieving region often", versions[1].GetProperty("note").GetString());
        Assert.Equal(edited, first.GetProperty("yaml").GetString());
        Assert.Equal(HttpStatusCode.NotFound, missingVersion.StatusCode);
        Assert.Equal("medium", (await Client.GetFromJsonAsync<JsonElement>(url)).GetProperty("playbook").GetProperty("defaultSeverity").GetString());
        Assert.Equal(("pause-all", "lead", true), (plan[0].GetProperty("stepId").GetString(), plan[0].GetProperty("ownerRole").GetString(), plan[0].GetProperty("needsApproval").GetBoolean()));
        Assert.Equal(new DateTimeOffset(2025, 1, 19, 4, 45, 0, TimeSpan.Zero), plan[0].GetProperty("dueAt").GetDateTimeOffset());
    }
}
