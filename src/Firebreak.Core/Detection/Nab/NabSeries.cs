namespace Firebreak.Core.Detection.Nab;

/// <summary>A labelled anomaly window as row indexes of its file, both ends inclusive.</summary>
public readonly record struct NabWindow(int FirstRow, int LastRow)
{
    public int Length => LastRow - FirstRow + 1;
}

/// <summary>
/// One NAB data file: its rows in time order and its labelled windows. <see cref="RelativePath"/> is the
/// key of combined_windows.json (<c>folder/file.csv</c>, forward slashes).
/// </summary>
public sealed class NabSeries(string relativePath, DateTime[] timestamps, string[] timestampTexts, double[] values, string[] valueTexts, IReadOnlyList<NabWindow> windows)
{
    public string RelativePath { get; } = relativePath;

    /// <summary>Row times, read as UTC (NAB files carry no zone).</summary>
    public DateTime[] Timestamps { get; } = timestamps;

    /// <summary>Row times as written in the file, so result files repeat them exactly.</summary>
    public string[] TimestampTexts { get; } = timestampTexts;

    public double[] Values { get; } = values;

    /// <summary>Values as written in the file.</summary>
    public string[] ValueTexts { get; } = valueTexts;

    public IReadOnlyList<NabWindow> Windows { get; } = windows;

    public int Count => Values.Length;

    /// <summary>Rows NAB does not score: the first 15% of the file, at most 750 rows (NAB's 15% of 5,000).</summary>
    public int ProbationRows => ProbationLength(Count);

    public static int ProbationLength(int rows) => (int)Math.Min(Math.Floor(0.15 * rows), 0.15 * 5000);

    /// <summary>True when the row lies inside a labelled window (NAB's <c>label</c> column).</summary>
    public bool IsLabelled(int row)
    {
        foreach (var window in Windows)
        {
            if (row >= window.FirstRow && row <= window.LastRow)
            {
                return true;
            }
        }

        return false;
    }
}
