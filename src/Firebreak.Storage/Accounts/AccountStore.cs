namespace Firebreak.Storage.Accounts;

using System.Data.Common;
using Firebreak.Core.Security;
using Firebreak.Storage.Alerts;

/// <summary>Accounts, memberships, tokens, invitations (see <see cref="PortableDatabase"/> for why one class serves both providers).</summary>
public sealed class AccountStore(PortableDatabase database, TimeProvider clock) : IAccountStore
{
    private const string AccountColumns = "id, email, display_name, password_hash, security_stamp, totp_secret IS NOT NULL, instance_admin, failed_signins, locked_until, created_at";
    private const string TokenColumns = "id, account_id, name, prefix, scopes, workspace_id, expires_at, created_at, last_used_at, revoked_at";
    private const int OwnerRole = (int)WorkspaceRole.Owner;

    public async Task<long> CountAsync(CancellationToken ct) => await ScalarAsync("SELECT COUNT(*) FROM accounts", ct).ConfigureAwait(false);

    public Task<Account?> GetAsync(long id, CancellationToken ct) =>
        SingleAsync($"SELECT {AccountColumns} FROM accounts WHERE id = $1", MapAccount, ct, id);

    public Task<Account?> FindByEmailAsync(string email, CancellationToken ct) =>
        SingleAsync($"SELECT {AccountColumns} FROM accounts WHERE email = $1", MapAccount, ct, Account.NormaliseEmail(email));

    public Task<Account?> CreateAsync(string email, string displayName, string? passwordHash, bool instanceAdmin, CancellationToken ct) =>
        SingleAsync(
            $"""
            INSERT INTO accounts (email, display_name, password_hash, security_stamp, instance_admin, failed_signins, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, 0, $6, $6) ON CONFLICT (email) DO NOTHING RETURNING {AccountColumns}
            """,
            MapAccount, ct, Account.NormaliseEmail(email), displayName.Trim(), passwordHash, Account.NewStamp(), instanceAdmin, Now());

