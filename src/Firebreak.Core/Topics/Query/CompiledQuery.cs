namespace Firebreak.Core.Topics.Query;

/// <summary>
/// A parsed, pre-folded topic query. Immutable and thread-safe; per-evaluation state lives in the
/// <see cref="MatchSubject"/>, so one instance serves every worker.
/// </summary>
public sealed class CompiledQuery
{
    internal CompiledQuery(string source, QueryNode root, int termCount)
    {
        Source = source;
        Root = root;
        TermCount = termCount;
    }

    /// <summary>The query text as the user wrote it.</summary>
    public string Source { get; }

    /// <summary>Operands (terms, phrases, wildcards, field filters) in the query.</summary>
    public int TermCount { get; }

    internal QueryNode Root { get; }

    public bool Matches(MatchSubject subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        return Root.Evaluate(subject);
    }

    /// <summary>Canonical form, e.g. <c>AND(OR(refund, chargeback), NEAR/5("late flight", airline))</c>.</summary>
    public override string ToString() => Root.ToString();
}
