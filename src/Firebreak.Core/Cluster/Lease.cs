namespace Firebreak.Core.Cluster;

/// <summary>
/// A time-limited claim on a named role ("publisher", "worker:7f3a…") held by one process.
/// <see cref="Fence"/> grows every time the lease changes hands, so work done under an old lease can be
/// refused by the store even if its holder, paused past expiry, still believes it leads.
/// </summary>
/// <param name="Name">What is claimed.</param>
/// <param name="Holder">Who holds it (a process identity).</param>
/// <param name="Fence">Fencing token: strictly greater for every new holder.</param>
/// <param name="ExpiresAt">When the claim lapses unless renewed (by the store's clock).</param>
public sealed record Lease(string Name, string Holder, long Fence, DateTimeOffset ExpiresAt);

/// <summary>Where leases live: the database every node shares (PostgreSQL), or this process alone (SQLite).</summary>
public interface ILeaseStore
{
    /// <summary>
    /// Takes the lease if it is free or expired, or renews it if <paramref name="holder"/> already holds it.
    /// Returns null while someone else holds a live lease.
    /// </summary>
    Task<Lease?> TryAcquireAsync(string name, string holder, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>Gives the lease up at once (a clean shutdown), if still held by the same holder and fence.</summary>
    Task ReleaseAsync(Lease lease, CancellationToken cancellationToken);

    /// <summary>The live (unexpired) leases whose names start with <paramref name="prefix"/>, by name.</summary>
    Task<IReadOnlyList<Lease>> ListLiveAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="action"/> only while <paramref name="lease"/> is still current (same holder, same
    /// fence, unexpired), and keeps it current until the action finishes: a rival cannot take over midway.
    /// Returns false, without running the action, when the lease was lost.
    /// </summary>
    Task<bool> RunFencedAsync(Lease lease, Func<CancellationToken, Task> action, CancellationToken cancellationToken);
}
