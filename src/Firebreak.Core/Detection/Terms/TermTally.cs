namespace Firebreak.Core.Detection.Terms;

using Firebreak.Core.Text;

/// <summary>A term and in how many mentions it appeared.</summary>
public readonly record struct TermCount(string Term, bool Hashtag, int Mentions);

/// <summary>
/// Counts the terms of a sample of mentions for a dashboard: the same terms the emerging-term detector counts
/// (so "top terms" and term alerts agree), each counted once per mention. Words that carry no topic in the
/// common languages are left out, because a plain frequency list is otherwise all "the" and "que".
/// </summary>
public sealed class TermTally
{
    private static readonly HashSet<string> Filler = new(StringComparer.OrdinalIgnoreCase)
    {
        "the", "and", "for", "you", "your", "with", "this", "that", "are", "was", "were", "have", "has", "had", "not", "but",
        "they", "their", "them", "our", "from", "what", "when", "who", "why", "how", "all", "any", "can", "just", "been",
        "will", "would", "about", "there", "here", "than", "then", "into", "out", "its", "it's", "also", "very", "more",
        "que", "los", "las", "por", "para", "una", "con", "del", "est", "les", "des", "une", "pour", "pas", "qui", "dans",
        "sur", "der", "die", "das", "und", "den", "ist", "nicht", "mit", "ein", "eine", "sie", "auf", "não", "com", "uma",
        "per", "che", "non", "della", "sono", "wie", "mais", "como", "pero", "avec", "todo", "muy", "sehr",
    };

    private readonly MentionTerms terms = new(new EmergingTermOptions());
    private readonly Dictionary<(string, bool), int> counts = new();

    public void Add(string text)
    {
        terms.Extract(text);
        for (var i = 0; i < terms.Count; i++)
        {
            var span = terms.Text(i);
            var hashtag = terms.Kind(i) == TokenKind.Hashtag;
            if (!hashtag && Filler.Contains(span.ToString()))
            {
                continue;
            }

            var key = (span.ToString(), hashtag);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
    }

    /// <summary>The most frequent terms, hashtags or words, most frequent first (ties by text, so the order is stable).</summary>
    public IReadOnlyList<TermCount> Top(int count, bool hashtags) =>
        [.. counts.Where(c => c.Key.Item2 == hashtags)
            .OrderByDescending(c => c.Value).ThenBy(c => c.Key.Item1, StringComparer.Ordinal)
            .Take(count)
            .Select(c => new TermCount(c.Key.Item1, hashtags, c.Value))];
}
