namespace Firebreak.Storage.Sqlite;

using Microsoft.Data.Sqlite;
using SQLitePCL;

/// <summary>
/// A prepared statement driven through SQLite's C API with positional binding. Microsoft.Data.Sqlite binds
/// every parameter by name on every execution (a UTF-8 conversion and a lookup each), which costs more than
/// the insert itself on the ingest hot path; this is used only there, on the writer's own connection.
/// </summary>
internal sealed class RawStatement : IDisposable
{
    private readonly sqlite3 db;
    private readonly sqlite3_stmt statement;

    public RawStatement(SqliteConnection connection, string sql)
    {
        db = connection.Handle!;
        Check(raw.sqlite3_prepare_v2(db, sql, out statement));
    }

    public void Bind(int index, long value) => Check(raw.sqlite3_bind_int64(statement, index, value));

    public void Bind(int index, string? value) =>
        Check(value is null ? raw.sqlite3_bind_null(statement, index) : raw.sqlite3_bind_text(statement, index, value));

    public void Bind(int index, long? value) =>
        Check(value is { } v ? raw.sqlite3_bind_int64(statement, index, v) : raw.sqlite3_bind_null(statement, index));

    /// <summary>Runs the statement to completion and returns how many rows it changed.</summary>
    public int Execute()
    {
        var rc = raw.sqlite3_step(statement);
        raw.sqlite3_reset(statement);
        if (rc != raw.SQLITE_DONE && rc != raw.SQLITE_ROW)
        {
            throw new SqliteException($"SQLite error {rc}: {raw.sqlite3_errmsg(db).utf8_to_string()}", rc);
        }

        return raw.sqlite3_changes(db);
    }

    public void Dispose() => statement.Dispose();

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw new SqliteException($"SQLite error {rc}: {raw.sqlite3_errmsg(db).utf8_to_string()}", rc);
        }
    }
}
