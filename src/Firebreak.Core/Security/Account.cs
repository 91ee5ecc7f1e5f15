namespace Firebreak.Core.Security;

/// <summary>A person who signs in. <see cref="PasswordHash"/> is null until an invited person sets one.</summary>
public sealed record Account(
    long Id,
    string Email,
    string DisplayName,
    string? PasswordHash,
    string SecurityStamp,
    bool TwoFactorEnabled,
    bool IsInstanceAdmin,
    int FailedSignIns,
    DateTimeOffset? LockedUntil,
    DateTimeOffset CreatedAt)
{
    public bool IsLocked(DateTimeOffset now) => LockedUntil is { } until && until > now;

    /// <summary>E-mail addresses compare case-insensitively; they are stored folded.</summary>
    public static string NormaliseEmail(string email) => email.Trim().ToLowerInvariant();

    /// <summary>A new random stamp: changing it ends every session issued under the old one.</summary>
    public static string NewStamp() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
}

/// <summary>An account's role in one workspace.</summary>
public sealed record Membership(long WorkspaceId, long AccountId, WorkspaceRole Role, DateTimeOffset CreatedAt);

/// <summary>A member as the members page lists them.</summary>
public sealed record Member(long AccountId, string Email, string DisplayName, WorkspaceRole Role, bool TwoFactorEnabled, bool HasPassword);

/// <summary>What an API token may be used for. A token also never exceeds its owner's current role.</summary>
[Flags]
public enum TokenScopes
{
    None = 0,

    /// <summary>GET requests.</summary>
    Read = 1,

    /// <summary>Changes (POST, PUT, DELETE), including ingest.</summary>
    Write = 2,

    /// <summary>Only the ingest endpoint (for collectors and scripts).</summary>
    Ingest = 4,
}

/// <summary>A personal API token as stored: the SHA-256 of the secret and its first characters for recognition.</summary>
public sealed record ApiToken(
    long Id,
    long AccountId,
    string Name,
    string Prefix,
    TokenScopes Scopes,
    long? WorkspaceId,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt)
{
    public bool IsUsable(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is not { } expiry || expiry > now);

    public static string ScopeNames(TokenScopes scopes) =>
        string.Join(' ', new[] { (TokenScopes.Read, "read"), (TokenScopes.Write, "write"), (TokenScopes.Ingest, "ingest") }.Where(s => scopes.HasFlag(s.Item1)).Select(s => s.Item2));

    /// <summary>Parses "read write", "read,ingest"; null when a name is unknown or none is given.</summary>
    public static TokenScopes? ParseScopes(IEnumerable<string>? names)
    {
        var scopes = TokenScopes.None;
        foreach (var name in (names ?? []).SelectMany(n => n.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries)))
        {
            scopes |= name.Trim().ToLowerInvariant() switch
            {
                "read" => TokenScopes.Read,
                "write" => TokenScopes.Write,
                "ingest" => TokenScopes.Ingest,
                _ => (TokenScopes)(-1),
            };
            if ((int)scopes < 0)
            {
                return null;
            }
        }

        return scopes == TokenScopes.None ? null : scopes;
    }
}

/// <summary>The TOTP state of an account: secrets are ciphertext (see <see cref="Secrets.ISecretProtector"/>).</summary>
public sealed record TwoFactorState(string? Secret, string? PendingSecret, long? LastStep);
