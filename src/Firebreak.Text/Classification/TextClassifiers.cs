using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Firebreak.Text.Classification;

/// <summary>
/// The four shipped classifiers (sentiment, offensive, hate, emotion) scored together: the text is featurized
/// once and every model reads its weights from interleaved tables, so one hashed feature costs one or two
/// cache-line reads instead of one per model. Predictions equal those of each model's own
/// <see cref="LinearClassifier.Predict"/> up to float summation order. Immutable and thread-safe; each thread
/// passes its own <see cref="ClassifierScratch"/>, and nothing is allocated per text after warm-up.
/// </summary>
/// <remarks>
/// Sharing needs the models to agree on tokenization and n-gram ranges (<see cref="FeaturizerOptions"/> other
/// than <see cref="FeaturizerOptions.BucketBits"/>, <see cref="FeaturizerOptions.LanguageWordFeatures"/>,
/// <see cref="FeaturizerOptions.ExtraFeatures"/> and <see cref="FeaturizerOptions.CharWeight"/>): the text is
/// hashed at the largest bucket count, which masks down exactly to each smaller one, language copies are skipped
/// by models without them, extra features (emitted last, outside the block norms) are added only to the models
/// that use them, and each model rebuilds its own block normalisation from the block sizes. Models that disagree
/// are scored one by one.
/// </remarks>
public sealed class TextClassifiers
{
    private readonly LinearClassifier[] _models;
    private readonly TextFeaturizer? _shared;
    private readonly Group[] _groups;

    /// <summary>Combines the four models; <see cref="PredictAll"/> answers in this order.</summary>
    public TextClassifiers(LinearClassifier sentiment, LinearClassifier offensive, LinearClassifier hate, LinearClassifier emotion)
        : this([sentiment, offensive, hate, emotion])
    {
    }

    /// <summary>Combines any models (at least one); <see cref="PredictAll"/> answers in list order.</summary>
    public TextClassifiers(IReadOnlyList<LinearClassifier> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        if (models.Count == 0)
        {
            throw new ArgumentException("Expected at least one model.", nameof(models));
        }

        _models = [.. models];
        foreach (var model in _models)
        {
            ArgumentNullException.ThrowIfNull(model, nameof(models));
        }

        var first = _models[0].Options;
        var compatible = _models.All(m => m.Options.MinCharN == first.MinCharN && m.Options.MaxCharN == first.MaxCharN
            && m.Options.WordBigrams == first.WordBigrams && m.Options.MaxInputChars == first.MaxInputChars);
        if (!compatible)
        {
            _groups = [];
            return;
        }

        _shared = new TextFeaturizer(first with
        {
            BucketBits = _models.Max(m => m.Options.BucketBits),
            LanguageWordFeatures = _models.Any(m => m.Options.LanguageWordFeatures),
            CharWeight = 1f,
            ExtraFeatures = _models.Aggregate(ExtraFeatures.None, (all, m) => all | m.Options.ExtraFeatures),
        });
        _groups = [.. Enumerable.Range(0, _models.Length)
            .GroupBy(i => (_models[i].Options.BucketBits, _models[i].Options.LanguageWordFeatures))
            .Select(g => new Group(_models, [.. g], g.Key.BucketBits, g.Key.LanguageWordFeatures))];
    }

    /// <summary>The models, in <see cref="PredictAll"/> order.</summary>
    public IReadOnlyList<LinearClassifier> Models => _models;

    /// <summary>Whether the models share one featurization (else each featurizes on its own).</summary>
    public bool SharesFeaturization => _shared is not null;

    /// <summary>Loads the shipped sentiment, offensive, hate and emotion models, in that order.</summary>
    public static TextClassifiers LoadDefault() => new([.. TextTasks.Models.Select(LinearClassifier.LoadDefault)]);

