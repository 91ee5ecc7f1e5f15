namespace Firebreak.Storage.Postgres;

using Npgsql;

/// <summary>
/// Creates the monthly partitions of mentions on demand, before the writer copies rows into them, and
/// remembers which exist so the hot path asks the server only for a month it has not seen.
/// </summary>
/// <remarks>
/// Runs in its own short transaction (never inside the ingest transaction: a failed CREATE would abort it),
/// under a transaction advisory lock so writers in several processes never race on one CREATE. If the
/// DEFAULT partition already holds rows of that month (written before the month had a partition), PostgreSQL
/// refuses the new partition; those rows stay in DEFAULT, which is correct, only slower to scan.
/// </remarks>
internal sealed class PostgresPartitions
{
    private const long PartitionLockKey = 0x66697265_70617274;
    private readonly HashSet<int> known = [];
    private readonly List<int> missing = [];

    /// <summary>The partition month (year * 12 + month - 1) of a Unix-millisecond time.</summary>
    public static int MonthOf(long unixMs)
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(unixMs);
        return (at.Year * 12) + at.Month - 1;
    }

    public static string TableName(int month) => $"mentions_p{month / 12:D4}{(month % 12) + 1:D2}";

    /// <summary>Notes a month the next <see cref="EnsureAsync"/> must have a partition for. Allocation-free when known.</summary>
    public void Require(long unixMs)
    {
        var month = MonthOf(unixMs);
        if (!known.Contains(month) && !missing.Contains(month))
        {
            missing.Add(month);
        }
    }

    public async Task EnsureAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        foreach (var month in missing)
        {
            var from = new DateTimeOffset(month / 12, (month % 12) + 1, 1, 0, 0, 0, TimeSpan.Zero);
            var to = from.AddMonths(1);
            await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand(
                $"""
                SELECT pg_advisory_xact_lock({PartitionLockKey});
                CREATE TABLE IF NOT EXISTS {TableName(month)} PARTITION OF mentions FOR VALUES FROM ({from.ToUnixTimeMilliseconds()}) TO ({to.ToUnixTimeMilliseconds()});
                """,
                connection,
                tx);
            try
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.CheckViolation)
            {
                // Rows of this month already sit in the DEFAULT partition; they stay there (see remarks).
                await tx.RollbackAsync(cancellationToken).ConfigureAwait(false);
            }

            known.Add(month);
        }

        missing.Clear();
    }

    /// <summary>Forgets pending months (a failed group); known months stay known.</summary>
    public void Reset() => missing.Clear();
}
