using System.Text;

namespace Firebreak.Core.Topics.Query;

/// <summary>A compiled query node. Immutable after parsing, so one tree is shared by every worker.</summary>
internal abstract class QueryNode
{
    /// <summary>Rough cost, used to evaluate cheap AND children first.</summary>
    public virtual int Cost => 4;

    public abstract bool Evaluate(MatchSubject subject);

    /// <summary>Writes the canonical form (stable, used by tests and logs).</summary>
    public abstract void Describe(StringBuilder output);

    public override string ToString()
    {
        var output = new StringBuilder();
        Describe(output);
        return output.ToString();
    }
}

/// <summary>A node that matches at token positions, so it can be an operand of NEAR.</summary>
internal abstract class PositionalNode : QueryNode
{
    /// <summary>Adds every occurrence as a (first, last) token span; order does not matter.</summary>
    public abstract void CollectSpans(MatchSubject subject, SpanList spans);
}
