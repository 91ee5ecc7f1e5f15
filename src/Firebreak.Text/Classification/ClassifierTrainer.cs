namespace Firebreak.Text.Classification;

/// <summary>
/// Trains <see cref="LinearClassifier"/>s: multinomial logistic regression with class-balanced loss weights,
/// sparse L2, AdaGrad, seeded shuffling and averaging of the last epochs' weights. Single-threaded and
/// deterministic: the same rows, options and seed give a byte-identical model file.
/// </summary>
public sealed class ClassifierTrainer
{
    /// <summary>Creates a trainer with the given hyper-parameters.</summary>
    public ClassifierTrainer(TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Features.Validate();
        Options = options;
    }

    /// <summary>The hyper-parameters.</summary>
    public TrainingOptions Options { get; }

    /// <summary>Trains on all rows. <paramref name="labels"/> fixes the label order (default: sorted ordinally).
    /// The result is uncalibrated (temperature 1, no threshold); see <see cref="ClassifierTraining"/>.</summary>
    public LinearClassifier Train(IReadOnlyList<LabelledText> rows, IReadOnlyList<string>? labels = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var labelSet = labels ?? DefaultLabels(rows);
        var data = FeaturizedSet.Build(rows, labelSet, Options.Features);
        return Train(data, AllIndices(data.Count));
    }

    /// <summary>
    /// k-fold cross-validation: returns out-of-fold logits for every row. Folds are a seeded shuffle, so they
    /// are the same on every run.
    /// </summary>
    public CrossValidationResult CrossValidate(IReadOnlyList<LabelledText> rows, int folds, IReadOnlyList<string>? labels = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var labelSet = labels ?? DefaultLabels(rows);
        return CrossValidate(FeaturizedSet.Build(rows, labelSet, Options.Features), folds);
    }

    internal CrossValidationResult CrossValidate(FeaturizedSet data, int folds)
    {
        if (folds < 2 || folds > data.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(folds), folds, "Expected 2..row count.");
        }

        var k = data.Labels.Length;
        var order = AllIndices(data.Count);
        Shuffle(order, new SplitMix64((ulong)Options.Seed ^ 0xF01D5EEDUL));
        var fold = new int[data.Count];
        for (var i = 0; i < order.Length; i++)
        {
            fold[order[i]] = i % folds;
        }

        var logits = new float[data.Count * k];
        var scratch = new ClassifierScratch();
        for (var f = 0; f < folds; f++)
        {
            var train = Enumerable.Range(0, data.Count).Where(i => fold[i] != f).ToArray();
            var model = Train(data, train);
            for (var i = 0; i < data.Count; i++)
            {
                if (fold[i] == f)
                {
                    LoadRow(data, i, scratch);
                    model.ComputeLogits(scratch, logits.AsSpan(i * k, k));
                }
            }
        }

