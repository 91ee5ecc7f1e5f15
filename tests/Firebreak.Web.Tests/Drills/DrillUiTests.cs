namespace Firebreak.Web.Tests.Drills;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Firebreak.Web.Tests.Api;

/// <summary>The Drills section as a browser uses it: the start form, the running drill's link into its sandbox, the sandbox's banner, ending and the results page.</summary>
public sealed partial class DrillUiTests(ApiHost host) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task DrillsPage_StartsADrill_LinksToTheMarkedSandbox_AndShowsTheScoreWhenEnded()
    {
        var ws = await host.NewWorkspaceAsync();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(host.BaseAddress) };
        browser.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", host.OwnerToken);

        var page = await browser.GetStringAsync($"/w/{ws}/drills");
        Assert.Contains("No drills yet.", page, StringComparison.Ordinal);
        Assert.Contains("<option value=\"hacked-account\">", page, StringComparison.Ordinal);
        Assert.Contains("<option value=\"national-tragedy\">", page, StringComparison.Ordinal);
        Assert.Contains("<option value=\"offensive-post\">", page, StringComparison.Ordinal);
        Assert.Contains("national-tragedy also scores its key decision: all scheduled publishing paused within 5 min of the burst.", page, StringComparison.Ordinal);
        Assert.Contains($"href=\"/w/{ws}/drills\"", page, StringComparison.Ordinal);
        var csrf = WebUtility.HtmlDecode(CsrfPattern().Match(page).Groups[1].Value);

        var bad = await browser.PostAsync($"/w/{ws}/drills/start", Form(csrf, ("playbookKey", "no-such-playbook"), ("speed", "8")));
        Assert.EndsWith("done=error-drill", bad.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var started = await browser.PostAsync($"/w/{ws}/drills/start", Form(csrf, ("playbookKey", "hacked-account"), ("scenario", ""), ("speed", "8")));
        Assert.EndsWith("done=drill-started", started.Headers.Location!.OriginalString, StringComparison.Ordinal);

        var drill = (await host.Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/drills"))[0];
        Assert.Equal("hacked-account", drill.GetProperty("scenario").GetString()); // the hacked-account playbook drills on its own story
        var sandbox = drill.GetProperty("sandbox").GetString()!;
        var list = await browser.GetStringAsync($"/w/{ws}/drills");
        Assert.Contains("Drill 1 is running", list, StringComparison.Ordinal);
        Assert.Contains($"href=\"/w/{sandbox}\"", list, StringComparison.Ordinal);
        Assert.Contains("DRILL — nothing is published", await browser.GetStringAsync($"/w/{sandbox}/incidents"), StringComparison.Ordinal);
        Assert.Contains("drill sandbox: drills are started from the real workspace", await browser.GetStringAsync($"/w/{sandbox}/drills"), StringComparison.Ordinal);

        var id = drill.GetProperty("id").GetInt64();
        var ended = await browser.PostAsync($"/w/{ws}/drills/{id}/end", Form(csrf));
        Assert.EndsWith("done=drill-ended", ended.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var results = await browser.GetStringAsync($"/w/{ws}/drills/{id}");
        Assert.Contains("Score: <span class=\"drill-total\">0</span>/100", results, StringComparison.Ordinal);
        Assert.Contains("no incident was declared in the sandbox", results, StringComparison.Ordinal);
        Assert.DoesNotContain("End the drill", results, StringComparison.Ordinal);
    }

    private static FormUrlEncodedContent Form(string csrf, params (string Name, string Value)[] fields) =>
        new([new("__RequestVerificationToken", csrf), .. fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))]);

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfPattern();
}
