namespace Firebreak.Core.Publishing.Posts;

using Firebreak.Core.Analysis;
using Firebreak.Core.Incidents;
using Firebreak.Core.Mentions;

/// <summary>
/// The risk check run on every post before approval and again by the outbox just before sending: the text's
/// toxicity and sentiment (the host's analyser), the workspace's sensitive terms, an open incident, publishing holds
/// in event mode, and suspicious links. Each finding says Warn or Block and why; the verdict is the worst.
/// </summary>
public sealed class PrePublishRiskCheck(
    IMentionAnalyser analyser,
    IPostStore posts,
    IIncidentStore incidents,
    IEnumerable<IPublishHolds> holds,
    TimeProvider clock,
    IEnumerable<Drills.IDrillSandboxes>? sandboxes = null) : IPrePublishCheck
{
    /// <summary>How sure the analyser must be of a negative tone before it is worth a warning.</summary>
    public const double NegativeConfidence = 0.6;

    public Task<PrePublishVerdict> CheckAsync(long workspaceId, Platform platform, string text, IReadOnlyList<string> mediaUrls, CancellationToken cancellationToken) =>
        CheckAsync(workspaceId, platform, null, text, [], cancellationToken);

    /// <summary>The full check of a post (its campaign decides whether a campaign hold applies; its links are inspected too).</summary>
    public async Task<PrePublishVerdict> CheckAsync(long workspaceId, Platform platform, string? campaign, string text, IReadOnlyList<string> links, CancellationToken cancellationToken)
    {
        var findings = new List<PrePublishFinding>();
        foreach (var sandbox in sandboxes ?? [])
        {
            // A drill rehearses the crisis, never the publishing: nothing leaves a sandbox, whoever approves it.
            if (await sandbox.IsSandboxAsync(workspaceId, cancellationToken).ConfigureAwait(false))
            {
                findings.Add(new(PrePublishLevel.Block, "drill-sandbox", "this workspace is a drill sandbox: nothing is published from it"));
            }
        }

        await analyser.PrepareAsync(workspaceId, cancellationToken).ConfigureAwait(false);
        findings.AddRange(Tone(workspaceId, platform, text));
        foreach (var term in SensitiveTerms.Find(text, await posts.GetTermsAsync(workspaceId, cancellationToken).ConfigureAwait(false)))
        {
            findings.Add(new(term.Level, "sensitive-term", $"contains '{term.Term}'" + (term.Note is { Length: > 0 } note ? $" ({note})" : string.Empty)));
        }

        var open = await incidents.ListAsync(workspaceId, [IncidentStatus.Active], 5, cancellationToken).ConfigureAwait(false);
        foreach (var incident in open)
        {
            // A Sev1 means a crisis is under way: nothing planned goes out until someone decides it should.
            var level = incident.Severity == IncidentSeverity.Sev1 ? PrePublishLevel.Block : PrePublishLevel.Warn;
            findings.Add(new(level, "active-incident", $"incident '{incident.Title}' ({incident.Severity}) is active; planned cheer can look callous now"));
        }

        foreach (var hold in await ActiveHoldsAsync(workspaceId, cancellationToken).ConfigureAwait(false))
        {
            if (Covers(hold, platform, campaign))
            {
                findings.Add(hold.EventMode
                    ? new(PrePublishLevel.Warn, "event-mode", $"event mode since {hold.Since:yyyy-MM-dd HH:mm} UTC ({hold.Reason}): needs review against the news")
                    : new(PrePublishLevel.Warn, "publishing-paused", $"publishing is paused ({hold.Reason}); it will wait until the hold is lifted"));
            }
        }

        findings.AddRange(LinkInspector.Inspect(text, links));
        var worst = findings.Count == 0 ? PrePublishLevel.Pass : findings.Max(f => f.Level);
        return new PrePublishVerdict(worst, findings);
    }

    /// <summary>The holds in force (none when this host has no outbox registered).</summary>
    public async Task<IReadOnlyList<PublishHold>> ActiveHoldsAsync(long workspaceId, CancellationToken cancellationToken)
    {
        var all = new List<PublishHold>();
        foreach (var source in holds)
        {
            all.AddRange(await source.ActiveAsync(workspaceId, cancellationToken).ConfigureAwait(false));
        }

        return all;
    }

    /// <summary>Whether a hold applies to a post on <paramref name="platform"/> in <paramref name="campaign"/>.</summary>
    public static bool Covers(PublishHold hold, Platform platform, string? campaign) => hold.Scope switch
    {
        HoldScope.Workspace => true,
        HoldScope.Platform => string.Equals(hold.Target, platform.ToWire(), StringComparison.OrdinalIgnoreCase),
        _ => campaign is not null && string.Equals(hold.Target, campaign, StringComparison.OrdinalIgnoreCase),
    };

    private IEnumerable<PrePublishFinding> Tone(long workspaceId, Platform platform, string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            yield break;
        }

        var now = clock.GetUtcNow();
        var probe = new Mention
        {
            WorkspaceId = workspaceId,
            Platform = platform,
            ExternalId = "pre-publish",
            Kind = MentionKind.Post,
            Author = new MentionAuthor("brand", null, 0, false),
            Text = text,
            CreatedAt = now,
            CapturedAt = now,
        };
        analyser.Analyse(new[] { probe });
        var analysis = probe.Analysis;
        if (analysis.Hateful)
        {
            yield return new(PrePublishLevel.Block, "hateful", $"reads as hateful ({analysis.HateConfidence:P0} sure)");
        }
        else if (analysis.Offensive)
        {
            yield return new(PrePublishLevel.Warn, "offensive", $"reads as offensive ({analysis.ToxicityConfidence:P0} sure); reword it unless that is the point");
        }

        if (analysis.Sentiment == Sentiment.Negative && analysis.SentimentConfidence >= NegativeConfidence)
        {
            yield return new(PrePublishLevel.Warn, "negative-tone", $"reads as negative ({analysis.SentimentConfidence:P0} sure); is that the intended tone?");
        }
    }
}
