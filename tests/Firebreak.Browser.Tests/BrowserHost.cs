namespace Firebreak.Browser.Tests;

using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Firebreak.Core.Alerts;
using Firebreak.Core.Detection;
using Firebreak.Core.Security;
using Firebreak.Core.Workspaces;
using Firebreak.Tests.Shared;
using Firebreak.Web.Auth;
using Firebreak.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

/// <summary>
/// One real Firebreak host (SQLite in a temp folder, no demo) on a free loopback port, and one headless Debian
/// chromium driven by Playwright, shared by every browser test. Tests isolate themselves by creating their own
/// workspace (<see cref="NewWorkspaceAsync"/>) and their own browser context (<see cref="NewPageAsync"/>).
/// </summary>
public sealed class BrowserHost : IAsyncLifetime
{
    /// <summary>Where the browser is, unless FIREBREAK_TEST_CHROMIUM says otherwise. CI installs it (scripts/test-services).</summary>
    public const string DefaultChromium = "/usr/bin/chromium";

    /// <summary>The owner every test signs in as; created once per fixture by <see cref="CreateOwnerAsync"/>.</summary>
    public const string OwnerEmail = TestAccounts.OwnerEmail;

    public const string OwnerPassword = TestAccounts.OwnerPassword;

    private readonly DirectoryInfo data = Directory.CreateTempSubdirectory("firebreak-browser-");
    private WebApplication? app;
    private IPlaywright? playwright;
    private readonly SemaphoreSlim signInOnce = new(1, 1);
    private string? signedInState;

    public HttpClient Client { get; private set; } = null!;

    public string BaseAddress { get; private set; } = string.Empty;

    public IBrowser Browser { get; private set; } = null!;

    public IServiceProvider Services => app!.Services;

    /// <summary>Alert timings short enough for a test.</summary>
    private static readonly AlertOptions Alerting = new()
    {
        PollInterval = TimeSpan.FromMilliseconds(50),
        RetryBase = TimeSpan.FromMilliseconds(100),
        RetryMax = TimeSpan.FromSeconds(1),
        MaxAttempts = 3,
        TickInterval = TimeSpan.FromMilliseconds(200),
    };

    public static string ChromiumPath()
    {
        var path = Environment.GetEnvironmentVariable("FIREBREAK_TEST_CHROMIUM") is { Length: > 0 } set ? set : DefaultChromium;
        if (!File.Exists(path))
        {
            // Not a skip: CI installs chromium (scripts/test-services), so a missing browser is a broken environment.
            throw new InvalidOperationException(
                $"The browser tests need Chromium at {path} and it is not there. Install Debian's chromium " +
                "(apt-get install chromium, or run scripts/test-services as root) or point FIREBREAK_TEST_CHROMIUM at a Chromium binary.");
        }

        return path;
    }

