namespace Firebreak.Storage.Postgres;

using System.Data.Common;
using Firebreak.Storage.Alerts;
using Npgsql;

/// <summary>The portable stores on PostgreSQL: the shared data source, positional parameters, text cleaned as everywhere else.</summary>
public sealed class PostgresPortableDatabase(PostgresDatabase database) : PortableDatabase
{
    public override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await database.OpenAsync(cancellationToken).ConfigureAwait(false);

    public override string SerializeStatement(long key) => $"SELECT pg_advisory_xact_lock({key})";

    protected override void Bind(DbCommand command, int position, object? value) =>
        // Positional: the order of Add is the $n. A null's type comes from where the SQL uses it.
        ((NpgsqlCommand)command).Parameters.Add(value switch
        {
            null => new NpgsqlParameter { Value = DBNull.Value },
            string text => new NpgsqlParameter<string> { TypedValue = PgText.Clean(text) },
            long number => new NpgsqlParameter<long> { TypedValue = number },
            int number => new NpgsqlParameter<int> { TypedValue = number },
            bool flag => new NpgsqlParameter<bool> { TypedValue = flag },
            double real => new NpgsqlParameter<double> { TypedValue = real },
            _ => throw new ArgumentException($"Unsupported parameter type {value.GetType()}", nameof(value)),
        });
}
