namespace Firebreak.Storage.Alerts;

using System.Data.Common;
using System.Text;
using Firebreak.Core.Alerts;
using Firebreak.Core.Detection;

/// <summary>Alerts and their history (see <see cref="PortableDatabase"/> for why one class serves both providers).</summary>
public sealed class AlertStore(PortableDatabase database) : IAlertStore
{
    private const string Columns = "id, " + DataColumns;

    private const string DataColumns = """
        workspace_id, topic_id, signal, dimension, state, severity, peak_score, peak_observed, peak_expected, last_observed,
        detection_count, explanation, top_terms, sample_mention_ids, opened_at, last_seen_at, first_bucket, last_bucket,
        acknowledged_at, acknowledged_by, resolved_at, resolved_by, resolve_reason, snoozed_until, severity_at_snooze,
        escalation_level, escalation_from, rule_ids, notified, incident_id, promoted_at, promoted_by, version
        """;

    private const string EventColumns = "id, alert_id, at, kind, actor, detail, severity, channel, recipient";

    public async Task<Alert?> FindActiveAsync(long workspaceId, long topicId, DetectionSignal signal, string dimension, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null,
            $"SELECT {Columns} FROM alerts WHERE workspace_id = $1 AND topic_id = $2 AND signal = $3 AND dimension = $4 AND state <> $5",
            workspaceId, topicId, (int)signal, dimension, (int)AlertState.Resolved);
        return await Sql.SingleAsync(command, Map, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Alert?> GetAsync(long workspaceId, long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, $"SELECT {Columns} FROM alerts WHERE workspace_id = $1 AND id = $2", workspaceId, id);
        return await Sql.SingleAsync(command, Map, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Alert>> ListAsync(long workspaceId, AlertFilter filter, CancellationToken cancellationToken)
    {
        var args = new List<object?> { workspaceId };
        var sql = new StringBuilder($"SELECT {Columns} FROM alerts WHERE workspace_id = $1");
        if (filter.States is { Count: > 0 } states)
        {
            sql.Append(" AND state IN (").AppendJoin(", ", states.Select(s => Next(args, (int)s))).Append(')');
        }

        if (filter.TopicId is { } topic)
        {
            sql.Append(" AND topic_id = ").Append(Next(args, topic));
        }

        if (filter.MinSeverity is { } severity)
        {
            sql.Append(" AND severity >= ").Append(Next(args, (int)severity));
        }

        if (filter.Signal is { } signal)
        {
            sql.Append(" AND signal = ").Append(Next(args, (int)signal));
        }

        if (filter.BeforeId is { } before)
        {
            sql.Append(" AND id < ").Append(Next(args, before));
        }

        sql.Append(" ORDER BY id DESC LIMIT ").Append(Next(args, (long)filter.Limit));
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, sql.ToString(), [.. args]);
        return await Sql.ListAsync(command, Map, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Alert>> ListActiveAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, $"SELECT {Columns} FROM alerts WHERE state <> $1 ORDER BY id LIMIT $2", (int)AlertState.Resolved, (long)limit);
        return await Sql.ListAsync(command, Map, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Alert?> SaveAsync(AlertChange change, CancellationToken cancellationToken)
    {
        var alert = change.Alert;
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        long id;
        var version = alert.Version + 1;
        if (alert.Id == 0)
        {
            // The partial unique index on active episodes refuses a second open alert for the same key: the
            // caller lost a race and reloads.
            await using var insert = database.Command(connection, transaction,
                $"""
                INSERT INTO alerts ({DataColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
                    $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33)
                ON CONFLICT DO NOTHING RETURNING id
                """,
                [.. Values(alert), version]);
            if (await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not { } newId)
            {
                return null;
            }

            id = Convert.ToInt64(newId, System.Globalization.CultureInfo.InvariantCulture);
        }
        else
        {
            await using var update = database.Command(connection, transaction,
                """
                UPDATE alerts SET workspace_id = $1, topic_id = $2, signal = $3, dimension = $4, state = $5, severity = $6, peak_score = $7,
                    peak_observed = $8, peak_expected = $9, last_observed = $10, detection_count = $11, explanation = $12, top_terms = $13,
                    sample_mention_ids = $14, opened_at = $15, last_seen_at = $16, first_bucket = $17, last_bucket = $18, acknowledged_at = $19,
                    acknowledged_by = $20, resolved_at = $21, resolved_by = $22, resolve_reason = $23, snoozed_until = $24, severity_at_snooze = $25,
                    escalation_level = $26, escalation_from = $27, rule_ids = $28, notified = $29, incident_id = $30, promoted_at = $31,
                    promoted_by = $32, version = $33
                WHERE id = $34 AND version = $35
                """,
                [.. Values(alert), version, alert.Id, alert.Version]);
            if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                return null;
            }

            id = alert.Id;
        }

        foreach (var entry in change.Events)
        {
            await AddEventAsync(database, connection, transaction, alert.WorkspaceId, id, entry, cancellationToken).ConfigureAwait(false);
        }

        foreach (var delivery in change.Deliveries)
        {
            await using var enqueue = database.Command(connection, transaction,
                """
                INSERT INTO alert_deliveries (workspace_id, alert_id, channel, target_id, recipient, recipient_name, notification, state, attempts, next_attempt_at,
                    claimed_until, last_error, created_at, updated_at, delivered_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9, NULL, NULL, $9, $9, NULL)
                """,
                alert.WorkspaceId, id, (int)delivery.Channel, delivery.TargetId, delivery.Recipient, delivery.RecipientName,
                AlertJson.Notification(delivery.Notification with { AlertId = id, Sequence = version }), (int)DeliveryState.Pending, Sql.Ms(delivery.Notification.At));
            await enqueue.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return Stored(alert) with { Id = id, Version = version };
    }

    public async Task<IReadOnlyList<AlertEvent>> ListEventsAsync(long workspaceId, long alertId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, $"SELECT {EventColumns} FROM alert_events WHERE workspace_id = $1 AND alert_id = $2 ORDER BY id", workspaceId, alertId);
        return await Sql.ListAsync(command, MapEvent, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Appends a history entry inside the caller's transaction (the outbox records delivery outcomes with it too).</summary>
    internal static async Task AddEventAsync(PortableDatabase database, DbConnection connection, DbTransaction transaction, long workspaceId, long alertId, AlertEventDraft entry, CancellationToken cancellationToken)
    {
        await using var command = database.Command(connection, transaction,
            "INSERT INTO alert_events (alert_id, workspace_id, at, kind, actor, detail, severity, channel, recipient) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            alertId, workspaceId, Sql.Ms(entry.At), (int)entry.Kind, entry.Actor, entry.Detail, (int)entry.Severity, (int?)entry.Channel, entry.Recipient);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string Next(List<object?> args, object value)
    {
        args.Add(value);
        return "$" + args.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static object?[] Values(Alert a) =>
    [
        a.WorkspaceId, a.TopicId, (int)a.Signal, a.Dimension, (int)a.State, (int)a.Severity, a.PeakScore, a.PeakObserved, a.PeakExpected, a.LastObserved,
        a.DetectionCount, a.Explanation, AlertJson.Texts(a.TopTerms), AlertJson.Ids(a.SampleMentionIds), Sql.Ms(a.OpenedAt), Sql.Ms(a.LastSeenAt),
        Sql.Ms(a.FirstBucketStart), Sql.Ms(a.LastBucketStart), Sql.Ms(a.AcknowledgedAt), a.AcknowledgedBy, Sql.Ms(a.ResolvedAt), a.ResolvedBy, a.ResolveReason,
        Sql.Ms(a.SnoozedUntil), (int?)a.SeverityAtSnooze, a.EscalationLevel, Sql.Ms(a.EscalationFrom), AlertJson.Ids(a.RuleIds), AlertJson.Notified(a.Notified),
        a.IncidentId, Sql.Ms(a.PromotedAt), a.PromotedBy,
    ];

    /// <summary>The alert as reading it back would give it (times to the millisecond).</summary>
    private static Alert Stored(Alert a) => a with
    {
        OpenedAt = Sql.Stored(a.OpenedAt),
        LastSeenAt = Sql.Stored(a.LastSeenAt),
        FirstBucketStart = Sql.Stored(a.FirstBucketStart),
        LastBucketStart = Sql.Stored(a.LastBucketStart),
        AcknowledgedAt = a.AcknowledgedAt is { } acknowledged ? Sql.Stored(acknowledged) : null,
        ResolvedAt = a.ResolvedAt is { } resolved ? Sql.Stored(resolved) : null,
        SnoozedUntil = a.SnoozedUntil is { } snoozed ? Sql.Stored(snoozed) : null,
        EscalationFrom = Sql.Stored(a.EscalationFrom),
        PromotedAt = a.PromotedAt is { } promoted ? Sql.Stored(promoted) : null,
    };

    private static Alert Map(DbDataReader r)
    {
        var i = 0;
        return new Alert
        {
            Id = r.GetInt64(i++),
            WorkspaceId = r.GetInt64(i++),
            TopicId = r.GetInt64(i++),
            Signal = (DetectionSignal)r.GetInt32(i++),
            Dimension = r.GetString(i++),
            State = (AlertState)r.GetInt32(i++),
            Severity = (DetectionSeverity)r.GetInt32(i++),
            PeakScore = r.GetDouble(i++),
            PeakObserved = r.GetDouble(i++),
            PeakExpected = r.GetDouble(i++),
            LastObserved = r.GetDouble(i++),
            DetectionCount = r.GetInt32(i++),
            Explanation = r.GetString(i++),
            TopTerms = AlertJson.Texts(r.GetString(i++)),
            SampleMentionIds = AlertJson.Ids(r.GetString(i++)),
            OpenedAt = Sql.Time(r.GetInt64(i++)),
            LastSeenAt = Sql.Time(r.GetInt64(i++)),
            FirstBucketStart = Sql.Time(r.GetInt64(i++)),
            LastBucketStart = Sql.Time(r.GetInt64(i++)),
            AcknowledgedAt = Sql.NullableTime(r, i++),
            AcknowledgedBy = Sql.NullableText(r, i++),
            ResolvedAt = Sql.NullableTime(r, i++),
            ResolvedBy = Sql.NullableText(r, i++),
            ResolveReason = Sql.NullableText(r, i++),
            SnoozedUntil = Sql.NullableTime(r, i++),
            SeverityAtSnooze = (DetectionSeverity?)Sql.NullableInt(r, i++),
            EscalationLevel = r.GetInt32(i++),
            EscalationFrom = Sql.Time(r.GetInt64(i++)),
            RuleIds = AlertJson.Ids(r.GetString(i++)),
            Notified = AlertJson.Notified(r.GetString(i++)),
            IncidentId = Sql.NullableText(r, i++),
            PromotedAt = Sql.NullableTime(r, i++),
            PromotedBy = Sql.NullableText(r, i++),
            Version = r.GetInt64(i),
        };
    }

    private static AlertEvent MapEvent(DbDataReader r) => new(
        r.GetInt64(0), r.GetInt64(1), Sql.Time(r.GetInt64(2)), (AlertEventKind)r.GetInt32(3), Sql.NullableText(r, 4), r.GetString(5),
        (DetectionSeverity)r.GetInt32(6), (ChannelKind?)Sql.NullableInt(r, 7), Sql.NullableText(r, 8));
}
