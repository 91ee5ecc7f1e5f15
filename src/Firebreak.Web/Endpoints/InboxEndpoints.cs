namespace Firebreak.Web.Endpoints;

using Firebreak.Core.Inbox;
using Firebreak.Core.Incidents;
using Firebreak.Core.Mentions;
using Firebreak.Core.Security;
using Firebreak.Web.Auth;
using Firebreak.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

/// <summary>
/// The incident inbox: ranked mentions, claims (one person per mention), replies queued in an outbox (through the incident's
/// approver when it has one), reply templates and response-time targets.
/// </summary>
public static class InboxEndpoints
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;
    public const int MaxTemplate = 2_000;

    public static RouteGroupBuilder MapInboxEndpoints(this RouteGroupBuilder api)
    {
        var incident = api.MapGroup("/workspaces/{workspace}/incidents/{id:long}").WithTags("Inbox");
        incident.MapGet("/inbox", ListAsync).WithName("IncidentInbox").RequireWorkspaceRole(WorkspaceRole.Viewer)
            .WithSummary("The incident's mentions (its topics and platforms, since an hour before it was declared) ranked by risk, with why, who holds each and how long it has waited; offset, limit.");
        incident.MapPost("/inbox/{mentionId:long}/claim", ClaimAsync).WithName("ClaimMention").RequireWorkspaceRole(WorkspaceRole.Responder)
            .WithSummary("Claims (or renews, for 15 minutes) a mention to answer; someone else's active claim: 409 naming them. {accountId}: a Manager assigns it to that member.");
        incident.MapDelete("/inbox/{mentionId:long}/claim", ReleaseAsync).WithName("ReleaseMention").RequireWorkspaceRole(WorkspaceRole.Responder)
            .WithSummary("Releases your claim (a Manager releases anyone's).");
        incident.MapGet("/replies", RepliesAsync).WithName("ListReplies").RequireWorkspaceRole(WorkspaceRole.Viewer).WithSummary("The incident's replies, newest first, with their state.");
        incident.MapPost("/replies", ReplyAsync).WithName("ComposeReply").RequireWorkspaceRole(WorkspaceRole.Responder)
            .WithSummary("A reply to a mention you hold: {mentionId, templateId? | text, brand?, case?}; checked against the platform's length; queued, or awaiting approval when the incident has an approver.");
        incident.MapPost("/replies/{replyId:long}/approve", ApproveAsync).WithName("ApproveReply").RequireWorkspaceRole(WorkspaceRole.Responder)
            .WithSummary("The incident's approver (or a Manager) approves someone else's reply: it is queued.");
        incident.MapPost("/replies/{replyId:long}/retry", RetryAsync).WithName("RetryReply").RequireWorkspaceRole(WorkspaceRole.Responder).WithSummary("Queues a failed reply again.");

        var workspace = api.MapGroup("/workspaces/{workspace}").WithTags("Inbox");
        workspace.MapGet("/reply-templates", TemplatesAsync).WithName("ListReplyTemplates").RequireWorkspaceRole(WorkspaceRole.Viewer)
            .WithSummary("The workspace's reply templates (seeded with apology + DM invitation, holding line and thanks in en, es, fr, de, pt, ar).");
        workspace.MapPut("/reply-templates/{name}/{language}", SaveTemplateAsync).WithName("SaveReplyTemplate").RequireWorkspaceRole(WorkspaceRole.Manager)
            .WithSummary("Creates or replaces a template: {text} with {author}, {brand}, {case}.");
        workspace.MapDelete("/reply-templates/{templateId:long}", DeleteTemplateAsync).WithName("DeleteReplyTemplate").RequireWorkspaceRole(WorkspaceRole.Manager);
        workspace.MapGet("/inbox/targets", TargetsAsync).WithName("GetResponseTargets").RequireWorkspaceRole(WorkspaceRole.Viewer);
        workspace.MapPut("/inbox/targets", SetTargetsAsync).WithName("SetResponseTargets").RequireWorkspaceRole(WorkspaceRole.Manager)
            .WithSummary("{highRiskMinutes, otherMinutes} (1–10,080); defaults 60 and 240.");
        return api;
    }

    public static async Task<Results<Ok<InboxPageDto>, ValidationProblem, ProblemHttpResult>> ListAsync(string workspace, long id, int? offset, int? limit, WorkspaceResolver resolver, InboxService inbox, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (limit is < 1 or > MaxPageSize)
        {
            return Problems.Validation("limit", $"must be between 1 and {MaxPageSize}");
        }

        if (offset is < 0)
        {
            return Problems.Validation("offset", "must be 0 or more");
        }

        return await inbox.ListAsync(ws.Id, id, offset ?? 0, limit ?? DefaultPageSize, ct) is { } page
            ? TypedResults.Ok(InboxPageDto.From(page))
            : Problems.NotFound("Incident", id);
    }

    public static async Task<Results<Ok<ClaimDto>, ValidationProblem, ProblemHttpResult>> ClaimAsync(string workspace, long id, long mentionId, ClaimRequest? request, HttpContext http, WorkspaceResolver resolver, WorkspaceAccess access, AccountService accounts, InboxService inbox, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        var me = IncidentEndpoints.ActorOf(http);
        IncidentActor? assignee = null;
        if (request?.AccountId is { } other && other != me.AccountId)
        {
            if (await access.RoleAsync(http.User, ws.Slug, ct) < WorkspaceRole.Manager)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed to assign", detail: "Assigning a mention to someone else takes a Manager (or above); claim it yourself instead.");
            }

            if ((await accounts.ListMembersAsync(ws.Id, ct)).FirstOrDefault(m => m.AccountId == other) is not { } member || member.Role < WorkspaceRole.Responder)
            {
                return Problems.Validation("accountId", $"account {other} is not a Responder (or above) in this workspace");
            }

            assignee = new IncidentActor(member.AccountId, member.DisplayName);
        }

        var result = await inbox.ClaimAsync(ws.Id, id, mentionId, me, assignee, ct);
        return result.Outcome switch
        {
            InboxOutcome.Done => TypedResults.Ok(ClaimDto.From(result.Value!)),
            InboxOutcome.NotFound => Problems.NotFound("Incident or mention", mentionId),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Someone else is answering this mention", detail: result.Message,
                extensions: new Dictionary<string, object?> { ["holder"] = ClaimDto.From(result.Holder!) }),
        };
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> ReleaseAsync(string workspace, long id, long mentionId, HttpContext http, WorkspaceResolver resolver, WorkspaceAccess access, InboxService inbox, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        var anyone = await access.RoleAsync(http.User, ws.Slug, ct) >= WorkspaceRole.Manager;
        return await inbox.ReleaseAsync(ws.Id, mentionId, anyone ? null : http.User.AccountId() ?? -1, ct)
            ? TypedResults.NoContent()
            : Problems.NotFound("Claim of yours on mention", mentionId);
    }

    public static async Task<Results<Ok<ReplyDto[]>, ProblemHttpResult>> RepliesAsync(string workspace, long id, WorkspaceResolver resolver, IIncidentStore incidents, InboxService inbox, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        return await incidents.GetAsync(ws.Id, id, ct) is null
            ? Problems.NotFound("Incident", id)
            : TypedResults.Ok((await inbox.Store.ListRepliesAsync(ws.Id, id, ct)).Select(ReplyDto.From).ToArray());
    }

    public static async Task<Results<Created<ReplyDto>, ValidationProblem, ProblemHttpResult>> ReplyAsync(string workspace, long id, ReplyRequest request, HttpContext http, WorkspaceResolver resolver, InboxService inbox, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (request.MentionId is not { } mentionId)
        {
            return Problems.Validation("mentionId", "is required: the mention you are answering (claim it first)");
        }

        if (request.TemplateId is null && string.IsNullOrWhiteSpace(request.Text))
        {
            return Problems.Validation("text", "is required: the reply's text, or a templateId");
        }

        if (request.Text is { Length: > 10_000 } || request.Brand is { Length: > 200 } || request.Case is { Length: > 200 })
        {
            return Problems.Validation(request.Text is { Length: > 10_000 } ? "text" : request.Brand is { Length: > 200 } ? "brand" : "case", "is too long");
        }

        var result = await inbox.ReplyAsync(ws.Id, id, new ReplyDraft(mentionId, request.TemplateId, request.Text, request.Brand?.Trim(), request.Case?.Trim()), IncidentEndpoints.ActorOf(http), ct);
        return result.Outcome switch
        {
            InboxOutcome.Done => TypedResults.Created($"/api/workspaces/{ws.Slug}/incidents/{id}/replies/{result.Value!.Id}", ReplyDto.From(result.Value)),
            InboxOutcome.NotFound => Problems.NotFound("Incident or mention", mentionId),
            InboxOutcome.Invalid => Problems.Validation(result.Field ?? "text", result.Message ?? "is not valid"),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not your mention to answer", detail: result.Message),
        };
    }

    public static async Task<Results<Ok<ReplyDto>, ProblemHttpResult>> ApproveAsync(string workspace, long id, long replyId, HttpContext http, WorkspaceResolver resolver, WorkspaceAccess access, IIncidentStore incidents, InboxService inbox, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (await incidents.GetAsync(ws.Id, id, ct) is null)
        {
            return Problems.NotFound("Incident", id);
        }

        if (!await MayApproveAsync(http, ws.Slug, id, access, incidents, ct))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not an approver", detail: "Replies are approved by the incident's approver (or a Manager or above).");
        }

        return Answer(await inbox.ApproveAsync(ws.Id, id, replyId, IncidentEndpoints.ActorOf(http), ct), replyId);
    }

    /// <summary>Managers and above, or whoever holds the incident's approver role.</summary>
    public static async Task<bool> MayApproveAsync(HttpContext http, string slug, long incidentId, WorkspaceAccess access, IIncidentStore store, CancellationToken ct) =>
        await access.RoleAsync(http.User, slug, ct) >= WorkspaceRole.Manager
        || (http.User.AccountId() is { } me && (await store.ListRolesAsync(incidentId, ct)).Any(r => r.Role == IncidentRole.Approver && r.AccountId == me));

    public static async Task<Results<Ok<ReplyDto>, ProblemHttpResult>> RetryAsync(string workspace, long id, long replyId, HttpContext http, WorkspaceResolver resolver, InboxService inbox, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        return Answer(await inbox.RetryAsync(ws.Id, id, replyId, IncidentEndpoints.ActorOf(http), ct), replyId);
    }

    public static async Task<Results<Ok<ReplyTemplateDto[]>, ProblemHttpResult>> TemplatesAsync(string workspace, WorkspaceResolver resolver, InboxService inbox, TimeProvider clock, CancellationToken ct) =>
        await resolver.FindAsync(workspace, ct) is not { } ws
            ? Problems.WorkspaceNotFound(workspace)
            : TypedResults.Ok((await inbox.Store.ListTemplatesAsync(ws.Id, clock.GetUtcNow(), ct)).Select(ReplyTemplateDto.From).ToArray());

    public static async Task<Results<Ok<ReplyTemplateDto>, ValidationProblem, ProblemHttpResult>> SaveTemplateAsync(string workspace, string name, string language, TemplateRequest request, WorkspaceResolver resolver, InboxService inbox, TimeProvider clock, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        var errors = new Dictionary<string, string[]>();
        if (!System.Text.RegularExpressions.Regex.IsMatch(name, "^[a-z0-9][a-z0-9-]{0,63}$"))
        {
            errors["name"] = ["use 1–64 lower-case letters, digits and dashes, e.g. apology-dm"];
        }

        if (!System.Text.RegularExpressions.Regex.IsMatch(language, "^[a-z]{2,3}$"))
        {
            errors["language"] = ["use an ISO 639-1 code such as en, es, ar"];
        }

        if (string.IsNullOrWhiteSpace(request.Text) || request.Text.Length > MaxTemplate)
        {
            errors["text"] = [$"is required, at most {MaxTemplate} characters; variables: {{author}}, {{brand}}, {{case}}"];
        }
        else if (ReplyTemplates.Render(request.Text, ReplyTemplates.Variables.ToDictionary(v => v, v => v)).Unknown is { Count: > 0 } unknown)
        {
            errors["text"] = [$"has unknown variables {string.Join(", ", unknown.Select(u => "{" + u + "}"))}; use {{author}}, {{brand}} or {{case}}"];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return TypedResults.Ok(ReplyTemplateDto.From(await inbox.Store.SaveTemplateAsync(ws.Id, name, language, request.Text!.Trim(), clock.GetUtcNow(), ct)));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteTemplateAsync(string workspace, long templateId, WorkspaceResolver resolver, InboxService inbox, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        return await inbox.Store.DeleteTemplateAsync(ws.Id, templateId, ct) ? TypedResults.NoContent() : Problems.NotFound("Template", templateId);
    }

    public static async Task<Results<Ok<ResponseTargets>, ProblemHttpResult>> TargetsAsync(string workspace, WorkspaceResolver resolver, InboxService inbox, CancellationToken ct) =>
        await resolver.FindAsync(workspace, ct) is not { } ws
            ? Problems.WorkspaceNotFound(workspace)
            : TypedResults.Ok(await inbox.Store.GetTargetsAsync(ws.Id, ct));

    public static async Task<Results<Ok<ResponseTargets>, ValidationProblem, ProblemHttpResult>> SetTargetsAsync(string workspace, TargetsRequest request, WorkspaceResolver resolver, InboxService inbox, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        var errors = new Dictionary<string, string[]>();
        if (request.HighRiskMinutes is not (>= 1 and <= 10_080))
        {
            errors["highRiskMinutes"] = ["is required, 1–10,080 (a week)"];
        }

        if (request.OtherMinutes is not (>= 1 and <= 10_080))
        {
            errors["otherMinutes"] = ["is required, 1–10,080 (a week)"];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var targets = new ResponseTargets(request.HighRiskMinutes!.Value, request.OtherMinutes!.Value);
        await inbox.Store.SetTargetsAsync(ws.Id, targets, ct);
        return TypedResults.Ok(targets);
    }

    private static Results<Ok<ReplyDto>, ProblemHttpResult> Answer(InboxResult<OutboxReply> result, long replyId) => result.Outcome switch
    {
        InboxOutcome.Done => TypedResults.Ok(ReplyDto.From(result.Value!)),
        InboxOutcome.NotFound => Problems.NotFound("Reply", replyId),
        InboxOutcome.Forbidden => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed", detail: result.Message),
        _ => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The reply is not in that state", detail: result.Message,
            extensions: new Dictionary<string, object?> { ["current"] = result.Value is { } current ? ReplyDto.From(current) : null }),
    };
}

public sealed record ClaimRequest(long? AccountId);

public sealed record ReplyRequest(long? MentionId, long? TemplateId, string? Text, string? Brand, string? Case);

public sealed record TemplateRequest(string? Text);

public sealed record TargetsRequest(int? HighRiskMinutes, int? OtherMinutes);

public sealed record ClaimDto(long MentionId, long IncidentId, long AccountId, string Name, DateTimeOffset ClaimedAt, DateTimeOffset ExpiresAt)
{
    public static ClaimDto From(MentionClaim c) => new(c.MentionId, c.IncidentId, c.AccountId, c.Name, c.ClaimedAt, c.ExpiresAt);
}

public sealed record RiskDto(double Score, string Why, bool HighRisk, double Negativity, long Reach, double ReachFactor, double PerHour, double Velocity, double Cues, IReadOnlyList<string> Reasons)
{
    public static RiskDto From(RiskScore r) => new(Math.Round(r.Score, 4), r.Why, r.IsHighRisk, Math.Round(r.Negativity, 4), r.Reach, Math.Round(r.ReachFactor, 4), Math.Round(r.PerHour, 2), Math.Round(r.Velocity, 4), r.Cues, r.Reasons);
}

/// <param name="WaitedMinutes">Since the mention was created, until the first reply (or now).</param>
public sealed record InboxItemDto(MentionDto Mention, RiskDto Risk, ClaimDto? Claim, double WaitedMinutes, double TargetMinutes, bool PastTarget, bool Answered);

public sealed record InboxPageDto(IReadOnlyList<InboxItemDto> Items, int Total, int Hidden, int? NextOffset, ResponseTargets Targets)
{
    public static InboxPageDto From(InboxPage p) => new(
        [.. p.Items.Select(i => new InboxItemDto(MentionDto.From(i.Mention), RiskDto.From(i.Risk), i.Claim is { } c ? ClaimDto.From(c) : null, Math.Round(i.Waited.TotalMinutes, 1), i.Target.TotalMinutes, i.PastTarget, i.Answered))],
        p.Total, p.Hidden, p.NextOffset, p.Targets);
}

public sealed record ReplyDto(long Id, long IncidentId, long MentionId, string Platform, string Text, long? TemplateId, IncidentActorDto Author, bool NeedsApproval, IncidentActorDto? ApprovedBy, DateTimeOffset? ApprovedAt, string State, string? Error, int Attempts, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static ReplyDto From(OutboxReply r) => new(
        r.Id, r.IncidentId, r.MentionId, r.Platform.ToWire(), r.Text, r.TemplateId, IncidentActorDto.From(r.Author), r.NeedsApproval,
        r.ApprovedBy is { } a ? IncidentActorDto.From(a) : null, r.ApprovedAt, InboxService.Wire(r.State), r.Error, r.Attempts, r.CreatedAt, r.UpdatedAt);
}

public sealed record ReplyTemplateDto(long Id, string Name, string Language, string Text, IReadOnlyList<string> Variables, DateTimeOffset UpdatedAt)
{
    public static ReplyTemplateDto From(ReplyTemplate t) => new(t.Id, t.Name, t.Language, t.Text, ReplyTemplates.Variables, t.UpdatedAt);
}
