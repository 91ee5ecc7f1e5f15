using Firebreak.Core.Text;

namespace Firebreak.Core.Topics.Query;

/// <summary>
/// Parses the topic query language (see docs/query-language.md). Precedence, tightest first:
/// NOT / '-' &gt; NEAR/n, NEARF/n &gt; AND (explicit or implied by adjacency) &gt; OR.
/// Never throws: every problem comes back as a <see cref="QueryError"/> with a position.
/// </summary>
public static partial class QueryParser
{
    public const int MaxQueryLength = 4096;
    public const int MaxDepth = 64;
    public const int MaxTerms = 512;

    /// <summary>Field names in the order error messages list them.</summary>
    public static IReadOnlyList<string> FieldNames { get; } = ["lang", "platform", "author", "kind", "followers", "verified"];

    private static readonly string[] OperandExpected = ["term", "phrase", "("];

    public static QueryParseResult Parse(string? query)
    {
        query ??= string.Empty;
        if (query.Length > MaxQueryLength)
        {
            return QueryParseResult.Fail(new QueryError(
                MaxQueryLength,
                query.Length - MaxQueryLength,
                $"Query is longer than {MaxQueryLength} characters (it has {query.Length})",
                []));
        }

        if (string.IsNullOrWhiteSpace(query))
        {
            return QueryParseResult.Fail(new QueryError(0, 0, "Empty query", OperandExpected));
        }

        var tokens = new List<QueryToken>();
        var lexError = QueryLexer.Lex(query, tokens);
        if (lexError is not null)
        {
            return QueryParseResult.Fail(lexError);
        }

        var parser = new Parser(tokens);
        var root = parser.ParseQuery();
        return root is null
            ? QueryParseResult.Fail(parser.Error!)
            : QueryParseResult.Ok(new CompiledQuery(query, root, parser.TermCount));
    }

    /// <summary>Recursive descent over the lexed tokens; the first error stops parsing.</summary>
    private sealed partial class Parser(List<QueryToken> tokens)
    {
        private readonly Tokenizer tokenizer = new();
        private readonly TokenizedText scratch = new();
        private int at;
        private int depth;

        public QueryError? Error { get; private set; }

        public int TermCount { get; private set; }

        private QueryToken Current => tokens[at];

        public QueryNode? ParseQuery()
        {
            var root = ParseOr();
            if (root is null)
            {
                return null;
            }

            if (Current.Type == QueryTokenType.RightParen)
            {
                return Fail(Current.Start, 1, $"Unbalanced ')' at position {Current.Start}", []);
            }

            if (Current.Type != QueryTokenType.End)
            {
                return Fail(Current.Start, Current.Length, $"Unexpected '{Current.Text}' at position {Current.Start}", ["AND", "OR", "NOT"]);
            }

            return root;
        }

        private QueryNode? ParseOr()
        {
            var first = ParseAnd();
            if (first is null)
            {
                return null;
            }

            List<QueryNode>? children = null;
            while (Current.Type == QueryTokenType.Or)
            {
                var keyword = tokens[at++];
                var next = ParseAnd(keyword);
                if (next is null)
                {
                    return null;
                }

                if (children is null)
                {
                    children = [];
                    Flatten<OrNode>(children, first);
                }

                Flatten<OrNode>(children, next);
            }

            return children is null ? first : new OrNode([.. children]);
        }

        private QueryNode? ParseAnd(QueryToken? after = null)
        {
            var first = ParseNear(after);
            if (first is null)
            {
                return null;
            }

            List<QueryNode>? children = null;
            while (true)
            {
                QueryToken? keyword = null;
                if (Current.Type == QueryTokenType.And)
                {
                    keyword = tokens[at++];
                }
                else if (!StartsOperand(Current.Type))
                {
                    break;
                }

                var next = ParseNear(keyword);
                if (next is null)
                {
                    return null;
                }

                if (children is null)
                {
                    children = [];
                    Flatten<AndNode>(children, first);
                }

                Flatten<AndNode>(children, next);
            }

            return children is null ? first : new AndNode([.. children]);
        }