    public async Task<Account?> CreateOwnerAsync(string email, string displayName, string passwordHash, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        if (database.SerializeStatement(0x46425f4f574e) is { } serialize)
        {
            await using var lockCommand = database.Command(connection, transaction, serialize);
            await lockCommand.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        var now = Now();
        Account? owner;
        await using (var insert = database.Command(
            connection,
            transaction,
            $"""
            INSERT INTO accounts (email, display_name, password_hash, security_stamp, instance_admin, failed_signins, created_at, updated_at)
            SELECT $1, $2, $3, $4, $5, 0, $6, $6 WHERE NOT EXISTS (SELECT 1 FROM accounts) RETURNING {AccountColumns}
            """,
            Account.NormaliseEmail(email), displayName.Trim(), passwordHash, Account.NewStamp(), true, now))
        {
            owner = await Sql.SingleAsync(insert, MapAccount, ct).ConfigureAwait(false);
        }

        if (owner is null)
        {
            return null;
        }

        await using (var grant = database.Command(connection, transaction, "INSERT INTO memberships (workspace_id, account_id, role, created_at) SELECT id, $1, $2, $3 FROM workspaces WHERE true ON CONFLICT DO NOTHING", owner.Id, OwnerRole, now))
        {
            await grant.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        await transaction.CommitAsync(ct).ConfigureAwait(false);
        return owner;
    }

    public Task SetPasswordAsync(long id, string passwordHash, string? newStamp, CancellationToken ct) =>
        ExecuteAsync("UPDATE accounts SET password_hash = $2, security_stamp = COALESCE($3, security_stamp), failed_signins = 0, locked_until = NULL, updated_at = $4 WHERE id = $1", ct, id, passwordHash, newStamp, Now());

    public async Task<bool> RecordFailureAsync(long id, int threshold, DateTimeOffset lockUntil, string newStamp, CancellationToken ct)
    {
        // One statement: concurrent failures each count, and the one that reaches the threshold locks (and ends sessions).
        var locked = await SingleAsync(
            """
            UPDATE accounts SET failed_signins = failed_signins + 1,
                locked_until = CASE WHEN failed_signins + 1 >= $2 THEN $3 ELSE locked_until END,
                security_stamp = CASE WHEN failed_signins + 1 >= $2 THEN $4 ELSE security_stamp END,
                updated_at = $5
            WHERE id = $1 RETURNING failed_signins
            """,
            r => (object)r.GetInt32(0), ct, id, threshold, Sql.Ms(lockUntil), newStamp, Now()).ConfigureAwait(false);
        return locked is int count && count >= threshold;
    }

    public Task ResetFailuresAsync(long id, CancellationToken ct) =>
        ExecuteAsync("UPDATE accounts SET failed_signins = 0, locked_until = NULL WHERE id = $1 AND (failed_signins <> 0 OR locked_until IS NOT NULL)", ct, id);

    public async Task<TwoFactorState> GetTwoFactorAsync(long id, CancellationToken ct) =>
        await SingleAsync("SELECT totp_secret, totp_pending, totp_last_step FROM accounts WHERE id = $1", r => new TwoFactorState(Sql.NullableText(r, 0), Sql.NullableText(r, 1), Sql.NullableLong(r, 2)), ct, id).ConfigureAwait(false)
        ?? new TwoFactorState(null, null, null);

    public Task SetPendingTwoFactorAsync(long id, string? pendingSecret, CancellationToken ct) =>
        ExecuteAsync("UPDATE accounts SET totp_pending = $2, updated_at = $3 WHERE id = $1", ct, id, pendingSecret, Now());

    public Task SetTwoFactorAsync(long id, string? secret, long? lastStep, string newStamp, CancellationToken ct) =>
        ExecuteAsync("UPDATE accounts SET totp_secret = $2, totp_pending = NULL, totp_last_step = $3, security_stamp = $4, updated_at = $5 WHERE id = $1", ct, id, secret, lastStep, newStamp, Now());

    public async Task<bool> TryUseStepAsync(long id, long step, CancellationToken ct) =>
        // Conditional update: two requests racing with the same code cannot both succeed.
        await ExecuteAsync("UPDATE accounts SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)", ct, id, step).ConfigureAwait(false) == 1;

    public async Task ReplaceRecoveryCodesAsync(long id, IReadOnlyList<string> codeHashes, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using (var delete = database.Command(connection, transaction, "DELETE FROM account_recovery_codes WHERE account_id = $1", id))
        {
            await delete.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        foreach (var hash in codeHashes)
        {
            await using var insert = database.Command(connection, transaction, "INSERT INTO account_recovery_codes (account_id, code_hash) VALUES ($1, $2) ON CONFLICT DO NOTHING", id, hash);
            await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        await transaction.CommitAsync(ct).ConfigureAwait(false);
    }

    public async Task<bool> UseRecoveryCodeAsync(long id, string codeHash, DateTimeOffset at, CancellationToken ct) =>
        await ExecuteAsync("UPDATE account_recovery_codes SET used_at = $3 WHERE account_id = $1 AND code_hash = $2 AND used_at IS NULL", ct, id, codeHash, Sql.Ms(at)).ConfigureAwait(false) == 1;

    public async Task<int> CountRecoveryCodesAsync(long id, CancellationToken ct) =>
        (int)await ScalarAsync("SELECT COUNT(*) FROM account_recovery_codes WHERE account_id = $1 AND used_at IS NULL", ct, id).ConfigureAwait(false);

    public async Task<WorkspaceRole?> GetRoleAsync(long workspaceId, long accountId, CancellationToken ct) =>
        await SingleAsync("SELECT role FROM memberships WHERE workspace_id = $1 AND account_id = $2", r => (object)(WorkspaceRole)r.GetInt32(0), ct, workspaceId, accountId).ConfigureAwait(false) is WorkspaceRole role ? role : null;

    public Task<IReadOnlyList<Membership>> ListMembershipsAsync(long accountId, CancellationToken ct) =>
        ListAsync("SELECT workspace_id, account_id, role, created_at FROM memberships WHERE account_id = $1 ORDER BY workspace_id", r => new Membership(r.GetInt64(0), r.GetInt64(1), (WorkspaceRole)r.GetInt32(2), Sql.Time(r.GetInt64(3))), ct, accountId);

    public Task<IReadOnlyList<Member>> ListMembersAsync(long workspaceId, CancellationToken ct) =>
        ListAsync(
            """
            SELECT a.id, a.email, a.display_name, m.role, a.totp_secret IS NOT NULL, a.password_hash IS NOT NULL
            FROM memberships m JOIN accounts a ON a.id = m.account_id WHERE m.workspace_id = $1 ORDER BY m.role DESC, a.email
            """,
            r => new Member(r.GetInt64(0), r.GetString(1), r.GetString(2), (WorkspaceRole)r.GetInt32(3), r.GetBoolean(4), r.GetBoolean(5)), ct, workspaceId);

    public async Task<bool> SetMembershipAsync(long workspaceId, long accountId, WorkspaceRole role, CancellationToken ct)
    {
        // The last-owner rule lives in the statement, so it holds however the request arrives.
        var changed = await ExecuteAsync(
            """
            INSERT INTO memberships (workspace_id, account_id, role, created_at) VALUES ($1, $2, $3, $4)
            ON CONFLICT (workspace_id, account_id) DO UPDATE SET role = excluded.role
            WHERE memberships.role <> $5 OR excluded.role = $5
               OR (SELECT COUNT(*) FROM memberships o WHERE o.workspace_id = $1 AND o.role = $5) > 1
            """,
            ct, workspaceId, accountId, (int)role, Now(), OwnerRole).ConfigureAwait(false);
        return changed == 1;
    }

    public async Task<bool> RemoveMembershipAsync(long workspaceId, long accountId, CancellationToken ct)
    {
        var removed = await ExecuteAsync(
            """
            DELETE FROM memberships WHERE workspace_id = $1 AND account_id = $2
              AND (role <> $3 OR (SELECT COUNT(*) FROM memberships o WHERE o.workspace_id = $1 AND o.role = $3) > 1)
            """,
            ct, workspaceId, accountId, OwnerRole).ConfigureAwait(false) == 1;
        if (removed)
        {
            // Their open sessions re-check and drop what they may no longer see.
            await ExecuteAsync("UPDATE accounts SET security_stamp = $2 WHERE id = $1", ct, accountId, Account.NewStamp()).ConfigureAwait(false);
        }

        return removed;
    }

    public async Task<ApiToken> AddTokenAsync(long accountId, string name, string prefix, string tokenHash, TokenScopes scopes, long? workspaceId, DateTimeOffset? expiresAt, CancellationToken ct) =>
        (await SingleAsync(
            $"""
            INSERT INTO api_tokens (account_id, name, prefix, token_hash, scopes, workspace_id, expires_at, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {TokenColumns}
            """,
            MapToken, ct, accountId, name, prefix, tokenHash, (int)scopes, workspaceId, Sql.Ms(expiresAt), Now()).ConfigureAwait(false))!;

    public Task<ApiToken?> FindTokenAsync(string tokenHash, CancellationToken ct) =>
        SingleAsync($"SELECT {TokenColumns} FROM api_tokens WHERE token_hash = $1", MapToken, ct, tokenHash);

    public Task<IReadOnlyList<ApiToken>> ListTokensAsync(long accountId, CancellationToken ct) =>
        ListAsync($"SELECT {TokenColumns} FROM api_tokens WHERE account_id = $1 ORDER BY id", MapToken, ct, accountId);

    public async Task<bool> RevokeTokenAsync(long accountId, long tokenId, DateTimeOffset at, CancellationToken ct) =>
        await ExecuteAsync("UPDATE api_tokens SET revoked_at = $3 WHERE account_id = $1 AND id = $2 AND revoked_at IS NULL", ct, accountId, tokenId, Sql.Ms(at)).ConfigureAwait(false) == 1;

    public Task TouchTokenAsync(long tokenId, DateTimeOffset at, CancellationToken ct) =>
        ExecuteAsync("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1", ct, tokenId, Sql.Ms(at));

    public Task AddInvitationAsync(long accountId, string tokenHash, DateTimeOffset expiresAt, CancellationToken ct) =>
        ExecuteAsync(
            "INSERT INTO account_invitations (token_hash, account_id, expires_at) VALUES ($1, $2, $3) ON CONFLICT (token_hash) DO UPDATE SET used_at = NULL, expires_at = excluded.expires_at",
            ct, tokenHash, accountId, Sql.Ms(expiresAt));

    public async Task<long?> UseInvitationAsync(string tokenHash, DateTimeOffset now, CancellationToken ct) =>
        await SingleAsync(
            "UPDATE account_invitations SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING account_id",
            r => (object)r.GetInt64(0), ct, tokenHash, Sql.Ms(now)).ConfigureAwait(false) is long id ? id : null;

    public Task GrantInstanceAdminsAsync(long workspaceId, CancellationToken ct) =>
        ExecuteAsync("INSERT INTO memberships (workspace_id, account_id, role, created_at) SELECT $1, id, $2, $3 FROM accounts WHERE instance_admin = $4 ON CONFLICT DO NOTHING", ct, workspaceId, OwnerRole, Now(), true);

    public async Task<bool> RequiresTwoFactorAsync(long workspaceId, CancellationToken ct) =>
        await SingleAsync("SELECT require_two_factor FROM workspace_security WHERE workspace_id = $1", r => (object)r.GetBoolean(0), ct, workspaceId).ConfigureAwait(false) is true;

    public Task SetRequiresTwoFactorAsync(long workspaceId, bool required, CancellationToken ct) =>
        ExecuteAsync("INSERT INTO workspace_security (workspace_id, require_two_factor) VALUES ($1, $2) ON CONFLICT (workspace_id) DO UPDATE SET require_two_factor = excluded.require_two_factor", ct, workspaceId, required);

    private static Account MapAccount(DbDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetString(2), Sql.NullableText(r, 3), r.GetString(4), r.GetBoolean(5), r.GetBoolean(6), r.GetInt32(7), Sql.NullableTime(r, 8), Sql.Time(r.GetInt64(9)));

    private static ApiToken MapToken(DbDataReader r) => new(
        r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetString(3), (TokenScopes)r.GetInt32(4), Sql.NullableLong(r, 5), Sql.NullableTime(r, 6), Sql.Time(r.GetInt64(7)), Sql.NullableTime(r, 8), Sql.NullableTime(r, 9));

    private long Now() => clock.GetUtcNow().ToUnixTimeMilliseconds();

    private async Task<long> ScalarAsync(string sql, CancellationToken ct, params object?[] args)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        await using var command = database.Command(connection, null, sql, args);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<int> ExecuteAsync(string sql, CancellationToken ct, params object?[] args)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        await using var command = database.Command(connection, null, sql, args);
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<T>> ListAsync<T>(string sql, Func<DbDataReader, T> map, CancellationToken ct, params object?[] args)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        await using var command = database.Command(connection, null, sql, args);
        return await Sql.ListAsync(command, map, ct).ConfigureAwait(false);
    }

    private async Task<T?> SingleAsync<T>(string sql, Func<DbDataReader, T> map, CancellationToken ct, params object?[] args)
        where T : class
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        await using var command = database.Command(connection, null, sql, args);
        return await Sql.SingleAsync(command, map, ct).ConfigureAwait(false);
    }
}
