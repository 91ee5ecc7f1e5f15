namespace Firebreak.Core.Cluster;

using Firebreak.Core.Diagnostics;

/// <summary>
/// Runs a piece of work on exactly one node at a time: the node holding the lease <see cref="Name"/>. Followers
/// keep trying; the leader renews every third of the lease's life and stops its work as soon as a renewal
/// fails or it cannot prove it renewed within the lease's life (it may have been paused, or cut off from the
/// database). Effects that must never happen twice go through <see cref="ILeaseStore.RunFencedAsync"/> with
/// the lease the work was given, which refuses a stale leader even if it has not noticed yet.
/// </summary>
public sealed class LeaderElector(ILeaseStore store, string name, string holder, TimeSpan ttl, TimeProvider clock)
{
    /// <summary>The lease name (the role this elector contends for).</summary>
    public string Name { get; } = name;

    /// <summary>The identity of this node.</summary>
    public string Holder { get; } = holder;

    /// <summary>The lease while this node leads, else null.</summary>
    public Lease? Current { get; private set; }

    /// <summary>Contends for the lease until cancelled; runs <paramref name="work"/> while leading.</summary>
    public async Task RunAsync(Func<Lease, CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        var renewEvery = ttl / 3;
        while (!cancellationToken.IsCancellationRequested)
        {
            var lease = await TryAcquireAsync(cancellationToken).ConfigureAwait(false);
            if (lease is null)
            {
                await DelayAsync(renewEvery, cancellationToken).ConfigureAwait(false);
                continue;
            }

            using var leading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            Current = lease;
            var role = new KeyValuePair<string, object?>("lease", Name);
            FirebreakMetrics.Leader.Add(1, role);
            var running = Task.Run(() => work(lease, leading.Token), CancellationToken.None);
            var renewedAt = clock.GetTimestamp();
            while (!leading.IsCancellationRequested && !running.IsCompleted)
            {
                await Task.WhenAny(running, Task.Delay(renewEvery, clock, leading.Token)).ConfigureAwait(false);
                if (running.IsCompleted || cancellationToken.IsCancellationRequested)
                {
                    break;
                }

                var renewed = await TryAcquireAsync(cancellationToken).ConfigureAwait(false);
                // A renewal that came back too late is no proof: a rival may have taken over meanwhile.
                if (renewed is null || renewed.Fence != lease.Fence || clock.GetElapsedTime(renewedAt) > ttl)
                {
                    break;
                }

                renewedAt = clock.GetTimestamp();
                Current = lease = renewed;
            }

            Current = null;
            FirebreakMetrics.Leader.Add(-1, role);
            await leading.CancelAsync().ConfigureAwait(false);
            try
            {
                await running.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The work stops when leadership ends; that is the expected way out.
            }

            if (cancellationToken.IsCancellationRequested)
            {
                await ReleaseQuietlyAsync(lease).ConfigureAwait(false);
            }
        }
    }

    private async Task<Lease?> TryAcquireAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await store.TryAcquireAsync(Name, Holder, ttl, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The database is unreachable: not leading is the only safe assumption.
            return null;
        }
    }

    private async Task ReleaseQuietlyAsync(Lease lease)
    {
        try
        {
            await store.ReleaseAsync(lease, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Shutting down; the lease simply expires.
        }
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, clock, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
