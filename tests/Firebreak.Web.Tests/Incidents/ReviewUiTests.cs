namespace Firebreak.Web.Tests.Incidents;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Firebreak.Web.Tests.Api;

/// <summary>The printable review page and the room's decision forms, as a browser posts them.</summary>
public sealed partial class ReviewUiTests(ApiHost host) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task ReviewPage_PrintsFiguresChartTimeline_SavesText_AndTheRoomRecordsDecisions()
    {
        var ws = await host.NewWorkspaceAsync();
        var id = (await (await host.Client.PostAsJsonAsync($"/api/workspaces/{ws}/incidents", new { title = "Bad <joke>", severity = "sev2", type = "offensive-post" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(host.BaseAddress) };
        browser.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", host.OwnerToken);

        var page = await browser.GetStringAsync($"/w/{ws}/incidents/{id}/review");
        Assert.Contains("Time to first public response", page, StringComparison.Ordinal);
        Assert.Contains("<svg", page, StringComparison.Ordinal);
        Assert.Contains("Review: Bad &lt;joke&gt;", page, StringComparison.Ordinal);
        var csrf = WebUtility.HtmlDecode(CsrfPattern().Match(page).Groups[1].Value);
        var save = await browser.PostAsync($"/w/{ws}/incidents/{id}/review/text", Form(csrf, ("version", "0"), ("wentWell", "Fast <b>apology</b>"), ("wentBadly", ""), ("actionItems", "[x] Train the team | Ben\nNight contact | Carla"), ("playbookChanges", "offensive-post: add a night contact")));
        Assert.EndsWith("done=review-saved", save.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var stale = await browser.PostAsync($"/w/{ws}/incidents/{id}/review/text", Form(csrf, ("version", "0"), ("wentWell", "x")));
        Assert.EndsWith("done=error-review-conflict", stale.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var text = (await host.Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/incidents/{id}/review")).GetProperty("text");
        Assert.Equal(2, text.GetProperty("actionItems").GetArrayLength());
        Assert.True(text.GetProperty("actionItems")[0].GetProperty("done").GetBoolean());
        Assert.Equal("offensive-post", text.GetProperty("playbookChanges")[0].GetProperty("playbookKey").GetString());
        Assert.Contains("Fast &lt;b&gt;apology&lt;/b&gt;", await browser.GetStringAsync($"/w/{ws}/incidents/{id}/review"), StringComparison.Ordinal);

        var deleted = await browser.PostAsync($"/w/{ws}/incidents/{id}/decisions/post", Form(csrf, ("text", "Our graphic joke"), ("url", "https://x.com/acme/status/9"), ("obsceneOrGraphic", "on")));
        Assert.EndsWith("done=decision-recorded#decisions", deleted.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var preview = await browser.GetStringAsync($"/w/{ws}/incidents/{id}?apology=preview&repeated=on&language=en&playbookKey=offensive-post&brand=Acme&date=today&whatHappened=We+joked.&whatWeAreDoing=We+removed+it.&contact=care%40acme.example&speaker=Dana");
        Assert.Contains("Someone higher up apologises.", preview, StringComparison.Ordinal);
        Assert.Contains("We&#x27;ve seen the post from Acme on today.", preview.Replace("&#39;", "&#x27;", StringComparison.Ordinal), StringComparison.Ordinal);
        var apology = await browser.PostAsync($"/w/{ws}/incidents/{id}/decisions/apology", Form(csrf, ("repeated", "on"), ("language", "en"), ("who", "higherUp"), ("statement", "We are sorry.")));
        Assert.Equal($"/w/{ws}/incidents/{id}?done=decision-recorded#decisions", apology.Headers.Location?.OriginalString ?? apology.StatusCode.ToString());

        var timeline = await browser.GetStringAsync($"/w/{ws}/incidents/{id}/timeline");
        Assert.Contains("Decision: delete the post https://x.com/acme/status/9 (archived first).", timeline, StringComparison.Ordinal);
        Assert.Contains("Decision: apology by someone higher up (en)", timeline, StringComparison.Ordinal);
    }

    private static FormUrlEncodedContent Form(string csrf, params (string Name, string Value)[] fields) =>
        new([new("__RequestVerificationToken", csrf), .. fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))]);

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfPattern();
}
