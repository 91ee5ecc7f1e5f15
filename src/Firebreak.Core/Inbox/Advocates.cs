namespace Firebreak.Core.Inbox;

using System.Globalization;
using Firebreak.Core.Incidents;
using Firebreak.Core.Mentions;
using Firebreak.Core.Wellbeing;

/// <summary>An author who could help: trusted (a record of positive mentions, nothing offensive), positive and widely read.</summary>
public sealed record Advocate(Platform Platform, string Handle, string? DisplayName, long Followers, bool Verified, int Positive, int Negative, int Total, double Score, string Why, Mention Best);

/// <summary>
/// Ranks advocates, pure. An author qualifies with at least <see cref="MinPositive"/> positive mentions, at least
/// <see cref="MinFollowers"/> followers, fewer negative mentions than positive ones, and not one offensive or hateful
/// mention (one is enough to lose trust). Score = reach × record × share, so a big audience counts most, then a longer
/// positive record, then how consistently positive they are:
/// reach = log10(1 + followers) / 6 (a million: 1.0, at most 1.5); record = 1 + log10(positive) (ten positive mentions
/// count double one); share = positive / total;
/// verified accounts × 1.2. Ties: more followers, then the handle. Their best mention is the positive one read most widely
/// (the newest on a tie).
/// </summary>
public static class AdvocateRanking
{
    public const int MinPositive = 2;
    public const long MinFollowers = 1_000;

    public static IReadOnlyList<Advocate> Rank(IEnumerable<Mention> mentions)
    {
        var advocates = new List<Advocate>();
        foreach (var author in mentions.GroupBy(m => (m.Platform, Handle: m.Author.Handle.ToLowerInvariant())))
        {
            var all = author.ToList();
            if (all.Any(m => m.Analysis.Offensive || m.Analysis.Hateful))
            {
                continue;
            }

            var positive = all.Where(m => m.Analysis.Sentiment == Sentiment.Positive).ToList();
            var negative = all.Count(m => m.Analysis.Sentiment == Sentiment.Negative);
            var followers = all.Max(m => m.Author.Followers);
            if (positive.Count < MinPositive || followers < MinFollowers || negative >= positive.Count)
            {
                continue;
            }

            var latest = all.MaxBy(m => m.CreatedAt)!;
            var verified = all.Any(m => m.Author.Verified);
            var reach = Math.Min(1.5, Math.Log10(1 + followers) / 6);
            var record = 1 + Math.Log10(positive.Count);
            var share = (double)positive.Count / all.Count;
            var score = reach * record * share * (verified ? 1.2 : 1.0);
            var best = positive.OrderByDescending(m => m.Reach).ThenByDescending(m => m.CreatedAt).First();
            var why = string.Create(CultureInfo.InvariantCulture, $"{Followers(followers)} followers{(verified ? " (verified)" : string.Empty)} × {positive.Count} positive of {all.Count} mentions{(negative > 0 ? $", {negative} negative" : string.Empty)}");
            advocates.Add(new Advocate(author.Key.Platform, latest.Author.Handle, latest.Author.DisplayName, followers, verified, positive.Count, negative, all.Count, Math.Round(score, 4), why, best));
        }

        return advocates.OrderByDescending(a => a.Score).ThenByDescending(a => a.Followers).ThenBy(a => a.Handle, StringComparer.Ordinal).ToList();
    }

    private static string Followers(long n) => n switch
    {
        >= 1_000_000 => (n / 1_000_000d).ToString("0.#", CultureInfo.InvariantCulture) + "M",
        >= 1_000 => (n / 1_000d).ToString("0.#", CultureInfo.InvariantCulture) + "k",
        _ => n.ToString(CultureInfo.InvariantCulture),
    };
}

/// <summary>The advocates of an incident: authors of the workspace's mentions of its topics (any time), muted ones left out.</summary>
public sealed class AdvocateFinder(IIncidentStore incidents, IMentionReader mentions, MutedAuthors muted)
{
    /// <summary>How many mentions per topic are looked at (newest first).</summary>
    public const int MaxScanned = 5_000;

    public async Task<IReadOnlyList<Advocate>?> FindAsync(long workspaceId, long incidentId, int limit, CancellationToken cancellationToken)
    {
        if (await incidents.GetAsync(workspaceId, incidentId, cancellationToken).ConfigureAwait(false) is not { } incident)
        {
            return null;
        }

        var found = new Dictionary<long, Mention>();
        IReadOnlyList<long?> topics = incident.TopicIds.Count == 0 || incident.TopicIds.Contains(0) ? [null] : [.. incident.TopicIds.Select(t => (long?)t)];
        foreach (var topic in topics)
        {
            var page = await mentions.ListAsync(workspaceId, new MentionFilter { TopicId = topic }, null, MaxScanned, cancellationToken).ConfigureAwait(false);
            foreach (var mention in page.Items)
            {
                found[mention.Id] = mention;
            }
        }

        var (kept, _) = await muted.FilterAsync(workspaceId, [.. found.Values], cancellationToken).ConfigureAwait(false);
        return AdvocateRanking.Rank(kept).Take(limit).ToList();
    }
}
