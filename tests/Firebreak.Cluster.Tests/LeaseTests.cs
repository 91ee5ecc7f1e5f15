namespace Firebreak.Cluster.Tests;

using System.Collections.Concurrent;
using Firebreak.Core.Cluster;
using Firebreak.Storage.Postgres;
using Npgsql;

/// <summary>The lease contract, on the in-process store and on PostgreSQL (the one a cluster uses).</summary>
public sealed class LeaseTests
{
    // Long enough that a loaded 2-core CI machine does not miss a renewal; the tests wait it out for real.
    private static readonly TimeSpan Short = TimeSpan.FromSeconds(2);

    [Fact]
    public Task In_process_leases_keep_the_contract() => ContractAsync(new InProcessLeaseStore(TimeProvider.System));

    [PostgresFact]
    public async Task Postgres_leases_keep_the_contract()
    {
        await using var source = NpgsqlDataSource.Create(TestServers.Postgres!);
        var store = new PostgresLeaseStore(source);
        await store.EnsureSchemaAsync(CancellationToken.None);
        await ContractAsync(store);
    }

    /// <summary>
    /// The forced split: the old leader is paused (it stops renewing) until its lease expires, a new leader
    /// takes over, and then the old one wakes up and tries to act with the lease it still holds in memory.
    /// Its action must be refused, and the two leaders' actions must never overlap in time.
    /// </summary>
    [PostgresFact]
    public async Task A_paused_leader_whose_lease_expired_cannot_act_and_leaders_never_overlap()
    {
        await using var source = NpgsqlDataSource.Create(TestServers.Postgres!);
        var store = new PostgresLeaseStore(source);
        await store.EnsureSchemaAsync(CancellationToken.None);
        var name = "publisher-" + Guid.NewGuid().ToString("N");
        var actions = new ConcurrentQueue<(string Who, DateTimeOffset Start, DateTimeOffset End)>();

        async Task Act(string who, CancellationToken ct)
        {
            var start = TimeProvider.System.GetUtcNow();
            await Task.Delay(200, ct);
            actions.Enqueue((who, start, TimeProvider.System.GetUtcNow()));
        }

        var oldLeader = await store.TryAcquireAsync(name, "node-a", Short, CancellationToken.None);
        Assert.NotNull(oldLeader);
        Assert.True(await store.RunFencedAsync(oldLeader, ct => Act("a", ct), CancellationToken.None));

        // node-a is now "paused" (no renewals). While its lease is live, node-b cannot take it.
        Assert.Null(await store.TryAcquireAsync(name, "node-b", Short, CancellationToken.None));
        await Task.Delay(Short + TimeSpan.FromMilliseconds(300));
        var newLeader = await store.TryAcquireAsync(name, "node-b", TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.NotNull(newLeader);
        Assert.True(newLeader.Fence > oldLeader.Fence);

        // node-a wakes up believing it leads: refused, its action never runs.
        var ran = false;
        Assert.False(await store.RunFencedAsync(oldLeader, _ =>
        {
            ran = true;
            return Task.CompletedTask;
        }, CancellationToken.None));
        Assert.False(ran);

        // Even renewing its old lease does not bring node-a back while node-b holds it.
        Assert.Null(await store.TryAcquireAsync(name, "node-a", Short, CancellationToken.None));

        // Both contend at once many times: the fenced actions never overlap.
        var contenders = new[] { "node-a", "node-b", "node-c" }.Select(who => Task.Run(async () =>
        {
            for (var i = 0; i < 15; i++)
            {
                if (await store.TryAcquireAsync(name, who, Short, CancellationToken.None) is { } lease)
                {
                    await store.RunFencedAsync(lease, ct => Act(who, ct), CancellationToken.None);
                }

                await Task.Delay(100);
            }
        })).ToArray();
        await Task.WhenAll(contenders);
        var ordered = actions.OrderBy(a => a.Start).ToArray();
        for (var i = 1; i < ordered.Length; i++)
        {
            Assert.True(ordered[i].Start >= ordered[i - 1].End, $"{ordered[i - 1].Who} and {ordered[i].Who} acted at the same time");
        }
    }

    [Fact]
    public async Task The_elector_runs_the_work_on_one_node_and_fails_over_when_it_stops()
    {
        var store = new InProcessLeaseStore(TimeProvider.System);
        var running = new ConcurrentDictionary<string, int>();
        var overlaps = 0;
        async Task Work(string who, Lease lease, CancellationToken ct)
        {
            running[who] = 1;
            if (running.Count > 1)
            {
                Interlocked.Increment(ref overlaps);
            }

            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            finally
            {
                running.TryRemove(who, out _);
            }
        }

        using var stopA = new CancellationTokenSource();
        using var stopB = new CancellationTokenSource();
        var a = new LeaderElector(store, "escalator", "a", Short, TimeProvider.System);
        var b = new LeaderElector(store, "escalator", "b", Short, TimeProvider.System);
        var runA = a.RunAsync((l, ct) => Work("a", l, ct), stopA.Token);
        await WaitUntilAsync(() => a.Current is not null);
        var runB = b.RunAsync((l, ct) => Work("b", l, ct), stopB.Token);
        await Task.Delay(Short * 1.5);
        Assert.NotNull(a.Current);
        Assert.Null(b.Current);

        await stopA.CancelAsync();
        await runA;
        await WaitUntilAsync(() => b.Current is not null);
        Assert.Equal(0, overlaps);
        await stopB.CancelAsync();
        await runB;
    }

    private static async Task ContractAsync(ILeaseStore store)
    {
        var name = "contract-" + Guid.NewGuid().ToString("N");
        var first = await store.TryAcquireAsync(name, "a", Short, CancellationToken.None);
        Assert.NotNull(first);
        Assert.Null(await store.TryAcquireAsync(name, "b", Short, CancellationToken.None));

        var renewed = await store.TryAcquireAsync(name, "a", Short, CancellationToken.None);
        Assert.NotNull(renewed);
        Assert.Equal(first.Fence, renewed.Fence);
        Assert.Contains(await store.ListLiveAsync(name, CancellationToken.None), l => l.Holder == "a");

        await store.ReleaseAsync(renewed, CancellationToken.None);
        Assert.Empty(await store.ListLiveAsync(name, CancellationToken.None));
        var taken = await store.TryAcquireAsync(name, "b", Short, CancellationToken.None);
        Assert.NotNull(taken);
        Assert.True(taken.Fence > first.Fence);
        Assert.False(await store.RunFencedAsync(renewed, _ => Task.CompletedTask, CancellationToken.None));
        Assert.True(await store.RunFencedAsync(taken, _ => Task.CompletedTask, CancellationToken.None));

        await Task.Delay(Short + TimeSpan.FromMilliseconds(200));
        Assert.Empty(await store.ListLiveAsync(name, CancellationToken.None));
        Assert.False(await store.RunFencedAsync(taken, _ => Task.CompletedTask, CancellationToken.None));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = TimeProvider.System.GetTimestamp();
        while (!condition())
        {
            Assert.True(TimeProvider.System.GetElapsedTime(deadline) < TimeSpan.FromSeconds(10), "condition not met within 10 s");
            await Task.Delay(20);
        }
    }
}
