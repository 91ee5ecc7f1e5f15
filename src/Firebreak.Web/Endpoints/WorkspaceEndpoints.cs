namespace Firebreak.Web.Endpoints;

using Firebreak.Core.Security;
using Firebreak.Web.Auth;

using System.Text.RegularExpressions;
using Firebreak.Core.Mentions;
using Firebreak.Core.Workspaces;
using Firebreak.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

public static partial class WorkspaceEndpoints
{
    public static RouteGroupBuilder MapWorkspaceEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/workspaces", ListAsync).WithName("ListWorkspaces").RequireAccount().WithTags("Workspaces");
        api.MapPost("/workspaces", CreateAsync).WithName("CreateWorkspace").RequireAccount().WithTags("Workspaces");
        api.MapGet("/workspaces/{workspace}", GetAsync).WithName("GetWorkspace").RequireWorkspaceRole(WorkspaceRole.Viewer).WithTags("Workspaces");
        api.MapGet("/workspaces/{workspace}/sources", ListSourcesAsync).WithName("ListSources").RequireWorkspaceRole(WorkspaceRole.Viewer).WithTags("Sources");
        api.MapPost("/workspaces/{workspace}/sources", AddSourceAsync).WithName("AddSource").RequireWorkspaceRole(WorkspaceRole.Admin).WithTags("Sources");
        api.MapDelete("/workspaces/{workspace}/sources/{id:long}", DeleteSourceAsync).WithName("DeleteSource").RequireWorkspaceRole(WorkspaceRole.Admin).WithTags("Sources");
        return api;
    }

    /// <summary>Only the workspaces the caller belongs to (a token restricted to one workspace sees that one).</summary>
    public static async Task<Ok<WorkspaceDto[]>> ListAsync(Microsoft.AspNetCore.Http.HttpContext http, WorkspaceAccess access, CancellationToken ct) =>
        TypedResults.Ok((await access.WorkspacesAsync(http.User, ct)).Select(g => WorkspaceDto.From(g.Workspace)).ToArray());

    /// <summary>Any signed-in account may create a workspace and becomes its Owner.</summary>
    public static async Task<Results<Created<WorkspaceDto>, ValidationProblem, ProblemHttpResult>> CreateAsync(CreateWorkspaceRequest request, Microsoft.AspNetCore.Http.HttpContext http, IWorkspaceStore store, IAccountStore accounts, CancellationToken ct)
    {
        if (http.User.TokenWorkspaceId() is not null)
        {
            return TypedResults.Problem(statusCode: Microsoft.AspNetCore.Http.StatusCodes.Status403Forbidden, title: "Token restricted to one workspace", detail: "A token restricted to one workspace cannot create others.");
        }

        var slug = request.Slug?.Trim() ?? string.Empty;
        if (!SlugPattern().IsMatch(slug))
        {
            return Problems.Validation("slug", "use 2–64 characters: lower-case letters, digits and '-', starting with a letter (e.g. 'aurora-air')");
        }

        var name = string.IsNullOrWhiteSpace(request.Name) ? slug : request.Name.Trim();
        if (name.Length > 200)
        {
            return Problems.Validation("name", "is longer than 200 characters");
        }

        var zone = string.IsNullOrWhiteSpace(request.TimeZone) ? "UTC" : request.TimeZone.Trim();
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
        {
            return Problems.Validation("timeZone", $"'{zone}' is not a known IANA time zone (e.g. Europe/Paris, Asia/Jakarta, UTC)");
        }

        var created = await store.AddAsync(slug, name, zone, ct);
        if (created is null)
        {
            return Problems.Conflict($"A workspace with slug '{slug}' already exists.");
        }

        await accounts.SetMembershipAsync(created.Id, http.User.AccountId()!.Value, WorkspaceRole.Owner, ct);
        return TypedResults.Created($"/api/workspaces/{slug}", WorkspaceDto.From(created));
    }

    public static async Task<Results<Ok<WorkspaceDto>, ProblemHttpResult>> GetAsync(string workspace, WorkspaceResolver resolver, CancellationToken ct) =>
        await resolver.FindAsync(workspace, ct) is { } found ? TypedResults.Ok(WorkspaceDto.From(found)) : Problems.WorkspaceNotFound(workspace);

    public static async Task<Results<Ok<SourceDto[]>, ProblemHttpResult>> ListSourcesAsync(string workspace, WorkspaceResolver resolver, IWorkspaceStore store, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        return TypedResults.Ok((await store.ListSourcesAsync(ws.Id, ct)).Select(SourceDto.From).ToArray());
    }

    public static async Task<Results<Created<SourceDto>, ValidationProblem, ProblemHttpResult>> AddSourceAsync(string workspace, CreateSourceRequest request, WorkspaceResolver resolver, IWorkspaceStore store, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (!EnumNames.TryParsePlatform(request.Platform, out var platform))
        {
            return Problems.Validation("platform", "use one of " + string.Join(", ", EnumNames.PlatformWireNames));
        }

        if (!Enum.TryParse<SourceKind>(request.Kind, ignoreCase: true, out var kind) || !Enum.IsDefined(kind))
        {
            return Problems.Validation("kind", "use one of account, query, feed");
        }

        if (string.IsNullOrWhiteSpace(request.Target) || request.Target.Length > 2_000)
        {
            return Problems.Validation("target", "is required (an account handle, a search query or a feed URL) and at most 2,000 characters");
        }

        var source = await store.AddSourceAsync(ws.Id, platform, kind, request.Target.Trim(), request.Name?.Trim(), ct);
        return TypedResults.Created($"/api/workspaces/{workspace}/sources/{source.Id}", SourceDto.From(source));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteSourceAsync(string workspace, long id, WorkspaceResolver resolver, IWorkspaceStore store, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        return await store.DeleteSourceAsync(ws.Id, id, ct) ? TypedResults.NoContent() : Problems.NotFound("Source", id);
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{1,63}$")]
    private static partial Regex SlugPattern();
}
