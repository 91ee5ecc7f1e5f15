namespace Firebreak.Web.Endpoints;

using Firebreak.Core.Playbooks;
using Firebreak.Core.Security;
using Firebreak.Web.Auth;
using Firebreak.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

public static class PlaybookEndpoints
{
    public static RouteGroupBuilder MapPlaybookEndpoints(this RouteGroupBuilder api)
    {
        var playbooks = api.MapGroup("/workspaces/{workspace}/playbooks").WithTags("Playbooks");
        playbooks.MapGet("/", ListAsync).WithName("ListPlaybooks").RequireWorkspaceRole(WorkspaceRole.Viewer);
        playbooks.MapPost("/validate", Validate).WithName("ValidatePlaybook").RequireWorkspaceRole(WorkspaceRole.Viewer).SkipAudit()
            .WithSummary("Checks a playbook file and lists every problem with its line and column; saves nothing.");
        playbooks.MapGet("/{key}", GetAsync).WithName("GetPlaybook").RequireWorkspaceRole(WorkspaceRole.Viewer)
            .WithSummary("The workspace's current version; ?format=yaml or ?format=markdown for the file or a checklist.");
        playbooks.MapPut("/{key}", SaveAsync).WithName("SavePlaybook").RequireWorkspaceRole(WorkspaceRole.Manager)
            .WithSummary("Saves a playbook file as the next version (creates the playbook when the key is new).");
        playbooks.MapGet("/{key}/versions", VersionsAsync).WithName("ListPlaybookVersions").RequireWorkspaceRole(WorkspaceRole.Viewer);
        playbooks.MapGet("/{key}/versions/{version:int}", GetVersionAsync).WithName("GetPlaybookVersion").RequireWorkspaceRole(WorkspaceRole.Viewer);
        playbooks.MapPost("/{key}/versions/{version:int}/restore", RestoreAsync).WithName("RestorePlaybookVersion").RequireWorkspaceRole(WorkspaceRole.Manager);
        playbooks.MapGet("/{key}/plan", PlanAsync).WithName("PlanPlaybook").RequireWorkspaceRole(WorkspaceRole.Viewer)
            .WithSummary("The tasks the playbook gives an incident starting at ?start= (default now), with owners and deadlines.");
        return api;
    }

    public static async Task<Results<Ok<PlaybookSummaryDto[]>, ProblemHttpResult>> ListAsync(string workspace, WorkspaceResolver resolver, PlaybookLibrary library, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        return TypedResults.Ok((await library.ListAsync(ws.Id, ct)).Select(PlaybookSummaryDto.From).ToArray());
    }

    public static async Task<Results<Ok<PlaybookDto>, ContentHttpResult, ProblemHttpResult>> GetAsync(string workspace, string key, string? format, WorkspaceResolver resolver, PlaybookLibrary library, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (await library.GetAsync(ws.Id, key, ct) is not { } current)
        {
            return PlaybookNotFound(key);
        }

        return format switch
        {
            null or "" or "json" => TypedResults.Ok(PlaybookDto.From(current)),
            "yaml" => TypedResults.Text(current.Yaml, "application/yaml; charset=utf-8"),
            "markdown" => TypedResults.Text(PlaybookMarkdown.Write(current.Playbook), "text/markdown; charset=utf-8"),
            _ => Problems.BadRequest("Unknown format", $"format '{format}' is not one of: json, yaml, markdown."),
        };
    }

    /// <summary>An invalid file answers 200 with its errors: the editor checks drafts, and a draft with errors is normal.</summary>
    public static Results<Ok<PlaybookValidationDto>, ValidationProblem> Validate(string workspace, PlaybookFileRequest request)
    {
        if (request.Yaml is null)
        {
            return Problems.Validation("yaml", "is required: the playbook file's text");
        }

        var parsed = PlaybookYaml.Parse(request.Yaml);
        return TypedResults.Ok(new PlaybookValidationDto(parsed.IsValid, parsed.Playbook?.Key, parsed.Errors));
    }

    public static async Task<Results<Ok<PlaybookVersionDto>, ValidationProblem, ProblemHttpResult>> SaveAsync(string workspace, string key, PlaybookFileRequest request, HttpContext http, WorkspaceResolver resolver, PlaybookLibrary library, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (request.Yaml is null)
        {
            return Problems.Validation("yaml", "is required: the playbook file's text");
        }

        var result = await library.SaveAsync(ws.Id, key, request.Yaml, SavedBy(http), request.Note, ct);
        if (result.Saved is not { } saved)
        {
            return InvalidPlaybook(result.Errors);
        }

        return TypedResults.Ok(PlaybookVersionDto.From(saved));
    }

