using System.Text;
using Firebreak.Core.Text;

namespace Firebreak.Core.Topics.Query;

/// <summary>
/// The PostgreSQL counterpart of <see cref="Fts5Translator"/>: turns a compiled query into a tsquery literal
/// over a tsvector built with <c>array_to_tsvector</c> from <see cref="TokenizedText.ToSearchString"/> (see
/// <see cref="ToIndexText"/>). Like FTS5's prefilter it may match more rows than the query, never fewer;
/// callers re-check candidates with <see cref="CompiledQuery.Matches"/>.
/// </summary>
/// <remarks>
/// The vector is made from the tokenizer's folded tokens, not by a text-search parser, so every script is
/// split exactly as the topic matcher splits it (the same reason SQLite uses FTS5's 'ascii' tokenizer), and
/// nothing is stemmed or dropped as a stop word (what the 'simple' configuration would do, minus its
/// parser). The vector has no positions, so a phrase or NEAR widens to AND of its tokens. Lexemes are
/// capped at <see cref="MaxLexemeChars"/> (PostgreSQL refuses lexemes over 2 KiB): a longer token is indexed
/// by its head and a longer query term becomes a prefix search on that head, which is still never narrower.
/// </remarks>
public static class TsQueryTranslator
{
    /// <summary>UTF-16 chars kept per lexeme: at most 3 UTF-8 bytes each, well under PostgreSQL's 2,047-byte limit.</summary>
    public const int MaxLexemeChars = 256;

    /// <summary>Chars of search text indexed per mention; keeps a pathological text's vector under PostgreSQL's 1 MB limit.</summary>
    public const int MaxIndexChars = 200_000;

    /// <summary>The tsquery literal, or null when no safe prefilter exists (e.g. only NOT or field filters).</summary>
    public static string? TryTranslate(CompiledQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Broad(query.Root);
    }

    /// <summary>
    /// The search string with each token cut to <see cref="MaxLexemeChars"/> and the whole to
    /// <see cref="MaxIndexChars"/> (at a token boundary). Returns the same instance in the common case.
    /// </summary>
    public static string ToIndexText(string searchText)
    {
        ArgumentNullException.ThrowIfNull(searchText);
        if (searchText.Length > MaxIndexChars)
        {
            var cut = searchText.LastIndexOf(' ', MaxIndexChars);
            searchText = cut <= 0 ? string.Empty : searchText[..cut];
        }

        if (searchText.Length <= MaxLexemeChars || !HasLongToken(searchText))
        {
            return searchText;
        }

        var output = new StringBuilder(searchText.Length);
        foreach (var token in searchText.Split(' '))
        {
            if (output.Length > 0)
            {
                output.Append(' ');
            }

            output.Append(Head(token));
        }

        return output.ToString();
    }

    private static bool HasLongToken(string text)
    {
        var run = 0;
        foreach (var c in text)
        {
            run = c == ' ' ? 0 : run + 1;
            if (run > MaxLexemeChars)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The first <see cref="MaxLexemeChars"/> chars, never splitting a surrogate pair.</summary>
    private static string Head(string token)
    {
        if (token.Length <= MaxLexemeChars)
        {
            return token;
        }

        var length = char.IsHighSurrogate(token[MaxLexemeChars - 1]) ? MaxLexemeChars - 1 : MaxLexemeChars;
        return token[..length];
    }

    private static string? Broad(QueryNode node) => node switch
    {
        TermNode term => Lexeme(term.Text, prefix: false),
        PhraseNode phrase => All(phrase.Texts),
        WildcardNode wildcard => Lexeme(wildcard.Prefix, prefix: true),
        OrNode any => BroadOr(any.Children),
        AndNode all => And(all.Children, narrow: false),
        NearNode near => And([near.Left, near.Right], narrow: false),
        _ => null,
    };

    private static string? Narrow(QueryNode node) => node switch
    {
        TermNode { Kinds: TokenKind.Any } term when term.Text.Length <= MaxLexemeChars => Lexeme(term.Text, prefix: false),
        PhraseNode { Texts.Count: 1 } phrase when phrase.Kinds.All(k => k == TokenKind.Any) && phrase.Texts[0].Length <= MaxLexemeChars => Lexeme(phrase.Texts[0], prefix: false),
        WildcardNode { Kinds: TokenKind.Any, IsPrefixOnly: true } wildcard when wildcard.Prefix.Length <= MaxLexemeChars => Lexeme(wildcard.Prefix, prefix: true),
        OrNode any => NarrowOr(any.Children),
        AndNode all => And(all.Children, narrow: true),
        _ => null,
    };

    private static string All(IReadOnlyList<string> texts) =>
        texts.Count == 1 ? Lexeme(texts[0], prefix: false) : "(" + string.Join(" & ", texts.Select(t => Lexeme(t, prefix: false))) + ")";

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

        return "(" + string.Join(" | ", parts) + ")";
    }

    private static string? NarrowOr(IReadOnlyList<QueryNode> children)
    {
        var parts = children.Select(Narrow).OfType<string>().ToList();
        return parts.Count == 0 ? null : "(" + string.Join(" | ", parts) + ")";
    }

    private static string? And(IReadOnlyList<QueryNode> children, bool narrow)
    {
        var parts = new List<string>();
        var positives = 0;
        foreach (var child in children)
        {
            if (child is NotNode not)
            {
                // Broad: x & !narrow(y) ⊇ x ∧ ¬y. Narrow: x & !broad(y) ⊆ x ∧ ¬y.
                var excluded = narrow ? Broad(not.Child) : Narrow(not.Child);
                if (excluded is not null)
                {
                    parts.Add("!" + excluded);
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
                parts.Insert(positives++, part);
            }
            else if (narrow)
            {
                return null;
            }
        }

        // Only negations would scan every row: no prefilter is better than that.
        return positives == 0 ? null : parts.Count == 1 ? parts[0] : "(" + string.Join(" & ", parts) + ")";
    }

    /// <summary>A quoted tsquery lexeme ('_' as stored in search strings; quote and backslash escaped), optionally a prefix.</summary>
    private static string Lexeme(string text, bool prefix)
    {
        if (text.Length > MaxLexemeChars)
        {
            text = Head(text);
            prefix = true;
        }

        var output = new StringBuilder(text.Length + 4);
        output.Append('\'');
        foreach (var c in text)
        {
            switch (c)
            {
                case '_':
                    output.Append(TokenizedText.SearchUnderscore);
                    break;
                case '\'':
                    output.Append("''");
                    break;
                case '\\':
                    output.Append("\\\\");
                    break;
                default:
                    output.Append(c);
                    break;
            }
        }

        output.Append('\'');
        return prefix ? output.Append(":*").ToString() : output.ToString();
    }
}
