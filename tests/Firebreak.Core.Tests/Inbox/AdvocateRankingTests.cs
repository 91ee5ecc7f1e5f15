namespace Firebreak.Core.Tests.Inbox;

using Firebreak.Core.Inbox;
using Firebreak.Core.Mentions;

/// <summary>Advocates as a table: authors with their mentions, who qualifies, in what order, and with which best mention.</summary>
public sealed class AdvocateRankingTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    // (handle, followers, verified, sentiments in order oldest → newest; o = positive but offensive, h = hateful)
    public static readonly TheoryData<string, long, bool, string> Authors = new()
    {
        { "travel_queen", 820_000, true, "+++0" },     // big, verified, consistently positive: first
        { "frequent_flyer", 95_000, false, "+++++-" },  // long record, smaller: second
        { "big_but_mixed", 2_000_000, false, "++--0" }, // huge reach but as many negative as positive: out
        { "one_fan", 500_000, false, "+" },             // only one positive mention: no record yet, out
        { "small_fan", 400, false, "++++" },            // loyal but too small to help (< 1,000 followers): out
        { "edgy_fan", 300_000, false, "++o" },          // one offensive mention loses trust: out
        { "hater_fan", 150_000, false, "++h" },         // hateful: out
        { "quiet_pro", 12_000, false, "++" },           // just qualifies: third
    };

    [Fact]
    public void Rank_KeepsTrustedPositiveHighReachAuthors_InOrder()
    {
        var ranked = AdvocateRanking.Rank(Table());
        Assert.Equal(["travel_queen", "frequent_flyer", "quiet_pro"], ranked.Select(a => a.Handle));
        var first = ranked[0];
        Assert.Equal((3, 0, 4, true), (first.Positive, first.Negative, first.Total, first.Verified));
        Assert.Equal("820k followers (verified) × 3 positive of 4 mentions", first.Why);
        Assert.Equal("frequent_flyer", ranked[1].Handle);
        Assert.Equal("95k followers × 5 positive of 6 mentions, 1 negative", ranked[1].Why);
    }

    [Theory]
    [InlineData("big_but_mixed")]
    [InlineData("one_fan")]
    [InlineData("small_fan")]
    [InlineData("edgy_fan")]
    [InlineData("hater_fan")]
    public void Rank_LeavesOut(string handle) =>
        Assert.DoesNotContain(AdvocateRanking.Rank(Table()), a => a.Handle == handle);

    [Fact]
    public void BestMention_IsTheirMostWidelyReadPositiveOne()
    {
        var mentions = Table().ToList();
        // travel_queen's second positive post was viewed 3M times: that is the one to show.
        var viewed = mentions.First(m => m.Author.Handle == "travel_queen" && m.ExternalId.EndsWith("-1", StringComparison.Ordinal));
        mentions[mentions.IndexOf(viewed)] = Copy(viewed, views: 3_000_000);
        Assert.Equal("travel_queen-1", AdvocateRanking.Rank(mentions)[0].Best.ExternalId);
    }

    [Fact]
    public void Authors_AreOnePerPlatformAndHandle_CaseInsensitively()
    {
        var mentions = new[]
        {
            M("a1", "Fan_One", 50_000, false, Sentiment.Positive, 3),
            M("a2", "fan_one", 50_000, false, Sentiment.Positive, 2),
        };
        var advocate = Assert.Single(AdvocateRanking.Rank(mentions));
        Assert.Equal(2, advocate.Positive);
    }

    private static IEnumerable<Mention> Table()
    {
        foreach (var row in Authors)
        {
            var (handle, followers, verified, sentiments) = ((string)row[0], (long)row[1], (bool)row[2], (string)row[3]);
            for (var i = 0; i < sentiments.Length; i++)
            {
                var (sentiment, offensive, hateful) = sentiments[i] switch
                {
                    '+' => (Sentiment.Positive, false, false),
                    '-' => (Sentiment.Negative, false, false),
                    'o' => (Sentiment.Positive, true, false),
                    'h' => (Sentiment.Negative, true, true),
                    _ => (Sentiment.Neutral, false, false),
                };
                yield return M($"{handle}-{i}", handle, followers, verified, sentiment, sentiments.Length - i, offensive, hateful);
            }
        }
    }

    private static Mention M(string id, string handle, long followers, bool verified, Sentiment sentiment, double ageHours, bool offensive = false, bool hateful = false) => new()
    {
        WorkspaceId = 1,
        Platform = Platform.X,
        ExternalId = id,
        Kind = MentionKind.Post,
        Author = new MentionAuthor(handle, null, followers, verified),
        Text = id,
        CreatedAt = Now.AddHours(-ageHours),
        CapturedAt = Now,
        Analysis = new MentionAnalysis { Sentiment = sentiment, SentimentConfidence = 0.9, Offensive = offensive, Hateful = hateful },
    };

    private static Mention Copy(Mention m, long views) => new()
    {
        WorkspaceId = m.WorkspaceId,
        Platform = m.Platform,
        ExternalId = m.ExternalId,
        Kind = m.Kind,
        Author = m.Author,
        Text = m.Text,
        CreatedAt = m.CreatedAt,
        CapturedAt = m.CapturedAt,
        Engagement = new Engagement(0, 0, 0, views),
        Analysis = m.Analysis,
    };
}
