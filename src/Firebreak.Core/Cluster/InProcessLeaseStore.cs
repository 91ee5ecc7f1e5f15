namespace Firebreak.Core.Cluster;

/// <summary>
/// Leases for a single-node deployment on the embedded store: every singleton runs in this process, so the
/// leases only need to be consistent within it. Same contract as the PostgreSQL store, which the tests check.
/// </summary>
public sealed class InProcessLeaseStore(TimeProvider clock) : ILeaseStore
{
    private readonly Dictionary<string, Lease> leases = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim gate = new(1, 1);
    private long lastFence;

    /// <inheritdoc />
    public async Task<Lease?> TryAcquireAsync(string name, string holder, TimeSpan ttl, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = clock.GetUtcNow();
            if (leases.TryGetValue(name, out var current) && current.ExpiresAt > now && current.Holder != holder)
            {
                return null;
            }

            var fence = current is not null && current.Holder == holder && current.ExpiresAt > now ? current.Fence : ++lastFence;
            var lease = new Lease(name, holder, fence, now + ttl);
            leases[name] = lease;
            return lease;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task ReleaseAsync(Lease lease, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (leases.TryGetValue(lease.Name, out var current) && current.Holder == lease.Holder && current.Fence == lease.Fence)
            {
                leases.Remove(lease.Name);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Lease>> ListLiveAsync(string prefix, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = clock.GetUtcNow();
            return [.. leases.Values.Where(l => l.ExpiresAt > now && l.Name.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(l => l.Name, StringComparer.Ordinal)];
        }
        finally
        {
            gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task<bool> RunFencedAsync(Lease lease, Func<CancellationToken, Task> action, CancellationToken cancellationToken)
    {
        // Holding the gate for the whole action is what keeps a rival from taking over midway.
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!leases.TryGetValue(lease.Name, out var current) || current.Holder != lease.Holder
                || current.Fence != lease.Fence || current.ExpiresAt <= clock.GetUtcNow())
            {
                return false;
            }

            await action(cancellationToken).ConfigureAwait(false);
            return true;
        }
        finally
        {
            gate.Release();
        }
    }
}
