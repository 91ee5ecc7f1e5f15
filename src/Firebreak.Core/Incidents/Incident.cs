namespace Firebreak.Core.Incidents;

/// <summary>How bad an incident is. SEV1 is the worst, so a lower number sorts first.</summary>
public enum IncidentSeverity
{
    Sev1 = 1,
    Sev2 = 2,
    Sev3 = 3,
    Sev4 = 4,
}

/// <summary>Where an incident is: active (being fought) → stable (contained, watched) → resolved; a resolved one can be reopened.</summary>
public enum IncidentStatus
{
    Active = 1,
    Stable = 2,
    Resolved = 3,
}

/// <summary>
/// A crisis being handled in one workspace. Lists (topics, platforms, linked alerts) are whole values: an update
/// replaces them, and <see cref="Version"/> refuses an update from a stale copy so concurrent edits never overwrite
/// each other silently.
/// </summary>
public sealed record Incident
{
    public long Id { get; init; }

    public long WorkspaceId { get; init; }

    public string Title { get; init; } = string.Empty;

    /// <summary>One of <see cref="IncidentTypes.All"/>.</summary>
    public string Type { get; init; } = IncidentTypes.Other;

    public IncidentSeverity Severity { get; init; } = IncidentSeverity.Sev3;

    public IncidentStatus Status { get; init; } = IncidentStatus.Active;

    public IReadOnlyList<long> TopicIds { get; init; } = [];

    /// <summary>Platform wire names (x, reddit, …) as people chose them.</summary>
    public IReadOnlyList<string> Platforms { get; init; } = [];

    /// <summary>Alerts that opened the incident or were linked to it since.</summary>
    public IReadOnlyList<long> AlertIds { get; init; } = [];

    public IncidentActor DeclaredBy { get; init; } = IncidentActor.System;

    public DateTimeOffset DeclaredAt { get; init; }

    public DateTimeOffset? ResolvedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Optimistic concurrency: every save increments it.</summary>
    public long Version { get; init; }

    /// <summary>Not resolved: an alert on one of its topics joins it instead of opening another incident.</summary>
    public bool IsOpen => Status != IncidentStatus.Resolved;

    /// <summary>The id as the alert seam carries it (<see cref="Alerts.Alert.IncidentId"/> is a string).</summary>
    public string Key => Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Who did something in the room: a member (account id and the name shown then), or the system.</summary>
public sealed record IncidentActor(long? AccountId, string Name)
{
    public static IncidentActor System { get; } = new(null, "system");
}

/// <summary>The kinds of crisis a workspace declares; a string key so new kinds need no migration.</summary>
public static class IncidentTypes
{
    public const string Other = "other";

    public static readonly IReadOnlyList<string> All =
    [
        "offensive-post",
        "hacked-account",
        "viral-complaint",
        "product-safety",
        "executive-misconduct",
        "data-breach",
        "platform-outage",
        "national-tragedy",
        "influencer-backlash",
        Other,
    ];

    public static bool IsKnown(string? type) => type is not null && All.Contains(type, StringComparer.Ordinal);
}