    public async Task InitializeAsync()
    {
        var chromium = ChromiumPath();
        app = await FirebreakHost.BuildAsync(
            new FirebreakOptions { DataDirectory = data.FullName, Urls = "http://127.0.0.1:0", DurableCommits = false },
            services =>
            {
                services.AddSingleton(Alerting);

                // Every browser test signs in from 127.0.0.1, so the per-IP sign-in limit (10 a minute; tested in
                // Web.Tests' SignInTests) would throttle the suite itself once several people sign in.
                services.AddSingleton(new AccountOptions { SignInAttemptsPerMinute = 1_000 });
            });
        await app.StartAsync();
        BaseAddress = app.Urls.First();
        Client = new HttpClient { BaseAddress = new Uri(BaseAddress), Timeout = TimeSpan.FromSeconds(60) };

        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"],
        });
        await CreateOwnerAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        playwright?.Dispose();
        Client?.Dispose();
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            data.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A file still closing; the temp folder is cleaned by the OS later.
        }
    }

    /// <summary>
    /// Creates the owner account the tests sign in as, once per fixture, through the real first-run setup (with the
    /// token the host printed), and gives <see cref="Client"/> the owner's API token for the test's own API calls.
    /// </summary>
    private async Task CreateOwnerAsync()
    {
        var token = await TestAccounts.SetupOwnerAsync(new Uri(BaseAddress), app!.Services.GetRequiredService<SetupToken>().Value!);
        Client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>
    /// Signs <paramref name="page"/>'s browser context in through the sign-in page, as a person does; the session cookie
    /// then serves every page of the context. THE one place the browser tests sign in.
    /// </summary>
    public static async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("/signin");
        await page.GetByLabel("E-mail").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/signin", StringComparison.Ordinal));
    }

    /// <summary>
    /// A fresh browser context and page, signed in as the owner, that records dialogs and page errors.
    /// <paramref name="bypassCsp"/> switches the page's Content-Security-Policy off, to test the encoding on its own
    /// (with the policy on, injected script would be blocked anyway and a broken encoder could go unnoticed).
    /// </summary>
    public async Task<BrowserPage> NewPageAsync(bool bypassCsp = false)
    {
        // The owner signs in through the page once; later contexts start from that session's cookies, as a person's
        // next tab would. (Signing in for every test would also trip the sign-in rate limit, 10 a minute per address.)
        var state = await SignedInStateAsync();
        var context = await Browser.NewContextAsync(new() { BaseURL = BaseAddress, ViewportSize = new() { Width = 1280, Height = 900 }, BypassCSP = bypassCsp, StorageState = state });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        return new BrowserPage(context, page);
    }

    /// <summary>A fresh, signed-out page (for the sign-in and account tests).</summary>
    public async Task<BrowserPage> NewAnonymousPageAsync()
    {
        var context = await Browser.NewContextAsync(new() { BaseURL = BaseAddress, ViewportSize = new() { Width = 1280, Height = 900 } });
        context.SetDefaultTimeout(15_000);
        return new BrowserPage(context, await context.NewPageAsync());
    }

    private async Task<string> SignedInStateAsync()
    {
        await signInOnce.WaitAsync();
        try
        {
            if (signedInState is null)
            {
                await using var first = await NewAnonymousPageAsync();
                await SignInAsync(first.Page, OwnerEmail, OwnerPassword);
                signedInState = await first.Context.StorageStateAsync();
            }

            return signedInState;
        }
        finally
        {
            signInOnce.Release();
        }
    }

    /// <summary>
    /// A second person: an account with a password, made a member of <paramref name="slug"/> with <paramref name="role"/>
    /// on the store, then signed in through the sign-in page in a fresh browser context (as that person would).
    /// </summary>
    public async Task<BrowserPage> NewMemberPageAsync(string slug, WorkspaceRole role, string name)
    {
        var email = $"{name.ToLowerInvariant()}-{slug}@example.com";
        var password = "kettle lanterns over the harbour " + slug;
        var accounts = Services.GetRequiredService<IAccountStore>();
        var workspace = await Services.GetRequiredService<IWorkspaceStore>().FindAsync(slug, CancellationToken.None);
        var hash = Services.GetRequiredService<PasswordHasher>().Hash(password);
        var account = await accounts.CreateAsync(email, name, hash, instanceAdmin: false, CancellationToken.None)
            ?? throw new InvalidOperationException("Could not create " + email);
        await accounts.SetMembershipAsync(workspace!.Id, account.Id, role, CancellationToken.None);
        var page = await NewAnonymousPageAsync();
        await SignInAsync(page.Page, email, password);
        return page;
    }

    /// <summary>Creates a workspace with a unique slug, so tests sharing the host never see each other's data.</summary>
    public async Task<string> NewWorkspaceAsync(string name = "Acme Air")
    {
        var slug = "ws-" + Guid.NewGuid().ToString("N")[..12];
        var response = await Client.PostAsJsonAsync("/api/workspaces", new { slug, name = $"{name} {slug[3..7]}" });
        response.EnsureSuccessStatusCode();
        return slug;
    }

    public async Task<long> NewTopicAsync(string slug, string name, string query)
    {
        var response = await Client.PostAsJsonAsync($"/api/workspaces/{slug}/topics", new { name, query, enabled = true });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    /// <summary>Ingests mentions over HTTP (NDJSON) as a connector would; returns the server's answer.</summary>
    public async Task<JsonElement> IngestAsync(string slug, params IEnumerable<object> mentions)
    {
        var body = string.Join('\n', mentions.Select(m => JsonSerializer.Serialize(m))) + "\n";
        using var content = new StringContent(body, Encoding.UTF8, "application/x-ndjson");
        var response = await Client.PostAsync($"/api/workspaces/{slug}/ingest", content);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, $"ingest answered {(int)response.StatusCode}: {answer}");
        return answer;
    }

    /// <summary>The stored id of a mention, by its platform id.</summary>
    public async Task<JsonElement> FindMentionAsync(string slug, string externalId, string? byText = null)
    {
        var page = await Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{slug}/mentions?limit=500");
        foreach (var item in page.GetProperty("items").EnumerateArray())
        {
            if (item.GetProperty("externalId").GetString() == externalId || (byText is not null && item.GetProperty("text").GetString()!.Contains(byText, StringComparison.Ordinal)))
            {
                return item;
            }
        }

        throw new InvalidOperationException($"mention {externalId} not found in {slug}");
    }

    /// <summary>Raises an alert in the workspace as a detector would (through the alert sink), and waits until it exists.</summary>
    public async Task<long> RaiseAlertAsync(string slug, string explanation, DetectionSeverity severity = DetectionSeverity.High)
    {
        var workspace = await Services.GetRequiredService<IWorkspaceStore>().FindAsync(slug, CancellationToken.None);
        var now = TimeProvider.System.GetUtcNow();
        await Services.GetRequiredService<IAlertSink>().SubmitAsync([new Detection(workspace!.Id, 0, DetectionSignal.NegativeVolume, "", now, now, severity, 0.9, 140, 10, explanation, ["refund"], [])]);
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (true)
        {
            var alerts = await Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{slug}/alerts");
            var items = alerts.ValueKind == JsonValueKind.Array ? alerts : alerts.GetProperty("items");
            if (items.GetArrayLength() > 0)
            {
                return items[0].GetProperty("id").GetInt64();
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, "no alert was raised within 30 s");
            await Task.Delay(100);
        }
    }
}

