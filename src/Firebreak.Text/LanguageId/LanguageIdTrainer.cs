using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Firebreak.Text.LanguageId;

/// <summary>
/// Trains the multinomial logistic regression behind <see cref="LanguageIdentifier"/>: AdaGrad SGD over hashed
/// features, single-threaded, with a seeded split and shuffle, so the same rows and seed give a byte-identical
/// model. A held-out fold fits the softmax temperature and the "und" threshold on the quantised model.
/// </summary>
public sealed class LanguageIdTrainer
{
    private const float Masked = -1e30f;
    private const float AdaGradEpsilon = 1e-6f;

    private readonly TextWriter log;

    /// <summary>Creates a trainer that reports progress to <paramref name="log"/> (none when null).</summary>
    public LanguageIdTrainer(TextWriter? log = null)
    {
        this.log = log ?? TextWriter.Null;
    }

    /// <summary>The held-out-fold evaluation of the last <see cref="Train"/> call (of the fold model, before refit).</summary>
    public LanguageIdReport? HoldoutReport { get; private set; }

    /// <summary>Trains a model on labelled rows.</summary>
    public LanguageIdentifier Train(IEnumerable<(string Lang, string Text)> rows, LanguageIdTrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        var pairBits = options.LanguagePairs.Count > 0 ? Math.Max(options.BucketBits, options.PairBucketBits) : options.BucketBits;
        var config = new FeatureConfig(options.BucketBits, options.MinN, options.MaxN, options.WordFeatures, options.WordPairFeatures, pairBits);
        var data = Featurize(rows, config, options);
        Log($"featurised {data.Count} rows ({data.Skipped} skipped), {data.Labels.Length} labels in {clock.Elapsed.TotalSeconds:F1}s");
        var allowed = ScriptCandidates(data, options);

        var order = Enumerable.Range(0, data.Count).ToArray();
        new SplitMix64((ulong)options.Seed).Shuffle(order);
        var holdoutCount = (int)(data.Count * options.HoldoutFraction);
        var holdout = order[..holdoutCount];
        var fold = order[holdoutCount..];
        Array.Sort(holdout);
        Array.Sort(fold);

        var foldModel = Fit(data, fold, allowed, config, options, holdout);
        var offsets = BalanceOffsets(data, holdout, foldModel, options);
        foldModel = new LanguageIdentifier(foldModel.Data with { Bias = AddOffsets(foldModel.Data.Bias, offsets) });
        var pairSpecs = PairSpecs(data.Labels, options);
        var pairOffsets = new float[pairSpecs.Count];
        var foldPairs = new LanguagePairModel[pairSpecs.Count];
        for (var p = 0; p < pairSpecs.Count; p++)
        {
            var (first, second) = pairSpecs[p];
            var pair = FitPair(data, fold, first, second, config, options, p);
            pairOffsets[p] = TunePairOffset(data, holdout, foldModel, pair, options.BalanceMinWeight);
            foldPairs[p] = pair with { Bias = pair.Bias + pairOffsets[p] };
        }

        foldModel = new LanguageIdentifier(foldModel.Data with { Pairs = foldPairs });
        var (temperature, threshold) = Calibrate(data, holdout, foldModel, options);
        Log($"temperature {temperature:F3}, und threshold {threshold:F3} ({clock.Elapsed.TotalSeconds:F1}s)");
        var calibrated = new LanguageIdentifier(foldModel.Data with { Temperature = temperature, Threshold = threshold });
        HoldoutReport = LanguageIdTraining.Evaluate(calibrated, holdout.Select(i => (data.Labels[data.Label[i]], data.Texts[i])));
        Log($"held-out fold accuracy {HoldoutReport.Accuracy:P2}");
        if (!options.RefitOnAllData || holdoutCount == 0)
        {
            return calibrated;
        }

        var all = Enumerable.Range(0, data.Count).ToArray();
        var full = Fit(data, all, allowed, config, options, []);
        Log($"refit on all rows done in {clock.Elapsed.TotalSeconds:F1}s");
        var fullPairs = new LanguagePairModel[pairSpecs.Count];
        for (var p = 0; p < pairSpecs.Count; p++)
        {
            var pair = FitPair(data, all, pairSpecs[p].First, pairSpecs[p].Second, config, options, p);
            fullPairs[p] = pair with { Bias = pair.Bias + pairOffsets[p] };
        }

        return new LanguageIdentifier(full.Data with
        {
            Bias = AddOffsets(full.Data.Bias, offsets), Temperature = temperature, Threshold = threshold, Pairs = fullPairs,
        });
    }