    public static async Task<Results<Ok<PlaybookVersionDto[]>, ProblemHttpResult>> VersionsAsync(string workspace, string key, WorkspaceResolver resolver, PlaybookLibrary library, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        return await library.VersionsAsync(ws.Id, key, ct) is { } versions ? TypedResults.Ok(versions.Select(PlaybookVersionDto.From).ToArray()) : PlaybookNotFound(key);
    }

    public static async Task<Results<Ok<PlaybookVersionDto>, ContentHttpResult, ProblemHttpResult>> GetVersionAsync(string workspace, string key, int version, string? format, WorkspaceResolver resolver, PlaybookLibrary library, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (await library.GetVersionAsync(ws.Id, key, version, ct) is not { } found)
        {
            return VersionNotFound(key, version);
        }

        return format == "yaml" ? TypedResults.Text(found.Yaml, "application/yaml; charset=utf-8") : TypedResults.Ok(PlaybookVersionDto.From(found, withYaml: true));
    }

    public static async Task<Results<Ok<PlaybookVersionDto>, ProblemHttpResult>> RestoreAsync(string workspace, string key, int version, HttpContext http, WorkspaceResolver resolver, PlaybookLibrary library, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        return await library.RestoreAsync(ws.Id, key, version, SavedBy(http), ct) is { } restored
            ? TypedResults.Ok(PlaybookVersionDto.From(restored))
            : VersionNotFound(key, version);
    }

    public static async Task<Results<Ok<PlannedTask[]>, ProblemHttpResult>> PlanAsync(string workspace, string key, DateTimeOffset? start, WorkspaceResolver resolver, PlaybookLibrary library, TimeProvider clock, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (await library.GetAsync(ws.Id, key, ct) is not { } current)
        {
            return PlaybookNotFound(key);
        }

        return TypedResults.Ok(PlaybookPlan.For(current.Playbook, start ?? clock.GetUtcNow()).ToArray());
    }

    /// <summary>The account's name as the versions list shows it.</summary>
    internal static string SavedBy(HttpContext http) => http.User.Identity?.Name ?? "someone";

    internal static ProblemHttpResult InvalidPlaybook(IReadOnlyList<PlaybookError> errors) => Problems.BadRequest(
        "Invalid playbook",
        $"The file has {errors.Count} problem{(errors.Count == 1 ? string.Empty : "s")}; nothing was saved. First: {errors[0]}",
        new Dictionary<string, object?> { ["errors"] = errors });

    private static ProblemHttpResult PlaybookNotFound(string key) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Playbook not found",
        detail: $"No playbook '{key}' in this workspace. List them with GET /api/workspaces/{{workspace}}/playbooks.");

    private static ProblemHttpResult VersionNotFound(string key, int version) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Playbook version not found",
        detail: $"Playbook '{key}' has no version {version} in this workspace. List them with GET …/playbooks/{key}/versions.");
}

/// <summary>A playbook file to check or save, and the note a save records.</summary>
public sealed record PlaybookFileRequest(string? Yaml, string? Note);

public sealed record PlaybookValidationDto(bool Valid, string? Key, IReadOnlyList<PlaybookError> Errors);

public sealed record PlaybookSummaryDto(string Key, string Title, string Scenario, string Severity, int Version, bool Edited, bool Shipped)
{
    public static PlaybookSummaryDto From(CurrentPlaybook p) =>
        new(p.Playbook.Key, p.Playbook.Title, p.Playbook.Scenario, p.Playbook.DefaultSeverity, p.Version, p.Edited, p.Shipped);
}

public sealed record PlaybookDto(string Key, int Version, bool Edited, bool Shipped, Playbook Playbook)
{
    public static PlaybookDto From(CurrentPlaybook p) => new(p.Playbook.Key, p.Version, p.Edited, p.Shipped, p.Playbook);
}

/// <summary>A version; <see cref="Yaml"/> only when one version is asked for (lists stay small).</summary>
public sealed record PlaybookVersionDto(string Key, int Version, string SavedBy, DateTimeOffset? SavedAt, string? Note, bool Shipped, string? Yaml)
{
    public static PlaybookVersionDto From(PlaybookVersion v) => From(v, withYaml: false);

    public static PlaybookVersionDto From(PlaybookVersion v, bool withYaml) => new(v.Key, v.Version, v.SavedBy, v.SavedAt, v.Note, v.IsShipped, withYaml ? v.Yaml : null);
}
