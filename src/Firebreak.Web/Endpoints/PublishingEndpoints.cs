namespace Firebreak.Web.Endpoints;

using Firebreak.Core.Mentions;
using Firebreak.Core.Publishing;
using Firebreak.Core.Publishing.Holds;
using Firebreak.Core.Publishing.Outbox;
using Firebreak.Core.Security;
using Firebreak.Web.Auth;
using Firebreak.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

/// <summary>
/// The sending side of publishing: the pause switch (Responders pause — stopping is always allowed fast —, Managers
/// resume), the outbox's items with their platform errors, a person's retry, the publisher's heartbeat, and the
/// rogue-post allow-list ("posted by us elsewhere").
/// </summary>
public static class PublishingEndpoints
{
    public const int MaxListLimit = 500;

    public static RouteGroupBuilder MapPublishingEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/workspaces/{workspace}/publishing").WithTags("Publishing");
        group.MapPost("/pause", PauseAsync).WithName("PausePublishing").RequireWorkspaceRole(WorkspaceRole.Responder)
            .WithSummary("Holds scheduled posts at once: {scope: workspace|platform|campaign, target?, reason, eventMode?}. Nothing claimed after this returns is sent; inFlight lists posts already being sent. Event mode also returns the planned posts in scope to review.");
        group.MapPost("/resume", ResumeAsync).WithName("ResumePublishing").RequireWorkspaceRole(WorkspaceRole.Manager)
            .WithSummary("Releases holds: {scope?, target?} (no scope: every hold). Posts whose time passed during the hold are returned to review, not sent.");
        group.MapGet("/holds", HoldsAsync).WithName("ListPublishingHolds").RequireWorkspaceRole(WorkspaceRole.Viewer).WithSummary("The holds in force, with reason, who and since when.");
        group.MapGet("/status", StatusAsync).WithName("PublishingStatus").RequireWorkspaceRole(WorkspaceRole.Viewer)
            .WithSummary("The publisher's heartbeat (seconds since the last beat; stalled after 3 minutes), holds, and counts of the outbox's items by state.");
        group.MapGet("/outbox", ListAsync).WithName("ListOutbox").RequireWorkspaceRole(WorkspaceRole.Viewer)
            .WithSummary("Outbox items, latest due first: state, attempts, next attempt, the platform's last error, remote id and link; ?state=failed&limit=.");
        group.MapPost("/outbox/{id:long}/retry", RetryAsync).WithName("RetryOutboxItem").RequireWorkspaceRole(WorkspaceRole.Manager)
            .WithSummary("Sends a failed, blocked or returned-for-review item again (the pre-publish check and the holds still apply).");
        group.MapPost("/allowed-posts", AllowAsync).WithName("AllowRemotePost").RequireWorkspaceRole(WorkspaceRole.Manager)
            .WithSummary("Marks a post on an owned account as posted by the team elsewhere, so the rogue-post alarm ignores it: {platform, remoteId, note}.");
        return api;
    }

    public static async Task<Results<Ok<PauseDto>, ValidationProblem, ProblemHttpResult>> PauseAsync(string workspace, PauseBody? body, HttpContext http, WorkspaceResolver resolver, PublishHoldService holds, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (ParseScope(body?.Scope ?? "workspace") is not { } scope)
        {
            return Problems.Validation("scope", "one of workspace, platform, campaign");
        }

        try
        {
            var result = await holds.PauseAsync(ws.Id, new PauseRequest(scope, body?.Target, body?.Reason ?? string.Empty, body?.EventMode ?? false), IncidentEndpoints.ActorOf(http), ct);
            return TypedResults.Ok(new PauseDto(HoldDto.From(result.Hold, http.User.Identity?.Name), [.. result.InFlight.Select(OutboxItemDto.From)], [.. result.ReturnedForReview.Select(OutboxItemDto.From)]));
        }
        catch (HoldRequestException ex)
        {
            return Problems.Validation(ex.Field, ex.Message);
        }
    }

    public static async Task<Results<Ok<ResumeDto>, ValidationProblem, ProblemHttpResult>> ResumeAsync(string workspace, ResumeBody? body, HttpContext http, WorkspaceResolver resolver, PublishHoldService holds, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        HoldScope? scope = null;
        if (body?.Scope is { } named)
        {
            if (ParseScope(named) is not { } parsed)
            {
                return Problems.Validation("scope", "one of workspace, platform, campaign (or leave it out to release every hold)");
            }

            scope = parsed;
        }

        try
        {
            var result = await holds.ResumeAsync(ws.Id, scope, body?.Target, IncidentEndpoints.ActorOf(http), ct);
            return TypedResults.Ok(new ResumeDto([.. result.Released.Select(h => HoldDto.From(h, null))], [.. result.ReturnedForReview.Select(OutboxItemDto.From)]));
        }
        catch (HoldRequestException ex)
        {
            return Problems.Validation(ex.Field, ex.Message);
        }
    }

    public static async Task<Results<Ok<HoldDto[]>, ProblemHttpResult>> HoldsAsync(string workspace, WorkspaceResolver resolver, PublishHoldService holds, CancellationToken ct) =>
        await resolver.FindAsync(workspace, ct) is { } ws
            ? TypedResults.Ok((await holds.ListAsync(ws.Id, ct)).Select(h => HoldDto.From(h.Hold, h.ByName)).ToArray())
            : Problems.WorkspaceNotFound(workspace);

    public static async Task<Results<Ok<PublishingStatusDto>, ProblemHttpResult>> StatusAsync(string workspace, HttpContext http, WorkspaceResolver resolver, IOutboxStore store, PublishHoldService holds, OutboxOptions options, TimeProvider clock, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        var last = await store.LastBeatAsync(ct);
        var age = last is { } beat ? (clock.GetUtcNow() - beat).TotalSeconds : (double?)null;
        var stored = await store.CountByStateAsync(ws.Id, ct);
        var counts = Enum.GetValues<OutboxState>().ToDictionary(s => Name(s), s => stored.GetValueOrDefault(s));
        return TypedResults.Ok(new PublishingStatusDto(last, age, age is null || age > options.StallAfter.TotalSeconds,
            (await holds.ListAsync(ws.Id, ct)).Select(h => HoldDto.From(h.Hold, h.ByName)).ToArray(), counts));
    }

    public static async Task<Results<Ok<OutboxItemDto[]>, ValidationProblem, ProblemHttpResult>> ListAsync(string workspace, string? state, int? limit, WorkspaceResolver resolver, IOutboxStore store, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (limit is < 1 or > MaxListLimit)
        {
            return Problems.Validation("limit", $"must be between 1 and {MaxListLimit}");
        }

        IReadOnlyList<OutboxState>? states = null;
        if (state is not null)
        {
            if (Enum.GetValues<OutboxState>().FirstOrDefault(s => string.Equals(Name(s), state, StringComparison.OrdinalIgnoreCase)) is var parsed && parsed == 0)
            {
                return Problems.Validation("state", $"one of {string.Join(", ", Enum.GetValues<OutboxState>().Select(Name))}");
            }

            states = [parsed];
        }

        return TypedResults.Ok((await store.ListAsync(ws.Id, states, limit ?? 100, ct)).Select(OutboxItemDto.From).ToArray());
    }

    public static async Task<Results<Ok<OutboxItemDto>, ProblemHttpResult>> RetryAsync(string workspace, long id, WorkspaceResolver resolver, IOutboxStore store, TimeProvider clock, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (await store.RetryAsync(ws.Id, id, clock.GetUtcNow(), ct) is { } item)
        {
            return TypedResults.Ok(OutboxItemDto.From(item));
        }

        return await store.GetAsync(ws.Id, id, ct) is { } existing
            ? Problems.Conflict($"The item is {Name(existing.State)}; only failed, blocked or returned-for-review items can be retried.")
            : Problems.NotFound("Outbox item", id);
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> AllowAsync(string workspace, AllowBody? body, HttpContext http, WorkspaceResolver resolver, IOutboxStore store, TimeProvider clock, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (!Enum.TryParse<Platform>(body?.Platform, ignoreCase: true, out var platform) || int.TryParse(body?.Platform, out _))
        {
            return Problems.Validation("platform", $"one of {string.Join(", ", Enum.GetNames<Platform>())}");
        }

        if (string.IsNullOrWhiteSpace(body?.RemoteId) || body.RemoteId.Length > 200)
        {
            return Problems.Validation("remoteId", "the post's id on the platform (1–200 characters)");
        }

        var note = body.Note?.Trim() ?? string.Empty;
        if (note.Length > PublishHoldService.MaxReason)
        {
            return Problems.Validation("note", $"at most {PublishHoldService.MaxReason} characters");
        }

        await store.AllowAsync(ws.Id, platform, body.RemoteId.Trim(), note, http.User.Identity?.Name ?? "someone", clock.GetUtcNow(), ct);
        return TypedResults.NoContent();
    }

    public static HoldScope? ParseScope(string text) => text.Trim().ToLowerInvariant() switch
    {
        "workspace" or "all" => HoldScope.Workspace,
        "platform" => HoldScope.Platform,
        "campaign" => HoldScope.Campaign,
        _ => null,
    };

    /// <summary>The state's name on the wire and in the CLI: scheduled, sending, sent, failed, returned-for-review, blocked.</summary>
    public static string Name(OutboxState state) => state == OutboxState.ReturnedForReview ? "returned-for-review" : state.ToString().ToLowerInvariant();
}

