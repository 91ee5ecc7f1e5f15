namespace Firebreak.Web.Endpoints;

using Firebreak.Core.Mentions;
using Firebreak.Core.Publishing;
using Firebreak.Core.Publishing.Posts;
using Firebreak.Core.Security;
using Firebreak.Core.Workspaces;
using Firebreak.Web.Auth;
using Firebreak.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

/// <summary>
/// Publishing's posts: the calendar's range list, drafts, review and approval by the workflow's people, the risk
/// check, schedules in the author's zone, and each workspace's approval rules and sensitive terms. Approving is
/// open to every member at the HTTP level because the workflow (not the role) decides who approves.
/// </summary>
public static class PostEndpoints
{
    public const int MaxRangeDays = 62;
    public const int MaxList = 1_000;

    public static RouteGroupBuilder MapPostEndpoints(this RouteGroupBuilder api)
    {
        var posts = api.MapGroup("/workspaces/{workspace}/posts").WithTags("Publishing");
        posts.MapGet(string.Empty, ListAsync).WithName("ListPosts").RequireWorkspaceRole(WorkspaceRole.Viewer).Produces<PostDto[]>()
            .WithSummary("Posts scheduled in [from, to) (ISO instants; default this month, at most 62 days), with unscheduled=true also those without a time; filter by platform, campaign, state. needsReview: event mode covers it.");
        posts.MapPost(string.Empty, CreateAsync).WithName("CreatePost").RequireWorkspaceRole(WorkspaceRole.Responder).Produces<PostResultDto>(StatusCodes.Status201Created)
            .WithSummary("A draft: {platform, accountKey, text, media[{url, kind}], links, campaign, scheduledAt (wall time), timeZone, ambiguous}. Over the platform's limits: kept, with issues; a time that does not exist or is past: 400.");
        posts.MapGet("/{id:long}", GetAsync).WithName("GetPost").RequireWorkspaceRole(WorkspaceRole.Viewer).Produces<PostDetailDto>()
            .WithSummary("The post, where it stands in the approval workflow, what keeps it from review, its preview and its full history.");
        posts.MapPatch("/{id:long}", UpdateAsync).WithName("UpdatePost").RequireWorkspaceRole(WorkspaceRole.Responder).Produces<PostResultDto>()
            .WithSummary("Changes the given fields; version is required (409 with the current post when stale). A content change bumps the revision and resets approvals.");
        posts.MapDelete("/{id:long}", DeleteAsync).WithName("DeletePost").RequireWorkspaceRole(WorkspaceRole.Responder)
            .WithSummary("Deletes a post not scheduled or sent (?version=); its history is kept.");
        posts.MapPost("/{id:long}/submit", SubmitAsync).WithName("SubmitPost").RequireWorkspaceRole(WorkspaceRole.Responder).Produces<PostResultDto>()
            .WithSummary("Sends a draft to review: refused (400) with the issues while it breaks its platform's limits, has a past time or no account; 422 when the risk check blocks it.");
        posts.MapPost("/{id:long}/approve", ApproveAsync).WithName("ApprovePost").RequireWorkspaceRole(WorkspaceRole.Viewer).Produces<PostResultDto>()
            .WithSummary("Approves the workflow's current step: 403 for the author or someone the step does not name; 422 when the risk check blocks or warns ({acknowledgeWarnings: true} to accept warnings). The last step queues a scheduled post.");
        posts.MapPost("/{id:long}/reject", RejectAsync).WithName("RejectPost").RequireWorkspaceRole(WorkspaceRole.Viewer).Produces<PostResultDto>()
            .WithSummary("Sends the post back to draft with {reason}: by an approver of the current step or a Manager, not the author.");
        posts.MapPost("/{id:long}/comments", CommentAsync).WithName("CommentOnPost").RequireWorkspaceRole(WorkspaceRole.Viewer).Produces<PostEventDto>(StatusCodes.Status201Created)
            .WithSummary("Adds {text} (at most 4,000 characters) to the post's history.");
        posts.MapPost("/{id:long}/schedule", ScheduleAsync).WithName("SchedulePost").RequireWorkspaceRole(WorkspaceRole.Responder).Produces<PostResultDto>()
            .WithSummary("Sets the time: {scheduledAt (wall time), timeZone, ambiguous, version}. Approved content keeps its approvals and is (re)queued.");
        posts.MapPost("/{id:long}/unschedule", UnscheduleAsync).WithName("UnschedulePost").RequireWorkspaceRole(WorkspaceRole.Responder).Produces<PostResultDto>()
            .WithSummary("Takes the post out of the outbox (409 when it is already being sent); it stays approved, without a time.");
        posts.MapPost("/{id:long}/check", CheckAsync).WithName("CheckPost").RequireWorkspaceRole(WorkspaceRole.Viewer).Produces<CheckDto>()
            .WithSummary("Runs the limits and the pre-publish risk check now (toxicity, sentiment, sensitive terms, incidents, event mode, links) without changing the post.");

        var publishing = api.MapGroup("/workspaces/{workspace}/publishing").WithTags("Publishing");
        publishing.MapGet("/approval-rules", RulesAsync).WithName("GetApprovalRules").RequireWorkspaceRole(WorkspaceRole.Viewer).Produces<ApprovalRulesDto>()
            .WithSummary("The approval steps, in order (default: any Manager other than the author).");
        publishing.MapPut("/approval-rules", SetRulesAsync).WithName("SetApprovalRules").RequireWorkspaceRole(WorkspaceRole.Manager).Produces<ApprovalRulesDto>()
            .WithSummary("{steps: [{quorum: any|all, role?: responder|manager|admin|owner, people?: [accountId]}]}, 1-10 steps; people must be members.");
        publishing.MapGet("/sensitive-terms", TermsAsync).WithName("GetSensitiveTerms").RequireWorkspaceRole(WorkspaceRole.Viewer).Produces<SensitiveTermsDto>()
            .WithSummary("Words the risk check flags in posts (matched folded: case and accents ignored, whole words).");
        publishing.MapPut("/sensitive-terms", SetTermsAsync).WithName("SetSensitiveTerms").RequireWorkspaceRole(WorkspaceRole.Manager).Produces<SensitiveTermsDto>()
            .WithSummary("Replaces the list: {terms: [{term, level: warn|block, note?}]}, at most 500.");
        return api;
    }

