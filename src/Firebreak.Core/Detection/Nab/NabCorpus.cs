using System.Globalization;
using System.Text.Json;

namespace Firebreak.Core.Detection.Nab;

/// <summary>
/// Reads a folder in the Numenta Anomaly Benchmark layout: sub-folders of <c>timestamp,value</c> CSV files and
/// a <c>combined_windows.json</c> beside them mapping <c>folder/file.csv</c> to its windows
/// (<c>[[start, end], …]</c>, timestamps of rows, both ends inclusive).
/// </summary>
public static class NabCorpus
{
    public const string WindowsFile = "combined_windows.json";

    private static readonly string[] TimestampFormats =
    [
        "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm", "yyyy-MM-dd",
    ];

    /// <summary>
    /// Loads every labelled file under <paramref name="folder"/>, ordered by relative path. Files without labels
    /// and labels without files are reported in <paramref name="warnings"/>, not loaded.
    /// </summary>
    /// <exception cref="NabFormatException">The folder is not in NAB's layout, or a file is malformed.</exception>
    public static IReadOnlyList<NabSeries> Load(string folder, List<string> warnings)
    {
        ArgumentNullException.ThrowIfNull(warnings);
        if (!Directory.Exists(folder))
        {
            throw new NabFormatException($"Folder not found: {Path.GetFullPath(folder)}.");
        }

        var labelsPath = Path.Combine(folder, WindowsFile);
        if (!File.Exists(labelsPath))
        {
            throw new NabFormatException($"{Path.GetFullPath(labelsPath)} is missing: a NAB folder holds sub-folders of timestamp,value CSV files and a {WindowsFile} with their labelled windows.");
        }

        var labels = ReadWindows(labelsPath);
        var series = new List<NabSeries>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(folder, "*.csv", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(folder, file).Replace('\\', '/');
            if (!labels.TryGetValue(relative, out var windows))
            {
                warnings.Add($"{relative}: not in {WindowsFile}, skipped.");
                continue;
            }

            seen.Add(relative);
            series.Add(ReadSeries(file, relative, windows, warnings));
        }

        foreach (var missing in labels.Keys.Where(k => !seen.Contains(k)).Order(StringComparer.Ordinal))
        {
            warnings.Add($"{missing}: labelled in {WindowsFile} but no such file; its windows are not counted.");
        }

        if (series.Count == 0)
        {
            throw new NabFormatException($"No labelled CSV file under {Path.GetFullPath(folder)}: files go in sub-folders (e.g. realTraffic/speed_6005.csv) named as in {WindowsFile}.");
        }

        return series;
    }

    /// <summary>
    /// Reads one file; its windows are turned into row ranges (first row at or after the start, last at or before
    /// the end). Rows stay in file order even where a clock went back (NAB's machine_temperature does): NAB
    /// scores by row, and the detector takes them as they come.
    /// </summary>
    public static NabSeries ReadSeries(string path, string relativePath, IReadOnlyList<(DateTime Start, DateTime End)> windows, List<string>? warnings = null)
    {
        var times = new List<DateTime>();
        var timeTexts = new List<string>();
        var values = new List<double>();
        var valueTexts = new List<string>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (lineNumber == 1 || line.Length == 0)
            {
                continue;
            }

            var comma = line.IndexOf(',', StringComparison.Ordinal);
            if (comma < 0)
            {
                throw new NabFormatException($"{relativePath}:{lineNumber}: expected 'timestamp,value', got '{Truncate(line)}'.");
            }

            var timeText = line[..comma].Trim();
            var rest = line[(comma + 1)..];
            var next = rest.IndexOf(',', StringComparison.Ordinal);
            var valueText = (next < 0 ? rest : rest[..next]).Trim();
            var time = ParseTimestamp(timeText) ?? throw new NabFormatException($"{relativePath}:{lineNumber}: '{Truncate(timeText)}' is not a timestamp (YYYY-MM-DD HH:MM:SS).");
            if (!double.TryParse(valueText, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            {
                throw new NabFormatException($"{relativePath}:{lineNumber}: '{Truncate(valueText)}' is not a number.");
            }

            times.Add(time);
            timeTexts.Add(timeText);
            values.Add(value);
            valueTexts.Add(valueText);
        }

        var rows = new List<NabWindow>();
        foreach (var (start, end) in windows.OrderBy(w => w.Start))
        {
            var first = times.FindIndex(t => t >= start);
            var last = times.FindLastIndex(t => t <= end);
            if (first < 0 || last < first)
            {
                warnings?.Add($"{relativePath}: window {start:yyyy-MM-dd HH:mm:ss} – {end:yyyy-MM-dd HH:mm:ss} holds no row, ignored.");
                continue;
            }

            rows.Add(new NabWindow(first, last));
        }

        return new NabSeries(relativePath, [.. times], [.. timeTexts], [.. values], [.. valueTexts], rows);
    }

    /// <summary>Reads combined_windows.json: relative path → windows.</summary>
    public static Dictionary<string, IReadOnlyList<(DateTime Start, DateTime End)>> ReadWindows(string path)
    {
        Dictionary<string, List<List<string>>>? raw;
        try
        {
            raw = JsonSerializer.Deserialize<Dictionary<string, List<List<string>>>>(File.ReadAllText(path));
        }
        catch (JsonException ex)
        {
            throw new NabFormatException($"{path}: not NAB windows JSON ({{\"folder/file.csv\": [[\"start\", \"end\"], …]}}): {ex.Message}");
        }

        var result = new Dictionary<string, IReadOnlyList<(DateTime Start, DateTime End)>>(StringComparer.Ordinal);
        foreach (var (key, windows) in raw ?? [])
        {
            var list = new List<(DateTime, DateTime)>();
            foreach (var window in windows)
            {
                if (window.Count != 2 || ParseTimestamp(window[0]) is not { } start || ParseTimestamp(window[1]) is not { } end)
                {
                    throw new NabFormatException($"{path}: a window of {key} is not [\"start\", \"end\"] with timestamps.");
                }

                list.Add((start, end));
            }

            result[key.Replace('\\', '/')] = list;
        }

        return result;
    }

    private static DateTime? ParseTimestamp(string text) =>
        DateTime.TryParseExact(text, TimestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var value)
            ? DateTime.SpecifyKind(value, DateTimeKind.Utc)
            : null;

    private static string Truncate(string text) => text.Length <= 60 ? text : text[..60] + "…";
}

/// <summary>A NAB folder or file that cannot be read; the message says where and what is expected.</summary>
public sealed class NabFormatException(string message) : Exception(message);