    private static List<(int First, int Second)> PairSpecs(string[] labels, LanguageIdTrainingOptions options)
    {
        var specs = new List<(int First, int Second)>();
        foreach (var spec in options.LanguagePairs)
        {
            var parts = spec.Split('-');
            var first = Array.IndexOf(labels, parts[0]);
            var second = parts.Length == 2 ? Array.IndexOf(labels, parts[1]) : -1;
            if (first >= 0 && second >= 0 && first != second)
            {
                specs.Add((first, second));
            }
        }

        return specs;
    }

    /// <summary>
    /// Binary logistic regression (AdaGrad, class-balanced, seeded shuffle) on the rows of two close languages,
    /// over the same features at <see cref="LanguageIdTrainingOptions.PairBucketBits"/> bits; int8 with one scale.
    /// </summary>
    private LanguagePairModel FitPair(
        FeaturizedRows data, int[] rows, int first, int second, FeatureConfig config, LanguageIdTrainingOptions options, int index)
    {
        var bits = Math.Min(options.PairBucketBits, Math.Max(config.BucketBits, config.HashBits));
        var mask = (1 << bits) - 1;
        var members = rows.Where(r => data.Label[r] == first || data.Label[r] == second).ToArray();
        var firstCount = members.Count(r => data.Label[r] == first);
        var firstWeight = members.Length / (2f * Math.Max(1, firstCount));
        var secondWeight = members.Length / (2f * Math.Max(1, members.Length - firstCount));
        var weights = new float[1 << bits];
        var sums = new float[1 << bits];
        float bias = 0f, biasSum = 0f;
        var lr = options.PairLearningRate;
        for (var epoch = 0; epoch < options.PairEpochs; epoch++)
        {
            new SplitMix64(((ulong)options.Seed * 0xD1B54A32D192ED03UL) + ((ulong)index << 20) + (ulong)epoch + 1).Shuffle(members);
            double loss = 0;
            foreach (var row in members)
            {
                var features = data.FeaturesOf(row);
                var inv = 1f / MathF.Sqrt(features.Length);
                var z = 0f;
                foreach (var feature in features)
                {
                    z += weights[feature & mask];
                }

                z = bias + (z * inv);
                var isFirst = data.Label[row] == first;
                var p = 1f / (1f + MathF.Exp(-z));
                var gradient = (isFirst ? firstWeight : secondWeight) * (p - (isFirst ? 1f : 0f));
                loss -= Math.Log(Math.Max(isFirst ? p : 1f - p, 1e-12f));
                biasSum += gradient * gradient;
                bias -= lr * gradient / (MathF.Sqrt(biasSum) + AdaGradEpsilon);
                var g = gradient * inv;
                foreach (var feature in features)
                {
                    var k = feature & mask;
                    sums[k] += g * g;
                    weights[k] -= lr * g / (MathF.Sqrt(sums[k]) + AdaGradEpsilon);
                }
            }

            if (epoch == options.PairEpochs - 1)
            {
                Log($"pair {data.Labels[first]}/{data.Labels[second]}: {members.Length} rows, loss {loss / Math.Max(1, members.Length):F4}");
            }
        }

        var max = weights.Max(MathF.Abs);
        var scale = max > 0f ? max / 127f : 1f;
        var quantised = new sbyte[weights.Length];
        for (var k = 0; k < weights.Length; k++)
        {
            quantised[k] = (sbyte)Math.Clamp(MathF.Round(weights[k] / scale), -127f, 127f);
        }

        return new LanguagePairModel(first, second, bits, scale, bias, quantised);
    }

