using System.Text;

namespace Firebreak.Core.Topics.Query;

/// <summary>All children must match; evaluated cheapest first (field filters, then terms).</summary>
internal sealed class AndNode : QueryNode
{
    private readonly QueryNode[] byCost;

    public AndNode(QueryNode[] children)
    {
        Children = children;

        // Stable, so equal-cost children keep the user's order.
        var ordered = children.Select((child, index) => (child, index)).OrderBy(p => p.child.Cost).ThenBy(p => p.index);
        byCost = [.. ordered.Select(p => p.child)];
    }

    public IReadOnlyList<QueryNode> Children { get; }

    public override bool Evaluate(MatchSubject subject)
    {
        foreach (var child in byCost)
        {
            if (!child.Evaluate(subject))
            {
                return false;
            }
        }

        return true;
    }

    public override void Describe(StringBuilder output) => DescribeList(output, "AND", Children);

    internal static void DescribeList(StringBuilder output, string name, IReadOnlyList<QueryNode> children)
    {
        output.Append(name).Append('(');
        for (var i = 0; i < children.Count; i++)
        {
            if (i > 0)
            {
                output.Append(", ");
            }

            children[i].Describe(output);
        }

        output.Append(')');
    }
}

/// <summary>Any child matches. Positional (usable in NEAR) when every child is.</summary>
internal sealed class OrNode(QueryNode[] children) : PositionalNode
{
    public IReadOnlyList<QueryNode> Children => children;

    public bool IsPositional { get; } = children.All(c => c is PositionalNode);

    public override bool Evaluate(MatchSubject subject)
    {
        foreach (var child in children)
        {
            if (child.Evaluate(subject))
            {
                return true;
            }
        }

        return false;
    }

    public override void CollectSpans(MatchSubject subject, SpanList spans)
    {
        foreach (var child in children)
        {
            ((PositionalNode)child).CollectSpans(subject, spans);
        }
    }

    public override void Describe(StringBuilder output) => AndNode.DescribeList(output, "OR", children);
}

internal sealed class NotNode(QueryNode child) : QueryNode
{
    public QueryNode Child { get; } = child;

    public override int Cost => Child.Cost;

    public override bool Evaluate(MatchSubject subject) => !Child.Evaluate(subject);

    public override void Describe(StringBuilder output)
    {
        output.Append("NOT(");
        Child.Describe(output);
        output.Append(')');
    }
}

/// <summary>
/// Left and right occur within <see cref="Distance"/> tokens of each other (tokens strictly between them);
/// NEARF also needs left before right. Occurrences may not overlap.
/// </summary>
internal sealed class NearNode(PositionalNode left, PositionalNode right, int distance, bool ordered) : PositionalNode
{
    public PositionalNode Left { get; } = left;

    public PositionalNode Right { get; } = right;

    public int Distance { get; } = distance;

    public bool Ordered { get; } = ordered;

    public override bool Evaluate(MatchSubject subject) => Scan(subject, null);

    public override void CollectSpans(MatchSubject subject, SpanList spans) => Scan(subject, spans);

    public override void Describe(StringBuilder output)
    {
        output.Append(Ordered ? "NEARF/" : "NEAR/").Append(Distance).Append('(');
        Left.Describe(output);
        output.Append(", ");
        Right.Describe(output);
        output.Append(')');
    }

    private bool Scan(MatchSubject subject, SpanList? output)
    {
        var lefts = subject.RentSpans();
        var rights = subject.RentSpans();
        try
        {
            Left.CollectSpans(subject, lefts);
            if (lefts.Count == 0)
            {
                return false;
            }

            Right.CollectSpans(subject, rights);
            if (rights.Count == 0)
            {
                return false;
            }

            rights.Sort();
            var found = false;
            for (var l = 0; l < lefts.Count; l++)
            {
                int ls = lefts.Start(l), le = lefts.End(l);

                // Only rights starting in this window can be close enough; rights are sorted by start.
                var from = Ordered ? le + 1 : ls - Distance - rights.MaxLength;
                var to = le + 1 + Distance;
                for (var r = rights.LowerBound(Math.Max(0, from)); r < rights.Count && rights.Start(r) <= to; r++)
                {
                    int rs = rights.Start(r), re = rights.End(r);
                    int gap;
                    if (rs > le)
                    {
                        gap = rs - le - 1;
                    }
                    else if (!Ordered && ls > re)
                    {
                        gap = ls - re - 1;
                    }
                    else
                    {
                        continue;
                    }

                    if (gap > Distance)
                    {
                        continue;
                    }

                    if (output is null)
                    {
                        return true;
                    }

                    output.Add(Math.Min(ls, rs), Math.Max(le, re));
                    found = true;
                }
            }

            return found;
        }
        finally
        {
            subject.ReturnSpans();
            subject.ReturnSpans();
        }
    }
}
