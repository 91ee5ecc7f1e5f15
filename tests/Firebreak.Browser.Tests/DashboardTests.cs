namespace Firebreak.Browser.Tests;

using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

[Collection(BrowserCollection.Name)]
public sealed class DashboardTests(BrowserHost host)
{
    [Fact(Timeout = 120_000)]
    public async Task Dashboard_NewMentionIngested_AppearsInLiveMentionsWithoutReload()
    {
        var slug = await host.NewWorkspaceAsync();
        await host.IngestAsync(slug, Mentions.Background());
        await using var browser = await host.NewPageAsync();
        var page = browser.Page;

        await browser.GotoLiveAsync($"/w/{slug}", "/mentions/stream");
        var stream = page.Locator("section.stream-panel");
        await Expect(stream).ToContainTextAsync("Flight AA123 delayed again");
        // A marker that a reload would wipe: the page must stay the same document.
        await page.EvaluateAsync("() => { window.__sameDocument = true; }");

        const string text = "BREAKING: engine fire reported on flight AA456, passengers evacuated on the runway";
        await host.IngestAsync(slug, Mentions.Post(text, handle: "newsdesk_live", displayName: "Newsdesk", minutesAgo: 0));

        await Expect(stream.Locator("article.mention").First).ToContainTextAsync(text, new() { Timeout = 8_000 });
        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "the page reloaded instead of updating live");
        Assert.Empty(browser.Errors);
    }
}