    /// <summary>
    /// Intercept offset of a pair model chosen on the held-out fold with the bias-balancing objective (mean of the
    /// two languages' recalls plus <see cref="LanguageIdTrainingOptions.BalanceMinWeight"/> times the lower one),
    /// counting every held-out row of either language through the whole pipeline.
    /// </summary>
    private float TunePairOffset(FeaturizedRows data, int[] holdout, LanguageIdentifier model, LanguagePairModel pair, double minWeight)
    {
        var scores = new float[LanguageIdScratch.MaxLabels];
        var decided = new List<(float Score, bool IsFirst)>();
        int firstSupport = 0, secondSupport = 0, firstFixed = 0, secondFixed = 0;
        foreach (var row in holdout)
        {
            var label = data.Label[row];
            if (label != pair.First && label != pair.Second)
            {
                continue;
            }

            var isFirst = label == pair.First;
            firstSupport += isFirst ? 1 : 0;
            secondSupport += isFirst ? 0 : 1;
            var candidates = model.CandidatesFor((Script)data.Script[row]);
            var features = data.FeaturesOf(row);
            model.ComputeLogits(features, scores);
            int best = -1, second = -1;
            foreach (var c in candidates)
            {
                if (best < 0 || scores[c] > scores[best])
                {
                    second = best;
                    best = c;
                }
                else if (second < 0 || scores[c] > scores[second])
                {
                    second = c;
                }
            }

            if ((best == pair.First && second == pair.Second) || (best == pair.Second && second == pair.First))
            {
                decided.Add((pair.Score(features), isFirst));
            }
            else if (best == label)
            {
                firstFixed += isFirst ? 1 : 0;
                secondFixed += isFirst ? 0 : 1;
            }
        }

        double Objective(float offset, out double firstRecall, out double secondRecall)
        {
            int firstHits = firstFixed, secondHits = secondFixed;
            foreach (var (score, isFirst) in decided)
            {
                var saysFirst = score + offset >= 0f;
                firstHits += isFirst && saysFirst ? 1 : 0;
                secondHits += !isFirst && !saysFirst ? 1 : 0;
            }

            firstRecall = (double)firstHits / Math.Max(1, firstSupport);
            secondRecall = (double)secondHits / Math.Max(1, secondSupport);
            return ((firstRecall + secondRecall) / 2) + (minWeight * Math.Min(firstRecall, secondRecall));
        }

        var bestOffset = 0f;
        var bestValue = Objective(0f, out var r1, out var r2);
        Log($"pair {data.Labels[pair.First]}/{data.Labels[pair.Second]} held-out: {decided.Count} decided, recall {r1:P2} / {r2:P2} at offset 0");
        for (var step = -150; step <= 150; step++)
        {
            var offset = step * 0.02f;
            var value = Objective(offset, out _, out _);
            if (value > bestValue + 1e-12)
            {
                bestValue = value;
                bestOffset = offset;
            }
        }

        Objective(bestOffset, out r1, out r2);
        Log($"pair {data.Labels[pair.First]}/{data.Labels[pair.Second]} offset {bestOffset:F2}: recall {r1:P2} / {r2:P2}");
        return bestOffset;
    }

    private static float[] AddOffsets(float[] bias, float[] offsets) => [.. bias.Select((b, i) => b + offsets[i])];

    /// <summary>
    /// Per-language bias offsets chosen on the held-out fold to maximise the mean per-language recall plus
    /// <see cref="LanguageIdTrainingOptions.BalanceMinWeight"/> times the lowest one (the bar is per language): texts to
    /// identify are not distributed like the training rows (small languages are rarer in train), and close pairs
    /// such as id/ms otherwise lean towards the larger one. Coordinate search, a few passes, small steps.
    /// </summary>
    private float[] BalanceOffsets(FeaturizedRows data, int[] holdout, LanguageIdentifier model, LanguageIdTrainingOptions options)
    {
        var labelCount = data.Labels.Length;
        var offsets = new float[model.Data.Stride];
        if (options.BalancePasses <= 0)
        {
            return offsets;
        }

        var rows = new List<(int[] Candidates, float[] Logits, int Label)>();
        var scores = new float[LanguageIdScratch.MaxLabels];
        var support = new int[labelCount];
        foreach (var row in holdout)
        {
            var candidates = model.CandidatesFor((Script)data.Script[row]);
            if (candidates.Length < 2 || Array.IndexOf(candidates, (int)data.Label[row]) < 0)
            {
                continue;
            }

            model.ComputeLogits(data.FeaturesOf(row), scores);
            rows.Add((candidates, [.. candidates.Select(c => scores[c])], data.Label[row]));
            support[data.Label[row]]++;
        }

        double MacroRecall()
        {
            var hits = new int[labelCount];
            foreach (var (candidates, logits, label) in rows)
            {
                var best = 0;
                for (var k = 1; k < candidates.Length; k++)
                {
                    if (logits[k] + offsets[candidates[k]] > logits[best] + offsets[candidates[best]])
                    {
                        best = k;
                    }
                }

                hits[label] += candidates[best] == label ? 1 : 0;
            }

            double sum = 0;
            var lowest = 1.0;
            var present = 0;
            for (var l = 0; l < labelCount; l++)
            {
                if (support[l] > 0)
                {
                    var recall = (double)hits[l] / support[l];
                    sum += recall;
                    lowest = Math.Min(lowest, recall);
                    present++;
                }
            }

            return (sum / Math.Max(1, present)) + (options.BalanceMinWeight * lowest);
        }

        var current = MacroRecall();
        var start = current;
        for (var pass = 0; pass < options.BalancePasses; pass++)
        {
            for (var l = 0; l < labelCount; l++)
            {
                if (support[l] == 0)
                {
                    continue;
                }

                var original = offsets[l];
                var bestOffset = original;
                foreach (var step in new[] { -0.4f, -0.2f, -0.1f, 0.1f, 0.2f, 0.4f })
                {
                    offsets[l] = original + step;
                    var value = MacroRecall();
                    if (value > current + 1e-9)
                    {
                        current = value;
                        bestOffset = offsets[l];
                    }
                }

                offsets[l] = bestOffset;
            }
        }

        Log($"bias balancing: held-out objective (macro recall + {options.BalanceMinWeight} x lowest recall) {start:F4} -> {current:F4}");
        return offsets;
    }

