namespace Firebreak.Web.Endpoints;

using Firebreak.Core.Incidents;
using Firebreak.Core.Security;
using Firebreak.Core.Topics;
using Firebreak.Web.Auth;
using Firebreak.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

/// <summary>
/// The crisis room: incidents, their roles, timeline and tasks. Ids are looked up inside the route's workspace only.
/// Roles are assigned by a Manager (or above) or by the incident's own lead (a Responder leading the response may hand
/// out the hats; others may not): the endpoint admits Responders and the handler checks the rest.
/// </summary>
public static class IncidentEndpoints
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    public static RouteGroupBuilder MapIncidentEndpoints(this RouteGroupBuilder api)
    {
        var incidents = api.MapGroup("/workspaces/{workspace}/incidents").WithTags("Incidents");
        incidents.MapGet("/", ListAsync).WithName("ListIncidents").RequireWorkspaceRole(WorkspaceRole.Viewer)
            .WithSummary("Active first, then stable, then resolved; newest first within each. Filter: status (active, stable, resolved; comma-separated); limit.");
        incidents.MapGet("/{id:long}", GetAsync).WithName("GetIncident").RequireWorkspaceRole(WorkspaceRole.Viewer).WithSummary("The incident with its roles and tasks.");
        incidents.MapPost("/", DeclareAsync).WithName("DeclareIncident").RequireWorkspaceRole(WorkspaceRole.Responder);
        incidents.MapPatch("/{id:long}", UpdateAsync).WithName("UpdateIncident").RequireWorkspaceRole(WorkspaceRole.Responder)
            .WithSummary("Changes title, type, severity, status (active, stable, resolved; a resolved one can be reopened), topics or platforms; each change is on the timeline.");
        incidents.MapPut("/{id:long}/roles/{role}", SetRoleAsync).WithName("SetIncidentRole").RequireWorkspaceRole(WorkspaceRole.Responder)
            .WithSummary("Who holds a role (lead, spokesperson, approver, listener, scribe). Managers and above, or the incident's lead.");
        incidents.MapPost("/{id:long}/notes", NoteAsync).WithName("AddIncidentNote").RequireWorkspaceRole(WorkspaceRole.Responder)
            .WithSummary("A note on the timeline (at most 4,000 characters); with a reason, a decision.");
        incidents.MapGet("/{id:long}/timeline", TimelineAsync).WithName("IncidentTimeline").RequireWorkspaceRole(WorkspaceRole.Viewer)
            .WithSummary("Newest first; page with before (the previous page's nextBefore).");
        incidents.MapGet("/{id:long}/tasks", TasksAsync).WithName("ListIncidentTasks").RequireWorkspaceRole(WorkspaceRole.Viewer);
        incidents.MapPost("/{id:long}/tasks", AddTaskAsync).WithName("AddIncidentTask").RequireWorkspaceRole(WorkspaceRole.Responder);
        incidents.MapPost("/{id:long}/playbook", ApplyPlaybookAsync).WithName("ApplyPlaybook").RequireWorkspaceRole(WorkspaceRole.Responder)
            .WithSummary("Turns a playbook's steps into tasks (owners from the incident's roles, deadlines from its declaration); steps already there are skipped.");
        incidents.MapPut("/{id:long}/tasks/{taskId:long}", UpdateTaskAsync).WithName("UpdateIncidentTask").RequireWorkspaceRole(WorkspaceRole.Responder)
            .WithSummary("Replaces the task's fields from the version you read; a stale version gets 409 with the current task in 'current'. Marking done twice is fine.");
        return api;
    }

    public static IncidentActor ActorOf(HttpContext http) => new(http.User.AccountId(), http.User.Identity?.Name ?? "someone");

    public static async Task<Results<Ok<IncidentDto[]>, ValidationProblem, ProblemHttpResult>> ListAsync(string workspace, string? status, int? limit, WorkspaceResolver resolver, IIncidentStore store, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        var errors = new Dictionary<string, string[]>();
        List<IncidentStatus>? statuses = null;
        if (status is not null)
        {
            statuses = [];
            foreach (var name in status.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (IncidentInput.Status(name, errors) is { } parsed)
                {
                    statuses.Add(parsed);
                }
            }
        }

        if (limit is < 1 or > MaxPageSize)
        {
            errors["limit"] = [$"must be between 1 and {MaxPageSize}"];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return TypedResults.Ok((await store.ListAsync(ws.Id, statuses, limit ?? DefaultPageSize, ct)).Select(IncidentDto.From).ToArray());
    }

    public static async Task<Results<Ok<IncidentDetailDto>, ProblemHttpResult>> GetAsync(string workspace, long id, WorkspaceResolver resolver, IIncidentStore store, AccountService accounts, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (await store.GetAsync(ws.Id, id, ct) is not { } incident)
        {
            return Problems.NotFound("Incident", id);
        }

        var names = (await accounts.ListMembersAsync(ws.Id, ct)).ToDictionary(m => m.AccountId, m => m.DisplayName);
        var roles = (await store.ListRolesAsync(id, ct)).Select(r => new IncidentRoleDto(r.Role, r.AccountId, names.GetValueOrDefault(r.AccountId), r.AssignedAt)).ToArray();
        var tasks = (await store.ListTasksAsync(id, ct)).Select(IncidentTaskDto.From).ToArray();
        return TypedResults.Ok(new IncidentDetailDto(IncidentDto.From(incident), roles, tasks));
    }

    public static async Task<Results<Created<IncidentDto>, ValidationProblem, ProblemHttpResult>> DeclareAsync(string workspace, DeclareIncidentRequest request, HttpContext http, WorkspaceResolver resolver, IncidentService incidents, ITopicStore topics, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        var errors = new Dictionary<string, string[]>();
        IncidentInput.Title(request.Title, errors, required: true, out var title);
        var type = IncidentInput.Type(request.Type ?? IncidentTypes.Other, errors);
        var severity = IncidentInput.Severity(request.Severity, errors);
        if (request.Severity is null)
        {
            errors["severity"] = ["is required: sev1 (worst), sev2, sev3 or sev4"];
        }

        var known = (await topics.ListAsync(ws.Id, ct)).Select(t => t.Id).ToHashSet();
        var topicIds = IncidentInput.Topics(request.TopicIds ?? [], known, errors);
        var platforms = IncidentInput.Platforms(request.Platforms ?? [], errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var incident = await incidents.DeclareAsync(ws.Id, new IncidentDeclaration(title!, type!, severity!.Value, topicIds!, platforms!), ActorOf(http), ct);
        return TypedResults.Created($"/api/workspaces/{ws.Slug}/incidents/{incident.Id}", IncidentDto.From(incident));
    }

    public static async Task<Results<Ok<IncidentDto>, ValidationProblem, ProblemHttpResult>> UpdateAsync(string workspace, long id, UpdateIncidentRequest request, HttpContext http, WorkspaceResolver resolver, IncidentService incidents, ITopicStore topics, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        var errors = new Dictionary<string, string[]>();
        IncidentInput.Title(request.Title, errors, required: false, out var title);
        var type = IncidentInput.Type(request.Type, errors);
        var severity = IncidentInput.Severity(request.Severity, errors);
        var status = IncidentInput.Status(request.Status, errors);
        var topicIds = request.TopicIds is null ? null : IncidentInput.Topics(request.TopicIds, (await topics.ListAsync(ws.Id, ct)).Select(t => t.Id).ToHashSet(), errors);
        var platforms = IncidentInput.Platforms(request.Platforms, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var result = await incidents.UpdateAsync(ws.Id, id, new IncidentChange(title, severity, status, topicIds, platforms, request.Version) { Type = type }, ActorOf(http), ct);
        return result.Status switch
        {
            IncidentResultStatus.Done or IncidentResultStatus.Unchanged => TypedResults.Ok(IncidentDto.From(result.Incident!)),
            IncidentResultStatus.NotFound => Problems.NotFound("Incident", id),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: result.Message,
                extensions: new Dictionary<string, object?> { ["current"] = result.Incident is { } current ? IncidentDto.From(current) : null }),
        };
    }

    public static async Task<Results<Ok<IncidentRoleDto[]>, ValidationProblem, ProblemHttpResult>> SetRoleAsync(string workspace, long id, string role, IncidentRoleRequest request, HttpContext http, WorkspaceResolver resolver, WorkspaceAccess access, IncidentService incidents, AccountService accounts, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (await incidents.Store.GetAsync(ws.Id, id, ct) is null)
        {
            return Problems.NotFound("Incident", id);
        }

        if (!IncidentRoles.TryParse(role, out var parsed))
        {
            return Problems.Validation("role", "use lead, spokesperson, approver, listener or scribe");
        }

        if (request.AccountIds is not { } ids)
        {
            return Problems.Validation("accountIds", "is required: the account ids of everyone holding the role (empty for nobody)");
        }

        if (!await MayAssignRolesAsync(http, ws.Slug, id, access, incidents.Store, ct))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed to assign roles", detail: "Roles are assigned by a Manager (or above) or by the incident's lead.");
        }

        var result = await incidents.SetRoleAsync(ws.Id, id, parsed, ids, ActorOf(http), ct);
        return result.Status switch
        {
            IncidentResultStatus.NotFound => Problems.NotFound("Incident", id),
            IncidentResultStatus.Conflict => Problems.Validation("accountIds", result.Message ?? "not allowed"),
            _ => TypedResults.Ok(await RolesAsync(ws.Id, id, incidents.Store, accounts, ct)),
        };
    }

    /// <summary>Managers and above, or whoever leads this incident.</summary>
    public static async Task<bool> MayAssignRolesAsync(HttpContext http, string slug, long incidentId, WorkspaceAccess access, IIncidentStore store, CancellationToken ct)
    {
        if (await access.RoleAsync(http.User, slug, ct) >= WorkspaceRole.Manager)
        {
            return true;
        }

        return http.User.AccountId() is { } me && (await store.ListRolesAsync(incidentId, ct)).Any(r => r.Role == IncidentRole.Lead && r.AccountId == me);
    }

    public static async Task<Results<Created<TimelineEntryDto>, ValidationProblem, ProblemHttpResult>> NoteAsync(string workspace, long id, IncidentNoteRequest request, HttpContext http, WorkspaceResolver resolver, IncidentService incidents, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (string.IsNullOrWhiteSpace(request.Text))
        {
            return Problems.Validation("text", "is required");
        }

        if (AlertValidation.Note(request.Text, "text", IncidentService.MaxNote, out var text) is { } badText)
        {
            return badText;
        }

        if (AlertValidation.Note(request.Reason, "reason", IncidentService.MaxNote, out var reason) is { } badReason)
        {
            return badReason;
        }

        return await incidents.AddNoteAsync(ws.Id, id, text!, reason, ActorOf(http), ct, request.PublicResponse == true && reason is not null) is { } entry
            ? TypedResults.Created($"/api/workspaces/{ws.Slug}/incidents/{id}/timeline", TimelineEntryDto.From(entry))
            : Problems.NotFound("Incident", id);
    }

    public static async Task<Results<Ok<TimelinePageDto>, ValidationProblem, ProblemHttpResult>> TimelineAsync(string workspace, long id, long? before, int? limit, WorkspaceResolver resolver, IIncidentStore store, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (limit is < 1 or > MaxPageSize)
        {
            return Problems.Validation("limit", $"must be between 1 and {MaxPageSize}");
        }

        if (await store.GetAsync(ws.Id, id, ct) is null)
        {
            return Problems.NotFound("Incident", id);
        }

        var page = await store.ListTimelineAsync(id, before, limit ?? DefaultPageSize, ct);
        return TypedResults.Ok(new TimelinePageDto([.. page.Entries.Select(TimelineEntryDto.From)], page.NextBefore));
    }

    public static async Task<Results<Ok<IncidentTaskDto[]>, ProblemHttpResult>> TasksAsync(string workspace, long id, WorkspaceResolver resolver, IIncidentStore store, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        return await store.GetAsync(ws.Id, id, ct) is null
            ? Problems.NotFound("Incident", id)
            : TypedResults.Ok((await store.ListTasksAsync(id, ct)).Select(IncidentTaskDto.From).ToArray());
    }

    public static async Task<Results<Created<IncidentTaskDto>, ValidationProblem, ProblemHttpResult>> AddTaskAsync(string workspace, long id, IncidentTaskRequest request, HttpContext http, WorkspaceResolver resolver, IncidentService incidents, AccountService accounts, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        var errors = new Dictionary<string, string[]>();
        IncidentInput.Title(request.Title, errors, required: true, out var title);
        if (request.OwnerRole is not null && !IncidentRoles.TryParse(request.OwnerRole, out _))
        {
            errors["ownerRole"] = ["use lead, spokesperson, approver, listener or scribe"];
        }

        if (request.OwnerRole is not null && request.OwnerId is not null)
        {
            errors["ownerId"] = ["give ownerId or ownerRole, not both"];
        }
        else if (request.OwnerId is { } owner && !(await accounts.ListMembersAsync(ws.Id, ct)).Any(m => m.AccountId == owner))
        {
            errors["ownerId"] = [$"account {owner} is not a member of this workspace"];
        }

        if (request.StepId is { Length: > 200 })
        {
            errors["stepId"] = ["is at most 200 characters"];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var created = await incidents.AddTasksAsync(ws.Id, id, [new TaskDraft(title!, request.OwnerRole, request.DueAt, request.StepId) { OwnerId = request.OwnerId }], ActorOf(http), ct);
        return created is [var task]
            ? TypedResults.Created($"/api/workspaces/{ws.Slug}/incidents/{id}/tasks/{task.Id}", IncidentTaskDto.From(task))
            : Problems.NotFound("Incident", id);
    }

    public static async Task<Results<Ok<IncidentTaskDto>, ValidationProblem, ProblemHttpResult>> UpdateTaskAsync(string workspace, long id, long taskId, IncidentTaskUpdateRequest request, HttpContext http, WorkspaceResolver resolver, IncidentService incidents, AccountService accounts, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        var errors = new Dictionary<string, string[]>();
        if (request.Version is null)
        {
            errors["version"] = ["is required: the version of the task you read"];
        }

        IncidentInput.Title(request.Title, errors, required: true, out var title);
        var state = IncidentInput.TaskState(request.State ?? "open", errors);
        if (request.OwnerId is { } owner && !(await accounts.ListMembersAsync(ws.Id, ct)).Any(m => m.AccountId == owner))
        {
            errors["ownerId"] = [$"account {owner} is not a member of this workspace"];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var result = await incidents.UpdateTaskAsync(ws.Id, id, taskId, new TaskEdit(request.Version!.Value, title!, request.OwnerId, request.DueAt, state!.Value), ActorOf(http), ct);
        return result.Status switch
        {
            TaskUpdateStatus.Done or TaskUpdateStatus.Unchanged => TypedResults.Ok(IncidentTaskDto.From(result.Task!)),
            TaskUpdateStatus.NotFound => Problems.NotFound("Task", taskId),
            _ => TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "The task changed since you read it",
                detail: $"Someone saved version {result.Task?.Version} after version {request.Version}. Nothing of theirs was overwritten: read 'current', re-apply your change and send it with that version.",
                extensions: new Dictionary<string, object?> { ["current"] = result.Task is { } current ? IncidentTaskDto.From(current) : null }),
        };
    }

    private static async Task<IncidentRoleDto[]> RolesAsync(long workspaceId, long id, IIncidentStore store, AccountService accounts, CancellationToken ct)
    {
        var names = (await accounts.ListMembersAsync(workspaceId, ct)).ToDictionary(m => m.AccountId, m => m.DisplayName);
        return [.. (await store.ListRolesAsync(id, ct)).Select(r => new IncidentRoleDto(r.Role, r.AccountId, names.GetValueOrDefault(r.AccountId), r.AssignedAt))];
    }

    public static async Task<Results<Ok<PlaybookAppliedDto>, ValidationProblem, ProblemHttpResult>> ApplyPlaybookAsync(
        string workspace, long id, ApplyPlaybookRequest request, HttpContext http, WorkspaceResolver resolver, PlaybookApplier applier, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (string.IsNullOrWhiteSpace(request.Key) || request.Key.Length > 100)
        {
            return Problems.Validation("key", "is required: the key of a playbook, e.g. hacked-account (GET …/playbooks lists them)");
        }

        return await applier.ApplyAsync(ws.Id, id, request.Key.Trim(), ActorOf(http), ct) is { } applied
            ? TypedResults.Ok(new PlaybookAppliedDto(applied.Key, applied.Version, applied.Created.Count, applied.AlreadyThere))
            : Problems.NotFound("Incident or playbook", id);
    }
}

public sealed record ApplyPlaybookRequest(string? Key);

public sealed record PlaybookAppliedDto(string Key, int Version, int Created, int AlreadyThere);
