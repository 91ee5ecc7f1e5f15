namespace Firebreak.Browser.Tests;

using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

[Collection(BrowserCollection.Name)]
public sealed class TopicEditorTests(BrowserHost host)
{
    [Fact(Timeout = 120_000)]
    public async Task TopicEditor_QueryTyped_PreviewFollowsErrorPointsAtFaultAndSavedTopicListed()
    {
        var slug = await host.NewWorkspaceAsync();
        await host.IngestAsync(slug, Mentions.Background());
        await host.NewTopicAsync(slug, "Lounges", "lounge");
        await using var browser = await host.NewPageAsync();
        var page = browser.Page;

        await page.GotoAsync($"/w/{slug}/topics");
        await page.GetByRole(AriaRole.Link, new() { Name = "New topic" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/topics/new$"));
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Name", Exact = true }).FillAsync("Refunds");
        var query = page.GetByRole(AriaRole.Textbox, new() { Name = "Query", Exact = true });
        var preview = page.Locator("#topic-preview");

        // The preview follows the query as it is typed (no submit, no reload).
        await query.PressSequentiallyAsync("refund", new() { Delay = 40 });
        await Expect(preview).ToContainTextAsync("2 of the latest 5 mentions match");
        await Expect(preview.Locator("article.mention p.text")).ToHaveTextAsync([
            "Customer service sorted my refund in ten minutes, thanks!",
            "Flight AA123 delayed again, third time this month. Still waiting for my refund.",
        ]);

        // A broken query: the error, with the fault marked where it is (the end: "(" opens a group nothing closes).
        await query.PressSequentiallyAsync(" AND (", new() { Delay = 40 });
        var error = preview.Locator(".error[role=alert]");
        await Expect(error).ToBeVisibleAsync();
        await Expect(preview.Locator("article.mention")).ToHaveCountAsync(0);
        var caret = error.Locator("pre.caret");
        await Expect(caret).ToHaveAttributeAsync("aria-label", "Position 13 of the query");
        Assert.Equal("refund AND (", await caret.EvaluateAsync<string>("pre => pre.querySelector('mark').previousSibling?.textContent ?? ''"));
        Assert.Equal(new string(' ', 12) + "^", await caret.Locator("span[aria-hidden=true]").TextContentAsync());

        // A fault in the middle is marked in the middle.
        await query.FillAsync("");
        await query.PressSequentiallyAsync("refund OR OR delay", new() { Delay = 20 });
        await Expect(caret).ToHaveAttributeAsync("aria-label", "Position 11 of the query");
        await Expect(caret.Locator("mark")).ToHaveTextAsync("OR");
        Assert.Equal(new string(' ', 10) + "^", await caret.Locator("span[aria-hidden=true]").TextContentAsync());

        // Fixed: matches again, then saved and listed.
        await query.FillAsync("");
        await query.PressSequentiallyAsync("refund OR remboursement", new() { Delay = 20 });
        await Expect(preview).ToContainTextAsync("3 of the latest 5 mentions match");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save topic" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/w/{slug}/topics\\?done=saved$"));
        await Expect(page.Locator("[role=status]")).ToHaveTextAsync("Saved.");
        var row = page.Locator("tbody tr").Filter(new() { HasText = "Refunds" });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.Locator("td.q")).ToHaveTextAsync("refund OR remboursement");
        await Expect(row).ToContainTextAsync("listening");
        await Expect(page.Locator("tbody tr")).ToHaveCountAsync(2);
        Assert.Empty(browser.Errors);
    }
}
