namespace Firebreak.Web.Endpoints;

using Firebreak.Core.Drills;
using Firebreak.Core.Inbox;
using Firebreak.Core.Security;
using Firebreak.Core.Workspaces;
using Firebreak.Web.Auth;
using Firebreak.Web.Drills;
using Firebreak.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

public sealed record DrillStartRequest(string? PlaybookKey, string? Scenario, double? Speed, double? RatePerMinute, int? Minutes);

public sealed record FiredInjectDto(string Key, string Title, string ExternalId, DateTimeOffset FiredAt);

public sealed record DrillDto(
    long Id, int Number, string State, string PlaybookKey, string Scenario, double Speed, double RatePerMinute, int Minutes,
    string? Sandbox, string? SandboxName, DateTimeOffset StartedAt, DateTimeOffset BurstAt, DateTimeOffset StreamEndsAt, DateTimeOffset? EndedAt,
    string StartedBy, IReadOnlyList<FiredInjectDto> Injects, DrillScore? Score)
{
    public static DrillDto From(Drill d, Workspace? sandbox) => new(
        d.Id, d.Number, d.State == DrillState.Running ? "running" : "ended", d.PlaybookKey, d.Scenario, d.Speed, d.RatePerMinute, d.Minutes,
        sandbox?.Slug, sandbox?.Name, d.StartedAt, d.BurstAt, d.StreamEndsAt, d.EndedAt, d.StartedBy,
        [.. d.Injects.Select(i => new FiredInjectDto(i.Key, i.Title, i.ExternalId, i.FiredAt))], d.Score);
}

/// <param name="KeyDecision">The move the story is scored on besides the timings (e.g. publishing paused within 5 min), or null.</param>
public sealed record DrillScenarioDto(string Key, string Title, double BurstAfterMinutes, IReadOnlyList<string> Prompts, string? KeyDecision);

public sealed record AdvocateDto(string Platform, string Handle, string? DisplayName, long Followers, bool Verified, int Positive, int Negative, int Total, double Score, string Why, MentionDto Best);

/// <summary>Drills (a playbook rehearsed in a sandbox against a simulated stream, scored like a review) and an incident's advocates.</summary>
public static class DrillEndpoints
{
    public const double MaxSpeed = 1_000;

    public static RouteGroupBuilder MapDrillEndpoints(this RouteGroupBuilder api)
    {
        var drills = api.MapGroup("/workspaces/{workspace}/drills").WithTags("Drills");
        drills.MapGet("/", ListAsync).WithName("ListDrills").RequireWorkspaceRole(WorkspaceRole.Viewer)
            .WithSummary("The workspace's drills, newest first, with their scores (history, so a team sees improvement).");
        drills.MapGet("/scenarios", ScenariosAsync).WithName("ListDrillScenarios").RequireWorkspaceRole(WorkspaceRole.Viewer)
            .WithSummary("The drill scenarios and their role-play prompts.");
        drills.MapPost("/", StartAsync).WithName("StartDrill").RequireWorkspaceRole(WorkspaceRole.Manager)
            .WithSummary("Starts a drill: {playbookKey, scenario?, speed? (1–1000, default 8), ratePerMinute? (1–200, default 20), minutes? (10–240, default 120)}; copies the workspace into a sandbox and plays the stream there → 201.");
        drills.MapGet("/{id:long}", GetAsync).WithName("GetDrill").RequireWorkspaceRole(WorkspaceRole.Viewer);
        drills.MapPost("/{id:long}/end", EndAsync).WithName("EndDrill").RequireWorkspaceRole(WorkspaceRole.Manager)
            .WithSummary("Ends a running drill (the stream stops) and keeps its score; an ended drill → 409.");
        drills.MapGet("/{id:long}/score", ScoreAsync).WithName("DrillScore").RequireWorkspaceRole(WorkspaceRole.Viewer)
            .WithSummary("The score out of 100 with each component and why: kept when ended, computed now while running.");

        api.MapGroup("/workspaces/{workspace}/incidents/{id:long}").WithTags("Inbox")
            .MapGet("/advocates", AdvocatesAsync).WithName("IncidentAdvocates").RequireWorkspaceRole(WorkspaceRole.Viewer)
            .WithSummary("Trusted, positive, high-reach authors of the incident's topics who could help: ≥2 positive mentions, ≥1,000 followers, nothing offensive, not muted; ranked, with their best mention. limit (1–100, default 20).");
        return api;
    }

    public static async Task<Results<Ok<List<DrillDto>>, ProblemHttpResult>> ListAsync(string workspace, int? limit, WorkspaceResolver resolver, IDrillStore store, IWorkspaceStore workspaces, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        var list = await store.ListAsync(ws.Id, Math.Clamp(limit ?? 50, 1, 500), ct);
        var byId = (await workspaces.ListAsync(ct)).ToDictionary(w => w.Id);
        return TypedResults.Ok(list.Select(d => DrillDto.From(d, byId.GetValueOrDefault(d.SandboxId))).ToList());
    }

