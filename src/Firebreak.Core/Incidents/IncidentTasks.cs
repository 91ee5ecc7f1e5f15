namespace Firebreak.Core.Incidents;

public enum IncidentTaskState
{
    Open = 1,
    Done = 2,
}

/// <summary>
/// A thing to do in the room. <see cref="Version"/> makes updates optimistic: an update names the version it read
/// and is refused when someone changed the task meanwhile, so two people never silently overwrite each other.
/// </summary>
public sealed record IncidentTask
{
    public long Id { get; init; }

    public long IncidentId { get; init; }

    public string Title { get; init; } = string.Empty;

    /// <summary>A member's account id.</summary>
    public long? OwnerId { get; init; }

    public DateTimeOffset? DueAt { get; init; }

    public IncidentTaskState State { get; init; } = IncidentTaskState.Open;

    /// <summary>The playbook step it came from, if any.</summary>
    public string? StepId { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? DoneAt { get; init; }

    public string? DoneBy { get; init; }

    public long Version { get; init; }
}

/// <summary>
/// A task to create, e.g. one step of a playbook's plan. <paramref name="OwnerRole"/> names an incident role
/// (<see cref="IncidentRoles.Name"/>, e.g. "spokesperson"): the task goes to the person holding it when created, if anyone.
/// </summary>
public sealed record TaskDraft(string Title, string? OwnerRole, DateTimeOffset? DueAt, string? StepId)
{
    /// <summary>An explicit owner (an account id), used when no <see cref="OwnerRole"/> is given.</summary>
    public long? OwnerId { get; init; }
}

/// <summary>The whole new state of a task, from the copy at <paramref name="Version"/>.</summary>
public sealed record TaskEdit(long Version, string Title, long? OwnerId, DateTimeOffset? DueAt, IncidentTaskState State);

public enum TaskUpdateStatus
{
    Done = 1,

    /// <summary>The task already was as asked (marking done twice): nothing saved, the current task returned.</summary>
    Unchanged = 2,
    NotFound = 3,

    /// <summary>Someone changed the task since the version given; <see cref="TaskUpdateResult.Task"/> is the current one.</summary>
    Conflict = 4,
}

public sealed record TaskUpdateResult(TaskUpdateStatus Status, IncidentTask? Task);
