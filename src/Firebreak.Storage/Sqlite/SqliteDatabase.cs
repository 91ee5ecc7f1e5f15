namespace Firebreak.Storage.Sqlite;

using System.ComponentModel.DataAnnotations;
using Microsoft.Data.Sqlite;

/// <summary>Where and how the embedded store keeps its file.</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>Folder holding firebreak.db and its WAL. Default: ./data (created if missing).</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>
    /// true (default): every acknowledged batch survives power loss (synchronous=FULL). false: survives a
    /// process crash but may lose the last commits on power loss (synchronous=NORMAL), for bulk loads.
    /// </summary>
    public bool DurableCommits { get; set; } = true;

    public string DatabasePath => Path.Combine(DataDirectory, "firebreak.db");
}

/// <summary>
/// Opens connections to the embedded SQLite store (WAL: readers never block the single writer) and
/// applies migrations at start.
/// </summary>
public sealed class SqliteDatabase : IStoreDatabase
{
    private readonly SqliteStoreOptions options;

    public SqliteDatabase(SqliteStoreOptions options)
    {
        this.options = options;
        Directory.CreateDirectory(options.DataDirectory);
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string ConnectionString { get; }

    public string DatabasePath => options.DatabasePath;

    public string Provider => "sqlite";

    public string Location => DatabasePath;

    public async Task<string> CheckReadyAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT sqlite_version()";
        return (string)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>
    /// Opens a pooled connection. Page cache is 16 MiB per connection (the writer asks for more); no mmap,
    /// so the process's memory does not grow with the size of the database file.
    /// </summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default, int cacheMiB = 16)
    {
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var pragma = connection.CreateCommand();
        pragma.CommandText = $"""
            PRAGMA synchronous = {(options.DurableCommits ? "FULL" : "NORMAL")};
            PRAGMA temp_store = MEMORY;
            PRAGMA cache_size = -{cacheMiB * 1024};
            """;
        await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    /// <summary>Switches the file to WAL and applies every migration not yet applied. Safe to call at every start.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var setup = connection.CreateCommand())
        {
            // 16 KiB pages: mentions are ~1 KiB rows written in bulk; measured ~20% faster inserts than 4 KiB.
            // Only takes effect on a new file (before its first table), so existing stores keep their size.
            setup.CommandText = """
                PRAGMA page_size = 16384;
                PRAGMA journal_mode = WAL;
                CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);
                """;
            await setup.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var applied = new HashSet<long>();
        await using (var read = connection.CreateCommand())
        {
            read.CommandText = "SELECT version FROM schema_migrations";
            await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                applied.Add(reader.GetInt64(0));
            }
        }

        foreach (var (version, name, sql) in SqliteMigrations.All)
        {
            if (applied.Contains(version))
            {
                continue;
            }

            await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (var migrate = connection.CreateCommand())
            {
                migrate.Transaction = tx;
                migrate.CommandText = sql;
                await migrate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using (var record = connection.CreateCommand())
            {
                record.Transaction = tx;
                record.CommandText = "INSERT INTO schema_migrations(version, name, applied_at) VALUES ($v, $n, datetime('now'))";
                record.Parameters.AddWithValue("$v", version);
                record.Parameters.AddWithValue("$n", name);
                await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public static string SqliteVersion()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "select sqlite_version()";
        return (string)command.ExecuteScalar()!;
    }
}
