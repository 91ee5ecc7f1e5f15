namespace Firebreak.Core.Tests.Inbox;

using Firebreak.Core.Inbox;
using Firebreak.Core.Mentions;

/// <summary>The risk ranking as a table: realistic mentions of one crisis, and the order the inbox must show them in.</summary>
public sealed class RiskRankingTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private static readonly Dictionary<string, Mention> Table = new()
    {
        // Viral negative post by a big account with a legal threat: the worst.
        ["lawsuit-viral"] = M("lawsuit-viral", Sentiment.Negative, 0.92, followers: 1_200_000, shares: 680, likes: 2_000, ageHours: 2, cues: ["legal-threat"]),
        // A hateful reply to the brand by a small account: cues lift it above mere anger.
        ["hateful-reply"] = M("hateful-reply", Sentiment.Negative, 0.9, followers: 3_000, likes: 40, ageHours: 1, hateful: true, offensive: true, kind: MentionKind.Reply, parent: "brand-post"),
        // A journalist's negative post with a safety cue, fresh and picking up.
        ["journalist-safety"] = M("journalist-safety", Sentiment.Negative, 0.8, followers: 85_000, shares: 60, likes: 200, ageHours: 1, cues: ["product-safety"]),
        // An angry customer with 200 followers, no traction.
        ["angry-small"] = M("angry-small", Sentiment.Negative, 0.95, followers: 200, likes: 1, ageHours: 3),
        // A neutral news write-up with a big audience.
        ["neutral-news"] = M("neutral-news", Sentiment.Neutral, 0.8, followers: 2_000_000, shares: 50, likes: 100, ageHours: 5, kind: MentionKind.NewsArticle),
        // Not yet analysed, modest.
        ["unknown"] = M("unknown", Sentiment.Unknown, 0, followers: 1_000, likes: 3, ageHours: 2),
        // Positive fan, huge reach: still near the bottom.
        ["fan-positive"] = M("fan-positive", Sentiment.Positive, 0.95, followers: 500_000, likes: 5_000, ageHours: 1),
        // Positive, tiny.
        ["thanks-small"] = M("thanks-small", Sentiment.Positive, 0.9, followers: 50, ageHours: 6),
    };

    [Theory]
    [InlineData("lawsuit-viral", "journalist-safety")]
    [InlineData("journalist-safety", "hateful-reply")]
    [InlineData("hateful-reply", "angry-small")]
    [InlineData("journalist-safety", "neutral-news")]
    [InlineData("neutral-news", "angry-small")]
    [InlineData("angry-small", "unknown")]
    [InlineData("unknown", "fan-positive")]
    [InlineData("fan-positive", "thanks-small")]
    [InlineData("angry-small", "fan-positive")]
    public void Ranking_PutsTheFirstAboveTheSecond(string higher, string lower)
    {
        var a = RiskRanking.Score(Table[higher], Now);
        var b = RiskRanking.Score(Table[lower], Now);
        Assert.True(a.Score > b.Score, $"{higher} {a.Score:0.000} ({a.Why}) should rank above {lower} {b.Score:0.000} ({b.Why})");
    }

    [Fact]
    public void Rank_OrdersTheWholeTable()
    {
        var ranked = RiskRanking.Rank(Table.Values, Now).Select(r => r.Mention.ExternalId);
        Assert.Equal(["lawsuit-viral", "journalist-safety", "hateful-reply", "neutral-news", "angry-small", "unknown", "fan-positive", "thanks-small"], ranked);
    }

    [Theory]
    [InlineData("lawsuit-viral", "negative 0.97 × reach 1.2M × 1.3k/h × cue: legal-threat", true)]
    [InlineData("hateful-reply", "negative 0.96 × reach 3k × 40/h × hateful, reply to the brand", true)]
    [InlineData("thanks-small", "negative 0.06 × reach 50 × 0/h", false)]
    public void Why_NamesEachFactor(string key, string why, bool highRisk)
    {
        var risk = RiskRanking.Score(Table[key], Now);
        Assert.Equal(why, risk.Why);
        Assert.Equal(highRisk, risk.IsHighRisk);
    }

    [Fact]
    public void Factors_AreBounded()
    {
        var extreme = RiskRanking.Score(M("x", Sentiment.Negative, 5, followers: long.MaxValue / 2, shares: long.MaxValue / 8, ageHours: 0, cues: ["a", "b", "c", "d", "e"], hateful: true, offensive: true), Now);
        Assert.Equal((1.0, 1.5, 3.0, 3.0), (extreme.Negativity, extreme.ReachFactor, extreme.Velocity, extreme.Cues));
        var nothing = RiskRanking.Score(M("y", Sentiment.Positive, 1, followers: 0, ageHours: 1000), Now);
        Assert.Equal((0.05, 0.05, 1.0, 1.0), (Math.Round(nothing.Negativity, 6), nothing.ReachFactor, nothing.Velocity, nothing.Cues));
    }

    [Theory]
    [InlineData("Hi {author}, case {case}. — {brand}", "Hi @jane, case #7-1. — Acme", "")]
    [InlineData("Hi {autor} {author}", "Hi {autor} @jane", "autor")]
    [InlineData("{x}{y}{x}", "{x}{y}{x}", "x,y")]
    [InlineData("Braces { alone } stay", "Braces { alone } stay", "")]
    public void Templates_RenderKnownVariables_AndReportUnknownOnes(string text, string expected, string unknown)
    {
        var rendered = ReplyTemplates.Render(text, new Dictionary<string, string> { ["author"] = "@jane", ["brand"] = "Acme", ["case"] = "#7-1" });
        Assert.Equal(expected, rendered.Text);
        Assert.Equal(unknown, string.Join(',', rendered.Unknown));
    }

    [Fact]
    public void Templates_ShipApologyHoldingLineAndThanks_InSixLanguages()
    {
        foreach (var name in new[] { "apology-dm", "holding-line", "thanks" })
        {
            Assert.Equal(["ar", "de", "en", "es", "fr", "pt"], ReplyTemplates.Shipped.Where(t => t.Name == name).Select(t => t.Language).Order());
        }

        Assert.All(ReplyTemplates.Shipped, t => Assert.Empty(ReplyTemplates.Render(t.Text, new Dictionary<string, string> { ["author"] = "a", ["brand"] = "b", ["case"] = "c" }).Unknown));
    }

    [Theory]
    [InlineData(Platform.X, 280)]
    [InlineData(Platform.Bluesky, 300)]
    [InlineData(Platform.Mastodon, 500)]
    [InlineData(Platform.Facebook, 2000)]
    public void Limits_PerPlatform_CountCharactersAsPeopleDo(Platform platform, int limit)
    {
        Assert.Null(ReplyLimits.Check(platform, new string('a', limit)));
        Assert.Equal($"is {limit + 1} characters; {platform.ToWire()} allows {limit}", ReplyLimits.Check(platform, new string('a', limit + 1)));
        Assert.Null(ReplyLimits.Check(platform, string.Concat(Enumerable.Repeat("👍🏽", limit))));
    }

    private static Mention M(string id, Sentiment sentiment, double confidence, long followers, long shares = 0, long likes = 0, double ageHours = 1, string[]? cues = null, bool hateful = false, bool offensive = false, MentionKind kind = MentionKind.Post, string? parent = null) => new()
    {
        WorkspaceId = 1,
        Platform = Platform.X,
        ExternalId = id,
        Kind = kind,
        Author = new MentionAuthor(id, null, followers, false),
        Text = id,
        CreatedAt = Now.AddHours(-ageHours),
        CapturedAt = Now,
        Engagement = new Engagement(likes, shares, 0, 0),
        ParentExternalId = parent,
        Analysis = new MentionAnalysis { Sentiment = sentiment, SentimentConfidence = confidence, RiskCues = cues ?? [], Hateful = hateful, Offensive = offensive },
    };
}
