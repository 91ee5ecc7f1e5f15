namespace Firebreak.Storage.Incidents;

using System.Data.Common;
using Firebreak.Core.Incidents;
using Firebreak.Storage.Alerts;

/// <summary>
/// Incidents, roles, timeline and tasks, written once for both providers (see <see cref="PortableDatabase"/>). Every
/// change and the timeline entries describing it commit together, so the timeline never claims what did not happen
/// nor misses what did. Incident and task updates are compare-and-set on a version column.
/// </summary>
public sealed class IncidentStore(PortableDatabase database) : IIncidentStore
{
    private const string Columns = "id, workspace_id, title, type, severity, status, topic_ids, platforms, alert_ids, declared_by_id, declared_by, declared_at, resolved_at, updated_at, version";
    private const string TaskColumns = "id, incident_id, title, owner_id, due_at, state, step_id, created_at, done_at, done_by, version";

    // A distinct advisory-lock space for "open or link" per workspace (PostgreSQL; SQLite's write transaction already serialises).
    private const long OpenLockSpace = 0x46425f494e43L << 16;

    public async Task<Incident> CreateAsync(Incident incident, IReadOnlyList<TimelineDraft> entries, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var created = await InsertAsync(connection, transaction, incident, entries, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return created;
    }

    public async Task<(Incident Incident, bool Opened)> OpenOrLinkAsync(Incident draft, long alertId, long topicId, Func<Incident?, IReadOnlyList<TimelineDraft>> entries, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (database.SerializeStatement(OpenLockSpace + draft.WorkspaceId) is { } serialize)
        {
            await using var lockCommand = database.Command(connection, transaction, serialize);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var find = database.Command(connection, transaction, $"SELECT {Columns} FROM incidents WHERE workspace_id = $1 AND status <> $2 ORDER BY id", draft.WorkspaceId, (int)IncidentStatus.Resolved);
        var open = await Sql.ListAsync(find, Map, cancellationToken).ConfigureAwait(false);
        (Incident, bool) result;
        if (open.FirstOrDefault(i => i.TopicIds.Contains(topicId)) is { } existing)
        {
            var linked = existing with { AlertIds = [.. existing.AlertIds.Append(alertId).Distinct()], UpdatedAt = draft.UpdatedAt };
            result = (await UpdateAsync(connection, transaction, linked, entries(existing), cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("An incident changed inside a serialised transaction."), false);
        }
        else
        {
            result = (await InsertAsync(connection, transaction, draft, entries(null), cancellationToken).ConfigureAwait(false), true);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    public async Task<Incident?> GetAsync(long workspaceId, long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, $"SELECT {Columns} FROM incidents WHERE workspace_id = $1 AND id = $2", workspaceId, id);
        return await Sql.SingleAsync(command, Map, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Incident>> ListAsync(long workspaceId, IReadOnlyList<IncidentStatus>? statuses, int limit, CancellationToken cancellationToken)
    {
        // Statuses are a closed enum, so inlining their numbers is safe and keeps the SQL one statement for both providers.
        var filter = statuses is { Count: > 0 } ? $" AND status IN ({string.Join(", ", statuses.Select(s => (int)s))})" : string.Empty;
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, $"SELECT {Columns} FROM incidents WHERE workspace_id = $1{filter} ORDER BY status, id DESC LIMIT $2", workspaceId, limit);
        return await Sql.ListAsync(command, Map, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Incident?> UpdateAsync(Incident incident, IReadOnlyList<TimelineDraft> entries, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var saved = await UpdateAsync(connection, transaction, incident, entries, cancellationToken).ConfigureAwait(false);
        if (saved is not null)
        {
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        return saved;
    }

    public async Task<IReadOnlyList<IncidentRoleAssignment>> ListRolesAsync(long incidentId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await RolesAsync(connection, null, incidentId, cancellationToken).ConfigureAwait(false);
    }

    public async Task SetRoleAsync(long incidentId, IncidentRole role, IReadOnlyList<long> accountIds, TimelineDraft entry, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var clear = database.Command(connection, transaction, "DELETE FROM incident_roles WHERE incident_id = $1 AND role = $2", incidentId, role.Name()))
        {
            await clear.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var accountId in accountIds)
        {
            await using var insert = database.Command(connection, transaction, "INSERT INTO incident_roles (incident_id, role, account_id, assigned_at) VALUES ($1, $2, $3, $4)", incidentId, role.Name(), accountId, Sql.Ms(entry.At));
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await AppendAsync(connection, transaction, incidentId, entry, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<TimelineEntry> AppendAsync(long incidentId, TimelineDraft entry, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await AppendAsync(connection, null, incidentId, entry, cancellationToken).ConfigureAwait(false);
    }

    public async Task<TimelinePage> ListTimelineAsync(long incidentId, long? beforeId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(
            connection,
            null,
            "SELECT id, incident_id, at, actor_id, actor_name, kind, text, data FROM incident_timeline WHERE incident_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3",
            incidentId, beforeId ?? long.MaxValue, limit);
        var entries = await Sql.ListAsync(command, MapEntry, cancellationToken).ConfigureAwait(false);
        return new TimelinePage(entries, entries.Count == limit ? entries[^1].Id : null);
    }

    public async Task<IReadOnlyList<IncidentTask>> ListTasksAsync(long incidentId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, $"SELECT {TaskColumns} FROM incident_tasks WHERE incident_id = $1 ORDER BY id", incidentId);
        return await Sql.ListAsync(command, MapTask, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IncidentTask?> GetTaskAsync(long incidentId, long taskId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, $"SELECT {TaskColumns} FROM incident_tasks WHERE incident_id = $1 AND id = $2", incidentId, taskId);
        return await Sql.SingleAsync(command, MapTask, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<IncidentTask>> AddTasksAsync(long incidentId, IEnumerable<TaskDraft> drafts, IncidentActor actor, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // Read inside the write transaction, so a role handed over meanwhile is either fully before or fully after.
        var roles = await RolesAsync(connection, transaction, incidentId, cancellationToken).ConfigureAwait(false);
        var created = new List<IncidentTask>();
        foreach (var draft in drafts)
        {
            long? owner = draft.OwnerId;
            if (draft.OwnerRole is not null)
            {
                owner = IncidentRoles.TryParse(draft.OwnerRole, out var role)
                    ? roles.Where(r => r.Role == role).OrderBy(r => r.AccountId).Select(r => (long?)r.AccountId).FirstOrDefault()
                    : null;
            }

            await using var insert = database.Command(
                connection,
                transaction,
                $"INSERT INTO incident_tasks (incident_id, title, owner_id, due_at, state, step_id, created_at, done_at, done_by, version) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, NULL, 1) RETURNING {TaskColumns}",
                incidentId, draft.Title, owner, Sql.Ms(draft.DueAt), (int)IncidentTaskState.Open, draft.StepId, Sql.Ms(at));
            var task = (await Sql.SingleAsync(insert, MapTask, cancellationToken).ConfigureAwait(false))!;
            created.Add(task);
            await AppendAsync(connection, transaction, incidentId, IncidentText.TaskCreated(task, draft.OwnerRole, actor, at), cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return created;
    }

    public async Task<IncidentTask?> UpdateTaskAsync(IncidentTask task, TimelineDraft? entry, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var update = database.Command(
            connection,
            transaction,
            $"UPDATE incident_tasks SET title = $3, owner_id = $4, due_at = $5, state = $6, done_at = $7, done_by = $8, version = version + 1 WHERE incident_id = $1 AND id = $2 AND version = $9 RETURNING {TaskColumns}",
            task.IncidentId, task.Id, task.Title, task.OwnerId, Sql.Ms(task.DueAt), (int)task.State, Sql.Ms(task.DoneAt), task.DoneBy, task.Version);
        if (await Sql.SingleAsync(update, MapTask, cancellationToken).ConfigureAwait(false) is not { } saved)
        {
            return null;
        }

        if (entry is not null)
        {
            await AppendAsync(connection, transaction, task.IncidentId, entry, cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return saved;
    }

    private async Task<Incident> InsertAsync(DbConnection connection, DbTransaction transaction, Incident incident, IReadOnlyList<TimelineDraft> entries, CancellationToken cancellationToken)
    {
        await using var insert = database.Command(
            connection,
            transaction,
            $"""
            INSERT INTO incidents (workspace_id, title, type, severity, status, topic_ids, platforms, alert_ids, declared_by_id, declared_by, declared_at, resolved_at, updated_at, version)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 1) RETURNING {Columns}
            """,
            incident.WorkspaceId, incident.Title, incident.Type, (int)incident.Severity, (int)incident.Status, AlertJson.Ids(incident.TopicIds), AlertJson.Texts(incident.Platforms),
            AlertJson.Ids(incident.AlertIds), incident.DeclaredBy.AccountId, incident.DeclaredBy.Name, Sql.Ms(incident.DeclaredAt), Sql.Ms(incident.ResolvedAt), Sql.Ms(incident.UpdatedAt));
        var created = (await Sql.SingleAsync(insert, Map, cancellationToken).ConfigureAwait(false))!;
        foreach (var entry in entries)
        {
            await AppendAsync(connection, transaction, created.Id, entry, cancellationToken).ConfigureAwait(false);
        }

        return created;
    }

    private async Task<Incident?> UpdateAsync(DbConnection connection, DbTransaction transaction, Incident incident, IReadOnlyList<TimelineDraft> entries, CancellationToken cancellationToken)
    {
        await using var update = database.Command(
            connection,
            transaction,
            $"""
            UPDATE incidents SET title = $3, type = $4, severity = $5, status = $6, topic_ids = $7, platforms = $8, alert_ids = $9, resolved_at = $10, updated_at = $11, version = version + 1
            WHERE workspace_id = $1 AND id = $2 AND version = $12 RETURNING {Columns}
            """,
            incident.WorkspaceId, incident.Id, incident.Title, incident.Type, (int)incident.Severity, (int)incident.Status, AlertJson.Ids(incident.TopicIds), AlertJson.Texts(incident.Platforms),
            AlertJson.Ids(incident.AlertIds), Sql.Ms(incident.ResolvedAt), Sql.Ms(incident.UpdatedAt), incident.Version);
        if (await Sql.SingleAsync(update, Map, cancellationToken).ConfigureAwait(false) is not { } saved)
        {
            return null;
        }

        foreach (var entry in entries)
        {
            await AppendAsync(connection, transaction, incident.Id, entry, cancellationToken).ConfigureAwait(false);
        }

        return saved;
    }

    private async Task<TimelineEntry> AppendAsync(DbConnection connection, DbTransaction? transaction, long incidentId, TimelineDraft entry, CancellationToken cancellationToken)
    {
        await using var insert = database.Command(
            connection,
            transaction,
            "INSERT INTO incident_timeline (incident_id, at, actor_id, actor_name, kind, text, data) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id, incident_id, at, actor_id, actor_name, kind, text, data",
            incidentId, Sql.Ms(entry.At), entry.Actor.AccountId, entry.Actor.Name, entry.Kind.ToString(), entry.Text, entry.Data);
        return (await Sql.SingleAsync(insert, MapEntry, cancellationToken).ConfigureAwait(false))!;
    }

    private async Task<List<IncidentRoleAssignment>> RolesAsync(DbConnection connection, DbTransaction? transaction, long incidentId, CancellationToken cancellationToken)
    {
        await using var command = database.Command(connection, transaction, "SELECT role, account_id, assigned_at FROM incident_roles WHERE incident_id = $1 ORDER BY role, account_id", incidentId);
        var rows = await Sql.ListAsync(command, r => (Role: r.GetString(0), AccountId: r.GetInt64(1), At: Sql.Time(r.GetInt64(2))), cancellationToken).ConfigureAwait(false);
        // A role name this version does not know (written by a newer one) is skipped rather than guessed at.
        return [.. rows.Where(r => IncidentRoles.TryParse(r.Role, out _)).Select(r => new IncidentRoleAssignment(IncidentRoles.TryParse(r.Role, out var role) ? role : default, r.AccountId, r.At)).OrderBy(r => r.Role).ThenBy(r => r.AccountId)];
    }

    private static Incident Map(DbDataReader r) => new()
    {
        Id = r.GetInt64(0),
        WorkspaceId = r.GetInt64(1),
        Title = r.GetString(2),
        Type = r.GetString(3),
        Severity = (IncidentSeverity)r.GetInt32(4),
        Status = (IncidentStatus)r.GetInt32(5),
        TopicIds = AlertJson.Ids(r.GetString(6)),
        Platforms = AlertJson.Texts(r.GetString(7)),
        AlertIds = AlertJson.Ids(r.GetString(8)),
        DeclaredBy = new IncidentActor(Sql.NullableLong(r, 9), r.GetString(10)),
        DeclaredAt = Sql.Time(r.GetInt64(11)),
        ResolvedAt = Sql.NullableTime(r, 12),
        UpdatedAt = Sql.Time(r.GetInt64(13)),
        Version = r.GetInt64(14),
    };

    private static TimelineEntry MapEntry(DbDataReader r) => new(
        r.GetInt64(0),
        r.GetInt64(1),
        Sql.Time(r.GetInt64(2)),
        new IncidentActor(Sql.NullableLong(r, 3), r.GetString(4)),
        Enum.TryParse<TimelineKind>(r.GetString(5), out var kind) ? kind : TimelineKind.Note,
        r.GetString(6),
        Sql.NullableText(r, 7));

    private static IncidentTask MapTask(DbDataReader r) => new()
    {
        Id = r.GetInt64(0),
        IncidentId = r.GetInt64(1),
        Title = r.GetString(2),
        OwnerId = Sql.NullableLong(r, 3),
        DueAt = Sql.NullableTime(r, 4),
        State = (IncidentTaskState)r.GetInt32(5),
        StepId = Sql.NullableText(r, 6),
        CreatedAt = Sql.Time(r.GetInt64(7)),
        DoneAt = Sql.NullableTime(r, 8),
        DoneBy = Sql.NullableText(r, 9),
        Version = r.GetInt64(10),
    };
}
