namespace Firebreak.Storage.Wellbeing;

using System.Data.Common;
using Firebreak.Core.Mentions;
using Firebreak.Core.Wellbeing;
using Firebreak.Storage.Alerts;

/// <summary>
/// Exposure counters, budgets and muted authors, written once for both providers (see <see cref="PortableDatabase"/>).
/// Days are <see cref="DateOnly.DayNumber"/> (UTC); counters only ever grow, by an upsert, so two tabs of the same
/// person never lose each other's counts.
/// </summary>
public sealed class WellbeingStore(PortableDatabase database) : IWellbeingStore
{
    public async Task AddExposureAsync(long accountId, long workspaceId, DateOnly day, int hostileSeen, int activeSeconds, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(
            connection,
            null,
            """
            INSERT INTO exposure_days (account_id, workspace_id, day, hostile_seen, active_seconds) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (account_id, workspace_id, day) DO UPDATE
            SET hostile_seen = exposure_days.hostile_seen + excluded.hostile_seen, active_seconds = exposure_days.active_seconds + excluded.active_seconds
            """,
            accountId, workspaceId, day.DayNumber, hostileSeen, activeSeconds);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<ExposureDay> GetDayAsync(long accountId, long workspaceId, DateOnly day, CancellationToken cancellationToken) =>
        await SingleAsync(
            "SELECT account_id, workspace_id, day, hostile_seen, active_seconds FROM exposure_days WHERE account_id = $1 AND workspace_id = $2 AND day = $3",
            MapDay, cancellationToken, accountId, workspaceId, day.DayNumber).ConfigureAwait(false)
        ?? new ExposureDay(accountId, workspaceId, day, 0, 0);

    public Task<IReadOnlyList<ExposureDay>> HistoryAsync(long accountId, long workspaceId, int days, DateOnly today, CancellationToken cancellationToken) =>
        ListAsync(
            "SELECT account_id, workspace_id, day, hostile_seen, active_seconds FROM exposure_days WHERE account_id = $1 AND workspace_id = $2 AND day > $3 AND day <= $4 ORDER BY day DESC",
            MapDay, cancellationToken, accountId, workspaceId, today.DayNumber - days, today.DayNumber);

    public Task<IReadOnlyList<ExposureDay>> TeamDayAsync(long workspaceId, DateOnly day, CancellationToken cancellationToken) =>
        ListAsync(
            "SELECT account_id, workspace_id, day, hostile_seen, active_seconds FROM exposure_days WHERE workspace_id = $1 AND day = $2 ORDER BY account_id",
            MapDay, cancellationToken, workspaceId, day.DayNumber);

    public async Task<ExposureBudget> GetBudgetAsync(long workspaceId, CancellationToken cancellationToken) =>
        await SingleAsync(
            "SELECT hostile_items, minutes FROM exposure_budgets WHERE workspace_id = $1",
            r => new ExposureBudget(r.GetInt32(0), r.GetInt32(1)), cancellationToken, workspaceId).ConfigureAwait(false)
        ?? new ExposureBudget();

    public async Task SetBudgetAsync(long workspaceId, ExposureBudget budget, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(
            connection,
            null,
            "INSERT INTO exposure_budgets (workspace_id, hostile_items, minutes) VALUES ($1, $2, $3) ON CONFLICT (workspace_id) DO UPDATE SET hostile_items = excluded.hostile_items, minutes = excluded.minutes",
            workspaceId, budget.HostileItems, budget.Minutes);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<MutedAuthor>> ListMutedAsync(long workspaceId, CancellationToken cancellationToken) =>
        ListAsync(
            "SELECT workspace_id, platform, handle, muted_by, muted_at FROM muted_authors WHERE workspace_id = $1 ORDER BY muted_at DESC, handle",
            r => new MutedAuthor(
                r.GetInt64(0),
                EnumNames.TryParsePlatform(r.GetString(1), out var platform) ? platform : Platform.Other,
                r.GetString(2),
                r.IsDBNull(3) ? null : r.GetString(3),
                DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(4))),
            cancellationToken,
            workspaceId);

    public async Task<bool> MuteAsync(MutedAuthor author, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(
            connection,
            null,
            "INSERT INTO muted_authors (workspace_id, platform, handle, muted_by, muted_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (workspace_id, platform, handle) DO NOTHING",
            author.WorkspaceId, author.Platform.ToWire(), author.Handle, author.MutedBy, author.MutedAt.ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    public async Task<bool> UnmuteAsync(long workspaceId, Platform platform, string handle, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, "DELETE FROM muted_authors WHERE workspace_id = $1 AND platform = $2 AND handle = $3", workspaceId, platform.ToWire(), handle);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    private static ExposureDay MapDay(DbDataReader r) =>
        new(r.GetInt64(0), r.GetInt64(1), DateOnly.FromDayNumber(r.GetInt32(2)), r.GetInt32(3), r.GetInt32(4));

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
}
