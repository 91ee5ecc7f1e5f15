namespace Firebreak.Core.Security;

/// <summary>Accounts, memberships, API tokens, invitations and recovery codes (one store per provider).</summary>
public interface IAccountStore
{
    Task<long> CountAsync(CancellationToken cancellationToken);

    Task<Account?> GetAsync(long id, CancellationToken cancellationToken);

    Task<Account?> FindByEmailAsync(string email, CancellationToken cancellationToken);

    /// <summary>A new account, or null when the e-mail is taken.</summary>
    Task<Account?> CreateAsync(string email, string displayName, string? passwordHash, bool instanceAdmin, CancellationToken cancellationToken);

    /// <summary>
    /// The first account, made Owner of every existing workspace and instance admin, in one transaction that only
    /// succeeds while no account exists (so two people racing for setup cannot both win). Null when one exists.
    /// </summary>
    Task<Account?> CreateOwnerAsync(string email, string displayName, string passwordHash, CancellationToken cancellationToken);

    /// <summary>Sets the hash; a new stamp ends other sessions (null keeps the stamp, e.g. a rehash at sign-in).</summary>
    Task SetPasswordAsync(long id, string passwordHash, string? newStamp, CancellationToken cancellationToken);

    /// <summary>Counts a failed sign-in; locks the account until <paramref name="lockUntil"/> when it reaches <paramref name="threshold"/>. Returns whether it is now locked.</summary>
    Task<bool> RecordFailureAsync(long id, int threshold, DateTimeOffset lockUntil, string newStamp, CancellationToken cancellationToken);

    Task ResetFailuresAsync(long id, CancellationToken cancellationToken);

    Task<TwoFactorState> GetTwoFactorAsync(long id, CancellationToken cancellationToken);

    Task SetPendingTwoFactorAsync(long id, string? pendingSecret, CancellationToken cancellationToken);

    /// <summary>Turns TOTP on with this secret (clearing the pending one) or off (null); changes the stamp.</summary>
    Task SetTwoFactorAsync(long id, string? secret, long? lastStep, string newStamp, CancellationToken cancellationToken);

    /// <summary>Records <paramref name="step"/> as used; false when it (or a later step) was used already — a replay.</summary>
    Task<bool> TryUseStepAsync(long id, long step, CancellationToken cancellationToken);

    Task ReplaceRecoveryCodesAsync(long id, IReadOnlyList<string> codeHashes, CancellationToken cancellationToken);

    /// <summary>Marks an unused recovery code used; false when there is no such unused code.</summary>
    Task<bool> UseRecoveryCodeAsync(long id, string codeHash, DateTimeOffset at, CancellationToken cancellationToken);

    Task<int> CountRecoveryCodesAsync(long id, CancellationToken cancellationToken);

    Task<WorkspaceRole?> GetRoleAsync(long workspaceId, long accountId, CancellationToken cancellationToken);

    Task<IReadOnlyList<Membership>> ListMembershipsAsync(long accountId, CancellationToken cancellationToken);

    Task<IReadOnlyList<Member>> ListMembersAsync(long workspaceId, CancellationToken cancellationToken);

    /// <summary>Adds the membership or changes its role. Refuses (false) to demote the workspace's last owner.</summary>
    Task<bool> SetMembershipAsync(long workspaceId, long accountId, WorkspaceRole role, CancellationToken cancellationToken);

    /// <summary>Removes the membership; refuses (false) for the last owner or a non-member. Changes the account's stamp.</summary>
    Task<bool> RemoveMembershipAsync(long workspaceId, long accountId, CancellationToken cancellationToken);

    Task<ApiToken> AddTokenAsync(long accountId, string name, string prefix, string tokenHash, TokenScopes scopes, long? workspaceId, DateTimeOffset? expiresAt, CancellationToken cancellationToken);

    Task<ApiToken?> FindTokenAsync(string tokenHash, CancellationToken cancellationToken);

    Task<IReadOnlyList<ApiToken>> ListTokensAsync(long accountId, CancellationToken cancellationToken);

    Task<bool> RevokeTokenAsync(long accountId, long tokenId, DateTimeOffset at, CancellationToken cancellationToken);

    Task TouchTokenAsync(long tokenId, DateTimeOffset at, CancellationToken cancellationToken);

    Task AddInvitationAsync(long accountId, string tokenHash, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>Consumes an unexpired, unused invitation; the account it was for, or null.</summary>
    Task<long?> UseInvitationAsync(string tokenHash, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Makes the instance administrators Owners of a workspace the system created (the demo), where they are not members yet.</summary>
    Task GrantInstanceAdminsAsync(long workspaceId, CancellationToken cancellationToken);

    Task<bool> RequiresTwoFactorAsync(long workspaceId, CancellationToken cancellationToken);

    Task SetRequiresTwoFactorAsync(long workspaceId, bool required, CancellationToken cancellationToken);
}