    private LanguageIdentifier Fit(
        FeaturizedRows data, int[] rows, bool[] allowed, FeatureConfig config, LanguageIdTrainingOptions options, int[] holdout)
    {
        var labelCount = data.Labels.Length;
        var stride = LanguageIdModelData.StrideFor(labelCount);
        var width = Vector<float>.Count;
        if (stride % width != 0)
        {
            throw new InvalidOperationException($"Row stride {stride} is not a multiple of the vector width {width}.");
        }

        // Weights and AdaGrad sums interleaved per bucket ([w x stride | g x stride]) so an update touches one block.
        var parameters = new float[(long)config.Buckets * 2 * stride];
        var bias = new float[stride];
        var biasSums = new float[stride];
        var masks = ScriptMasks(allowed, labelCount, stride);
        var classWeights = ClassWeights(data, rows, labelCount, options.ClassWeightPower);
        var scores = new float[stride];
        var gradient = new float[stride];
        var squared = new float[stride];
        var lr = new Vector<float>(options.LearningRate);
        var epsilon = new Vector<float>(AdaGradEpsilon);
        var order = (int[])rows.Clone();
        var clock = Stopwatch.StartNew();
        for (var epoch = 0; epoch < options.Epochs; epoch++)
        {
            new SplitMix64(((ulong)options.Seed * 0x9E3779B97F4A7C15UL) + (ulong)epoch + 1).Shuffle(order);
            double loss = 0;
            foreach (var row in order)
            {
                var features = data.FeaturesOf(row);
                var inv = 1f / MathF.Sqrt(features.Length);
                var label = data.Label[row];
                if (masks[data.Script[row]][label] == Masked)
                {
                    continue; // Its script never answers its language (e.g. a stray Latin-only Japanese row).
                }

                ForwardLogits(parameters, stride, config.BucketMask, features, inv, bias, masks[data.Script[row]], scores);
                var max = float.NegativeInfinity;
                for (var l = 0; l < stride; l++)
                {
                    max = MathF.Max(max, scores[l]);
                }

                var sum = 0f;
                for (var l = 0; l < stride; l++)
                {
                    scores[l] = MathF.Exp(scores[l] - max);
                    sum += scores[l];
                }

                var weight = classWeights[label];
                for (var l = 0; l < stride; l++)
                {
                    var p = scores[l] / sum;
                    gradient[l] = weight * (p - (l == label ? 1f : 0f));
                }

                loss -= weight * Math.Log(Math.Max(scores[label] / sum, 1e-12f));
                AdaGradStep(bias, biasSums, gradient, options.LearningRate);
                for (var l = 0; l < stride; l++)
                {
                    gradient[l] *= inv;
                    squared[l] = gradient[l] * gradient[l];
                }

                var g = MemoryMarshal.Cast<float, Vector<float>>(gradient.AsSpan());
                var g2 = MemoryMarshal.Cast<float, Vector<float>>(squared.AsSpan());
                foreach (var feature in features)
                {
                    var block = parameters.AsSpan((int)((long)(feature & config.BucketMask) * 2 * stride), 2 * stride);
                    var w = MemoryMarshal.Cast<float, Vector<float>>(block[..stride]);
                    var s = MemoryMarshal.Cast<float, Vector<float>>(block[stride..]);
                    for (var k = 0; k < w.Length; k++)
                    {
                        var sums = s[k] + g2[k];
                        s[k] = sums;
                        w[k] -= lr * g[k] / (Vector.SquareRoot(sums) + epsilon);
                    }
                }
            }

            var message = FormattableString.Invariant($"epoch {epoch + 1}/{options.Epochs}: loss {loss / Math.Max(1, order.Length):F4}, {clock.Elapsed.TotalSeconds:F1}s");
            if (holdout.Length > 0)
            {
                message += FormattableString.Invariant($", held-out accuracy {HoldoutAccuracy(data, holdout, parameters, bias, masks, stride, config.BucketMask):P2}");
            }

            Log($"{message}");
        }

        return new LanguageIdentifier(Quantize(parameters, bias, stride, config, data.Labels, allowed, options));
    }