        private QueryNode? ParseNear(QueryToken? after)
        {
            var left = ParseUnary(after);
            while (left is not null && Current.Type == QueryTokenType.Near)
            {
                var near = tokens[at++];
                var right = ParseUnary(near);
                if (right is null)
                {
                    return null;
                }

                if (!IsPositional(left) || !IsPositional(right))
                {
                    return Fail(
                        near.Start,
                        near.Length,
                        $"{near.Text} can only join terms, phrases, wildcards and OR groups of them (at position {near.Start})",
                        OperandExpected);
                }

                left = new NearNode((PositionalNode)left, (PositionalNode)right, near.Distance, near.Ordered);
            }

            return left;
        }

        private QueryNode? ParseUnary(QueryToken? after)
        {
            var token = Current;
            if (token.Type is not QueryTokenType.Not and not QueryTokenType.Minus)
            {
                return ParsePrimary(after);
            }

            at++;
            if (!Enter(token))
            {
                return null;
            }

            var child = ParseUnary(token);
            depth--;
            return child is null ? null : new NotNode(child);
        }

        private QueryNode? ParsePrimary(QueryToken? after)
        {
            var token = Current;
            switch (token.Type)
            {
                case QueryTokenType.LeftParen:
                {
                    at++;
                    if (!Enter(token))
                    {
                        return null;
                    }

                    var inner = Current.Type == QueryTokenType.RightParen
                        ? Fail(Current.Start, 1, $"Expected a term, phrase or '(' after '(' at position {Current.Start}", OperandExpected)
                        : ParseOr();
                    depth--;
                    if (inner is null)
                    {
                        return null;
                    }

                    if (Current.Type != QueryTokenType.RightParen)
                    {
                        return Fail(token.Start, 1, $"Missing ')' for the '(' at position {token.Start}", [")"]);
                    }

                    at++;
                    return inner;
                }

                case QueryTokenType.Word:
                    at++;
                    return CountTerm(token) ? ParseWord(token) : null;
                case QueryTokenType.Phrase:
                    at++;
                    return CountTerm(token) ? ParseText(token, token.Text, token.Start + 1) : null;
                case QueryTokenType.RightParen when depth == 0:
                    return Fail(token.Start, 1, $"Unbalanced ')' at position {token.Start}", OperandExpected);
                default:
                {
                    var where = after is { } previous ? $" after '{previous.Text}'" : string.Empty;
                    return Fail(
                        token.Start,
                        token.Length,
                        $"Expected a term, phrase or '('{where} at position {token.Start}",
                        OperandExpected);
                }
            }
        }

        private QueryNode? ParseWord(QueryToken token)
        {
            var word = token.Text;
            var colon = word.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && IsFieldName(word.AsSpan(0, colon)) && !word.AsSpan(colon + 1).StartsWith("//", StringComparison.Ordinal))
            {
                return ParseField(token, word[..colon], word[(colon + 1)..], token.Start + colon + 1);
            }

            return word.AsSpan().IndexOfAny('*', '?') >= 0 ? ParseWildcard(token) : ParseText(token, word, token.Start);
        }

        /// <summary>A term or phrase body: tokenized exactly like mention text.</summary>
        private QueryNode? ParseText(QueryToken token, string text, int position)
        {
            tokenizer.Tokenize(text, scratch);
            if (scratch.Count == 0)
            {
                var shown = token.Type == QueryTokenType.Phrase ? $"\"{text}\"" : $"'{text}'";
                return Fail(token.Start, token.Length, $"{shown} has no searchable letters or digits (at position {position})", OperandExpected);
            }

            if (scratch.Count == 1)
            {
                return new TermNode(scratch.TokenString(0), KindsOf(scratch.Kind(0)));
            }

            var texts = new string[scratch.Count];
            var kinds = new TokenKind[scratch.Count];
            for (var i = 0; i < texts.Length; i++)
            {
                texts[i] = scratch.TokenString(i);
                kinds[i] = KindsOf(scratch.Kind(i));
            }

            return new PhraseNode(texts, kinds);
        }

