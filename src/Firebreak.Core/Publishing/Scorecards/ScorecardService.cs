namespace Firebreak.Core.Publishing.Scorecards;

using Firebreak.Core.Connectors;
using Firebreak.Core.Incidents;
using Firebreak.Core.Mentions;
using Firebreak.Core.Publishing.Posts;

/// <summary>How a past post becomes a new draft.</summary>
public enum RecycleMode
{
    /// <summary>Same text, media, links, platform and account.</summary>
    Repost = 1,

    /// <summary>Text prefilled for editing, optionally for another platform (its limits are checked).</summary>
    Remix = 2,
}

/// <summary>The recycler's answer: the draft (through the normal workflow), or why not.</summary>
public sealed record RecycleResult(PostResult? Draft, string? Refusal, string? IncidentWarning);

/// <summary>
/// Gathers what the scorecards are computed from, on main's real sources: the posts and their outcomes (the calendar),
/// the brand's own posts read back by the connectors as mentions (engagement counters, reach, the author's followers),
/// connector health and connections (API errors, outages, token expiry, revocation), goals and policy events from the
/// team; then runs <see cref="ScorecardCalculator"/>. Also the best-of recycler.
/// </summary>
public sealed class ScorecardService(
    IScorecardStore store,
    PostService posts,
    IMentionReader mentions,
    IIncidentStore incidents,
    IEnumerable<IConnectorStore> connectors,
    TimeProvider clock)
{
    public static readonly IReadOnlyList<int> Windows = [7, 30, 90];
    public const int MaxPosts = 5_000;
    public const int MaxReadBackPerAccount = 20_000;

    /// <summary>An API that has not answered well for this long, with errors since, is counted as down.</summary>
    public static readonly TimeSpan OutageAfter = TimeSpan.FromHours(1);

    public IScorecardStore Store => store;

    public async Task<Scorecard> ComputeAsync(long workspaceId, int windowDays, CancellationToken ct)
    {
        var input = await GatherAsync(workspaceId, windowDays, windowDays * 3, ct).ConfigureAwait(false);
        return ScorecardCalculator.Compute(input);
    }

    /// <summary>Past sent posts with read-back engagement, ranked (see <see cref="BestOfRanker"/>), with how many had no data.</summary>
    public async Task<(IReadOnlyList<BestOfEntry> Entries, int WithoutData)> BestOfAsync(long workspaceId, Platform? platform, int limit, CancellationToken ct)
    {
        var (candidates, withoutData) = await CandidatesAsync(workspaceId, platform, ct).ConfigureAwait(false);
        var periods = await IncidentPeriodsAsync(workspaceId, ct).ConfigureAwait(false);
        return (BestOfRanker.Rank(candidates, periods, clock.GetUtcNow(), limit), withoutData);
    }

    /// <summary>Creates a draft from a sent post through <see cref="PostService"/>; refuses one sent during an incident unless acknowledged.</summary>
    public async Task<RecycleResult?> DraftAsync(long workspaceId, long postId, RecycleMode mode, Platform? platform, bool acknowledgeIncident, IncidentActor actor, CancellationToken ct)
    {
        if (await posts.Store.GetAsync(workspaceId, postId, ct).ConfigureAwait(false) is not { State: PostState.Sent } source)
        {
            return null;
        }

        var sentAt = SentAt(source);
        var incident = (await IncidentPeriodsAsync(workspaceId, ct).ConfigureAwait(false)).FirstOrDefault(i => i.Covers(sentAt));
        var warning = incident is null ? null : $"this post was sent during incident #{incident.Id} \"{incident.Title}\"; reposting it may look tone-deaf or reopen the story";
        if (warning is not null && !acknowledgeIncident)
        {
            return new RecycleResult(null, warning + "; confirm to draft it anyway", warning);
        }

        var target = mode == RecycleMode.Remix && platform is { } other ? other : source.Platform;
        var account = target == source.Platform ? source.AccountKey : (await posts.AccountsAsync(workspaceId, ct).ConfigureAwait(false)).FirstOrDefault(a => a.Platform == target)?.AccountKey ?? string.Empty;
        var draft = new PostDraft(target, account, source.Text, mode == RecycleMode.Repost || target == source.Platform ? source.Media : [], source.Links, source.Campaign, null);
        var created = await posts.CreateAsync(workspaceId, draft, actor, ct).ConfigureAwait(false);
        if (created.Post is { } saved)
        {
            await posts.CommentAsync(workspaceId, saved.Id, actor, $"{(mode == RecycleMode.Repost ? "repost" : "remix")} of post #{source.Id}" + (warning is null ? string.Empty : $" ({warning}; acknowledged)"), ct).ConfigureAwait(false);
        }

        return new RecycleResult(created, null, warning);
    }

    /// <summary>The scorecard's input over the last <paramref name="spanDays"/> days, computed for a <paramref name="windowDays"/> window.</summary>
    public async Task<ScorecardInput> GatherAsync(long workspaceId, int windowDays, int spanDays, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var since = now - TimeSpan.FromDays(spanDays);
        var planned = await posts.Store.ListAsync(workspaceId, since, now, false, MaxPosts, ct).ConfigureAwait(false);
        var attempted = planned.Where(p => p.State is PostState.Sent or PostState.Failed or PostState.Blocked).ToList();
        var connections = connectors.FirstOrDefault() is { } connectorStore ? await connectorStore.ListConnectionsAsync(workspaceId, ct).ConfigureAwait(false) : [];
        var health = connectors.FirstOrDefault() is { } healthStore ? await healthStore.ListHealthAsync(workspaceId, ct).ConfigureAwait(false) : [];
        var (readBack, followers) = await ReadBackAsync(workspaceId, connections, since, ct).ConfigureAwait(false);

        var figures = attempted.Select(p =>
        {
            var mention = p.RemoteUrl is { } url && readBack.TryGetValue(url, out var m) ? m : null;
            var outcome = p.State switch { PostState.Sent => PublishOutcomeKind.Sent, PostState.Failed => PublishOutcomeKind.Failed, _ => PublishOutcomeKind.Blocked };
            return new PostFigure(p.Id, p.Platform, p.AccountKey, outcome, SentAt(p), mention?.Engagement, mention?.Reach);
        }).ToList();
        var accounts = connections.Select(c => new AccountStatus(c.Platform, c.AccountKey, c.ExpiresAt, c.State is ConnectionState.Revoked or ConnectionState.Expired)).ToList();
        var platformHealth = health.GroupBy(h => h.Platform).Select(g => new PlatformHealth(g.Key, g.Max(h => h.ErrorRate), DownSince(g, now))).ToList();
        var goals = await store.GetGoalsAsync(workspaceId, ct).ConfigureAwait(false);
        var events = await store.ListPolicyEventsAsync(workspaceId, since - ScorecardCalculator.PolicyMemory, 1_000, ct).ConfigureAwait(false);
        return new ScorecardInput(now, windowDays, figures, followers, accounts, platformHealth, goals, events);
    }

    public static DateTimeOffset SentAt(Post post) => post.Schedule?.At ?? post.UpdatedAt;

    // Down: no success for OutageAfter and an error after the last success (a quiet source is not an outage).
    private static DateTimeOffset? DownSince(IEnumerable<ConnectorHealth> sources, DateTimeOffset now)
    {
        var down = sources.Where(h => h.LastErrorAt is { } error && (h.LastSuccessAt is null || error > h.LastSuccessAt) && (h.LastSuccessAt is null || now - h.LastSuccessAt > OutageAfter)).ToList();
        return down.Count == 0 ? null : down.Min(h => h.LastSuccessAt ?? h.LastErrorAt);
    }

    // The brand's own posts, as the connectors ingested them: mentions on the account's platform by the account's handle.
    // Keyed by URL, which is what the outbox recorded for the sent post.
    private async Task<(Dictionary<string, Mention> ByUrl, List<FollowerSample> Followers)> ReadBackAsync(long workspaceId, IReadOnlyList<Connection> connections, DateTimeOffset since, CancellationToken ct)
    {
        var byUrl = new Dictionary<string, Mention>(StringComparer.Ordinal);
        var followers = new List<FollowerSample>();
        foreach (var connection in connections)
        {
            var seen = 0;
            var filter = new MentionFilter { Platform = connection.Platform, Author = connection.Handle, From = since };
            await foreach (var mention in mentions.StreamAsync(workspaceId, filter, ct).ConfigureAwait(false))
            {
                if (mention.Url is { } url)
                {
                    byUrl.TryAdd(url, mention);
                }

                if (mention.Author.Followers > 0)
                {
                    followers.Add(new FollowerSample(connection.Platform, connection.AccountKey, mention.CapturedAt, mention.Author.Followers));
                }

                if (++seen >= MaxReadBackPerAccount)
                {
                    break;
                }
            }
        }

        return (byUrl, followers);
    }

    private async Task<(List<BestOfCandidate> Candidates, int WithoutData)> CandidatesAsync(long workspaceId, Platform? platform, CancellationToken ct)
    {
        var input = await GatherAsync(workspaceId, 365, 365, ct).ConfigureAwait(false);
        var sent = input.Posts.Where(p => p.Outcome == PublishOutcomeKind.Sent && (platform is null || p.Platform == platform)).ToList();
        var candidates = new List<BestOfCandidate>();
        foreach (var figure in sent.Where(p => p.Engagement is not null && p.Reach is not null))
        {
            if (await posts.Store.GetAsync(workspaceId, figure.PostId, ct).ConfigureAwait(false) is { } post)
            {
                candidates.Add(new BestOfCandidate(post.Id, post.Platform, post.AccountKey, post.Text, figure.At, figure.Engagement!.Value, figure.Reach!.Value));
            }
        }

        return (candidates, sent.Count - candidates.Count);
    }

    private async Task<IReadOnlyList<IncidentPeriod>> IncidentPeriodsAsync(long workspaceId, CancellationToken ct) =>
        [.. (await incidents.ListAsync(workspaceId, null, 1_000, ct).ConfigureAwait(false)).Select(i => new IncidentPeriod(i.Id, i.Title, i.DeclaredAt, i.ResolvedAt))];
}
