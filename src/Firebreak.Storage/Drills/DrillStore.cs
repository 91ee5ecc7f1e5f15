namespace Firebreak.Storage.Drills;

using System.Data.Common;
using System.Text.Json;
using Firebreak.Core.Drills;
using Firebreak.Storage.Alerts;

/// <summary>Drills for both providers. The sandbox id is unique, so "is this workspace a sandbox?" is one indexed lookup.</summary>
public sealed class DrillStore(PortableDatabase database) : IDrillStore
{
    private const long LockKey = 0x46425f44524c; // "FB_DRL"
    private const string Columns = "id, workspace_id, sandbox_id, number, playbook_key, scenario, speed, rate_per_minute, minutes, state, started_at, burst_at, stream_ends_at, ended_at, started_by_id, started_by, injects, score";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<Drill> AddAsync(Drill drill, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(drill);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (database.SerializeStatement(LockKey ^ drill.WorkspaceId) is { } serialize)
        {
            await using var lockCommand = database.Command(connection, transaction, serialize);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        int number;
        await using (var next = database.Command(connection, transaction, "SELECT COALESCE(MAX(number), 0) + 1 FROM drills WHERE workspace_id = $1", drill.WorkspaceId))
        {
            number = Math.Max(drill.Number, Convert.ToInt32(await next.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture));
        }

        Drill saved;
        await using (var insert = database.Command(
            connection,
            transaction,
            $"""
            INSERT INTO drills (workspace_id, sandbox_id, number, playbook_key, scenario, speed, rate_per_minute, minutes, state, started_at, burst_at, stream_ends_at, ended_at, started_by_id, started_by, injects, score)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING {Columns}
            """,
            drill.WorkspaceId, drill.SandboxId, number, drill.PlaybookKey, drill.Scenario, drill.Speed, drill.RatePerMinute, drill.Minutes, (int)drill.State,
            Sql.Ms(drill.StartedAt), Sql.Ms(drill.BurstAt), Sql.Ms(drill.StreamEndsAt), Sql.Ms(drill.EndedAt), drill.StartedById, drill.StartedBy,
            JsonSerializer.Serialize(drill.Injects, Json), drill.Score is null ? null : JsonSerializer.Serialize(drill.Score, Json)))
        {
            saved = (await Sql.SingleAsync(insert, Map, cancellationToken).ConfigureAwait(false))!;
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return saved;
    }

    public async Task<int> NextNumberAsync(long workspaceId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, "SELECT COALESCE(MAX(number), 0) + 1 FROM drills WHERE workspace_id = $1", workspaceId);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    public Task<Drill?> GetAsync(long workspaceId, long id, CancellationToken cancellationToken) =>
        SingleAsync($"SELECT {Columns} FROM drills WHERE workspace_id = $1 AND id = $2", cancellationToken, workspaceId, id);

    public Task<Drill?> GetByIdAsync(long id, CancellationToken cancellationToken) =>
        SingleAsync($"SELECT {Columns} FROM drills WHERE id = $1", cancellationToken, id);

    public Task<Drill?> FindBySandboxAsync(long sandboxId, CancellationToken cancellationToken) =>
        SingleAsync($"SELECT {Columns} FROM drills WHERE sandbox_id = $1", cancellationToken, sandboxId);

    public async Task<IReadOnlyList<Drill>> ListAsync(long workspaceId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, $"SELECT {Columns} FROM drills WHERE workspace_id = $1 ORDER BY id DESC LIMIT $2", workspaceId, limit);
        return await Sql.ListAsync(command, Map, cancellationToken).ConfigureAwait(false);
    }

    public async Task SetScheduleAsync(long id, DateTimeOffset startedAt, DateTimeOffset burstAt, DateTimeOffset streamEndsAt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, "UPDATE drills SET started_at = $2, burst_at = $3, stream_ends_at = $4 WHERE id = $1", id, Sql.Ms(startedAt), Sql.Ms(burstAt), Sql.Ms(streamEndsAt));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task SetInjectsAsync(long id, IReadOnlyList<FiredInject> injects, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, "UPDATE drills SET injects = $2 WHERE id = $1", id, JsonSerializer.Serialize(injects, Json));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> EndAsync(long id, DateTimeOffset at, DrillScore score, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        // Guarded on the state, so of two people ending one drill at once exactly one writes the score.
        await using var command = database.Command(connection, null, "UPDATE drills SET state = $2, ended_at = $3, score = $4 WHERE id = $1 AND state = $5",
            id, (int)DrillState.Ended, Sql.Ms(at), JsonSerializer.Serialize(score, Json), (int)DrillState.Running);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    private async Task<Drill?> SingleAsync(string sql, CancellationToken cancellationToken, params object?[] args)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, sql, args);
        return await Sql.SingleAsync(command, Map, cancellationToken).ConfigureAwait(false);
    }

    private static Drill Map(DbDataReader r) => new(
        r.GetInt64(0),
        r.GetInt64(1),
        r.GetInt64(2),
        r.GetInt32(3),
        r.GetString(4),
        r.GetString(5),
        r.GetDouble(6),
        r.GetDouble(7),
        r.GetInt32(8),
        (DrillState)r.GetInt32(9),
        Sql.Time(r.GetInt64(10)),
        Sql.Time(r.GetInt64(11)),
        Sql.Time(r.GetInt64(12)),
        Sql.NullableTime(r, 13),
        Sql.NullableLong(r, 14),
        r.GetString(15),
        JsonSerializer.Deserialize<List<FiredInject>>(r.GetString(16), Json) ?? [],
        r.IsDBNull(17) ? null : JsonSerializer.Deserialize<DrillScore>(r.GetString(17), Json));
}