    public static async Task<IResult> ListAsync(string workspace, DateTimeOffset? from, DateTimeOffset? to, string? platform, string? campaign, string? state, bool? unscheduled, WorkspaceResolver resolver, PostService posts, TimeProvider clock, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        Platform? onPlatform = null;
        if (platform is not null)
        {
            if (!EnumNames.TryParsePlatform(platform, out var parsed))
            {
                return Problems.Validation("platform", $"'{platform}' is not a platform");
            }

            onPlatform = parsed;
        }

        PostState? inState = null;
        if (state is not null)
        {
            if (!PostWire.TryState(state, out var parsed))
            {
                return Problems.Validation("state", "one of draft, in-review, approved, scheduled, sent, failed, returned-for-review, blocked");
            }

            inState = parsed;
        }

        var start = from ?? MonthStart(ws, clock.GetUtcNow());
        var end = to ?? start.AddDays(31);
        if (end <= start || end - start > TimeSpan.FromDays(MaxRangeDays))
        {
            return Problems.Validation("to", $"must be after from and at most {MaxRangeDays} days later");
        }

        var list = await posts.Store.ListAsync(ws.Id, start, end, unscheduled ?? false, MaxList, ct);
        var holds = await posts.Check.ActiveHoldsAsync(ws.Id, ct);
        return TypedResults.Ok(list
            .Where(p => onPlatform is null || p.Platform == onPlatform)
            .Where(p => campaign is null || string.Equals(p.Campaign, campaign, StringComparison.OrdinalIgnoreCase))
            .Where(p => inState is null || p.State == inState)
            .Select(p => PostDto.From(p, NeedsReview(p, holds)))
            .ToArray());
    }

