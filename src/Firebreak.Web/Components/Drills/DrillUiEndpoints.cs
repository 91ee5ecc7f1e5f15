namespace Firebreak.Web.Components.Drills;

using Firebreak.Core.Drills;
using Firebreak.Core.Security;
using Firebreak.Web.Auth;
using Firebreak.Web.Drills;
using Firebreak.Web.Endpoints;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

/// <summary>The drills page's form actions: start (then to the list, where the running drill links to its sandbox) and end.</summary>
internal static class DrillUiEndpoints
{
    public static void MapDrillUi(this RouteGroupBuilder ui)
    {
        ui.MapPost("/drills/start", StartAsync).RequireWorkspaceRole(WorkspaceRole.Manager);
        ui.MapPost("/drills/{id:long}/end", EndAsync).RequireWorkspaceRole(WorkspaceRole.Manager);
    }

    private static async Task<IResult> StartAsync(string workspace, [FromForm] string? playbookKey, [FromForm] string? scenario, [FromForm] string? speed, HttpContext http, DrillService drills, DrillRunner runner)
    {
        var (ws, _, refusal, _) = await UiEndpoints.AllowAsync(http, workspace);
        if (ws is null)
        {
            return refusal!;
        }

        double? pace = double.TryParse(speed, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
        if (DrillEndpoints.Validate(new DrillStartRequest(playbookKey, scenario, pace, null, null), out var request) is not null
            || await drills.StartAsync(ws, request, IncidentEndpoints.ActorOf(http), http.RequestAborted) is not { Outcome: DrillStartOutcome.Started, Drill: { } drill })
        {
            return TypedResults.Redirect($"/w/{ws.Slug}/drills?done=error-drill");
        }

        runner.Launch(drill);
        return TypedResults.Redirect($"/w/{ws.Slug}/drills?done=drill-started");
    }

    private static async Task<IResult> EndAsync(string workspace, long id, HttpContext http, DrillService drills, DrillRunner runner)
    {
        var (ws, _, refusal, _) = await UiEndpoints.AllowAsync(http, workspace);
        if (ws is null)
        {
            return refusal!;
        }

        if (await drills.Store.GetAsync(ws.Id, id, http.RequestAborted) is { } drill)
        {
            await drills.EndAsync(drill, http.RequestAborted);
            await runner.StopAsync(id);
        }

        return TypedResults.Redirect($"/w/{ws.Slug}/drills/{id}?done=drill-ended");
    }
}
