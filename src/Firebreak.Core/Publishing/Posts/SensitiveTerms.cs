namespace Firebreak.Core.Publishing.Posts;

using Firebreak.Core.Text;

/// <summary>A word or phrase a workspace does not want in its posts (e.g. "shooting" during a tragedy), and how hard to stop it.</summary>
public sealed record SensitiveTerm(string Term, PrePublishLevel Level, string? Note);

/// <summary>
/// Finds a workspace's sensitive terms in a post, folded (case, accents, width, Arabic letter forms: Core/Text) and on
/// word boundaries, so "Crème" matches "creme" and "ass" does not match "class".
/// </summary>
public static class SensitiveTerms
{
    public const int MaxTerms = 500;
    public const int MaxTermLength = 100;

    public static IEnumerable<PostIssue> Validate(IReadOnlyList<SensitiveTerm> terms)
    {
        if (terms.Count > MaxTerms)
        {
            yield return new PostIssue("terms", $"has {terms.Count} terms; at most {MaxTerms}");
        }

        for (var i = 0; i < terms.Count; i++)
        {
            var folded = TextFolder.Fold(terms[i].Term ?? string.Empty).Trim();
            if (folded.Length == 0 || terms[i].Term.Length > MaxTermLength)
            {
                yield return new PostIssue($"terms[{i}].term", $"must have 1 to {MaxTermLength} characters (not only spaces or marks)");
            }

            if (terms[i].Level == PrePublishLevel.Pass)
            {
                yield return new PostIssue($"terms[{i}].level", "must be warn or block");
            }
        }
    }

    /// <summary>The terms found in <paramref name="text"/>, each once.</summary>
    public static IEnumerable<SensitiveTerm> Find(string text, IReadOnlyList<SensitiveTerm> terms)
    {
        var folded = TextFolder.Fold(text);
        foreach (var term in terms)
        {
            var needle = TextFolder.Fold(term.Term).Trim();
            if (needle.Length > 0 && ContainsWord(folded, needle))
            {
                yield return term;
            }
        }
    }

    // Arabic writes the article and some prepositions joined to the word (الحريق "the fire", وبالحريق): the term
    // still matches after one of those, and only those.
    private static readonly string[] ArabicPrefixes = ["ال", "وال", "بال", "فال", "كال", "لل", "و", "ب", "ل", "ف", "ك"];

    private static bool HasArabicPrefix(string haystack, int at)
    {
        if (haystack[at] is < '\u0600' or > '\u06FF')
        {
            return false;
        }

        var start = at;
        while (start > 0 && char.IsLetterOrDigit(haystack[start - 1]))
        {
            start--;
        }

        return ArabicPrefixes.Contains(haystack[start..at], StringComparer.Ordinal);
    }

    private static bool ContainsWord(string haystack, string needle)
    {
        for (var at = haystack.IndexOf(needle, StringComparison.Ordinal); at >= 0; at = haystack.IndexOf(needle, at + 1, StringComparison.Ordinal))
        {
            var before = at == 0 || !char.IsLetterOrDigit(haystack[at - 1]) || HasArabicPrefix(haystack, at);
            var end = at + needle.Length;
            var after = end == haystack.Length || !char.IsLetterOrDigit(haystack[end]);
            if (before && after)
            {
                return true;
            }
        }

        return false;
    }
}
