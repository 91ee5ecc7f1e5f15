namespace Firebreak.Core.Security;

using Firebreak.Core.Secrets;

/// <summary>A TOTP secret being set up: shown once as text and as a QR code of <see cref="Uri"/>.</summary>
public sealed record TwoFactorSetup(string Secret, string Uri);

/// <summary>A new API token: <see cref="Secret"/> is shown once and never stored.</summary>
public sealed record CreatedToken(string Secret, ApiToken Token);

public enum MemberOutcome { Done, NotFound, NotAllowed, OwnRole, LastOwner, Invalid }

/// <summary>The result of adding a member; <see cref="InvitationToken"/> when a new account must set its password.</summary>
public sealed record MemberAdded(MemberOutcome Outcome, Member? Member, string? InvitationToken, string? Problem);

/// <summary>
/// What the profile and members pages (and the account API) do: password, two-factor, recovery codes, API tokens,
/// memberships. Every change is audited here, so pages and endpoints cannot forget to.
/// </summary>
public sealed class AccountService(IAccountStore store, PasswordHasher hasher, ISecretProtector secrets, AuditLog audit, AccountOptions options, TimeProvider clock)
{
    internal const string TotpPurpose = "account-totp";

    /// <summary>The purpose a TOTP secret is sealed with: bound to its account, so a copied ciphertext does not open elsewhere.</summary>
    public static string TotpPurposeFor(long accountId) => TotpPurpose + ":" + accountId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Null when changed; otherwise what is wrong. Other sessions end (the stamp changes).</summary>
    public async Task<string?> ChangePasswordAsync(Actor actor, long accountId, string currentPassword, string newPassword, CancellationToken ct)
    {
        var account = await store.GetAsync(accountId, ct).ConfigureAwait(false);
        if (account is null || !hasher.Verify(account.PasswordHash, currentPassword, out _))
        {
            return "The current password is not right.";
        }

        if (PasswordPolicy.Check(newPassword, account.Email, account.DisplayName) is { } problem)
        {
            return problem;
        }

        await store.SetPasswordAsync(accountId, hasher.Hash(newPassword), Account.NewStamp(), ct).ConfigureAwait(false);
        await audit.RecordAsync(actor, null, "account.password-changed", $"account:{accountId}", cancellationToken: ct).ConfigureAwait(false);
        return null;
    }

    /// <summary>A fresh secret, kept pending until <see cref="ConfirmTwoFactorAsync"/> proves the app has it.</summary>
    public async Task<TwoFactorSetup> BeginTwoFactorAsync(long accountId, CancellationToken ct)
    {
        var account = await store.GetAsync(accountId, ct).ConfigureAwait(false) ?? throw new InvalidOperationException("No such account.");
        var secret = Totp.NewSecret();
        await store.SetPendingTwoFactorAsync(accountId, secrets.Protect(Base32.Encode(secret), TotpPurposeFor(accountId)), ct).ConfigureAwait(false);
        return new TwoFactorSetup(Base32.Encode(secret), Totp.Uri(secret, account.Email));
    }

    /// <summary>Turns two-factor on when <paramref name="code"/> matches the pending secret; returns the recovery codes (shown once), or null.</summary>
    public async Task<IReadOnlyList<string>?> ConfirmTwoFactorAsync(Actor actor, long accountId, string code, CancellationToken ct)
    {
        var state = await store.GetTwoFactorAsync(accountId, ct).ConfigureAwait(false);
        if (state.PendingSecret is null)
        {
            return null;
        }

        var secret = Base32.Decode(secrets.Unprotect(state.PendingSecret, TotpPurposeFor(accountId)));
        if (Totp.Match(secret, code, clock.GetUtcNow()) is not { } step)
        {
            return null;
        }

        await store.SetTwoFactorAsync(accountId, state.PendingSecret, step, Account.NewStamp(), ct).ConfigureAwait(false);
        var codes = await NewRecoveryCodesAsync(accountId, ct).ConfigureAwait(false);
        await audit.RecordAsync(actor, null, "account.two-factor-enabled", $"account:{accountId}", cancellationToken: ct).ConfigureAwait(false);
        return codes;
    }

    /// <summary>Turns two-factor off after the password is confirmed again.</summary>
    public async Task<bool> DisableTwoFactorAsync(Actor actor, long accountId, string password, CancellationToken ct)
    {
        var account = await store.GetAsync(accountId, ct).ConfigureAwait(false);
        if (account is null || !hasher.Verify(account.PasswordHash, password, out _))
        {
            return false;
        }

        await store.SetTwoFactorAsync(accountId, null, null, Account.NewStamp(), ct).ConfigureAwait(false);
        await store.ReplaceRecoveryCodesAsync(accountId, [], ct).ConfigureAwait(false);
        await audit.RecordAsync(actor, null, "account.two-factor-disabled", $"account:{accountId}", cancellationToken: ct).ConfigureAwait(false);
        return true;
    }