    private static void ForwardLogits(float[] parameters, int stride, int bucketMask, ReadOnlySpan<int> features, float inv, float[] bias, float[] mask, float[] scores)
    {
        var acc = MemoryMarshal.Cast<float, Vector<float>>(scores.AsSpan());
        acc.Clear();
        foreach (var feature in features)
        {
            var w = MemoryMarshal.Cast<float, Vector<float>>(parameters.AsSpan((int)((long)(feature & bucketMask) * 2 * stride), stride));
            for (var k = 0; k < acc.Length; k++)
            {
                acc[k] += w[k];
            }
        }

        for (var l = 0; l < stride; l++)
        {
            scores[l] = (scores[l] * inv) + bias[l] + mask[l];
        }
    }

    private static void AdaGradStep(float[] weights, float[] sums, float[] gradient, float learningRate)
    {
        for (var l = 0; l < weights.Length; l++)
        {
            sums[l] += gradient[l] * gradient[l];
            weights[l] -= learningRate * gradient[l] / (MathF.Sqrt(sums[l]) + AdaGradEpsilon);
        }
    }

    private static double HoldoutAccuracy(FeaturizedRows data, int[] holdout, float[] parameters, float[] bias, float[][] masks, int stride, int bucketMask)
    {
        var scores = new float[stride];
        var correct = 0;
        foreach (var row in holdout)
        {
            var features = data.FeaturesOf(row);
            ForwardLogits(parameters, stride, bucketMask, features, 1f / MathF.Sqrt(features.Length), bias, masks[data.Script[row]], scores);
            var best = 0;
            for (var l = 1; l < stride; l++)
            {
                if (scores[l] > scores[best])
                {
                    best = l;
                }
            }

            correct += best == data.Label[row] ? 1 : 0;
        }

        return (double)correct / Math.Max(1, holdout.Length);
    }

    /// <summary>Per-row int8 with a power-of-two scale kept in the row's spare last byte (exponent + 128).</summary>
    private static LanguageIdModelData Quantize(
        float[] parameters, float[] bias, int stride, FeatureConfig config, string[] labels, bool[] allowed, LanguageIdTrainingOptions options)
    {
        var weights = new sbyte[config.Buckets * stride];
        for (var bucket = 0; bucket < config.Buckets; bucket++)
        {
            var source = parameters.AsSpan((int)((long)bucket * 2 * stride), labels.Length);
            var max = 0f;
            foreach (var w in source)
            {
                max = MathF.Max(max, MathF.Abs(w));
            }

            var exponent = max == 0f ? -127 : Math.Clamp((int)MathF.Ceiling(MathF.Log2(max / 127f)), -127, 127);
            while (exponent < 127 && max / MathF.ScaleB(1f, exponent) > 127.5f)
            {
                exponent++;
            }

            var scale = MathF.ScaleB(1f, exponent);
            var row = weights.AsSpan(bucket * stride, stride);
            for (var l = 0; l < source.Length; l++)
            {
                row[l] = (sbyte)Math.Clamp(MathF.Round(source[l] / scale), -127f, 127f);
            }

            row[stride - 1] = unchecked((sbyte)(byte)(exponent + 128));
        }

        var finalBias = new float[stride];
        Array.Copy(bias, finalBias, labels.Length);
        return new LanguageIdModelData(
            config, labels, allowed, 1f, 0f, options.MinLetters, options.MinLettersDense, stride, finalBias, weights, []);
    }