        private QueryNode? ParseWildcard(QueryToken token)
        {
            var word = token.Text;
            var kinds = TokenKind.Any;
            var body = word.AsSpan();
            if (body[0] is '#' or '@')
            {
                kinds = body[0] == '#' ? TokenKind.Hashtag : TokenKind.Handle;
                body = body[1..];
            }

            var star = body.IndexOf('*');
            if (star >= 0 && star != body.Length - 1)
            {
                return Fail(token.Start, token.Length, $"'*' is only allowed at the end of a word ('{word}' at position {token.Start})", []);
            }

            var pattern = new System.Text.StringBuilder(body.Length);
            foreach (var c in body)
            {
                if (c is '*' or '?')
                {
                    pattern.Append(c);
                    continue;
                }

                var folded = TextFolder.Fold(c.ToString());
                foreach (var f in folded)
                {
                    var kind = CharClass.Of(f);
                    if (kind != CharKind.Word && !(kind == CharKind.Connector && kinds != TokenKind.Any))
                    {
                        return Fail(
                            token.Start,
                            token.Length,
                            $"Wildcard term '{word}' must be a single word of letters and digits (at position {token.Start})",
                            []);
                    }

                    pattern.Append(f);
                }
            }

            var text = pattern.ToString();
            var prefixLength = text.AsSpan().IndexOfAny('*', '?');
            if (prefixLength < 2)
            {
                return Fail(
                    token.Start,
                    token.Length,
                    $"Wildcard '{word}' needs at least 2 letters before the first '*' or '?' (at position {token.Start})",
                    []);
            }

            return new WildcardNode(text, kinds);
        }

        private static bool IsFieldName(ReadOnlySpan<char> name)
        {
            foreach (var c in name)
            {
                if (!char.IsAsciiLetter(c))
                {
                    return false;
                }
            }

            return true;
        }

        private static TokenKind KindsOf(TokenKind tokenKind) => tokenKind == TokenKind.Word ? TokenKind.Any : tokenKind;

        private static bool StartsOperand(QueryTokenType type) => type is QueryTokenType.Word or QueryTokenType.Phrase
            or QueryTokenType.LeftParen or QueryTokenType.Not or QueryTokenType.Minus;

        private static bool IsPositional(QueryNode node) => node switch
        {
            OrNode any => any.IsPositional,
            PositionalNode => true,
            _ => false,
        };

        private static void Flatten<T>(List<QueryNode> children, QueryNode next)
            where T : QueryNode
        {
            switch (next)
            {
                case AndNode all when typeof(T) == typeof(AndNode):
                    children.AddRange(all.Children);
                    break;
                case OrNode any when typeof(T) == typeof(OrNode):
                    children.AddRange(any.Children);
                    break;
                default:
                    children.Add(next);
                    break;
            }
        }

        private bool CountTerm(QueryToken token)
        {
            if (++TermCount <= MaxTerms)
            {
                return true;
            }

            Fail(token.Start, token.Length, $"Query has more than {MaxTerms} terms (at position {token.Start})", []);
            return false;
        }

        private bool Enter(QueryToken token)
        {
            if (++depth <= MaxDepth)
            {
                return true;
            }

            Fail(token.Start, token.Length, $"Query nests deeper than {MaxDepth} levels at position {token.Start}", []);
            return false;
        }

        private QueryNode? Fail(int position, int length, string message, IReadOnlyList<string> expected)
        {
            Error ??= new QueryError(position, length, message, expected);
            return null;
        }
    }
}
