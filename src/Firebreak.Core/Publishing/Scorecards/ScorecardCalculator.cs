namespace Firebreak.Core.Publishing.Scorecards;

using System.Globalization;
using Firebreak.Core.Mentions;

/// <summary>
/// Turns posts, read-back engagement, follower samples, API health, credentials, goals and policy events into per
/// platform scorecards, a trust score with its trend and advice. Pure: same input, same figures (docs/scorecards.md
/// gives every formula). Where a figure has no source it stays null ("no data"); it is never guessed as zero.
/// </summary>
public static class ScorecardCalculator
{
    /// <summary>Weights of the trust score's parts (they add up to 1).</summary>
    public const double StabilityWeight = 0.40;
    public const double ReachTrendWeight = 0.25;
    public const double EngagementWeight = 0.20;
    public const double PolicyWeight = 0.15;

    /// <summary>An engagement rate at or above this earns the whole engagement part.</summary>
    public const double FullEngagementRate = 0.05;

    /// <summary>Policy events count for this long, whatever the window: a ban announced two months ago still matters.</summary>
    public static readonly TimeSpan PolicyMemory = TimeSpan.FromDays(90);

    /// <summary>Concentration advice starts at this share of all reach on one platform.</summary>
    public const double ConcentrationShare = 0.6;

    /// <summary>A token expiring within this many days is advice.</summary>
    public const int ExpiryAdviceDays = 14;

    public static Scorecard Compute(ScorecardInput input)
    {
        var window = TimeSpan.FromDays(input.WindowDays);
        var to = input.Now;
        var from = to - window;
        var platforms = input.Posts.Select(p => p.Platform)
            .Concat(input.Accounts.Select(a => a.Platform))
            .Concat(input.Health.Select(h => h.Platform))
            .Concat(input.Goals.Select(g => g.Platform))
            .Concat(input.PolicyEvents.Select(e => e.Platform))
            .Distinct().OrderBy(p => p.ToWire(), StringComparer.Ordinal).ToList();

        var totalReach = platforms.Sum(p => Figures(input, p, null, from, to).Reach ?? 0);
        var cards = platforms.Select(p => Card(input, p, from, to, window, totalReach)).ToList();
        return new Scorecard(from, to, input.WindowDays, cards, Advise(input, cards));
    }

    /// <summary>Figures of one platform (or one of its accounts) over [from, to).</summary>
    public static ScorecardFigures Figures(ScorecardInput input, Platform platform, string? account, DateTimeOffset from, DateTimeOffset to)
    {
        var posts = input.Posts.Where(p => p.Platform == platform && (account is null || p.AccountKey == account) && p.At >= from && p.At < to).ToList();
        var sent = posts.Where(p => p.Outcome == PublishOutcomeKind.Sent).ToList();
        var failed = posts.Count(p => p.Outcome == PublishOutcomeKind.Failed);
        var blocked = posts.Count(p => p.Outcome == PublishOutcomeKind.Blocked);
        var measured = sent.Where(p => p.Engagement is not null && p.Reach is not null).ToList();
        long? reach = measured.Count == 0 ? null : measured.Sum(p => p.Reach!.Value);
        long? interactions = measured.Count == 0 ? null : measured.Sum(p => p.Engagement!.Value.Interactions);
        double? rate = reach is > 0 ? (double)interactions!.Value / reach.Value : null;

        // Samples are capture times, so one taken this very moment counts: the window's end is inclusive here.
        var samples = input.Followers.Where(s => s.Platform == platform && (account is null || s.AccountKey == account) && s.At >= from && s.At <= to)
            .GroupBy(s => s.AccountKey)
            .Select(g => (First: g.MinBy(s => s.At)!.Followers, Last: g.MaxBy(s => s.At)!.Followers))
            .ToList();
        long? start = samples.Count == 0 ? null : samples.Sum(s => s.First);
        long? now = samples.Count == 0 ? null : samples.Sum(s => s.Last);
        double? growth = start is > 0 ? (double)(now!.Value - start.Value) / start.Value : null;

        var attempts = sent.Count + failed + blocked;
        double? success = attempts == 0 ? null : (double)sent.Count / attempts;
        return new ScorecardFigures(sent.Count, failed, blocked, measured.Count, reach, interactions, rate, start, now, growth, success);
    }

