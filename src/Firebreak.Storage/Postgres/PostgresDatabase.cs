namespace Firebreak.Storage.Postgres;

using System.ComponentModel.DataAnnotations;
using Npgsql;

/// <summary>Where the PostgreSQL store lives.</summary>
public sealed class PostgresStoreOptions
{
    /// <summary>An Npgsql connection string, e.g. <c>Host=db;Username=firebreak;Password=…;Database=firebreak</c>.</summary>
    [Required]
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>Folder for the files kept beside the database (workspace models); null: none are kept.</summary>
    public string? DataDirectory { get; set; }
}

/// <summary>
/// The PostgreSQL store: one pooled <see cref="NpgsqlDataSource"/> for the process, and migrations applied at
/// start under an advisory lock so several nodes starting together apply each migration exactly once.
/// </summary>
public sealed class PostgresDatabase : IStoreDatabase, IAsyncDisposable
{
    /// <summary>pg_advisory_lock key for migrations ("firebrk" in ASCII); any constant shared by all nodes works.</summary>
    private const long MigrationLockKey = 0x66697265_62726B;

    public PostgresDatabase(PostgresStoreOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ConnectionString);
        var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        Location = $"postgresql://{builder.Host}:{builder.Port}/{builder.Database}";
        DataSource = new NpgsqlDataSourceBuilder(options.ConnectionString).Build();
    }

    public NpgsqlDataSource DataSource { get; }

    public string Provider => "postgresql";

    public string Location { get; }

    public ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken = default) =>
        DataSource.OpenConnectionAsync(cancellationToken);

    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        // Session lock: a second node blocks here until the first has finished, then finds nothing to do.
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({MigrationLockKey})", cancellationToken).ConfigureAwait(false);
        try
        {
            await ExecuteAsync(connection, "CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())", cancellationToken).ConfigureAwait(false);
            var applied = new HashSet<int>();
            await using (var read = new NpgsqlCommand("SELECT version FROM schema_version", connection))
            await using (var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    applied.Add(reader.GetInt32(0));
                }
            }

            foreach (var (version, name, sql) in PostgresMigrations.All)
            {
                if (applied.Contains(version))
                {
                    continue;
                }

                await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await using (var migrate = new NpgsqlCommand(sql, connection, tx))
                {
                    await migrate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await using (var record = new NpgsqlCommand("INSERT INTO schema_version (version, name) VALUES ($1, $2)", connection, tx))
                {
                    record.Parameters.Add(new NpgsqlParameter<int> { TypedValue = version });
                    record.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
                    await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({MigrationLockKey})", CancellationToken.None).ConfigureAwait(false);
        }
    }

    public async Task<string> CheckReadyAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT current_setting('server_version')", connection);
        return (string)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
