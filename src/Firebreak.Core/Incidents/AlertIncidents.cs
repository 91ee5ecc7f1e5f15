namespace Firebreak.Core.Incidents;

using System.Globalization;
using System.Text.Json.Nodes;
using Firebreak.Core.Alerts;
using Firebreak.Core.Alerts.Channels;
using Firebreak.Core.Detection;
using Firebreak.Core.Topics;

/// <summary>
/// "Open as incident" on an alert: opens an incident from it, or links it to the incident already open on its topic
/// (so one crisis seen by several signals stays one room). Decided in one serialised store transaction.
/// </summary>
public sealed class AlertIncidentOpener(IIncidentStore store, ITopicStore topics) : IIncidentOpener
{
    public static IncidentSeverity SeverityOf(DetectionSeverity severity) => severity switch
    {
        DetectionSeverity.Critical => IncidentSeverity.Sev1,
        DetectionSeverity.High => IncidentSeverity.Sev2,
        DetectionSeverity.Medium => IncidentSeverity.Sev3,
        _ => IncidentSeverity.Sev4,
    };

    public async Task<string?> OpenAsync(IncidentRequest request, CancellationToken cancellationToken)
    {
        var alert = request.Alert;
        var topic = alert.TopicId == 0 ? "whole stream" : (await topics.GetAsync(alert.WorkspaceId, alert.TopicId, cancellationToken).ConfigureAwait(false))?.Name ?? $"topic {alert.TopicId}";
        var what = $"{AlertText.Signal(alert.Signal)}: {topic}";
        var actor = new IncidentActor(null, request.RequestedBy);
        var draft = new Incident
        {
            WorkspaceId = alert.WorkspaceId,
            Title = AlertText.Truncate(what, 200),
            Type = IncidentTypes.Other,
            Severity = SeverityOf(alert.Severity),
            Status = IncidentStatus.Active,
            TopicIds = [alert.TopicId],
            AlertIds = [alert.Id],
            DeclaredBy = actor,
            DeclaredAt = request.At,
            UpdatedAt = request.At,
        };
        var (incident, _) = await store.OpenOrLinkAsync(draft, alert.Id, alert.TopicId, existing => existing is null
            ? [IncidentText.Declared(draft, request.At), IncidentText.AlertLinked(alert.Id, what, opened: true, actor, request.At)]
            : [IncidentText.AlertLinked(alert.Id, what, opened: false, actor, request.At)], cancellationToken).ConfigureAwait(false);
        return incident.Key;
    }
}

/// <summary>
/// Milestones of linked alerts on their incident's timeline: severity rose, acknowledged, resolved. The save that links
/// the alert is not one (the opener recorded the link).
/// </summary>
public sealed class IncidentAlertObserver(IIncidentStore store) : IAlertObserver
{
    public async Task AlertSavedAsync(Alert? before, Alert saved, CancellationToken cancellationToken)
    {
        if (before is null || saved.IncidentId is null || before.IncidentId != saved.IncidentId
            || !long.TryParse(saved.IncidentId, NumberStyles.None, CultureInfo.InvariantCulture, out var incidentId))
        {
            return;
        }

        var entries = Milestones(before, saved);
        if (entries.Count == 0 || await store.GetAsync(saved.WorkspaceId, incidentId, cancellationToken).ConfigureAwait(false) is null)
        {
            return;
        }

        foreach (var entry in entries)
        {
            await store.AppendAsync(incidentId, entry, cancellationToken).ConfigureAwait(false);
        }
    }

    public static List<TimelineDraft> Milestones(Alert before, Alert saved)
    {
        var entries = new List<TimelineDraft>();
        var data = new JsonObject { ["alertId"] = saved.Id, ["severity"] = saved.Severity.ToString().ToLowerInvariant() }.ToJsonString();
        if (saved.Severity > before.Severity)
        {
            entries.Add(new(saved.LastSeenAt, IncidentActor.System, TimelineKind.AlertMilestone,
                $"Alert {saved.Id} severity {Lower(before.Severity)} → {Lower(saved.Severity)}: {saved.Explanation}", data));
        }

        if (before.State == AlertState.Open && saved.State == AlertState.Acknowledged)
        {
            entries.Add(new(saved.AcknowledgedAt ?? saved.LastSeenAt, new IncidentActor(null, saved.AcknowledgedBy ?? AlertManager.SystemActor), TimelineKind.AlertMilestone,
                $"Alert {saved.Id} acknowledged by {saved.AcknowledgedBy ?? AlertManager.SystemActor}", data));
        }

        if (before.State != AlertState.Resolved && saved.State == AlertState.Resolved)
        {
            entries.Add(new(saved.ResolvedAt ?? saved.LastSeenAt, new IncidentActor(null, saved.ResolvedBy ?? AlertManager.SystemActor), TimelineKind.AlertMilestone,
                $"Alert {saved.Id} resolved by {saved.ResolvedBy ?? AlertManager.SystemActor}" + (saved.ResolveReason is { } why ? $": {why}" : string.Empty), data));
        }

        return entries;
    }

    private static string Lower(DetectionSeverity severity) => severity.ToString().ToLowerInvariant();
}
