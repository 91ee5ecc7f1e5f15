using Firebreak.Core.Text;

namespace Firebreak.Core.Detection.Terms;

/// <summary>
/// The distinct countable terms of one mention: the shared <see cref="Tokenizer"/>'s words and hashtags, minus
/// what never makes an emerging term (URLs, handles by default, short words, pure numbers, very long tokens),
/// with chars of unspaced scripts paired into bigrams. Reusable: every buffer is kept between mentions, so a
/// warm instance does not allocate. Not thread-safe.
/// </summary>
internal sealed class MentionTerms
{
    private readonly Tokenizer tokenizer = new();
    private readonly TokenizedText tokens = new();
    private readonly EmergingTermOptions options;
    private char[] masked = new char[512];
    private char[] chars = new char[512];
    private int[] starts = new int[64];
    private int[] lengths = new int[64];
    private int[] hashes = new int[64];
    private TokenKind[] kinds = new TokenKind[64];
    private bool[] unspaced = new bool[64];
    private int[] index = new int[128];
    private int charLength;

    public MentionTerms(EmergingTermOptions options)
    {
        this.options = options;
    }

    public int Count { get; private set; }

    public ReadOnlySpan<char> Text(int term) => chars.AsSpan(starts[term], lengths[term]);

    public TokenKind Kind(int term) => kinds[term];

    public int Hash(int term) => hashes[term];

    /// <summary>True for a pair of unspaced-script chars, which needs more support than a word.</summary>
    public bool IsUnspaced(int term) => unspaced[term];

    /// <summary>The same hash for the same (text, kind) wherever it is computed; tables compare with it.</summary>
    public static int HashOf(ReadOnlySpan<char> text, TokenKind kind) => string.GetHashCode(text) ^ ((int)kind * -1640531535);

    public void Extract(string text)
    {
        Count = 0;
        charLength = 0;
        tokenizer.Tokenize(UrlMask.Apply(text, ref masked), tokens);
        PrepareIndex(tokens.Count);
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens.TokenText(i);
            var kind = tokens.Kind(i);
            if (kind == TokenKind.Word && IsUnspacedChar(token))
            {
                if (i + 1 < tokens.Count && tokens.Kind(i + 1) == TokenKind.Word && IsUnspacedChar(tokens.TokenText(i + 1)))
                {
                    Add(token, tokens.TokenText(i + 1), TokenKind.Word, pair: true);
                }

                continue;
            }

            if (Countable(token, kind))
            {
                Add(token, [], kind, pair: false);
            }
        }
    }

    private bool Countable(ReadOnlySpan<char> token, TokenKind kind)
    {
        if (token.Length > options.MaxTermLength || (kind == TokenKind.Handle && !options.IncludeHandles))
        {
            return false;
        }

        var minLength = kind != TokenKind.Word ? 2 : IsHangul(token[0]) ? Math.Min(2, options.MinWordLength) : options.MinWordLength;
        return token.Length >= minLength && !AllDigits(token);
    }

    /// <summary>
    /// A plain loop, not <c>ContainsAnyExceptInRange</c>: its ReadyToRun code allocates 96 bytes a call until the JIT
    /// tiers it up, which on a busy machine came late enough to break "a warm detector allocates nothing".
    /// </summary>
    private static bool AllDigits(ReadOnlySpan<char> token)
    {
        foreach (var c in token)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsHangul(char c) => c is >= '\uAC00' and <= '\uD7A3';

    private static bool IsUnspacedChar(ReadOnlySpan<char> token) => token.Length switch
    {
        1 => CharClass.Of(token[0]) == CharKind.Single,
        2 => char.IsSurrogatePair(token[0], token[1]) && CharClass.OfSupplementary(char.ConvertToUtf32(token[0], token[1])) == CharKind.Single,
        _ => false,
    };

    /// <summary>Sizes the dedupe index for at most <paramref name="tokenCount"/> terms and empties it.</summary>
    private void PrepareIndex(int tokenCount)
    {
        var size = 128;
        while (size < tokenCount * 2)
        {
            size *= 2;
        }

        if (index.Length < size)
        {
            index = new int[size];
        }
        else
        {
            Array.Clear(index, 0, size);
        }
    }

    /// <summary>Appends <paramref name="first"/>+<paramref name="second"/> as one term unless this mention already has it.</summary>
    private void Add(ReadOnlySpan<char> first, ReadOnlySpan<char> second, TokenKind kind, bool pair)
    {
        var length = first.Length + second.Length;
        if (charLength + length > chars.Length)
        {
            Array.Resize(ref chars, Math.Max(chars.Length * 2, charLength + length));
        }

        var text = chars.AsSpan(charLength, length);
        first.CopyTo(text);
        second.CopyTo(text[first.Length..]);
        var hash = HashOf(text, kind);
        var mask = index.Length - 1;
        var at = hash & mask;
        while (index[at] != 0)
        {
            var other = index[at] - 1;
            if (hashes[other] == hash && kinds[other] == kind && Text(other).SequenceEqual(text))
            {
                return;
            }

            at = (at + 1) & mask;
        }

        if (Count == starts.Length)
        {
            var size = Count * 2;
            Array.Resize(ref starts, size);
            Array.Resize(ref lengths, size);
            Array.Resize(ref hashes, size);
            Array.Resize(ref kinds, size);
            Array.Resize(ref unspaced, size);
        }

        starts[Count] = charLength;
        lengths[Count] = length;
        hashes[Count] = hash;
        kinds[Count] = kind;
        unspaced[Count] = pair;
        index[at] = Count + 1;
        charLength += length;
        Count++;
    }
}
