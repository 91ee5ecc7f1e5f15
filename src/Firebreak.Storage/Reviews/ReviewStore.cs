namespace Firebreak.Storage.Reviews;

using System.Data.Common;
using System.Text.Json;
using Firebreak.Core.Incidents.Review;
using Firebreak.Storage.Alerts;

/// <summary>
/// Post-incident review text, one row per incident, for both providers. A save is compare-and-set on the version inside
/// a transaction that writers take in turn, so two people editing one review never overwrite each other silently.
/// </summary>
public sealed class ReviewStore(PortableDatabase database) : IReviewStore
{
    private const long LockKey = 0x46425f524556; // "FB_REV"
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<ReviewText?> GetAsync(long incidentId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, "SELECT went_well, went_badly, action_items, playbook_changes, version, updated_by, updated_at FROM incident_reviews WHERE incident_id = $1", incidentId);
        return await Sql.SingleAsync(command, Map, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ReviewText?> SaveAsync(long workspaceId, long incidentId, ReviewText text, long expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (database.SerializeStatement(LockKey ^ incidentId) is { } serialize)
        {
            await using var lockCommand = database.Command(connection, transaction, serialize);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        long? stored;
        await using (var read = database.Command(connection, transaction, "SELECT version FROM incident_reviews WHERE incident_id = $1", incidentId))
        {
            var value = await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            stored = value is null or DBNull ? null : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
        }

        if ((stored ?? 0) != expectedVersion)
        {
            return null;
        }

        var version = expectedVersion + 1;
        var at = (text.UpdatedAt ?? DateTimeOffset.UnixEpoch).ToUnixTimeMilliseconds();
        var items = JsonSerializer.Serialize(text.ActionItems, Json);
        var changes = JsonSerializer.Serialize(text.PlaybookChanges, Json);
        var sql = stored is null
            ? "INSERT INTO incident_reviews (incident_id, workspace_id, went_well, went_badly, action_items, playbook_changes, version, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
            : "UPDATE incident_reviews SET workspace_id = $2, went_well = $3, went_badly = $4, action_items = $5, playbook_changes = $6, version = $7, updated_by = $8, updated_at = $9 WHERE incident_id = $1";
        await using (var write = database.Command(connection, transaction, sql, incidentId, workspaceId, text.WentWell, text.WentBadly, items, changes, version, text.UpdatedBy ?? string.Empty, at))
        {
            await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return text with { Version = version, UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(at) };
    }

    private static ReviewText Map(DbDataReader r) => new()
    {
        WentWell = r.GetString(0),
        WentBadly = r.GetString(1),
        ActionItems = JsonSerializer.Deserialize<List<ReviewActionItem>>(r.GetString(2), Json) ?? [],
        PlaybookChanges = JsonSerializer.Deserialize<List<ReviewPlaybookChange>>(r.GetString(3), Json) ?? [],
        Version = r.GetInt64(4),
        UpdatedBy = r.GetString(5),
        UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(6)),
    };
}
