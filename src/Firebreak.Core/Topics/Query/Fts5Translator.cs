using System.Text;
using Firebreak.Core.Text;

namespace Firebreak.Core.Topics.Query;

/// <summary>
/// Turns a compiled query into an SQLite FTS5 MATCH expression over <see cref="TokenizedText.ToSearchString"/>
/// (an FTS5 table with <c>tokenize='ascii'</c>). The result is a candidate prefilter: it may match more rows
/// than the query, never fewer, and callers re-check candidates with <see cref="CompiledQuery.Matches"/>.
/// </summary>
/// <remarks>
/// Every node has a broad translation (a superset of its matches) and, where possible, a narrow one (a
/// subset). FTS5's NOT is binary, and <c>x NOT y</c> is only safe when y's translation is narrow, so NOT
/// operands use the narrow form and are dropped when none exists. Field filters and hashtag/handle
/// specificity cannot be expressed: they widen (dropped from an AND) or make an enclosing OR untranslatable.
/// </remarks>
public static class Fts5Translator
{
    /// <summary>The MATCH expression, or null when no safe prefilter exists (e.g. only NOT or field filters).</summary>
    public static string? TryTranslate(CompiledQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Broad(query.Root);
    }

    private static string? Broad(QueryNode node) => node switch
    {
        TermNode term => Quote(term.Text),
        PhraseNode phrase => Quote(string.Join(' ', phrase.Texts)),
        WildcardNode wildcard => Quote(wildcard.Prefix) + " *",
        OrNode any => BroadOr(any.Children),
        AndNode all => And(all.Children, narrow: false),
        NearNode near => BroadNear(near),
        _ => null,
    };

    private static string? Narrow(QueryNode node) => node switch
    {
        TermNode { Kinds: TokenKind.Any } term => Quote(term.Text),
        PhraseNode phrase when phrase.Kinds.All(k => k == TokenKind.Any) => Quote(string.Join(' ', phrase.Texts)),
        WildcardNode { Kinds: TokenKind.Any, IsPrefixOnly: true } wildcard => Quote(wildcard.Prefix) + " *",
        OrNode any => NarrowOr(any.Children),
        AndNode all => And(all.Children, narrow: true),
        _ => null,
    };

    private static string? BroadOr(IReadOnlyList<QueryNode> children)
    {
        var parts = new List<string>(children.Count);
        foreach (var child in children)
        {
            // One untranslatable branch could match rows no prefilter would find.
            if (Broad(child) is not { } part)
            {
                return null;
            }

            parts.Add(part);
        }

        return "(" + string.Join(" OR ", parts) + ")";
    }

    private static string? NarrowOr(IReadOnlyList<QueryNode> children)
    {
        // Leaving a branch out only makes the result smaller, which is what narrow means.
        var parts = children.Select(Narrow).OfType<string>().ToList();
        return parts.Count == 0 ? null : "(" + string.Join(" OR ", parts) + ")";
    }

    private static string? And(IReadOnlyList<QueryNode> children, bool narrow)
    {
        var positives = new List<string>();
        var negatives = new List<string>();
        foreach (var child in children)
        {
            if (child is NotNode not)
            {
                // Broad: x NOT narrow(y) ⊇ x ∧ ¬y. Narrow: x NOT broad(y) ⊆ x ∧ ¬y.
                var excluded = narrow ? Broad(not.Child) : Narrow(not.Child);
                if (excluded is not null)
                {
                    negatives.Add(excluded);
                }
                else if (narrow)
                {
                    return null;
                }

                continue;
            }

            var part = narrow ? Narrow(child) : Broad(child);
            if (part is not null)
            {
                positives.Add(part);
            }
            else if (narrow)
            {
                return null;
            }
        }

        if (positives.Count == 0)
        {
            return null;
        }

        var result = positives.Count == 1 ? positives[0] : "(" + string.Join(" AND ", positives) + ")";
        foreach (var negative in negatives)
        {
            result = "(" + result + " NOT " + negative + ")";
        }

        return result;
    }

    /// <summary>
    /// FTS5 NEAR only for two single terms/phrases with no token in common (so occurrences cannot overlap,
    /// where FTS5 and our matcher could disagree); anything else widens to AND.
    /// </summary>
    private static string? BroadNear(NearNode near)
    {
        if (Tokens(near.Left) is { } left && Tokens(near.Right) is { } right && !left.Intersect(right, StringComparer.Ordinal).Any())
        {
            return "NEAR(" + Quote(string.Join(' ', left)) + " " + Quote(string.Join(' ', right)) + ", "
                + near.Distance.ToString(System.Globalization.CultureInfo.InvariantCulture) + ")";
        }

        return And([near.Left, near.Right], narrow: false);
    }

    private static IReadOnlyList<string>? Tokens(QueryNode node) => node switch
    {
        TermNode term => [term.Text],
        PhraseNode phrase => phrase.Texts,
        _ => null,
    };

    /// <summary>An FTS5 string: '_' as stored in search strings, embedded quotes doubled.</summary>
    private static string Quote(string text)
    {
        var output = new StringBuilder(text.Length + 2);
        output.Append('"');
        foreach (var c in text)
        {
            output.Append(c switch
            {
                '_' => TokenizedText.SearchUnderscore.ToString(),
                '"' => "\"\"",
                _ => c.ToString(),
            });
        }

        return output.Append('"').ToString();
    }
}
