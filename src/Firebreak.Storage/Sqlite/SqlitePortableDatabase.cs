namespace Firebreak.Storage.Sqlite;

using System.Data.Common;
using Firebreak.Storage.Alerts;
using Microsoft.Data.Sqlite;

/// <summary>The portable stores on the embedded file: pooled connections, parameters named "$1", "$2", ….</summary>
public sealed class SqlitePortableDatabase(SqliteDatabase database) : PortableDatabase
{
    public override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await database.OpenAsync(cancellationToken).ConfigureAwait(false);

    protected override void Bind(DbCommand command, int position, object? value) =>
        ((SqliteCommand)command).Parameters.AddWithValue("$" + position.ToString(System.Globalization.CultureInfo.InvariantCulture), value ?? DBNull.Value);
}
