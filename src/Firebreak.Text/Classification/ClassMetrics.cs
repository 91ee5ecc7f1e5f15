namespace Firebreak.Text.Classification;

/// <summary>Per-class precision, recall and F1 from a confusion matrix (rows gold, columns predicted).</summary>
public sealed class ClassMetrics
{
    private ClassMetrics(double[] precision, double[] recall, double[] f1)
    {
        Precision = precision;
        Recall = recall;
        F1 = f1;
    }

    /// <summary>Precision per class (0 when the class is never predicted, as scikit-learn does).</summary>
    public IReadOnlyList<double> Precision { get; }

    /// <summary>Recall per class.</summary>
    public IReadOnlyList<double> Recall { get; }

    /// <summary>F1 per class.</summary>
    public IReadOnlyList<double> F1 { get; }

    /// <summary>Computes the metrics of a square confusion matrix.</summary>
    public static ClassMetrics FromConfusion(int[,] confusion)
    {
        ArgumentNullException.ThrowIfNull(confusion);
        var k = confusion.GetLength(0);
        var precision = new double[k];
        var recall = new double[k];
        var f1 = new double[k];
        for (var c = 0; c < k; c++)
        {
            double truePositive = confusion[c, c], predicted = 0, actual = 0;
            for (var o = 0; o < k; o++)
            {
                predicted += confusion[o, c];
                actual += confusion[c, o];
            }

            precision[c] = predicted > 0 ? truePositive / predicted : 0;
            recall[c] = actual > 0 ? truePositive / actual : 0;
            f1[c] = precision[c] + recall[c] > 0 ? 2 * precision[c] * recall[c] / (precision[c] + recall[c]) : 0;
        }

        return new ClassMetrics(precision, recall, f1);
    }

    /// <summary>The macro average named by <paramref name="metric"/>, in [0, 1].</summary>
    public double Score(Metric metric) => metric switch
    {
        Metric.MacroRecall => Recall.Average(),
        Metric.MacroF1 => F1.Average(),
        _ => throw new ArgumentOutOfRangeException(nameof(metric)),
    };
}
