namespace Firebreak.Web.Endpoints;

using Firebreak.Core.Security;
using Firebreak.Web.Auth;

using System.Globalization;
using System.Text.Json;
using Firebreak.Core.Alerts;
using Firebreak.Core.Detection;
using Firebreak.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

/// <summary>
/// Alerts, their rules, the people they reach and the channels they travel through. Every id is looked up inside
/// the route's workspace only: an id of another workspace is a 404, exactly like an id that does not exist.
/// </summary>
public static partial class AlertEndpoints
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    public static RouteGroupBuilder MapAlertEndpoints(this RouteGroupBuilder api)
    {
        var ws = api.MapGroup("/workspaces/{workspace}");
        var alerts = ws.MapGroup("/alerts").WithTags("Alerts");
        alerts.MapGet("/", ListAsync).WithName("ListAlerts").RequireWorkspaceRole(WorkspaceRole.Viewer)
            .WithSummary("Newest first. Filters: state (open, acknowledged, resolved; comma-separated), topic, severity (at least), signal; page with before.");
        alerts.MapGet("/{id:long}", GetAsync).WithName("GetAlert").RequireWorkspaceRole(WorkspaceRole.Viewer);
        alerts.MapGet("/{id:long}/events", EventsAsync).WithName("AlertHistory").RequireWorkspaceRole(WorkspaceRole.Viewer).WithSummary("The alert's history, oldest first.");
        alerts.MapGet("/{id:long}/deliveries", DeliveriesAsync).WithName("AlertDeliveries").RequireWorkspaceRole(WorkspaceRole.Viewer).WithSummary("Every notification of the alert and how its delivery went.");
        alerts.MapPost("/{id:long}/acknowledge", AcknowledgeAsync).WithName("AcknowledgeAlert").RequireWorkspaceRole(WorkspaceRole.Responder).WithSummary("Stops escalation; team channels hear it.");
        alerts.MapPost("/{id:long}/snooze", SnoozeAsync).WithName("SnoozeAlert").RequireWorkspaceRole(WorkspaceRole.Responder)
            .WithSummary("Holds notifications and escalation until a time (until, or minutes from now); the alert keeps growing.");
        alerts.MapPost("/{id:long}/resolve", ResolveAsync).WithName("ResolveAlert").RequireWorkspaceRole(WorkspaceRole.Responder);
        alerts.MapPost("/{id:long}/incident", PromoteAsync).WithName("PromoteAlert").RequireWorkspaceRole(WorkspaceRole.Responder).WithSummary("Opens an incident from the alert, or links it to the incident already open on its topic; the alert's incidentId says which.");
        alerts.MapGet("/live", LiveAsync).WithName("StreamAlerts").RequireWorkspaceRole(WorkspaceRole.Viewer)
            .WithSummary("Server-sent events: 'alert' when an alert changes, 'notification' for each in-app notification.");
        alerts.MapGet("/dead-letters", DeadLettersAsync).WithName("ListDeadLetters").RequireWorkspaceRole(WorkspaceRole.Admin).WithSummary("Deliveries that gave up, with their last error.");
        alerts.MapPost("/dead-letters/{id:long}/retry", RetryAsync).WithName("RetryDeadLetter").RequireWorkspaceRole(WorkspaceRole.Admin).WithSummary("Queues a dead letter again with fresh attempts.");
        MapConfiguration(ws);
        return api;
    }

    public static async Task<Results<Ok<AlertPageDto>, ValidationProblem, ProblemHttpResult>> ListAsync(string workspace, HttpRequest request, WorkspaceResolver resolver, IAlertStore store, TimeProvider clock, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        var errors = new Dictionary<string, string[]>();
        var query = request.Query;
        List<AlertState>? states = null;
        if (query.TryGetValue("state", out var s))
        {
            states = [];
            foreach (var name in s.ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (AlertValidation.TryEnum<AlertState>(name, out var state))
                {
                    states.Add(state);
                }
                else
                {
                    errors["state"] = ["use open, acknowledged or resolved (several: comma-separated)"];
                }
            }
        }

        var topic = Long(query, "topic", errors, "a topic id (0 is the whole stream)");
        DetectionSeverity? severity = null;
        if (query.TryGetValue("severity", out var v))
        {
            if (AlertValidation.TryEnum<DetectionSeverity>(v.ToString(), out var parsed))
            {
                severity = parsed;
            }
            else
            {
                errors["severity"] = ["use low, medium, high or critical (alerts at least that severe)"];
            }
        }

        DetectionSignal? signal = null;
        if (query.TryGetValue("signal", out var g))
        {
            if (AlertValidation.TryEnum<DetectionSignal>(g.ToString(), out var parsed))
            {
                signal = parsed;
            }
            else
            {
                errors["signal"] = ["use " + AlertValidation.SignalNames];
            }
        }

        var before = Long(query, "before", errors, "the nextBefore of the previous page");
        var limit = (int)(Long(query, "limit", errors, $"between 1 and {MaxPageSize}") ?? DefaultPageSize);
        if (limit is < 1 or > MaxPageSize)
        {
            errors["limit"] = [$"must be between 1 and {MaxPageSize}"];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var page = await store.ListAsync(ws.Id, new AlertFilter(states, topic, severity, signal, before, limit), ct);
        var now = clock.GetUtcNow();
        return TypedResults.Ok(new AlertPageDto([.. page.Select(a => AlertDto.From(a, now))], page.Count == limit ? page[^1].Id : null));
    }

    public static async Task<Results<Ok<AlertDto>, ProblemHttpResult>> GetAsync(string workspace, long id, WorkspaceResolver resolver, IAlertStore store, TimeProvider clock, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        return await store.GetAsync(ws.Id, id, ct) is { } alert ? TypedResults.Ok(AlertDto.From(alert, clock.GetUtcNow())) : Problems.NotFound("Alert", id);
    }

    public static async Task<Results<Ok<AlertEventDto[]>, ProblemHttpResult>> EventsAsync(string workspace, long id, WorkspaceResolver resolver, IAlertStore store, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (await store.GetAsync(ws.Id, id, ct) is null)
        {
            return Problems.NotFound("Alert", id);
        }

        return TypedResults.Ok((await store.ListEventsAsync(ws.Id, id, ct)).Select(AlertEventDto.From).ToArray());
    }

    public static async Task<Results<Ok<DeliveryDto[]>, ProblemHttpResult>> DeliveriesAsync(string workspace, long id, WorkspaceResolver resolver, IAlertStore store, IAlertOutbox outbox, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (await store.GetAsync(ws.Id, id, ct) is null)
        {
            return Problems.NotFound("Alert", id);
        }

        return TypedResults.Ok((await outbox.ListForAlertAsync(ws.Id, id, ct)).Select(DeliveryDto.From).ToArray());
    }

    public static async Task<Results<Ok<AlertDto>, ValidationProblem, ProblemHttpResult>> AcknowledgeAsync(string workspace, long id, AlertActionRequest? request, WorkspaceResolver resolver, AlertManager manager, TimeProvider clock, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (AlertValidation.Actor(request?.By, out var actor) is { } invalid)
        {
            return invalid;
        }

        return Outcome(await manager.AcknowledgeAsync(ws.Id, id, actor, ct), id, clock);
    }

    public static async Task<Results<Ok<AlertDto>, ValidationProblem, ProblemHttpResult>> SnoozeAsync(string workspace, long id, SnoozeRequest request, WorkspaceResolver resolver, AlertManager manager, AlertOptions options, TimeProvider clock, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (AlertValidation.Actor(request.By, out var actor) is { } invalid)
        {
            return invalid;
        }

        var now = clock.GetUtcNow();
        DateTimeOffset until;
        if (request.Until is { } at && request.Minutes is null)
        {
            until = at;
        }
        else if (request.Minutes is { } minutes && request.Until is null && double.IsFinite(minutes))
        {
            until = now + TimeSpan.FromMinutes(Math.Clamp(minutes, 0, options.MaxSnooze.TotalMinutes + 1));
        }
        else
        {
            return Problems.Validation("until", "give either until (an ISO 8601 time) or minutes, not both");
        }

        if (until <= now || until > now + options.MaxSnooze)
        {
            return Problems.Validation("until", $"must be in the future and at most {options.MaxSnooze.TotalDays:0.#} days away");
        }

        return Outcome(await manager.SnoozeAsync(ws.Id, id, until, actor, ct), id, clock);
    }

    public static async Task<Results<Ok<AlertDto>, ValidationProblem, ProblemHttpResult>> ResolveAsync(string workspace, long id, AlertActionRequest? request, WorkspaceResolver resolver, AlertManager manager, TimeProvider clock, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (AlertValidation.Actor(request?.By, out var actor) is { } invalid)
        {
            return invalid;
        }

        if (AlertValidation.Note(request?.Reason, "reason", 1_000, out var reason) is { } badReason)
        {
            return badReason;
        }

        return Outcome(await manager.ResolveAsync(ws.Id, id, actor, reason, ct), id, clock);
    }

    /// <summary>202: the promotion is recorded; the incident itself is opened by the crisis room (see IIncidentOpener).</summary>
    public static async Task<Results<Accepted<AlertDto>, ValidationProblem, ProblemHttpResult>> PromoteAsync(string workspace, long id, PromoteRequest? request, WorkspaceResolver resolver, AlertManager manager, TimeProvider clock, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (AlertValidation.Actor(request?.By, out var actor) is { } invalid)
        {
            return invalid;
        }

        if (AlertValidation.Note(request?.Note, "note", 2_000, out var note) is { } badNote)
        {
            return badNote;
        }

        var result = await manager.PromoteAsync(ws.Id, id, actor, note, ct);
        return result.Status switch
        {
            AlertActionStatus.Done or AlertActionStatus.Unchanged => TypedResults.Accepted($"/api/workspaces/{workspace}/alerts/{id}", AlertDto.From(result.Alert!, clock.GetUtcNow())),
            AlertActionStatus.NotFound => Problems.NotFound("Alert", id),
            _ => Problems.Conflict(result.Message ?? "The alert cannot be promoted now."),
        };
    }

    public static async Task<Results<Ok<DeliveryDto[]>, ValidationProblem, ProblemHttpResult>> DeadLettersAsync(string workspace, int? limit, WorkspaceResolver resolver, IAlertOutbox outbox, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (limit is < 1 or > MaxPageSize)
        {
            return Problems.Validation("limit", $"must be between 1 and {MaxPageSize}");
        }

        return TypedResults.Ok((await outbox.ListDeadAsync(ws.Id, limit ?? 100, ct)).Select(DeliveryDto.From).ToArray());
    }

    public static async Task<Results<Accepted<DeliveryDto>, ProblemHttpResult>> RetryAsync(string workspace, long id, WorkspaceResolver resolver, IAlertOutbox outbox, DeliveryWakeup wakeup, TimeProvider clock, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (await outbox.RetryDeadAsync(ws.Id, id, clock.GetUtcNow(), ct) is not { } queued)
        {
            return Problems.NotFound("Dead letter", id);
        }

        wakeup.Notify();
        return TypedResults.Accepted($"/api/workspaces/{workspace}/alerts/{queued.AlertId}/deliveries", DeliveryDto.From(queued));
    }

    public static async Task LiveAsync(string workspace, HttpContext context, WorkspaceResolver resolver, AlertLiveHub hub, IOptions<JsonOptions> json, TimeProvider clock, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            await Problems.WorkspaceNotFound(workspace).ExecuteAsync(context);
            return;
        }

        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        using var subscription = hub.Subscribe(ws.Id);
        // A first comment line so clients (and proxies) see the stream open before the first event.
        await context.Response.WriteAsync(": alerts\n\n", ct);
        await context.Response.Body.FlushAsync(ct);
        var options = json.Value.SerializerOptions;
        try
        {
            await foreach (var live in subscription.Reader.ReadAllAsync(ct))
            {
                var data = live.Alert is { } alert
                    ? JsonSerializer.Serialize(AlertDto.From(alert, clock.GetUtcNow()), options)
                    : JsonSerializer.Serialize(NotificationDto.From(live.Notification!), options);
                await context.Response.WriteAsync($"event: {live.Type}\ndata: {data}\n\n", ct);
                await context.Response.Body.FlushAsync(ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away; that is how every stream ends.
        }
    }

    private static Results<Ok<AlertDto>, ValidationProblem, ProblemHttpResult> Outcome(AlertActionResult result, long id, TimeProvider clock) => result.Status switch
    {
        AlertActionStatus.Done or AlertActionStatus.Unchanged => TypedResults.Ok(AlertDto.From(result.Alert!, clock.GetUtcNow())),
        AlertActionStatus.NotFound => Problems.NotFound("Alert", id),
        _ => Problems.Conflict(result.Message ?? "The alert cannot do that in its current state."),
    };

    private static long? Long(IQueryCollection query, string name, Dictionary<string, string[]> errors, string expected)
    {
        if (!query.TryGetValue(name, out var raw))
        {
            return null;
        }

        if (long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        errors[name] = ["must be " + expected];
        return null;
    }
}
