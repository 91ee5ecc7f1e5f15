namespace Firebreak.Web.Endpoints;

using Firebreak.Core.Mentions;
using Firebreak.Core.Publishing.Posts;
using Firebreak.Core.Publishing.Scorecards;
using Firebreak.Core.Security;
using Firebreak.Web.Auth;
using Firebreak.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

/// <summary>
/// Platform scorecards (reach, engagement, growth, goals, stability, a trust score with its trend, advice), the team's
/// goals and policy events, and the best-of recycler that turns a past post into a new draft (docs/scorecards.md).
/// </summary>
public static class ScorecardEndpoints
{
    public const int MaxBestOf = 200;

    public static RouteGroupBuilder MapScorecardEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/workspaces/{workspace}").WithTags("Publishing");
        group.MapGet("/scorecards", GetAsync).WithName("GetScorecards").RequireWorkspaceRole(WorkspaceRole.Viewer).Produces<ScorecardDto>()
            .WithSummary("Per platform and account over ?window=7|30|90 days (default 30): posts, reach, engagement rate, growth, goals' progress, stability, the trust score (0-100) with its trend and advice. null = no data.");
        group.MapGet("/scorecards/goals", GoalsAsync).WithName("GetScorecardGoals").RequireWorkspaceRole(WorkspaceRole.Viewer).Produces<GoalsDto>()
            .WithSummary("The team's targets per platform: {platform, metric: engagement-rate|posts-per-week|follower-growth, target}.");
        group.MapPut("/scorecards/goals", SetGoalsAsync).WithName("SetScorecardGoals").RequireWorkspaceRole(WorkspaceRole.Manager).Produces<GoalsDto>()
            .WithSummary("Replaces the targets: {goals: [{platform, metric, target}]}, at most 100, one per platform and metric.");
        group.MapGet("/scorecards/policy-events", EventsAsync).WithName("ListPolicyEvents").RequireWorkspaceRole(WorkspaceRole.Viewer).Produces<PolicyEventDto[]>()
            .WithSummary("What platforms did that no API reports (account restricted, demonetised, a ban announced), newest first, last 365 days.");
        group.MapPost("/scorecards/policy-events", AddEventAsync).WithName("LogPolicyEvent").RequireWorkspaceRole(WorkspaceRole.Responder).Produces<PolicyEventDto>(StatusCodes.Status201Created)
            .WithSummary("Logs {platform, accountKey?, severity: low|medium|high|critical, title, at?}; it weighs on the platform's trust score for 90 days.");
        group.MapGet("/best-of", BestOfAsync).WithName("ListBestOf").RequireWorkspaceRole(WorkspaceRole.Viewer).Produces<BestOfDto>()
            .WithSummary("Past sent posts (last 365 days) ranked by engagement with a 90-day half-life; ?platform=&limit= (default 20, at most 200). incidentWarning: sent during an incident.");
        group.MapPost("/best-of/{postId:long}/draft", DraftAsync).WithName("RecyclePost").RequireWorkspaceRole(WorkspaceRole.Responder).Produces<RecycleDto>(StatusCodes.Status201Created)
            .WithSummary("A new draft from a sent post: {mode: repost|remix, platform? (remix), acknowledgeIncident?}. 409 when it was sent during an incident and that is not acknowledged. The approval workflow applies.");
        return api;
    }

    public static async Task<IResult> GetAsync(string workspace, int? window, WorkspaceResolver resolver, ScorecardService scorecards, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        var days = window ?? 30;
        if (!ScorecardService.Windows.Contains(days))
        {
            return Problems.Validation("window", "one of 7, 30, 90 (days)");
        }

        return TypedResults.Ok(ScorecardDto.Of(await scorecards.ComputeAsync(ws.Id, days, ct)));
    }

    public static async Task<IResult> GoalsAsync(string workspace, WorkspaceResolver resolver, ScorecardService scorecards, CancellationToken ct) =>
        await resolver.FindAsync(workspace, ct) is not { } ws
            ? Problems.WorkspaceNotFound(workspace)
            : TypedResults.Ok(new GoalsDto([.. (await scorecards.Store.GetGoalsAsync(ws.Id, ct)).Select(GoalDto.From)]));

    public static async Task<IResult> SetGoalsAsync(string workspace, GoalsBody? body, WorkspaceResolver resolver, ScorecardService scorecards, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        var goals = new List<ScorecardGoal>();
        var given = body?.Goals ?? [];
        for (var i = 0; i < given.Length; i++)
        {
            if (!EnumNames.TryParsePlatform(given[i]?.Platform, out var platform))
            {
                return Problems.Validation($"goals[{i}].platform", "one of " + string.Join(", ", EnumNames.PlatformWireNames));
            }

            if (ScorecardWire.ParseMetric(given[i].Metric) is not { } metric)
            {
                return Problems.Validation($"goals[{i}].metric", "one of engagement-rate, posts-per-week, follower-growth");
            }

            goals.Add(new ScorecardGoal(platform, metric, given[i].Target));
        }

        if (ScorecardRules.CheckGoals(goals) is { } problem)
        {
            return Problems.Validation(problem.Field, problem.Message);
        }

        await scorecards.Store.SetGoalsAsync(ws.Id, goals, ct);
        return TypedResults.Ok(new GoalsDto([.. (await scorecards.Store.GetGoalsAsync(ws.Id, ct)).Select(GoalDto.From)]));
    }

    public static async Task<IResult> EventsAsync(string workspace, WorkspaceResolver resolver, ScorecardService scorecards, TimeProvider clock, CancellationToken ct) =>
        await resolver.FindAsync(workspace, ct) is not { } ws
            ? Problems.WorkspaceNotFound(workspace)
            : TypedResults.Ok((await scorecards.Store.ListPolicyEventsAsync(ws.Id, clock.GetUtcNow().AddDays(-365), 1_000, ct)).Select(PolicyEventDto.From).ToArray());

    public static async Task<IResult> AddEventAsync(string workspace, PolicyEventBody? body, HttpContext http, WorkspaceResolver resolver, ScorecardService scorecards, TimeProvider clock, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (!EnumNames.TryParsePlatform(body?.Platform, out var platform))
        {
            return Problems.Validation("platform", "one of " + string.Join(", ", EnumNames.PlatformWireNames));
        }

        if (ScorecardWire.ParseSeverity(body!.Severity) is not { } severity)
        {
            return Problems.Validation("severity", "one of low, medium, high, critical");
        }

        var now = clock.GetUtcNow();
        var at = body.At ?? now;
        if (ScorecardRules.CheckEvent(body.Title, at, now) is { } problem)
        {
            return Problems.Validation(problem.Field, problem.Message);
        }

        if (body.AccountKey is { Length: > PostService.MaxAccountKey })
        {
            return Problems.Validation("accountKey", $"at most {PostService.MaxAccountKey} characters");
        }

        var saved = await scorecards.Store.AddPolicyEventAsync(new PolicyEvent(0, ws.Id, platform, string.IsNullOrWhiteSpace(body.AccountKey) ? null : body.AccountKey.Trim(), severity, body.Title!.Trim(), at, IncidentEndpoints.ActorOf(http).Name), ct);
        return TypedResults.Created($"/api/workspaces/{ws.Slug}/scorecards/policy-events", PolicyEventDto.From(saved));
    }

    public static async Task<IResult> BestOfAsync(string workspace, string? platform, int? limit, WorkspaceResolver resolver, ScorecardService scorecards, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        Platform? only = null;
        if (!string.IsNullOrEmpty(platform))
        {
            if (!EnumNames.TryParsePlatform(platform, out var parsed))
            {
                return Problems.Validation("platform", "one of " + string.Join(", ", EnumNames.PlatformWireNames));
            }

            only = parsed;
        }

        if (limit is < 1 or > MaxBestOf)
        {
            return Problems.Validation("limit", $"from 1 to {MaxBestOf}");
        }

        var (entries, withoutData) = await scorecards.BestOfAsync(ws.Id, only, limit ?? 20, ct);
        return TypedResults.Ok(new BestOfDto([.. entries.Select(BestOfEntryDto.From)], withoutData));
    }

    public static async Task<IResult> DraftAsync(string workspace, long postId, RecycleBody? body, HttpContext http, WorkspaceResolver resolver, ScorecardService scorecards, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (ScorecardWire.ParseMode(body?.Mode) is not { } mode)
        {
            return Problems.Validation("mode", "repost or remix");
        }

        Platform? target = null;
        if (!string.IsNullOrEmpty(body!.Platform))
        {
            if (mode == RecycleMode.Repost || !EnumNames.TryParsePlatform(body.Platform, out var parsed))
            {
                return Problems.Validation("platform", mode == RecycleMode.Repost ? "a repost goes to the same platform; use remix for another" : "one of " + string.Join(", ", EnumNames.PlatformWireNames));
            }

            target = parsed;
        }

        var result = await scorecards.DraftAsync(ws.Id, postId, mode, target, body.AcknowledgeIncident ?? false, IncidentEndpoints.ActorOf(http), ct);
        if (result is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Post not found", detail: $"No sent post {postId} in this workspace; only sent posts can be recycled.");
        }

        if (result.Refusal is { } refusal)
        {
            return Problems.Conflict(refusal + " (send acknowledgeIncident: true).");
        }

        var draft = result.Draft!;
        if (draft.Post is not { } post)
        {
            return Problems.BadRequest("The draft could not be created", draft.Message + ": " + string.Join("; ", draft.Issues.Select(i => $"{i.Field} {i.Message}")));
        }

        var answer = new PostResultDto(PostDto.From(post), [.. draft.Issues.Select(IssueDto.From)], VerdictDto.From(draft.Verdict), draft.Message);
        return TypedResults.Created($"/api/workspaces/{ws.Slug}/posts/{post.Id}", new RecycleDto(answer, result.IncidentWarning));
    }
}