/// <summary>A page in its own browser context, with what it did that a test may want to forbid: dialogs and script errors.</summary>
public sealed class BrowserPage : IAsyncDisposable
{
    public BrowserPage(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
        page.Dialog += (_, dialog) =>
        {
            lock (Dialogs)
            {
                Dialogs.Add($"{dialog.Type}: {dialog.Message}");
            }

            _ = dialog.DismissAsync();
        };
        page.PageError += (_, error) =>
        {
            lock (Errors)
            {
                Errors.Add(error);
            }
        };
    }

    public IBrowserContext Context { get; }

    /// <summary>Opens a live page and returns once its event stream (a URL containing <paramref name="stream"/>) is connected, so nothing sent after is missed.</summary>
    public async Task GotoLiveAsync(string path, string stream)
    {
        await Page.RunAndWaitForResponseAsync(() => Page.GotoAsync(path), r => r.Url.Contains(stream, StringComparison.Ordinal) && r.Status == 200);
    }

    public IPage Page { get; }

    /// <summary>Every alert/confirm/prompt the page opened (script running that should not have).</summary>
    public List<string> Dialogs { get; } = [];

    /// <summary>Uncaught script errors.</summary>
    public List<string> Errors { get; } = [];

    public async ValueTask DisposeAsync() => await Context.CloseAsync();
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserHost>
{
    public const string Name = "browser";
}
