using Firebreak.Core.Mentions;
using Firebreak.Core.Text;

namespace Firebreak.Core.Topics.Query;

/// <summary>
/// What a query is evaluated against: one mention's tokens and filterable fields, plus the scratch buffers
/// evaluation needs. Reusable and not thread-safe: keep one per pipeline worker and <see cref="Load"/> each
/// mention into it.
/// </summary>
public sealed class MatchSubject
{
    private readonly List<SpanList> spanPool = [];
    private int spansRented;

    public TokenizedText Tokens { get; } = new();

    /// <summary>Lower-case language code ("fr", "pt-br"); "und" when unknown.</summary>
    public string Language { get; set; } = "und";

    public Platform Platform { get; set; } = Platform.Other;

    /// <summary>Folded author handle without the '@'.</summary>
    public string AuthorHandle { get; set; } = string.Empty;

    public MentionKind Kind { get; set; } = MentionKind.Post;

    public long Followers { get; set; }

    public bool Verified { get; set; }

    /// <summary>Full query evaluations done by the last <see cref="TopicIndex.Match"/> call (for tests and metrics).</summary>
    public int EvaluatedCandidates { get; internal set; }

    internal TopicMatchScratch TopicScratch { get; } = new();

    /// <summary>Tokenizes the mention's text and copies its filterable fields.</summary>
    public void Load(Mention mention, Tokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(mention);
        ArgumentNullException.ThrowIfNull(tokenizer);
        tokenizer.Tokenize(mention.Text, Tokens);
        Language = NormaliseLanguage(mention.Language);
        Platform = mention.Platform;
        AuthorHandle = NormaliseHandle(mention.Author.Handle);
        Kind = mention.Kind;
        Followers = mention.Author.Followers;
        Verified = mention.Author.Verified;
    }

    /// <summary>Tokenizes free text and resets the fields to their defaults (tests, previews).</summary>
    public void Load(string text, Tokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(tokenizer);
        tokenizer.Tokenize(text, Tokens);
        Language = "und";
        Platform = Platform.Other;
        AuthorHandle = string.Empty;
        Kind = MentionKind.Post;
        Followers = 0;
        Verified = false;
    }

    /// <summary>Folds a handle the way author: filters are compiled: no '@', folded case and accents.</summary>
    public static string NormaliseHandle(string? handle)
    {
        if (string.IsNullOrEmpty(handle))
        {
            return string.Empty;
        }

        var trimmed = handle.AsSpan().Trim();
        if (trimmed.StartsWith('@'))
        {
            trimmed = trimmed[1..];
        }

        var folded = TextFolder.Fold(trimmed.ToString());
        return folded;
    }

    internal static string NormaliseLanguage(string? language) =>
        string.IsNullOrWhiteSpace(language) ? "und" : language.Trim().Replace('_', '-').ToLowerInvariant();

    internal SpanList RentSpans()
    {
        if (spansRented == spanPool.Count)
        {
            spanPool.Add(new SpanList());
        }

        var list = spanPool[spansRented++];
        list.Clear();
        return list;
    }

    /// <summary>Returns the most recently rented list (rentals nest like a stack).</summary>
    internal void ReturnSpans() => spansRented--;
}
