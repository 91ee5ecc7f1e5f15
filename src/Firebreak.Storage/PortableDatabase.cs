namespace Firebreak.Storage;

using System.Data.Common;

/// <summary>
/// What the small stores (alerts, accounts, audit, wellbeing) need from a provider: a connection, and positional
/// parameters ($1, $2, … in order). Their tables are small and their SQL is the same in SQLite and PostgreSQL
/// (RETURNING, ON CONFLICT, partial indexes), so they are written once against this and each provider only says
/// how to connect and bind;
/// the schema lives in each provider's migrations. Times are Unix milliseconds, enums their integer values.
/// </summary>
public abstract class PortableDatabase
{
    public abstract ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>A command with <paramref name="args"/> bound to $1, $2, … (long, int, bool, double, string or null).</summary>
    public DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params object?[] args)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        for (var i = 0; i < args.Length; i++)
        {
            Bind(command, i + 1, args[i]);
        }

        return command;
    }

    /// <summary>
    /// A statement that, run first in a transaction, makes concurrent transactions with the same key take turns (PostgreSQL:
    /// a transaction-scoped advisory lock). Null where the transaction itself already serialises writers (SQLite's
    /// BEGIN IMMEDIATE, which Microsoft.Data.Sqlite issues for every transaction it begins).
    /// </summary>
    public virtual string? SerializeStatement(long key) => null;

    /// <summary>Binds argument number <paramref name="position"/> (from 1).</summary>
    protected abstract void Bind(DbCommand command, int position, object? value);
}
