namespace Firebreak.Web.Components.Publishing;

using Firebreak.Core.Mentions;
using Firebreak.Core.Publishing.Scorecards;
using Firebreak.Core.Security;
using Firebreak.Web.Auth;
using Firebreak.Web.Endpoints;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

/// <summary>
/// The scorecards' and best-of page's form actions: a goal set or cleared (Manager), a policy event logged
/// (Responder), a past post turned into a draft (Responder). Same rules as the API; redirects carry fixed codes only.
/// </summary>
internal static class ScorecardUiEndpoints
{
    public static void MapScorecardUi(this RouteGroupBuilder ui)
    {
        ui.MapPost("/publishing/scorecards/goals", SetGoalAsync).RequireWorkspaceRole(WorkspaceRole.Manager);
        ui.MapPost("/publishing/scorecards/policy-events", LogEventAsync).RequireWorkspaceRole(WorkspaceRole.Responder);
        ui.MapPost("/publishing/best-of/{postId:long}/draft", DraftAsync).RequireWorkspaceRole(WorkspaceRole.Responder);
    }

    /// <summary>Sets one goal (platform, metric, target); an empty target removes it.</summary>
    private static async Task<IResult> SetGoalAsync(string workspace, [FromForm] string? platform, [FromForm] string? metric, [FromForm] string? target, HttpContext http, ScorecardService scorecards)
    {
        var (ws, _, refusal, _) = await UiEndpoints.AllowAsync(http, workspace);
        if (ws is null)
        {
            return refusal!;
        }

        var back = $"/w/{ws.Slug}/publishing/scorecards";
        if (!EnumNames.TryParsePlatform(platform, out var p) || ScorecardWire.ParseMetric(metric) is not { } m)
        {
            return TypedResults.Redirect(back + "?done=error-goal");
        }

        var goals = (await scorecards.Store.GetGoalsAsync(ws.Id, http.RequestAborted)).Where(g => g.Platform != p || g.Metric != m).ToList();
        if (!string.IsNullOrWhiteSpace(target))
        {
            if (!double.TryParse(target.Trim().TrimEnd('%'), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value))
            {
                return TypedResults.Redirect(back + "?done=error-goal");
            }

            goals.Add(new ScorecardGoal(p, m, value));
        }

        if (ScorecardRules.CheckGoals(goals) is not null)
        {
            return TypedResults.Redirect(back + "?done=error-goal");
        }

        await scorecards.Store.SetGoalsAsync(ws.Id, goals, http.RequestAborted);
        return TypedResults.Redirect(back + "?done=goal-saved");
    }

    private static async Task<IResult> LogEventAsync(string workspace, [FromForm] string? platform, [FromForm] string? severity, [FromForm] string? title, [FromForm] string? accountKey, HttpContext http, ScorecardService scorecards, TimeProvider clock)
    {
        var (ws, _, refusal, _) = await UiEndpoints.AllowAsync(http, workspace);
        if (ws is null)
        {
            return refusal!;
        }

        var back = $"/w/{ws.Slug}/publishing/scorecards";
        var now = clock.GetUtcNow();
        if (!EnumNames.TryParsePlatform(platform, out var p) || ScorecardWire.ParseSeverity(severity) is not { } s || ScorecardRules.CheckEvent(title, now, now) is not null
            || accountKey is { Length: > Core.Publishing.Posts.PostService.MaxAccountKey })
        {
            return TypedResults.Redirect(back + "?done=error-policy");
        }

        await scorecards.Store.AddPolicyEventAsync(new PolicyEvent(0, ws.Id, p, string.IsNullOrWhiteSpace(accountKey) ? null : accountKey.Trim(), s, title!.Trim(), now, IncidentEndpoints.ActorOf(http).Name), http.RequestAborted);
        return TypedResults.Redirect(back + "?done=policy-logged");
    }

    private static async Task<IResult> DraftAsync(string workspace, long postId, [FromForm] string? mode, [FromForm] string? platform, [FromForm] string? acknowledgeIncident, HttpContext http, ScorecardService scorecards)
    {
        var (ws, _, refusal, _) = await UiEndpoints.AllowAsync(http, workspace);
        if (ws is null)
        {
            return refusal!;
        }

        var back = $"/w/{ws.Slug}/publishing/best-of";
        Platform? target = null;
        if (!string.IsNullOrEmpty(platform))
        {
            if (!EnumNames.TryParsePlatform(platform, out var parsed))
            {
                return TypedResults.Redirect(back + "?done=error-recycle");
            }

            target = parsed;
        }

        if (ScorecardWire.ParseMode(mode) is not { } m)
        {
            return TypedResults.Redirect(back + "?done=error-recycle");
        }

        var result = await scorecards.DraftAsync(ws.Id, postId, m, target, acknowledgeIncident == "true", IncidentEndpoints.ActorOf(http), http.RequestAborted);
        return result switch
        {
            null => TypedResults.Redirect(back + "?done=error-notfound"),
            { Refusal: not null } => TypedResults.Redirect(back + "?done=error-recycle-incident"),
            { Draft.Post: { } post } => TypedResults.Redirect($"/w/{ws.Slug}/publishing/posts/{post.Id}?done=post-recycled"),
            _ => TypedResults.Redirect(back + "?done=error-recycle"),
        };
    }
}
