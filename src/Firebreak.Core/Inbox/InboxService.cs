namespace Firebreak.Core.Inbox;

using System.Text.Json.Nodes;
using Firebreak.Core.Incidents;
using Firebreak.Core.Mentions;
using Firebreak.Core.Wellbeing;

/// <summary>One mention in an incident's inbox: its risk and why, who holds it, how long it has waited and whether that is past target.</summary>
public sealed record InboxItem(Mention Mention, RiskScore Risk, MentionClaim? Claim, TimeSpan Waited, TimeSpan Target, bool Answered)
{
    public bool PastTarget => !Answered && Waited > Target;
}

public sealed record InboxPage(IReadOnlyList<InboxItem> Items, int Total, int Hidden, int? NextOffset, ResponseTargets Targets);

public enum InboxOutcome
{
    Done = 1,
    NotFound = 2,

    /// <summary>Someone else holds the mention, or the reply is not in a state for this.</summary>
    Conflict = 3,

    /// <summary>The input is wrong (too long for the platform, unknown template): <see cref="InboxResult{T}.Field"/> names it.</summary>
    Invalid = 4,

    /// <summary>Not this person's to do (not the claimer; approving one's own reply).</summary>
    Forbidden = 5,
}

public sealed record InboxResult<T>(InboxOutcome Outcome, T? Value, string? Message = null, string? Field = null, MentionClaim? Holder = null);

/// <summary>A reply to compose: a template (filled with the variables) or free text.</summary>
public sealed record ReplyDraft(long MentionId, long? TemplateId, string? Text, string? Brand, string? Case);

/// <summary>
/// The incident inbox: the mentions of the incident's topics (and platforms, if set) since an hour before it was declared,
/// ranked by <see cref="RiskRanking"/>; claims so two people never answer one mention; replies queued in an outbox, through an
/// approver when the incident has one. Every reply change is on the incident's timeline.
/// </summary>
public sealed class InboxService(IInboxStore store, IIncidentStore incidents, IMentionReader mentions, MutedAuthors muted, Drills.IDrillSandboxes sandboxes, TimeProvider clock)
{
    /// <summary>How many mentions per topic the inbox looks at (newest first) before ranking.</summary>
    public const int MaxScanned = 2_000;

    public IInboxStore Store => store;

    public async Task<InboxPage?> ListAsync(long workspaceId, long incidentId, int offset, int limit, CancellationToken cancellationToken)
    {
        if (await incidents.GetAsync(workspaceId, incidentId, cancellationToken).ConfigureAwait(false) is not { } incident)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        var found = new Dictionary<long, Mention>();
        IReadOnlyList<long?> topics = incident.TopicIds.Count == 0 || incident.TopicIds.Contains(0) ? [null] : [.. incident.TopicIds.Select(t => (long?)t)];
        var platforms = incident.Platforms.Select(p => EnumNames.TryParsePlatform(p, out var parsed) ? parsed : (Platform?)null).OfType<Platform>().ToHashSet();
        foreach (var topic in topics)
        {
            var filter = new MentionFilter { TopicId = topic, From = incident.DeclaredAt.AddHours(-1) };
            var page = await mentions.ListAsync(workspaceId, filter, null, MaxScanned, cancellationToken).ConfigureAwait(false);
            foreach (var mention in page.Items.Where(m => platforms.Count == 0 || platforms.Contains(m.Platform)))
            {
                found[mention.Id] = mention;
            }
        }

        var (kept, hidden) = await muted.FilterAsync(workspaceId, [.. found.Values], cancellationToken).ConfigureAwait(false);
        var targets = await store.GetTargetsAsync(workspaceId, cancellationToken).ConfigureAwait(false);
        var claims = (await store.ListClaimsAsync(workspaceId, now, cancellationToken).ConfigureAwait(false)).ToDictionary(c => c.MentionId);
        var answered = (await store.ListRepliesAsync(workspaceId, incidentId, cancellationToken).ConfigureAwait(false))
            .GroupBy(r => r.MentionId).ToDictionary(g => g.Key, g => g.Min(r => r.CreatedAt));
        var ranked = RiskRanking.Rank(kept, now);
        var items = ranked.Skip(offset).Take(limit).Select(x =>
        {
            var replied = answered.TryGetValue(x.Mention.Id, out var at);
            var waited = (replied ? at : now) - x.Mention.CreatedAt;
            return new InboxItem(x.Mention, x.Risk, claims.GetValueOrDefault(x.Mention.Id), waited < TimeSpan.Zero ? TimeSpan.Zero : waited, targets.For(x.Risk), replied);
        }).ToList();
        return new InboxPage(items, ranked.Count, hidden, offset + limit < ranked.Count ? offset + limit : null, targets);
    }

