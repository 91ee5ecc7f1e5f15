using System.Security.Cryptography;
using Firebreak.Core.Security;
using Firebreak.Storage.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace Firebreak.Storage.Tests.Accounts;

/// <summary>
/// The audit log on each provider: appends chain, and the verification catches an edited row, a deleted row, and a chain
/// recomputed by someone who has the database but not the server's key.
/// </summary>
public abstract class AuditChainTests(StoreProvider provider) : IAsyncLifetime
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);
    private TestStore store = null!;
    private AuditStore audit = null!;

    public async Task InitializeAsync()
    {
        store = await TestStore.OpenAsync(provider);
        audit = new AuditStore(store.Services.GetRequiredService<PortableDatabase>(), new AuditChain(Key), store.Clock);
        for (var i = 1; i <= 5; i++)
        {
            store.Clock.Now = TestStore.Now.AddSeconds(i);
            await audit.AppendAsync(new AuditRecord(7, "Ana", 1, "CreateTopic", $"{{\"id\":\"{i}\"}}", $"{{\"status\":201,\"n\":{i}}}", "192.0.2.1"), CancellationToken.None);
        }
    }

    public async Task DisposeAsync() => await store.DisposeAsync();

    [StoreFact]
    public async Task Verify_UntouchedLog_IsIntact()
    {
        var result = await audit.VerifyAsync(CancellationToken.None);

        Assert.True(result.Intact, result.Problem);
        Assert.Equal(5, result.Checked);
        Assert.Equal([5L, 4, 3], (await audit.ListAsync(1, null, 3, CancellationToken.None)).Select(e => e.Sequence));
        Assert.Equal([2L, 1], (await audit.ListAsync(null, 3, 10, CancellationToken.None)).Select(e => e.Sequence));
        Assert.Empty(await audit.ListAsync(2, null, 10, CancellationToken.None));
    }

    [StoreFact]
    public async Task Verify_EditedText_ReportsThatEntry()
    {
        await store.ExecuteAsync("UPDATE audit_log SET actor_name = 'Mallory' WHERE seq = 3");

        var result = await audit.VerifyAsync(CancellationToken.None);

        Assert.Equal(3, result.FirstBroken);
        Assert.Equal(2, result.Checked);
    }

    [StoreFact]
    public async Task Verify_DeletedMiddleRow_ReportsTheGap()
    {
        await store.ExecuteAsync("DELETE FROM audit_log WHERE seq = 2");

        var result = await audit.VerifyAsync(CancellationToken.None);

        Assert.Equal(2, result.FirstBroken);
        Assert.Contains("missing", result.Problem, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task Verify_DeletedAndRenumbered_IsStillCaught()
    {
        // A careful attacker closes the gap so the sequence looks continuous; the hashes no longer chain.
        await store.ExecuteAsync("DELETE FROM audit_log WHERE seq = 2");
        await store.ExecuteAsync("UPDATE audit_log SET seq = seq - 1 WHERE seq > 2");

        Assert.Equal(2, (await audit.VerifyAsync(CancellationToken.None)).FirstBroken);
    }

    [StoreFact]
    public async Task Verify_RechainedWithoutTheKey_IsCaught()
    {
        // Edit entry 2, then recompute every hash from there on — with a key of the attacker's own, since the server's
        // is not in the database.
        await store.ExecuteAsync("UPDATE audit_log SET detail = '{}' WHERE seq = 2");
        var forger = new AuditChain(RandomNumberGenerator.GetBytes(32));
        var previous = AuditChain.Genesis;
        foreach (var entry in await ReadAllAsync())
        {
            var hash = forger.Hash(previous, entry);
            await store.ExecuteAsync($"UPDATE audit_log SET hash = '{hash}' WHERE seq = {entry.Sequence}");
            previous = hash;
        }

        Assert.Equal(1, (await audit.VerifyAsync(CancellationToken.None)).FirstBroken);
    }

    [StoreFact]
    public async Task Append_Concurrent_ChainsEveryEntryOnce()
    {
        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() =>
            audit.AppendAsync(new AuditRecord(null, "system", null, "Parallel", i.ToString(System.Globalization.CultureInfo.InvariantCulture), "{}", null), CancellationToken.None))));

        var result = await audit.VerifyAsync(CancellationToken.None);

        Assert.True(result.Intact, result.Problem);
        Assert.Equal(25, result.Checked);
    }

    private async Task<List<AuditEntry>> ReadAllAsync()
    {
        var all = new List<AuditEntry>();
        await foreach (var entry in audit.ReadAllAsync(CancellationToken.None))
        {
            all.Add(entry);
        }

        return all;
    }
}

public sealed class SqliteAuditChainTests() : AuditChainTests(StoreProvider.Sqlite);

[RequiresPostgres]
public sealed class PostgresAuditChainTests() : AuditChainTests(StoreProvider.Postgres);
