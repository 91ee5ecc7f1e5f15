namespace Firebreak.Web.Auth;

using System.Globalization;
using System.Security.Claims;
using Firebreak.Core.Security;

/// <summary>The claims Firebreak puts on a principal, and reading them back.</summary>
public static class AuthClaims
{
    public const string CookieScheme = "Firebreak.Session";
    public const string TwoFactorScheme = "Firebreak.TwoFactor";
    public const string BearerScheme = "Firebreak.Token";
    public const string Scheme = "Firebreak";

    public const string Stamp = "fbk:stamp";
    public const string InstanceAdmin = "fbk:admin";
    public const string TwoFactor = "fbk:2fa";
    public const string TokenId = "fbk:token";
    public const string TokenScopes = "fbk:scopes";
    public const string TokenWorkspace = "fbk:token-ws";
    public const string Remember = "fbk:remember";

    public static ClaimsPrincipal For(Account account, string scheme, params Claim[] extra)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, account.Id.ToString(CultureInfo.InvariantCulture)),
            new(ClaimTypes.Name, account.DisplayName),
            new(ClaimTypes.Email, account.Email),
            new(Stamp, account.SecurityStamp),
            new(TwoFactor, account.TwoFactorEnabled ? "true" : "false"),
        };
        if (account.IsInstanceAdmin)
        {
            claims.Add(new Claim(InstanceAdmin, "true"));
        }

        claims.AddRange(extra);
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    public static long? AccountId(this ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && long.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    public static bool IsInstanceAdmin(this ClaimsPrincipal user) => user.HasClaim(InstanceAdmin, "true");

    public static bool HasTwoFactor(this ClaimsPrincipal user) => user.HasClaim(TwoFactor, "true");

    /// <summary>The token's scopes, or null when the principal signed in with a cookie (a person has every scope).</summary>
    public static TokenScopes? Scopes(this ClaimsPrincipal user) =>
        int.TryParse(user.FindFirstValue(TokenScopes), NumberStyles.None, CultureInfo.InvariantCulture, out var scopes) ? (TokenScopes)scopes : null;

    public static long? TokenWorkspaceId(this ClaimsPrincipal user) =>
        long.TryParse(user.FindFirstValue(TokenWorkspace), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    public static Actor Actor(this Microsoft.AspNetCore.Http.HttpContext http) =>
        new(http.User.AccountId(), http.User.Identity?.Name ?? "anonymous", http.Connection.RemoteIpAddress?.ToString());
}
