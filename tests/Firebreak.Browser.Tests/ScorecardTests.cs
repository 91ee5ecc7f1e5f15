namespace Firebreak.Browser.Tests;

using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

/// <summary>The scorecards page in the browser: reached from the calendar, a goal set, a policy event logged, the trust score and advice follow.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ScorecardTests(BrowserHost host)
{
    [Fact(Timeout = 180_000)]
    public async Task Scorecards_GoalAndPolicyEvent_ShowInTheTableTrustScoreAndAdvice()
    {
        var slug = await host.NewWorkspaceAsync();
        await using var owner = await host.NewPageAsync();
        var page = owner.Page;
        await page.GotoAsync($"/w/{slug}/publishing");
        await page.GetByRole(AriaRole.Link, new() { Name = "Scorecards", Exact = true }).ClickAsync();
        await Expect(page.Locator("h2#h-platforms + p.empty")).ToContainTextAsync("No platforms yet");

        var goals = page.Locator("section[aria-labelledby=h-goals]");
        await goals.GetByLabel("Platform").SelectOptionAsync("tiktok");
        await goals.GetByLabel("Metric").SelectOptionAsync("engagement-rate");
        await goals.GetByLabel("At least").FillAsync("2");
        await goals.GetByRole(AriaRole.Button, new() { Name = "Save goal" }).ClickAsync();
        await Expect(page.Locator("[role=status]").First).ToContainTextAsync("Goal saved");

        var policy = page.Locator("section[aria-labelledby=h-policy]");
        await policy.GetByLabel("Platform").SelectOptionAsync("tiktok");
        await policy.GetByLabel("Severity").SelectOptionAsync("critical");
        await policy.GetByLabel("What happened").FillAsync("country ban announced — حظر");
        await policy.GetByRole(AriaRole.Button, new() { Name = "Log event" }).ClickAsync();
        await Expect(page.Locator("[role=status]").First).ToContainTextAsync("Policy event logged");

        var row = page.Locator("tr[data-platform=tiktok]");
        await Expect(row.Locator("td.trust strong")).ToHaveTextAsync("43");
        await Expect(row).ToContainTextAsync("no data");
        await Expect(row).ToContainTextAsync("country ban announced — حظر");
        await Expect(row).ToContainTextAsync("✗ not yet");
        await Expect(page.Locator("ul.advice li[data-kind=policy]")).ToContainTextAsync("plan for losing this channel");

        await page.GetByRole(AriaRole.Link, new() { Name = "Best of: repost what worked →" }).ClickAsync();
        await Expect(page.Locator("section[aria-labelledby=h-best] p.empty")).ToContainTextAsync("Nothing to rank yet");
    }
}
