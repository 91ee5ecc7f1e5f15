namespace Firebreak.Web.Components.Incidents;

using Firebreak.Core.Incidents;
using Firebreak.Core.Security;
using Firebreak.Core.Topics;
using Firebreak.Web.Auth;
using Firebreak.Web.Endpoints;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

/// <summary>
/// The crisis room's form actions and its timeline fragment. Each checks the role again (via the endpoint's declared
/// minimum), goes through <see cref="IncidentService"/> like the API, and answers with a redirect to the room carrying
/// a fixed outcome code (never text from the request), so an unknown incident is a message, not an error page.
/// </summary>
internal static class IncidentUiEndpoints
{
    public static void MapIncidentUi(this RouteGroupBuilder ui)
    {
        ui.MapGet("/incidents/{id:long}/timeline", TimelineAsync).RequireWorkspaceRole(WorkspaceRole.Viewer);
        ui.MapPost("/incidents/declare", DeclareAsync).RequireWorkspaceRole(WorkspaceRole.Responder);
        ui.MapPost("/incidents/{id:long}/status", StatusAsync).RequireWorkspaceRole(WorkspaceRole.Responder);
        ui.MapPost("/incidents/{id:long}/severity", SeverityAsync).RequireWorkspaceRole(WorkspaceRole.Responder);
        ui.MapPost("/incidents/{id:long}/roles", RolesAsync).RequireWorkspaceRole(WorkspaceRole.Responder);
        ui.MapPost("/incidents/{id:long}/notes", NoteAsync).RequireWorkspaceRole(WorkspaceRole.Responder);
        ui.MapPost("/incidents/{id:long}/tasks", AddTaskAsync).RequireWorkspaceRole(WorkspaceRole.Responder);
        ui.MapPost("/incidents/{id:long}/playbook", ApplyPlaybookAsync).RequireWorkspaceRole(WorkspaceRole.Responder);
        ui.MapPost("/incidents/{id:long}/tasks/{taskId:long}/done", DoneAsync).RequireWorkspaceRole(WorkspaceRole.Responder);
    }

    private static async Task<IResult> TimelineAsync(string workspace, long id, HttpContext http)
    {
        var (ws, _, refusal, _) = await UiEndpoints.AllowAsync(http, workspace);
        return ws is null ? refusal! : new RazorComponentResult<IncidentTimeline>(new { Workspace = ws, IncidentId = id });
    }

    private static async Task<IResult> DeclareAsync(string workspace, [FromForm] string? title, [FromForm] string? type, [FromForm] string? severity, HttpContext http, IncidentService incidents, ITopicStore topics)
    {
        var (ws, _, refusal, _) = await UiEndpoints.AllowAsync(http, workspace);
        if (ws is null)
        {
            return refusal!;
        }

        var errors = new Dictionary<string, string[]>();
        IncidentInput.Title(title, errors, required: true, out var cleanTitle);
        var cleanType = IncidentInput.Type(type ?? IncidentTypes.Other, errors);
        var sev = IncidentInput.Severity(severity ?? "sev3", errors);
        var known = (await topics.ListAsync(ws.Id, http.RequestAborted)).Select(t => t.Id).ToHashSet();
        // Multi-selects post one value per choice; read them from the form as lists.
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var topicIds = new List<long>();
        foreach (var text in form["topicIds"])
        {
            if (long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var topicId))
            {
                topicIds.Add(topicId);
            }
            else
            {
                errors["topicIds"] = ["not a topic id"];
            }
        }

        var topicList = IncidentInput.Topics(topicIds, known, errors);
        var platformList = IncidentInput.Platforms([.. form["platforms"].Select(p => p ?? string.Empty)], errors);
        if (errors.Count > 0)
        {
            return TypedResults.Redirect($"/w/{ws.Slug}/incidents?done=error-invalid");
        }

