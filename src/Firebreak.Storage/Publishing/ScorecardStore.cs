namespace Firebreak.Storage.Publishing;

using System.Data.Common;
using Firebreak.Core.Mentions;
using Firebreak.Core.Publishing.Scorecards;
using Firebreak.Storage.Alerts;

/// <summary>The scorecards' goals and policy events, written once for both providers (see <see cref="PortableDatabase"/>).</summary>
public sealed class ScorecardStore(PortableDatabase database) : IScorecardStore
{
    public async Task<IReadOnlyList<ScorecardGoal>> GetGoalsAsync(long workspaceId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, "SELECT platform, metric, target FROM scorecard_goals WHERE workspace_id = $1 ORDER BY platform, metric", workspaceId);
        return await Sql.ListAsync(command, r => new ScorecardGoal(PlatformOf(r.GetString(0)), (GoalMetric)r.GetInt32(1), r.GetDouble(2)), cancellationToken).ConfigureAwait(false);
    }

    public async Task SetGoalsAsync(long workspaceId, IReadOnlyList<ScorecardGoal> goals, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var clear = database.Command(connection, transaction, "DELETE FROM scorecard_goals WHERE workspace_id = $1", workspaceId))
        {
            await clear.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var goal in goals)
        {
            await using var insert = database.Command(
                connection,
                transaction,
                "INSERT INTO scorecard_goals (workspace_id, platform, metric, target) VALUES ($1, $2, $3, $4) ON CONFLICT (workspace_id, platform, metric) DO UPDATE SET target = excluded.target",
                workspaceId, goal.Platform.ToWire(), (int)goal.Metric, goal.Target);
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<PolicyEvent>> ListPolicyEventsAsync(long workspaceId, DateTimeOffset since, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(
            connection,
            null,
            "SELECT id, workspace_id, platform, account_key, severity, title, at, by_name FROM scorecard_policy_events WHERE workspace_id = $1 AND at >= $2 ORDER BY at DESC, id DESC LIMIT $3",
            workspaceId, Sql.Ms(since), limit);
        return await Sql.ListAsync(command, Map, cancellationToken).ConfigureAwait(false);
    }

    public async Task<PolicyEvent> AddPolicyEventAsync(PolicyEvent policyEvent, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(
            connection,
            null,
            "INSERT INTO scorecard_policy_events (workspace_id, platform, account_key, severity, title, at, by_name) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id, workspace_id, platform, account_key, severity, title, at, by_name",
            policyEvent.WorkspaceId, policyEvent.Platform.ToWire(), policyEvent.AccountKey, (int)policyEvent.Severity, policyEvent.Title, Sql.Ms(policyEvent.At), policyEvent.ByName);
        return (await Sql.SingleAsync(command, Map, cancellationToken).ConfigureAwait(false))!;
    }

    private static PolicyEvent Map(DbDataReader r) =>
        new(r.GetInt64(0), r.GetInt64(1), PlatformOf(r.GetString(2)), Sql.NullableText(r, 3), (PolicySeverity)r.GetInt32(4), r.GetString(5), Sql.Time(r.GetInt64(6)), r.GetString(7));

    private static Platform PlatformOf(string wire) => EnumNames.TryParsePlatform(wire, out var platform) ? platform : Platform.Other;
}