    private (float Temperature, float Threshold) Calibrate(FeaturizedRows data, int[] holdout, LanguageIdentifier model, LanguageIdTrainingOptions options)
    {
        // Logits of the quantised model, per held-out row restricted to its script's candidates.
        var logits = new List<float[]>();
        var targets = new List<int>();
        var scores = new float[LanguageIdScratch.MaxLabels];
        foreach (var row in holdout)
        {
            var candidates = model.CandidatesFor((Script)data.Script[row]);
            var target = Array.IndexOf(candidates, (int)data.Label[row]);
            if (candidates.Length < 2 || target < 0)
            {
                continue;
            }

            model.ComputeLogits(data.FeaturesOf(row), scores);
            logits.Add([.. candidates.Select(c => scores[c])]);
            targets.Add(target);
        }

        // Golden-section search of the NLL over log T; the NLL is convex in 1/T.
        double lo = Math.Log(0.05), hi = Math.Log(20);
        var ratio = (Math.Sqrt(5) - 1) / 2;
        for (var i = 0; i < 60; i++)
        {
            var a = hi - (ratio * (hi - lo));
            var b = lo + (ratio * (hi - lo));
            if (Nll(logits, targets, Math.Exp(a)) < Nll(logits, targets, Math.Exp(b)))
            {
                hi = b;
            }
            else
            {
                lo = a;
            }
        }

        var temperature = (float)Math.Exp((lo + hi) / 2);
        var withTemperature = new LanguageIdentifier(model.Data with { Temperature = temperature, Threshold = 0f });
        var outcomes = new List<(float Confidence, bool Correct)>();
        var scratch = new LanguageIdScratch();
        foreach (var row in holdout)
        {
            var guess = withTemperature.Identify(data.Texts[row], scratch);
            if (guess.Confidence < 1f && !guess.IsUndetermined)
            {
                outcomes.Add((guess.Confidence, guess.Language == data.Labels[data.Label[row]]));
            }
        }

        return (temperature, ChooseThreshold(outcomes, options));
    }

    private static float ChooseThreshold(List<(float Confidence, bool Correct)> outcomes, LanguageIdTrainingOptions options)
    {
        outcomes.Sort((x, y) => x.Confidence.CompareTo(y.Confidence));
        var threshold = 0f;
        var correct = 0;
        for (var k = 0; k < outcomes.Count; k++)
        {
            correct += outcomes[k].Correct ? 1 : 0;
            if ((double)correct / (k + 1) <= options.RejectAccuracy)
            {
                var next = k + 1 < outcomes.Count ? outcomes[k + 1].Confidence : outcomes[k].Confidence;
                threshold = (outcomes[k].Confidence + next) / 2;
            }
        }

        return Math.Min(threshold, options.MaxThreshold);
    }

    private static double Nll(List<float[]> logits, List<int> targets, double temperature)
    {
        double total = 0;
        for (var i = 0; i < logits.Count; i++)
        {
            var z = logits[i];
            var max = z.Max();
            double sum = 0;
            foreach (var v in z)
            {
                sum += Math.Exp((v - max) / temperature);
            }

            total += Math.Log(sum) - ((z[targets[i]] - max) / temperature);
        }

        return total / Math.Max(1, logits.Count);
    }

    private static float[][] ScriptMasks(bool[] allowed, int labelCount, int stride)
    {
        var masks = new float[ScriptInfo.Count][];
        for (var s = 0; s < ScriptInfo.Count; s++)
        {
            // Training masks go by script group (kana rows compete against the Han candidates), see above.
            var group = (int)ScriptInfo.Group((Script)s);
            masks[s] = new float[stride];
            for (var l = 0; l < stride; l++)
            {
                masks[s][l] = l < labelCount && allowed[(group * labelCount) + l] ? 0f : Masked;
            }
        }

        return masks;
    }

