namespace Firebreak.Browser.Tests;

using System.Net.Http.Json;
using System.Globalization;
using Firebreak.Core.Security;
using Firebreak.Core.Workspaces;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

/// <summary>The publishing calendar in the browser: compose a post, find it in the month and week views, have another member approve it.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PublishingTests(BrowserHost host)
{
    [Fact(Timeout = 180_000)]
    public async Task Calendar_ComposeSubmitSeeInMonthAndWeek_ApprovedByAnotherMemberNotTheAuthor()
    {
        var slug = await host.NewWorkspaceAsync();
        // The brand's owned account the post goes to (a post must name a connected account); loopback port 9 refuses at once.
        (await host.Client.PostAsJsonAsync($"/api/workspaces/{slug}/connections", new { platform = "mastodon", handle = "@brand@example.social", baseUri = "http://127.0.0.1:9/", token = "test-token" })).EnsureSuccessStatusCode();
        var day = DateTimeOffset.UtcNow.AddDays(3);
        var date = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        const string Text = "Launch day 🚀 مرحبا — our spring range is here";

        await using var owner = await host.NewPageAsync();
        var page = owner.Page;
        await page.GotoAsync($"/w/{slug}/publishing");
        await page.GetByRole(AriaRole.Link, new() { Name = "New post" }).ClickAsync();
        await page.GetByLabel("Platform").SelectOptionAsync("mastodon");
        await page.GetByLabel("Account").FillAsync("mastodon:@brand@example.social");
        await page.GetByLabel("Text", new() { Exact = true }).FillAsync(Text);
        await page.GetByLabel("Campaign").FillAsync("spring");
        await page.GetByLabel("When (wall time)").FillAsync($"{date}T10:00");
        await page.GetByLabel("Time zone").FillAsync("Europe/London");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.Locator("[role=status]").First).ToHaveTextAsync("Post saved.");
        await Expect(page.Locator("tr[data-platform=mastodon] td").First).ToHaveTextAsync($"{Text.Length - 1} / 500");

        await page.GetByRole(AriaRole.Button, new() { Name = "Submit for review" }).ClickAsync();
        await Expect(page.Locator("[role=status]").First).ToHaveTextAsync("Sent for review.");

        // The author may not approve it.
        await page.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await Expect(page.Locator("[role=status]").First).ToContainTextAsync("nobody approves their own post");

        // Month view, then week view: the post is on its day, in review.
        await page.GotoAsync($"/w/{slug}/publishing?view=month&date={date}");
        var inMonth = page.Locator($"table.calendar.month td[data-date='{date}'] li.post");
        await Expect(inMonth).ToHaveCountAsync(1);
        await Expect(inMonth).ToContainTextAsync("mastodon");
        await Expect(inMonth.Locator(".state")).ToHaveTextAsync("in-review");
        await Expect(inMonth.Locator("time")).ToHaveTextAsync("10:00");
        await page.GetByRole(AriaRole.Link, new() { Name = "Week" }).ClickAsync();
        var inWeek = page.Locator($"table.calendar.week td[data-date='{date}'] li.post");
        await Expect(inWeek).ToHaveCountAsync(1);
        await Expect(inWeek.Locator(".snippet")).ToHaveTextAsync(Text);

        // Another member (a manager) signs in and approves it.
        const string Password = "calendar approvals at noon";
        var email = $"max-{slug}@example.com";
        var accounts = host.Services.GetRequiredService<IAccountStore>();
        var workspace = (await host.Services.GetRequiredService<IWorkspaceStore>().FindAsync(slug, CancellationToken.None))!;
        var max = await accounts.CreateAsync(email, "Max", host.Services.GetRequiredService<PasswordHasher>().Hash(Password), false, CancellationToken.None);
        await accounts.SetMembershipAsync(workspace.Id, max!.Id, WorkspaceRole.Manager, CancellationToken.None);
        await using var manager = await host.NewAnonymousPageAsync();
        await BrowserHost.SignInAsync(manager.Page, email, Password);
        await manager.Page.GotoAsync($"/w/{slug}/publishing?view=week&date={date}");
        await manager.Page.Locator($"td[data-date='{date}'] li.post a").ClickAsync();
        await Expect(manager.Page.Locator(".approval-progress")).ToContainTextAsync("waiting for any Managers");
        await manager.Page.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await Expect(manager.Page.Locator("[role=status]").First).ToHaveTextAsync("Approved.");
        await Expect(manager.Page.Locator(".post-status")).ToContainTextAsync("Approved by: Max (step 1)");

        await page.GotoAsync($"/w/{slug}/publishing?view=month&date={date}");
        await Expect(inMonth.Locator(".state")).ToHaveTextAsync("scheduled"); // approved with a time: handed to the outbox
        Assert.Empty(owner.Errors);
        Assert.Empty(manager.Errors);
    }
}
