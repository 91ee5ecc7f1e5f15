namespace Firebreak.Web.Tests.Publishing;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Firebreak.Core.Mentions;
using Firebreak.Core.Publishing;
using Firebreak.Core.Publishing.Outbox;
using Firebreak.Core.Workspaces;
using Firebreak.Tests.Shared;
using Firebreak.Web.Tests.Api;
using Microsoft.Extensions.DependencyInjection;

/// <summary>The pause switch in the incident room and on its own page, posted as a browser would (server-rendered forms).</summary>
public sealed partial class PauseSwitchUiTests(ApiHost host) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task IncidentRoom_PausesAllScheduledPosts_WithAReason_OnTheTimeline_AndTheHoldsPageResumes()
    {
        var ws = await host.NewWorkspaceAsync();
        var incident = await (await host.Client.PostAsJsonAsync($"/api/workspaces/{ws}/incidents", new { title = "Recall", severity = "sev1", type = "product-safety" })).Content.ReadFromJsonAsync<JsonElement>();
        var id = incident.GetProperty("id").GetInt64();

        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(host.BaseAddress) };
        browser.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", host.OwnerToken);
        var room = await browser.GetStringAsync($"/w/{ws}/incidents/{id}");
        Assert.Contains("Pause all scheduled posts", room, StringComparison.Ordinal);
        Assert.Contains("Scheduled posts are going out as planned.", room, StringComparison.Ordinal);
        var csrf = WebUtility.HtmlDecode(CsrfPattern().Match(room).Groups[1].Value);

        var empty = await browser.PostAsync($"/w/{ws}/publishing/pause", Form(csrf, ("reason", " "), ("back", $"incidents/{id}")));
        Assert.EndsWith($"/w/{ws}/incidents/{id}?done=error-pause-reason", empty.Headers.Location!.OriginalString, StringComparison.Ordinal);

        // A hostile "back" never leaves the workspace.
        var paused = await browser.PostAsync($"/w/{ws}/publishing/pause", Form(csrf, ("reason", "<b>recall</b> announced"), ("scope", "workspace"), ("back", "https://evil.example/")));
        Assert.Equal($"/w/{ws}/publishing/holds?done=paused", paused.Headers.Location!.OriginalString);
        var page = await browser.GetStringAsync(paused.Headers.Location!.OriginalString);
        Assert.Contains("Publishing is paused.", page, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;recall&lt;/b&gt; announced", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>recall</b>", page, StringComparison.Ordinal);

        var timeline = await browser.GetStringAsync($"/w/{ws}/incidents/{id}/timeline");
        Assert.Contains("Publishing paused (all platforms)", timeline, StringComparison.Ordinal);

        var resumed = await browser.PostAsync($"/w/{ws}/publishing/resume", Form(csrf, ("back", "publishing/holds")));
        Assert.EndsWith("done=resumed", resumed.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Empty((await host.Client.GetFromJsonAsync<JsonElement[]>($"/api/workspaces/{ws}/publishing/holds"))!);

        // The host's sender fails a post whose account is not connected (none is, on this branch): the page shows the
        // reason and a manager sends it again.
        var workspace = (await host.Services.GetRequiredService<IWorkspaceStore>().FindAsync(ws, CancellationToken.None))!;
        Assert.True(await host.Services.GetRequiredService<IPublishQueue>().EnqueueAsync(
            new OutboxRequest(workspace.Id, 9, 1, Platform.Mastodon, "mastodon:@gone", "Hello <world>", [], DateTimeOffset.UtcNow, null), CancellationToken.None));
        var store = host.Services.GetRequiredService<IOutboxStore>();
        await Poll.UntilAsync(async () => (await store.ListAsync(workspace.Id, [OutboxState.Failed], 10, CancellationToken.None)).Count == 1, TimeSpan.FromSeconds(30), () => "the sender did not fail the post");
        var holds = await browser.GetStringAsync($"/w/{ws}/publishing/holds");
        Assert.Contains("The owned account &#x27;mastodon:@gone&#x27; is not connected", holds, StringComparison.Ordinal);
        Assert.Contains("Hello &lt;world&gt;", holds, StringComparison.Ordinal);
        var itemId = (await store.ListAsync(workspace.Id, [OutboxState.Failed], 10, CancellationToken.None))[0].Id;
        var retried = await browser.PostAsync($"/w/{ws}/publishing/outbox/{itemId}/retry", Form(csrf));
        Assert.EndsWith("done=post-retried", retried.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    private static FormUrlEncodedContent Form(string csrf, params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)).Append(new("__RequestVerificationToken", csrf)));

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfPattern();
}
