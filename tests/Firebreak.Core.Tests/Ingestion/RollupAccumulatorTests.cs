using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;

namespace Firebreak.Core.Tests.Ingestion;

public sealed class RollupAccumulatorTests
{
    private static readonly DateTimeOffset At = new(2025, 3, 3, 10, 15, 42, TimeSpan.Zero);
    private static readonly long Minute = At.ToUnixTimeSeconds() / 60;

    [Fact]
    public void Add_NoTopics_CountsTopicZeroOnly()
    {
        var rollups = new RollupAccumulator();

        rollups.Add(3, Contribution(At, Sentiment.Positive, "fr", Platform.TikTok, 50, []), +1);

        var (key, counts) = Assert.Single(rollups.Counts);
        Assert.Equal((3L, 0L, Minute), key);
        Assert.Equal(1, counts.Count);
        Assert.Equal(1, counts.Positive);
        Assert.Equal(50, counts.Reach);
    }

    [Fact]
    public void Add_WithTopics_CountsTopicZeroAndEachTopic()
    {
        var rollups = new RollupAccumulator();

        rollups.Add(3, Contribution(At, Sentiment.Negative, "en", Platform.X, 10, [4, 9]), +1);
        rollups.Add(3, Contribution(At.AddSeconds(10), Sentiment.Neutral, "en", Platform.Reddit, 5, [9]), +1);

        Assert.Equal([0L, 4L, 9L], rollups.Counts.Keys.Select(k => k.Topic).Order());
        Assert.Equal(2, rollups.Counts[(3, 0, Minute)].Count);
        Assert.Equal(1, rollups.Counts[(3, 4, Minute)].Count);
        var nine = rollups.Counts[(3, 9, Minute)];
        Assert.Equal((2L, 1L, 1L, 0L, 0L, 15L), (nine.Count, nine.Negative, nine.Neutral, nine.Positive, nine.Unknown, nine.Reach));
        Assert.Equal(2, rollups.Dimensions[(3, 9, Minute, RollupDimension.Language, "en")]);
        Assert.Equal(1, rollups.Dimensions[(3, 9, Minute, RollupDimension.Platform, "x")]);
        Assert.Equal(1, rollups.Dimensions[(3, 9, Minute, RollupDimension.Platform, "reddit")]);
    }

    [Theory]
    [InlineData(Sentiment.Unknown)]
    [InlineData(Sentiment.Negative)]
    [InlineData(Sentiment.Neutral)]
    [InlineData(Sentiment.Positive)]
    public void Add_ThenRetract_LeavesEverythingZero(Sentiment sentiment)
    {
        var rollups = new RollupAccumulator();
        var contribution = Contribution(At, sentiment, "ar", Platform.Facebook, 1_234, [2, 5]);

        rollups.Add(1, contribution, +1);
        rollups.Add(1, contribution, -1);

        Assert.Equal(3, rollups.Counts.Count);
        Assert.All(rollups.Counts.Values, c => Assert.Equal(default, c));
        Assert.Equal(6, rollups.Dimensions.Count);
        Assert.All(rollups.Dimensions.Values, v => Assert.Equal(0, v));
    }

    [Fact]
    public void Add_EditMovingMinuteLanguageAndTopics_RetractsOldAddsNew()
    {
        var rollups = new RollupAccumulator();
        var before = Contribution(At, Sentiment.Negative, "en", Platform.X, 100, [2]);
        var after = Contribution(At.AddMinutes(3), Sentiment.Positive, "fr", Platform.X, 300, [5]);
        rollups.Add(1, before, +1);

        rollups.Add(1, before, -1);
        rollups.Add(1, after, +1);

        var live = rollups.Counts.Where(kv => !kv.Value.Equals(default(RollupCounts))).ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Equal([(1L, 0L, Minute + 3), (1L, 5L, Minute + 3)], live.Keys.Order());
        Assert.Equal(300, live[(1, 5, Minute + 3)].Reach);
        Assert.Equal(1, live[(1, 5, Minute + 3)].Positive);
        var dims = rollups.Dimensions.Where(kv => kv.Value != 0).Select(kv => (kv.Key.Topic, kv.Key.Minute, kv.Key.Dim, kv.Key.Key, kv.Value)).Order();
        Assert.Equal(
            [
                (0L, Minute + 3, RollupDimension.Language, "fr", 1L), (0L, Minute + 3, RollupDimension.Platform, "x", 1L),
                (5L, Minute + 3, RollupDimension.Language, "fr", 1L), (5L, Minute + 3, RollupDimension.Platform, "x", 1L),
            ],
            dims);
    }

    [Fact]
    public void Add_SameMinuteDifferentSeconds_SameBucket_NextMinuteSeparate()
    {
        var rollups = new RollupAccumulator();
        var minuteStart = DateTimeOffset.FromUnixTimeSeconds(Minute * 60);

        rollups.Add(1, Contribution(minuteStart, Sentiment.Unknown, "en", Platform.X, 0, []), +1);
        rollups.Add(1, Contribution(minuteStart.AddSeconds(59.999), Sentiment.Unknown, "en", Platform.X, 0, []), +1);
        rollups.Add(1, Contribution(minuteStart.AddSeconds(60), Sentiment.Unknown, "en", Platform.X, 0, []), +1);

        Assert.Equal(2, rollups.Counts[(1, 0, Minute)].Count);
        Assert.Equal(1, rollups.Counts[(1, 0, Minute + 1)].Count);
    }

    [Fact]
    public void Add_DifferentWorkspaces_KeptApart()
    {
        var rollups = new RollupAccumulator();

        rollups.Add(1, Contribution(At, Sentiment.Unknown, "en", Platform.X, 1, [7]), +1);
        rollups.Add(2, Contribution(At, Sentiment.Unknown, "en", Platform.X, 1, [7]), +1);

        Assert.Equal(1, rollups.Counts[(1, 7, Minute)].Count);
        Assert.Equal(1, rollups.Counts[(2, 7, Minute)].Count);
    }

    [Fact]
    public void Clear_AfterAdds_Empty()
    {
        var rollups = new RollupAccumulator();
        rollups.Add(1, Contribution(At, Sentiment.Unknown, "en", Platform.X, 1, [7]), +1);

        rollups.Clear();

        Assert.Empty(rollups.Counts);
        Assert.Empty(rollups.Dimensions);
    }

    private static RollupContribution Contribution(DateTimeOffset at, Sentiment sentiment, string language, Platform platform, long reach, long[] topics) =>
        new(at, sentiment, language, platform, reach, topics);
}
