namespace Firebreak.Core.Tests.Publishing;

using Firebreak.Core.Mentions;
using Firebreak.Core.Publishing;
using Firebreak.Core.Publishing.Scorecards;

/// <summary>
/// Scorecard figures from known data: three platforms over a 30-day window ending 2026-03-31, every expected number
/// worked out by hand in the comments (docs/scorecards.md gives the formulas).
/// </summary>
public sealed class ScorecardCalculatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 31, 0, 0, 0, TimeSpan.Zero);
    private const string TikTok = "tiktok:@brand";
    private const string Sky = "bluesky:brand.bsky.social";
    private const string Masto = "mastodon:@brand@example.social";

    private static readonly ScorecardInput Input = new(
        Now,
        30,
        [
            // TikTok, this window [Mar 1, Mar 31): reach 5000 + 3000, interactions 150 + 75; one post never read back; one failed.
            Sent(1, Platform.TikTok, TikTok, Day(3, 5), new Engagement(100, 20, 30, 0), 5000),
            Sent(2, Platform.TikTok, TikTok, Day(3, 10), new Engagement(50, 10, 15, 0), 3000),
            Sent(3, Platform.TikTok, TikTok, Day(3, 12), null, null),
            new PostFigure(4, Platform.TikTok, TikTok, PublishOutcomeKind.Failed, Day(3, 20), null, null),

            // TikTok, previous window [Jan 30, Mar 1): reach 4000, interactions 120 (3 %), all sent.
            Sent(5, Platform.TikTok, TikTok, Day(2, 5), new Engagement(60, 0, 0, 0), 2000),
            Sent(6, Platform.TikTok, TikTok, Day(2, 10), new Engagement(60, 0, 0, 0), 2000),

            // TikTok, the window before that [Dec 31, Jan 30): reach 2000 (the previous window's reach trend).
            Sent(7, Platform.TikTok, TikTok, Day(1, 15), new Engagement(20, 0, 0, 0), 2000),

            // Bluesky, this window: reach 2000, interactions 40 + 32 = 72 (3.6 %).
            Sent(8, Platform.Bluesky, Sky, Day(3, 7), new Engagement(30, 5, 5, 0), 1000),
            Sent(9, Platform.Bluesky, Sky, Day(3, 21), new Engagement(22, 5, 5, 0), 1000),
        ],
        [
            new FollowerSample(Platform.TikTok, TikTok, Day(2, 20), 9_000), // previous window: ignored
            new FollowerSample(Platform.TikTok, TikTok, Day(3, 2), 10_000),
            new FollowerSample(Platform.TikTok, TikTok, Day(3, 30), 11_000),
        ],
        [
            new AccountStatus(Platform.TikTok, TikTok, new DateTimeOffset(2026, 4, 5, 0, 0, 0, TimeSpan.Zero), false),
            new AccountStatus(Platform.Bluesky, Sky, null, false),
            new AccountStatus(Platform.Mastodon, Masto, null, true),
        ],
        [
            new PlatformHealth(Platform.TikTok, 0.2, null),
            new PlatformHealth(Platform.Bluesky, 0, null),
            new PlatformHealth(Platform.Mastodon, 1.0, new DateTimeOffset(2026, 3, 30, 12, 0, 0, TimeSpan.Zero)),
        ],
        [
            new ScorecardGoal(Platform.Bluesky, GoalMetric.EngagementRatePercent, 2),
            new ScorecardGoal(Platform.Bluesky, GoalMetric.PostsPerWeek, 1),
        ],
        [
            new PolicyEvent(1, 1, Platform.TikTok, null, PolicySeverity.Critical, "country ban announced", Day(3, 20), "Ada"),
            new PolicyEvent(2, 1, Platform.Mastodon, Masto, PolicySeverity.Low, "instance defederated by a large server", Day(3, 10), "Ada"),
        ]);

    [Fact]
    public void TikTokFiguresTrustAndTrend()
    {
        var tiktok = Card(Platform.TikTok);
        Assert.Equal(new ScorecardFigures(3, 1, 0, 2, 8000, 225, 0.028125, 10_000, 11_000, 0.1, 0.75), tiktok.Figures);
        Assert.Equal(0.8, tiktok.ReachShare);
        Assert.Equal(0.2, tiktok.ApiErrorRate);

        // stability avg(0.75 published, 0.8 API) = 0.775; reach doubled (4000 → 8000) = 1; engagement 2.8125 % / 5 % = 0.5625;
        // one critical event = 0. 100 × (0.4 × 0.775 + 0.25 × 1 + 0.2 × 0.5625 + 0.15 × 0) = 67.25 → 67.
        Assert.Equal(new TrustParts(0.775, 1, 0.5625, 0), tiktok.Parts);
        Assert.Equal(67, tiktok.TrustScore);

        // Previous window: stability avg(1, 0.8) = 0.9; reach 2000 → 4000 = 1; 3 % / 5 % = 0.6; no events = 1 → 88.
        Assert.Equal(88, tiktok.PreviousTrustScore);
        Assert.Equal(-21, tiktok.Trend);
        var account = Assert.Single(tiktok.Accounts);
        Assert.Equal((TikTok, 5, false), (account.AccountKey, account.DaysToExpiry, account.Revoked));
        Assert.Equal(tiktok.Figures, account.Figures);
    }

    [Fact]
    public void BlueskyGoalsAreMeasured()
    {
        var sky = Card(Platform.Bluesky);
        Assert.Equal(new ScorecardFigures(2, 0, 0, 2, 2000, 72, 0.036, null, null, null, 1), sky.Figures);

        // 100 × (0.4 × 1 + 0.25 × 0.5 (no previous reach) + 0.2 × 0.72 + 0.15 × 1) = 81.9 → 82; no previous window to compare.
        Assert.Equal(82, sky.TrustScore);
        Assert.Null(sky.PreviousTrustScore);
        Assert.Null(sky.Trend);
        Assert.Equal(
            [new GoalProgress(GoalMetric.EngagementRatePercent, 2, 3.6, true, 1), new GoalProgress(GoalMetric.PostsPerWeek, 1, 0.4667, false, 0.4667)],
            sky.Goals);
    }

    [Fact]
    public void APlatformWithNoPostsShowsNoDataNotZero()
    {
        var masto = Card(Platform.Mastodon);
        Assert.Equal(new ScorecardFigures(0, 0, 0, 0, null, null, null, null, null, null, null), masto.Figures);
        Assert.Null(masto.ReachShare);

        // stability: API 0 % success, revoked, down = 0; reach and engagement unknown = 0.5 each; a low event = 0.9.
        // 100 × (0 + 0.125 + 0.1 + 0.135) = 36.
        Assert.Equal(new TrustParts(0, 0.5, 0.5, 0.9), masto.Parts);
        Assert.Equal(36, masto.TrustScore);
        Assert.True(Assert.Single(masto.Accounts).Revoked);
    }

    [Fact]
    public void AdviceNamesConcentrationOutagesCredentialsPolicyAndFallingTrust()
    {
        var advice = ScorecardCalculator.Compute(Input).Advice.Select(a => (a.Kind, a.Text)).ToList();
        Assert.Equal(
            [
                ("concentration", "80 % of your reach is on TikTok; a ban or outage there would cut it — grow Bluesky where you already perform."),
                ("outage", "Mastodon's API has failed every call since 2026-03-30 12:00 UTC; check the connector and the platform's status page."),
                ("revoked", "The Mastodon account mastodon:@brand@example.social was revoked; reconnect it before its next post."),
                ("stability", "Publishing to TikTok is degrading: 75 % of posts went out (was 100 %); look at the failed posts in the outbox."),
                ("token-expiry", "The token of tiktok:@brand on TikTok expires in 5 days; reconnect it."),
                ("policy", "TikTok: \"country ban announced\" (critical, 2026-03-20); plan for losing this channel."),
                ("trust-falling", "Trust in TikTok fell 21 points since the previous 30 days."),
            ],
            advice);
    }

    [Fact]
    public void NoConcentrationAdviceWhenReachIsSpread()
    {
        var spread = Input with
        {
            Posts = [Sent(1, Platform.TikTok, TikTok, Day(3, 5), new Engagement(10, 0, 0, 0), 450), Sent(2, Platform.Bluesky, Sky, Day(3, 5), new Engagement(10, 0, 0, 0), 550)],
            Accounts = [],
            Health = [],
            PolicyEvents = [],
        };
        var card = ScorecardCalculator.Compute(spread);
        Assert.DoesNotContain(card.Advice, a => a.Kind == "concentration");
        Assert.Equal([0.55, 0.45], card.Platforms.Select(p => p.ReachShare!.Value));
    }

    [Fact]
    public void SixtyPercentOnOnePlatformIsConcentration()
    {
        var leaning = Input with
        {
            Posts = [Sent(1, Platform.TikTok, TikTok, Day(3, 5), new Engagement(10, 0, 0, 0), 600), Sent(2, Platform.Bluesky, Sky, Day(3, 5), new Engagement(10, 0, 0, 0), 400)],
            Accounts = [],
            Health = [],
            PolicyEvents = [],
        };
        var advice = Assert.Single(ScorecardCalculator.Compute(leaning).Advice);
        Assert.Equal("60 % of your reach is on TikTok; a ban or outage there would cut it — grow Bluesky where you already perform.", advice.Text);
    }

    [Fact]
    public void AnEmptyWorkspaceHasNoPlatformsAndNoAdvice()
    {
        var card = ScorecardCalculator.Compute(new ScorecardInput(Now, 7, [], [], [], [], [], []));
        Assert.Empty(card.Platforms);
        Assert.Empty(card.Advice);
        Assert.Equal(Now.AddDays(-7), card.From);
    }

    private static PlatformScorecard Card(Platform platform) => ScorecardCalculator.Compute(Input).Platforms.Single(p => p.Platform == platform);

    private static PostFigure Sent(long id, Platform platform, string account, DateTimeOffset at, Engagement? engagement, long? reach) =>
        new(id, platform, account, PublishOutcomeKind.Sent, at, engagement, reach);

    private static DateTimeOffset Day(int month, int day) => new(2026, month, day, 12, 0, 0, TimeSpan.Zero);
}
