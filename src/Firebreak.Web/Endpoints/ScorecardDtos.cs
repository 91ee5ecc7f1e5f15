namespace Firebreak.Web.Endpoints;

using Firebreak.Core.Mentions;
using Firebreak.Core.Publishing.Scorecards;

/// <summary>A window's figures; null means "no data" (no source for it yet), never zero.</summary>
public sealed record FiguresDto(int Published, int Failed, int Blocked, int WithEngagement, long? Reach, long? Interactions, double? EngagementRate, long? FollowersStart, long? FollowersNow, double? Growth, double? PublishSuccessRate)
{
    public static FiguresDto From(ScorecardFigures f) => new(f.Published, f.Failed, f.Blocked, f.WithEngagement, f.Reach, f.Interactions, f.EngagementRate, f.FollowersStart, f.FollowersNow, f.Growth, f.PublishSuccessRate);
}

public sealed record AccountScorecardDto(string AccountKey, FiguresDto Figures, DateTimeOffset? ExpiresAt, int? DaysToExpiry, bool Revoked);

public sealed record GoalProgressDto(string Metric, double Target, double? Actual, bool Met, double Progress);

public sealed record GoalDto(string Platform, string Metric, double Target)
{
    public static GoalDto From(ScorecardGoal g) => new(g.Platform.ToWire(), ScorecardWire.Metric(g.Metric), g.Target);
}

public sealed record PolicyEventDto(long Id, string Platform, string? AccountKey, string Severity, string Title, DateTimeOffset At, string By)
{
    public static PolicyEventDto From(PolicyEvent e) => new(e.Id, e.Platform.ToWire(), e.AccountKey, e.Severity.ToString().ToLowerInvariant(), e.Title, e.At, e.ByName);
}

public sealed record TrustPartsDto(double Stability, double ReachTrend, double Engagement, double Policy);

public sealed record PlatformScorecardDto(
    string Platform,
    int TrustScore,
    int? PreviousTrustScore,
    int? Trend,
    TrustPartsDto Parts,
    FiguresDto Figures,
    FiguresDto Previous,
    double? ReachShare,
    double? ApiErrorRate,
    DateTimeOffset? DownSince,
    AccountScorecardDto[] Accounts,
    GoalProgressDto[] Goals,
    PolicyEventDto[] PolicyEvents)
{
    public static PlatformScorecardDto From(PlatformScorecard c) => new(
        c.Platform.ToWire(), c.TrustScore, c.PreviousTrustScore, c.Trend,
        new TrustPartsDto(c.Parts.Stability, c.Parts.ReachTrend, c.Parts.Engagement, c.Parts.Policy),
        FiguresDto.From(c.Figures), FiguresDto.From(c.Previous), c.ReachShare, c.ApiErrorRate, c.DownSince,
        [.. c.Accounts.Select(a => new AccountScorecardDto(a.AccountKey, FiguresDto.From(a.Figures), a.ExpiresAt, a.DaysToExpiry, a.Revoked))],
        [.. c.Goals.Select(g => new GoalProgressDto(ScorecardWire.Metric(g.Metric), g.Target, g.Actual, g.Met, g.Progress))],
        [.. c.PolicyEvents.Select(PolicyEventDto.From)]);
}

public sealed record AdviceDto(string Kind, string? Platform, string Text);

public sealed record ScorecardDto(DateTimeOffset From, DateTimeOffset To, int WindowDays, PlatformScorecardDto[] Platforms, AdviceDto[] Advice)
{
    public static ScorecardDto Of(Scorecard s) => new(
        s.From, s.To, s.WindowDays, [.. s.Platforms.Select(PlatformScorecardDto.From)], [.. s.Advice.Select(a => new AdviceDto(a.Kind, a.Platform?.ToWire(), a.Text))]);
}

public sealed record GoalsDto(GoalDto[] Goals);

public sealed record GoalsBody(GoalDto[]? Goals);

public sealed record PolicyEventBody(string? Platform, string? AccountKey, string? Severity, string? Title, DateTimeOffset? At);

public sealed record BestOfEntryDto(long PostId, string Platform, string AccountKey, string Text, DateTimeOffset SentAt, long Likes, long Shares, long Replies, long Views, long Reach, double Rate, double Score, string? IncidentWarning)
{
    public static BestOfEntryDto From(BestOfEntry e) => new(
        e.Post.PostId, e.Post.Platform.ToWire(), e.Post.AccountKey, e.Post.Text, e.Post.SentAt, e.Post.Engagement.Likes, e.Post.Engagement.Shares,
        e.Post.Engagement.Replies, e.Post.Engagement.Views, e.Post.Reach, e.Rate, e.Score, e.Incident);
}

public sealed record BestOfDto(BestOfEntryDto[] Posts, int SentWithoutEngagementData);

public sealed record RecycleBody(string? Mode, string? Platform, bool? AcknowledgeIncident);

public sealed record RecycleDto(PostResultDto Draft, string? IncidentWarning);

/// <summary>Wire names of the scorecards' enums.</summary>
public static class ScorecardWire
{
    public static string Metric(GoalMetric metric) => metric switch
    {
        GoalMetric.EngagementRatePercent => "engagement-rate",
        GoalMetric.PostsPerWeek => "posts-per-week",
        _ => "follower-growth",
    };

    public static GoalMetric? ParseMetric(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "engagement-rate" => GoalMetric.EngagementRatePercent,
        "posts-per-week" => GoalMetric.PostsPerWeek,
        "follower-growth" => GoalMetric.FollowerGrowthPercent,
        _ => null,
    };

    public static PolicySeverity? ParseSeverity(string? value) =>
        Enum.TryParse<PolicySeverity>(value?.Trim(), ignoreCase: true, out var severity) && Enum.IsDefined(severity) && !int.TryParse(value, out _) ? severity : null;

    public static RecycleMode? ParseMode(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "repost" => RecycleMode.Repost,
        "remix" => RecycleMode.Remix,
        _ => null,
    };
}
