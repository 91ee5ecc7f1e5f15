namespace Firebreak.Text.Classification;

/// <summary>Out-of-fold logits of a cross-validation run, and what is fitted on them.</summary>
public sealed class CrossValidationResult
{
    internal CrossValidationResult(string[] labels, int[] gold, float[] logits)
    {
        Labels = labels;
        Gold = gold;
        Logits = logits;
    }

    /// <summary>Labels in model order.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>Gold label index per row.</summary>
    public IReadOnlyList<int> Gold { get; }

    /// <summary>Out-of-fold logits, row-major (row × labels).</summary>
    public IReadOnlyList<float> Logits { get; }

    /// <summary>Predicted label of <paramref name="row"/> under an optional binary threshold.</summary>
    public int Predict(int row, float temperature = 1f, float? threshold = null)
    {
        var k = Labels.Count;
        Span<float> z = stackalloc float[k];
        Span<float> p = stackalloc float[k];
        for (var c = 0; c < k; c++)
        {
            z[c] = Logits[(row * k) + c];
        }

        LinearClassifier.Softmax(z, temperature, p);
        if (threshold is { } t && k == 2)
        {
            return p[1] >= t ? 1 : 0;
        }

        var best = 0;
        for (var c = 1; c < k; c++)
        {
            if (p[c] > p[best])
            {
                best = c;
            }
        }

        return best;
    }

    /// <summary>The metric over <paramref name="rows"/> (all rows when null).</summary>
    public double Score(Metric metric, IReadOnlyList<int>? rows = null, float? threshold = null)
    {
        var confusion = new int[Labels.Count, Labels.Count];
        foreach (var r in rows ?? Enumerable.Range(0, Gold.Count).ToArray())
        {
            confusion[Gold[r], Predict(r, 1f, threshold)]++;
        }

        return ClassMetrics.FromConfusion(confusion).Score(metric);
    }

    /// <summary>
    /// Temperature minimising the negative log-likelihood of the out-of-fold predictions (golden-section search
    /// on log T), so the confidence of the final model is honest rather than over- or under-confident.
    /// </summary>
    public float FitTemperature()
    {
        double lo = Math.Log(0.05), hi = Math.Log(20);
        var ratio = (Math.Sqrt(5) - 1) / 2;
        for (var i = 0; i < 60; i++)
        {
            var a = hi - (ratio * (hi - lo));
            var b = lo + (ratio * (hi - lo));
            if (NegativeLogLikelihood((float)Math.Exp(a)) < NegativeLogLikelihood((float)Math.Exp(b)))
            {
                hi = b;
            }
            else
            {
                lo = a;
            }
        }

        return (float)Math.Exp((lo + hi) / 2);
    }

    /// <summary>For binary tasks: the probability threshold on label 1 (at temperature
    /// <paramref name="temperature"/>) maximising <paramref name="metric"/>; ties go to the threshold nearest 0.5.</summary>
    public float FitThreshold(Metric metric, float temperature)
    {
        if (Labels.Count != 2)
        {
            throw new InvalidOperationException("Thresholds apply to binary tasks only.");
        }

        var k = Labels.Count;
        var probability = new float[Gold.Count];
        Span<float> p = stackalloc float[k];
        for (var r = 0; r < Gold.Count; r++)
        {
            var z = new[] { Logits[r * k], Logits[(r * k) + 1] };
            LinearClassifier.Softmax(z, temperature, p);
            probability[r] = p[1];
        }

        var best = 0.5f;
        var bestScore = double.NegativeInfinity;
        for (var step = 5; step <= 95; step++)
        {
            var t = step / 100f;
            var confusion = new int[2, 2];
            for (var r = 0; r < Gold.Count; r++)
            {
                confusion[Gold[r], probability[r] >= t ? 1 : 0]++;
            }

            var score = ClassMetrics.FromConfusion(confusion).Score(metric);
            if (score > bestScore + 1e-9 || (Math.Abs(score - bestScore) <= 1e-9 && Math.Abs(t - 0.5f) < Math.Abs(best - 0.5f)))
            {
                bestScore = score;
                best = t;
            }
        }

        return best;
    }

    private double NegativeLogLikelihood(float temperature)
    {
        var k = Labels.Count;
        Span<float> z = stackalloc float[k];
        Span<float> p = stackalloc float[k];
        var total = 0.0;
        for (var r = 0; r < Gold.Count; r++)
        {
            for (var c = 0; c < k; c++)
            {
                z[c] = Logits[(r * k) + c];
            }

            LinearClassifier.Softmax(z, temperature, p);
            total -= Math.Log(Math.Max(p[Gold[r]], 1e-12f));
        }

        return total / Math.Max(1, Gold.Count);
    }
}