    /// <summary>Claims (or renews) a mention for <paramref name="actor"/>; with <paramref name="assignee"/> a manager hands it to someone else.</summary>
    public async Task<InboxResult<MentionClaim>> ClaimAsync(long workspaceId, long incidentId, long mentionId, IncidentActor actor, IncidentActor? assignee, CancellationToken cancellationToken)
    {
        if (await incidents.GetAsync(workspaceId, incidentId, cancellationToken).ConfigureAwait(false) is null
            || await mentions.GetAsync(workspaceId, mentionId, cancellationToken).ConfigureAwait(false) is null)
        {
            return new(InboxOutcome.NotFound, null);
        }

        var holder = assignee ?? actor;
        var now = clock.GetUtcNow();
        var result = await store.ClaimAsync(new MentionClaim(workspaceId, mentionId, incidentId, holder.AccountId ?? 0, holder.Name, now, now + MentionClaim.Lifetime), force: assignee is not null, cancellationToken).ConfigureAwait(false);
        return result.Won
            ? new(InboxOutcome.Done, result.Claim)
            : new(InboxOutcome.Conflict, null, $"{result.Claim.Name} is answering this mention (claimed until {result.Claim.ExpiresAt:HH:mm} UTC).", Holder: result.Claim);
    }

    public Task<bool> ReleaseAsync(long workspaceId, long mentionId, long? accountId, CancellationToken cancellationToken) =>
        store.ReleaseAsync(workspaceId, mentionId, accountId, cancellationToken);

    /// <summary>Renders, checks and queues a reply by the person holding the mention's claim.</summary>
    public async Task<InboxResult<OutboxReply>> ReplyAsync(long workspaceId, long incidentId, ReplyDraft draft, IncidentActor actor, CancellationToken cancellationToken)
    {
        if (await incidents.GetAsync(workspaceId, incidentId, cancellationToken).ConfigureAwait(false) is not { } incident
            || await mentions.GetAsync(workspaceId, draft.MentionId, cancellationToken).ConfigureAwait(false) is not { } mention)
        {
            return new(InboxOutcome.NotFound, null);
        }

        var now = clock.GetUtcNow();
        var claim = await store.GetClaimAsync(workspaceId, draft.MentionId, now, cancellationToken).ConfigureAwait(false);
        if (claim is null || claim.AccountId != actor.AccountId)
        {
            return new(InboxOutcome.Forbidden, null, claim is null
                ? "Claim the mention first: only the person holding its claim may reply."
                : $"{claim.Name} holds this mention; only they may reply.", Holder: claim);
        }

        string source;
        if (draft.TemplateId is { } templateId)
        {
            if (await store.GetTemplateAsync(workspaceId, templateId, cancellationToken).ConfigureAwait(false) is not { } template)
            {
                return new(InboxOutcome.Invalid, null, $"template {templateId} does not exist in this workspace", "templateId");
            }

            source = template.Text;
        }
        else
        {
            source = draft.Text ?? string.Empty;
        }

        var rendered = ReplyTemplates.Render(source, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["author"] = "@" + mention.Author.Handle,
            ["brand"] = draft.Brand ?? string.Empty,
            ["case"] = draft.Case ?? $"#{incident.Id}-{mention.Id}",
        });
        if (string.IsNullOrWhiteSpace(rendered.Text))
        {
            return new(InboxOutcome.Invalid, null, "is required: a template or the text of the reply", "text");
        }

        if (rendered.Unknown.Count > 0)
        {
            return new(InboxOutcome.Invalid, null, $"has unknown variables {string.Join(", ", rendered.Unknown.Select(u => "{" + u + "}"))}; use {{author}}, {{brand}} or {{case}}", "text");
        }

        if (ReplyLimits.Check(mention.Platform, rendered.Text) is { } tooLong)
        {
            return new(InboxOutcome.Invalid, null, tooLong, "text");
        }