    /// <summary>
    /// Classifies <paramref name="text"/> with every model; <paramref name="results"/> (at least
    /// <see cref="Models"/>.Count long) receives one prediction per model, in model order. Their
    /// <see cref="Prediction.Probabilities"/> view the scratch and are overwritten by the next call with it.
    /// </summary>
    public void PredictAll(ReadOnlySpan<char> text, string? language, ClassifierScratch scratch, Span<Prediction> results)
    {
        ArgumentNullException.ThrowIfNull(scratch);
        if (results.Length < _models.Length)
        {
            throw new ArgumentException($"Expected room for {_models.Length} predictions.", nameof(results));
        }

        var slots = _models.Length * LinearClassifier.MaxLabels;
        if (scratch.SetProbabilities.Length < slots)
        {
            scratch.SetProbabilities = new float[slots];
        }

        if (_shared is null)
        {
            for (var m = 0; m < _models.Length; m++)
            {
                var model = _models[m];
                var logits = scratch.Logits.AsSpan(0, model.Labels.Count);
                model.Featurizer.Featurize(text, language, scratch);
                model.ComputeLogits(scratch, logits);
                results[m] = model.Decide(logits, scratch.SetProbabilities, m * LinearClassifier.MaxLabels);
            }

            return;
        }

        _shared.Featurize(text, language, scratch, withNames: false, withValues: false);
        foreach (var group in _groups)
        {
            group.Score(_models, scratch, results);
        }
    }

    /// <summary>Models with the same bucket count and language features, weights interleaved per bucket.</summary>
    private sealed class Group
    {
        private readonly int[] _members;
        private readonly int[] _columns;
        private readonly int[] _widths;
        private readonly int _stride;
        private readonly uint _mask;
        private readonly bool _language;
        private readonly ExtraFeatures[] _extras; // per member
        private readonly bool _anyExtras;
        private readonly ushort[] _table; // float16 bits: the precision models are stored with, half the cache

        public Group(LinearClassifier[] models, int[] members, int bucketBits, bool language)
        {
            _members = members;
            _language = language;
            _extras = [.. members.Select(m => models[m].Options.ExtraFeatures)];
            _anyExtras = _extras.Any(e => e != ExtraFeatures.None);
            _mask = (1u << bucketBits) - 1;
            _columns = new int[members.Length];
            _widths = new int[members.Length];
            var width = 0;
            for (var i = 0; i < members.Length; i++)
            {
                _columns[i] = width;
                _widths[i] = models[members[i]].Labels.Count;
                width += _widths[i];
            }

            // Rows padded to whole 128-bit vectors, so a row never straddles more cache lines than it must.
            _stride = (width + 3) & ~3;
            var buckets = 1 << bucketBits;
            _table = new ushort[buckets * _stride];
            for (var i = 0; i < members.Length; i++)
            {
                var model = models[members[i]];
                var k = model.Labels.Count;
                var weights = model.Weights;
                for (var b = 0; b < buckets; b++)
                {
                    for (var c = 0; c < k; c++)
                    {
                        _table[(b * _stride) + _columns[i] + c] = BitConverter.HalfToUInt16Bits((Half)weights[(b * k) + c]);
                    }
                }
            }
        }

        public void Score(LinearClassifier[] models, ClassifierScratch s, Span<Prediction> results)
        {
            var sums = s.SetSums;
            if (sums.Length < _stride * 2)
            {
                sums = s.SetSums = new float[_stride * 2];
            }

            Accumulate(s, sums);
            var words = s.WordFeatureCount - (_language ? 0 : s.LanguageFeatureCount);
            var wordScale = words > 0 ? 1f / MathF.Sqrt(words) : 0f;
            var charBase = s.CharFeatureCount > 0 ? 1f / MathF.Sqrt(s.CharFeatureCount) : 0f;
            for (var i = 0; i < _members.Length; i++)
            {
                var m = _members[i];
                var model = models[m];
                var k = model.Labels.Count;
                var charScale = charBase * model.Options.CharWeight;
                var logits = s.Logits.AsSpan(0, k);
                var bias = model.Bias;
                var column = _columns[i];
                for (var c = 0; c < k; c++)
                {
                    logits[c] = bias[c] + (wordScale * sums[column + c]) + (charScale * sums[_stride + column + c]);
                }

                results[m] = model.Decide(logits, s.SetProbabilities, m * LinearClassifier.MaxLabels);
            }
        }

