namespace Firebreak.Browser.Tests;

using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

[Collection(BrowserCollection.Name)]
public sealed class AlertTests(BrowserHost host)
{
    [Fact(Timeout = 120_000)]
    public async Task Alerts_AlertRaised_AnnouncedThenAcknowledgedSnoozedResolvedWithStateShown()
    {
        var slug = await host.NewWorkspaceAsync();
        await host.IngestAsync(slug, Mentions.Background());
        await using var browser = await host.NewPageAsync();
        var page = browser.Page;

        await browser.GotoLiveAsync($"/w/{slug}/alerts", "/alerts/live");
        await Expect(page.Locator("main")).ToContainTextAsync("No active alerts");

        // Raised while the page is open: the page says so, and the latest view shows it.
        const string explanation = "negative mentions about refunds 14× usual";
        await host.RaiseAlertAsync(slug, explanation);
        var changed = page.GetByRole(AriaRole.Link, new() { Name = "Alerts changed: show the latest" });
        await Expect(changed).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await changed.ClickAsync();
        var row = page.Locator("table.alerts-table tbody tr").Filter(new() { HasText = explanation });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.Locator("td").Nth(4)).ToHaveTextAsync("open");

        await row.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" }).ClickAsync();
        await Expect(page.Locator("[role=status]").First).ToHaveTextAsync("Alert acknowledged: escalation stopped.");
        await Expect(row.Locator("td").Nth(4)).ToHaveTextAsync("acknowledged");
        await Expect(row.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" })).ToHaveCountAsync(0);

        await row.GetByLabel("Snooze for").SelectOptionAsync("60");
        await row.GetByRole(AriaRole.Button, new() { Name = "Snooze" }).ClickAsync();
        await Expect(page.Locator("[role=status]").First).ToHaveTextAsync("Alert snoozed.");
        await Expect(row.Locator("td").Nth(4)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^acknowledged, snoozed until \\d\\d:\\d\\d$"));

        await row.GetByLabel("Reason").FillAsync("Refund backlog cleared, statement posted");
        await row.GetByRole(AriaRole.Button, new() { Name = "Resolve" }).ClickAsync();
        await Expect(page.Locator("[role=status]").First).ToHaveTextAsync("Alert resolved.");
        await Expect(page.Locator("main")).ToContainTextAsync("No active alerts");

        await page.GetByRole(AriaRole.Link, new() { Name = "Resolved", Exact = true }).ClickAsync();
        var resolved = page.Locator("table.alerts-table tbody tr").Filter(new() { HasText = explanation });
        await Expect(resolved.Locator("td").Nth(4)).ToHaveTextAsync("resolved");

        // The alert's own page tells the story.
        await resolved.Locator("td").Nth(1).GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page.Locator("p.summary strong")).ToHaveTextAsync("resolved");
        await Expect(page.Locator("p.summary")).ToContainTextAsync("Refund backlog cleared, statement posted");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Resolve" })).ToHaveCountAsync(0);
        var history = page.Locator("ol.timeline");
        foreach (var kind in new[] { "Acknowledged", "Snoozed", "Resolved" })
        {
            await Expect(history).ToContainTextAsync(kind, new() { IgnoreCase = true });
        }

        Assert.Empty(browser.Errors);
    }
}
