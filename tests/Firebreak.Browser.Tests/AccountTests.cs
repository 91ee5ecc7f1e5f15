namespace Firebreak.Browser.Tests;

using System.Text.RegularExpressions;
using Firebreak.Core.Security;
using Firebreak.Core.Workspaces;
using Firebreak.Web.Auth;
using Firebreak.Web.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

/// <summary>Accounts as people meet them in the browser: the first run, an invitation, two-factor sign-in.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AccountTests(BrowserHost host)
{
    [Fact(Timeout = 120_000)]
    public async Task Setup_FirstRun_WeakPasswordsRefusedThenOwnerOwnsEveryWorkspace()
    {
        // A host of its own: the shared one was set up by the fixture already.
        var data = Directory.CreateTempSubdirectory("firebreak-setup-");
        await using var app = await FirebreakHost.BuildAsync(new FirebreakOptions { DataDirectory = data.FullName, Urls = "http://127.0.0.1:0", DurableCommits = false });
        await app.StartAsync();
        await app.Services.GetRequiredService<IWorkspaceStore>().AddAsync("harbour", "Harbour Ferries", "UTC", CancellationToken.None);
        var token = app.Services.GetRequiredService<SetupToken>().Value!;
        var context = await host.Browser.NewContextAsync(new() { BaseURL = app.Urls.First() });
        var page = await context.NewPageAsync();

        await page.GotoAsync("/w/harbour");
        await Expect(page).ToHaveURLAsync(new Regex("/signin"));
        await Expect(page.GetByText("has no account yet")).ToBeVisibleAsync();

        await page.GotoAsync($"/setup?token={token}");
        // Too short: the browser itself refuses to send it (minlength), and the server would too.
        await FillSetupAsync(page, "password");
        Assert.True(await page.Locator("#password").EvaluateAsync<bool>("e => e.validity.tooShort"));
        Assert.Contains("/setup", page.Url, StringComparison.Ordinal);
        foreach (var weak in new[] { "P@ssw0rd2024!", "harbour.owner@example.com1" })
        {
            await FillSetupAsync(page, weak);
            await Expect(page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
            Assert.Contains("/setup", page.Url, StringComparison.Ordinal);
        }

        await FillSetupAsync(page, "tide tables and a lighthouse keeper");
        await Expect(page).ToHaveURLAsync(new Regex("/$"));
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Harbour Ferries" })).ToBeVisibleAsync();
        await Expect(page.Locator("ul.workspaces .role")).ToHaveTextAsync("owner");

        // The link is void once used: nobody else can claim the instance.
        await page.GotoAsync($"/setup?token={token}");
        await Expect(page.GetByText("already set up")).ToBeVisibleAsync();
        await context.CloseAsync();
        await app.StopAsync();
    }

    [Fact(Timeout = 120_000)]
    public async Task SignIn_InvitedMemberTurnsOnTwoFactor_CodeRequiredOnceAndRecoveryCodesWorkOnce()
    {
        var slug = await host.NewWorkspaceAsync("Nimbus Rail");
        var email = $"rhea-{slug}@example.com";
        const string Password = "signal boxes at dawn in winter";

        // The owner invites a responder from the settings page and gets a one-time link to hand over.
        await using var owner = await host.NewPageAsync();
        await owner.Page.GotoAsync($"/w/{slug}/settings");
        await owner.Page.GetByLabel("E-mail").FillAsync(email);
        await owner.Page.GetByLabel("Role", new() { Exact = true }).SelectOptionAsync("Responder");
        await owner.Page.GetByRole(AriaRole.Button, new() { Name = "Add", Exact = true }).ClickAsync();
        var link = await owner.Page.Locator(".banner code").InnerTextAsync();
        Assert.Contains("/invite?token=", link, StringComparison.Ordinal);

        await using var member = await host.NewAnonymousPageAsync();
        var page = member.Page;
        await page.GotoAsync(link);
        await page.GetByLabel("Your name").FillAsync("Rhea");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(Password);
        await page.GetByLabel("Password again").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Accept the invitation" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/signin"));

        await BrowserHost.SignInAsync(page, email, Password);
        await Expect(page.Locator("ul.workspaces .role")).ToHaveTextAsync("responder");
        await page.GotoAsync($"/w/{slug}/settings");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not allowed" })).ToBeVisibleAsync();

        // Two-factor on: the key from the page, the code an authenticator app would show.
        await page.GotoAsync("/account");
        await page.GetByRole(AriaRole.Button, new() { Name = "Set up two-factor" }).ClickAsync();
        var secret = Base32.Decode(await page.Locator("code.secret").InnerTextAsync());
        var code = Totp.Code(secret, Totp.StepAt(DateTimeOffset.UtcNow));
        await page.GetByLabel("Code from the app").FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "Turn on two-factor" }).ClickAsync();
        await Expect(page.GetByText("Two-factor sign-in is on.")).ToBeVisibleAsync();
        var recovery = await page.Locator("ul.codes code").AllInnerTextsAsync();
        Assert.Equal(10, recovery.Count);

        // Next sign-in: the password alone is not enough, a used code is refused, a fresh recovery code works once.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await SignInToCodeAsync(page, email, Password);
        await EnterCodeAsync(page, code);
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("not right");
        await page.GotoAsync($"/w/{slug}");
        await Expect(page).ToHaveURLAsync(new Regex("/signin"));

        await SignInToCodeAsync(page, email, Password);
        await EnterCodeAsync(page, recovery[0]);
        await Expect(page.Locator("ul.workspaces .role")).ToHaveTextAsync("responder");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await SignInToCodeAsync(page, email, Password);
        await EnterCodeAsync(page, recovery[0]);
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("not right");
    }

    private static async Task FillSetupAsync(IPage page, string password)
    {
        await page.GetByLabel("E-mail").FillAsync("harbour.owner@example.com");
        await page.GetByLabel("Your name").FillAsync("Hana");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByLabel("Password again").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create the owner account" }).ClickAsync();
        await page.WaitForLoadStateAsync();
    }

    private static async Task SignInToCodeAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("/signin");
        await page.GetByLabel("E-mail").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/signin/two-factor"));
    }

    private static async Task EnterCodeAsync(IPage page, string code)
    {
        await page.GetByLabel("Code").FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await page.WaitForLoadStateAsync();
    }
}
