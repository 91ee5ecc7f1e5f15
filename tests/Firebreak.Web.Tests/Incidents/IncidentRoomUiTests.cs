namespace Firebreak.Web.Tests.Incidents;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Firebreak.Web.Tests.Api;

/// <summary>The room's pages and forms through HTTP as a browser would post them (server-rendered, no script needed).</summary>
public sealed partial class IncidentRoomUiTests(ApiHost host) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task Room_ShowsPeoplesTextEncoded_AndAStaleTaskButtonExplainsTheConflict()
    {
        var ws = await host.NewWorkspaceAsync();
        var incident = await (await host.Client.PostAsJsonAsync($"/api/workspaces/{ws}/incidents", new { title = "<img src=x onerror=alert(1)> رسوایی", severity = "sev1", type = "offensive-post" })).Content.ReadFromJsonAsync<JsonElement>();
        var id = incident.GetProperty("id").GetInt64();
        var task = await (await host.Client.PostAsJsonAsync($"/api/workspaces/{ws}/incidents/{id}/tasks", new { title = "Take the post down" })).Content.ReadFromJsonAsync<JsonElement>();
        var taskId = task.GetProperty("id").GetInt64();
        // Someone else edits the task after "our" page was rendered with version 1.
        Assert.Equal(HttpStatusCode.OK, (await host.Client.PutAsJsonAsync($"/api/workspaces/{ws}/incidents/{id}/tasks/{taskId}", new { version = 1, title = "Take the post down and archive it", state = "open" })).StatusCode);

        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(host.BaseAddress) };
        browser.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", host.OwnerToken);
        var room = await browser.GetStringAsync($"/w/{ws}/incidents/{id}");
        Assert.DoesNotContain("<img src=x", room, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", room, StringComparison.Ordinal);
        Assert.Contains("SEV1", room, StringComparison.Ordinal);
        var csrf = WebUtility.HtmlDecode(CsrfPattern().Match(room).Groups[1].Value);

        var stale = await browser.PostAsync($"/w/{ws}/incidents/{id}/tasks/{taskId}/done", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = csrf, ["version"] = "1" }));
        Assert.Equal(HttpStatusCode.Redirect, stale.StatusCode);
        var explained = await browser.GetStringAsync(stale.Headers.Location!.OriginalString);
        Assert.Contains("your change was not applied and nothing of theirs was overwritten", explained, StringComparison.Ordinal);
        Assert.Contains("Take the post down and archive it", explained, StringComparison.Ordinal);

        var done = await browser.PostAsync($"/w/{ws}/incidents/{id}/tasks/{taskId}/done", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = csrf, ["version"] = "2" }));
        Assert.EndsWith("done=task-done", done.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var note = await browser.PostAsync($"/w/{ws}/incidents/{id}/notes", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = csrf, ["text"] = "<b>holding</b> statement out" }));
        Assert.EndsWith("done=note-added", note.Headers.Location!.OriginalString, StringComparison.Ordinal);

        var timeline = await browser.GetStringAsync($"/w/{ws}/incidents/{id}/timeline");
        Assert.Contains("&lt;b&gt;holding&lt;/b&gt; statement out", timeline, StringComparison.Ordinal);
        Assert.Contains("Task done: Take the post down and archive it", timeline, StringComparison.Ordinal);
        Assert.Contains($"/w/{ws}/incidents/{id}", await browser.GetStringAsync($"/w/{ws}/incidents"), StringComparison.Ordinal);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfPattern();
}