        /// <summary>Sums the weight rows of the features, word block into sums[0..stride), character block
        /// into sums[stride..2·stride).</summary>
        private void Accumulate(ClassifierScratch s, float[] sums)
        {
            ref var table = ref MemoryMarshal.GetArrayDataReference(_table);
            var ids = s.Ids;
            var families = s.Family;
            // Extra features (lexicon, unmasked words) come last and only some members read them: they are
            // added member by member below, so the hot loop stays as it is.
            var count = s.ExtraStart;
            var mask = _mask;
            var skipLanguage = !_language;
            if (_stride == 4 || _stride == 8)
            {
                var word0 = Vector128<float>.Zero;
                var word1 = Vector128<float>.Zero;
                var char0 = Vector128<float>.Zero;
                var char1 = Vector128<float>.Zero;
                var wide = _stride == 8;
                for (var i = 0; i < count; i++)
                {
                    var family = families[i];
                    if (skipLanguage && IsLanguage(family))
                    {
                        continue;
                    }

                    var row = (nuint)(((uint)ids[i] & mask) * (uint)_stride);
                    Vector128<float> w0;
                    var w1 = Vector128<float>.Zero;
                    if (wide)
                    {
                        var (lower, upper) = Vector128.Widen(Vector128.LoadUnsafe(ref table, row));
                        w0 = HalfToSingle(lower);
                        w1 = HalfToSingle(upper);
                    }
                    else
                    {
                        var bits = Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<ushort, byte>(ref Unsafe.Add(ref table, row)));
                        w0 = HalfToSingle(Vector128.WidenLower(Vector128.CreateScalarUnsafe(bits).AsUInt16()));
                    }

                    if (family == FeatureFamily.Char)
                    {
                        char0 += w0;
                        char1 += w1;
                    }
                    else
                    {
                        word0 += w0;
                        word1 += w1;
                    }
                }

                word0.CopyTo(sums.AsSpan(0));
                char0.CopyTo(sums.AsSpan(_stride));
                if (wide)
                {
                    word1.CopyTo(sums.AsSpan(4));
                    char1.CopyTo(sums.AsSpan(_stride + 4));
                }

                AccumulateExtras(s, sums);
                return;
            }

            var all = sums.AsSpan(0, _stride * 2);
            all.Clear();
            for (var i = 0; i < count; i++)
            {
                var family = families[i];
                if (skipLanguage && IsLanguage(family))
                {
                    continue;
                }

                var row = (int)((uint)ids[i] & mask) * _stride;
                var target = family == FeatureFamily.Char ? _stride : 0;
                for (var j = 0; j < _stride; j++)
                {
                    all[target + j] += (float)BitConverter.UInt16BitsToHalf(_table[row + j]);
                }
            }

            AccumulateExtras(s, sums);
        }

        /// <summary>Adds the extra features (lexicon, unmasked words) to the word sums of the members that use
        /// them.</summary>
        private void AccumulateExtras(ClassifierScratch s, float[] sums)
        {
            if (!_anyExtras)
            {
                return;
            }

            for (var i = s.ExtraStart; i < s.Count; i++)
            {
                var needed = s.Family[i] == FeatureFamily.Lexicon ? ExtraFeatures.Lexicon : ExtraFeatures.Deobfuscated;
                var row = (int)((uint)s.Ids[i] & _mask) * _stride;
                for (var m = 0; m < _members.Length; m++)
                {
                    if ((_extras[m] & needed) != 0)
                    {
                        var column = _columns[m];
                        for (var c = 0; c < _widths[m]; c++)
                        {
                            sums[column + c] += (float)BitConverter.UInt16BitsToHalf(_table[row + column + c]);
                        }
                    }
                }
            }
        }

        /// <summary>Exact float16 → float32 for finite values, four at a time: move exponent and mantissa into
        /// place and rescale by 2^112 (which also turns float16 subnormals and zero into the right floats), then
        /// restore the sign.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector128<float> HalfToSingle(Vector128<uint> half)
        {
            var sign = (half & Vector128.Create(0x8000u)) << 16;
            var magnitude = ((half & Vector128.Create(0x7FFFu)) << 13).AsSingle() * Vector128.Create(5.192296858534828e33f);
            return (magnitude.AsUInt32() | sign).AsSingle();
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool IsLanguage(FeatureFamily family) =>
            family is FeatureFamily.WordLanguage or FeatureFamily.BigramLanguage or FeatureFamily.Language;
    }
}
