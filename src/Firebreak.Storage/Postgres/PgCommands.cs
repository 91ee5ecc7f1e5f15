namespace Firebreak.Storage.Postgres;

using Npgsql;

/// <summary>Positional parameters ($1, $2, …) with their CLR type, so nothing is inferred per call.</summary>
internal static class PgCommands
{
    public static NpgsqlCommand Add<T>(this NpgsqlCommand command, T value)
    {
        command.Parameters.Add(new NpgsqlParameter<T> { TypedValue = value });
        return command;
    }

    /// <summary>A nullable text parameter (NULL as text, so "$n IS NULL" type-checks).</summary>
    public static NpgsqlCommand AddText(this NpgsqlCommand command, string? value)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = value is null ? DBNull.Value : PgText.Clean(value), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        return command;
    }
}
