using System.Text;
using Firebreak.Core.Text;

namespace Firebreak.Core.Topics.Query;

/// <summary>One folded token. Kinds is Any for a plain term, Hashtag for #x, Handle for @x.</summary>
internal sealed class TermNode(string text, TokenKind kinds) : PositionalNode
{
    public string Text { get; } = text;

    public TokenKind Kinds { get; } = kinds;

    public override int Cost => 1;

    public override bool Evaluate(MatchSubject subject)
    {
        var tokens = subject.Tokens;
        var id = tokens.Find(Text);
        if (id < 0)
        {
            return false;
        }

        if (Kinds == TokenKind.Any)
        {
            return true;
        }

        for (var i = tokens.FirstOccurrence(id); i >= 0; i = tokens.NextOccurrence(i))
        {
            if ((tokens.Kind(i) & Kinds) != 0)
            {
                return true;
            }
        }

        return false;
    }

    public override void CollectSpans(MatchSubject subject, SpanList spans)
    {
        var tokens = subject.Tokens;
        var id = tokens.Find(Text);
        if (id < 0)
        {
            return;
        }

        for (var i = tokens.FirstOccurrence(id); i >= 0; i = tokens.NextOccurrence(i))
        {
            if ((tokens.Kind(i) & Kinds) != 0)
            {
                spans.Add(i, i);
            }
        }
    }

    public override void Describe(StringBuilder output) => output.Append(Sigil(Kinds)).Append(Text);

    internal static string Sigil(TokenKind kinds) => kinds switch
    {
        TokenKind.Hashtag => "#",
        TokenKind.Handle => "@",
        _ => string.Empty,
    };
}

/// <summary>Adjacent tokens in order ("exact phrase", or a term that tokenizes to several tokens).</summary>
internal sealed class PhraseNode(string[] texts, TokenKind[] kinds) : PositionalNode
{
    public IReadOnlyList<string> Texts => texts;

    public IReadOnlyList<TokenKind> Kinds => kinds;

    public override int Cost => 2;

    public override bool Evaluate(MatchSubject subject) => Scan(subject, null);

    public override void CollectSpans(MatchSubject subject, SpanList spans) => Scan(subject, spans);

    public override void Describe(StringBuilder output)
    {
        output.Append('"');
        for (var k = 0; k < texts.Length; k++)
        {
            if (k > 0)
            {
                output.Append(' ');
            }

            output.Append(TermNode.Sigil(kinds[k])).Append(texts[k]);
        }

        output.Append('"');
    }

    /// <summary>Finds occurrences; with no span list it stops at the first.</summary>
    private bool Scan(MatchSubject subject, SpanList? spans)
    {
        var tokens = subject.Tokens;
        var id = tokens.Find(texts[0]);
        if (id < 0)
        {
            return false;
        }

        var found = false;
        var last = tokens.Count - texts.Length;
        for (var i = tokens.FirstOccurrence(id); i >= 0 && i <= last; i = tokens.NextOccurrence(i))
        {
            if (!MatchesAt(tokens, i))
            {
                continue;
            }

            if (spans is null)
            {
                return true;
            }

            spans.Add(i, i + texts.Length - 1);
            found = true;
        }

        return found;
    }

    private bool MatchesAt(TokenizedText tokens, int at)
    {
        for (var k = 0; k < texts.Length; k++)
        {
            if ((tokens.Kind(at + k) & kinds[k]) == 0 || (k > 0 && !tokens.TokenText(at + k).SequenceEqual(texts[k])))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>
/// One token matched by a pattern: '?' is exactly one folded char, a trailing '*' any rest (prefix match).
/// </summary>
internal sealed class WildcardNode(string pattern, TokenKind kinds) : PositionalNode
{
    public string Pattern { get; } = pattern;

    /// <summary>The literal folded chars before the first wildcard (at least two).</summary>
    public string Prefix { get; } = pattern[..pattern.AsSpan().IndexOfAny('?', '*')];

    public bool IsPrefixOnly => Pattern.Length == Prefix.Length + 1 && Pattern[^1] == '*';

    public TokenKind Kinds { get; } = kinds;

    public override int Cost => 3;

    public override bool Evaluate(MatchSubject subject) => Scan(subject, null);

    public override void CollectSpans(MatchSubject subject, SpanList spans) => Scan(subject, spans);

    public override void Describe(StringBuilder output) => output.Append(TermNode.Sigil(Kinds)).Append(Pattern);

    public bool IsMatch(ReadOnlySpan<char> token)
    {
        var pattern = Pattern.AsSpan();
        var open = pattern[^1] == '*';
        if (open)
        {
            pattern = pattern[..^1];
            if (token.Length < pattern.Length)
            {
                return false;
            }
        }
        else if (token.Length != pattern.Length)
        {
            return false;
        }

        for (var k = 0; k < pattern.Length; k++)
        {
            if (pattern[k] != '?' && pattern[k] != token[k])
            {
                return false;
            }
        }

        return true;
    }

    private bool Scan(MatchSubject subject, SpanList? spans)
    {
        var tokens = subject.Tokens;
        var found = false;
        var distinct = tokens.DistinctCount;
        for (var d = 0; d < distinct; d++)
        {
            var first = tokens.FirstOccurrence(d);
            if (!tokens.TokenText(first).StartsWith(Prefix, StringComparison.Ordinal) || !IsMatch(tokens.TokenText(first)))
            {
                continue;
            }

            for (var i = first; i >= 0; i = tokens.NextOccurrence(i))
            {
                if ((tokens.Kind(i) & Kinds) == 0)
                {
                    continue;
                }

                if (spans is null)
                {
                    return true;
                }

                spans.Add(i, i);
                found = true;
            }
        }

        return found;
    }
}
