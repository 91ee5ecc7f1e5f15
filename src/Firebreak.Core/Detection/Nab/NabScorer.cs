namespace Firebreak.Core.Detection.Nab;

/// <summary>What one file scores at one threshold: NAB's row counts plus the window counts a person reads.</summary>
public sealed record NabFileScore(string RelativePath, double Threshold, double Score, int TruePositiveRows, int TrueNegativeRows, int FalsePositiveRows, int FalseNegativeRows, int WindowsDetected, int WindowsMissed)
{
    public int TotalRows => TruePositiveRows + TrueNegativeRows + FalsePositiveRows + FalseNegativeRows;
}

/// <summary>A detector's result on a corpus for one profile, at the threshold that profile's optimiser chose.</summary>
public sealed record NabScore(NabProfile Profile, double Threshold, double RawScore, double NullScore, double PerfectScore, IReadOnlyList<NabFileScore> Files)
{
    /// <summary>0 for the detector that never fires, 100 for the one that fires on the first row of every window.</summary>
    public double Normalised => PerfectScore == NullScore ? 0 : 100 * (RawScore - NullScore) / (PerfectScore - NullScore);

    public int WindowsDetected => Files.Sum(f => f.WindowsDetected);

    public int WindowsMissed => Files.Sum(f => f.WindowsMissed);

    public int FalsePositiveRows => Files.Sum(f => f.FalsePositiveRows);
}

/// <summary>
/// NAB's scoring rules (nab/sweeper.py, nab/scorer.py, nab/optimizer.py, nab/runner.py normalize), written
/// again from their definitions:
/// <list type="bullet">
/// <item>A row is a detection when its anomaly score is at or above the threshold. The probationary rows
/// (<see cref="NabSeries.ProbationLength"/>) are not scored at all.</item>
/// <item>Inside a window of width W whose last row is R, row i is worth
/// <c>tp · S(-(R - i + 1) / W) / S(-1)</c> with the scaled sigmoid S(x) = 2/(1+e^{5x}) - 1: the first row of a
/// window earns exactly tp, later rows less. Only the window's earliest detection counts; a window without
/// one costs fn.</item>
/// <item>A detection outside every window costs <c>fp</c> before the first window, and
/// <c>fp · S((i - R) / (W - 1))</c> after a window (R and W of the closest preceding window; S(x) is -1 from
/// x = 3 on): a detection just after a window costs almost nothing, one far after costs fp.</item>
/// <item>The threshold is chosen per profile over the whole corpus: every distinct score is tried (and 1.1,
/// which detects nothing) and the best total wins; ties go to the higher threshold.</item>
/// <item>Normalised = 100 · (raw − null) / (perfect − null), where null is the null detector's optimised score
/// (a constant score, so it detects nothing: −fn per window) and perfect is tp per window.</item>
/// </list>
/// One deviation: NAB divides by W − 1 for a false positive after a one-row window (a division by zero there);
/// this divides by 1.
/// </summary>
public static class NabScorer
{
    /// <summary>The threshold that detects nothing, NAB's starting point.</summary>
    public const double NothingThreshold = 1.1;

    /// <summary>NAB's scaled sigmoid: 2·sigmoid(−5x) − 1, and −1 from x = 3 on.</summary>
    public static double ScaledSigmoid(double relativePosition) =>
        relativePosition >= 3.0 ? -1.0 : (2.0 / (1.0 + Math.Exp(5.0 * relativePosition))) - 1.0;

    /// <summary>
    /// What a detection on each row would add to the score (NAB's sweep score): positive inside windows,
    /// negative outside. Also returns the window index of each row (−1 outside).
    /// </summary>
    public static (double[] Weights, int[] WindowOfRow) SweepWeights(NabSeries series, NabProfile profile)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(profile);
        var weights = new double[series.Count];
        var windowOf = new int[series.Count];
        var maxTruePositive = ScaledSigmoid(-1.0);
        NabWindow? previous = null;
        var next = 0;
        for (var i = 0; i < series.Count; i++)
        {
            while (next < series.Windows.Count && series.Windows[next].LastRow < i)
            {
                previous = series.Windows[next];
                next++;
            }

            if (next < series.Windows.Count && series.Windows[next].FirstRow <= i)
            {
                var window = series.Windows[next];
                var position = -(window.LastRow - i + 1) / (double)window.Length;
                weights[i] = ScaledSigmoid(position) * profile.TruePositiveWeight / maxTruePositive;
                windowOf[i] = next;
                continue;
            }

            windowOf[i] = -1;
            var past = previous is { } p ? (i - p.LastRow) / (double)Math.Max(p.Length - 1, 1) : 3.0;
            weights[i] = ScaledSigmoid(past) * profile.FalsePositiveWeight;
        }

