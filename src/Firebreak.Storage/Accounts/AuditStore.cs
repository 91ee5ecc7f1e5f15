namespace Firebreak.Storage.Accounts;

using System.Data.Common;
using System.Runtime.CompilerServices;
using Firebreak.Core.Security;
using Firebreak.Storage.Alerts;

/// <summary>
/// The audit log table. An append reads the last hash and inserts the next entry in one transaction that holds the
/// writer lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: a transaction-scoped advisory lock), so entries chain one by one
/// even with several nodes.
/// </summary>
public sealed class AuditStore(PortableDatabase database, AuditChain chain, TimeProvider clock) : IAuditStore
{
    private const string Columns = "seq, at, actor_id, actor_name, workspace_id, action, target, detail, client_ip, hash";
    private const long LockKey = 0x46425f4155444954; // "FB_AUDIT"

    public async Task<AuditEntry> AppendAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (database.SerializeStatement(LockKey) is { } serialize)
        {
            await using var lockCommand = database.Command(connection, transaction, serialize);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        long sequence = 1;
        var previous = AuditChain.Genesis;
        await using (var last = database.Command(connection, transaction, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"))
        await using (var reader = await last.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                sequence = reader.GetInt64(0) + 1;
                previous = reader.GetString(1);
            }
        }

        var at = Sql.Stored(clock.GetUtcNow());
        var hash = chain.Hash(previous, sequence, at, record);
        await using (var insert = database.Command(
            connection,
            transaction,
            $"INSERT INTO audit_log ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            sequence, Sql.Ms(at), record.ActorId, record.ActorName, record.WorkspaceId, record.Action, record.Target, record.Detail, record.ClientIp, hash))
        {
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new AuditEntry(sequence, at, record.ActorId, record.ActorName, record.WorkspaceId, record.Action, record.Target, record.Detail, record.ClientIp, hash);
    }

    public async Task<IReadOnlyList<AuditEntry>> ListAsync(long? workspaceId, long? beforeSequence, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        // Two statements rather than "$1 IS NULL OR …": PostgreSQL cannot type a parameter that is only ever null-tested.
        await using var command = workspaceId is { } id
            ? database.Command(connection, null, $"SELECT {Columns} FROM audit_log WHERE workspace_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3", id, beforeSequence ?? long.MaxValue, Math.Clamp(limit, 1, 500))
            : database.Command(connection, null, $"SELECT {Columns} FROM audit_log WHERE seq < $1 ORDER BY seq DESC LIMIT $2", beforeSequence ?? long.MaxValue, Math.Clamp(limit, 1, 500));
        return await Sql.ListAsync(command, Map, cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<AuditEntry> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long after = 0;
        while (true)
        {
            List<AuditEntry> page;
            await using (var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false))
            await using (var command = database.Command(connection, null, $"SELECT {Columns} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT 1000", after))
            {
                page = await Sql.ListAsync(command, Map, cancellationToken).ConfigureAwait(false);
            }

            foreach (var entry in page)
            {
                yield return entry;
            }

            if (page.Count < 1000)
            {
                yield break;
            }

            after = page[^1].Sequence;
        }
    }

    public Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken) => chain.VerifyAsync(ReadAllAsync(cancellationToken), cancellationToken);

    private static AuditEntry Map(DbDataReader r) => new(
        r.GetInt64(0), Sql.Time(r.GetInt64(1)), Sql.NullableLong(r, 2), r.GetString(3), Sql.NullableLong(r, 4), r.GetString(5), r.GetString(6), r.GetString(7), Sql.NullableText(r, 8), r.GetString(9));
}