        return new CrossValidationResult(data.Labels, data.Gold, logits);
    }

    internal static void LoadRow(FeaturizedSet data, int row, ClassifierScratch scratch)
    {
        var start = data.Offsets[row];
        var count = data.Offsets[row + 1] - start;
        scratch.EnsureFeatures(count);
        data.Ids.AsSpan(start, count).CopyTo(scratch.Ids);
        data.Values.AsSpan(start, count).CopyTo(scratch.Values);
        scratch.Count = count;
    }

    internal LinearClassifier Train(FeaturizedSet data, int[] rows)
    {
        var o = Options;
        var k = data.Labels.Length;
        var buckets = o.Features.Buckets;
        var weights = new float[buckets * k];
        var squares = new float[buckets * k];
        var bias = new float[k];
        var biasSquares = new float[k];
        var average = new double[buckets * k];
        var averageBias = new double[k];
        var averaged = 0;
        var classWeight = ClassWeights(data, rows, k, o.ClassWeighting);
        var order = (int[])rows.Clone();
        var random = new SplitMix64((ulong)o.Seed);
        var z = new float[k];
        var p = new float[k];
        var g = new float[k];
        var scale = o.NbScaling > 0 ? NbScales(data, rows, k, buckets, o.NbScaling) : null;
        var firstAveraged = Math.Min(o.Epochs - 1, (int)MathF.Floor(o.Epochs * (1f - o.AverageFraction)));
        const float Epsilon = 1e-6f;
        for (var epoch = 0; epoch < o.Epochs; epoch++)
        {
            Shuffle(order, random);
            foreach (var r in order)
            {
                var start = data.Offsets[r];
                var end = data.Offsets[r + 1];
                bias.CopyTo(z, 0);
                for (var j = start; j < end; j++)
                {
                    var row = data.Ids[j] * k;
                    var v = data.Values[j];
                    if (scale is null)
                    {
                        for (var c = 0; c < k; c++)
                        {
                            z[c] += v * weights[row + c];
                        }
                    }
                    else
                    {
                        for (var c = 0; c < k; c++)
                        {
                            z[c] += v * scale[row + c] * weights[row + c];
                        }
                    }
                }

                LinearClassifier.Softmax(z, 1f, p);
                var y = data.Gold[r];
                var rowWeight = data.RowWeights[r] * classWeight[y];
                for (var c = 0; c < k; c++)
                {
                    g[c] = rowWeight * (p[c] - (c == y ? 1f : 0f));
                    biasSquares[c] += g[c] * g[c];
                    bias[c] -= o.LearningRate * g[c] / (MathF.Sqrt(biasSquares[c]) + Epsilon);
                }

                for (var j = start; j < end; j++)
                {
                    var row = data.Ids[j] * k;
                    var v = data.Values[j];
                    for (var c = 0; c < k; c++)
                    {
                        var index = row + c;
                        var x = scale is null ? v : v * scale[index];
                        var gradient = (g[c] * x) + (o.L2 * weights[index]);
                        squares[index] += gradient * gradient;
                        weights[index] -= o.LearningRate * gradient / (MathF.Sqrt(squares[index]) + Epsilon);
                    }
                }
            }

            if (epoch >= firstAveraged)
            {
                for (var i = 0; i < weights.Length; i++)
                {
                    average[i] += weights[i];
                }

                for (var c = 0; c < k; c++)
                {
                    averageBias[c] += bias[c];
                }

                averaged++;
            }
        }

        for (var i = 0; i < weights.Length; i++)
        {
            // NB scales are folded into the weights: the saved model scores plain features.
            weights[i] = (float)(average[i] / averaged) * (scale?[i] ?? 1f);
        }

        for (var c = 0; c < k; c++)
        {
            bias[c] = (float)(averageBias[c] / averaged);
        }

        return new LinearClassifier(o.ModelName, data.Labels, o.Features, weights, bias, 1f, null);
    }

    /// <summary>Per (bucket, label) NB scale (1 − β) + β·|r| from the log-count ratios of the training rows
    /// (feature occurrences times row weight, add-one smoothing). Binary: one ratio (label 1 vs label 0) for both labels;
    /// multi-class: one-vs-rest per label.</summary>
    private static float[] NbScales(FeaturizedSet data, int[] rows, int k, int buckets, float beta)
    {
        var counts = new float[buckets * k];
        var totals = new double[k];
        foreach (var r in rows)
        {
            var y = data.Gold[r];
            var weight = data.RowWeights[r];
            for (var j = data.Offsets[r]; j < data.Offsets[r + 1]; j++)
            {
                counts[(data.Ids[j] * k) + y] += weight;
                totals[y] += weight;
            }
        }

        var all = totals.Sum();
        var scale = new float[buckets * k];
        const double Alpha = 1;
        for (var b = 0; b < buckets; b++)
        {
            var row = b * k;
            var sum = 0.0;
            for (var c = 0; c < k; c++)
            {
                sum += counts[row + c];
            }

            for (var c = 0; c < k; c++)
            {
                double ratio;
                if (k == 2)
                {
                    ratio = Math.Log((counts[row + 1] + Alpha) / (totals[1] + (Alpha * buckets)))
                        - Math.Log((counts[row] + Alpha) / (totals[0] + (Alpha * buckets)));
                }
                else
                {
                    ratio = Math.Log((counts[row + c] + Alpha) / (totals[c] + (Alpha * buckets)))
                        - Math.Log((sum - counts[row + c] + Alpha) / (all - totals[c] + (Alpha * buckets)));
                }

                scale[row + c] = (float)((1 - beta) + (beta * Math.Abs(ratio)));
            }
        }

        return scale;
    }

    private static float[] ClassWeights(FeaturizedSet data, int[] rows, int k, ClassWeighting weighting)
    {
        var weights = new float[k];
        Array.Fill(weights, 1f);
        if (weighting == ClassWeighting.None)
        {
            return weights;
        }

        var counts = new double[k];
        foreach (var r in rows)
        {
            counts[data.Gold[r]] += data.RowWeights[r];
        }

        var total = counts.Sum();
        var present = counts.Count(c => c > 0);
        for (var c = 0; c < k; c++)
        {
            weights[c] = counts[c] > 0 ? (float)(total / (present * counts[c])) : 1f;
        }

        return weights;
    }

    private static string[] DefaultLabels(IReadOnlyList<LabelledText> rows) =>
        [.. rows.Select(r => r.Label).Distinct().Order(StringComparer.Ordinal)];

    private static int[] AllIndices(int count) => [.. Enumerable.Range(0, count)];

    private static void Shuffle(int[] items, SplitMix64 random)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = random.NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>A tiny PRNG with a fixed algorithm, so shuffles never change with the runtime version.</summary>
    private sealed class SplitMix64(ulong seed)
    {
        private ulong _state = seed;

        public int NextInt(int bound)
        {
            _state += 0x9E3779B97F4A7C15UL;
            var z = _state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (int)(z % (ulong)bound);
        }
    }
}
