namespace Firebreak.Core.Incidents;

using System.Text.Json.Nodes;
using Firebreak.Core.Security;

/// <summary>What a person declares by hand.</summary>
public sealed record IncidentDeclaration(string Title, string Type, IncidentSeverity Severity, IReadOnlyList<long> TopicIds, IReadOnlyList<string> Platforms);

/// <summary>A change of an incident's fields; null fields stay as they are. <see cref="Version"/>: refuse if the incident changed since.</summary>
public sealed record IncidentChange(
    string? Title = null,
    IncidentSeverity? Severity = null,
    IncidentStatus? Status = null,
    IReadOnlyList<long>? TopicIds = null,
    IReadOnlyList<string>? Platforms = null,
    long? Version = null)
{
    /// <summary>One of <see cref="IncidentTypes.All"/>.</summary>
    public string? Type { get; init; }
}

public enum IncidentResultStatus
{
    Done = 1,
    Unchanged = 2,
    NotFound = 3,

    /// <summary>A stale version, or (for roles) someone who is not a member of the workspace.</summary>
    Conflict = 4,
}

public sealed record IncidentResult(IncidentResultStatus Status, Incident? Incident, string? Message = null);

/// <summary>
/// The crisis room's rules over <see cref="IIncidentStore"/>: every change of an incident, its roles and tasks writes
/// its own timeline entry in the same transaction, so the timeline is the record of what happened without anyone
/// having to keep it. Input is validated by the caller (the API names the field); this checks what needs the store
/// (membership, versions).
/// </summary>
public sealed class IncidentService(IIncidentStore store, IAccountStore accounts, TimeProvider clock)
{
    public const int MaxNote = 4_000;
    private const int MaxRetries = 8;

    public IIncidentStore Store => store;