    /// <summary>Ten new single-use codes; the old ones stop working.</summary>
    public async Task<IReadOnlyList<string>?> RegenerateRecoveryCodesAsync(Actor actor, long accountId, CancellationToken ct)
    {
        if (await store.GetAsync(accountId, ct).ConfigureAwait(false) is not { TwoFactorEnabled: true })
        {
            return null;
        }

        var codes = await NewRecoveryCodesAsync(accountId, ct).ConfigureAwait(false);
        await audit.RecordAsync(actor, null, "account.recovery-codes-regenerated", $"account:{accountId}", cancellationToken: ct).ConfigureAwait(false);
        return codes;
    }

    public Task<int> RecoveryCodesLeftAsync(long accountId, CancellationToken ct) => store.CountRecoveryCodesAsync(accountId, ct);

    /// <summary>A personal API token; null workspace means every workspace the owner belongs to.</summary>
    public async Task<CreatedToken> CreateTokenAsync(Actor actor, long accountId, string name, TokenScopes scopes, long? workspaceId, DateTimeOffset? expiresAt, CancellationToken ct)
    {
        var secret = SecretTokens.NewApiToken();
        var token = await store.AddTokenAsync(accountId, name.Trim(), secret[..12], SecretTokens.Hash(secret), scopes, workspaceId, expiresAt, ct).ConfigureAwait(false);
        await audit.RecordAsync(actor, workspaceId, "token.created", $"token:{token.Id}", new { token.Name, scopes = ApiToken.ScopeNames(scopes), accountId }, ct).ConfigureAwait(false);
        return new CreatedToken(secret, token);
    }

    public Task<IReadOnlyList<ApiToken>> ListTokensAsync(long accountId, CancellationToken ct) => store.ListTokensAsync(accountId, ct);

    public async Task<bool> RevokeTokenAsync(Actor actor, long accountId, long tokenId, CancellationToken ct)
    {
        if (!await store.RevokeTokenAsync(accountId, tokenId, clock.GetUtcNow(), ct).ConfigureAwait(false))
        {
            return false;
        }

        await audit.RecordAsync(actor, null, "token.revoked", $"token:{tokenId}", cancellationToken: ct).ConfigureAwait(false);
        return true;
    }

    public Task<IReadOnlyList<Member>> ListMembersAsync(long workspaceId, CancellationToken ct) => store.ListMembersAsync(workspaceId, ct);

    /// <summary>
    /// Adds a member by e-mail. An unknown e-mail gets an account without a password and an invitation token with
    /// which they set one. Only an Owner grants Owner; nobody grants above their own role.
    /// </summary>
    public async Task<MemberAdded> AddMemberAsync(Actor actor, long workspaceId, string email, WorkspaceRole role, CancellationToken ct)
    {
        var normalised = Account.NormaliseEmail(email ?? string.Empty);
        if (!Enum.IsDefined(role) || normalised.Length is < 3 or > 254 || !normalised.Contains('@', StringComparison.Ordinal))
        {
            return new MemberAdded(MemberOutcome.Invalid, null, null, "Give a valid e-mail address and a role (viewer, responder, manager, admin, owner).");
        }

        if (!await MayGrantAsync(actor, workspaceId, role, ct).ConfigureAwait(false))
        {
            return new MemberAdded(MemberOutcome.NotAllowed, null, null, $"You cannot grant the {role} role.");
        }

        var account = await store.FindByEmailAsync(normalised, ct).ConfigureAwait(false);
        string? invitation = null;
        if (account is null)
        {
            account = await store.CreateAsync(normalised, normalised.Split('@')[0], null, instanceAdmin: false, ct).ConfigureAwait(false)
                ?? await store.FindByEmailAsync(normalised, ct).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The account vanished while being created.");
        }

        if (await store.GetRoleAsync(workspaceId, account.Id, ct).ConfigureAwait(false) is not null)
        {
            return new MemberAdded(MemberOutcome.Invalid, null, null, $"{normalised} is already a member; change their role instead.");
        }

        if (account.PasswordHash is null)
        {
            invitation = SecretTokens.NewLinkToken();
            await store.AddInvitationAsync(account.Id, SecretTokens.Hash(invitation), clock.GetUtcNow() + options.InvitationLifetime, ct).ConfigureAwait(false);
        }

        await store.SetMembershipAsync(workspaceId, account.Id, role, ct).ConfigureAwait(false);
        await audit.RecordAsync(actor, workspaceId, "member.added", $"account:{account.Id}", new { email = normalised, role = role.ToString(), invited = invitation is not null }, ct).ConfigureAwait(false);
        return new MemberAdded(MemberOutcome.Done, new Member(account.Id, account.Email, account.DisplayName, role, account.TwoFactorEnabled, account.PasswordHash is not null), invitation, null);
    }

