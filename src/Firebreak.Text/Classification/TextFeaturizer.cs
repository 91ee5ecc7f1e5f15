using System.Globalization;
using System.Runtime.CompilerServices;
using Firebreak.Core.Text;

namespace Firebreak.Text.Classification;

/// <summary>
/// Turns a tweet into hashed sparse features in one pass: case/accent folding, URL and @user normalisation,
/// elongation squashing, emoji/emoticon tokens, negation scope marking, hashtag splitting, then word
/// uni/bigrams (optionally also hashed with the language) and character n-grams within word boundaries.
/// Word and character blocks are each scaled to unit L2 norm, so neither drowns the other whatever the
/// tweet length. Writes into a <see cref="ClassifierScratch"/>; nothing is allocated after warm-up.
/// </summary>
public sealed class TextFeaturizer
{
    private const uint SeedWord = 0x9E3779B1u;
    private const uint SeedNegated = 0x85EBCA77u;
    private const uint SeedBigram = 0xC2B2AE3Du;
    private const uint SeedHashtag = 0x27D4EB2Fu;
    private const uint SeedChar = 0x165667B1u;
    private const uint SeedLanguage = 0xD3A2646Cu;
    private const int MaxTokenChars = 40;

    private readonly int _mask;

    /// <summary>Creates a featurizer; the options are validated here.</summary>
    public TextFeaturizer(FeaturizerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _mask = options.Buckets - 1;
    }

    /// <summary>The options this featurizer applies.</summary>
    public FeaturizerOptions Options { get; }

    /// <summary>
    /// Featurizes <paramref name="text"/> into <paramref name="scratch"/> (ids, values; with
    /// <paramref name="withNames"/> also the owning token and family of each feature so explanations can name
    /// it). Returns the number of features.
    /// </summary>
    public int Featurize(ReadOnlySpan<char> text, string? language, ClassifierScratch scratch, bool withNames = false) =>
        Featurize(text, language, scratch, withNames, withValues: true);

    /// <summary>Featurizes; without <paramref name="withValues"/> the per-feature values are left unset (the
    /// shared scorer of <see cref="TextClassifiers"/> rebuilds each model's block scales from the block sizes
    /// and never reads them).</summary>
    internal int Featurize(ReadOnlySpan<char> text, string? language, ClassifierScratch scratch, bool withNames, bool withValues)
    {
        ArgumentNullException.ThrowIfNull(scratch);
        if (text.Length > Options.MaxInputChars)
        {
            var cut = Options.MaxInputChars;
            if (char.IsHighSurrogate(text[cut - 1]))
            {
                cut--;
            }

            text = text[..cut];
        }

        Fold(text, scratch);
        Tokenize(scratch);
        Emit(scratch, language, withNames, withValues);
        return scratch.Count;
    }

    /// <summary>Human-readable name of feature <paramref name="index"/> of the latest featurization (needs
    /// withNames): the original text span of its token(s).</summary>
    internal static string FeatureName(ReadOnlySpan<char> text, ClassifierScratch s, int index)
    {
        var owner = s.Owner[index];
        var family = s.Family[index];
        var last = family is FeatureFamily.Bigram or FeatureFamily.BigramLanguage ? owner + 1 : owner;
        var start = s.TokenSourceStart[owner];
        var end = s.TokenSourceEnd[last];
        return start >= 0 && end <= text.Length && end > start ? text[start..end].ToString() : s.Token(owner).ToString();
    }

    private static void Fold(ReadOnlySpan<char> text, ClassifierScratch s)
    {
        // Fold one code point at a time so every folded char remembers where it came from: explanations
        // quote the user's own words, not their folded form.
        var length = 0;
        for (var i = 0; i < text.Length;)
        {
            var width = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
            s.EnsureFolded(length + (TextFolder.MaxExpansion * 2));
            var c = text[i];
            int next;
            if (c == '\u2019' || c == '\u02BC')
            {
                // Typographic apostrophes behave like ASCII ones ("don’t").
                s.Folded[length] = '\'';
                next = length + 1;
            }
            else
            {
                next = TextFolder.FoldInto(text.Slice(i, width), ref s.Folded, length);
            }

            s.EnsureFolded(next);
            for (var j = length; j < next; j++)
            {
                s.SourceIndex[j] = i;
            }

            length = next;
            i += width;
        }

        s.FoldedLength = length;
    }

