namespace Firebreak.Core.Publishing.Scorecards;

using Firebreak.Core.Mentions;

/// <summary>A sent post with its read-back engagement, ready to be ranked.</summary>
public sealed record BestOfCandidate(long PostId, Platform Platform, string AccountKey, string Text, DateTimeOffset SentAt, Engagement Engagement, long Reach);

/// <summary>A ranked post; <see cref="Incident"/> names the incident it was sent during, if any (reposting it needs care).</summary>
public sealed record BestOfEntry(BestOfCandidate Post, double Rate, double Score, string? Incident);

/// <summary>A period of an incident (declared → resolved, or still open).</summary>
public sealed record IncidentPeriod(long Id, string Title, DateTimeOffset From, DateTimeOffset? To)
{
    public bool Covers(DateTimeOffset at) => at >= From && (To is null || at <= To);
}

/// <summary>
/// Ranks past posts by engagement: score = ln(1 + interactions) × (1 + 10 × rate) × 0.5^(age / 90 days).
/// The log keeps one viral post from hiding every other; the rate rewards a post that did well for its reach; the
/// 90-day half-life lets recent winners rise above old ones of the same weight (docs/scorecards.md).
/// </summary>
public static class BestOfRanker
{
    public static readonly TimeSpan HalfLife = TimeSpan.FromDays(90);

    /// <summary>Rates above this count as this (a post seen by 3 people and liked by 3 is not 100 % better).</summary>
    public const double RateCap = 0.5;

    public static IReadOnlyList<BestOfEntry> Rank(IEnumerable<BestOfCandidate> candidates, IReadOnlyList<IncidentPeriod> incidents, DateTimeOffset now, int limit) =>
        [.. candidates
            .Select(c => Entry(c, incidents, now))
            .Where(e => e.Score > 0)
            .OrderByDescending(e => e.Score).ThenByDescending(e => e.Post.SentAt).ThenBy(e => e.Post.PostId)
            .Take(limit)];

    public static BestOfEntry Entry(BestOfCandidate c, IReadOnlyList<IncidentPeriod> incidents, DateTimeOffset now)
    {
        var rate = c.Reach > 0 ? Math.Min((double)c.Engagement.Interactions / c.Reach, RateCap) : 0;
        var ageDays = Math.Max(0, (now - c.SentAt).TotalDays);
        var score = Math.Log(1 + c.Engagement.Interactions) * (1 + (10 * rate)) * Math.Pow(0.5, ageDays / HalfLife.TotalDays);
        var incident = incidents.FirstOrDefault(i => i.Covers(c.SentAt));
        return new BestOfEntry(c, Math.Round(rate, 4), Math.Round(score, 4), incident is null ? null : $"sent during incident #{incident.Id} \"{incident.Title}\"");
    }
}
