namespace Firebreak.Web.Auth;

using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Firebreak.Core.Security;
using Microsoft.AspNetCore.Http;

/// <summary>
/// Limits sign-in attempts per client IP with ASP.NET Core's rate limiter (a fixed window per IP). It is applied by
/// <see cref="SignInFlow"/> itself rather than as endpoint metadata, so the HTML sign-in pages and the API share one
/// budget. Also remembers failures for e-mails that have no account, so they "lock" exactly like real ones and the
/// answer never tells whether an address is registered.
/// </summary>
public sealed class SignInThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> limiter;
    private readonly ConcurrentDictionary<string, (int Failures, DateTimeOffset Until)> unknown = new(StringComparer.Ordinal);
    private readonly AccountOptions options;

    public SignInThrottle(AccountOptions options, TimeProvider clock)
    {
        this.options = options;
        Clock = clock;
        limiter = PartitionedRateLimiter.Create<string, string>(ip => RateLimitPartition.GetFixedWindowLimiter(ip, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.SignInAttemptsPerMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));
    }

    public TimeProvider Clock { get; }

    public bool TryAcquire(HttpContext http)
    {
        using var lease = limiter.AttemptAcquire(http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        return lease.IsAcquired;
    }

    public bool UnknownIsLocked(string email) => unknown.TryGetValue(email, out var state) && state.Until > Clock.GetUtcNow();

    /// <summary>Counts a failure for an e-mail without an account; true when that reaches the lockout threshold.</summary>
    public bool UnknownFailed(string email)
    {
        if (unknown.Count > 10_000)
        {
            // Bounded: an attacker cycling addresses cannot grow memory; clearing only forgets fake lockouts.
            unknown.Clear();
        }

        var now = Clock.GetUtcNow();
        var state = unknown.AddOrUpdate(
            email,
            _ => (1, DateTimeOffset.MinValue),
            (_, s) => s.Until > now ? s : (s.Failures + 1, s.Failures + 1 >= options.LockoutThreshold ? now + options.LockoutDuration : DateTimeOffset.MinValue));
        return state.Until > now;
    }

    public void Dispose() => limiter.Dispose();
}
