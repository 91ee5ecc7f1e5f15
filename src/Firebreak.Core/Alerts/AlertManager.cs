namespace Firebreak.Core.Alerts;

using System.Collections.Concurrent;
using Firebreak.Core.Detection;
using Firebreak.Core.Topics;
using Firebreak.Core.Workspaces;

/// <summary>How an action on an alert went.</summary>
public enum AlertActionStatus
{
    Done = 1,

    /// <summary>Nothing to do (already acknowledged, resolved or promoted): the alert is returned as it is.</summary>
    Unchanged = 2,
    NotFound = 3,

    /// <summary>Not allowed in the alert's state (e.g. acknowledging a resolved alert); <see cref="AlertActionResult.Message"/> says why.</summary>
    Conflict = 4,
}

public sealed record AlertActionResult(AlertActionStatus Status, Alert? Alert, string? Message = null);

/// <summary>
/// The alert lifecycle. Fed detections (through <see cref="IAlertSink"/>), it keeps one alert per episode
/// (<see cref="Detection.EpisodeKey"/>): the first detection a rule wants opens it, later ones grow it, a quiet gap
/// or a person resolves it. People acknowledge, snooze, resolve and promote alerts; <see cref="TickAsync"/> (run by
/// one node at a time) resolves quiet alerts, wakes snoozed ones and escalates unacknowledged ones.
/// Every change is one atomic save of the alert, its history and its queued deliveries, refused if someone else
/// changed the alert meanwhile (then decided again on the fresh copy), so nodes and requests never lose each other's work.
/// </summary>
public sealed class AlertManager(
    IAlertStore alerts,
    IAlertConfigStore config,
    IWorkspaceStore workspaces,
    ITopicStore topics,
    IIncidentOpener incidents,
    AlertLiveHub live,
    DeliveryWakeup wakeup,
    AlertOptions options,
    TimeProvider clock,
    IEnumerable<IAlertObserver>? observers = null)
{
    /// <summary>The actor of what the manager does by itself.</summary>
    public const string SystemActor = "system";

    private const int MaxConflicts = 32;

    private readonly ConcurrentDictionary<long, Workspace> workspaceCache = new();

    /// <summary>Applies detections in order; detections of unknown workspaces are ignored.</summary>
    public async Task ProcessAsync(IReadOnlyList<Detection> detections, CancellationToken cancellationToken)
    {
        foreach (var group in detections.GroupBy(d => d.WorkspaceId))
        {
            if (await LoadContextAsync(group.Key, cancellationToken).ConfigureAwait(false) is not { } context)
            {
                continue;
            }

            foreach (var detection in group)
            {
                await ApplyAsync(context, detection, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public Task<AlertActionResult> AcknowledgeAsync(long workspaceId, long alertId, string actor, CancellationToken cancellationToken) =>
        MutateAsync(workspaceId, alertId, cancellationToken, (context, alert, now) =>
        {
            switch (alert.State)
            {
                case AlertState.Resolved:
                    return Decision.Refuse("The alert is resolved; a new detection of the same episode opens a new alert.");
                case AlertState.Acknowledged:
                    return Decision.Unchanged;
            }

            var acknowledged = alert with { State = AlertState.Acknowledged, AcknowledgedAt = now, AcknowledgedBy = actor };
            var planned = new NotificationPlanner(context, now).Announce(acknowledged, NotificationReason.Acknowledged, actor);
            return Decision.Save(planned, Event(AlertEventKind.Acknowledged, now, actor, $"acknowledged by {actor}", alert.Severity));
        });

    /// <summary>Holds notifications until <paramref name="until"/>; the alert keeps growing and escalation pauses.</summary>
    public Task<AlertActionResult> SnoozeAsync(long workspaceId, long alertId, DateTimeOffset until, string actor, CancellationToken cancellationToken) =>
        MutateAsync(workspaceId, alertId, cancellationToken, (_, alert, now) =>
        {
            if (alert.State == AlertState.Resolved)
            {
                return Decision.Refuse("The alert is resolved; there is nothing to snooze.");
            }

            if (until <= now)
            {
                return Decision.Refuse("A snooze must end in the future.");
            }

            var snoozed = alert with { SnoozedUntil = until, SeverityAtSnooze = alert.IsSnoozed(now) ? alert.SeverityAtSnooze : alert.Severity };
            return Decision.Save(
                new PlannedNotifications(snoozed, [], []),
                Event(AlertEventKind.Snoozed, now, actor, $"snoozed until {until.UtcDateTime:yyyy-MM-dd HH:mm} UTC by {actor}", alert.Severity));
        });

    public Task<AlertActionResult> ResolveAsync(long workspaceId, long alertId, string actor, string? reason, CancellationToken cancellationToken) =>
        MutateAsync(workspaceId, alertId, cancellationToken, (context, alert, now) =>
            alert.State == AlertState.Resolved ? Decision.Unchanged : Resolution(context, alert, now, actor, reason));

    /// <summary>
    /// Acknowledges the alert, marks it promoted and asks <see cref="IIncidentOpener"/> for an incident, once per alert
    /// whoever asks and however often; a returned incident id is stored on the alert.
    /// </summary>
    public async Task<AlertActionResult> PromoteAsync(long workspaceId, long alertId, string actor, string? note, CancellationToken cancellationToken)
    {
        // Opening an incident is the strongest acknowledgement there is: escalation stops, the team is told who took it,
        // and the review's "time to acknowledge" counts it. A no-op when already acknowledged; refused (and promotion
        // still goes on) when the alert is already resolved.
        await AcknowledgeAsync(workspaceId, alertId, actor, cancellationToken).ConfigureAwait(false);
        var marked = await MutateAsync(workspaceId, alertId, cancellationToken, (_, alert, now) =>
            alert.PromotedAt is not null
                ? Decision.Unchanged
                : Decision.Save(
                    new PlannedNotifications(alert with { PromotedAt = now, PromotedBy = actor }, [], []),
                    Event(AlertEventKind.Promoted, now, actor, $"promoted to an incident by {actor}{(note is null ? string.Empty : ": " + note)}", alert.Severity))).ConfigureAwait(false);
        if (marked.Status != AlertActionStatus.Done)
        {
            return marked;
        }

        var incidentId = await incidents.OpenAsync(new IncidentRequest(marked.Alert!, actor, note, marked.Alert!.PromotedAt!.Value), cancellationToken).ConfigureAwait(false);
        if (incidentId is null)
        {
            return marked;
        }

        var linked = await MutateAsync(workspaceId, alertId, cancellationToken, (_, alert, now) => Decision.Save(
            new PlannedNotifications(alert with { IncidentId = incidentId }, [], []),
            Event(AlertEventKind.Promoted, now, SystemActor, $"incident {incidentId} opened", alert.Severity))).ConfigureAwait(false);
        return linked with { Status = AlertActionStatus.Done };
    }

    /// <summary>
    /// One pass over the active alerts: resolves those quiet for <see cref="AlertOptions.QuietGap"/>, wakes those
    /// whose snooze ended (re-notifying if severity rose meanwhile) and escalates those not acknowledged in time.
    /// Returns how many alerts it changed. An alert changed by someone else meanwhile is left for the next pass.
    /// </summary>
    public async Task<int> TickAsync(CancellationToken cancellationToken)
    {
        var changed = 0;
        var contexts = new Dictionary<long, AlertContext?>();
        foreach (var alert in await alerts.ListActiveAsync(10_000, cancellationToken).ConfigureAwait(false))
        {
            if (!contexts.TryGetValue(alert.WorkspaceId, out var context))
            {
                contexts[alert.WorkspaceId] = context = await LoadContextAsync(alert.WorkspaceId, cancellationToken).ConfigureAwait(false);
            }

            if (context is not null && TickDecision(context, alert, clock.GetUtcNow()) is { } change
                && await SaveAsync(change, alert, cancellationToken).ConfigureAwait(false) is not null)
            {
                changed++;
            }
        }

        return changed;
    }

    private AlertChange? TickDecision(AlertContext context, Alert alert, DateTimeOffset now)
    {
        if (alert.LastSeenAt + options.QuietGap <= now)
        {
            return Resolution(context, alert, now, SystemActor, QuietReason()).Change;
        }

        if (alert.SnoozedUntil is { } until && until <= now)
        {
            var (woken, events) = Wake(alert, now);
            if (woken.Severity > alert.SeverityAtSnooze)
            {
                var planned = new NotificationPlanner(context, now).Page(woken, NotificationReason.SeverityRaised, alert.SeverityAtSnooze);
                return new AlertChange(planned.Alert, [.. events, .. planned.Events], planned.Deliveries);
            }

            return new AlertChange(woken, events, []);
        }

        if (alert.State != AlertState.Open || alert.IsSnoozed(now))
        {
            return null;
        }

        var onCall = context.Resolve(alert.RuleIds).Where(r => r.OnCall).ToList();
        if (onCall.Count == 0)
        {
            return null;
        }

        var after = onCall.Min(r => r.EscalateAfter);
        if (now < alert.EscalationFrom + after || new NotificationPlanner(context, now).Escalate(alert, now - alert.EscalationFrom) is not { } escalation)
        {
            return null;
        }

        return new AlertChange(escalation.Alert, escalation.Events, escalation.Deliveries);
    }

    private async Task ApplyAsync(AlertContext context, Detection detection, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxConflicts; attempt++)
        {
            var now = clock.GetUtcNow();
            var active = await alerts.FindActiveAsync(detection.WorkspaceId, detection.TopicId, detection.Signal, detection.Dimension, cancellationToken).ConfigureAwait(false);
            if (active is not null && active.LastSeenAt + options.QuietGap <= now)
            {
                // The episode went quiet before this detection (the ticker had not got to it yet): close it, and
                // this detection starts a new episode.
                if (await SaveAsync(Resolution(context, active, now, SystemActor, QuietReason()).Change!, active, cancellationToken).ConfigureAwait(false) is null)
                {
                    continue;
                }

                active = null;
            }

            var change = active is null ? Opening(context, detection, now) : Growth(context, active, detection, now);
            if (change is null || await SaveAsync(change, active, cancellationToken).ConfigureAwait(false) is not null)
            {
                return;
            }

            // Another node saved the same episode first. Back off a little, at random, so contenders spread out
            // instead of colliding again in lockstep (real time on purpose: a test's frozen clock must not stall it).
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 2 << Math.Min(attempt, 5))), cancellationToken).ConfigureAwait(false);
        }

        throw new InvalidOperationException($"Alert for {detection.EpisodeKey} kept changing under the alert manager; gave up after {MaxConflicts} attempts.");
    }

    private static AlertChange? Opening(AlertContext context, Detection detection, DateTimeOffset now)
    {
        var rules = context.Matching(detection.TopicId, detection.Signal, detection.Severity);
        if (rules.Count == 0)
        {
            return null;
        }

        var alert = Alert.Open(detection, [.. rules.Select(r => r.Id)], now);
        var opened = Event(AlertEventKind.Opened, now, SystemActor, $"opened ({string.Join(", ", rules.Select(r => r.Name))}): {detection.Explanation}", alert.Severity);
        var planned = new NotificationPlanner(context, now).Page(alert, NotificationReason.Opened, null);
        return new AlertChange(planned.Alert, [opened, .. planned.Events], planned.Deliveries);
    }

    private static AlertChange Growth(AlertContext context, Alert active, Detection detection, DateTimeOffset now)
    {
        var events = new List<AlertEventDraft>();
        var grown = active.Grow(detection, now);
        // A severity the alert's rules did not want at first may bring in more rules (and their people) now.
        grown = grown with { RuleIds = [.. grown.RuleIds.Union(context.Matching(grown.TopicId, grown.Signal, grown.Severity).Select(r => r.Id))] };

        // The severity people last heard of: when a snooze has just ended, what it was when snoozed.
        var heard = active.Severity;
        if (active.SnoozedUntil is { } until && until <= now)
        {
            heard = active.SeverityAtSnooze ?? active.Severity;
            (grown, var woke) = Wake(grown, now);
            events.AddRange(woke);
        }

        if (grown.Severity > active.Severity)
        {
            events.Add(Event(AlertEventKind.Updated, now, SystemActor, $"severity {active.Severity} → {grown.Severity}: {detection.Explanation}", grown.Severity));
        }
        else if (grown.PeakScore > active.PeakScore)
        {
            events.Add(Event(AlertEventKind.Updated, now, SystemActor, $"new peak (score {grown.PeakScore:0.###}, observed {grown.PeakObserved:0.##} vs {grown.PeakExpected:0.##} expected)", grown.Severity));
        }

        if (grown.Severity > heard && !grown.IsSnoozed(now))
        {
            var planned = new NotificationPlanner(context, now).Page(grown, NotificationReason.SeverityRaised, heard);
            return new AlertChange(planned.Alert, [.. events, .. planned.Events], planned.Deliveries);
        }

        return new AlertChange(grown, events, []);
    }

    private static (Alert Alert, AlertEventDraft[] Events) Wake(Alert alert, DateTimeOffset now) =>
        (alert with { SnoozedUntil = null, SeverityAtSnooze = null, EscalationFrom = now },
         [Event(AlertEventKind.Woke, now, SystemActor, "snooze ended", alert.Severity)]);

    private static Decision Resolution(AlertContext context, Alert alert, DateTimeOffset now, string actor, string? reason)
    {
        var resolved = alert with { State = AlertState.Resolved, ResolvedAt = now, ResolvedBy = actor, ResolveReason = reason, SnoozedUntil = null };
        var planned = new NotificationPlanner(context, now).Announce(resolved, NotificationReason.Resolved, actor);
        return Decision.Save(planned, Event(AlertEventKind.Resolved, now, actor, $"resolved by {actor}{(reason is null ? string.Empty : ": " + reason)}", alert.Severity));
    }

    private string QuietReason() => $"no detection for {options.QuietGap.TotalMinutes:0.#} min";

    private static AlertEventDraft Event(AlertEventKind kind, DateTimeOffset at, string actor, string detail, DetectionSeverity severity) =>
        new(kind, at, actor, detail, severity);

    private async Task<AlertActionResult> MutateAsync(long workspaceId, long alertId, CancellationToken cancellationToken, Func<AlertContext, Alert, DateTimeOffset, Decision> decide)
    {
        if (await LoadContextAsync(workspaceId, cancellationToken).ConfigureAwait(false) is not { } context)
        {
            return new AlertActionResult(AlertActionStatus.NotFound, null);
        }

        for (var attempt = 0; attempt < MaxConflicts; attempt++)
        {
            if (await alerts.GetAsync(workspaceId, alertId, cancellationToken).ConfigureAwait(false) is not { } alert)
            {
                return new AlertActionResult(AlertActionStatus.NotFound, null);
            }

            var decision = decide(context, alert, clock.GetUtcNow());
            if (decision.Change is null)
            {
                return new AlertActionResult(decision.Refusal is null ? AlertActionStatus.Unchanged : AlertActionStatus.Conflict, alert, decision.Refusal);
            }

            if (await SaveAsync(decision.Change, alert, cancellationToken).ConfigureAwait(false) is { } saved)
            {
                return new AlertActionResult(AlertActionStatus.Done, saved);
            }
        }

        return new AlertActionResult(AlertActionStatus.Conflict, null, "The alert kept changing while this was applied; try again.");
    }

    private readonly IAlertObserver[] observers = [.. observers ?? []];

    private async Task<Alert?> SaveAsync(AlertChange change, Alert? before, CancellationToken cancellationToken)
    {
        var saved = await alerts.SaveAsync(change, cancellationToken).ConfigureAwait(false);
        if (saved is not null)
        {
            live.PublishHere(saved.WorkspaceId, new LiveAlertEvent("alert", saved, null));
            if (change.Deliveries.Count > 0)
            {
                wakeup.Notify();
            }

            foreach (var observer in observers)
            {
                await observer.AlertSavedAsync(before, saved, cancellationToken).ConfigureAwait(false);
            }
        }

        return saved;
    }

    private async Task<AlertContext?> LoadContextAsync(long workspaceId, CancellationToken cancellationToken)
    {
        if (!workspaceCache.TryGetValue(workspaceId, out var workspace))
        {
            // Workspaces are never renamed or deleted in this version, so one listing serves the process's life.
            foreach (var each in await workspaces.ListAsync(cancellationToken).ConfigureAwait(false))
            {
                workspaceCache[each.Id] = each;
            }

            if (!workspaceCache.TryGetValue(workspaceId, out workspace))
            {
                return null;
            }
        }

        var rules = await config.ListRulesAsync(workspaceId, cancellationToken).ConfigureAwait(false);
        var contacts = await config.ListContactsAsync(workspaceId, cancellationToken).ConfigureAwait(false);
        var channels = await config.ListChannelsAsync(workspaceId, cancellationToken).ConfigureAwait(false);
        var names = (await topics.ListAsync(workspaceId, cancellationToken).ConfigureAwait(false)).ToDictionary(t => t.Id, t => t.Name);
        return new AlertContext(workspace, rules, contacts, channels, names);
    }

    /// <summary>What an action decided: a change to save, nothing to do, or a refusal with the reason.</summary>
    private sealed record Decision(AlertChange? Change, string? Refusal)
    {
        public static Decision Unchanged { get; } = new(null, null);

        public static Decision Refuse(string why) => new(null, why);

        public static Decision Save(PlannedNotifications planned, AlertEventDraft first) =>
            new(new AlertChange(planned.Alert, [first, .. planned.Events], planned.Deliveries), null);
    }
}