    private static void Tokenize(ClassifierScratch s)
    {
        s.TokenCount = 0;
        s.TokenCharCount = 0;
        var f = s.Folded;
        var n = s.FoldedLength;
        var negating = false;
        var i = 0;
        while (i < n)
        {
            var c = f[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            if (IsWordChar(c))
            {
                if (StartsWith(f, i, n, "http") || StartsWith(f, i, n, "www."))
                {
                    var end = SkipNonSpace(f, i, n);
                    AddLiteral(s, "<url>", FeatureTokenKind.Special, i, end);
                    i = end;
                    continue;
                }

                var wordEnd = ScanWord(f, i, n);
                var token = AddChars(s, f, i, wordEnd, FeatureTokenKind.Word);
                if (negating)
                {
                    s.TokenNegated[token] = true;
                }

                if (IsNegator(s.Token(token)))
                {
                    negating = true;
                }

                i = wordEnd;
                continue;
            }

            if ((c == '@' || c == '#') && i + 1 < n && IsWordChar(f[i + 1]))
            {
                var end = ScanWord(f, i + 1, n);
                if (c == '@')
                {
                    AddLiteral(s, "<user>", FeatureTokenKind.Special, i, end);
                }
                else
                {
                    AddChars(s, f, i + 1, end, FeatureTokenKind.Hashtag);
                }

                i = end;
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < n && char.IsLowSurrogate(f[i + 1]))
            {
                var codePoint = char.ConvertToUtf32(c, f[i + 1]);
                if (codePoint is < 0x1F3FB or > 0x1F3FF)
                {
                    // Skin-tone modifiers are skipped: the emoji they follow carries the meaning.
                    AddChars(s, f, i, i + 2, FeatureTokenKind.Emoji);
                }

                i += 2;
                continue;
            }

            if (IsSymbol(c))
            {
                AddChars(s, f, i, i + 1, FeatureTokenKind.Emoji);
                i++;
                continue;
            }

            var runEnd = i + 1;
            while (runEnd < n && IsPunctuationRunChar(f[runEnd]))
            {
                runEnd++;
            }

            i = AddPunctuation(s, f, i, runEnd, ref negating);
        }
    }

    private static int AddPunctuation(ClassifierScratch s, char[] f, int start, int end, ref bool negating)
    {
        var run = f.AsSpan(start, end - start);
        var emoticonLength = 0;
        for (var length = Math.Min(4, run.Length); length >= 2 && emoticonLength == 0; length--)
        {
            if (IsEmoticon(run[^length..]))
            {
                emoticonLength = length;
            }
        }

        var body = run[..^emoticonLength];
        if (body.Contains('!'))
        {
            AddLiteral(s, "!", FeatureTokenKind.Punctuation, start, end - emoticonLength);
        }

        if (body.Contains('?'))
        {
            AddLiteral(s, "?", FeatureTokenKind.Punctuation, start, end - emoticonLength);
        }

        if (emoticonLength > 0)
        {
            AddChars(s, f, end - emoticonLength, end, FeatureTokenKind.Emoji);
        }

        // Clause punctuation (and an emoticon) ends the scope of a negation.
        if (emoticonLength > 0 || body.IndexOfAny(".,;:!?") >= 0)
        {
            negating = false;
        }

        return end;
    }

    private static int AddChars(ClassifierScratch s, char[] f, int start, int end, FeatureTokenKind kind)
    {
        s.EnsureTokens(s.TokenCount + 1);
        s.EnsureTokenChars(s.TokenCharCount + MaxTokenChars + 2);
        var token = s.TokenCount++;
        var begin = s.TokenCharCount;
        var length = 0;
        for (var i = start; i < end && length < MaxTokenChars; i++)
        {
            var c = f[i];
            // Squash elongations to two repeats: "soooo" and "sooo" become one feature, "soo" still differs
            // from "so" (elongation is itself a signal of emphasis).
            if (kind != FeatureTokenKind.Emoji && length >= 2 && s.TokenChars[begin + length - 1] == c
                && s.TokenChars[begin + length - 2] == c)
            {
                continue;
            }

            s.TokenChars[begin + length++] = c;
        }

        s.TokenCharCount += length;
        SetToken(s, token, begin, length, kind, start, end);
        return token;
    }

    private static void AddLiteral(ClassifierScratch s, string literal, FeatureTokenKind kind, int start, int end)
    {
        s.EnsureTokens(s.TokenCount + 1);
        s.EnsureTokenChars(s.TokenCharCount + literal.Length);
        var token = s.TokenCount++;
        var begin = s.TokenCharCount;
        literal.AsSpan().CopyTo(s.TokenChars.AsSpan(begin));
        s.TokenCharCount += literal.Length;
        SetToken(s, token, begin, literal.Length, kind, start, end);
    }

    private static void SetToken(ClassifierScratch s, int token, int begin, int length, FeatureTokenKind kind, int start, int end)
    {
        s.TokenStart[token] = begin;
        s.TokenLength[token] = length;
        s.TokenKind[token] = kind;
        s.TokenNegated[token] = false;
        s.TokenSourceStart[token] = s.SourceIndex[start];
        var lastSource = s.SourceIndex[end - 1];
        // A surrogate pair maps both folded chars to its first source index; include the low surrogate.
        s.TokenSourceEnd[token] = lastSource + 1;
    }

    private void Emit(ClassifierScratch s, string? language, bool withNames, bool withValues)
    {
        s.Count = 0;
        var options = Options;
        var languageSeed = language is null || !options.LanguageWordFeatures ? 0u : Hash(language, SeedLanguage);
        var wordFeatures = 0;
        var charFeatures = 0;
        var languageFeatures = 0;
        uint previous = 0;
        if (languageSeed != 0)
        {
            // A per-language bias: class priors differ between the languages' datasets.
            Add(s, Mix(languageSeed ^ SeedWord), FeatureFamily.Language, -1, withNames);
            wordFeatures++;
            languageFeatures++;
        }

        var lexicon = (options.ExtraFeatures & ExtraFeatures.Lexicon) != 0;
        s.LexiconHitCount = 0;
        if (lexicon && s.LexiconHits.Length < s.TokenCount * 2)
        {
            s.LexiconHits = new int[s.TokenCount * 2];
        }

        for (var t = 0; t < s.TokenCount; t++)
        {
            var token = s.Token(t);
            uint hash;
            if (lexicon && s.TokenKind[t] is FeatureTokenKind.Word or FeatureTokenKind.Hashtag or FeatureTokenKind.Emoji)
            {
                hash = HashWithSquashed(token, out var squashed);
                var category = LexiconCategory(token, hash, squashed);
                if (category >= 0)
                {
                    s.LexiconHits[s.LexiconHitCount++] = t;
                    s.LexiconHits[s.LexiconHitCount++] = category;
                }
            }
            else
            {
                hash = Hash(token, SeedWord);
            }

            var unigram = s.TokenNegated[t] ? Mix(hash ^ SeedNegated) : hash;
            Add(s, unigram, FeatureFamily.Word, t, withNames);
            wordFeatures++;
            if (languageSeed != 0)
            {
                Add(s, Mix(unigram ^ languageSeed), FeatureFamily.WordLanguage, t, withNames);
                wordFeatures++;
                languageFeatures++;
            }

            if (s.TokenKind[t] == FeatureTokenKind.Hashtag)
            {
                Add(s, Mix(hash ^ SeedHashtag), FeatureFamily.Hashtag, t, withNames);
                wordFeatures++;
            }

            if (options.WordBigrams && t > 0)
            {
                var bigram = Mix((previous * 0x01000193u) ^ hash ^ SeedBigram);
                Add(s, bigram, FeatureFamily.Bigram, t - 1, withNames);
                wordFeatures++;
                if (languageSeed != 0)
                {
                    Add(s, Mix(bigram ^ languageSeed), FeatureFamily.BigramLanguage, t - 1, withNames);
                    wordFeatures++;
                    languageFeatures++;
                }
            }

            previous = hash;
            if (options.MaxCharN > 0 && s.TokenKind[t] is FeatureTokenKind.Word or FeatureTokenKind.Hashtag)
            {
                charFeatures += EmitCharGrams(s, token, t, withNames);
            }
        }

        s.ExtraStart = s.Count;
        if (options.ExtraFeatures != ExtraFeatures.None)
        {
            // Not counted in the word block's norm: a model without extra features then sees exactly the
            // values it was trained with when a shared featurization also emits them.
            EmitExtras(s, options.ExtraFeatures, withNames);
        }

        s.WordFeatureCount = wordFeatures;
        s.CharFeatureCount = charFeatures;
        s.LanguageFeatureCount = languageFeatures;

        if (!withValues)
        {
            return;
        }

        // Unit-normalise each block (duplicates counted once each, close enough to the exact norm for short texts).
        var wordScale = wordFeatures > 0 ? 1f / MathF.Sqrt(wordFeatures) : 0f;
        var charScale = charFeatures > 0 ? options.CharWeight / MathF.Sqrt(charFeatures) : 0f;
        for (var i = 0; i < s.Count; i++)
        {
            s.Values[i] = s.Family[i] == FeatureFamily.Char ? charScale : wordScale;
        }
    }

    private static readonly uint[] LexiconHashes = [.. Lexicon.CategoryNames.Select(n => Hash(n, SeedWord))];

    /// <summary>Lexicon category tokens and unmasked spellings of masked or spaced-out words.</summary>
    private void EmitExtras(ClassifierScratch s, ExtraFeatures extras, bool withNames)
    {
        var lexicon = (extras & ExtraFeatures.Lexicon) != 0;
        for (var h = 0; h < s.LexiconHitCount; h += 2)
        {
            var t = s.LexiconHits[h];
            var hash = LexiconHashes[s.LexiconHits[h + 1]];
            Add(s, s.TokenNegated[t] ? Mix(hash ^ SeedNegated) : hash, FeatureFamily.Lexicon, t, withNames);
        }

        if ((extras & ExtraFeatures.Deobfuscated) == 0)
        {
            return;
        }

        Span<char> word = stackalloc char[MaxUnmaskedChars];

        // Masked spellings inside one whitespace-separated chunk: "f*ck", "sh!t", "a$$", "b1tch". Only chunks
        // holding a mask character are looked at (found with a vectorised search).
        var f = s.Folded;
        var n = s.FoldedLength;
        var i = 0;
        while (i < n)
        {
            var hit = f.AsSpan(i, n - i).IndexOfAny(MaskChars);
            if (hit < 0)
            {
                break;
            }

            var start = i + hit;
            while (start > i && !char.IsWhiteSpace(f[start - 1]))
            {
                start--;
            }

            var end = SkipNonSpace(f, i + hit, n);
            var length = Unmask(f.AsSpan(start, end - start), word);
            if (length > 0)
            {
                EmitUnmasked(s, word[..length], lexicon, withNames);
            }

            i = end;
        }

        // Spaced-out letters: "f u c k", "f.u.c.k".
        for (var t = 0; t < s.TokenCount;)
        {
            var run = t;
            while (run < s.TokenCount && s.TokenKind[run] == FeatureTokenKind.Word && s.TokenLength[run] == 1
                && char.IsLetter(s.TokenChars[s.TokenStart[run]]) && run - t < MaxUnmaskedChars)
            {
                run++;
            }

            if (run - t >= 3)
            {
                for (var j = t; j < run; j++)
                {
                    word[j - t] = s.TokenChars[s.TokenStart[j]];
                }

                if (Lexicon.Lookup(word[..(run - t)]) >= 0)
                {
                    EmitUnmasked(s, word[..(run - t)], lexicon, withNames);
                }
            }

            t = Math.Max(run, t + 1);
        }
    }

    private const int MaxUnmaskedChars = 24;

    private static readonly System.Buffers.SearchValues<char> MaskChars = System.Buffers.SearchValues.Create("*$!|+@0134579");

    private static readonly Dictionary<uint, (string Word, int Category)> LexiconByHash = BuildLexiconByHash();

    // One bit per word hash (2^16 bits, about 1% set): most tokens are rejected without a dictionary probe.
    private static readonly ulong[] LexiconFilter = BuildLexiconFilter();

    private static ulong[] BuildLexiconFilter()
    {
        var filter = new ulong[1024];
        foreach (var hash in LexiconByHash.Keys)
        {
            filter[(int)(hash >> 6) & (filter.Length - 1)] |= 1UL << (int)(hash & 63);
        }

        return filter;
    }

    private static Dictionary<uint, (string Word, int Category)> BuildLexiconByHash()
    {
        var table = new Dictionary<uint, (string Word, int Category)>();
        foreach (var (word, category) in Lexicon.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            table.TryAdd(Hash(word, SeedWord), (word, category));
        }

        return table;
    }

    /// <summary><see cref="Hash"/> with the word seed, and in the same pass the hash of the token with runs
    /// of one letter squashed to a single letter (equal to the first when nothing was squashed).</summary>
    private static uint HashWithSquashed(ReadOnlySpan<char> token, out uint squashed)
    {
        var h = 2166136261u ^ SeedWord;
        var q = h;
        var previous = '\0';
        foreach (var c in token)
        {
            h = (h ^ c) * 0x01000193u;
            if (c != previous || !char.IsLetter(c))
            {
                q = (q ^ c) * 0x01000193u;
            }

            previous = c;
        }

        squashed = h == q ? 0 : Mix(q);
        return Mix(h);
    }

    /// <summary><see cref="Lexicon.Lookup"/> for a token whose hashes (<see cref="HashWithSquashed"/>) are
    /// known: a bit test rejects most tokens, a dictionary probe and a string comparison confirm the rest.</summary>
    private static int LexiconCategory(ReadOnlySpan<char> token, uint hash, uint squashed)
    {
        if (InLexiconFilter(hash) && LexiconByHash.TryGetValue(hash, out var entry))
        {
            return token.SequenceEqual(entry.Word) ? entry.Category : -1;
        }

        if (squashed == 0 || !InLexiconFilter(squashed) || !LexiconByHash.ContainsKey(squashed))
        {
            return -1;
        }

        return Lexicon.Lookup(token); // rare: an elongated spelling whose squashed hash is a lexicon word's
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool InLexiconFilter(uint hash) =>
        (LexiconFilter[(int)(hash >> 6) & (LexiconFilter.Length - 1)] & (1UL << (int)(hash & 63))) != 0;

    private void EmitUnmasked(ClassifierScratch s, ReadOnlySpan<char> word, bool lexicon, bool withNames)
    {
        Add(s, Hash(word, SeedWord), FeatureFamily.Deobfuscated, -1, withNames);
        var category = lexicon ? Lexicon.Lookup(word) : -1;
        if (category >= 0)
        {
            Add(s, LexiconHashes[category], FeatureFamily.Deobfuscated, -1, withNames);
        }
    }

    /// <summary>
    /// If <paramref name="chunk"/> (one whitespace-free run of folded text) is a masked spelling of a lexicon
    /// word, writes that word into <paramref name="word"/> and returns its length, else 0. Masks: digits and
    /// symbols standing for letters (0→o, 1/!/|→i, 3→e, 4/@→a, 5/$→s, 7/+→t) and '*' (one to four hidden
    /// letters, resolved against the profanity and insult entries).
    /// </summary>
    private static int Unmask(ReadOnlySpan<char> chunk, Span<char> word)
    {
        // Trim surrounding punctuation ("(sh!t)", "f*ck!!").
        var start = 0;
        var end = chunk.Length;
        while (start < end && chunk[start] is '"' or '\'' or '(' or '[' or '*' or '.' or ',' or '¿' or '¡')
        {
            start++;
        }

        while (end > start && chunk[end - 1] is '"' or '\'' or ')' or ']' or '.' or ',' or '!' or '?' or ':' or ';')
        {
            end--;
        }

        var core = chunk[start..end];
        if (core.Length is < 3 or > MaxUnmaskedChars || core[0] is '@' or '#' || core.StartsWith("http"))
        {
            return 0;
        }

        var letters = 0;
        var masks = 0;
        var wildcard = false;
        var length = 0;
        foreach (var c in core)
        {
            char mapped;
            if (c is >= 'a' and <= 'z')
            {
                letters++;
                mapped = c;
            }
            else
            {
                mapped = c switch
                {
                    '0' => 'o',
                    '1' or '!' or '|' => 'i',
                    '3' => 'e',
                    '4' or '@' => 'a',
                    '5' or '$' => 's',
                    '7' or '+' => 't',
                    '*' => '*',
                    _ => '\0',
                };
                if (mapped == '\0')
                {
                    return 0;
                }

                masks++;
                wildcard |= mapped == '*';
            }

            // Squash repeats to two, as the tokenizer does ("a$$$" → "ass").
            if (length >= 2 && word[length - 1] == mapped && word[length - 2] == mapped)
            {
                continue;
            }

            word[length++] = mapped;
        }

        if (letters == 0 || masks == 0 || letters + masks < 3)
        {
            return 0;
        }

        if (!wildcard)
        {
            return Lexicon.Lookup(word[..length]) >= 0 ? length : 0;
        }

        // Prefer one hidden letter per '*' ("f**king" → "fucking", not "fcking"), then any count.
        var pattern = word[..length];
        for (var pass = 0; pass < 2; pass++)
        {
            foreach (var key in Lexicon.AbusiveKeys)
            {
                if (MatchesMasked(pattern, key, oneLetterPerMask: pass == 0))
                {
                    key.AsSpan().CopyTo(word);
                    return key.Length;
                }
            }
        }

        return 0;
    }

    /// <summary>Whether <paramref name="pattern"/> (letters and '*', each run of '*' hiding one to four
    /// letters, or exactly one letter per '*' with <paramref name="oneLetterPerMask"/>) spells
    /// <paramref name="key"/>.</summary>
    private static bool MatchesMasked(ReadOnlySpan<char> pattern, ReadOnlySpan<char> key, bool oneLetterPerMask)
    {
        if (pattern.Length == 0 || key.Length == 0)
        {
            return pattern.Length == key.Length;
        }

        if (pattern[0] != '*')
        {
            return pattern[0] == key[0] && MatchesMasked(pattern[1..], key[1..], oneLetterPerMask);
        }

        if (oneLetterPerMask)
        {
            return MatchesMasked(pattern[1..], key[1..], oneLetterPerMask);
        }

        var stars = 1;
        while (stars < pattern.Length && pattern[stars] == '*')
        {
            stars++;
        }

        var rest = pattern[stars..];
        for (var hidden = 1; hidden <= 4 && hidden <= key.Length; hidden++)
        {
            if (MatchesMasked(rest, key[hidden..], oneLetterPerMask))
            {
                return true;
            }
        }

        return false;
    }

    private int EmitCharGrams(ClassifierScratch s, ReadOnlySpan<char> token, int owner, bool withNames)
    {
        var min = Options.MinCharN;
        var max = Options.MaxCharN;
        var padded = token.Length + 2;
        var emitted = 0;
        s.EnsureFeatures(s.Count + (padded * (max - min + 1)) + 1);
        for (var start = 0; start < padded; start++)
        {
            var h = SeedChar;
            for (var k = 0; k < max && start + k < padded; k++)
            {
                var position = start + k;
                var c = position == 0 ? '\u0002' : position == padded - 1 ? '\u0003' : token[position - 1];
                h = (h ^ c) * 0x01000193u;
                if (k + 1 >= min)
                {
                    Add(s, Mix(h + (uint)k), FeatureFamily.Char, owner, withNames);
                    emitted++;
                }
            }
        }

        return emitted;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Add(ClassifierScratch s, uint hash, FeatureFamily family, int owner, bool withNames)
    {
        if (s.Count >= s.Ids.Length)
        {
            s.EnsureFeatures(s.Count + 1);
        }

        var index = s.Count++;
        s.Ids[index] = (int)(hash & (uint)_mask);
        s.Family[index] = family;
        if (withNames)
        {
            s.Owner[index] = owner;
        }
    }

    /// <summary>FNV-1a followed by a murmur finaliser: stable across runs and platforms, unlike string.GetHashCode.</summary>
    internal static uint Hash(ReadOnlySpan<char> text, uint seed)
    {
        var h = 2166136261u ^ seed;
        foreach (var c in text)
        {
            h = (h ^ c) * 0x01000193u;
        }

        return Mix(h);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Mix(uint h)
    {
        h ^= h >> 16;
        h *= 0x85EBCA6Bu;
        h ^= h >> 13;
        h *= 0xC2B2AE35u;
        h ^= h >> 16;
        return h;
    }

    private static bool IsWordChar(char c) =>
        char.IsLetterOrDigit(c) || c == '_' || CharUnicodeInfo.GetUnicodeCategory(c) is
            UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;

    private static bool IsSymbol(char c) =>
        c > 0x7F && CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.OtherSymbol;

    private static bool IsPunctuationRunChar(char c) =>
        !char.IsWhiteSpace(c) && !IsWordChar(c) && !char.IsSurrogate(c) && !IsSymbol(c) && c != '@' && c != '#';

    private static int ScanWord(char[] f, int start, int n)
    {
        var i = start;
        while (i < n && (IsWordChar(f[i]) || (f[i] == '\'' && i + 1 < n && IsWordChar(f[i + 1]) && i > start)))
        {
            i++;
        }

        return i;
    }

    private static int SkipNonSpace(char[] f, int start, int n)
    {
        var i = start;
        while (i < n && !char.IsWhiteSpace(f[i]))
        {
            i++;
        }

        return i;
    }

    private static bool StartsWith(char[] f, int start, int n, string prefix) =>
        n - start >= prefix.Length && f.AsSpan(start, prefix.Length).SequenceEqual(prefix);

    private static bool IsEmoticon(ReadOnlySpan<char> run) => run switch
    {
        ":)" or ":-)" or ":))" or "=)" or ":]" or "(:" or ";)" or ";-)" or ":d" or ":-d" or ";d" or ":p" or ":-p"
            or ";p" or "<3" or ":*" or ":(" or ":-(" or ":((" or "=(" or ":[" or "):" or ":'(" or ":/" or ":-/"
            or ":|" or ":o" or ":-o" or "^^" or "^_^" or "-_-" or "</3" or ":@" or ">:(" => true,
        _ => false,
    };

    private static bool IsNegator(ReadOnlySpan<char> word)
    {
        if (word.EndsWith("n't"))
        {
            return true;
        }

        return word switch
        {
            "not" or "no" or "never" or "nothing" or "nobody" or "none" or "nor" or "neither" or "nowhere"
                or "cannot" or "cant" or "dont" or "doesnt" or "didnt" or "isnt" or "wasnt" or "arent" or "werent"
                or "aint" or "wont" or "wouldnt" or "shouldnt" or "couldnt" or "hasnt" or "havent" or "hadnt"
                or "nicht" or "kein" or "keine" or "keinen" or "nie" or "niemals" or "pas" or "jamais"
                or "non" or "mai" or "nunca" or "nada" or "nao" or "nem" or "ni" or "tampoco" or "sem" or "sin"
                or "لا" or "لم" or "لن" or "ليس" or "ما" or "مش" or "नही" or "मत" or "न" or "nahi" or "nahin" => true,
            _ => false,
        };
    }
}
