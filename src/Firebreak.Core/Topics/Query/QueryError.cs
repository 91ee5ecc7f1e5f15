namespace Firebreak.Core.Topics.Query;

/// <summary>Why a query did not parse, pointing at the offending text so an editor can underline it.</summary>
/// <param name="Position">0-based char offset into the original query.</param>
/// <param name="Length">Chars to underline (0 at the end of the query).</param>
/// <param name="Message">A sentence for people, including the position.</param>
/// <param name="Expected">What would have been valid there (keywords, field names, platform names); may be empty.</param>
public sealed record QueryError(int Position, int Length, string Message, IReadOnlyList<string> Expected);

/// <summary>The outcome of <see cref="QueryParser.Parse"/>: a query or an error, never both.</summary>
public sealed class QueryParseResult
{
    private QueryParseResult(CompiledQuery? query, QueryError? error)
    {
        Query = query;
        Error = error;
    }

    public CompiledQuery? Query { get; }

    public QueryError? Error { get; }

    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(true, nameof(Query))]
    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(false, nameof(Error))]
    public bool Success => Query is not null;

    internal static QueryParseResult Ok(CompiledQuery query) => new(query, null);

    internal static QueryParseResult Fail(QueryError error) => new(null, error);
}
