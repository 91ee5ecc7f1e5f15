namespace Firebreak.Core.Publishing.Scorecards;

using Firebreak.Core.Mentions;

/// <summary>What a team-set goal measures.</summary>
public enum GoalMetric
{
    /// <summary>Interactions / reach, in percent (e.g. 2 for "at least 2 %").</summary>
    EngagementRatePercent = 1,

    /// <summary>Posts published per week on the platform.</summary>
    PostsPerWeek = 2,

    /// <summary>Follower growth over the window, in percent.</summary>
    FollowerGrowthPercent = 3,
}

/// <summary>A target the team sets for one platform: the actual figure should be at least <see cref="Target"/>.</summary>
public sealed record ScorecardGoal(Platform Platform, GoalMetric Metric, double Target);

/// <summary>How bad a policy event is for trusting a platform.</summary>
public enum PolicySeverity
{
    Low = 1,
    Medium = 2,
    High = 3,
    Critical = 4,
}

/// <summary>Something the platform did that no API reports, logged by the team ("account restricted", "country ban announced").</summary>
public sealed record PolicyEvent(long Id, long WorkspaceId, Platform Platform, string? AccountKey, PolicySeverity Severity, string Title, DateTimeOffset At, string ByName);

/// <summary>Goals and policy events (one portable implementation for SQLite and PostgreSQL).</summary>
public interface IScorecardStore
{
    Task<IReadOnlyList<ScorecardGoal>> GetGoalsAsync(long workspaceId, CancellationToken cancellationToken);

    /// <summary>Replaces the workspace's whole list.</summary>
    Task SetGoalsAsync(long workspaceId, IReadOnlyList<ScorecardGoal> goals, CancellationToken cancellationToken);

    /// <summary>Events at or after <paramref name="since"/>, newest first.</summary>
    Task<IReadOnlyList<PolicyEvent>> ListPolicyEventsAsync(long workspaceId, DateTimeOffset since, int limit, CancellationToken cancellationToken);

    /// <summary>Stores a new event (Id ignored).</summary>
    Task<PolicyEvent> AddPolicyEventAsync(PolicyEvent policyEvent, CancellationToken cancellationToken);
}

/// <summary>One published (or attempted) post, as the scorecard sees it.</summary>
/// <param name="Outcome">Sent, Failed or Blocked (other states are not attempts).</param>
/// <param name="Engagement">Counters read back from the platform (the brand's own post ingested as a mention); null: no data.</param>
/// <param name="Reach">The read-back mention's reach (views, or the author's followers); null: no data.</param>
public sealed record PostFigure(long PostId, Platform Platform, string AccountKey, PublishOutcomeKind Outcome, DateTimeOffset At, Engagement? Engagement, long? Reach);

/// <summary>An owned account's follower count at one moment (from the author record of its own posts read back).</summary>
public sealed record FollowerSample(Platform Platform, string AccountKey, DateTimeOffset At, long Followers);

/// <summary>An owned account's credential, as far as its expiry and revocation go.</summary>
public sealed record AccountStatus(Platform Platform, string AccountKey, DateTimeOffset? ExpiresAt, bool Revoked);

/// <summary>A platform's API health now (connector health has no history).</summary>
/// <param name="ErrorRate">Share of failed calls among the recent ones (0..1), worst of the platform's sources.</param>
/// <param name="DownSince">When calls started failing with no success since; null when it answers.</param>
public sealed record PlatformHealth(Platform Platform, double ErrorRate, DateTimeOffset? DownSince);

/// <summary>Everything the calculator needs; the service gathers it, tests write it by hand.</summary>
public sealed record ScorecardInput(
    DateTimeOffset Now,
    int WindowDays,
    IReadOnlyList<PostFigure> Posts,
    IReadOnlyList<FollowerSample> Followers,
    IReadOnlyList<AccountStatus> Accounts,
    IReadOnlyList<PlatformHealth> Health,
    IReadOnlyList<ScorecardGoal> Goals,
    IReadOnlyList<PolicyEvent> PolicyEvents);

/// <summary>A goal with the actual figure; Actual null when there is no data for it.</summary>
public sealed record GoalProgress(GoalMetric Metric, double Target, double? Actual, bool Met, double Progress);

/// <summary>The figures of one platform or account over a window. Null means "no data", never zero.</summary>
public sealed record ScorecardFigures(
    int Published,
    int Failed,
    int Blocked,
    int WithEngagement,
    long? Reach,
    long? Interactions,
    double? EngagementRate,
    long? FollowersStart,
    long? FollowersNow,
    double? Growth,
    double? PublishSuccessRate);

public sealed record AccountScorecard(string AccountKey, ScorecardFigures Figures, DateTimeOffset? ExpiresAt, int? DaysToExpiry, bool Revoked);

/// <summary>The trust score's parts, each 0..1 (0.5 where there is no data), so the score can be explained.</summary>
public sealed record TrustParts(double Stability, double ReachTrend, double Engagement, double Policy);

public sealed record PlatformScorecard(
    Platform Platform,
    ScorecardFigures Figures,
    ScorecardFigures Previous,
    IReadOnlyList<AccountScorecard> Accounts,
    IReadOnlyList<GoalProgress> Goals,
    double? ApiErrorRate,
    DateTimeOffset? DownSince,
    IReadOnlyList<PolicyEvent> PolicyEvents,
    double? ReachShare,
    int TrustScore,
    int? PreviousTrustScore,
    TrustParts Parts)
{
    /// <summary>Change since the previous window; null when that window had nothing to judge.</summary>
    public int? Trend => PreviousTrustScore is { } previous ? TrustScore - previous : null;
}

public sealed record Advice(string Kind, Platform? Platform, string Text);

public sealed record Scorecard(DateTimeOffset From, DateTimeOffset To, int WindowDays, IReadOnlyList<PlatformScorecard> Platforms, IReadOnlyList<Advice> Advice);
