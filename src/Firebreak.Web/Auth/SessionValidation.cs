namespace Firebreak.Web.Auth;

using System.Globalization;
using System.Security.Claims;
using Firebreak.Core.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Re-reads a session's account every <see cref="AccountOptions.SessionRecheck"/>: a password change, lockout,
/// two-factor change or removal changes the account's security stamp, and sessions carrying the old one end.
/// </summary>
internal static class SessionValidation
{
    public const string CheckedItem = "fbk.checked";

    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var options = services.GetRequiredService<AccountOptions>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var checkedAt = context.Properties.Items.TryGetValue(CheckedItem, out var text) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : DateTimeOffset.MinValue;
        if (now - checkedAt < options.SessionRecheck)
        {
            return;
        }

        var account = context.Principal?.AccountId() is { } id ? await services.GetRequiredService<IAccountStore>().GetAsync(id, context.HttpContext.RequestAborted).ConfigureAwait(false) : null;
        if (account is null || account.IsLocked(now) || account.SecurityStamp != context.Principal!.FindFirstValue(AuthClaims.Stamp))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(AuthClaims.CookieScheme).ConfigureAwait(false);
            return;
        }

        context.Properties.Items[CheckedItem] = now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        // The name or instance-admin flag may have changed; the stamp did not, so the session goes on with fresh claims.
        context.ReplacePrincipal(AuthClaims.For(account, AuthClaims.CookieScheme));
        context.ShouldRenew = true;
    }
}
