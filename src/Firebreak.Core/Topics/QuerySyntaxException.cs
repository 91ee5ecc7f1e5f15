namespace Firebreak.Core.Topics.Query;

/// <summary>Thrown where a query reaches code that cannot return an error value (e.g. deep in a store read).</summary>
public sealed class QuerySyntaxException(QueryError error) : Exception(error.Message)
{
    public QueryError Error { get; } = error;
}
