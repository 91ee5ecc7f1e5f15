namespace Firebreak.Text.LanguageId;

/// <summary>How text becomes hashed feature ids; stored in the model header so training and use always agree.</summary>
/// <param name="HashBits">Bits of the extracted feature ids (at least <paramref name="BucketBits"/>): the pair models
/// use more buckets than the main model, which keeps the low <paramref name="BucketBits"/> bits of the same ids.</param>
internal readonly record struct FeatureConfig(int BucketBits, int MinN, int MaxN, bool Words, bool WordPairs, int HashBits)
{
    public int Buckets => 1 << BucketBits;

    public int BucketMask => (1 << BucketBits) - 1;

    public uint HashMask => (uint)((1L << Math.Max(BucketBits, HashBits)) - 1);
}

/// <summary>
/// Character n-grams of each word padded with a space on both sides (so prefixes and suffixes are their own
/// features), plus the whole word, hashed into 2^BucketBits buckets. Only words of the dominant script count,
/// so brand names or stray foreign words in a sentence do not drag the guess across scripts.
/// </summary>
internal static class FeatureHasher
{
    private const uint FnvOffset = 2166136261;
    private const uint FnvPrime = 16777619;
    private const uint WordSeed = 0x9747B28C;
    private const uint PairSeed = 0x5BD1E995;

    public static int Extract(LanguageIdScratch scratch, Script dominant, FeatureConfig config, Span<int> features)
    {
        var chars = scratch.Chars;
        var mask = config.HashMask;
        var group = ScriptInfo.Group(dominant);
        var count = 0;
        var previous = 0u;
        for (var w = 0; w < scratch.WordCount; w++)
        {
            if (ScriptInfo.Group(scratch.WordScript[w]) != group)
            {
                continue;
            }

            var word = chars.AsSpan(scratch.WordStart[w], scratch.WordLength[w]);
            if (count + ((word.Length + 2) * config.MaxN) + 2 > features.Length)
            {
                break;
            }

            count = AddWord(word, config, mask, features, count, ref previous);
        }

        return count;
    }

    private static int AddWord(ReadOnlySpan<char> word, FeatureConfig config, uint mask, Span<int> features, int count, ref uint previous)
    {
        var padded = word.Length + 2;
        for (var start = 0; start < padded; start++)
        {
            var h = FnvOffset;
            for (var n = 1; n <= config.MaxN && start + n <= padded; n++)
            {
                var position = start + n - 1;
                var c = position == 0 || position == padded - 1 ? ' ' : word[position - 1];
                h = (h ^ c) * FnvPrime;
                if (n < config.MinN || (n == 1 && c == ' '))
                {
                    continue;
                }

                features[count++] = (int)(Mix(h + ((uint)n * 0x9E3779B9)) & mask);
            }
        }

        if (config.Words || config.WordPairs)
        {
            var h = FnvOffset ^ WordSeed;
            foreach (var c in word)
            {
                h = (h ^ c) * FnvPrime;
            }

            var wordHash = Mix(h);
            if (config.Words)
            {
                features[count++] = (int)(wordHash & mask);
            }

            // Adjacent word pairs separate close languages (id/ms, nb/da) through function-word collocations.
            if (config.WordPairs && previous != 0)
            {
                features[count++] = (int)(Mix((previous * 0x01000193) ^ wordHash ^ PairSeed) & mask);
            }

            previous = wordHash | 1;
        }

        return count;
    }

    /// <summary>Murmur3 finaliser: FNV's low bits are weak, and the mask keeps only low bits.</summary>
    private static uint Mix(uint h)
    {
        h ^= h >> 16;
        h *= 0x85EBCA6B;
        h ^= h >> 13;
        h *= 0xC2B2AE35;
        h ^= h >> 16;
        return h;
    }
}
