namespace Firebreak.Browser.Tests;

using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

/// <summary>The wellbeing shield: hostile text is not sent to the browser until the reader asks for it.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ShieldTests(BrowserHost host)
{
    // The shipped offensive model flags this (tests/Firebreak.Text.Tests KnownAnswerTests); the words are the point.
    private const string Hostile = "@user you are a fucking idiot, shut up";

    [Fact(Timeout = 120_000)]
    public async Task Dashboard_MentionIsOffensive_HiddenAndNotInSourceUntilShown()
    {
        var slug = await host.NewWorkspaceAsync();
        var id = Mentions.NewId("hostile");
        await host.IngestAsync(slug, Mentions.Background());
        await host.IngestAsync(slug, Mentions.Post(Hostile, id, handle: "angry_passenger", minutesAgo: 0.5));
        var stored = await host.FindMentionAsync(slug, id);
        var analysis = stored.GetProperty("analysis");
        Assert.True(analysis.GetProperty("offensive").GetBoolean() || analysis.GetProperty("hateful").GetBoolean(), $"the analyser did not flag the mention: {analysis}");

        await using var browser = await host.NewPageAsync();
        var page = browser.Page;
        foreach (var path in new[] { $"/w/{slug}", $"/w/{slug}/mentions", $"/w/{slug}/mentions/{stored.GetProperty("id").GetInt64()}" })
        {
            var response = await page.GotoAsync(path);
            var source = await response!.TextAsync();
            Assert.DoesNotContain("fucking idiot", source);
            Assert.Contains("angry_passenger", source); // the mention itself is there, only its text is not
            var article = page.Locator("article.mention[aria-label='Mention by angry_passenger']").First;
            await Expect(article.Locator("[data-shield]")).ToContainTextAsync("Hidden");
            Assert.DoesNotContain("fucking idiot", await page.ContentAsync());
        }

        // The explorer: "Show" fetches the text (with the anti-forgery token) and puts it in place.
        await page.GotoAsync($"/w/{slug}/mentions");
        var hidden = page.Locator("article.mention[aria-label='Mention by angry_passenger']");
        await hidden.GetByRole(AriaRole.Button, new() { Name = "Show the hidden mention by angry_passenger" }).ClickAsync();
        var revealed = page.Locator("article.mention[aria-label='Mention by angry_passenger'] p.text");
        await Expect(revealed).ToHaveTextAsync(Hostile);
        await Expect(revealed).ToBeFocusedAsync();
        await Expect(page.Locator("article.mention[aria-label='Mention by angry_passenger'] [data-shield]")).ToHaveCountAsync(0);
        Assert.Empty(browser.Errors);
    }
}
