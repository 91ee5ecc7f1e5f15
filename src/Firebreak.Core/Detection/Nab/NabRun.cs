using System.Globalization;
using Firebreak.Core.Detection.Series;

namespace Firebreak.Core.Detection.Nab;

/// <summary>Runs a detector over NAB files as streams and writes NAB's result files.</summary>
public static class NabRun
{
    /// <summary>One score per row: the detector sees the rows one by one, in order, with a fresh state per file.</summary>
    public static double[] Detect(NabSeries series, SeriesDetector detector)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(detector);
        var state = default(SeriesState);
        var scores = new double[series.Count];
        for (var i = 0; i < series.Count; i++)
        {
            var seconds = new DateTimeOffset(series.Timestamps[i], TimeSpan.Zero).ToUnixTimeSeconds();
            scores[i] = detector.Update(ref state, seconds, series.Values[i]).Score;
        }

        return scores;
    }

    /// <summary>
    /// NAB's results layout: <c>&lt;root&gt;/&lt;detector&gt;/&lt;folder&gt;/&lt;detector&gt;_&lt;file&gt;.csv</c> with
    /// <c>timestamp,value,anomaly_score,label</c> (label 1 inside a window). Returns the path written.
    /// </summary>
    public static string WriteResult(string root, string detectorName, NabSeries series, IReadOnlyList<double> scores)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(scores);
        var folder = Path.GetDirectoryName(series.RelativePath) ?? "";
        var directory = Path.Combine(root, detectorName, folder);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{detectorName}_{Path.GetFileName(series.RelativePath)}");
        using var writer = new StreamWriter(path);
        writer.WriteLine("timestamp,value,anomaly_score,label");
        for (var i = 0; i < series.Count; i++)
        {
            writer.Write(series.TimestampTexts[i]);
            writer.Write(',');
            writer.Write(series.ValueTexts[i]);
            writer.Write(',');
            writer.Write(scores[i].ToString("R", CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.WriteLine(series.IsLabelled(i) ? '1' : '0');
        }

        return path;
    }

    /// <summary>NAB's per-profile scores file: one row per data file at the chosen threshold, then the totals.</summary>
    public static string WriteScores(string root, string detectorName, NabScore score)
    {
        ArgumentNullException.ThrowIfNull(score);
        var directory = Path.Combine(root, detectorName);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{detectorName}_{score.Profile.Name}_scores.csv");
        using var writer = new StreamWriter(path);
        writer.WriteLine("Detector,Profile,File,Threshold,Score,TP,TN,FP,FN,Total_Count");
        foreach (var f in score.Files)
        {
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{detectorName},{score.Profile.Name},{f.RelativePath},{f.Threshold:R},{f.Score:R},{f.TruePositiveRows},{f.TrueNegativeRows},{f.FalsePositiveRows},{f.FalseNegativeRows},{f.TotalRows}"));
        }

        var files = score.Files;
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Totals,,,,{score.RawScore:R},{files.Sum(f => f.TruePositiveRows)},{files.Sum(f => f.TrueNegativeRows)},{files.Sum(f => f.FalsePositiveRows)},{files.Sum(f => f.FalseNegativeRows)},{files.Sum(f => f.TotalRows)}"));
        return path;
    }
}
