using System.Globalization;

namespace Firebreak.Core.Topics.Query;

internal enum QueryTokenType
{
    Word,
    Phrase,
    LeftParen,
    RightParen,
    And,
    Or,
    Not,
    Minus,
    Near,
    End,
}

/// <summary>A lexical token; Start/Length index the original query, Text is the word or phrase body.</summary>
internal readonly record struct QueryToken(QueryTokenType Type, int Start, int Length, string Text, int Distance = 0, bool Ordered = false);

/// <summary>Splits a query into tokens. Keywords are upper case only, so "and"/"or"/"near" stay searchable.</summary>
internal static class QueryLexer
{
    public const int MaxNearDistance = 1000;

    public static QueryError? Lex(string query, List<QueryToken> tokens)
    {
        var i = 0;
        while (true)
        {
            while (i < query.Length && char.IsWhiteSpace(query[i]))
            {
                i++;
            }

            if (i >= query.Length)
            {
                tokens.Add(new QueryToken(QueryTokenType.End, query.Length, 0, string.Empty));
                return null;
            }

            var c = query[i];
            if (c == '(')
            {
                tokens.Add(new QueryToken(QueryTokenType.LeftParen, i, 1, "("));
                i++;
            }
            else if (c == ')')
            {
                tokens.Add(new QueryToken(QueryTokenType.RightParen, i, 1, ")"));
                i++;
            }
            else if (IsQuote(c))
            {
                var close = i + 1;
                while (close < query.Length && !IsQuote(query[close]))
                {
                    close++;
                }

                if (close >= query.Length)
                {
                    return new QueryError(i, query.Length - i, $"Unclosed quote starting at position {i}", ["\""]);
                }

                tokens.Add(new QueryToken(QueryTokenType.Phrase, i, close - i + 1, query[(i + 1)..close]));
                i = close + 1;
            }
            else if (c == '-' && i + 1 < query.Length && !char.IsWhiteSpace(query[i + 1]) && query[i + 1] != ')'
                && query[i + 1] != '-')
            {
                tokens.Add(new QueryToken(QueryTokenType.Minus, i, 1, "-"));
                i++;
            }
            else
            {
                var start = i;
                while (i < query.Length && !char.IsWhiteSpace(query[i]) && query[i] is not '(' and not ')' && !IsQuote(query[i]))
                {
                    i++;
                }

                var error = AddWord(query, start, i - start, tokens);
                if (error is not null)
                {
                    return error;
                }
            }
        }
    }

    private static QueryError? AddWord(string query, int start, int length, List<QueryToken> tokens)
    {
        var word = query.Substring(start, length);
        switch (word)
        {
            case "AND":
                tokens.Add(new QueryToken(QueryTokenType.And, start, length, word));
                return null;
            case "OR":
                tokens.Add(new QueryToken(QueryTokenType.Or, start, length, word));
                return null;
            case "NOT":
                tokens.Add(new QueryToken(QueryTokenType.Not, start, length, word));
                return null;
        }

        var ordered = word.StartsWith("NEARF", StringComparison.Ordinal);
        if (!ordered && !word.StartsWith("NEAR", StringComparison.Ordinal))
        {
            tokens.Add(new QueryToken(QueryTokenType.Word, start, length, word));
            return null;
        }

        var keyword = ordered ? "NEARF" : "NEAR";
        var rest = word.AsSpan(keyword.Length);
        if (rest.Length > 0 && rest[0] != '/')
        {
            // "NEARBY", "NEARLY": ordinary words that happen to start like the keyword.
            tokens.Add(new QueryToken(QueryTokenType.Word, start, length, word));
            return null;
        }

        if (rest.Length < 2 || !int.TryParse(rest[1..], NumberStyles.None, CultureInfo.InvariantCulture, out var distance))
        {
            return new QueryError(
                start,
                length,
                $"{keyword}/ needs a distance, e.g. {keyword}/5 (at position {start})",
                [$"{keyword}/n"]);
        }

        if (distance > MaxNearDistance)
        {
            return new QueryError(
                start,
                length,
                $"{keyword} distance must be between 0 and {MaxNearDistance} at position {start}",
                [$"{keyword}/n"]);
        }

        tokens.Add(new QueryToken(QueryTokenType.Near, start, length, word, distance, ordered));
        return null;
    }

    /// <summary>Straight and typographic double quotes: users paste queries from documents.</summary>
    private static bool IsQuote(char c) => c is '"' or '\u201C' or '\u201D' or '\u201E';
}
