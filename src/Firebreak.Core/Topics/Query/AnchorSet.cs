namespace Firebreak.Core.Topics.Query;

/// <summary>
/// Tokens of which a matching mention must contain at least one (exact texts, or prefixes for wildcards).
/// Null from <see cref="Of"/> means no such set exists and the query must always be evaluated.
/// </summary>
internal sealed class AnchorSet
{
    private AnchorSet(IReadOnlyList<string> exact, IReadOnlyList<string> prefixes)
    {
        Exact = exact;
        Prefixes = prefixes;
    }

    public IReadOnlyList<string> Exact { get; }

    public IReadOnlyList<string> Prefixes { get; }

    /// <summary>Prefix anchors pull in more candidates than exact ones, so they weigh more.</summary>
    private int Weight => Exact.Count + (4 * Prefixes.Count);

    public static AnchorSet? Of(QueryNode node) => node switch
    {
        TermNode term => new AnchorSet([term.Text], []),

        // The longest token is the cheapest proxy for the rarest one without corpus statistics.
        PhraseNode phrase => new AnchorSet([phrase.Texts.MaxBy(t => t.Length)!], []),
        WildcardNode wildcard => new AnchorSet([], [wildcard.Prefix]),
        OrNode any => Union(any.Children),
        AndNode all => Smallest(all.Children),
        NearNode near => Smallest([near.Left, near.Right]),
        _ => null,
    };

    private static AnchorSet? Union(IReadOnlyList<QueryNode> children)
    {
        var exact = new List<string>();
        var prefixes = new List<string>();
        foreach (var child in children)
        {
            var anchors = Of(child);
            if (anchors is null)
            {
                return null;
            }

            exact.AddRange(anchors.Exact);
            prefixes.AddRange(anchors.Prefixes);
        }

        return new AnchorSet([.. exact.Distinct(StringComparer.Ordinal)], [.. prefixes.Distinct(StringComparer.Ordinal)]);
    }

    private static AnchorSet? Smallest(IReadOnlyList<QueryNode> children)
    {
        AnchorSet? best = null;
        foreach (var child in children)
        {
            var anchors = Of(child);
            if (anchors is not null && (best is null || anchors.Weight < best.Weight))
            {
                best = anchors;
            }
        }

        return best;
    }
}