    public static async Task<Results<Ok<List<DrillScenarioDto>>, ProblemHttpResult>> ScenariosAsync(string workspace, WorkspaceResolver resolver, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is null)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        return TypedResults.Ok(DrillScenarios.All.Select(s => new DrillScenarioDto(s.Key, s.Title, s.BurstAfterMinutes, [.. s.Injects.Select(i => i.Title)],
            s.KeyDecision is { } k ? $"{k.Label} within {k.TargetMinutes.ToString(System.Globalization.CultureInfo.InvariantCulture)} min of the burst" : null)).ToList());
    }

    public static async Task<Results<Created<DrillDto>, ValidationProblem, ProblemHttpResult>> StartAsync(string workspace, DrillStartRequest request, HttpContext http, WorkspaceResolver resolver, DrillService drills, DrillRunner runner, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (Validate(request, out var parsed) is { } invalid)
        {
            return invalid;
        }

        var result = await drills.StartAsync(ws, parsed, IncidentEndpoints.ActorOf(http), ct);
        switch (result.Outcome)
        {
            case DrillStartOutcome.UnknownPlaybook:
                return Problems.Validation("playbookKey", $"no playbook '{parsed.PlaybookKey}' in this workspace");
            case DrillStartOutcome.UnknownScenario:
                return Problems.Validation("scenario", $"unknown scenario; use one of {string.Join(", ", DrillScenarios.All.Select(s => s.Key))}");
            case DrillStartOutcome.SandboxCannotDrill:
                return Problems.BadRequest("A drill sandbox cannot start drills", "Start the drill from the real workspace.");
        }

        runner.Launch(result.Drill!);
        return TypedResults.Created($"/api/workspaces/{ws.Slug}/drills/{result.Drill!.Id}", DrillDto.From(result.Drill!, result.Sandbox));
    }

    /// <summary>Checks the start form or request; the same rules for both.</summary>
    public static ValidationProblem? Validate(DrillStartRequest request, out DrillRequest parsed)
    {
        ArgumentNullException.ThrowIfNull(request);
        parsed = new DrillRequest(request.PlaybookKey?.Trim() ?? string.Empty, string.IsNullOrWhiteSpace(request.Scenario) ? null : request.Scenario.Trim(),
            request.Speed ?? DrillService.DefaultSpeed, request.RatePerMinute ?? DrillService.DefaultRatePerMinute, request.Minutes ?? DrillService.DefaultMinutes);
        if (parsed.PlaybookKey.Length is 0 or > 64)
        {
            return Problems.Validation("playbookKey", "is required: the key of the playbook to rehearse (see /playbooks)");
        }

        if (!(parsed.Speed >= 1 && parsed.Speed <= MaxSpeed))
        {
            return Problems.Validation("speed", "must be 1–1000 (8 plays two hours of crisis in 15 minutes)");
        }

        if (!(parsed.RatePerMinute >= 1 && parsed.RatePerMinute <= 200))
        {
            return Problems.Validation("ratePerMinute", "must be 1–200 mentions a minute on an ordinary day");
        }

        return parsed.Minutes is < 10 or > 240 ? Problems.Validation("minutes", "must be 10–240 minutes of scenario time") : null;
    }

    public static async Task<Results<Ok<DrillDto>, ProblemHttpResult>> GetAsync(string workspace, long id, WorkspaceResolver resolver, IDrillStore store, IWorkspaceStore workspaces, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        return await store.GetAsync(ws.Id, id, ct) is { } drill
            ? TypedResults.Ok(DrillDto.From(drill, await SandboxAsync(workspaces, drill, ct)))
            : Problems.NotFound("Drill", id);
    }

    public static async Task<Results<Ok<DrillDto>, ProblemHttpResult>> EndAsync(string workspace, long id, WorkspaceResolver resolver, DrillService drills, DrillRunner runner, IWorkspaceStore workspaces, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (await drills.Store.GetAsync(ws.Id, id, ct) is not { } drill)
        {
            return Problems.NotFound("Drill", id);
        }

        if (await drills.EndAsync(drill, ct) is not { } ended)
        {
            return Problems.Conflict("The drill has already ended; its score is kept.");
        }

        await runner.StopAsync(id);
        return TypedResults.Ok(DrillDto.From(ended, await SandboxAsync(workspaces, ended, ct)));
    }

    public static async Task<Results<Ok<DrillScore>, ProblemHttpResult>> ScoreAsync(string workspace, long id, WorkspaceResolver resolver, DrillService drills, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        return await drills.Store.GetAsync(ws.Id, id, ct) is { } drill
            ? TypedResults.Ok(await drills.ScoreAsync(drill, ct))
            : Problems.NotFound("Drill", id);
    }

    public static async Task<Results<Ok<List<AdvocateDto>>, ValidationProblem, ProblemHttpResult>> AdvocatesAsync(string workspace, long id, int? limit, WorkspaceResolver resolver, AdvocateFinder advocates, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (limit is < 1 or > 100)
        {
            return Problems.Validation("limit", "must be 1–100");
        }

        return await advocates.FindAsync(ws.Id, id, limit ?? 20, ct) is { } found
            ? TypedResults.Ok(found.Select(a => new AdvocateDto(Core.Mentions.EnumNames.ToWire(a.Platform), a.Handle, a.DisplayName, a.Followers, a.Verified, a.Positive, a.Negative, a.Total, a.Score, a.Why, MentionDto.From(a.Best))).ToList())
            : Problems.NotFound("Incident", id);
    }

    public static async Task<Workspace?> SandboxAsync(IWorkspaceStore workspaces, Drill drill, CancellationToken ct) =>
        (await workspaces.ListAsync(ct)).FirstOrDefault(w => w.Id == drill.SandboxId);
}
