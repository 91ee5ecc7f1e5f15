namespace Firebreak.Core.Incidents;

/// <summary>Incidents, their roles, timeline and tasks; written once for both store providers.</summary>
public interface IIncidentStore
{
    /// <summary>Stores a new incident (Id and Version ignored) with its first timeline entries, in one transaction.</summary>
    Task<Incident> CreateAsync(Incident incident, IReadOnlyList<TimelineDraft> entries, CancellationToken cancellationToken);

    /// <summary>
    /// For an alert being promoted: links it to the workspace's open (not resolved) incident on the same topic if there is
    /// one, else stores <paramref name="draft"/>. Decided and written in one serialised transaction, so two alerts
    /// promoted at once on one topic never open two incidents. <paramref name="entries"/> says what to record for each case.
    /// </summary>
    Task<(Incident Incident, bool Opened)> OpenOrLinkAsync(Incident draft, long alertId, long topicId, Func<Incident?, IReadOnlyList<TimelineDraft>> entries, CancellationToken cancellationToken);

    Task<Incident?> GetAsync(long workspaceId, long id, CancellationToken cancellationToken);

    /// <summary>Active first, then stable, then resolved; newest first within each. Null statuses: all.</summary>
    Task<IReadOnlyList<Incident>> ListAsync(long workspaceId, IReadOnlyList<IncidentStatus>? statuses, int limit, CancellationToken cancellationToken);

    /// <summary>Saves the incident's fields if the stored version is still <see cref="Incident.Version"/>, with the entries; null when stale.</summary>
    Task<Incident?> UpdateAsync(Incident incident, IReadOnlyList<TimelineDraft> entries, CancellationToken cancellationToken);

    Task<IReadOnlyList<IncidentRoleAssignment>> ListRolesAsync(long incidentId, CancellationToken cancellationToken);

    /// <summary>Replaces who holds <paramref name="role"/> and records the entry, in one transaction.</summary>
    Task SetRoleAsync(long incidentId, IncidentRole role, IReadOnlyList<long> accountIds, TimelineDraft entry, CancellationToken cancellationToken);

    Task<TimelineEntry> AppendAsync(long incidentId, TimelineDraft entry, CancellationToken cancellationToken);

    /// <summary>Newest first; <paramref name="beforeId"/> pages to older entries.</summary>
    Task<TimelinePage> ListTimelineAsync(long incidentId, long? beforeId, int limit, CancellationToken cancellationToken);

    /// <summary>Oldest first.</summary>
    Task<IReadOnlyList<IncidentTask>> ListTasksAsync(long incidentId, CancellationToken cancellationToken);

    Task<IncidentTask?> GetTaskAsync(long incidentId, long taskId, CancellationToken cancellationToken);

    /// <summary>
    /// Creates tasks, one "task created" entry each, in one transaction. A draft's OwnerRole is resolved to the member
    /// holding that role in the same transaction (the first holder, by account id, for shared roles); no holder: no owner.
    /// </summary>
    Task<IReadOnlyList<IncidentTask>> AddTasksAsync(long incidentId, IEnumerable<TaskDraft> drafts, IncidentActor actor, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// Saves <paramref name="task"/>'s fields if the stored version is still its <see cref="IncidentTask.Version"/>, with
    /// the entry (if any). Null when stale.
    /// </summary>
    Task<IncidentTask?> UpdateTaskAsync(IncidentTask task, TimelineDraft? entry, CancellationToken cancellationToken);
}
