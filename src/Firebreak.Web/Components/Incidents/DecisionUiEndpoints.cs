namespace Firebreak.Web.Components.Incidents;

using Firebreak.Core.Incidents.Decisions;
using Firebreak.Core.Incidents.Review;
using Firebreak.Core.Playbooks;
using Firebreak.Core.Security;
using Firebreak.Web.Auth;
using Firebreak.Web.Endpoints;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

/// <summary>
/// Form actions of the review page and of the room's decision guides. They validate like the API (the same
/// functions) and answer with a redirect carrying a fixed outcome code.
/// </summary>
internal static class DecisionUiEndpoints
{
    public static void MapDecisionUi(this RouteGroupBuilder ui)
    {
        ui.MapPost("/incidents/{id:long}/review/text", SaveReviewAsync).RequireWorkspaceRole(WorkspaceRole.Responder);
        ui.MapPost("/incidents/{id:long}/review/tasks", CreateActionTasksAsync).RequireWorkspaceRole(WorkspaceRole.Responder);
        ui.MapPost("/incidents/{id:long}/decisions/post", DecidePostAsync).RequireWorkspaceRole(WorkspaceRole.Responder);
        ui.MapPost("/incidents/{id:long}/decisions/apology", ApologyAsync).RequireWorkspaceRole(WorkspaceRole.Responder);
    }

    private static async Task<IResult> SaveReviewAsync(string workspace, long id, HttpContext http, ReviewService reviews)
    {
        var (ws, _, refusal, _) = await UiEndpoints.AllowAsync(http, workspace);
        if (ws is null)
        {
            return refusal!;
        }

        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var back = $"/w/{ws.Slug}/incidents/{id}/review";
        if (!long.TryParse(form["version"], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version))
        {
            return TypedResults.Redirect($"{back}?done=error-invalid");
        }

        var items = Lines(form["actionItems"]).Select(line =>
        {
            var done = line.StartsWith("[x]", StringComparison.OrdinalIgnoreCase);
            var rest = done ? line[3..].Trim() : line;
            var bar = rest.LastIndexOf('|');
            return bar < 0
                ? new ReviewActionItemRequest(rest, null, null, done)
                : new ReviewActionItemRequest(rest[..bar].Trim(), rest[(bar + 1)..].Trim(), null, done);
        }).ToList();
        var changes = Lines(form["playbookChanges"]).Select(line =>
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? new ReviewPlaybookChangeRequest(null, line) : new ReviewPlaybookChangeRequest(line[..colon].Trim(), line[(colon + 1)..].Trim());
        }).ToList();
        var request = new ReviewRequest(version, form["wentWell"], form["wentBadly"], items, changes);
        if (ReviewEndpoints.Validate(request, out var text) is not null)
        {
            return TypedResults.Redirect($"{back}?done=error-invalid");
        }

        var result = await reviews.SaveAsync(ws.Id, id, text, version, IncidentEndpoints.ActorOf(http).Name, http.RequestAborted);
        return TypedResults.Redirect($"{back}?done=" + result.Status switch
        {
            ReviewSaveStatus.Saved => "review-saved",
            ReviewSaveStatus.NotFound => "error-notfound",
            _ => "error-review-conflict",
        });
    }

    private static async Task<IResult> CreateActionTasksAsync(string workspace, long id, HttpContext http, ReviewService reviews, IAccountStore accounts)
    {
        var (ws, _, refusal, _) = await UiEndpoints.AllowAsync(http, workspace);
        if (ws is null)
        {
            return refusal!;
        }

        var members = await accounts.ListMembersAsync(ws.Id, http.RequestAborted);
        var created = await reviews.CreateActionTasksAsync(ws.Id, id, members, IncidentEndpoints.ActorOf(http), http.RequestAborted);
        return TypedResults.Redirect($"/w/{ws.Slug}/incidents/{id}/review?done=" + created switch
        {
            null => "error-notfound",
            [] => "review-tasks-none",
            _ => "review-tasks-created",
        });
    }

    private static async Task<IResult> DecidePostAsync(string workspace, long id, HttpContext http, DecisionService decisions)
    {
        var (ws, _, refusal, _) = await UiEndpoints.AllowAsync(http, workspace);
        if (ws is null)
        {
            return refusal!;
        }

        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        DateTimeOffset? postedAt = DateTimeOffset.TryParse(form["postedAt"], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at) ? at : null;
        var request = new PostDecisionRequest(form["text"], form["url"], form["author"], postedAt, form["obsceneOrGraphic"] == "on", form["postedByIntruder"] == "on", form["action"], form["note"]);
        if (ReviewEndpoints.ValidatePost(request, out var post, out var action).Count > 0)
        {
            return Back(ws.Slug, id, "error-invalid");
        }

        var entry = await decisions.RecordPostAsync(ws.Id, id, post, new PostQuestions(request.ObsceneOrGraphic!.Value, request.PostedByIntruder!.Value), action, request.Note?.Trim(), IncidentEndpoints.ActorOf(http), http.RequestAborted);
        return Back(ws.Slug, id, entry is null ? "error-notfound" : "decision-recorded");
    }

    private static async Task<IResult> ApologyAsync(string workspace, long id, HttpContext http, PlaybookLibrary playbooks, DecisionService decisions)
    {
        var (ws, _, refusal, _) = await UiEndpoints.AllowAsync(http, workspace);
        if (ws is null)
        {
            return refusal!;
        }

        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var request = ApologyFromForm(form);
        var (errors, preview) = await ReviewEndpoints.PreviewAsync(ws.Id, request, playbooks, http.RequestAborted);
        var statement = string.IsNullOrWhiteSpace(request.Statement) ? preview?.Statement : request.Statement.Trim();
        if (errors.Count > 0 || statement is null or { Length: > Core.Incidents.IncidentService.MaxNote })
        {
            return Back(ws.Slug, id, "error-invalid");
        }

        Apologiser? who = request.Who switch { "person" => Apologiser.Person, "higherUp" => Apologiser.HigherUp, _ => null };
        var entry = await decisions.RecordApologyAsync(ws.Id, id, new ApologyQuestions(request.SeriousHarm!.Value, request.Repeated!.Value, request.LacksStanding!.Value), who, statement, preview!.Language, request.PlaybookKey, IncidentEndpoints.ActorOf(http), http.RequestAborted);
        return Back(ws.Slug, id, entry is null ? "error-notfound" : "decision-recorded");
    }

    /// <summary>The apology builder's fields, from a form post or the page's query string (the preview).</summary>
    public static ApologyRequest ApologyFromForm(IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> fields)
    {
        var f = fields.ToDictionary(kv => kv.Key, kv => kv.Value.ToString(), StringComparer.Ordinal);
        string? Get(string name) => f.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v : null;
        var variables = new Dictionary<string, string?> { ["brand"] = Get("brand"), ["date"] = Get("date") };
        return new ApologyRequest(
            Get("seriousHarm") == "on", Get("repeated") == "on", Get("lacksStanding") == "on", Get("who"), Get("language"), Get("playbookKey"),
            Get("whatHappened"), Get("whatWeAreDoing"), Get("contact"), Get("speaker"), variables, Get("statement"));
    }

    private static IEnumerable<string> Lines(string? text) =>
        (text ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static RedirectHttpResult Back(string slug, long id, string code) => TypedResults.Redirect($"/w/{slug}/incidents/{id}?done={code}#decisions");
}
