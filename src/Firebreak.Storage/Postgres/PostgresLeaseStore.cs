namespace Firebreak.Storage.Postgres;

using Firebreak.Core.Cluster;
using Npgsql;

/// <summary>
/// Leases in the shared PostgreSQL database. Expiry uses the server's clock only, so nodes with skewed clocks
/// agree. Fences come from a sequence, so every change of holder gets a larger one.
/// </summary>
public sealed class PostgresLeaseStore(NpgsqlDataSource dataSource) : ILeaseStore
{
    /// <summary>The lease table (also created by the PostgreSQL migrations; safe to run again).</summary>
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS leases (
            name text PRIMARY KEY,
            holder text NOT NULL,
            fence bigint NOT NULL,
            expires_at timestamptz NOT NULL);
        CREATE SEQUENCE IF NOT EXISTS lease_fence;
        """;

    // Free or expired → new holder and fence; same holder still live → same fence, later expiry.
    private const string AcquireSql = """
        INSERT INTO leases (name, holder, fence, expires_at)
        VALUES ($1, $2, nextval('lease_fence'), clock_timestamp() + $3)
        ON CONFLICT (name) DO UPDATE SET
            fence = CASE WHEN leases.holder = excluded.holder AND leases.expires_at > clock_timestamp()
                         THEN leases.fence ELSE excluded.fence END,
            holder = excluded.holder,
            expires_at = excluded.expires_at
        WHERE leases.holder = excluded.holder OR leases.expires_at <= clock_timestamp()
        RETURNING fence, expires_at
        """;

    /// <summary>Creates the lease table if it is missing.</summary>
    public async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(Schema);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<Lease?> TryAcquireAsync(string name, string holder, TimeSpan ttl, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(AcquireSql);
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        command.Parameters.Add(new NpgsqlParameter { Value = holder });
        command.Parameters.Add(new NpgsqlParameter { Value = ttl });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new Lease(name, holder, reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1));
    }

    /// <inheritdoc />
    public async Task ReleaseAsync(Lease lease, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM leases WHERE name = $1 AND holder = $2 AND fence = $3");
        command.Parameters.Add(new NpgsqlParameter { Value = lease.Name });
        command.Parameters.Add(new NpgsqlParameter { Value = lease.Holder });
        command.Parameters.Add(new NpgsqlParameter { Value = lease.Fence });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Lease>> ListLiveAsync(string prefix, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT name, holder, fence, expires_at FROM leases WHERE starts_with(name, $1) AND expires_at > clock_timestamp() ORDER BY name");
        command.Parameters.Add(new NpgsqlParameter { Value = prefix });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var leases = new List<Lease>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            leases.Add(new Lease(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return leases;
    }

    /// <inheritdoc />
    public async Task<bool> RunFencedAsync(Lease lease, Func<CancellationToken, Task> action, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // The share lock blocks a rival's takeover (an UPDATE of this row) until the action is done; if this
        // process hangs, the server ends the idle transaction and the lock goes with it.
        await using (var setup = new NpgsqlCommand("SET LOCAL idle_in_transaction_session_timeout = '30s'", connection, transaction))
        {
            await setup.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var check = new NpgsqlCommand(
            "SELECT 1 FROM leases WHERE name = $1 AND holder = $2 AND fence = $3 AND expires_at > clock_timestamp() FOR SHARE",
            connection,
            transaction))
        {
            check.Parameters.Add(new NpgsqlParameter { Value = lease.Name });
            check.Parameters.Add(new NpgsqlParameter { Value = lease.Holder });
            check.Parameters.Add(new NpgsqlParameter { Value = lease.Fence });
            if (await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
            {
                return false;
            }
        }

        await action(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }
}
