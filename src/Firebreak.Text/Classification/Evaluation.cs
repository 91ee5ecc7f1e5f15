namespace Firebreak.Text.Classification;

/// <summary>Scores a classifier on labelled data.</summary>
public static class Evaluation
{
    /// <summary>Predicts every row (with <paramref name="language"/> when given, else the row's own language)
    /// and reports <paramref name="metric"/>, per-class scores and the confusion matrix.</summary>
    public static EvaluationReport Evaluate(
        LinearClassifier classifier, IReadOnlyList<LabelledText> rows, string? language, Metric metric, string name = "dev")
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(rows);
        var labels = classifier.Labels;
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < labels.Count; i++)
        {
            index[labels[i]] = i;
        }

        var confusion = new int[labels.Count, labels.Count];
        var evaluated = new List<EvaluatedRow>(rows.Count);
        var scratch = new ClassifierScratch();
        foreach (var row in rows)
        {
            var prediction = classifier.Predict(row.Text, language ?? row.Language, scratch);
            if (!index.TryGetValue(row.Label, out var gold))
            {
                throw new ArgumentException($"Gold label '{row.Label}' is not a label of the classifier.", nameof(rows));
            }

            confusion[gold, prediction.LabelIndex]++;
            evaluated.Add(new EvaluatedRow(row.Label, prediction.Label, prediction.Confidence, row.Text));
        }

        return new EvaluationReport(name, metric, labels, confusion, evaluated);
    }

    /// <summary>Groups reports (e.g. the eight languages); the group's score is the mean of the parts'.</summary>
    public static EvaluationReport Combine(string name, IReadOnlyList<EvaluationReport> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0)
        {
            throw new ArgumentException("Nothing to combine.", nameof(parts));
        }

        var labels = parts[0].Labels;
        var confusion = new int[labels.Count, labels.Count];
        foreach (var part in parts)
        {
            for (var i = 0; i < labels.Count; i++)
            {
                for (var j = 0; j < labels.Count; j++)
                {
                    confusion[i, j] += part.Confusion[i, j];
                }
            }
        }

        return new EvaluationReport(name, parts[0].Metric, labels, confusion, [], parts, parts.Average(p => p.Score));
    }
}