        return (weights, windowOf);
    }

    /// <summary>One file's score when every row scoring at or above <paramref name="threshold"/> is a detection.</summary>
    public static NabFileScore ScoreFile(NabSeries series, IReadOnlyList<double> scores, NabProfile profile, double threshold)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.Count != series.Count)
        {
            throw new ArgumentException($"{series.RelativePath}: {scores.Count} scores for {series.Count} rows.", nameof(scores));
        }

        var (weights, windowOf) = SweepWeights(series, profile);
        var best = new double?[series.Windows.Count];
        var scorable = new bool[series.Windows.Count];
        double falsePositives = 0;
        int tp = 0, tn = 0, fp = 0, fn = 0;
        for (var i = series.ProbationRows; i < series.Count; i++)
        {
            var detected = scores[i] >= threshold;
            var window = windowOf[i];
            if (window >= 0)
            {
                scorable[window] = true;
                if (detected)
                {
                    tp++;
                    best[window] = Math.Max(best[window] ?? double.NegativeInfinity, weights[i]);
                }
                else
                {
                    fn++;
                }
            }
            else if (detected)
            {
                fp++;
                falsePositives += weights[i];
            }
            else
            {
                tn++;
            }
        }

        double total = falsePositives;
        int detectedWindows = 0, missedWindows = 0;
        for (var w = 0; w < best.Length; w++)
        {
            if (!scorable[w])
            {
                continue;
            }

            if (best[w] is { } value)
            {
                // NAB keeps max(−fn, best sweep score); a detection on a window's last rows is worth little but never less than a miss.
                total += Math.Max(-profile.FalseNegativeWeight, value);
                detectedWindows++;
            }
            else
            {
                total -= profile.FalseNegativeWeight;
                missedWindows++;
            }
        }

        return new NabFileScore(series.RelativePath, threshold, total, tp, tn, fp, fn, detectedWindows, missedWindows);
    }

    /// <summary>
    /// NAB's optimiser: the threshold that maximises the corpus total for this profile, found by sweeping all
    /// scorable rows of all files from the highest score down. Returns the threshold and its total.
    /// </summary>
    public static (double Threshold, double Score) OptimiseThreshold(IReadOnlyList<(NabSeries Series, IReadOnlyList<double> Scores)> results, NabProfile profile)
    {
        ArgumentNullException.ThrowIfNull(results);
        var rows = new List<(double Score, double Weight, int Window)>();
        var windowBase = 0;
        var windowBest = new List<double>();
        foreach (var (series, scores) in results)
        {
            var (weights, windowOf) = SweepWeights(series, profile);
            var scorable = new bool[series.Windows.Count];
            for (var i = series.ProbationRows; i < series.Count; i++)
            {
                var window = windowOf[i] >= 0 ? windowBase + windowOf[i] : -1;
                if (windowOf[i] >= 0)
                {
                    scorable[windowOf[i]] = true;
                }

                rows.Add((scores[i], weights[i], window));
            }

            // Only windows with a scorable row count, as in NAB (a window inside the probation is not scored).
            windowBest.AddRange(scorable.Select(s => s ? -profile.FalseNegativeWeight : 0.0));
            windowBase += series.Windows.Count;
        }

        rows.Sort((a, b) => b.Score.CompareTo(a.Score));
        var total = windowBest.Sum();
        var bestThreshold = NothingThreshold;
        var bestScore = total;
        var k = 0;
        while (k < rows.Count)
        {
            var threshold = rows[k].Score;
            for (; k < rows.Count && rows[k].Score == threshold; k++)
            {
                var (_, weight, window) = rows[k];
                if (window < 0)
                {
                    total += weight;
                }
                else if (weight > windowBest[window])
                {
                    total += weight - windowBest[window];
                    windowBest[window] = weight;
                }
            }

            // Strictly greater: among equal totals the higher threshold (seen first) wins, as NAB's stable sort does.
            if (total > bestScore)
            {
                bestScore = total;
                bestThreshold = threshold;
            }
        }

        return (bestThreshold, bestScore);
    }

    /// <summary>
    /// The whole NAB procedure for one profile: optimise the threshold over the corpus, score every file at it,
    /// and normalise against the null detector (a constant score, optimised the same way) and the perfect one.
    /// </summary>
    public static NabScore Score(IReadOnlyList<(NabSeries Series, IReadOnlyList<double> Scores)> results, NabProfile profile)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(profile);
        var (threshold, _) = OptimiseThreshold(results, profile);
        var files = results.Select(r => ScoreFile(r.Series, r.Scores, profile, threshold)).ToList();
        var nullResults = results.Select(r => (r.Series, (IReadOnlyList<double>)new ConstantScores(r.Series.Count, 0.5))).ToList();
        var (_, nullScore) = OptimiseThreshold(nullResults, profile);
        var perfect = results.Sum(r => r.Series.Windows.Count) * profile.TruePositiveWeight;
        return new NabScore(profile, threshold, files.Sum(f => f.Score), nullScore, perfect, files);
    }

    /// <summary>The null detector's output without an array per file.</summary>
    private sealed class ConstantScores(int count, double value) : IReadOnlyList<double>
    {
        public int Count => count;

        public double this[int index] => value;

        public IEnumerator<double> GetEnumerator() => Enumerable.Repeat(value, count).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
