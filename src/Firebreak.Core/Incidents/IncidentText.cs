namespace Firebreak.Core.Incidents;

using System.Globalization;
using System.Text.Json.Nodes;

/// <summary>
/// The timeline's sentences and their data. One place, so an entry written by the API, the UI, an alert or a playbook
/// reads the same. Sentences are plain text (the UI encodes them); the JSON carries the ids behind them.
/// </summary>
public static class IncidentText
{
    public static string Sev(IncidentSeverity severity) => "SEV" + ((int)severity).ToString(CultureInfo.InvariantCulture);

    public static string Name(this IncidentStatus status) => status.ToString().ToLowerInvariant();

    public static TimelineDraft Declared(Incident incident, DateTimeOffset at) => new(
        at,
        incident.DeclaredBy,
        TimelineKind.Declared,
        $"{Sev(incident.Severity)} {incident.Type} incident declared by {incident.DeclaredBy.Name}: {incident.Title}",
        new JsonObject { ["severity"] = Sev(incident.Severity), ["type"] = incident.Type }.ToJsonString());

    public static TimelineDraft AlertLinked(long alertId, string what, bool opened, IncidentActor actor, DateTimeOffset at) => new(
        at,
        actor,
        TimelineKind.AlertLinked,
        opened ? $"Alert {alertId} ({what}) opened this incident" : $"Alert {alertId} ({what}) linked: this incident was already open on its topic",
        new JsonObject { ["alertId"] = alertId, ["opened"] = opened }.ToJsonString());

    /// <summary>The incident with the change applied, and one entry per thing that really changed.</summary>
    public static (Incident Next, List<TimelineDraft> Entries) Apply(Incident current, IncidentChange change, IncidentActor actor, DateTimeOffset at)
    {
        var entries = new List<TimelineDraft>();
        var next = current;
        if (change.Title is { } title && title != current.Title)
        {
            next = next with { Title = title };
            entries.Add(new(at, actor, TimelineKind.Updated, $"Title changed to: {title}"));
        }

        if (change.Type is { } type && type != current.Type)
        {
            next = next with { Type = type };
            entries.Add(new(at, actor, TimelineKind.Updated, $"Type changed to {type}"));
        }

        if (change.Severity is { } severity && severity != current.Severity)
        {
            next = next with { Severity = severity };
            entries.Add(new(at, actor, TimelineKind.SeverityChanged, $"Severity {Sev(current.Severity)} → {Sev(severity)}",
                new JsonObject { ["from"] = Sev(current.Severity), ["to"] = Sev(severity) }.ToJsonString()));
        }

        if (change.Status is { } status && status != current.Status)
        {
            next = next with { Status = status, ResolvedAt = status == IncidentStatus.Resolved ? at : null };
            var text = current.Status == IncidentStatus.Resolved ? $"Reopened as {status.Name()}" : $"Status {current.Status.Name()} → {status.Name()}";
            entries.Add(new(at, actor, TimelineKind.StatusChanged, text, new JsonObject { ["from"] = current.Status.Name(), ["to"] = status.Name() }.ToJsonString()));
        }

        if (change.TopicIds is { } topics && !topics.SequenceEqual(current.TopicIds))
        {
            next = next with { TopicIds = topics };
            entries.Add(new(at, actor, TimelineKind.Updated, "Topics set to " + (topics.Count == 0 ? "none" : string.Join(", ", topics.Select(t => "#" + t.ToString(CultureInfo.InvariantCulture))))));
        }

        if (change.Platforms is { } platforms && !platforms.SequenceEqual(current.Platforms))
        {
            next = next with { Platforms = platforms };
            entries.Add(new(at, actor, TimelineKind.Updated, "Platforms set to " + (platforms.Count == 0 ? "none" : string.Join(", ", platforms))));
        }

        return (next, entries);
    }

    public static TimelineDraft RoleChanged(IncidentRole role, IReadOnlyList<long> before, IReadOnlyList<long> after, IReadOnlyDictionary<long, string> names, IncidentActor actor, DateTimeOffset at)
    {
        string People(IReadOnlyList<long> ids) => ids.Count == 0 ? "nobody" : string.Join(", ", ids.Select(id => names.TryGetValue(id, out var name) ? name : $"account {id}"));
        var ids = new JsonArray([.. after.Select(a => (JsonNode?)JsonValue.Create(a))]);
        var was = new JsonArray([.. before.Select(a => (JsonNode?)JsonValue.Create(a))]);
        return new(at, actor, TimelineKind.RolesChanged, $"{role.Label()}: {People(after)} (was {People(before)})",
            new JsonObject { ["role"] = role.Name(), ["accountIds"] = ids, ["was"] = was }.ToJsonString());
    }

    public static TimelineDraft TaskCreated(IncidentTask task, string? ownerRole, IncidentActor actor, DateTimeOffset at) => new(
        at,
        actor,
        TimelineKind.TaskCreated,
        $"Task added: {task.Title}" + (ownerRole is null ? string.Empty : $" (for the {ownerRole})"),
        new JsonObject { ["taskId"] = task.Id, ["ownerId"] = task.OwnerId, ["stepId"] = task.StepId }.ToJsonString());

    public static TimelineDraft? TaskChanged(IncidentTask before, IncidentTask after, IncidentActor actor, DateTimeOffset at)
    {
        var data = new JsonObject { ["taskId"] = after.Id }.ToJsonString();
        if (before.State != IncidentTaskState.Done && after.State == IncidentTaskState.Done)
        {
            return new(at, actor, TimelineKind.TaskDone, $"Task done: {after.Title}", data);
        }

        return before.State == IncidentTaskState.Done && after.State != IncidentTaskState.Done
            ? new(at, actor, TimelineKind.TaskUpdated, $"Task reopened: {after.Title}", data)
            : new(at, actor, TimelineKind.TaskUpdated, $"Task updated: {after.Title}", data);
    }

}