    /// <summary>The trust score, 0..100, and its parts (see docs/scorecards.md).</summary>
    public static (int Score, TrustParts Parts) Trust(ScorecardFigures current, ScorecardFigures previous, PlatformHealth? health, IEnumerable<AccountStatus> accounts, IEnumerable<PolicyEvent> policyEvents)
    {
        // Stability: the publish success rate and the API's success rate (neutral 0.5 when neither is known),
        // halved while a credential is revoked, cut by a quarter while the API is down.
        var known = new List<double>();
        if (current.PublishSuccessRate is { } success)
        {
            known.Add(success);
        }

        if (health is not null)
        {
            known.Add(1 - health.ErrorRate);
        }

        var stability = known.Count == 0 ? 0.5 : known.Average();
        if (accounts.Any(a => a.Revoked))
        {
            stability *= 0.5;
        }

        if (health?.DownSince is not null)
        {
            stability *= 0.75;
        }

        // Reach trend: 0.5 when flat, 1 at double, 0 when it fell to nothing.
        var reachTrend = current.Reach is { } now && previous.Reach is > 0
            ? Math.Clamp(0.5 + ((now - previous.Reach.Value) / (2.0 * previous.Reach.Value)), 0, 1)
            : 0.5;
        var engagement = current.EngagementRate is { } rate ? Math.Min(rate / FullEngagementRate, 1) : 0.5;
        var policy = 1 - Math.Min(1, policyEvents.Sum(e => SeverityWeight(e.Severity)));
        var score = (int)Math.Round(100 * ((StabilityWeight * stability) + (ReachTrendWeight * reachTrend) + (EngagementWeight * engagement) + (PolicyWeight * policy)), MidpointRounding.AwayFromZero);
        return (score, new TrustParts(Round(stability), Round(reachTrend), Round(engagement), Round(policy)));
    }

    public static double SeverityWeight(PolicySeverity severity) => severity switch
    {
        PolicySeverity.Low => 0.1,
        PolicySeverity.Medium => 0.3,
        PolicySeverity.High => 0.6,
        _ => 1.0,
    };

    public static IReadOnlyList<GoalProgress> Progress(IEnumerable<ScorecardGoal> goals, ScorecardFigures figures, int windowDays) =>
        [.. goals.Select(goal =>
        {
            double? actual = goal.Metric switch
            {
                GoalMetric.EngagementRatePercent => figures.EngagementRate * 100,
                GoalMetric.PostsPerWeek => figures.Published / (windowDays / 7.0),
                _ => figures.Growth * 100,
            };
            actual = actual is { } a ? Round(a) : null;
            var met = actual is { } value && value >= goal.Target;
            var progress = actual is { } v ? (goal.Target <= 0 ? 1 : Math.Clamp(v / goal.Target, 0, 1)) : 0;
            return new GoalProgress(goal.Metric, goal.Target, actual, met, Round(progress));
        })];

    private static PlatformScorecard Card(ScorecardInput input, Platform platform, DateTimeOffset from, DateTimeOffset to, TimeSpan window, long totalReach)
    {
        var current = Figures(input, platform, null, from, to);
        var previous = Figures(input, platform, null, from - window, from);
        var beforePrevious = Figures(input, platform, null, from - window - window, from - window);
        var health = input.Health.FirstOrDefault(h => h.Platform == platform);
        var accounts = input.Accounts.Where(a => a.Platform == platform).ToList();
        var events = input.PolicyEvents.Where(e => e.Platform == platform && e.At <= to && e.At > to - PolicyMemory).OrderByDescending(e => e.At).ToList();
        var previousEvents = input.PolicyEvents.Where(e => e.Platform == platform && e.At <= from && e.At > from - PolicyMemory);
        var (score, parts) = Trust(current, previous, health, accounts, events);

        // The previous score is judged with today's health and credentials (connector health keeps no history), so the
        // trend follows what changed in publishing, reach, engagement and policy events.
        int? previousScore = previous.Published + previous.Failed + previous.Blocked > 0 || previousEvents.Any()
            ? Trust(previous, beforePrevious, health, accounts, previousEvents).Score
            : null;
        var accountKeys = accounts.Select(a => a.AccountKey)
            .Concat(input.Posts.Where(p => p.Platform == platform && p.At >= from && p.At < to).Select(p => p.AccountKey))
            .Where(k => k.Length > 0).Distinct().OrderBy(k => k, StringComparer.Ordinal);
        var accountCards = accountKeys.Select(key =>
        {
            var status = accounts.FirstOrDefault(a => a.AccountKey == key);
            int? days = status?.ExpiresAt is { } expires ? (int)Math.Floor((expires - input.Now).TotalDays) : null;
            return new AccountScorecard(key, Figures(input, platform, key, from, to), status?.ExpiresAt, days, status?.Revoked ?? false);
        }).ToList();
        double? share = totalReach > 0 && current.Reach is { } reach ? Round((double)reach / totalReach) : null;
        return new PlatformScorecard(
            platform, current, previous, accountCards, Progress(input.Goals.Where(g => g.Platform == platform), current, input.WindowDays),
            health?.ErrorRate, health?.DownSince, events, share, score, previousScore, parts);
    }