    public async Task<MemberOutcome> ChangeRoleAsync(Actor actor, long workspaceId, long accountId, WorkspaceRole role, CancellationToken ct)
    {
        if (!Enum.IsDefined(role))
        {
            return MemberOutcome.Invalid;
        }

        if (actor.AccountId == accountId)
        {
            return MemberOutcome.OwnRole;
        }

        if (await store.GetRoleAsync(workspaceId, accountId, ct).ConfigureAwait(false) is not { } current)
        {
            return MemberOutcome.NotFound;
        }

        if (!await MayGrantAsync(actor, workspaceId, role, ct).ConfigureAwait(false) || !await MayManageAsync(actor, workspaceId, current, ct).ConfigureAwait(false))
        {
            return MemberOutcome.NotAllowed;
        }

        if (!await store.SetMembershipAsync(workspaceId, accountId, role, ct).ConfigureAwait(false))
        {
            return MemberOutcome.LastOwner;
        }

        await audit.RecordAsync(actor, workspaceId, "member.role-changed", $"account:{accountId}", new { from = current.ToString(), to = role.ToString() }, ct).ConfigureAwait(false);
        return MemberOutcome.Done;
    }

    public async Task<MemberOutcome> RemoveMemberAsync(Actor actor, long workspaceId, long accountId, CancellationToken ct)
    {
        if (await store.GetRoleAsync(workspaceId, accountId, ct).ConfigureAwait(false) is not { } current)
        {
            return MemberOutcome.NotFound;
        }

        if (actor.AccountId != accountId && !await MayManageAsync(actor, workspaceId, current, ct).ConfigureAwait(false))
        {
            return MemberOutcome.NotAllowed;
        }

        if (!await store.RemoveMembershipAsync(workspaceId, accountId, ct).ConfigureAwait(false))
        {
            return MemberOutcome.LastOwner;
        }

        await audit.RecordAsync(actor, workspaceId, "member.removed", $"account:{accountId}", new { role = current.ToString() }, ct).ConfigureAwait(false);
        return MemberOutcome.Done;
    }

    /// <summary>An invited person sets their password; null when done, else the problem.</summary>
    public async Task<string?> AcceptInvitationAsync(string token, string password, string? displayName, string? clientIp, CancellationToken ct)
    {
        // Check the password before consuming the token, so a weak first try does not burn the link.
        var hash = SecretTokens.Hash(token ?? string.Empty);
        if (await store.UseInvitationAsync(hash, clock.GetUtcNow(), ct).ConfigureAwait(false) is not { } accountId
            || await store.GetAsync(accountId, ct).ConfigureAwait(false) is not { } account)
        {
            return "This invitation link is not valid any more; ask an admin for a new one.";
        }

        var name = string.IsNullOrWhiteSpace(displayName) ? account.DisplayName : displayName.Trim();
        if (PasswordPolicy.Check(password, account.Email, name) is { } problem)
        {
            // Give the link back: the person only needs to choose a better password.
            await store.AddInvitationAsync(accountId, hash, clock.GetUtcNow() + options.InvitationLifetime, ct).ConfigureAwait(false);
            return problem;
        }

        await store.SetPasswordAsync(accountId, hasher.Hash(password), Account.NewStamp(), ct).ConfigureAwait(false);
        await audit.RecordAsync(new Actor(accountId, name, clientIp), null, "account.invitation-accepted", $"account:{accountId}", cancellationToken: ct).ConfigureAwait(false);
        return null;
    }

    public async Task SetRequireTwoFactorAsync(Actor actor, long workspaceId, bool required, CancellationToken ct)
    {
        await store.SetRequiresTwoFactorAsync(workspaceId, required, ct).ConfigureAwait(false);
        await audit.RecordAsync(actor, workspaceId, "workspace.two-factor-requirement", $"workspace:{workspaceId}", new { required }, ct).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<string>> NewRecoveryCodesAsync(long accountId, CancellationToken ct)
    {
        var codes = Enumerable.Range(0, AccountOptions.RecoveryCodeCount).Select(_ => SecretTokens.NewRecoveryCode()).ToArray();
        await store.ReplaceRecoveryCodesAsync(accountId, [.. codes.Select(c => SecretTokens.Hash(SecretTokens.NormaliseRecoveryCode(c)))], ct).ConfigureAwait(false);
        return codes;
    }

    private async Task<WorkspaceRole?> ActorRoleAsync(Actor actor, long workspaceId, CancellationToken ct) =>
        actor.AccountId is { } id ? await store.GetRoleAsync(workspaceId, id, ct).ConfigureAwait(false) : WorkspaceRole.Owner;

    // Owners grant anything; admins grant up to Admin; nobody else manages members.
    private async Task<bool> MayGrantAsync(Actor actor, long workspaceId, WorkspaceRole role, CancellationToken ct) =>
        await ActorRoleAsync(actor, workspaceId, ct).ConfigureAwait(false) is { } mine && mine >= WorkspaceRole.Admin && (mine == WorkspaceRole.Owner || role < WorkspaceRole.Owner);

    // An admin manages people below Admin; removing or demoting an admin or an owner takes an owner.
    private async Task<bool> MayManageAsync(Actor actor, long workspaceId, WorkspaceRole current, CancellationToken ct) =>
        await ActorRoleAsync(actor, workspaceId, ct).ConfigureAwait(false) is { } mine && (mine == WorkspaceRole.Owner || (mine == WorkspaceRole.Admin && current < WorkspaceRole.Admin));
}
