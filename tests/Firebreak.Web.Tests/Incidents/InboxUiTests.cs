namespace Firebreak.Web.Tests.Incidents;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Firebreak.Web.Tests.Api;

/// <summary>The inbox page through HTTP as a browser posts it: ranked with the why, the shield, claim, reply from a template, the replies list.</summary>
public sealed partial class InboxUiTests(ApiHost host) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task Inbox_RanksWithWhy_ShieldsHostileText_ClaimsAndQueuesAReply()
    {
        var ws = await host.NewWorkspaceAsync();
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(HttpStatusCode.OK, (await host.Client.PostAsJsonAsync($"/api/workspaces/{ws}/ingest", new object[]
        {
            new { platform = "bluesky", externalId = "b-1", kind = "post", author = new { handle = "carla", followers = 40_000 }, text = "<script>x</script> the recall is a cover-up", language = "en", createdAt = now.AddMinutes(-5), engagement = new { likes = 50, shares = 20, replies = 4, views = 0 } },
        })).StatusCode);
        var incident = await (await host.Client.PostAsJsonAsync($"/api/workspaces/{ws}/incidents", new { title = "Recall rumour", severity = "sev2" })).Content.ReadFromJsonAsync<JsonElement>();
        var id = incident.GetProperty("id").GetInt64();

        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(host.BaseAddress) };
        browser.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", host.OwnerToken);
        Assert.Contains($"/w/{ws}/incidents/{id}/inbox", await browser.GetStringAsync($"/w/{ws}/incidents/{id}"), StringComparison.Ordinal);
        var page = await browser.GetStringAsync($"/w/{ws}/incidents/{id}/inbox");
        Assert.Contains("reach 40k", page, StringComparison.Ordinal);
        Assert.Matches("Waiting [5-9] min \\(target", page);
        Assert.DoesNotContain("<script>x", page, StringComparison.Ordinal);
        var mentionId = MentionPattern().Match(page).Groups[1].Value;
        var csrf = WebUtility.HtmlDecode(CsrfPattern().Match(page).Groups[1].Value);

        var claim = await browser.PostAsync($"/w/{ws}/incidents/{id}/inbox/{mentionId}/claim", Form(csrf));
        Assert.Contains("done=claimed", claim.Headers.Location!.OriginalString, StringComparison.Ordinal);
        page = await browser.GetStringAsync($"/w/{ws}/incidents/{id}/inbox");
        Assert.Contains("Queue reply", page, StringComparison.Ordinal);
        Assert.Contains("Limit on bluesky: 300 characters.", page, StringComparison.Ordinal);
        var holding = Regex.Match(page, "<option value=\"(\\d+)\">holding-line \\(fr\\)</option>").Groups[1].Value;

        var tooLong = await browser.PostAsync($"/w/{ws}/incidents/{id}/replies", Form(csrf, ("mentionId", mentionId), ("text", new string('a', 301))));
        Assert.Contains("done=error-reply-toolong", tooLong.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var queued = await browser.PostAsync($"/w/{ws}/incidents/{id}/replies", Form(csrf, ("mentionId", mentionId), ("templateId", holding), ("brand", "Acme")));
        Assert.Contains("done=reply-queued", queued.Headers.Location!.OriginalString, StringComparison.Ordinal);
        page = await browser.GetStringAsync(queued.Headers.Location!.OriginalString);
        Assert.Contains("Reply queued", page, StringComparison.Ordinal);
        Assert.Contains("Nous avons connaissance de ces signalements", page, StringComparison.Ordinal);
        Assert.Contains("Answered after", page, StringComparison.Ordinal);
    }

    private static FormUrlEncodedContent Form(string csrf, params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)).Prepend(new("__RequestVerificationToken", csrf)));

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfPattern();

    [GeneratedRegex("id=\"m-(\\d+)\"")]
    private static partial Regex MentionPattern();
}
