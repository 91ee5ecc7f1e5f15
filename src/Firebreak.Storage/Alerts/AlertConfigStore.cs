namespace Firebreak.Storage.Alerts;

using System.Data.Common;
using Firebreak.Core.Alerts;
using Firebreak.Core.Detection;

/// <summary>Contacts, channel targets and rules (see <see cref="PortableDatabase"/> for why one class serves both providers).</summary>
public sealed class AlertConfigStore(PortableDatabase database, TimeProvider clock) : IAlertConfigStore
{
    private const string ContactColumns = "id, workspace_id, name, email, on_call_order, quiet_start, quiet_end, quiet_time_zone, enabled, created_at, updated_at";
    private const string ChannelColumns = "id, workspace_id, kind, name, settings, secret, enabled, created_at, updated_at";
    private const string RuleColumns = "id, workspace_id, topic_id, name, signals, min_severity, on_call, contact_ids, emails, in_app, channel_ids, escalate_after_ms, enabled, created_at, updated_at";

    public Task<IReadOnlyList<AlertContact>> ListContactsAsync(long workspaceId, CancellationToken cancellationToken) =>
        ListAsync($"SELECT {ContactColumns} FROM alert_contacts WHERE workspace_id = $1 ORDER BY id", MapContact, cancellationToken, workspaceId);

    public Task<AlertContact?> GetContactAsync(long workspaceId, long id, CancellationToken cancellationToken) =>
        SingleAsync($"SELECT {ContactColumns} FROM alert_contacts WHERE workspace_id = $1 AND id = $2", MapContact, cancellationToken, workspaceId, id);

    public async Task<AlertContact> AddContactAsync(AlertContact contact, CancellationToken cancellationToken) =>
        (await SingleAsync(
            $"""
            INSERT INTO alert_contacts (workspace_id, name, email, on_call_order, quiet_start, quiet_end, quiet_time_zone, enabled, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING {ContactColumns}
            """,
            MapContact, cancellationToken, [contact.WorkspaceId, .. ContactValues(contact), Now()]).ConfigureAwait(false))!;

    public Task<AlertContact?> UpdateContactAsync(AlertContact contact, CancellationToken cancellationToken) =>
        SingleAsync(
            $"""
            UPDATE alert_contacts SET name = $3, email = $4, on_call_order = $5, quiet_start = $6, quiet_end = $7, quiet_time_zone = $8, enabled = $9, updated_at = $10
            WHERE workspace_id = $1 AND id = $2 RETURNING {ContactColumns}
            """,
            MapContact, cancellationToken, [contact.WorkspaceId, contact.Id, .. ContactValues(contact), Now()]);

    public Task<bool> DeleteContactAsync(long workspaceId, long id, CancellationToken cancellationToken) =>
        DeleteAsync("alert_contacts", workspaceId, id, cancellationToken);

    public Task<IReadOnlyList<ChannelTarget>> ListChannelsAsync(long workspaceId, CancellationToken cancellationToken) =>
        ListAsync($"SELECT {ChannelColumns} FROM alert_channels WHERE workspace_id = $1 ORDER BY id", MapChannel, cancellationToken, workspaceId);

    public Task<ChannelTarget?> GetChannelAsync(long workspaceId, long id, CancellationToken cancellationToken) =>
        SingleAsync($"SELECT {ChannelColumns} FROM alert_channels WHERE workspace_id = $1 AND id = $2", MapChannel, cancellationToken, workspaceId, id);

    public async Task<ChannelTarget> AddChannelAsync(ChannelTarget target, CancellationToken cancellationToken) =>
        (await SingleAsync(
            $"""
            INSERT INTO alert_channels (workspace_id, kind, name, settings, secret, enabled, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING {ChannelColumns}
            """,
            MapChannel, cancellationToken, target.WorkspaceId, (int)target.Kind, target.Name, AlertJson.Settings(target.Settings), target.Secret, target.Enabled, Now()).ConfigureAwait(false))!;

    public Task<ChannelTarget?> UpdateChannelAsync(ChannelTarget target, CancellationToken cancellationToken) =>
        // The kind never changes (a secret means something else for each kind); a null secret keeps the stored one.
        SingleAsync(
            $"""
            UPDATE alert_channels SET name = $3, settings = $4, secret = COALESCE($5, secret), enabled = $6, updated_at = $7
            WHERE workspace_id = $1 AND id = $2 RETURNING {ChannelColumns}
            """,
            MapChannel, cancellationToken, target.WorkspaceId, target.Id, target.Name, AlertJson.Settings(target.Settings), target.Secret, target.Enabled, Now());

    public Task<bool> DeleteChannelAsync(long workspaceId, long id, CancellationToken cancellationToken) =>
        DeleteAsync("alert_channels", workspaceId, id, cancellationToken);