public sealed record PauseBody(string? Scope, string? Target, string? Reason, bool? EventMode);

public sealed record ResumeBody(string? Scope, string? Target);

public sealed record AllowBody(string? Platform, string? RemoteId, string? Note);

public sealed record HoldDto(long Id, string Scope, string? Target, bool EventMode, string Reason, long? ByAccountId, string? ByName, DateTimeOffset Since)
{
    public static HoldDto From(PublishHold hold, string? byName) =>
        new(hold.Id, hold.Scope.ToString().ToLowerInvariant(), hold.Target, hold.EventMode, hold.Reason, hold.ByAccountId, byName, hold.Since);
}

public sealed record OutboxItemDto(
    long Id, long PostId, int Revision, string Platform, string AccountKey, string Text, DateTimeOffset DueAt, string? Campaign, string State,
    int Attempts, DateTimeOffset NextAttemptAt, string? LastError, string? RemoteId, string? RemoteUrl, DateTimeOffset UpdatedAt)
{
    public static OutboxItemDto From(OutboxItem item) => new(
        item.Id, item.PostId, item.Revision, item.Platform.ToString(), item.AccountKey, item.Text, item.DueAt, item.Campaign, PublishingEndpoints.Name(item.State),
        item.Attempts, item.NextAttemptAt, item.LastError, item.RemoteId, item.RemoteUrl, item.UpdatedAt);
}

public sealed record PauseDto(HoldDto Hold, OutboxItemDto[] InFlight, OutboxItemDto[] ReturnedForReview);

public sealed record ResumeDto(HoldDto[] Released, OutboxItemDto[] ReturnedForReview);

public sealed record PublishingStatusDto(DateTimeOffset? LastHeartbeat, double? HeartbeatAgeSeconds, bool Stalled, HoldDto[] Holds, IReadOnlyDictionary<string, int> Items);
