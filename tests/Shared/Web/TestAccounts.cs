namespace Firebreak.Tests.Shared;

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Firebreak.Core.Security;
using Microsoft.Extensions.DependencyInjection;

/// <summary>Signed-in callers for tests: the first-run owner through the real setup flow, or accounts made on the store.</summary>
public static class TestAccounts
{
    public const string OwnerEmail = "owner@example.com";
    public const string OwnerPassword = "correct horse battery staple";

    /// <summary>Creates the owner with the setup token (as the setup page does), then a read/write/ingest API token; returns the token.</summary>
    public static async Task<string> SetupOwnerAsync(Uri baseAddress, string setupToken)
    {
        using var session = NewSession(baseAddress);
        var setup = await session.PostAsJsonAsync("/api/account/setup", new { token = setupToken, email = OwnerEmail, displayName = "Olga Owner", password = OwnerPassword });
        if (setup.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"Setup failed: {(int)setup.StatusCode} {await setup.Content.ReadAsStringAsync()}");
        }

        return await CreateTokenInSessionAsync(session, "tests", ["read", "write", "ingest"]);
    }

    /// <summary>A client that keeps cookies (a browser-like session).</summary>
    public static HttpClient NewSession(Uri baseAddress) =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>Fetches the anti-forgery token and sends it on every later request of this session.</summary>
    public static async Task AddCsrfAsync(HttpClient session)
    {
        var csrf = await session.GetFromJsonAsync<JsonElement>("/api/account/csrf");
        session.DefaultRequestHeaders.Remove("X-CSRF-TOKEN");
        session.DefaultRequestHeaders.Add("X-CSRF-TOKEN", csrf.GetProperty("token").GetString());
    }

    public static async Task<string> CreateTokenInSessionAsync(HttpClient session, string name, string[] scopes, string? workspace = null)
    {
        await AddCsrfAsync(session);
        var created = await session.PostAsJsonAsync("/api/account/tokens", new { name, scopes, workspace });
        if (created.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"Token creation failed: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
        }

        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    /// <summary>An account made directly on the store, member of <paramref name="workspaceId"/> with <paramref name="role"/> (none: a non-member), and its token.</summary>
    public static async Task<string> TokenForAsync(IServiceProvider services, string email, long? workspaceId, WorkspaceRole? role, TokenScopes scopes = TokenScopes.Read | TokenScopes.Write | TokenScopes.Ingest)
    {
        var accounts = services.GetRequiredService<IAccountStore>();
        var account = await accounts.FindByEmailAsync(email, CancellationToken.None)
            ?? await accounts.CreateAsync(email, email.Split('@')[0], null, instanceAdmin: false, CancellationToken.None)
            ?? throw new InvalidOperationException("Could not create " + email);
        if (workspaceId is { } ws && role is { } r)
        {
            await accounts.SetMembershipAsync(ws, account.Id, r, CancellationToken.None);
        }

        var secret = SecretTokens.NewApiToken();
        await accounts.AddTokenAsync(account.Id, "test", secret[..12], SecretTokens.Hash(secret), scopes, null, null, CancellationToken.None);
        return secret;
    }

    public static HttpClient WithBearer(Uri baseAddress, string token, TimeSpan? timeout = null)
    {
        var client = new HttpClient { BaseAddress = baseAddress, Timeout = timeout ?? TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
