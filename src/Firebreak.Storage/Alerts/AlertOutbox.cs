namespace Firebreak.Storage.Alerts;

using System.Data.Common;
using Firebreak.Core.Alerts;

/// <summary>The delivery queue and dead-letter list (see <see cref="PortableDatabase"/> for why one class serves both providers).</summary>
public sealed class AlertOutbox(PortableDatabase database) : IAlertOutbox
{
    private const string Columns = """
        id, workspace_id, alert_id, channel, target_id, recipient, recipient_name, notification, state, attempts, next_attempt_at, last_error,
        created_at, updated_at, delivered_at
        """;

    public async Task<IReadOnlyList<AlertDelivery>> ClaimDueAsync(DateTimeOffset now, int limit, TimeSpan claimFor, CancellationToken cancellationToken)
    {
        // The outer conditions repeat the inner ones: a row another claimer took meanwhile is re-checked after its
        // lock (PostgreSQL) and skipped, so two claimers never get the same delivery.
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null,
            $"""
            UPDATE alert_deliveries SET claimed_until = $1
            WHERE id IN (SELECT id FROM alert_deliveries WHERE state = $2 AND next_attempt_at <= $3 AND (claimed_until IS NULL OR claimed_until <= $3)
                         ORDER BY next_attempt_at, id LIMIT $4)
              AND state = $2 AND (claimed_until IS NULL OR claimed_until <= $3)
            RETURNING {Columns}
            """,
            Sql.Ms(now + claimFor), (int)DeliveryState.Pending, Sql.Ms(now), (long)limit);
        var claimed = await Sql.ListAsync(command, Map, cancellationToken).ConfigureAwait(false);
        return [.. claimed.OrderBy(d => d.NextAttemptAt).ThenBy(d => d.Id)];
    }

    public Task CompleteAsync(AlertDelivery delivery, DateTimeOffset at, AlertEventDraft notified, CancellationToken cancellationToken) =>
        UpdateAsync(delivery, notified, cancellationToken,
            "UPDATE alert_deliveries SET state = $2, attempts = attempts + 1, delivered_at = $3, updated_at = $3, claimed_until = NULL, last_error = NULL WHERE id = $1",
            delivery.Id, (int)DeliveryState.Delivered, Sql.Ms(at));

    public Task RescheduleAsync(AlertDelivery delivery, DateTimeOffset nextAttemptAt, string error, DateTimeOffset at, CancellationToken cancellationToken) =>
        UpdateAsync(delivery, null, cancellationToken,
            "UPDATE alert_deliveries SET attempts = attempts + 1, next_attempt_at = $2, last_error = $3, updated_at = $4, claimed_until = NULL WHERE id = $1",
            delivery.Id, Sql.Ms(nextAttemptAt), error, Sql.Ms(at));

    public Task DeadLetterAsync(AlertDelivery delivery, string error, DateTimeOffset at, AlertEventDraft failed, CancellationToken cancellationToken) =>
        UpdateAsync(delivery, failed, cancellationToken,
            "UPDATE alert_deliveries SET state = $2, attempts = attempts + 1, last_error = $3, updated_at = $4, claimed_until = NULL WHERE id = $1",
            delivery.Id, (int)DeliveryState.Dead, error, Sql.Ms(at));

    public async Task<IReadOnlyList<AlertDelivery>> ListDeadAsync(long workspaceId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, $"SELECT {Columns} FROM alert_deliveries WHERE workspace_id = $1 AND state = $2 ORDER BY id DESC LIMIT $3",
            workspaceId, (int)DeliveryState.Dead, (long)limit);
        return await Sql.ListAsync(command, Map, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<AlertDelivery>> ListForAlertAsync(long workspaceId, long alertId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, $"SELECT {Columns} FROM alert_deliveries WHERE workspace_id = $1 AND alert_id = $2 ORDER BY id", workspaceId, alertId);
        return await Sql.ListAsync(command, Map, cancellationToken).ConfigureAwait(false);
    }

    public async Task<AlertDelivery?> RetryDeadAsync(long workspaceId, long id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null,
            $"UPDATE alert_deliveries SET state = $3, attempts = 0, next_attempt_at = $4, updated_at = $4, claimed_until = NULL WHERE workspace_id = $1 AND id = $2 AND state = $5 RETURNING {Columns}",
            workspaceId, id, (int)DeliveryState.Pending, Sql.Ms(now), (int)DeliveryState.Dead);
        return await Sql.SingleAsync(command, Map, cancellationToken).ConfigureAwait(false);
    }

    private async Task UpdateAsync(AlertDelivery delivery, AlertEventDraft? entry, CancellationToken cancellationToken, string sql, params object?[] args)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var update = database.Command(connection, transaction, sql, args))
        {
            await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        if (entry is not null)
        {
            await AlertStore.AddEventAsync(database, connection, transaction, delivery.WorkspaceId, delivery.AlertId, entry, cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static AlertDelivery Map(DbDataReader r) => new(
        r.GetInt64(0),
        r.GetInt64(1),
        r.GetInt64(2),
        (ChannelKind)r.GetInt32(3),
        Sql.NullableLong(r, 4),
        Sql.NullableText(r, 5),
        Sql.NullableText(r, 6),
        AlertJson.Notification(r.GetString(7)),
        (DeliveryState)r.GetInt32(8),
        r.GetInt32(9),
        Sql.Time(r.GetInt64(10)),
        Sql.NullableText(r, 11),
        Sql.Time(r.GetInt64(12)),
        Sql.Time(r.GetInt64(13)),
        Sql.NullableTime(r, 14));
}