        var incident = await incidents.DeclareAsync(ws.Id, new IncidentDeclaration(cleanTitle!, cleanType!, sev!.Value, topicList!, platformList!), IncidentEndpoints.ActorOf(http), http.RequestAborted);
        return TypedResults.Redirect($"/w/{ws.Slug}/incidents/{incident.Id}?done=declared");
    }

    private static Task<IResult> StatusAsync(string workspace, long id, [FromForm] string? status, HttpContext http, IncidentService incidents) =>
        ChangeAsync(workspace, id, http, incidents, errors => new IncidentChange(Status: IncidentInput.Status(status ?? string.Empty, errors)));

    private static Task<IResult> SeverityAsync(string workspace, long id, [FromForm] string? severity, HttpContext http, IncidentService incidents) =>
        ChangeAsync(workspace, id, http, incidents, errors => new IncidentChange(Severity: IncidentInput.Severity(severity ?? string.Empty, errors)));

    private static async Task<IResult> ChangeAsync(string workspace, long id, HttpContext http, IncidentService incidents, Func<Dictionary<string, string[]>, IncidentChange> change)
    {
        var (ws, _, refusal, _) = await UiEndpoints.AllowAsync(http, workspace);
        if (ws is null)
        {
            return refusal!;
        }

        var errors = new Dictionary<string, string[]>();
        var wanted = change(errors);
        if (errors.Count > 0)
        {
            return Back(ws.Slug, id, "error-invalid");
        }

        var result = await incidents.UpdateAsync(ws.Id, id, wanted, IncidentEndpoints.ActorOf(http), http.RequestAborted);
        return Back(ws.Slug, id, Code(result.Status, "incident-saved"));
    }

    private static async Task<IResult> RolesAsync(string workspace, long id, [FromForm] string? role, HttpContext http, IncidentService incidents, WorkspaceAccess access)
    {
        var (ws, _, refusal, _) = await UiEndpoints.AllowAsync(http, workspace);
        if (ws is null)
        {
            return refusal!;
        }

        if (await incidents.Store.GetAsync(ws.Id, id, http.RequestAborted) is null)
        {
            return Back(ws.Slug, id, "error-notfound");
        }

        if (!await IncidentEndpoints.MayAssignRolesAsync(http, ws.Slug, id, access, incidents.Store, http.RequestAborted))
        {
            return Back(ws.Slug, id, "error-roles-notallowed");
        }

        // The lead's select sends "" for nobody.
        var ids = new List<long>();
        foreach (var text in (await http.Request.ReadFormAsync(http.RequestAborted))["accountIds"])
        {
            if (long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var accountId))
            {
                ids.Add(accountId);
            }
            else if (!string.IsNullOrEmpty(text))
            {
                return Back(ws.Slug, id, "error-invalid");
            }
        }

        if (!IncidentRoles.TryParse(role, out var parsed))
        {
            return Back(ws.Slug, id, "error-invalid");
        }

        var result = await incidents.SetRoleAsync(ws.Id, id, parsed, ids, IncidentEndpoints.ActorOf(http), http.RequestAborted);
        return Back(ws.Slug, id, result.Status == IncidentResultStatus.Conflict ? "error-invalid" : Code(result.Status, "roles-saved"));
    }

    private static async Task<IResult> NoteAsync(string workspace, long id, [FromForm] string? text, [FromForm] string? reason, HttpContext http, IncidentService incidents)
    {
        var (ws, _, refusal, _) = await UiEndpoints.AllowAsync(http, workspace);
        if (ws is null)
        {
            return refusal!;
        }

        if (string.IsNullOrWhiteSpace(text) || text.Trim().Length > IncidentService.MaxNote || reason?.Trim().Length > IncidentService.MaxNote)
        {
            return Back(ws.Slug, id, "error-invalid");
        }

        var entry = await incidents.AddNoteAsync(ws.Id, id, text.Trim(), string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(), IncidentEndpoints.ActorOf(http), http.RequestAborted);
        return Back(ws.Slug, id, entry is null ? "error-notfound" : "note-added");
    }

    private static async Task<IResult> AddTaskAsync(string workspace, long id, [FromForm] string? title, [FromForm] string? ownerId, HttpContext http, IncidentService incidents, AccountService accounts)
    {
        var (ws, _, refusal, _) = await UiEndpoints.AllowAsync(http, workspace);
        if (ws is null)
        {
            return refusal!;
        }

        var errors = new Dictionary<string, string[]>();
        IncidentInput.Title(title, errors, required: true, out var cleanTitle);
        long? owner = long.TryParse(ownerId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
        if (errors.Count > 0 || (owner is { } o && !(await accounts.ListMembersAsync(ws.Id, http.RequestAborted)).Any(m => m.AccountId == o)))
        {
            return Back(ws.Slug, id, "error-invalid");
        }

        var created = await incidents.AddTasksAsync(ws.Id, id, [new TaskDraft(cleanTitle!, null, null, null) { OwnerId = owner }], IncidentEndpoints.ActorOf(http), http.RequestAborted);
        return Back(ws.Slug, id, created is null ? "error-notfound" : "task-added");
    }

    private static async Task<IResult> ApplyPlaybookAsync(string workspace, long id, [FromForm] string? key, HttpContext http, PlaybookApplier applier)
    {
        var (ws, _, refusal, _) = await UiEndpoints.AllowAsync(http, workspace);
        if (ws is null)
        {
            return refusal!;
        }

        var applied = string.IsNullOrWhiteSpace(key) ? null : await applier.ApplyAsync(ws.Id, id, key.Trim(), IncidentEndpoints.ActorOf(http), http.RequestAborted);
        return Back(ws.Slug, id, applied is null ? "error-notfound" : "playbook-applied");
    }

    private static async Task<IResult> DoneAsync(string workspace, long id, long taskId, [FromForm] long? version, HttpContext http, IncidentService incidents)
    {
        var (ws, _, refusal, _) = await UiEndpoints.AllowAsync(http, workspace);
        if (ws is null)
        {
            return refusal!;
        }

        if (version is not { } read)
        {
            return Back(ws.Slug, id, "error-invalid");
        }

        var result = await incidents.MarkDoneAsync(ws.Id, id, taskId, read, IncidentEndpoints.ActorOf(http), http.RequestAborted);
        return result.Status switch
        {
            TaskUpdateStatus.Conflict => TypedResults.Redirect($"/w/{ws.Slug}/incidents/{id}?done=error-task-conflict&task={taskId}#task-{taskId}"),
            TaskUpdateStatus.NotFound => Back(ws.Slug, id, "error-notfound"),
            _ => Back(ws.Slug, id, "task-done"),
        };
    }

    private static string Code(IncidentResultStatus status, string done) => status switch
    {
        IncidentResultStatus.NotFound => "error-notfound",
        IncidentResultStatus.Conflict => "error-conflict",
        _ => done,
    };

    private static RedirectHttpResult Back(string slug, long id, string code) => TypedResults.Redirect($"/w/{slug}/incidents/{id}?done={code}");
}
