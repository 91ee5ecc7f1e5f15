using System.Globalization;
using System.Text;

namespace Firebreak.Text.Classification;

/// <summary>One evaluated example.</summary>
/// <param name="Gold">Gold label.</param>
/// <param name="Predicted">Predicted label.</param>
/// <param name="Confidence">Calibrated confidence of the prediction.</param>
/// <param name="Text">The text.</param>
public sealed record EvaluatedRow(string Gold, string Predicted, float Confidence, string Text);

/// <summary>Metric, per-class scores and confusion matrix of a classifier on a dataset (or a group of them).</summary>
public sealed class EvaluationReport
{
    internal EvaluationReport(
        string name, Metric metric, IReadOnlyList<string> labels, int[,] confusion,
        IReadOnlyList<EvaluatedRow> rows, IReadOnlyList<EvaluationReport>? parts = null, double? score = null)
    {
        Name = name;
        Metric = metric;
        Labels = labels;
        Confusion = confusion;
        Rows = rows;
        Parts = parts ?? [];
        PerClass = ClassMetrics.FromConfusion(confusion);
        Score = score ?? PerClass.Score(metric);
    }

    /// <summary>Dataset name.</summary>
    public string Name { get; }

    /// <summary>Headline metric.</summary>
    public Metric Metric { get; }

    /// <summary>Headline score in [0, 1]; for a group report, the mean of its parts' scores.</summary>
    public double Score { get; }

    /// <summary>Labels in matrix order.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>Per-class precision, recall and F1.</summary>
    public ClassMetrics PerClass { get; }

    /// <summary>Confusion matrix, rows gold, columns predicted.</summary>
    public int[,] Confusion { get; }

    /// <summary>Evaluated rows, for <see cref="WritePredictions"/>.</summary>
    public IReadOnlyList<EvaluatedRow> Rows { get; }

    /// <summary>Sub-reports (per language for multilingual sentiment; per task for a model serving several).</summary>
    public IReadOnlyList<EvaluationReport> Parts { get; }

    /// <summary>Plain-text table: headline score, per-class precision/recall/F1/support, confusion matrix.</summary>
    public string Format()
    {
        var text = new StringBuilder();
        Append(text);
        return text.ToString();
    }

    /// <summary>Writes gold, predicted, confidence, text as TSV (tabs and newlines in text become spaces).</summary>
    public void WritePredictions(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        foreach (var report in Parts.Count > 0 ? Parts : [this])
        {
            foreach (var row in report.Rows)
            {
                var clean = row.Text.Replace('\t', ' ').Replace('\n', ' ').Replace('\r', ' ');
                writer.Write(row.Gold);
                writer.Write('\t');
                writer.Write(row.Predicted);
                writer.Write('\t');
                writer.Write(row.Confidence.ToString("0.0000", CultureInfo.InvariantCulture));
                writer.Write('\t');
                writer.WriteLine(clean);
            }
        }
    }

    private void Append(StringBuilder text)
    {
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"{Name}: {Metric} = {Score * 100:F1}{(Parts.Count > 0 ? $" (mean over {Parts.Count})" : string.Empty)}");
        if (Parts.Count > 0)
        {
            foreach (var part in Parts)
            {
                part.Append(text);
            }

            return;
        }

        var width = Math.Max(10, Labels.Max(l => l.Length) + 1);
        text.AppendLine(c, $"  {"class".PadRight(width)} {"prec",6} {"recall",6} {"F1",6} {"support",7}");
        for (var i = 0; i < Labels.Count; i++)
        {
            var support = 0;
            for (var j = 0; j < Labels.Count; j++)
            {
                support += Confusion[i, j];
            }

            text.AppendLine(c, $"  {Labels[i].PadRight(width)} {PerClass.Precision[i] * 100,6:F1} {PerClass.Recall[i] * 100,6:F1} {PerClass.F1[i] * 100,6:F1} {support,7}");
        }

        text.Append(c, $"  {"gold\\pred".PadRight(width)}");
        foreach (var label in Labels)
        {
            text.Append(c, $" {Truncate(label, 9),9}");
        }

        text.AppendLine();
        for (var i = 0; i < Labels.Count; i++)
        {
            text.Append(c, $"  {Labels[i].PadRight(width)}");
            for (var j = 0; j < Labels.Count; j++)
            {
                text.Append(c, $" {Confusion[i, j],9}");
            }

            text.AppendLine();
        }
    }

    private static string Truncate(string s, int length) => s.Length <= length ? s : s[..length];
}
