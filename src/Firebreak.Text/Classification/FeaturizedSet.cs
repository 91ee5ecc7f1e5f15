namespace Firebreak.Text.Classification;

/// <summary>
/// Examples featurized once into compressed sparse rows, so cross-validation and hyper-parameter search do not
/// re-tokenize for every fold and setting.
/// </summary>
internal sealed class FeaturizedSet
{
    private FeaturizedSet(int[] offsets, int[] ids, float[] values, int[] gold, float[] weights, string[] labels)
    {
        Offsets = offsets;
        Ids = ids;
        Values = values;
        Gold = gold;
        RowWeights = weights;
        Labels = labels;
    }

    public int[] Offsets { get; }

    public int[] Ids { get; }

    public float[] Values { get; }

    public int[] Gold { get; }

    public float[] RowWeights { get; }

    public string[] Labels { get; }

    public int Count => Gold.Length;

    public static FeaturizedSet Build(IReadOnlyList<LabelledText> rows, IReadOnlyList<string> labels, FeaturizerOptions options)
    {
        var featurizer = new TextFeaturizer(options);
        var scratch = new ClassifierScratch();
        var labelIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < labels.Count; i++)
        {
            labelIndex[labels[i]] = i;
        }

        var offsets = new int[rows.Count + 1];
        var gold = new int[rows.Count];
        var weights = new float[rows.Count];
        var ids = new List<int>(rows.Count * 256);
        var values = new List<float>(rows.Count * 256);
        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            gold[r] = labelIndex.TryGetValue(row.Label, out var g)
                ? g
                : throw new ArgumentException($"Row {r} has label '{row.Label}' outside the label set.", nameof(rows));
            weights[r] = row.Weight;
            var count = featurizer.Featurize(row.Text, row.Language, scratch);
            ids.AddRange(scratch.Ids.AsSpan(0, count));
            values.AddRange(scratch.Values.AsSpan(0, count));
            offsets[r + 1] = ids.Count;
        }

        return new FeaturizedSet(offsets, [.. ids], [.. values], gold, weights, [.. labels]);
    }
}