        var needsApproval = (await incidents.ListRolesAsync(incidentId, cancellationToken).ConfigureAwait(false)).Any(r => r.Role == IncidentRole.Approver);
        // A drill sandbox never sends: its replies are kept as the team's answers ("drill, not sent").
        var ready = await sandboxes.IsSandboxAsync(workspaceId, cancellationToken).ConfigureAwait(false) ? ReplyState.Drill : ReplyState.Queued;
        var reply = new OutboxReply
        {
            WorkspaceId = workspaceId,
            IncidentId = incidentId,
            MentionId = mention.Id,
            Platform = mention.Platform,
            Text = rendered.Text,
            TemplateId = draft.TemplateId,
            Author = actor,
            NeedsApproval = needsApproval,
            State = needsApproval ? ReplyState.PendingApproval : ready,
            CreatedAt = now,
            UpdatedAt = now,
        };
        var entry = Entry(now, actor, needsApproval
            ? $"Reply to @{mention.Author.Handle} on {mention.Platform.ToWire()} awaits approval"
            : $"Reply to @{mention.Author.Handle} on {mention.Platform.ToWire()} {(ready == ReplyState.Drill ? "kept (drill, not sent)" : "queued")}", reply, "composed");
        return new(InboxOutcome.Done, await store.AddReplyAsync(reply, entry, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Approves a pending reply: queued for sending. The caller checked the approver role (or Manager+); nobody approves their own.
    /// </summary>
    public async Task<InboxResult<OutboxReply>> ApproveAsync(long workspaceId, long incidentId, long replyId, IncidentActor actor, CancellationToken cancellationToken)
    {
        if (await store.GetReplyAsync(workspaceId, replyId, cancellationToken).ConfigureAwait(false) is not { } reply || reply.IncidentId != incidentId)
        {
            return new(InboxOutcome.NotFound, null);
        }

        if (reply.Author.AccountId == actor.AccountId)
        {
            return new(InboxOutcome.Forbidden, null, "Nobody approves their own reply: ask another approver.");
        }

        if (reply.State != ReplyState.PendingApproval)
        {
            return new(InboxOutcome.Conflict, reply, $"The reply is {Wire(reply.State)}, not awaiting approval.");
        }

        var now = clock.GetUtcNow();
        var drill = await sandboxes.IsSandboxAsync(workspaceId, cancellationToken).ConfigureAwait(false);
        var approved = reply with { State = drill ? ReplyState.Drill : ReplyState.Queued, ApprovedBy = actor, ApprovedAt = now, UpdatedAt = now };
        var saved = await store.UpdateReplyAsync(approved, ReplyState.PendingApproval, Entry(now, actor, $"Reply {reply.Id} approved by {actor.Name} and {(drill ? "kept (drill, not sent)" : "queued")}", approved, "approved"), cancellationToken).ConfigureAwait(false);
        return saved is null ? new(InboxOutcome.Conflict, reply, "The reply changed meanwhile; read it again.") : new(InboxOutcome.Done, saved);
    }

    /// <summary>Queues a failed reply again.</summary>
    public async Task<InboxResult<OutboxReply>> RetryAsync(long workspaceId, long incidentId, long replyId, IncidentActor actor, CancellationToken cancellationToken)
    {
        if (await store.GetReplyAsync(workspaceId, replyId, cancellationToken).ConfigureAwait(false) is not { } reply || reply.IncidentId != incidentId)
        {
            return new(InboxOutcome.NotFound, null);
        }

        if (reply.State != ReplyState.Failed)
        {
            return new(InboxOutcome.Conflict, reply, $"Only a failed reply can be retried; this one is {Wire(reply.State)}.");
        }

        var now = clock.GetUtcNow();
        var queued = reply with { State = ReplyState.Queued, Error = null, UpdatedAt = now };
        var saved = await store.UpdateReplyAsync(queued, ReplyState.Failed, Entry(now, actor, $"Reply {reply.Id} queued again by {actor.Name}", queued, "retried"), cancellationToken).ConfigureAwait(false);
        return saved is null ? new(InboxOutcome.Conflict, reply, "The reply changed meanwhile; read it again.") : new(InboxOutcome.Done, saved);
    }

    public static string Wire(ReplyState state) => state switch
    {
        ReplyState.PendingApproval => "pendingApproval",
        ReplyState.Queued => "queued",
        ReplyState.Sent => "sent",
        ReplyState.Drill => "drill",
        _ => "failed",
    };

    private static TimelineDraft Entry(DateTimeOffset at, IncidentActor actor, string text, OutboxReply reply, string action) =>
        new(at, actor, TimelineKind.Reply, text, new JsonObject
        {
            ["action"] = action,
            ["replyId"] = reply.Id == 0 ? null : reply.Id,
            ["mentionId"] = reply.MentionId,
            ["state"] = Wire(reply.State),
        }.ToJsonString());
}
