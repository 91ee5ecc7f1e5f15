namespace Firebreak.Web.Tests.Auth;

using System.Net.Http.Json;
using System.Text.Json;
using Firebreak.Core.Security;
using Firebreak.Core.Workspaces;
using Firebreak.Tests.Shared;
using Firebreak.Web.Tests.Api;
using Microsoft.Extensions.DependencyInjection;

/// <summary>The host with sessions re-checked on every request (so a password change is seen at once) and a generous sign-in budget.</summary>
public sealed class AuthHost : ApiHost
{
    public const string Password = "violet tuesday ferry seventy";

    public FixedTimeProvider Clock { get; } = new();

    /// <summary>An account with <see cref="Password"/>, member of <paramref name="workspace"/> with <paramref name="role"/>.</summary>
    public async Task<Account> PersonAsync(string workspace, WorkspaceRole role, string? email = null)
    {
        var accounts = Services.GetRequiredService<IAccountStore>();
        var account = (await accounts.CreateAsync(email ?? $"p{Guid.NewGuid():N}@example.com", "Pat Person", Services.GetRequiredService<PasswordHasher>().Hash(Password), false, CancellationToken.None))!;
        var ws = (await Services.GetRequiredService<IWorkspaceStore>().FindAsync(workspace, CancellationToken.None))!;
        await accounts.SetMembershipAsync(ws.Id, account.Id, role, CancellationToken.None);
        return account;
    }

    /// <summary>A cookie session signed in as <paramref name="email"/>, with the anti-forgery header set.</summary>
    public async Task<HttpClient> SignInAsync(string email, string password = Password)
    {
        var session = TestAccounts.NewSession(new Uri(BaseAddress));
        var answer = await session.PostAsJsonAsync("/api/account/signin", new { email, password });
        answer.EnsureSuccessStatusCode();
        Assert.Equal("signedIn", (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outcome").GetString());
        await TestAccounts.AddCsrfAsync(session);
        return session;
    }

    protected override void Configure(IServiceCollection services)
    {
        services.AddSingleton(new AccountOptions { SessionRecheck = TimeSpan.Zero, SignInAttemptsPerMinute = 10_000 });
        services.AddSingleton<TimeProvider>(Clock);
    }
}

/// <summary>The system clock, moved forward by tests that wait for TOTP steps or lockouts to pass.</summary>
public sealed class FixedTimeProvider : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}
