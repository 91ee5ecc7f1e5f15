namespace Firebreak.Core.Text;

/// <summary>
/// The folded tokens of one text, stored as slices of a single char buffer. Reusable: <see cref="Reset"/>
/// keeps every buffer, so a worker that tokenizes mention after mention stops allocating once warm.
/// A token's position is its index: NEAR distances count tokens, and each char of an unspaced script
/// (Han, kana, Thai...) is a token of its own.
/// </summary>
public sealed class TokenizedText
{
    /// <summary>Tokens kept per text; the rest is ignored so a multi-megabyte blob costs bounded memory.</summary>
    public const int MaxTokens = 20_000;

    /// <summary>Stand-in for '_' in search strings (FULLWIDTH LOW LINE; folding maps it to '_', so no token has it).</summary>
    public const char SearchUnderscore = '\uFF3F';

    private char[] chars = new char[256];
    private int[] starts = new int[64];
    private int[] lengths = new int[64];
    private TokenKind[] kinds = new TokenKind[64];
    private int charLength;

    // Lookup index, built on first use: token text -> distinct id -> chain of occurrences in order.
    private bool indexed;
    private int[] buckets = new int[128];
    private int[] distinctOf = new int[64];
    private int[] nextSame = new int[64];
    private int[] distinctFirst = new int[64];
    private int[] distinctLast = new int[64];
    private int distinctCount;

    public int Count { get; private set; }

    /// <summary>True when the source had more than <see cref="MaxTokens"/> tokens and the tail was dropped.</summary>
    public bool Truncated { get; internal set; }

    public ReadOnlySpan<char> TokenText(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        return chars.AsSpan(starts[index], lengths[index]);
    }

    public string TokenString(int index) => new(TokenText(index));

    public TokenKind Kind(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        return kinds[index];
    }

    /// <summary>Ordinal word position used by NEAR; equal to the index.</summary>
    public int Position(int index) => index;

    /// <summary>Forgets the tokens but keeps the buffers.</summary>
    public void Reset()
    {
        Count = 0;
        charLength = 0;
        Truncated = false;
        indexed = false;
        distinctCount = 0;
    }

    /// <summary>
    /// Token texts joined by single spaces, for an FTS5 table with <c>tokenize='ascii'</c>. That tokenizer
    /// splits on ASCII punctuation but keeps every non-ASCII char, so '_' (only ever inside hashtags and
    /// handles) is written as <see cref="SearchUnderscore"/>: each token stays exactly one FTS token with a
    /// text no other token has, and NEAR distances agree with <see cref="Position"/>.
    /// </summary>
    public string ToSearchString()
    {
        if (Count == 0)
        {
            return string.Empty;
        }

        var length = Count - 1 + charLength;
        return string.Create(length, this, static (span, self) =>
        {
            var at = 0;
            for (var i = 0; i < self.Count; i++)
            {
                if (i > 0)
                {
                    span[at++] = ' ';
                }

                foreach (var c in self.chars.AsSpan(self.starts[i], self.lengths[i]))
                {
                    span[at++] = c == '_' ? SearchUnderscore : c;
                }
            }
        });
    }

    public override string ToString() => ToSearchString();

    /// <summary>Distinct token texts (built lazily); ids run 0..DistinctCount-1.</summary>
    public int DistinctCount
    {
        get
        {
            EnsureIndex();
            return distinctCount;
        }
    }

    /// <summary>Index of the first token with distinct id <paramref name="distinctId"/>.</summary>
    public int FirstOccurrence(int distinctId)
    {
        EnsureIndex();
        return distinctFirst[distinctId];
    }

    /// <summary>The next token (by position) with the same text as token <paramref name="index"/>, or -1.</summary>
    public int NextOccurrence(int index)
    {
        EnsureIndex();
        return nextSame[index];
    }

    /// <summary>Distinct id of token <paramref name="index"/>.</summary>
    public int DistinctId(int index)
    {
        EnsureIndex();
        return distinctOf[index];
    }

    /// <summary>Distinct id of the token text, or -1 when the text does not occur.</summary>
    public int Find(ReadOnlySpan<char> text)
    {
        EnsureIndex();
        var mask = buckets.Length - 1;
        var slot = string.GetHashCode(text) & mask;
        while (true)
        {
            var entry = buckets[slot];
            if (entry == 0)
            {
                return -1;
            }

            var first = distinctFirst[entry - 1];
            if (chars.AsSpan(starts[first], lengths[first]).SequenceEqual(text))
            {
                return entry - 1;
            }

            slot = (slot + 1) & mask;
        }
    }

    /// <summary>Appends a token; returns false once <see cref="MaxTokens"/> is reached.</summary>
    internal bool Add(ReadOnlySpan<char> text, TokenKind kind)
    {
        if (Count >= MaxTokens)
        {
            Truncated = true;
            return false;
        }

        if (Count == starts.Length)
        {
            var size = Count * 2;
            Array.Resize(ref starts, size);
            Array.Resize(ref lengths, size);
            Array.Resize(ref kinds, size);
        }

        if (charLength + text.Length > chars.Length)
        {
            Array.Resize(ref chars, Math.Max(chars.Length * 2, charLength + text.Length));
        }

        text.CopyTo(chars.AsSpan(charLength));
        starts[Count] = charLength;
        lengths[Count] = text.Length;
        kinds[Count] = kind;
        charLength += text.Length;
        Count++;
        indexed = false;
        return true;
    }

    private void EnsureIndex()
    {
        if (indexed)
        {
            return;
        }

        var size = 128;
        while (size < Count * 2)
        {
            size *= 2;
        }

        if (buckets.Length < size)
        {
            buckets = new int[size];
        }
        else
        {
            Array.Clear(buckets);
        }

        if (distinctOf.Length < Count)
        {
            distinctOf = new int[starts.Length];
            nextSame = new int[starts.Length];
            distinctFirst = new int[starts.Length];
            distinctLast = new int[starts.Length];
        }

        distinctCount = 0;
        var mask = buckets.Length - 1;
        for (var i = 0; i < Count; i++)
        {
            var text = chars.AsSpan(starts[i], lengths[i]);
            var slot = string.GetHashCode(text) & mask;
            int id;
            while (true)
            {
                var entry = buckets[slot];
                if (entry == 0)
                {
                    id = distinctCount++;
                    buckets[slot] = id + 1;
                    distinctFirst[id] = i;
                    distinctLast[id] = i;
                    break;
                }

                var first = distinctFirst[entry - 1];
                if (chars.AsSpan(starts[first], lengths[first]).SequenceEqual(text))
                {
                    id = entry - 1;
                    nextSame[distinctLast[id]] = i;
                    distinctLast[id] = i;
                    break;
                }

                slot = (slot + 1) & mask;
            }

            distinctOf[i] = id;
            nextSame[i] = -1;
        }

        indexed = true;
    }
}
