namespace Firebreak.Web.Components.Publishing;

using Firebreak.Core.Publishing.Holds;
using Firebreak.Core.Security;
using Firebreak.Web.Auth;
using Firebreak.Web.Endpoints;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

/// <summary>The pause switch's form actions (holds page and incident room): pause (Responder) and resume (Manager).</summary>
internal static class HoldUiEndpoints
{
    public static void MapHoldUi(this RouteGroupBuilder ui)
    {
        ui.MapPost("/publishing/pause", PauseAsync).RequireWorkspaceRole(WorkspaceRole.Responder);
        ui.MapPost("/publishing/resume", ResumeAsync).RequireWorkspaceRole(WorkspaceRole.Manager);
        ui.MapPost("/publishing/outbox/{id:long}/retry", RetryAsync).RequireWorkspaceRole(WorkspaceRole.Manager);
    }

    private static async Task<IResult> RetryAsync(string workspace, long id, HttpContext http, Core.Publishing.Outbox.IOutboxStore store, TimeProvider clock)
    {
        var (ws, _, refusal, _) = await UiEndpoints.AllowAsync(http, workspace);
        if (ws is null)
        {
            return refusal!;
        }

        return Back(ws.Slug, null, await store.RetryAsync(ws.Id, id, clock.GetUtcNow(), http.RequestAborted) is null ? "error-retry-state" : "post-retried");
    }

    private static async Task<IResult> PauseAsync(string workspace, [FromForm] string? reason, [FromForm] string? scope, [FromForm] string? target, [FromForm] string? eventMode, [FromForm] string? back, HttpContext http, PublishHoldService holds)
    {
        var (ws, _, refusal, _) = await UiEndpoints.AllowAsync(http, workspace);
        if (ws is null)
        {
            return refusal!;
        }

        if (PublishingEndpoints.ParseScope(scope ?? "workspace") is not { } parsed)
        {
            return Back(ws.Slug, back, "error-pause-invalid");
        }

        try
        {
            await holds.PauseAsync(ws.Id, new PauseRequest(parsed, string.IsNullOrWhiteSpace(target) ? null : target, reason ?? string.Empty, eventMode == "true"), IncidentEndpoints.ActorOf(http), http.RequestAborted);
            return Back(ws.Slug, back, "paused");
        }
        catch (HoldRequestException ex)
        {
            return Back(ws.Slug, back, ex.Field == "reason" ? "error-pause-reason" : "error-pause-invalid");
        }
    }

    private static async Task<IResult> ResumeAsync(string workspace, [FromForm] string? back, HttpContext http, PublishHoldService holds)
    {
        var (ws, _, refusal, _) = await UiEndpoints.AllowAsync(http, workspace);
        if (ws is null)
        {
            return refusal!;
        }

        var result = await holds.ResumeAsync(ws.Id, null, null, IncidentEndpoints.ActorOf(http), http.RequestAborted);
        return Back(ws.Slug, back, result.Released.Count == 0 ? "not-paused" : "resumed");
    }

    /// <summary>Back to the page the form was on, inside this workspace only (an incident room or the holds page), never elsewhere.</summary>
    private static RedirectHttpResult Back(string slug, string? back, string code)
    {
        var path = back is { Length: > 0 and <= 100 } b && System.Text.RegularExpressions.Regex.IsMatch(b, "^(publishing/holds|incidents/[0-9]{1,18})$") ? b : "publishing/holds";
        return TypedResults.Redirect($"/w/{slug}/{path}?done={code}");
    }
}
