using System.Globalization;
using System.Text;

namespace Firebreak.Text.LanguageId;

/// <summary>Precision, recall and F1 for one language; Support is the number of texts labelled with it.</summary>
public sealed record LanguageMetrics(string Language, int Support, double Precision, double Recall, double F1);

/// <summary>How often texts of <paramref name="Expected"/> were answered as <paramref name="Predicted"/>.</summary>
public sealed record LanguageConfusion(string Expected, string Predicted, int Count);

/// <summary>Evaluation of a model on labelled texts; "und" answers count as wrong.</summary>
public sealed record LanguageIdReport(
    int Total,
    int Correct,
    int Undetermined,
    IReadOnlyList<LanguageMetrics> PerLanguage,
    IReadOnlyList<LanguageConfusion> TopConfusions)
{
    public double Accuracy => Total == 0 ? 0 : (double)Correct / Total;

    /// <summary>Builds the report from (expected, predicted) pairs.</summary>
    public static LanguageIdReport From(IEnumerable<(string Expected, string Predicted)> outcomes, int topConfusions = 20)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var support = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var predicted = new Dictionary<string, int>(StringComparer.Ordinal);
        var hits = new Dictionary<string, int>(StringComparer.Ordinal);
        var confusions = new Dictionary<(string, string), int>();
        int total = 0, correct = 0, undetermined = 0;
        foreach (var (expected, answer) in outcomes)
        {
            total++;
            support[expected] = support.GetValueOrDefault(expected) + 1;
            predicted[answer] = predicted.GetValueOrDefault(answer) + 1;
            if (answer == LanguageGuess.Undetermined)
            {
                undetermined++;
            }

            if (expected == answer)
            {
                correct++;
                hits[expected] = hits.GetValueOrDefault(expected) + 1;
            }
            else
            {
                confusions[(expected, answer)] = confusions.GetValueOrDefault((expected, answer)) + 1;
            }
        }

        var perLanguage = support.Select(pair =>
        {
            var tp = hits.GetValueOrDefault(pair.Key);
            var p = predicted.GetValueOrDefault(pair.Key);
            var precision = p == 0 ? 0 : (double)tp / p;
            var recall = (double)tp / pair.Value;
            var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            return new LanguageMetrics(pair.Key, pair.Value, precision, recall, f1);
        }).ToList();

        var top = confusions
            .OrderByDescending(pair => pair.Value)
            .ThenBy(pair => pair.Key.Item1, StringComparer.Ordinal)
            .ThenBy(pair => pair.Key.Item2, StringComparer.Ordinal)
            .Take(topConfusions)
            .Select(pair => new LanguageConfusion(pair.Key.Item1, pair.Key.Item2, pair.Value))
            .ToList();
        return new LanguageIdReport(total, correct, undetermined, perLanguage, top);
    }

    /// <summary>A plain-text table: overall accuracy, per-language metrics sorted by recall, top confusions.</summary>
    public string Format()
    {
        var culture = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(culture, $"accuracy {Accuracy:P2} ({Correct}/{Total}), und {Undetermined}");
        text.AppendLine("lang  support  precision  recall  f1");
        foreach (var m in PerLanguage.OrderBy(m => m.Recall).ThenBy(m => m.Language, StringComparer.Ordinal))
        {
            text.AppendLine(culture, $"{m.Language,-5} {m.Support,7}  {m.Precision,9:P1}  {m.Recall,6:P1}  {m.F1:F3}");
        }

        text.AppendLine("top confusions (expected -> predicted: count)");
        foreach (var c in TopConfusions)
        {
            text.AppendLine(culture, $"  {c.Expected} -> {c.Predicted}: {c.Count}");
        }

        return text.ToString();
    }
}
