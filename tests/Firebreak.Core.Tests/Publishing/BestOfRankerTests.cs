namespace Firebreak.Core.Tests.Publishing;

using Firebreak.Core.Mentions;
using Firebreak.Core.Publishing.Scorecards;

/// <summary>The recycler's ranking as a table: score = ln(1 + interactions) × (1 + 10 × rate) × 0.5^(age / 90 days).</summary>
public sealed class BestOfRankerTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 31, 0, 0, 0, TimeSpan.Zero);

    public static TheoryData<string, long, long, int, double, double> Rows => new()
    {
        // name, interactions, reach, age in days, rate, score
        { "10 % of 1000, today: ln 101 × 2", 100, 1_000, 0, 0.1, 9.2302 },
        { "1 % of 100k, today: ln 1001 × 1.1", 1_000, 100_000, 0, 0.01, 7.5996 },
        { "the first, 90 days old: halved", 100, 1_000, 90, 0.1, 4.6151 },
        { "100 % is capped at 50 %: ln 4 × 6", 3, 3, 0, 0.5, 8.3178 },
        { "no reach known: rate 0", 50, 0, 0, 0, 3.9318 },
        { "no interactions: score 0", 0, 1_000, 0, 0, 0 },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Scores(string name, long interactions, long reach, int ageDays, double rate, double score)
    {
        var entry = BestOfRanker.Entry(Candidate(1, interactions, reach, ageDays), [], Now);
        Assert.True(entry.Rate == rate && entry.Score == score, $"{name}: rate {entry.Rate}, score {entry.Score}");
    }

    [Fact]
    public void RanksBestFirstDropsZeroAndWarnsAboutIncidentPeriods()
    {
        var incident = new IncidentPeriod(7, "Recall", Now.AddDays(-95), Now.AddDays(-85));
        var ranked = BestOfRanker.Rank(
            [Candidate(1, 100, 1_000, 0), Candidate(2, 1_000, 100_000, 0), Candidate(3, 100, 1_000, 90), Candidate(4, 0, 10, 0), Candidate(5, 3, 3, 0)],
            [incident],
            Now,
            10);
        Assert.Equal([1L, 5L, 2L, 3L], ranked.Select(e => e.Post.PostId));
        Assert.Equal("sent during incident #7 \"Recall\"", ranked[^1].Incident);
        Assert.All(ranked.Take(3), e => Assert.Null(e.Incident));
        Assert.Equal([1L, 5L], BestOfRanker.Rank([Candidate(1, 100, 1_000, 0), Candidate(2, 1_000, 100_000, 0), Candidate(5, 3, 3, 0)], [], Now, 2).Select(e => e.Post.PostId));
    }

    [Fact]
    public void AnOpenIncidentCoversEverythingSinceItWasDeclared()
    {
        var open = new IncidentPeriod(9, "Outage", Now.AddDays(-1), null);
        Assert.NotNull(BestOfRanker.Entry(Candidate(1, 10, 100, 0), [open], Now).Incident);
        Assert.Null(BestOfRanker.Entry(Candidate(1, 10, 100, 2), [open], Now).Incident);
    }

    private static BestOfCandidate Candidate(long id, long interactions, long reach, int ageDays) =>
        new(id, Platform.Bluesky, "bluesky:brand", "text " + id, Now.AddDays(-ageDays), new Engagement(interactions, 0, 0, 0), reach);
}

/// <summary>What the team may log as a policy event.</summary>
public sealed class ScorecardRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 31, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("country ban announced 🚫 حظر", null)]
    [InlineData("  ", "title")]
    [InlineData("bell\u0007", "title")]
    public void Titles(string title, string? field) => Assert.Equal(field, ScorecardRules.CheckEvent(title, Now, Now)?.Field);

    [Fact]
    public void ALoneSurrogateIsBrokenText() => Assert.Equal("title", ScorecardRules.CheckEvent("broken " + (char)0xD800 + " text", Now, Now)?.Field);

    [Fact]
    public void NotInTheFuture() => Assert.Equal("at", ScorecardRules.CheckEvent("ok", Now.AddDays(2), Now)?.Field);
}