    public static async Task<IResult> CreateAsync(string workspace, PostRequest request, HttpContext http, WorkspaceResolver resolver, PostService posts, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (!TryDraft(request, null, ws, out var draft, out var problem))
        {
            return problem;
        }

        var result = await posts.CreateAsync(ws.Id, draft, IncidentEndpoints.ActorOf(http), ct);
        return result.Outcome == PostOutcome.Done
            ? TypedResults.Created($"/api/workspaces/{ws.Slug}/posts/{result.Post!.Id}", Answer(result))
            : ToHttp(result);
    }

    public static async Task<IResult> GetAsync(string workspace, long id, WorkspaceResolver resolver, PostService posts, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (await posts.Store.GetAsync(ws.Id, id, ct) is not { } post)
        {
            return Problems.NotFound("Post", id);
        }

        var progress = await posts.ProgressAsync(post, ct);
        var holds = await posts.Check.ActiveHoldsAsync(ws.Id, ct);
        return TypedResults.Ok(new PostDetailDto(
            PostDto.From(post, NeedsReview(post, holds)),
            post.State == PostState.InReview ? progress.Summary : PostWire.State(post.State),
            [.. progress.Waiting],
            [.. (await posts.ReadinessAsync(post, ct)).Select(IssueDto.From)],
            PreviewDto.From(PlatformLimits.Preview(post.Platform, post.Text)),
            [.. (await posts.Store.HistoryAsync(ws.Id, id, ct)).Select(PostEventDto.From)]));
    }

    public static async Task<IResult> UpdateAsync(string workspace, long id, PostRequest request, HttpContext http, WorkspaceResolver resolver, PostService posts, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (request.Version is not { } version)
        {
            return Problems.Validation("version", "is required: send the version you read, so nobody's edit is overwritten");
        }

        if (await posts.Store.GetAsync(ws.Id, id, ct) is not { } current)
        {
            return Problems.NotFound("Post", id);
        }

        return TryDraft(request, current, ws, out var draft, out var problem)
            ? ToHttp(await posts.UpdateAsync(ws.Id, id, version, draft, IncidentEndpoints.ActorOf(http), ct))
            : problem;
    }

    public static async Task<IResult> ScheduleAsync(string workspace, long id, ScheduleRequest request, HttpContext http, WorkspaceResolver resolver, PostService posts, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (await posts.Store.GetAsync(ws.Id, id, ct) is not { } current)
        {
            return Problems.NotFound("Post", id);
        }

        if (request.ScheduledAt is null)
        {
            return Problems.Validation("scheduledAt", "is required: a wall time such as 2026-03-29T09:30");
        }

        var asEdit = new PostRequest(null, null, null, null, null, current.Campaign, request.ScheduledAt, request.TimeZone, request.Ambiguous, null, request.Version ?? current.Version);
        return TryDraft(asEdit, current, ws, out var draft, out var problem)
            ? ToHttp(await posts.UpdateAsync(ws.Id, id, asEdit.Version!.Value, draft, IncidentEndpoints.ActorOf(http), ct))
            : problem;
    }

    public static async Task<IResult> DeleteAsync(string workspace, long id, int? version, HttpContext http, WorkspaceResolver resolver, PostService posts, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (version is null)
        {
            return Problems.Validation("version", "is required (?version=N, the version you read)");
        }

        var result = await posts.DeleteAsync(ws.Id, id, version.Value, IncidentEndpoints.ActorOf(http), ct);
        return result.Outcome == PostOutcome.Done ? TypedResults.NoContent() : ToHttp(result);
    }

    public static async Task<IResult> SubmitAsync(string workspace, long id, HttpContext http, WorkspaceResolver resolver, PostService posts, CancellationToken ct) =>
        await resolver.FindAsync(workspace, ct) is { } ws
            ? ToHttp(await posts.SubmitAsync(ws.Id, id, IncidentEndpoints.ActorOf(http), ct))
            : Problems.WorkspaceNotFound(workspace);

