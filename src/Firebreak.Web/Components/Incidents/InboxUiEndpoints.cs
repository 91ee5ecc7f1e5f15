namespace Firebreak.Web.Components.Incidents;

using Firebreak.Core.Inbox;
using Firebreak.Core.Incidents;
using Firebreak.Core.Security;
using Firebreak.Web.Auth;
using Firebreak.Web.Endpoints;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

/// <summary>The inbox page's form actions: claim, release, reply, approve, retry; each answers with a redirect carrying a fixed outcome code.</summary>
internal static class InboxUiEndpoints
{
    public static void MapInboxUi(this RouteGroupBuilder ui)
    {
        ui.MapPost("/incidents/{id:long}/inbox/{mentionId:long}/claim", ClaimAsync).RequireWorkspaceRole(WorkspaceRole.Responder);
        ui.MapPost("/incidents/{id:long}/inbox/{mentionId:long}/release", ReleaseAsync).RequireWorkspaceRole(WorkspaceRole.Responder);
        ui.MapPost("/incidents/{id:long}/replies", ReplyAsync).RequireWorkspaceRole(WorkspaceRole.Responder);
        ui.MapPost("/incidents/{id:long}/replies/{replyId:long}/approve", ApproveAsync).RequireWorkspaceRole(WorkspaceRole.Responder);
        ui.MapPost("/incidents/{id:long}/replies/{replyId:long}/retry", RetryAsync).RequireWorkspaceRole(WorkspaceRole.Responder);
    }

    private static async Task<IResult> ClaimAsync(string workspace, long id, long mentionId, HttpContext http, InboxService inbox)
    {
        var (ws, _, refusal, _) = await UiEndpoints.AllowAsync(http, workspace);
        if (ws is null)
        {
            return refusal!;
        }

        var result = await inbox.ClaimAsync(ws.Id, id, mentionId, IncidentEndpoints.ActorOf(http), null, http.RequestAborted);
        return Back(ws.Slug, id, result.Outcome switch
        {
            InboxOutcome.Done => "claimed",
            InboxOutcome.NotFound => "error-notfound",
            _ => "error-claimed",
        }, mentionId);
    }

    private static async Task<IResult> ReleaseAsync(string workspace, long id, long mentionId, HttpContext http, WorkspaceAccess access, InboxService inbox)
    {
        var (ws, _, refusal, _) = await UiEndpoints.AllowAsync(http, workspace);
        if (ws is null)
        {
            return refusal!;
        }

        var anyone = await access.RoleAsync(http.User, ws.Slug, http.RequestAborted) >= WorkspaceRole.Manager;
        var released = await inbox.ReleaseAsync(ws.Id, mentionId, anyone ? null : http.User.AccountId() ?? -1, http.RequestAborted);
        return Back(ws.Slug, id, released ? "released" : "error-notfound", mentionId);
    }

    private static async Task<IResult> ReplyAsync(string workspace, long id, [FromForm] long? mentionId, [FromForm] string? templateId, [FromForm] string? text, [FromForm] string? brand, HttpContext http, InboxService inbox)
    {
        var (ws, _, refusal, _) = await UiEndpoints.AllowAsync(http, workspace);
        if (ws is null)
        {
            return refusal!;
        }

        long? template = long.TryParse(templateId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
        if (mentionId is not { } mention || (template is null && string.IsNullOrWhiteSpace(text)) || text?.Length > 10_000 || brand?.Length > 200)
        {
            return Back(ws.Slug, id, "error-invalid", mentionId);
        }

        var result = await inbox.ReplyAsync(ws.Id, id, new ReplyDraft(mention, template, template is null ? text : null, brand?.Trim(), null), IncidentEndpoints.ActorOf(http), http.RequestAborted);
        return Back(ws.Slug, id, result.Outcome switch
        {
            InboxOutcome.Done => result.Value!.State switch { ReplyState.PendingApproval => "reply-pending", ReplyState.Drill => "reply-drill", _ => "reply-queued" },
            InboxOutcome.NotFound => "error-notfound",
            InboxOutcome.Forbidden => "error-reply-notclaimed",
            InboxOutcome.Invalid when result.Message?.Contains("allows", StringComparison.Ordinal) == true => "error-reply-toolong",
            InboxOutcome.Invalid when result.Message?.Contains("unknown variables", StringComparison.Ordinal) == true => "error-reply-variables",
            _ => "error-invalid",
        }, mention);
    }

    private static async Task<IResult> ApproveAsync(string workspace, long id, long replyId, HttpContext http, WorkspaceAccess access, IIncidentStore incidents, InboxService inbox)
    {
        var (ws, _, refusal, _) = await UiEndpoints.AllowAsync(http, workspace);
        if (ws is null)
        {
            return refusal!;
        }

        if (!await InboxEndpoints.MayApproveAsync(http, ws.Slug, id, access, incidents, http.RequestAborted))
        {
            return Back(ws.Slug, id, "error-approve-notallowed", null);
        }

        var result = await inbox.ApproveAsync(ws.Id, id, replyId, IncidentEndpoints.ActorOf(http), http.RequestAborted);
        return Back(ws.Slug, id, Code(result.Outcome, "reply-approved"), null);
    }

    private static async Task<IResult> RetryAsync(string workspace, long id, long replyId, HttpContext http, InboxService inbox)
    {
        var (ws, _, refusal, _) = await UiEndpoints.AllowAsync(http, workspace);
        if (ws is null)
        {
            return refusal!;
        }

        var result = await inbox.RetryAsync(ws.Id, id, replyId, IncidentEndpoints.ActorOf(http), http.RequestAborted);
        return Back(ws.Slug, id, Code(result.Outcome, "reply-queued"), null);
    }

    private static string Code(InboxOutcome outcome, string done) => outcome switch
    {
        InboxOutcome.Done => done,
        InboxOutcome.NotFound => "error-notfound",
        InboxOutcome.Forbidden => "error-approve-own",
        _ => "error-reply-state",
    };

    private static RedirectHttpResult Back(string slug, long id, string code, long? mentionId) =>
        TypedResults.Redirect($"/w/{slug}/incidents/{id}/inbox?done={code}" + (mentionId is { } m ? $"#m-{m}" : string.Empty));
}
