using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Firebreak.Text.LanguageId;

/// <summary>
/// Identifies the language of short texts (chat, social media) among the 47 languages the model was trained on.
/// Immutable after loading and safe for concurrent callers; identification does not allocate after warm-up.
/// </summary>
/// <remarks>
/// Pipeline: clean (drop URLs, handles, digits, punctuation, emoji; lower-case), pick the dominant script, and
/// when that script belongs to one language only (Hangul, kana, Thai, Greek, Hebrew, Bengali) answer directly.
/// Otherwise a multinomial logistic regression over hashed character n-grams and words, restricted to the
/// languages written in that script, gives temperature-calibrated probabilities; a best guess below the
/// threshold chosen on a held-out training fold becomes "und". A model may carry binary models for close pairs
/// (see <see cref="LanguageIdTrainingOptions.LanguagePairs"/>); when the top two are such a pair, it splits their
/// joint probability.
/// </remarks>
public sealed class LanguageIdentifier
{
    /// <summary>Name of the embedded model resource.</summary>
    public const string DefaultResourceName = "Firebreak.Text.Models.langid.bin";

    private static readonly Lazy<LanguageIdentifier> Default = new(LoadEmbedded, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Scale of a quantised row is 2^(byte - 128); a 256-entry table avoids a ScaleB per feature.</summary>
    private static readonly float[] ExponentScale = BuildExponentScale();

    [ThreadStatic]
    private static LanguageIdScratch? threadScratch;

    private readonly string[] labels;
    private readonly int[][] candidates;
    private readonly float[] bias;
    private readonly sbyte[] weights;

    internal LanguageIdentifier(LanguageIdModelData data)
    {
        Data = data;
        labels = data.Labels;
        bias = data.Bias;
        weights = data.Weights;
        candidates = new int[ScriptInfo.Count][];
        for (var s = 0; s < ScriptInfo.Count; s++)
        {
            var list = new List<int>();
            for (var l = 0; l < labels.Length; l++)
            {
                if (data.Allowed[(s * labels.Length) + l])
                {
                    list.Add(l);
                }
            }

            candidates[s] = [.. list];
        }
    }

    /// <summary>The languages this model can answer, as ISO 639-1 codes.</summary>
    public IReadOnlyList<string> Languages => labels;

    /// <summary>Softmax temperature fitted on a held-out training fold.</summary>
    public float Temperature => Data.Temperature;

    /// <summary>Calibrated confidence below which the answer is "und".</summary>
    public float Threshold => Data.Threshold;

    internal LanguageIdModelData Data { get; }

    /// <summary>The model shipped inside this assembly, loaded once and shared.</summary>
    public static LanguageIdentifier LoadDefault() => Default.Value;

    /// <summary>Reads a model written by <see cref="Save"/>.</summary>
    public static LanguageIdentifier Load(Stream stream) => new(LanguageIdModelFormat.Read(stream));

    /// <summary>Writes the model; the same model always gives the same bytes.</summary>
    public void Save(Stream stream) => LanguageIdModelFormat.Write(Data, stream);

    /// <summary>Identifies the language of <paramref name="text"/> using a per-thread scratch buffer.</summary>
    public LanguageGuess Identify(ReadOnlySpan<char> text) => Identify(text, threadScratch ??= new LanguageIdScratch());

    /// <summary>Identifies the language of <paramref name="text"/> using caller-owned working memory.</summary>
    public LanguageGuess Identify(ReadOnlySpan<char> text, LanguageIdScratch scratch)
    {
        ArgumentNullException.ThrowIfNull(scratch);
        var clean = TextCleaner.Clean(text, scratch);
        if (clean.Script == Script.None)
        {
            return LanguageGuess.None;
        }

        var minimum = ScriptInfo.IsDense(clean.Script) ? Data.MinLettersDense : Data.MinLetters;
        var allowed = candidates[(int)clean.Script];
        if (clean.Letters < minimum || allowed.Length == 0)
        {
            return LanguageGuess.None;
        }

        if (allowed.Length == 1)
        {
            return new LanguageGuess(labels[allowed[0]], 1f, null, 0f);
        }

        var count = FeatureHasher.Extract(scratch, clean.Script, Data.Config, scratch.Features);
        if (count == 0)
        {
            return LanguageGuess.None;
        }

        var scores = scratch.Scores;
        ComputeLogits(scratch.Features.AsSpan(0, count), scores);
        var (best, bestP, second, secondP) = Softmax(scores, allowed, Data.Temperature);
        if (second >= 0)
        {
            (best, bestP, second, secondP) = ResolvePair(scratch.Features.AsSpan(0, count), best, bestP, second, secondP);
        }

        if (bestP < Data.Threshold)
        {
            return new LanguageGuess(LanguageGuess.Undetermined, bestP, labels[best], bestP);
        }

        return new LanguageGuess(labels[best], bestP, second >= 0 ? labels[second] : null, secondP);
    }

    internal int[] CandidatesFor(Script script) => candidates[(int)script];

    /// <summary>When the top two form a pair with its own model, that model decides their order and split.</summary>
    internal (int Best, float BestP, int Second, float SecondP) ResolvePair(ReadOnlySpan<int> features, int best, float bestP, int second, float secondP)
    {
        foreach (var pair in Data.Pairs)
        {
            if ((pair.First == best && pair.Second == second) || (pair.First == second && pair.Second == best))
            {
                var mass = bestP + secondP;
                var first = mass / (1f + MathF.Exp(-pair.Score(features)));
                var other = mass - first;
                return first >= other ? (pair.First, first, pair.Second, other) : (pair.Second, other, pair.First, first);
            }
        }

        return (best, bestP, second, secondP);
    }

    /// <summary>Raw logits (before temperature) for every label slot: bias + (sum of rows) / sqrt(count).</summary>
    /// <remarks>
    /// Every path adds the rows in the same order with a separate multiply and add (no fused multiply-add), so the
    /// logits are bit-identical whichever instruction set runs them and training stays byte-deterministic.
    /// </remarks>
    internal void ComputeLogits(ReadOnlySpan<int> features, Span<float> scores) => ComputeLogits(features, scores, allowAvx512: true);

    /// <summary>As above; <paramref name="allowAvx512"/> false forces the portable path (tests compare the two).</summary>
    internal void ComputeLogits(ReadOnlySpan<int> features, Span<float> scores, bool allowAvx512)
    {
        var stride = Data.Stride;
        var acc = scores[..stride];
        if (allowAvx512 && stride == 48 && Avx512F.IsSupported)
        {
            Accumulate48Avx512(features, acc);
        }
        else
        {
            AccumulateVector128(features, acc);
        }

        var inv = 1f / MathF.Sqrt(features.Length);
        for (var l = 0; l < labels.Length; l++)
        {
            acc[l] = bias[l] + (acc[l] * inv);
        }
    }

    private void Accumulate48Avx512(ReadOnlySpan<int> features, Span<float> acc)
    {
        var mask = Data.Config.BucketMask;
        ref var weightRef = ref MemoryMarshal.GetArrayDataReference(weights);
        ref var scaleRef = ref MemoryMarshal.GetArrayDataReference(ExponentScale);
        var a0 = Vector512<float>.Zero;
        var a1 = Vector512<float>.Zero;
        var a2 = Vector512<float>.Zero;
        foreach (var feature in features)
        {
            var offset = (nuint)((feature & mask) * 48);
            var scale = Vector512.Create(Unsafe.Add(ref scaleRef, (byte)Unsafe.Add(ref weightRef, offset + 47)));
            var w0 = Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.LoadUnsafe(ref weightRef, offset)));
            var w1 = Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.LoadUnsafe(ref weightRef, offset + 16)));
            var w2 = Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.LoadUnsafe(ref weightRef, offset + 32)));
            a0 = Avx512F.Add(a0, Avx512F.Multiply(w0, scale));
            a1 = Avx512F.Add(a1, Avx512F.Multiply(w1, scale));
            a2 = Avx512F.Add(a2, Avx512F.Multiply(w2, scale));
        }

        ref var accRef = ref MemoryMarshal.GetReference(acc);
        a0.StoreUnsafe(ref accRef, 0);
        a1.StoreUnsafe(ref accRef, 16);
        a2.StoreUnsafe(ref accRef, 32);
    }

    private void AccumulateVector128(ReadOnlySpan<int> features, Span<float> acc)
    {
        var stride = Data.Stride;
        var mask = Data.Config.BucketMask;
        acc.Clear();
        ref var accRef = ref MemoryMarshal.GetReference(acc);
        ref var weightRef = ref MemoryMarshal.GetArrayDataReference(weights);
        foreach (var feature in features)
        {
            var offset = (nuint)((feature & mask) * stride);
            var scale = Vector128.Create(ExponentScale[(byte)Unsafe.Add(ref weightRef, offset + (nuint)stride - 1)]);
            for (nuint k = 0; k < (nuint)stride; k += 16)
            {
                var packed = Vector128.LoadUnsafe(ref weightRef, offset + k);
                var (low, high) = Vector128.Widen(packed);
                var (a, b) = Vector128.Widen(low);
                var (c, d) = Vector128.Widen(high);
                Accumulate(ref accRef, k, a, scale);
                Accumulate(ref accRef, k + 4, b, scale);
                Accumulate(ref accRef, k + 8, c, scale);
                Accumulate(ref accRef, k + 12, d, scale);
            }
        }
    }

    internal static (int Best, float BestP, int Second, float SecondP) Softmax(Span<float> scores, int[] allowed, float temperature)
    {
        var max = float.NegativeInfinity;
        foreach (var l in allowed)
        {
            max = MathF.Max(max, scores[l]);
        }

        var sum = 0f;
        var best = -1;
        var second = -1;
        foreach (var l in allowed)
        {
            var e = MathF.Exp((scores[l] - max) / temperature);
            scores[l] = e;
            sum += e;
            if (best < 0 || e > scores[best])
            {
                second = best;
                best = l;
            }
            else if (second < 0 || e > scores[second])
            {
                second = l;
            }
        }

        return (best, scores[best] / sum, second, second >= 0 ? scores[second] / sum : 0f);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate(ref float accRef, nuint index, Vector128<int> values, Vector128<float> scale)
    {
        var sum = Vector128.LoadUnsafe(ref accRef, index) + (Vector128.ConvertToSingle(values) * scale);
        sum.StoreUnsafe(ref accRef, index);
    }

    private static float[] BuildExponentScale()
    {
        var table = new float[256];
        for (var i = 0; i < table.Length; i++)
        {
            table[i] = MathF.ScaleB(1f, i - 128);
        }

        return table;
    }

    private static LanguageIdentifier LoadEmbedded()
    {
        using var stream = typeof(LanguageIdentifier).Assembly.GetManifestResourceStream(DefaultResourceName)
            ?? throw new InvalidOperationException($"Embedded language model '{DefaultResourceName}' is missing; run the langid trainer.");
        return Load(stream);
    }
}
