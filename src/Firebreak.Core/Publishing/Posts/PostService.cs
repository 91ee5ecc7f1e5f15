namespace Firebreak.Core.Publishing.Posts;

using Firebreak.Core.Incidents;
using Firebreak.Core.Mentions;
using Firebreak.Core.Security;

/// <summary>What the author writes: content, and optionally when (a wall time in their zone).</summary>
public sealed record PostDraft(
    Platform Platform,
    string AccountKey,
    string Text,
    IReadOnlyList<PostMedia> Media,
    IReadOnlyList<string> Links,
    string? Campaign,
    ScheduleInput? Schedule);

/// <summary>A wall time in an IANA zone; <see cref="Ambiguous"/> picks which of a repeated hour.</summary>
public sealed record ScheduleInput(DateTime LocalTime, string TimeZone, AmbiguousTime Ambiguous = AmbiguousTime.Unspecified);

public enum PostOutcome
{
    Done,
    NotFound,
    Invalid,
    Stale,
    WrongState,
    Forbidden,
    Blocked,
    NeedsAcknowledgement,
}

/// <summary>A post operation's result: the post, or why not (issues, the risk verdict, a message), plus any warnings.</summary>
public sealed record PostResult(PostOutcome Outcome, Post? Post, IReadOnlyList<PostIssue> Issues, PrePublishVerdict? Verdict, string Message)
{
    public static PostResult Missing { get; } = new(PostOutcome.NotFound, null, [], null, "no such post");

    public static PostResult Of(PostOutcome outcome, Post? post, string message) => new(outcome, post, [], null, message);
}

