using Firebreak.Core.Detection.Nab;

namespace Firebreak.Core.Tests.Detection;

public sealed class NabScorerTests
{
    private static readonly NabProfile Standard = NabProfile.Standard;

    [Fact]
    public void ScaledSigmoid_MatchesNabDefinition()
    {
        Assert.Equal(0.98661, NabScorer.ScaledSigmoid(-1), 5);
        Assert.Equal(0.84828, NabScorer.ScaledSigmoid(-0.5), 5);
        Assert.Equal(0.0, NabScorer.ScaledSigmoid(0), 12);
        Assert.Equal(-0.98661, NabScorer.ScaledSigmoid(1), 5);
        Assert.Equal(-1.0, NabScorer.ScaledSigmoid(3));
        Assert.Equal(-1.0, NabScorer.ScaledSigmoid(10));
    }

    [Fact]
    public void ProbationLength_Is15PercentAtMost750Rows()
    {
        Assert.Equal(150, NabSeries.ProbationLength(1_000));
        Assert.Equal(604, NabSeries.ProbationLength(4_032));
        Assert.Equal(750, NabSeries.ProbationLength(22_695));
    }

    [Fact]
    public void PerfectDetector_Scores100_NullScores0()
    {
        var series = Series(1_000, new NabWindow(400, 449), new NabWindow(700, 749));
        var perfect = Scores(1_000, 400, 700);

        var perfectScore = NabScorer.Score([(series, perfect)], Standard);
        var nullScore = NabScorer.Score([(series, new double[1_000])], Standard);

        Assert.Equal(100, perfectScore.Normalised, 9);
        Assert.Equal(2, perfectScore.RawScore, 9);
        Assert.Equal(0, nullScore.Normalised, 9);
        Assert.Equal(-2, nullScore.NullScore, 9);
    }

    [Fact]
    public void FalsePositiveBeforeAnyWindow_CostsExactlyTheProfileWeight()
    {
        var series = Series(1_000, new NabWindow(400, 449));
        var scores = Scores(1_000, 400, 300);

        var file = NabScorer.ScoreFile(series, scores, Standard, 0.5);

        // The window's first row earns tp = 1; the detection at row 300 (after probation, before the window) costs 0.11.
        Assert.Equal(1 - 0.11, file.Score, 12);
        Assert.Equal((1, 1, 1, 0), (file.WindowsDetected, file.FalsePositiveRows, file.TruePositiveRows, file.WindowsMissed));
        Assert.Equal(1 - 0.22, NabScorer.ScoreFile(series, scores, NabProfile.RewardLowFalsePositives, 0.5).Score, 12);
    }

    [Fact]
    public void FalsePositiveJustAfterWindow_CostsLessThanOneFarAfter()
    {
        var series = Series(1_000, new NabWindow(400, 449));
        var near = NabScorer.ScoreFile(series, Scores(1_000, 400, 451), Standard, 0.5).Score;
        var far = NabScorer.ScoreFile(series, Scores(1_000, 400, 900), Standard, 0.5).Score;

        // Row 451 is 2/49 of a window past the end: S(2/49)·0.11; row 900 is more than three windows past: −0.11.
        Assert.Equal(1 + (NabScorer.ScaledSigmoid(2.0 / 49) * 0.11), near, 12);
        Assert.Equal(1 - 0.11, far, 12);
        Assert.True(near > far);
    }

    [Fact]
    public void EarlierDetectionInWindow_ScoresMoreThanLater()
    {
        var series = Series(1_000, new NabWindow(400, 449));
        var early = NabScorer.ScoreFile(series, Scores(1_000, 405), Standard, 0.5).Score;
        var late = NabScorer.ScoreFile(series, Scores(1_000, 440), Standard, 0.5).Score;
        var both = NabScorer.ScoreFile(series, Scores(1_000, 405, 440), Standard, 0.5).Score;

        Assert.True(early > late);
        Assert.Equal(early, both, 12);

        // Row 405 of a 50-row window ending at 449: position −(449 − 405 + 1)/50 = −0.9, scaled so the first row earns 1.
        Assert.Equal(NabScorer.ScaledSigmoid(-0.9) / NabScorer.ScaledSigmoid(-1), early, 12);
    }

    [Fact]
    public void MissedWindow_CostsTheFalseNegativeWeight()
    {
        var series = Series(1_000, new NabWindow(400, 449), new NabWindow(700, 749));
        var scores = Scores(1_000, 400);

        Assert.Equal(1 - 1, NabScorer.ScoreFile(series, scores, Standard, 0.5).Score, 12);
        Assert.Equal(1 - 2, NabScorer.ScoreFile(series, scores, NabProfile.RewardLowFalseNegatives, 0.5).Score, 12);
    }

    [Fact]
    public void DetectionsInProbation_AreNotScored()
    {
        var series = Series(1_000, new NabWindow(400, 449));
        var scores = Scores(1_000, 10, 100, 400);

        var file = NabScorer.ScoreFile(series, scores, Standard, 0.5);

        Assert.Equal(1, file.Score, 12);
        Assert.Equal(0, file.FalsePositiveRows);
    }

    [Fact]
    public void Optimiser_PicksTheBestThreshold_AndTheHigherOnTies()
    {
        var series = Series(1_000, new NabWindow(400, 449));
        var scores = new double[1_000];
        scores[400] = 0.8;
        scores[300] = 0.6;
        scores[600] = 0.6;

        var (threshold, score) = NabScorer.OptimiseThreshold([(series, scores)], Standard);

        Assert.Equal(0.8, threshold);
        Assert.Equal(1, score, 12);

        // A constant output scores the same at every threshold but the null one: the null threshold (1.1) wins.
        Assert.Equal(NabScorer.NothingThreshold, NabScorer.OptimiseThreshold([(series, Enumerable.Repeat(0.5, 1_000).ToArray())], Standard).Threshold);
    }

    [Fact]
    public void OptimisedTotal_EqualsTheSumOfFileScoresAtThatThreshold()
    {
        var random = new Random(7);
        var a = Series(1_200, new NabWindow(500, 560), new NabWindow(900, 960));
        var b = Series(800, new NabWindow(300, 340));
        double[] scoresA = [.. Enumerable.Range(0, 1_200).Select(_ => random.NextDouble())];
        double[] scoresB = [.. Enumerable.Range(0, 800).Select(_ => random.NextDouble())];

        var result = NabScorer.Score([(a, scoresA), (b, scoresB)], Standard);
        var (_, optimised) = NabScorer.OptimiseThreshold([(a, scoresA), (b, scoresB)], Standard);

        Assert.Equal(optimised, result.RawScore, 9);
        Assert.Equal(result.Files.Sum(f => f.Score), result.RawScore, 12);
    }

    private static NabSeries Series(int rows, params NabWindow[] windows)
    {
        var start = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var times = Enumerable.Range(0, rows).Select(i => start.AddMinutes(5 * i)).ToArray();
        return new NabSeries("test/series.csv", times, [.. times.Select(t => t.ToString("yyyy-MM-dd HH:mm:ss"))], new double[rows], [.. Enumerable.Repeat("0", rows)], windows);
    }

    private static double[] Scores(int rows, params int[] detections)
    {
        var scores = new double[rows];
        foreach (var row in detections)
        {
            scores[row] = 1;
        }

        return scores;
    }
}
