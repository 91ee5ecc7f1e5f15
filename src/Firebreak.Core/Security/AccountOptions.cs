namespace Firebreak.Core.Security;

using System.ComponentModel.DataAnnotations;

/// <summary>Sign-in protection and account lifetimes. Defaults follow common guidance; tests shorten them.</summary>
public sealed class AccountOptions
{
    /// <summary>Consecutive failed sign-ins that lock an account. Default 5.</summary>
    [Range(1, 100)]
    public int LockoutThreshold { get; set; } = 5;

    /// <summary>How long a locked account stays locked. Default 15 minutes.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Sign-in attempts (password, second factor, setup) allowed per client IP per minute. Default 10.</summary>
    [Range(1, 10_000)]
    public int SignInAttemptsPerMinute { get; set; } = 10;

    /// <summary>How long an invitation link works. Default 7 days.</summary>
    public TimeSpan InvitationLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long the "password accepted, waiting for the second factor" step lasts. Default 5 minutes.</summary>
    public TimeSpan TwoFactorWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Idle time after which a session ends (sliding). Default 8 hours; "remember me" keeps it 14 days.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>How often a session re-reads its account (password changed, locked, removed ends it). Default 2 minutes.</summary>
    public TimeSpan SessionRecheck { get; set; } = TimeSpan.FromMinutes(2);

    public const int RecoveryCodeCount = 10;
}

/// <summary>Who does something, for the audit log.</summary>
public sealed record Actor(long? AccountId, string Name, string? ClientIp)
{
    public static readonly Actor System = new(null, "system", null);
}