    private static List<Advice> Advise(ScorecardInput input, IReadOnlyList<PlatformScorecard> cards)
    {
        var advice = new List<Advice>();
        if (cards.Where(c => c.ReachShare >= ConcentrationShare).MaxBy(c => c.ReachShare) is { } top)
        {
            var name = Name(top.Platform);
            var others = cards.Where(c => c.Platform != top.Platform && c.Figures.EngagementRate is not null)
                .OrderByDescending(c => c.Figures.EngagementRate).ThenByDescending(c => c.TrustScore).Select(c => Name(c.Platform)).ToList();
            var grow = others.Count > 0
                ? $"grow {string.Join("/", others)} where you already perform"
                : "connect a second network and start building an audience there";
            advice.Add(new Advice("concentration", top.Platform, $"{Percent(top.ReachShare!.Value)} of your reach is on {name}; a ban or outage there would cut it — {grow}."));
        }

        foreach (var card in cards)
        {
            var name = Name(card.Platform);
            if (card.DownSince is { } down)
            {
                advice.Add(new Advice("outage", card.Platform, $"{name}'s API has failed every call since {down.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC; check the connector and the platform's status page."));
            }

            if (card.Figures.PublishSuccessRate is { } rate && (rate < 0.9 || card.Previous.PublishSuccessRate - rate >= 0.1))
            {
                var was = card.Previous.PublishSuccessRate is { } before ? $" (was {Percent(before)})" : string.Empty;
                advice.Add(new Advice("stability", card.Platform, $"Publishing to {name} is degrading: {Percent(rate)} of posts went out{was}; look at the failed posts in the outbox."));
            }

            foreach (var account in card.Accounts)
            {
                if (account.Revoked)
                {
                    advice.Add(new Advice("revoked", card.Platform, $"The {name} account {account.AccountKey} was revoked; reconnect it before its next post."));
                }
                else if (account.DaysToExpiry is { } days && days <= ExpiryAdviceDays)
                {
                    var when = days < 0 ? "has expired" : days == 0 ? "expires today" : $"expires in {days} day{(days == 1 ? string.Empty : "s")}";
                    advice.Add(new Advice("token-expiry", card.Platform, $"The token of {account.AccountKey} on {name} {when}; reconnect it."));
                }
            }

            foreach (var ev in card.PolicyEvents.Where(e => e.Severity >= PolicySeverity.High))
            {
                advice.Add(new Advice("policy", card.Platform, $"{name}: \"{ev.Title}\" ({ev.Severity.ToString().ToLowerInvariant()}, {ev.At.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}); plan for losing this channel."));
            }

            if (card.Trend is <= -10)
            {
                advice.Add(new Advice("trust-falling", card.Platform, $"Trust in {name} fell {-card.Trend} points since the previous {input.WindowDays} days."));
            }
        }

        return advice;
    }

    public static string Name(Platform platform) => platform switch
    {
        Platform.TikTok => "TikTok",
        Platform.YouTube => "YouTube",
        Platform.LinkedIn => "LinkedIn",
        _ => platform.ToString(),
    };

    public static string Percent(double share) => (share * 100).ToString("0.#", CultureInfo.InvariantCulture) + " %";

    private static double Round(double value) => Math.Round(value, 4, MidpointRounding.AwayFromZero);
}
