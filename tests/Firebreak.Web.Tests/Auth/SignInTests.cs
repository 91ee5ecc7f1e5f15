namespace Firebreak.Web.Tests.Auth;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Firebreak.Core.Secrets;
using Firebreak.Core.Security;
using Firebreak.Tests.Shared;
using Firebreak.Web.Auth;
using Firebreak.Web.Hosting;
using Microsoft.Extensions.DependencyInjection;

/// <summary>Sign-in, sessions, lockout, rate limit, two-factor, tokens and anti-forgery over real HTTP.</summary>
public sealed class SignInTests(AuthHost host) : IClassFixture<AuthHost>
{
    [Fact]
    public async Task CookieSignIn_GivesASessionThatReadsItsWorkspaces()
    {
        var ws = await host.NewWorkspaceAsync();
        var person = await host.PersonAsync(ws, WorkspaceRole.Viewer);

        using var session = await host.SignInAsync(person.Email);

        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync($"/api/workspaces/{ws}/topics")).StatusCode);
        var me = await session.GetFromJsonAsync<JsonElement>("/api/account");
        Assert.Equal(ws, Assert.Single(me.GetProperty("workspaces").EnumerateArray()).GetProperty("slug").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Anonymous.GetAsync($"/api/workspaces/{ws}/topics")).StatusCode);
        Assert.Contains(session.DefaultRequestHeaders.GetValues("X-CSRF-TOKEN"), t => t.Length > 20);
    }

    [Fact]
    public async Task SignIn_HashWithOldParameters_IsRehashed()
    {
        var ws = await host.NewWorkspaceAsync();
        var person = await host.PersonAsync(ws, WorkspaceRole.Viewer);
        var accounts = host.Services.GetRequiredService<IAccountStore>();
        await accounts.SetPasswordAsync(person.Id, new PasswordHasher(new PasswordHashOptions { Iterations = 10 }).Hash(AuthHost.Password), null, CancellationToken.None);

        using var session = await host.SignInAsync(person.Email);

        Assert.StartsWith("pbkdf2-sha256$1000$", (await accounts.GetAsync(person.Id, CancellationToken.None))!.PasswordHash, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublicDocuments_StayAnonymous_AndOpenApiDeclaresTheBearerScheme()
    {
        var openApi = await host.Anonymous.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, openApi.StatusCode);
        Assert.Contains("\"bearer\"", await openApi.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await host.Anonymous.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Anonymous.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Anonymous.GetAsync("/api/workspaces")).StatusCode);
    }

    [Fact]
    public async Task CookieSession_ChangeWithoutCsrfHeader_IsRefused()
    {
        var ws = await host.NewWorkspaceAsync();
        var person = await host.PersonAsync(ws, WorkspaceRole.Manager);
        using var session = await host.SignInAsync(person.Email);
        var csrf = session.DefaultRequestHeaders.GetValues("X-CSRF-TOKEN").Single();

        session.DefaultRequestHeaders.Remove("X-CSRF-TOKEN");
        var refused = await session.PostAsJsonAsync($"/api/workspaces/{ws}/topics", new { name = "Refunds", query = "refund*" });
        session.DefaultRequestHeaders.Add("X-CSRF-TOKEN", "forged");
        var forged = await session.PostAsJsonAsync($"/api/workspaces/{ws}/topics", new { name = "Refunds", query = "refund*" });
        session.DefaultRequestHeaders.Remove("X-CSRF-TOKEN");
        session.DefaultRequestHeaders.Add("X-CSRF-TOKEN", csrf);
        var accepted = await session.PostAsJsonAsync($"/api/workspaces/{ws}/topics", new { name = "Refunds", query = "refund*" });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Anti-forgery", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
    }

    [Fact]
    public async Task WrongPassword_FiveTimes_LocksTheAccount_AndAnUnknownEmailLooksTheSame()
    {
        var ws = await host.NewWorkspaceAsync();
        var person = await host.PersonAsync(ws, WorkspaceRole.Viewer);
        using var client = TestAccounts.NewSession(new Uri(host.BaseAddress));
        var unknown = $"nobody-{Guid.NewGuid():N}@example.com";

        var known = new List<HttpStatusCode>();
        var stranger = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            known.Add((await client.PostAsJsonAsync("/api/account/signin", new { email = person.Email, password = "wrong password " + i })).StatusCode);
            stranger.Add((await client.PostAsJsonAsync("/api/account/signin", new { email = unknown, password = "wrong password " + i })).StatusCode);
        }

        var rightButLocked = await client.PostAsJsonAsync("/api/account/signin", new { email = person.Email, password = AuthHost.Password });

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Unauthorized, 4), (HttpStatusCode)423], known);
        Assert.Equal(known, stranger);
        Assert.Equal((HttpStatusCode)423, rightButLocked.StatusCode);
        var audit = await host.Client.GetFromJsonAsync<JsonElement>("/api/audit?limit=500");
        Assert.Contains(audit.EnumerateArray(), e => e.GetProperty("action").GetString() == "signin.locked-out" && e.GetProperty("actorId").GetInt64() == person.Id);

        host.Clock.Offset += TimeSpan.FromMinutes(16);
        try
        {
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/account/signin", new { email = person.Email, password = AuthHost.Password })).StatusCode);
        }
        finally
        {
            host.Clock.Offset -= TimeSpan.FromMinutes(16);
        }
    }

    [Fact]
    public async Task PasswordChange_EndsOtherSessions()
    {
        var ws = await host.NewWorkspaceAsync();
        var person = await host.PersonAsync(ws, WorkspaceRole.Viewer);
        using var first = await host.SignInAsync(person.Email);
        using var second = await host.SignInAsync(person.Email);

        var changed = await first.PostAsJsonAsync("/api/account/password", new { currentPassword = AuthHost.Password, newPassword = "a brand new quiet harbour" });

        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await second.GetAsync($"/api/workspaces/{ws}/topics")).StatusCode);
        using var again = await host.SignInAsync(person.Email, "a brand new quiet harbour");
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync($"/api/workspaces/{ws}/topics")).StatusCode);
    }

    [Fact]
    public async Task TwoFactor_TotpAndRecoveryCode_EachWorkOnce()
    {
        var ws = await host.NewWorkspaceAsync();
        var person = await host.PersonAsync(ws, WorkspaceRole.Viewer);
        using var session = await host.SignInAsync(person.Email);
        var setup = await (await session.PostAsync("/api/account/two-factor/begin", null)).Content.ReadFromJsonAsync<JsonElement>();
        var secret = Base32.Decode(setup.GetProperty("secret").GetString()!);
        Assert.StartsWith("otpauth://totp/Firebreak:", setup.GetProperty("uri").GetString(), StringComparison.Ordinal);
        var step = Totp.StepAt(host.Clock.GetUtcNow());
        var confirmed = await session.PostAsJsonAsync("/api/account/two-factor/confirm", new { code = Totp.Code(secret, step) });
        confirmed.EnsureSuccessStatusCode();
        var codes = (await confirmed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("recoveryCodes").EnumerateArray().Select(c => c.GetString()!).ToList();
        Assert.Equal(10, codes.Distinct().Count());
        var stored = await host.Services.GetRequiredService<IAccountStore>().GetTwoFactorAsync(person.Id, CancellationToken.None);
        Assert.DoesNotContain(Base32.Encode(secret), stored.Secret, StringComparison.Ordinal);

        // The code used to confirm was spent: it does not sign in again.
        Assert.Equal(HttpStatusCode.Unauthorized, await SecondFactorAsync(person.Email, Totp.Code(secret, step)));
        Assert.Equal(HttpStatusCode.OK, await SecondFactorAsync(person.Email, Totp.Code(secret, step + 1)));
        Assert.Equal(HttpStatusCode.Unauthorized, await SecondFactorAsync(person.Email, Totp.Code(secret, step + 1)));
        Assert.Equal(HttpStatusCode.OK, await SecondFactorAsync(person.Email, codes[3].ToUpperInvariant()));
        Assert.Equal(HttpStatusCode.Unauthorized, await SecondFactorAsync(person.Email, codes[3]));
    }

    [Fact]
    public async Task TwoFactorPending_IsNotASession()
    {
        var ws = await host.NewWorkspaceAsync();
        var person = await host.PersonAsync(ws, WorkspaceRole.Viewer);
        using var session = await host.SignInAsync(person.Email);
        var setup = await (await session.PostAsync("/api/account/two-factor/begin", null)).Content.ReadFromJsonAsync<JsonElement>();
        (await session.PostAsJsonAsync("/api/account/two-factor/confirm", new { code = Totp.Code(Base32.Decode(setup.GetProperty("secret").GetString()!), Totp.StepAt(host.Clock.GetUtcNow())) })).EnsureSuccessStatusCode();

        using var pending = TestAccounts.NewSession(new Uri(host.BaseAddress));
        var first = await (await pending.PostAsJsonAsync("/api/account/signin", new { email = person.Email, password = AuthHost.Password })).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("needsTwoFactor", first.GetProperty("outcome").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await pending.GetAsync($"/api/workspaces/{ws}/topics")).StatusCode);
    }

    [Fact]
    public async Task ApiToken_ScopesAndRevocation()
    {
        var ws = await host.NewWorkspaceAsync();
        var other = await host.NewWorkspaceAsync();
        var person = await host.PersonAsync(ws, WorkspaceRole.Manager);
        using var session = await host.SignInAsync(person.Email);
        var readOnly = await TestAccounts.CreateTokenInSessionAsync(session, "reader", ["read"]);
        var ingestOnly = await TestAccounts.CreateTokenInSessionAsync(session, "collector", ["ingest"], ws);
        using var reader = TestAccounts.WithBearer(new Uri(host.BaseAddress), readOnly);
        using var collector = TestAccounts.WithBearer(new Uri(host.BaseAddress), ingestOnly);

        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/api/workspaces/{ws}/topics")).StatusCode);
        var write = await reader.PostAsJsonAsync($"/api/workspaces/{ws}/topics", new { name = "x", query = "x" });
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        Assert.Contains("scope", await write.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await collector.PostAsJsonAsync($"/api/workspaces/{ws}/ingest", new[] { Api.Payloads.Mention("t1", "hello") })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await collector.GetAsync($"/api/workspaces/{ws}/mentions")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await collector.PostAsJsonAsync($"/api/workspaces/{other}/ingest", new[] { Api.Payloads.Mention("t1", "hello") })).StatusCode);
        // Tokens cannot manage credentials: a leaked one cannot mint more.
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync("/api/account/tokens", new { name = "more", scopes = new[] { "write" } })).StatusCode);

        var tokens = await session.GetFromJsonAsync<JsonElement>("/api/account/tokens");
        var listed = tokens.EnumerateArray().Single(t => t.GetProperty("name").GetString() == "reader");
        Assert.Equal(readOnly[..12], listed.GetProperty("prefix").GetString());
        Assert.NotEqual(JsonValueKind.Null, listed.GetProperty("lastUsedAt").ValueKind);
        Assert.Equal(HttpStatusCode.NoContent, (await session.DeleteAsync($"/api/account/tokens/{listed.GetProperty("id").GetInt64()}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await reader.GetAsync($"/api/workspaces/{ws}/topics")).StatusCode);
    }

    [Fact]
    public async Task ApiToken_NeverExceedsItsOwnersCurrentRole()
    {
        var ws = await host.NewWorkspaceAsync();
        var person = await host.PersonAsync(ws, WorkspaceRole.Manager);
        using var session = await host.SignInAsync(person.Email);
        using var token = TestAccounts.WithBearer(new Uri(host.BaseAddress), await TestAccounts.CreateTokenInSessionAsync(session, "all", ["read", "write"]));
        Assert.Equal(HttpStatusCode.Created, (await token.PostAsJsonAsync($"/api/workspaces/{ws}/topics", new { name = "A", query = "a" })).StatusCode);

        var members = await host.Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/members");
        Assert.Contains(members.EnumerateArray(), m => m.GetProperty("accountId").GetInt64() == person.Id);
        Assert.Equal(HttpStatusCode.NoContent, (await host.Client.PutAsJsonAsync($"/api/workspaces/{ws}/members/{person.Id}", new { role = "viewer" })).StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await token.PostAsJsonAsync($"/api/workspaces/{ws}/topics", new { name = "B", query = "b" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await host.Client.DeleteAsync($"/api/workspaces/{ws}/members/{person.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await token.GetAsync($"/api/workspaces/{ws}/topics")).StatusCode);
    }

    [Fact]
    public async Task SignIn_TooManyFromOneAddress_IsRateLimited()
    {
        var data = Directory.CreateTempSubdirectory("firebreak-ratelimit-");
        await using var app = await FirebreakHost.BuildAsync(new FirebreakOptions { DataDirectory = data.FullName, Urls = "http://127.0.0.1:0" }, s => s.AddSingleton(new AccountOptions { SignInAttemptsPerMinute = 3 }));
        await app.StartAsync();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < 5; i++)
            {
                statuses.Add((await client.PostAsJsonAsync("/api/account/signin", new { email = "x@example.com", password = "not the password" })).StatusCode);
            }

            Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        }
        finally
        {
            await app.StopAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            data.Delete(recursive: true);
        }
    }

    private async Task<HttpStatusCode> SecondFactorAsync(string email, string code)
    {
        using var session = TestAccounts.NewSession(new Uri(host.BaseAddress));
        var first = await (await session.PostAsJsonAsync("/api/account/signin", new { email, password = AuthHost.Password })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("needsTwoFactor", first.GetProperty("outcome").GetString());
        var second = await session.PostAsJsonAsync("/api/account/signin/two-factor", new { code });
        if (second.IsSuccessStatusCode)
        {
            Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/api/account")).StatusCode);
        }

        return second.StatusCode;
    }
}
