namespace Firebreak.Web.Auth;

using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Firebreak.Core.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

/// <summary>
/// Authenticates "Authorization: Bearer fbk_…" with a personal API token: looked up by its SHA-256, refused when revoked,
/// expired, or its owner is locked out. Bearer requests carry no ambient credential, so they need no anti-forgery token.
/// </summary>
public sealed class ApiTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IAccountStore accounts,
    TimeProvider clock) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var secret = header["Bearer ".Length..].Trim();
        if (!secret.StartsWith(SecretTokens.ApiTokenPrefix, StringComparison.Ordinal) || secret.Length > 100)
        {
            return AuthenticateResult.Fail("Not a Firebreak API token.");
        }

        var now = clock.GetUtcNow();
        var token = await accounts.FindTokenAsync(SecretTokens.Hash(secret), Context.RequestAborted).ConfigureAwait(false);
        if (token is null || !token.IsUsable(now))
        {
            return AuthenticateResult.Fail("The API token is unknown, revoked or expired.");
        }

        var account = await accounts.GetAsync(token.AccountId, Context.RequestAborted).ConfigureAwait(false);
        if (account is null || account.IsLocked(now))
        {
            return AuthenticateResult.Fail("The token's account is locked.");
        }

        // Last use is shown on the profile page; once a minute is precise enough and spares a write per request.
        if (token.LastUsedAt is not { } used || now - used > TimeSpan.FromMinutes(1))
        {
            await accounts.TouchTokenAsync(token.Id, now, Context.RequestAborted).ConfigureAwait(false);
        }

        var extra = new List<Claim>
        {
            new(AuthClaims.TokenId, token.Id.ToString(CultureInfo.InvariantCulture)),
            new(AuthClaims.TokenScopes, ((int)token.Scopes).ToString(CultureInfo.InvariantCulture)),
        };
        if (token.WorkspaceId is { } workspace)
        {
            extra.Add(new Claim(AuthClaims.TokenWorkspace, workspace.ToString(CultureInfo.InvariantCulture)));
        }

        return AuthenticateResult.Success(new AuthenticationTicket(AuthClaims.For(account, Scheme.Name, [.. extra]), Scheme.Name));
    }
}