    public async Task<Incident> DeclareAsync(long workspaceId, IncidentDeclaration declaration, IncidentActor actor, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var incident = new Incident
        {
            WorkspaceId = workspaceId,
            Title = declaration.Title,
            Type = declaration.Type,
            Severity = declaration.Severity,
            Status = IncidentStatus.Active,
            TopicIds = declaration.TopicIds,
            Platforms = declaration.Platforms,
            DeclaredBy = actor,
            DeclaredAt = now,
            UpdatedAt = now,
        };
        return await store.CreateAsync(incident, [IncidentText.Declared(incident, now)], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Applies a change. Without a version it is re-applied on the fresh copy when someone saved meanwhile (each field
    /// is set, not computed, so that is safe); with one, a stale version is a conflict.
    /// </summary>
    public async Task<IncidentResult> UpdateAsync(long workspaceId, long id, IncidentChange change, IncidentActor actor, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxRetries; attempt++)
        {
            if (await store.GetAsync(workspaceId, id, cancellationToken).ConfigureAwait(false) is not { } current)
            {
                return new IncidentResult(IncidentResultStatus.NotFound, null);
            }

            if (change.Version is { } version && version != current.Version)
            {
                return new IncidentResult(IncidentResultStatus.Conflict, current, $"The incident changed since version {version}; it is now at version {current.Version}.");
            }

            var now = clock.GetUtcNow();
            var (next, entries) = IncidentText.Apply(current, change, actor, now);
            if (entries.Count == 0)
            {
                return new IncidentResult(IncidentResultStatus.Unchanged, current);
            }

            if (await store.UpdateAsync(next with { UpdatedAt = now }, entries, cancellationToken).ConfigureAwait(false) is { } saved)
            {
                return new IncidentResult(IncidentResultStatus.Done, saved);
            }

            if (change.Version is not null)
            {
                return new IncidentResult(IncidentResultStatus.Conflict, await store.GetAsync(workspaceId, id, cancellationToken).ConfigureAwait(false), "The incident changed meanwhile; read it again.");
            }
        }

        return new IncidentResult(IncidentResultStatus.Conflict, null, "The incident kept changing while this was applied; try again.");
    }

    /// <summary>Replaces who holds a role. Everyone named must be a member of the workspace; the lead seat takes one.</summary>
    public async Task<IncidentResult> SetRoleAsync(long workspaceId, long id, IncidentRole role, IReadOnlyList<long> accountIds, IncidentActor actor, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(workspaceId, id, cancellationToken).ConfigureAwait(false) is not { } incident)
        {
            return new IncidentResult(IncidentResultStatus.NotFound, null);
        }

        var wanted = accountIds.Distinct().ToList();
        if (wanted.Count > role.MaxHolders())
        {
            return new IncidentResult(IncidentResultStatus.Conflict, incident, $"The {role.Label().ToLowerInvariant()} is one person.");
        }

        var members = (await accounts.ListMembersAsync(workspaceId, cancellationToken).ConfigureAwait(false)).ToDictionary(m => m.AccountId, m => m.DisplayName);
        if (wanted.FirstOrDefault(a => !members.ContainsKey(a)) is var stranger and not 0)
        {
            return new IncidentResult(IncidentResultStatus.Conflict, incident, $"Account {stranger} is not a member of this workspace.");
        }

        var before = (await store.ListRolesAsync(id, cancellationToken).ConfigureAwait(false)).Where(r => r.Role == role).Select(r => r.AccountId).Order().ToList();
        if (before.SequenceEqual(wanted.Order()))
        {
            return new IncidentResult(IncidentResultStatus.Unchanged, incident);
        }

        var entry = IncidentText.RoleChanged(role, before, wanted, members, actor, clock.GetUtcNow());
        await store.SetRoleAsync(id, role, wanted, entry, cancellationToken).ConfigureAwait(false);
        return new IncidentResult(IncidentResultStatus.Done, incident);
    }

    /// <summary>A person's note (or, with a reason, a decision); null when there is no such incident.</summary>
    /// <remarks><paramref name="publicResponse"/> marks a decision as the brand speaking in public (the review's "first public response").</remarks>
    public async Task<TimelineEntry?> AddNoteAsync(long workspaceId, long id, string text, string? reason, IncidentActor actor, CancellationToken cancellationToken, bool publicResponse = false)
    {
        if (await store.GetAsync(workspaceId, id, cancellationToken).ConfigureAwait(false) is null)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        var entry = reason is null
            ? new TimelineDraft(now, actor, TimelineKind.Note, text)
            : new TimelineDraft(now, actor, TimelineKind.Decision, text, (publicResponse ? new JsonObject { ["reason"] = reason, ["publicResponse"] = true } : new JsonObject { ["reason"] = reason }).ToJsonString());
        return await store.AppendAsync(id, entry, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Creates tasks on an incident of the workspace (e.g. a playbook's plan), resolving each draft's OwnerRole to the
    /// person holding it now. Null when there is no such incident.
    /// </summary>
    public async Task<IReadOnlyList<IncidentTask>?> AddTasksAsync(long workspaceId, long incidentId, IEnumerable<TaskDraft> drafts, IncidentActor actor, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(workspaceId, incidentId, cancellationToken).ConfigureAwait(false) is null)
        {
            return null;
        }

        return await store.AddTasksAsync(incidentId, drafts, actor, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Saves the whole new state of a task if nobody changed it since <see cref="TaskEdit.Version"/>. When the task already
    /// is exactly as asked (someone else marked it done too), that is not a conflict: nothing is saved and it is returned.
    /// </summary>
    public async Task<TaskUpdateResult> UpdateTaskAsync(long workspaceId, long incidentId, long taskId, TaskEdit edit, IncidentActor actor, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(workspaceId, incidentId, cancellationToken).ConfigureAwait(false) is null
            || await store.GetTaskAsync(incidentId, taskId, cancellationToken).ConfigureAwait(false) is not { } current)
        {
            return new TaskUpdateResult(TaskUpdateStatus.NotFound, null);
        }

        if (IsAlready(current, edit))
        {
            return new TaskUpdateResult(TaskUpdateStatus.Unchanged, current);
        }

        if (current.Version != edit.Version)
        {
            return new TaskUpdateResult(TaskUpdateStatus.Conflict, current);
        }

        var now = clock.GetUtcNow();
        var done = edit.State == IncidentTaskState.Done;
        var next = current with
        {
            Title = edit.Title,
            OwnerId = edit.OwnerId,
            DueAt = edit.DueAt,
            State = edit.State,
            DoneAt = done ? current.DoneAt ?? now : null,
            DoneBy = done ? current.DoneBy ?? actor.Name : null,
        };
        var saved = await store.UpdateTaskAsync(next, IncidentText.TaskChanged(current, next, actor, now), cancellationToken).ConfigureAwait(false);
        if (saved is not null)
        {
            return new TaskUpdateResult(TaskUpdateStatus.Done, saved);
        }

        // Someone saved between our read and our write: theirs stands, and the caller sees it.
        var fresh = await store.GetTaskAsync(incidentId, taskId, cancellationToken).ConfigureAwait(false);
        return fresh is not null && IsAlready(fresh, edit) ? new TaskUpdateResult(TaskUpdateStatus.Unchanged, fresh) : new TaskUpdateResult(TaskUpdateStatus.Conflict, fresh);
    }

    /// <summary>The checklist's button: marks done from the version the person saw; done already is fine.</summary>
    public async Task<TaskUpdateResult> MarkDoneAsync(long workspaceId, long incidentId, long taskId, long version, IncidentActor actor, CancellationToken cancellationToken)
    {
        if (await store.GetTaskAsync(incidentId, taskId, cancellationToken).ConfigureAwait(false) is not { } current)
        {
            return new TaskUpdateResult(TaskUpdateStatus.NotFound, null);
        }

        if (current.State == IncidentTaskState.Done)
        {
            return new TaskUpdateResult(TaskUpdateStatus.Unchanged, current);
        }

        return await UpdateTaskAsync(workspaceId, incidentId, taskId, new TaskEdit(version, current.Title, current.OwnerId, current.DueAt, IncidentTaskState.Done), actor, cancellationToken).ConfigureAwait(false);
    }

    private static bool IsAlready(IncidentTask task, TaskEdit edit) =>
        task.Title == edit.Title && task.OwnerId == edit.OwnerId && task.DueAt == edit.DueAt && task.State == edit.State;
}