/// <summary>
/// Posts from draft to the outbox: every rule of publishing governance is applied here (limits before review, the
/// workflow's approvers, resets on edit, the risk check before approval), and the outbox is told of every
/// approved, edited, unscheduled or deleted post. The outbox, holds and accounts are optional: a host without them
/// still plans and approves.
/// </summary>
public sealed class PostService(
    IPostStore store,
    PrePublishRiskCheck check,
    IAccountStore accounts,
    IEnumerable<IPublishQueue> queues,
    IEnumerable<IPlatformAccounts> platformAccounts,
    TimeProvider clock) : IPublishOutcomeSink
{
    public const int MaxComment = 4_000;
    public const int MaxMediaOrLinks = 50;
    public const int MaxCampaign = 100;
    public const int MaxAccountKey = 300;

    public IPostStore Store => store;

    public PrePublishRiskCheck Check => check;

    public async Task<ApprovalWorkflow> WorkflowAsync(long workspaceId, CancellationToken ct) =>
        await store.GetWorkflowAsync(workspaceId, ct).ConfigureAwait(false) ?? ApprovalWorkflow.Default;

    public async Task<ApprovalProgress> ProgressAsync(Post post, CancellationToken ct) =>
        ApprovalRules.Progress(await WorkflowAsync(post.WorkspaceId, ct).ConfigureAwait(false), post, await accounts.ListMembersAsync(post.WorkspaceId, ct).ConfigureAwait(false));

    /// <summary>The workspace's owned accounts (none when this host has no connectors).</summary>
    public async Task<IReadOnlyList<PlatformAccount>> AccountsAsync(long workspaceId, CancellationToken ct)
    {
        var all = new List<PlatformAccount>();
        foreach (var source in platformAccounts)
        {
            all.AddRange(await source.ListAsync(workspaceId, ct).ConfigureAwait(false));
        }

        return all;
    }

    /// <summary>Everything that keeps the post from review: its platform's limits, its schedule still ahead, an account.</summary>
    public async Task<IReadOnlyList<PostIssue>> ReadinessAsync(Post post, CancellationToken ct)
    {
        var issues = PlatformLimits.Validate(post.Platform, post.Text, post.Media, post.Links).ToList();
        if (ScheduleTime.CheckStillAhead(post.Schedule, clock.GetUtcNow()) is { } stale)
        {
            issues.Add(stale);
        }

        if (post.AccountKey.Length == 0)
        {
            issues.Add(new PostIssue("accountKey", $"choose the {post.Platform.ToWire()} account to post from"));
        }
        else if (platformAccounts.Any())
        {
            var owned = await AccountsAsync(post.WorkspaceId, ct).ConfigureAwait(false);
            if (!owned.Any(a => a.AccountKey == post.AccountKey && a.Platform == post.Platform))
            {
                issues.Add(new PostIssue("accountKey", $"'{post.AccountKey}' is not one of this workspace's {post.Platform.ToWire()} accounts; connect it first"));
            }
        }

        return issues;
    }

    public async Task<PostResult> CreateAsync(long workspaceId, PostDraft draft, IncidentActor actor, CancellationToken ct)
    {
        var (post, issues, warning) = Build(new Post { WorkspaceId = workspaceId, Platform = draft.Platform, Text = draft.Text, AuthorId = actor.AccountId, AuthorName = actor.Name }, draft);
        if (post is null)
        {
            return new(PostOutcome.Invalid, null, issues, null, "the post was not saved");
        }

        var now = clock.GetUtcNow();
        var saved = await store.CreateAsync(post with { CreatedAt = now, UpdatedAt = now }, Entry(actor, PostEventKind.Created, Describe(post)), ct).ConfigureAwait(false);
        return new(PostOutcome.Done, saved, Warnings(issues, warning), null, "created");
    }

    /// <summary>Edits content and/or schedule. A content change bumps the revision and resets approvals (back to review).</summary>
    public async Task<PostResult> UpdateAsync(long workspaceId, long id, int expectedVersion, PostDraft draft, IncidentActor actor, CancellationToken ct)
    {
        if (await store.GetAsync(workspaceId, id, ct).ConfigureAwait(false) is not { } current)
        {
            return PostResult.Missing;
        }

        if (current.Version != expectedVersion)
        {
            return PostResult.Of(PostOutcome.Stale, current, $"the post changed since you read it (version {expectedVersion}, now {current.Version}); reload and edit again");
        }

        if (current.State == PostState.Sent)
        {
            return PostResult.Of(PostOutcome.WrongState, current, "the post was sent; write a new one instead");
        }

        var (edited, issues, warning) = Build(current, draft);
        if (edited is null)
        {
            return new(PostOutcome.Invalid, current, issues, null, "nothing was changed");
        }

        var now = clock.GetUtcNow();
        var entries = new List<PostEventDraft>();
        var contentChanged = edited.ContentDiffers(current);
        var timeChanged = edited.Schedule != current.Schedule;
        if (contentChanged)
        {
            var reset = current.State is PostState.Draft ? PostState.Draft : PostState.InReview;
            if (current.State == PostState.Scheduled && !await WithdrawAsync(current, ct).ConfigureAwait(false))
            {
                return PostResult.Of(PostOutcome.WrongState, current, "the outbox is already sending this post; it can no longer be changed");
            }

            edited = edited with { Revision = current.Revision + 1, State = reset, Note = null };
            var resetNote = current.CurrentApprovals.Any() ? "; approvals reset" : string.Empty;
            entries.Add(Entry(actor, PostEventKind.Edited, $"revision {edited.Revision}{resetNote}: {Describe(edited)}", now));
        }

        if (timeChanged)
        {
            entries.Add(Entry(actor, edited.Schedule is null ? PostEventKind.Unscheduled : PostEventKind.Scheduled, When(edited.Schedule), now));
        }

        if (entries.Count == 0)
        {
            return new(PostOutcome.Done, current, Warnings(issues, warning), null, "no change");
        }

        edited = edited with { UpdatedAt = now };
        if (!contentChanged && timeChanged && edited.State is PostState.Approved or PostState.Scheduled)
        {
            // A new time for approved content keeps its approvals; the outbox gets the new time (or loses the item).
            var (state, note) = await HandOverAsync(edited, ct).ConfigureAwait(false);
            if (state is null)
            {
                return PostResult.Of(PostOutcome.WrongState, current, note!);
            }

            edited = edited with { State = state.Value };
            if (note is not null)
            {
                entries.Add(Entry(actor, PostEventKind.Scheduled, note, now));
            }
        }

        var saved = await store.UpdateAsync(edited, expectedVersion, entries, ct).ConfigureAwait(false);
        return saved is null
            ? PostResult.Of(PostOutcome.Stale, await store.GetAsync(workspaceId, id, ct).ConfigureAwait(false), "the post changed while you edited it; reload and edit again")
            : new(PostOutcome.Done, saved, Warnings(issues, warning), null, contentChanged ? $"revision {saved.Revision}" : "rescheduled");
    }

    public async Task<PostResult> SubmitAsync(long workspaceId, long id, IncidentActor actor, CancellationToken ct)
    {
        if (await store.GetAsync(workspaceId, id, ct).ConfigureAwait(false) is not { } post)
        {
            return PostResult.Missing;
        }

        if (post.State is not (PostState.Draft or PostState.ReturnedForReview or PostState.Failed or PostState.Blocked))
        {
            return PostResult.Of(PostOutcome.WrongState, post, $"the post is {post.State}; only a draft (or one sent back) goes to review");
        }

        var issues = await ReadinessAsync(post, ct).ConfigureAwait(false);
        if (issues.Any(i => i.Error))
        {
            return new(PostOutcome.Invalid, post, issues, null, "fix these before review");
        }

        var verdict = await RiskAsync(post, ct).ConfigureAwait(false);
        if (verdict.Level == PrePublishLevel.Block)
        {
            return new(PostOutcome.Blocked, post, issues, verdict, "the risk check blocks this post");
        }

        var progress = await ProgressAsync(post with { State = PostState.InReview }, ct).ConfigureAwait(false);
        var saved = await store.UpdateAsync(
            post with { State = PostState.InReview, Approvals = [], Note = null, UpdatedAt = clock.GetUtcNow() },
            post.Version,
            [Entry(actor, PostEventKind.Submitted, progress.Summary)],
            ct).ConfigureAwait(false);
        return saved is null ? Stale(post) : new(PostOutcome.Done, saved, issues, verdict, progress.Summary);
    }

    /// <summary>
    /// Approves the current step as <paramref name="actor"/>. Refused for one's own post, for those the step does not
    /// name, when the limits or risk check block it, and (until <paramref name="acknowledged"/>) when it warns.
    /// </summary>
    public async Task<PostResult> ApproveAsync(long workspaceId, long id, int? expectedVersion, IncidentActor actor, bool acknowledged, CancellationToken ct)
    {
        if (await store.GetAsync(workspaceId, id, ct).ConfigureAwait(false) is not { } post)
        {
            return PostResult.Missing;
        }

        if (expectedVersion is { } version && version != post.Version)
        {
            return PostResult.Of(PostOutcome.Stale, post, $"the post changed since you read it (version {version}, now {post.Version}); read it again before approving");
        }

        var workflow = await WorkflowAsync(workspaceId, ct).ConfigureAwait(false);
        var members = await accounts.ListMembersAsync(workspaceId, ct).ConfigureAwait(false);
        var decision = ApprovalRules.CanApprove(workflow, post, actor.AccountId ?? -1, members);
        if (!decision.Allowed)
        {
            var outcome = decision.Refusal is ApprovalRefusal.NotInReview or ApprovalRefusal.AlreadyApproved or ApprovalRefusal.StepCannotComplete
                ? PostOutcome.WrongState
                : PostOutcome.Forbidden;
            return PostResult.Of(outcome, post, decision.Message);
        }

        var issues = await ReadinessAsync(post, ct).ConfigureAwait(false);
        if (issues.Any(i => i.Error))
        {
            return new(PostOutcome.Invalid, post, issues, null, "fix these before approval");
        }

        var verdict = await RiskAsync(post, ct).ConfigureAwait(false);
        if (verdict.Level == PrePublishLevel.Block)
        {
            return new(PostOutcome.Blocked, post, issues, verdict, "the risk check blocks this post");
        }

        if (verdict.Level == PrePublishLevel.Warn && !acknowledged)
        {
            return new(PostOutcome.NeedsAcknowledgement, post, issues, verdict, "the risk check warns; approve again acknowledging the warnings");
        }

        var now = clock.GetUtcNow();
        var entries = new List<PostEventDraft>();
        if (verdict.Level == PrePublishLevel.Warn)
        {
            entries.Add(Entry(actor, PostEventKind.WarningsAcknowledged, string.Join("; ", verdict.Findings.Select(f => $"{f.Code}: {f.Reason}")), now));
        }

        var approved = post with { Approvals = [.. post.Approvals, new PostApproval(actor.AccountId!.Value, actor.Name, decision.Step, post.Revision, now)], UpdatedAt = now };
        var progress = ApprovalRules.Progress(workflow, approved, members);
        entries.Add(Entry(actor, PostEventKind.Approved, $"step {decision.Step + 1} of {workflow.Steps.Count}; {progress.Summary}", now));
        if (progress.Complete)
        {
            approved = approved with { State = PostState.Approved };
            var (state, note) = await HandOverAsync(approved, ct).ConfigureAwait(false);
            approved = approved with { State = state ?? PostState.Approved };
            if (note is not null)
            {
                entries.Add(Entry(actor, PostEventKind.Scheduled, note, now));
            }
        }

        var saved = await store.UpdateAsync(approved, post.Version, entries, ct).ConfigureAwait(false);
        return saved is null ? Stale(post) : new(PostOutcome.Done, saved, issues, verdict, progress.Summary);
    }

    /// <summary>Sends the post back to its author as a draft, with the reason; its approvals are cleared.</summary>
    public async Task<PostResult> RejectAsync(long workspaceId, long id, IncidentActor actor, WorkspaceRole role, string reason, CancellationToken ct)
    {
        if (await store.GetAsync(workspaceId, id, ct).ConfigureAwait(false) is not { } post)
        {
            return PostResult.Missing;
        }

        if (post.State is not (PostState.InReview or PostState.Approved))
        {
            return PostResult.Of(PostOutcome.WrongState, post, $"the post is {post.State}; only one in review or approved (not yet scheduled) can be rejected");
        }

        var progress = await ProgressAsync(post, ct).ConfigureAwait(false);
        if (post.AuthorId == actor.AccountId || (role < WorkspaceRole.Manager && !progress.Waiting.Contains(actor.AccountId ?? -1)))
        {
            return PostResult.Of(PostOutcome.Forbidden, post, "only an approver of the current step (or a Manager), other than the author, rejects a post; the author edits it instead");
        }

        var saved = await store.UpdateAsync(
            post with { State = PostState.Draft, Approvals = [], Note = reason, UpdatedAt = clock.GetUtcNow() },
            post.Version,
            [Entry(actor, PostEventKind.Rejected, reason)],
            ct).ConfigureAwait(false);
        return saved is null ? Stale(post) : PostResult.Of(PostOutcome.Done, saved, "rejected");
    }

    public async Task<PostEvent?> CommentAsync(long workspaceId, long id, IncidentActor actor, string text, CancellationToken ct) =>
        await store.GetAsync(workspaceId, id, ct).ConfigureAwait(false) is { } post
            ? await store.AppendAsync(workspaceId, id, post.Revision, Entry(actor, PostEventKind.Commented, text), ct).ConfigureAwait(false)
            : null;

    /// <summary>Takes a scheduled post out of the outbox; it stays approved, without a time.</summary>
    public async Task<PostResult> UnscheduleAsync(long workspaceId, long id, IncidentActor actor, CancellationToken ct)
    {
        if (await store.GetAsync(workspaceId, id, ct).ConfigureAwait(false) is not { } post)
        {
            return PostResult.Missing;
        }

        if (post.Schedule is null)
        {
            return PostResult.Of(PostOutcome.WrongState, post, "the post has no time");
        }

        if (post.State is PostState.Sent || (post.State == PostState.Scheduled && !await WithdrawAsync(post, ct).ConfigureAwait(false)))
        {
            return PostResult.Of(PostOutcome.WrongState, post, "the outbox is already sending (or sent) this post");
        }

        var state = post.State == PostState.Scheduled ? PostState.Approved : post.State;
        var saved = await store.UpdateAsync(post with { Schedule = null, State = state, UpdatedAt = clock.GetUtcNow() }, post.Version, [Entry(actor, PostEventKind.Unscheduled, $"was {When(post.Schedule)}")], ct).ConfigureAwait(false);
        return saved is null ? Stale(post) : PostResult.Of(PostOutcome.Done, saved, "unscheduled");
    }

    public async Task<PostResult> DeleteAsync(long workspaceId, long id, int expectedVersion, IncidentActor actor, CancellationToken ct)
    {
        if (await store.GetAsync(workspaceId, id, ct).ConfigureAwait(false) is not { } post)
        {
            return PostResult.Missing;
        }

        if (post.Version != expectedVersion)
        {
            return PostResult.Of(PostOutcome.Stale, post, $"the post changed since you read it (version {expectedVersion}, now {post.Version})");
        }

        if (post.State is PostState.Sent or PostState.Scheduled)
        {
            return PostResult.Of(PostOutcome.WrongState, post, post.State == PostState.Sent ? "a sent post stays in the record; delete it on the platform" : "unschedule the post first");
        }

        return await store.DeleteAsync(workspaceId, id, expectedVersion, Entry(actor, PostEventKind.Deleted, "deleted"), ct).ConfigureAwait(false)
            ? PostResult.Of(PostOutcome.Done, post, "deleted")
            : Stale(post);
    }

    /// <summary>The risk check of a stored post (before approval; the outbox calls <see cref="IPrePublishCheck"/> before sending).</summary>
    public Task<PrePublishVerdict> RiskAsync(Post post, CancellationToken ct) =>
        check.CheckAsync(post.WorkspaceId, post.Platform, post.Campaign, post.Text, post.Links, ct);

    /// <summary>The outbox's word on a post: the calendar and the history follow. An outcome for an older revision is recorded only.</summary>
    public async Task OnOutcomeAsync(PublishOutcome outcome, CancellationToken cancellationToken)
    {
        var system = new IncidentActor(null, "outbox");
        for (var attempt = 0; attempt < 5; attempt++)
        {
            if (await store.GetAsync(outcome.WorkspaceId, outcome.PostId, cancellationToken).ConfigureAwait(false) is not { } post)
            {
                return;
            }

            var (kind, state, text) = outcome.Kind switch
            {
                PublishOutcomeKind.Sent => (PostEventKind.Sent, PostState.Sent, outcome.RemoteUrl ?? outcome.RemoteId ?? "sent"),
                PublishOutcomeKind.Failed => (PostEventKind.Failed, PostState.Failed, outcome.Error ?? "failed"),
                PublishOutcomeKind.ReturnedForReview => (PostEventKind.ReturnedForReview, PostState.ReturnedForReview, outcome.Error ?? "its time passed during a hold"),
                _ => (PostEventKind.Blocked, PostState.Blocked, outcome.Error ?? "blocked by the check before sending"),
            };
            var entry = new PostEventDraft(outcome.At, null, system.Name, kind, $"revision {outcome.Revision}: {text}");
            if (outcome.Revision != post.Revision && outcome.Kind != PublishOutcomeKind.Sent)
            {
                await store.AppendAsync(post.WorkspaceId, post.Id, post.Revision, entry, cancellationToken).ConfigureAwait(false);
                return;
            }

            var updated = post with
            {
                State = state,
                Note = outcome.Kind == PublishOutcomeKind.Sent ? null : outcome.Error,
                RemoteUrl = outcome.RemoteUrl ?? post.RemoteUrl,
                Approvals = outcome.Kind == PublishOutcomeKind.ReturnedForReview ? [] : post.Approvals,
                UpdatedAt = clock.GetUtcNow(),
            };
            if (await store.UpdateAsync(updated, post.Version, [entry], cancellationToken).ConfigureAwait(false) is not null)
            {
                return;
            }
        }
    }

    private static PostResult Stale(Post post) => PostResult.Of(PostOutcome.Stale, post, "the post changed meanwhile; reload it");

    private static List<PostIssue> Warnings(IEnumerable<PostIssue> issues, string? warning)
    {
        var list = issues.ToList();
        if (warning is not null)
        {
            list.Add(new PostIssue("scheduledAt", warning, Error: false));
        }

        return list;
    }

    // Hard checks refuse the save (a broken or huge paste, a bad URL, a time that does not exist); the platform's
    // limits are reported but a draft over them is kept, since drafts are work in progress: they block review.
    private (Post? Post, List<PostIssue> Issues, string? Warning) Build(Post basis, PostDraft draft)
    {
        var issues = PlatformLimits.Validate(draft.Platform, draft.Text ?? string.Empty, draft.Media ?? [], draft.Links ?? []).ToList();
        var hard = issues.Where(i => i.Field == "platform" || i.Field.EndsWith("url", StringComparison.Ordinal) || i.Field.StartsWith("links[", StringComparison.Ordinal)
            || (i.Field == "text" && (i.Message.Contains("broken", StringComparison.Ordinal) || i.Message.Contains("no post may", StringComparison.Ordinal)))).ToList();
        if ((draft.Media?.Count ?? 0) > MaxMediaOrLinks || (draft.Links?.Count ?? 0) > MaxMediaOrLinks)
        {
            hard.Add(new PostIssue("media", $"at most {MaxMediaOrLinks} media and {MaxMediaOrLinks} links"));
        }

        if (draft.Campaign is { Length: > MaxCampaign })
        {
            hard.Add(new PostIssue("campaign", $"at most {MaxCampaign} characters"));
        }

        if ((draft.AccountKey?.Length ?? 0) > MaxAccountKey)
        {
            hard.Add(new PostIssue("accountKey", $"at most {MaxAccountKey} characters"));
        }

        PostSchedule? schedule = null;
        string? warning = null;
        if (draft.Schedule is { } wanted)
        {
            var resolved = ScheduleTime.Resolve(wanted.LocalTime, wanted.TimeZone, wanted.Ambiguous, clock.GetUtcNow());
            if (resolved.Error is { } error)
            {
                hard.Add(error);
            }

            (schedule, warning) = (resolved.Schedule, resolved.Warning);
        }

        if (hard.Count > 0)
        {
            return (null, hard, null);
        }

        var post = basis with
        {
            Platform = draft.Platform,
            AccountKey = draft.AccountKey?.Trim() ?? string.Empty,
            Text = draft.Text ?? string.Empty,
            Media = draft.Media ?? [],
            Links = draft.Links ?? [],
            Campaign = string.IsNullOrWhiteSpace(draft.Campaign) ? null : draft.Campaign.Trim(),
            Schedule = schedule,
        };
        return (post, issues, warning);
    }

    // An approved post with a time goes to the outbox; one without stays approved. Null state: the outbox refused.
    private async Task<(PostState? State, string? Note)> HandOverAsync(Post post, CancellationToken ct)
    {
        if (post.Schedule is null)
        {
            return post.State == PostState.Scheduled && !await WithdrawAsync(post, ct).ConfigureAwait(false)
                ? (null, "the outbox is already sending this post")
                : (PostState.Approved, null);
        }

        if (queues.FirstOrDefault() is not { } queue)
        {
            return (PostState.Approved, "approved for " + When(post.Schedule) + "; this server has no outbox, so it is not queued");
        }

        var request = new OutboxRequest(post.WorkspaceId, post.Id, post.Revision, post.Platform, post.AccountKey, post.Text, [.. post.Media.Select(m => m.Url)], post.Schedule.At, post.Campaign);
        return await queue.EnqueueAsync(request, ct).ConfigureAwait(false)
            ? (PostState.Scheduled, "queued for " + When(post.Schedule))
            : (null, "the outbox is already sending (or sent) this post");
    }

    private async Task<bool> WithdrawAsync(Post post, CancellationToken ct) =>
        queues.FirstOrDefault() is not { } queue || await queue.WithdrawAsync(post.WorkspaceId, post.Id, ct).ConfigureAwait(false);

    private PostEventDraft Entry(IncidentActor actor, PostEventKind kind, string text, DateTimeOffset? at = null) =>
        new(at ?? clock.GetUtcNow(), actor.AccountId, actor.Name, kind, text);

    private static string Describe(Post post) =>
        $"{post.Platform.ToWire()} {post.AccountKey}: {PlatformLimits.Graphemes(post.Text)} characters, {post.Media.Count} media, {post.Links.Count} links" + (post.Schedule is null ? string.Empty : $", {When(post.Schedule)}");

    private static string When(PostSchedule? schedule) =>
        schedule is null ? "no time" : $"{schedule.LocalTime:yyyy-MM-dd HH:mm} {schedule.TimeZone} ({schedule.At:yyyy-MM-dd HH:mm} UTC)";
}