    public Task<IReadOnlyList<AlertRule>> ListRulesAsync(long workspaceId, CancellationToken cancellationToken) =>
        ListAsync($"SELECT {RuleColumns} FROM alert_rules WHERE workspace_id = $1 ORDER BY id", MapRule, cancellationToken, workspaceId);

    public Task<AlertRule?> GetRuleAsync(long workspaceId, long id, CancellationToken cancellationToken) =>
        SingleAsync($"SELECT {RuleColumns} FROM alert_rules WHERE workspace_id = $1 AND id = $2", MapRule, cancellationToken, workspaceId, id);

    public async Task<AlertRule> AddRuleAsync(AlertRule rule, CancellationToken cancellationToken) =>
        (await SingleAsync(
            $"""
            INSERT INTO alert_rules (workspace_id, topic_id, name, signals, min_severity, on_call, contact_ids, emails, in_app, channel_ids, escalate_after_ms, enabled, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING {RuleColumns}
            """,
            MapRule, cancellationToken, [rule.WorkspaceId, .. RuleValues(rule), Now()]).ConfigureAwait(false))!;

    public Task<AlertRule?> UpdateRuleAsync(AlertRule rule, CancellationToken cancellationToken) =>
        SingleAsync(
            $"""
            UPDATE alert_rules SET topic_id = $3, name = $4, signals = $5, min_severity = $6, on_call = $7, contact_ids = $8, emails = $9, in_app = $10,
                channel_ids = $11, escalate_after_ms = $12, enabled = $13, updated_at = $14
            WHERE workspace_id = $1 AND id = $2 RETURNING {RuleColumns}
            """,
            MapRule, cancellationToken, [rule.WorkspaceId, rule.Id, .. RuleValues(rule), Now()]);

    public Task<bool> DeleteRuleAsync(long workspaceId, long id, CancellationToken cancellationToken) =>
        DeleteAsync("alert_rules", workspaceId, id, cancellationToken);

    private static object?[] ContactValues(AlertContact c) =>
    [
        c.Name, c.Email, c.OnCallOrder, (int?)c.QuietHours?.Start.ToTimeSpan().TotalMinutes, (int?)c.QuietHours?.End.ToTimeSpan().TotalMinutes,
        c.QuietHours?.TimeZone, c.Enabled,
    ];

    private static object?[] RuleValues(AlertRule r) =>
    [
        r.TopicId, r.Name, AlertJson.Signals(r.Signals), (int)r.MinSeverity, r.OnCall, AlertJson.Ids(r.ContactIds), AlertJson.Texts(r.Emails), r.InApp,
        AlertJson.Ids(r.ChannelIds), (long)r.EscalateAfter.TotalMilliseconds, r.Enabled,
    ];

    private static AlertContact MapContact(DbDataReader r) => new(
        r.GetInt64(0),
        r.GetInt64(1),
        r.GetString(2),
        Sql.NullableText(r, 3),
        Sql.NullableInt(r, 4),
        r.IsDBNull(5) ? null : new QuietHours(TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(r.GetInt32(5))), TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(r.GetInt32(6))), r.GetString(7)),
        r.GetBoolean(8),
        Sql.Time(r.GetInt64(9)),
        Sql.Time(r.GetInt64(10)));

    private static ChannelTarget MapChannel(DbDataReader r) => new(
        r.GetInt64(0), r.GetInt64(1), (ChannelKind)r.GetInt32(2), r.GetString(3), AlertJson.Settings(r.GetString(4)), Sql.NullableText(r, 5), r.GetBoolean(6),
        Sql.Time(r.GetInt64(7)), Sql.Time(r.GetInt64(8)));

    private static AlertRule MapRule(DbDataReader r) => new(
        r.GetInt64(0),
        r.GetInt64(1),
        Sql.NullableLong(r, 2),
        r.GetString(3),
        AlertJson.Signals(r.GetString(4)),
        (DetectionSeverity)r.GetInt32(5),
        r.GetBoolean(6),
        AlertJson.Ids(r.GetString(7)),
        AlertJson.Texts(r.GetString(8)),
        r.GetBoolean(9),
        AlertJson.Ids(r.GetString(10)),
        TimeSpan.FromMilliseconds(r.GetInt64(11)),
        r.GetBoolean(12));

    private long Now() => clock.GetUtcNow().ToUnixTimeMilliseconds();

    private async Task<IReadOnlyList<T>> ListAsync<T>(string sql, Func<DbDataReader, T> map, CancellationToken cancellationToken, params object?[] args)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, sql, args);
        return await Sql.ListAsync(command, map, cancellationToken).ConfigureAwait(false);
    }

    private async Task<T?> SingleAsync<T>(string sql, Func<DbDataReader, T> map, CancellationToken cancellationToken, params object?[] args)
        where T : class
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, sql, args);
        return await Sql.SingleAsync(command, map, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> DeleteAsync(string table, long workspaceId, long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, $"DELETE FROM {table} WHERE workspace_id = $1 AND id = $2", workspaceId, id);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }
}