    public static async Task<IResult> ApproveAsync(string workspace, long id, ApproveRequest? request, HttpContext http, WorkspaceResolver resolver, PostService posts, CancellationToken ct) =>
        await resolver.FindAsync(workspace, ct) is { } ws
            ? ToHttp(await posts.ApproveAsync(ws.Id, id, request?.Version, IncidentEndpoints.ActorOf(http), request?.AcknowledgeWarnings ?? false, ct))
            : Problems.WorkspaceNotFound(workspace);

    public static async Task<IResult> RejectAsync(string workspace, long id, RejectRequest request, HttpContext http, WorkspaceResolver resolver, WorkspaceAccess access, PostService posts, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > PostService.MaxComment)
        {
            return Problems.Validation("reason", $"say why, in 1 to {PostService.MaxComment:N0} characters, so the author can fix it");
        }

        var role = await access.RoleAsync(http.User, ws.Slug, ct) ?? WorkspaceRole.Viewer;
        return ToHttp(await posts.RejectAsync(ws.Id, id, IncidentEndpoints.ActorOf(http), role, request.Reason.Trim(), ct));
    }

    public static async Task<IResult> CommentAsync(string workspace, long id, CommentRequest request, HttpContext http, WorkspaceResolver resolver, PostService posts, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (string.IsNullOrWhiteSpace(request.Text) || request.Text.Length > PostService.MaxComment || PlatformLimits.BrokenCharacterAt(request.Text) >= 0)
        {
            return Problems.Validation("text", $"must be 1 to {PostService.MaxComment:N0} characters of valid text");
        }

        return await posts.CommentAsync(ws.Id, id, IncidentEndpoints.ActorOf(http), request.Text.Trim(), ct) is { } entry
            ? TypedResults.Created($"/api/workspaces/{ws.Slug}/posts/{id}", PostEventDto.From(entry))
            : Problems.NotFound("Post", id);
    }

    public static async Task<IResult> UnscheduleAsync(string workspace, long id, HttpContext http, WorkspaceResolver resolver, PostService posts, CancellationToken ct) =>
        await resolver.FindAsync(workspace, ct) is { } ws
            ? ToHttp(await posts.UnscheduleAsync(ws.Id, id, IncidentEndpoints.ActorOf(http), ct))
            : Problems.WorkspaceNotFound(workspace);

    public static async Task<IResult> CheckAsync(string workspace, long id, WorkspaceResolver resolver, PostService posts, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (await posts.Store.GetAsync(ws.Id, id, ct) is not { } post)
        {
            return Problems.NotFound("Post", id);
        }

        return TypedResults.Ok(new CheckDto(
            [.. (await posts.ReadinessAsync(post, ct)).Select(IssueDto.From)],
            VerdictDto.From(await posts.RiskAsync(post, ct))!,
            PreviewDto.From(PlatformLimits.Preview(post.Platform, post.Text))));
    }

    public static async Task<IResult> RulesAsync(string workspace, WorkspaceResolver resolver, PostService posts, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        var stored = await posts.Store.GetWorkflowAsync(ws.Id, ct);
        return TypedResults.Ok(ApprovalRulesDto.From(stored ?? ApprovalWorkflow.Default, stored is null));
    }

    public static async Task<IResult> SetRulesAsync(string workspace, ApprovalRulesDto request, WorkspaceResolver resolver, AccountService accounts, PostService posts, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        var steps = new List<ApprovalStep>();
        var members = await accounts.ListMembersAsync(ws.Id, ct);
        for (var i = 0; i < (request.Steps?.Length ?? 0); i++)
        {
            var step = request.Steps![i];
            if (!Enum.TryParse<ApprovalQuorum>(step.Quorum, ignoreCase: true, out var quorum) || !Enum.IsDefined(quorum) || int.TryParse(step.Quorum, out _))
            {
                return Problems.Validation($"steps[{i}].quorum", "must be any or all");
            }

            WorkspaceRole? role = null;
            if (step.Role is not null)
            {
                if (!PostWire.TryRole(step.Role, out var parsed) || parsed < WorkspaceRole.Responder)
                {
                    return Problems.Validation($"steps[{i}].role", "must be responder, manager, admin or owner");
                }

                role = parsed;
            }

            if (step.People?.FirstOrDefault(p => members.All(m => m.AccountId != p)) is { } stranger && stranger != 0)
            {
                return Problems.Validation($"steps[{i}].people", $"account {stranger} is not a member of this workspace");
            }

            steps.Add(new ApprovalStep(quorum, role, step.People ?? []));
        }

        var workflow = new ApprovalWorkflow(steps);
        if (workflow.Validate().FirstOrDefault() is { } issue)
        {
            return Problems.Validation(issue.Field, issue.Message);
        }

        await posts.Store.SetWorkflowAsync(ws.Id, workflow, ct);
        return TypedResults.Ok(ApprovalRulesDto.From(workflow, false));
    }

    public static async Task<IResult> TermsAsync(string workspace, WorkspaceResolver resolver, PostService posts, CancellationToken ct) =>
        await resolver.FindAsync(workspace, ct) is { } ws
            ? TypedResults.Ok(TermsDto(await posts.Store.GetTermsAsync(ws.Id, ct)))
            : Problems.WorkspaceNotFound(workspace);

    public static async Task<IResult> SetTermsAsync(string workspace, SensitiveTermsDto request, WorkspaceResolver resolver, PostService posts, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        var terms = new List<SensitiveTerm>();
        for (var i = 0; i < (request.Terms?.Length ?? 0); i++)
        {
            var term = request.Terms![i];
            if (!PostWire.TryLevel(term.Level, out var level))
            {
                return Problems.Validation($"terms[{i}].level", "must be warn or block");
            }

            terms.Add(new SensitiveTerm(term.Term ?? string.Empty, level, string.IsNullOrWhiteSpace(term.Note) ? null : term.Note.Trim()));
        }

        if (SensitiveTerms.Validate(terms).FirstOrDefault() is { } issue)
        {
            return Problems.Validation(issue.Field, issue.Message);
        }

        await posts.Store.SetTermsAsync(ws.Id, terms, ct);
        return TypedResults.Ok(TermsDto(await posts.Store.GetTermsAsync(ws.Id, ct)));
    }

    /// <summary>Event mode flags planned content for review: a post not yet sent whose hold covers it.</summary>
    public static bool NeedsReview(Post post, IReadOnlyList<PublishHold> holds) =>
        post.State is PostState.InReview or PostState.Approved or PostState.Scheduled or PostState.ReturnedForReview
        && holds.Any(h => h.EventMode && PrePublishRiskCheck.Covers(h, post.Platform, post.Campaign));

    /// <summary>Turns a request into a draft (over <paramref name="current"/> for a PATCH); a malformed field answers 400.</summary>
    public static bool TryDraft(PostRequest r, Post? current, Workspace ws, out PostDraft draft, out IResult problem)
    {
        draft = null!;
        problem = null!;
        var platform = current?.Platform ?? Platform.Other;
        if (r.Platform is not null || current is null)
        {
            if (!EnumNames.TryParsePlatform(r.Platform, out platform))
            {
                problem = Problems.Validation("platform", "is required: x, mastodon, bluesky, facebook, instagram, linkedin, tiktok, youtube, pinterest or reddit");
                return false;
            }
        }

        var media = current?.Media.ToList() ?? [];
        if (r.Media is not null)
        {
            media = [];
            for (var i = 0; i < r.Media.Length; i++)
            {
                if (!PostWire.TryMediaKind(r.Media[i].Kind, out var kind))
                {
                    problem = Problems.Validation($"media[{i}].kind", "must be image, video or gif");
                    return false;
                }

                media.Add(new PostMedia(r.Media[i].Url ?? string.Empty, kind));
            }
        }

        ScheduleInput? schedule = current?.Schedule is { } had ? new ScheduleInput(had.LocalTime, had.TimeZone, ChosenOccurrence(had)) : null;
        if (r.ClearSchedule == true)
        {
            schedule = null;
        }
        else if (r.ScheduledAt is not null || r.TimeZone is not null || r.Ambiguous is not null)
        {
            var localText = r.ScheduledAt ?? current?.Schedule?.LocalTime.ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture);
            if (!PostWire.TryLocal(localText, out var local))
            {
                problem = Problems.Validation("scheduledAt", "must be a wall time without offset, e.g. 2026-03-29T09:30, read in timeZone");
                return false;
            }

            if (!PostWire.TryAmbiguous(r.Ambiguous, out var ambiguous))
            {
                problem = Problems.Validation("ambiguous", "must be earlier or later");
                return false;
            }

            var zone = r.TimeZone ?? current?.Schedule?.TimeZone ?? ws.TimeZone;
            if (ambiguous == AmbiguousTime.Unspecified && current?.Schedule is { } kept && kept.LocalTime == local && kept.TimeZone == zone)
            {
                // The same wall time saved again (an edit of something else): keep which of a repeated hour was chosen.
                ambiguous = ChosenOccurrence(kept);
            }

            schedule = new ScheduleInput(local, zone, ambiguous);
        }

        draft = new PostDraft(
            platform,
            r.AccountKey ?? current?.AccountKey ?? string.Empty,
            r.Text ?? current?.Text ?? string.Empty,
            media,
            r.Links?.Select(l => l ?? string.Empty).ToList() ?? current?.Links.ToList() ?? [],
            r.Campaign ?? current?.Campaign,
            schedule);
        return true;
    }

    private static AmbiguousTime ChosenOccurrence(PostSchedule schedule)
    {
        if (ScheduleTime.Zone(schedule.TimeZone) is not { } zone || !zone.IsAmbiguousTime(schedule.LocalTime))
        {
            return AmbiguousTime.Unspecified;
        }

        var offset = schedule.LocalTime - schedule.At.UtcDateTime;
        return offset == zone.GetAmbiguousTimeOffsets(schedule.LocalTime).Min() ? AmbiguousTime.Later : AmbiguousTime.Earlier;
    }

    private static PostResultDto Answer(PostResult result) =>
        new(PostDto.From(result.Post!), [.. result.Issues.Select(IssueDto.From)], VerdictDto.From(result.Verdict), result.Message);

    private static IResult ToHttp(PostResult result)
    {
        var extensions = new Dictionary<string, object?>
        {
            ["issues"] = result.Issues.Select(IssueDto.From).ToArray(),
            ["verdict"] = VerdictDto.From(result.Verdict),
            ["current"] = result.Post is null ? null : PostDto.From(result.Post),
        };
        return result.Outcome switch
        {
            PostOutcome.Done => TypedResults.Ok(Answer(result)),
            PostOutcome.NotFound => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Post not found", detail: "No such post in this workspace (or it was deleted)."),
            PostOutcome.Invalid => TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The post cannot go further yet", detail: result.Message + ": " + string.Join("; ", result.Issues.Where(i => i.Error).Select(i => $"{i.Field} {i.Message}")), extensions: extensions),
            PostOutcome.Stale => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The post changed", detail: result.Message, extensions: extensions),
            PostOutcome.WrongState => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not possible now", detail: result.Message, extensions: extensions),
            PostOutcome.Forbidden => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not yours to approve", detail: result.Message, extensions: extensions),
            PostOutcome.Blocked => TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Blocked by the risk check", detail: string.Join("; ", result.Verdict!.Findings.Where(f => f.Level == PrePublishLevel.Block).Select(f => f.Reason)), extensions: extensions),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Warnings to acknowledge", detail: result.Message + ": " + string.Join("; ", result.Verdict!.Findings.Select(f => f.Reason)), extensions: extensions),
        };
    }

    private static SensitiveTermsDto TermsDto(IReadOnlyList<SensitiveTerm> terms) =>
        new([.. terms.Select(t => new SensitiveTermDto(t.Term, t.Level.ToString().ToLowerInvariant(), t.Note))]);

    private static DateTimeOffset MonthStart(Workspace ws, DateTimeOffset now)
    {
        var zone = ScheduleTime.Zone(ws.TimeZone) ?? TimeZoneInfo.Utc;
        var today = TimeZoneInfo.ConvertTime(now, zone);
        return ScheduleTime.DayStart(new DateOnly(today.Year, today.Month, 1), zone);
    }
}
