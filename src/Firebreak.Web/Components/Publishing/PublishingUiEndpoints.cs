namespace Firebreak.Web.Components.Publishing;

using Firebreak.Core.Publishing.Posts;
using Firebreak.Core.Security;
using Firebreak.Web.Auth;
using Firebreak.Web.Endpoints;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

/// <summary>
/// The calendar's and compose page's form actions. Each goes through <see cref="PostService"/> like the API (same
/// rules: limits, workflow, risk check) and redirects to the post with a fixed outcome code, never request text.
/// </summary>
internal static class PublishingUiEndpoints
{
    public static void MapPublishingUi(this RouteGroupBuilder ui)
    {
        ui.MapPost("/publishing/posts/save", SaveAsync).RequireWorkspaceRole(WorkspaceRole.Responder);
        ui.MapPost("/publishing/posts/{id:long}/submit", SubmitAsync).RequireWorkspaceRole(WorkspaceRole.Responder);
        ui.MapPost("/publishing/posts/{id:long}/approve", ApproveAsync).RequireWorkspaceRole(WorkspaceRole.Viewer);
        ui.MapPost("/publishing/posts/{id:long}/reject", RejectAsync).RequireWorkspaceRole(WorkspaceRole.Viewer);
        ui.MapPost("/publishing/posts/{id:long}/comment", CommentAsync).RequireWorkspaceRole(WorkspaceRole.Viewer);
        ui.MapPost("/publishing/posts/{id:long}/unschedule", UnscheduleAsync).RequireWorkspaceRole(WorkspaceRole.Responder);
        ui.MapPost("/publishing/posts/{id:long}/delete", DeleteAsync).RequireWorkspaceRole(WorkspaceRole.Responder);
    }

    /// <summary>Creates (no id) or edits a post from the compose form; media is one "URL kind" per line, links one per line.</summary>
    private static async Task<IResult> SaveAsync(
        string workspace,
        [FromForm] long? id,
        [FromForm] int? version,
        [FromForm] string? platform,
        [FromForm] string? accountKey,
        [FromForm] string? text,
        [FromForm] string? media,
        [FromForm] string? links,
        [FromForm] string? campaign,
        [FromForm] string? scheduledAt,
        [FromForm] string? timeZone,
        [FromForm] string? ambiguous,
        HttpContext http,
        PostService posts)
    {
        var (ws, _, refusal, _) = await UiEndpoints.AllowAsync(http, workspace);
        if (ws is null)
        {
            return refusal!;
        }

        var back = id is { } existing ? $"/w/{ws.Slug}/publishing/posts/{existing}" : $"/w/{ws.Slug}/publishing/new";
        var mediaItems = new List<MediaDto>();
        foreach (var line in Lines(media))
        {
            var parts = line.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            mediaItems.Add(new MediaDto(parts[0], parts.Length > 1 ? parts[1] : Guess(parts[0])));
        }

        var request = new PostRequest(platform, accountKey ?? string.Empty, text ?? string.Empty, [.. mediaItems], [.. Lines(links)], campaign ?? string.Empty,
            string.IsNullOrWhiteSpace(scheduledAt) ? null : scheduledAt, string.IsNullOrWhiteSpace(timeZone) ? null : timeZone.Trim(), string.IsNullOrWhiteSpace(ambiguous) ? null : ambiguous,
            string.IsNullOrWhiteSpace(scheduledAt), version);
        Core.Publishing.Posts.Post? current = null;
        if (id is { } postId && (current = await posts.Store.GetAsync(ws.Id, postId, http.RequestAborted)) is null)
        {
            return TypedResults.Redirect($"/w/{ws.Slug}/publishing?done=error-notfound");
        }

        if (!PostEndpoints.TryDraft(request, current, ws, out var draft, out _))
        {
            return TypedResults.Redirect($"{back}?done=error-invalid");
        }

        var actor = IncidentEndpoints.ActorOf(http);
        var result = current is null
            ? await posts.CreateAsync(ws.Id, draft, actor, http.RequestAborted)
            : await posts.UpdateAsync(ws.Id, current.Id, version ?? -1, draft, actor, http.RequestAborted);
        return result.Outcome == PostOutcome.Done
            ? TypedResults.Redirect($"/w/{ws.Slug}/publishing/posts/{result.Post!.Id}?done=post-saved")
            : TypedResults.Redirect($"{back}?done={Code(result)}");
    }

    private static Task<IResult> SubmitAsync(string workspace, long id, HttpContext http, PostService posts) =>
        ActAsync(workspace, id, http, "post-submitted", (wsId, actor, _) => posts.SubmitAsync(wsId, id, actor, http.RequestAborted));

