namespace Firebreak.Web.Auth;

using System.Globalization;
using System.Security.Claims;
using Firebreak.Core.Secrets;
using Firebreak.Core.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

public enum SignInOutcome { SignedIn, NeedsTwoFactor, LockedOut, Failed, RateLimited }

public enum SetupOutcome { Created, AlreadySetUp, BadToken, WeakPassword, Invalid }

/// <summary>
/// Signing in and out, for the HTML pages and the API alike: password (lockout, per-IP rate limit, the same work for
/// unknown e-mails), the second factor, and first-run owner creation. Every attempt is audited.
/// </summary>
public sealed class SignInFlow(
    IAccountStore accounts,
    PasswordHasher hasher,
    ISecretProtector secrets,
    SignInThrottle throttle,
    SetupToken setup,
    AuditLog audit,
    AccountOptions options,
    TimeProvider clock)
{
    /// <summary>True while no account exists (first run).</summary>
    public bool NeedsSetup => setup.NeedsSetup;

    /// <summary>Checks the password (lockout, rate limit). No 2FA: issues the auth cookie. 2FA on: issues a short-lived "two-factor pending" cookie instead.</summary>
    public async Task<SignInOutcome> PasswordAsync(HttpContext http, string email, string password, bool remember, CancellationToken ct)
    {
        if (!throttle.TryAcquire(http))
        {
            return SignInOutcome.RateLimited;
        }

        var normalised = Account.NormaliseEmail(email ?? string.Empty);
        var account = normalised.Length == 0 ? null : await accounts.FindByEmailAsync(normalised, ct).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        if (account is null || account.PasswordHash is null)
        {
            // Same work, same answers as for a real account: nothing tells whether the address is registered.
            hasher.VerifyDecoy(password ?? string.Empty);
            var locked = throttle.UnknownIsLocked(normalised) || throttle.UnknownFailed(normalised);
            await AuditAsync(http, null, normalised, "signin.failed", new { email = normalised }, ct).ConfigureAwait(false);
            return locked ? SignInOutcome.LockedOut : SignInOutcome.Failed;
        }

        if (account.IsLocked(now))
        {
            hasher.VerifyDecoy(password ?? string.Empty);
            await AuditAsync(http, account.Id, account.DisplayName, "signin.refused-locked", null, ct).ConfigureAwait(false);
            return SignInOutcome.LockedOut;
        }

        if (!hasher.Verify(account.PasswordHash, password ?? string.Empty, out var rehash))
        {
            return await FailAsync(http, account, ct).ConfigureAwait(false);
        }

        if (rehash)
        {
            await accounts.SetPasswordAsync(account.Id, hasher.Hash(password!), null, ct).ConfigureAwait(false);
        }

        await accounts.ResetFailuresAsync(account.Id, ct).ConfigureAwait(false);
        if (account.TwoFactorEnabled)
        {
            var pending = new ClaimsPrincipal(new ClaimsIdentity(
                [
                    new Claim(ClaimTypes.NameIdentifier, account.Id.ToString(CultureInfo.InvariantCulture)),
                    new Claim(AuthClaims.Stamp, account.SecurityStamp),
                    new Claim(AuthClaims.Remember, remember ? "true" : "false"),
                ],
                AuthClaims.TwoFactorScheme));
            await http.SignInAsync(AuthClaims.TwoFactorScheme, pending, new AuthenticationProperties { ExpiresUtc = now + options.TwoFactorWindow, IsPersistent = false }).ConfigureAwait(false);
            await AuditAsync(http, account.Id, account.DisplayName, "signin.password-accepted", null, ct).ConfigureAwait(false);
            return SignInOutcome.NeedsTwoFactor;
        }

        await IssueAsync(http, account, remember, "password", ct).ConfigureAwait(false);
        return SignInOutcome.SignedIn;
    }

    /// <summary>TOTP code or a recovery code, for the pending account; issues the auth cookie.</summary>
    public async Task<SignInOutcome> SecondFactorAsync(HttpContext http, string code, CancellationToken ct)
    {
        if (!throttle.TryAcquire(http))
        {
            return SignInOutcome.RateLimited;
        }

        var pending = await http.AuthenticateAsync(AuthClaims.TwoFactorScheme).ConfigureAwait(false);
        if (!pending.Succeeded || pending.Principal.AccountId() is not { } id || await accounts.GetAsync(id, ct).ConfigureAwait(false) is not { } account
            || account.SecurityStamp != pending.Principal.FindFirstValue(AuthClaims.Stamp))
        {
            return SignInOutcome.Failed;
        }

        if (account.IsLocked(clock.GetUtcNow()))
        {
            return SignInOutcome.LockedOut;
        }

        var typed = (code ?? string.Empty).Trim();
        bool ok;
        string method;
        if (typed.Length <= 8 && typed.Replace(" ", string.Empty, StringComparison.Ordinal).All(char.IsAsciiDigit))
        {
            method = "totp";
            var state = await accounts.GetTwoFactorAsync(id, ct).ConfigureAwait(false);
            ok = state.Secret is { } sealedSecret
                && Totp.Match(Base32.Decode(secrets.Unprotect(sealedSecret, AccountService.TotpPurposeFor(id))), typed, clock.GetUtcNow()) is { } step
                && await accounts.TryUseStepAsync(id, step, ct).ConfigureAwait(false);
        }
        else
        {
            method = "recovery-code";
            ok = await accounts.UseRecoveryCodeAsync(id, SecretTokens.Hash(SecretTokens.NormaliseRecoveryCode(typed)), clock.GetUtcNow(), ct).ConfigureAwait(false);
        }

        if (!ok)
        {
            return await FailAsync(http, account, ct).ConfigureAwait(false);
        }

        await accounts.ResetFailuresAsync(id, ct).ConfigureAwait(false);
        await http.SignOutAsync(AuthClaims.TwoFactorScheme).ConfigureAwait(false);
        await IssueAsync(http, account, pending.Principal.HasClaim(AuthClaims.Remember, "true"), method, ct).ConfigureAwait(false);
        return SignInOutcome.SignedIn;
    }

    public async Task SignOutAsync(HttpContext http)
    {
        if (http.User.AccountId() is { } id)
        {
            await AuditAsync(http, id, http.User.Identity?.Name ?? string.Empty, "signout", null, http.RequestAborted).ConfigureAwait(false);
        }

        await http.SignOutAsync(AuthClaims.CookieScheme).ConfigureAwait(false);
        await http.SignOutAsync(AuthClaims.TwoFactorScheme).ConfigureAwait(false);
    }

    /// <summary>First run only: creates the owner account (owner of every existing workspace) when no account exists yet and signs it in.</summary>
    public async Task<(SetupOutcome Outcome, string? Problem)> CreateOwnerAsync(HttpContext http, string setupToken, string email, string displayName, string password, CancellationToken ct)
    {
        if (!setup.NeedsSetup)
        {
            return (SetupOutcome.AlreadySetUp, "Firebreak is already set up; sign in instead.");
        }

        if (!throttle.TryAcquire(http) || !setup.Matches(setupToken))
        {
            return (SetupOutcome.BadToken, "The setup link is not right: open the link printed in the server's console (or in the data folder's setup-token file).");
        }

        var normalised = Account.NormaliseEmail(email ?? string.Empty);
        var name = (displayName ?? string.Empty).Trim();
        if (normalised.Length is < 3 or > 254 || !normalised.Contains('@', StringComparison.Ordinal) || name.Length is 0 or > 200)
        {
            return (SetupOutcome.Invalid, "Give an e-mail address and a display name (at most 200 characters).");
        }

        if (PasswordPolicy.Check(password, normalised, name) is { } problem)
        {
            return (SetupOutcome.WeakPassword, problem);
        }

        var owner = await accounts.CreateOwnerAsync(normalised, name, hasher.Hash(password), ct).ConfigureAwait(false);
        setup.Complete();
        if (owner is null)
        {
            return (SetupOutcome.AlreadySetUp, "Firebreak is already set up; sign in instead.");
        }

        await AuditAsync(http, owner.Id, owner.DisplayName, "setup.owner-created", new { email = normalised }, ct).ConfigureAwait(false);
        await IssueAsync(http, owner, remember: false, "setup", ct).ConfigureAwait(false);
        return (SetupOutcome.Created, null);
    }

    private async Task<SignInOutcome> FailAsync(HttpContext http, Account account, CancellationToken ct)
    {
        var locked = await accounts.RecordFailureAsync(account.Id, options.LockoutThreshold, clock.GetUtcNow() + options.LockoutDuration, Account.NewStamp(), ct).ConfigureAwait(false);
        await AuditAsync(http, account.Id, account.DisplayName, locked ? "signin.locked-out" : "signin.failed", null, ct).ConfigureAwait(false);
        return locked ? SignInOutcome.LockedOut : SignInOutcome.Failed;
    }

    private async Task IssueAsync(HttpContext http, Account account, bool remember, string method, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var properties = new AuthenticationProperties { IsPersistent = remember, IssuedUtc = now, AllowRefresh = true };
        if (remember)
        {
            properties.ExpiresUtc = now + TimeSpan.FromDays(14);
        }

        properties.Items[SessionValidation.CheckedItem] = now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        await http.SignInAsync(AuthClaims.CookieScheme, AuthClaims.For(account, AuthClaims.CookieScheme), properties).ConfigureAwait(false);
        await AuditAsync(http, account.Id, account.DisplayName, "signin", new { method }, ct).ConfigureAwait(false);
    }

    private Task AuditAsync(HttpContext http, long? accountId, string name, string action, object? detail, CancellationToken ct) =>
        audit.RecordAsync(new Actor(accountId, name, http.Connection.RemoteIpAddress?.ToString()), null, action, accountId is { } id ? $"account:{id}" : "account:unknown", detail, ct);
}