    private static float[] ClassWeights(FeaturizedRows data, int[] rows, int labelCount, double power)
    {
        var counts = new int[labelCount];
        foreach (var row in rows)
        {
            counts[data.Label[row]]++;
        }

        var sorted = counts.Where(c => c > 0).Order().ToArray();
        var median = sorted.Length == 0 ? 1 : sorted[sorted.Length / 2];
        return [.. counts.Select(c => c == 0 ? 0f : (float)Math.Pow((double)median / c, power))];
    }

    /// <summary>A label may be answered for a script when enough of its own rows are dominated by that script.</summary>
    private bool[] ScriptCandidates(FeaturizedRows data, LanguageIdTrainingOptions options)
    {
        var labelCount = data.Labels.Length;
        var counts = new int[ScriptInfo.Count * labelCount];
        var perLabel = new int[labelCount];
        for (var row = 0; row < data.Count; row++)
        {
            counts[(data.Script[row] * labelCount) + data.Label[row]]++;
            perLabel[data.Label[row]]++;
        }

        var allowed = new bool[counts.Length];
        for (var s = 1; s < ScriptInfo.Count; s++)
        {
            for (var l = 0; l < labelCount; l++)
            {
                var count = counts[(s * labelCount) + l];
                allowed[(s * labelCount) + l] = count >= 3 && count >= options.ScriptShare * perLabel[l];
            }
        }

        // Han without kana may be Chinese or Japanese; kana rows are trained against the Han candidates too, so
        // the zh/ja decision learns from every Japanese row rather than the handful that happen to lack kana.
        for (var l = 0; l < labelCount; l++)
        {
            allowed[((int)Script.Han * labelCount) + l] |= allowed[((int)Script.Kana * labelCount) + l];
        }

        for (var s = 1; s < ScriptInfo.Count; s++)
        {
            var names = Enumerable.Range(0, labelCount).Where(l => allowed[(s * labelCount) + l]).Select(l => data.Labels[l]).ToList();
            if (names.Count > 0)
            {
                Log($"script {(Script)s}: {string.Join(' ', names)}");
            }
        }

        return allowed;
    }

    private static FeaturizedRows Featurize(IEnumerable<(string Lang, string Text)> rows, FeatureConfig config, LanguageIdTrainingOptions options)
    {
        var materialised = rows as IReadOnlyList<(string Lang, string Text)> ?? rows.ToList();
        var labels = materialised.Select(r => r.Lang).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (labels.Length is < 2 or >= LanguageIdScratch.MaxLabels)
        {
            throw new ArgumentException($"Need between 2 and {LanguageIdScratch.MaxLabels - 1} languages, got {labels.Length}.", nameof(rows));
        }

        var labelIndex = labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => (byte)p.i, StringComparer.Ordinal);
        var scratch = new LanguageIdScratch();
        var features = new List<int>(materialised.Count * 128);
        var offsets = new List<int>(materialised.Count + 1) { 0 };
        var labelOf = new List<byte>(materialised.Count);
        var scriptOf = new List<byte>(materialised.Count);
        var texts = new List<string>(materialised.Count);
        var skipped = 0;
        foreach (var (lang, text) in materialised)
        {
            var clean = TextCleaner.Clean(text, scratch);
            var minimum = ScriptInfo.IsDense(clean.Script) ? options.MinLettersDense : options.MinLetters;
            var count = clean.Script == Script.None || clean.Letters < minimum
                ? 0
                : FeatureHasher.Extract(scratch, clean.Script, config, scratch.Features);
            if (count == 0)
            {
                skipped++;
                continue;
            }

            features.AddRange(scratch.Features.AsSpan(0, count));
            offsets.Add(features.Count);
            labelOf.Add(labelIndex[lang]);
            scriptOf.Add((byte)clean.Script);
            texts.Add(text);
        }

        return new FeaturizedRows(labels, [.. features], [.. offsets], [.. labelOf], [.. scriptOf], [.. texts], skipped);
    }

    private void Log(FormattableString message) => log.WriteLine(message.ToString(CultureInfo.InvariantCulture));

    /// <summary>All rows' features in one flat array (offsets per row), so epochs do not re-hash text.</summary>
    private sealed record FeaturizedRows(string[] Labels, int[] Features, int[] Offsets, byte[] Label, byte[] Script, string[] Texts, int Skipped)
    {
        public int Count => Label.Length;

        public ReadOnlySpan<int> FeaturesOf(int row) => Features.AsSpan(Offsets[row], Offsets[row + 1] - Offsets[row]);
    }
}