    private static async Task<IResult> ApproveAsync(string workspace, long id, [FromForm] string? acknowledge, [FromForm] int? version, HttpContext http, PostService posts) =>
        await ActAsync(workspace, id, http, "post-approved", (wsId, actor, _) => posts.ApproveAsync(wsId, id, version, actor, acknowledge == "on", http.RequestAborted));

    private static async Task<IResult> RejectAsync(string workspace, long id, [FromForm] string? reason, HttpContext http, PostService posts)
    {
        var (ws, role, refusal, _) = await UiEndpoints.AllowAsync(http, workspace);
        if (ws is null)
        {
            return refusal!;
        }

        if (string.IsNullOrWhiteSpace(reason) || reason.Length > PostService.MaxComment)
        {
            return TypedResults.Redirect($"/w/{ws.Slug}/publishing/posts/{id}?done=error-reason");
        }

        var result = await posts.RejectAsync(ws.Id, id, IncidentEndpoints.ActorOf(http), role, reason.Trim(), http.RequestAborted);
        return TypedResults.Redirect($"/w/{ws.Slug}/publishing/posts/{id}?done={(result.Outcome == PostOutcome.Done ? "post-rejected" : Code(result))}");
    }

    private static async Task<IResult> CommentAsync(string workspace, long id, [FromForm] string? text, HttpContext http, PostService posts)
    {
        var (ws, _, refusal, _) = await UiEndpoints.AllowAsync(http, workspace);
        if (ws is null)
        {
            return refusal!;
        }

        if (string.IsNullOrWhiteSpace(text) || text.Length > PostService.MaxComment || PlatformLimits.BrokenCharacterAt(text) >= 0)
        {
            return TypedResults.Redirect($"/w/{ws.Slug}/publishing/posts/{id}?done=error-invalid");
        }

        return await posts.CommentAsync(ws.Id, id, IncidentEndpoints.ActorOf(http), text.Trim(), http.RequestAborted) is null
            ? TypedResults.Redirect($"/w/{ws.Slug}/publishing?done=error-notfound")
            : TypedResults.Redirect($"/w/{ws.Slug}/publishing/posts/{id}?done=post-commented#history");
    }

    private static Task<IResult> UnscheduleAsync(string workspace, long id, HttpContext http, PostService posts) =>
        ActAsync(workspace, id, http, "post-unscheduled", (wsId, actor, _) => posts.UnscheduleAsync(wsId, id, actor, http.RequestAborted));

    private static async Task<IResult> DeleteAsync(string workspace, long id, [FromForm] int? version, HttpContext http, PostService posts)
    {
        var (ws, _, refusal, _) = await UiEndpoints.AllowAsync(http, workspace);
        if (ws is null)
        {
            return refusal!;
        }

        var result = await posts.DeleteAsync(ws.Id, id, version ?? -1, IncidentEndpoints.ActorOf(http), http.RequestAborted);
        return result.Outcome == PostOutcome.Done
            ? TypedResults.Redirect($"/w/{ws.Slug}/publishing?done=deleted")
            : TypedResults.Redirect($"/w/{ws.Slug}/publishing/posts/{id}?done={Code(result)}");
    }

    private static async Task<IResult> ActAsync(string workspace, long id, HttpContext http, string done, Func<long, Core.Incidents.IncidentActor, WorkspaceRole, Task<PostResult>> act)
    {
        var (ws, role, refusal, _) = await UiEndpoints.AllowAsync(http, workspace);
        if (ws is null)
        {
            return refusal!;
        }

        var result = await act(ws.Id, IncidentEndpoints.ActorOf(http), role);
        return TypedResults.Redirect($"/w/{ws.Slug}/publishing/posts/{id}?done={(result.Outcome == PostOutcome.Done ? done : Code(result))}");
    }

    /// <summary>The fixed notice code for a refusal; the post page shows the details (issues, risk findings) itself.</summary>
    private static string Code(PostResult result) => result.Outcome switch
    {
        PostOutcome.NotFound => "error-notfound",
        PostOutcome.Stale => "error-post-stale",
        PostOutcome.Forbidden => "error-post-approver",
        PostOutcome.Blocked => "error-post-blocked",
        PostOutcome.NeedsAcknowledgement => "error-post-acknowledge",
        PostOutcome.WrongState => "error-post-state",
        _ when result.Issues.Any(i => i.Field is "scheduledAt" or "timeZone") => "error-post-time",
        _ => "error-post-invalid",
    };

    private static string Guess(string url) =>
        url.EndsWith(".mp4", StringComparison.OrdinalIgnoreCase) || url.EndsWith(".mov", StringComparison.OrdinalIgnoreCase) ? "video"
        : url.EndsWith(".gif", StringComparison.OrdinalIgnoreCase) ? "gif" : "image";

    private static IEnumerable<string> Lines(string? value) =>
        (value ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(PostService.MaxMediaOrLinks + 1);
}
