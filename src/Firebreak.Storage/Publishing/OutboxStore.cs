namespace Firebreak.Storage.Publishing;

using System.Data.Common;
using System.Text.Json;
using Firebreak.Core.Mentions;
using Firebreak.Core.Publishing;
using Firebreak.Core.Publishing.Outbox;
using Firebreak.Core.Publishing.Platforms;
using Firebreak.Storage.Alerts;

/// <summary>
/// The durable outbox, written once for both providers (see <see cref="PortableDatabase"/>). The pause switch's guarantee
/// lives here: a claim and a pause of the same workspace run in transactions that take turns (PostgreSQL: an advisory
/// lock per workspace taken first; SQLite: BEGIN IMMEDIATE), and the claim's hold check is part of its UPDATE statement,
/// so whichever commits first is seen whole by the other. A pause committed before a claim always wins; an item claimed
/// before the pause is reported by the pause as in flight.
/// </summary>
public sealed class OutboxStore(PortableDatabase database) : IOutboxStore
{
    private const long LockSpace = 0x46425f5055420000; // "FB_PUB" + workspace id
    private const string Columns = "id, workspace_id, post_id, revision, platform, account_key, text, media_urls, due_at, campaign, state, attempts, next_attempt_at, idempotency_key, last_error, remote_id, remote_url, lease_owner, lease_until, sending_since, created_at, updated_at";
    private const string HoldColumns = "id, workspace_id, scope, target, event_mode, reason, by_account_id, by_name, since, released_at, released_by";

    /// <summary>An active hold of the item's workspace covers it (o is the outbox row).</summary>
    private const string HeldBy = """
        EXISTS (SELECT 1 FROM publish_holds h WHERE h.workspace_id = o.workspace_id AND h.released_at IS NULL
            AND (h.scope = 0 OR (h.scope = 1 AND h.target = o.platform) OR (h.scope = 2 AND h.target = o.campaign)))
        """;

    public async Task<bool> EnqueueAsync(OutboxRequest request, string idempotencyKey, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(
            connection,
            null,
            """
            INSERT INTO publish_outbox (workspace_id, post_id, revision, platform, account_key, text, media_urls, due_at, campaign, state, attempts, next_attempt_at, idempotency_key, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, 0, $8, $10, $11, $11)
            ON CONFLICT (workspace_id, post_id) DO UPDATE SET revision = excluded.revision, platform = excluded.platform, account_key = excluded.account_key,
                text = excluded.text, media_urls = excluded.media_urls, due_at = excluded.due_at, campaign = excluded.campaign, state = 1, attempts = 0,
                next_attempt_at = excluded.next_attempt_at, idempotency_key = excluded.idempotency_key, last_error = NULL, remote_id = NULL, remote_url = NULL,
                lease_owner = NULL, lease_until = NULL, sending_since = NULL, created_at = excluded.created_at, updated_at = excluded.updated_at
            WHERE publish_outbox.state NOT IN (2, 3)
            """,
            request.WorkspaceId, request.PostId, request.Revision, request.Platform.ToString(), request.AccountKey, request.Text,
            JsonSerializer.Serialize(request.MediaUrls), Sql.Ms(request.DueAt), request.Campaign, idempotencyKey, Sql.Ms(now));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    public async Task<bool> WithdrawAsync(long workspaceId, long postId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, "DELETE FROM publish_outbox WHERE workspace_id = $1 AND post_id = $2 AND state NOT IN (2, 3)", workspaceId, postId);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    public async Task<IReadOnlyList<OutboxItem>> ClaimDueAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        List<long> workspaces;
        await using (var due = database.Command(connection, null, "SELECT DISTINCT workspace_id FROM publish_outbox WHERE state = 1 AND next_attempt_at <= $1", Sql.Ms(now)))
        {
            workspaces = await Sql.ListAsync(due, r => r.GetInt64(0), cancellationToken).ConfigureAwait(false);
        }

        var claimed = new List<OutboxItem>();
        foreach (var workspace in workspaces)
        {
            if (claimed.Count >= limit)
            {
                break;
            }

            await using var transaction = await SerialisedAsync(connection, workspace, cancellationToken).ConfigureAwait(false);
            await using var claim = database.Command(
                connection,
                transaction,
                $"""
                UPDATE publish_outbox SET state = 2, attempts = attempts + 1, lease_owner = $2, lease_until = $3, sending_since = $4, updated_at = $4
                WHERE id IN (SELECT o.id FROM publish_outbox o WHERE o.workspace_id = $1 AND o.state = 1 AND o.next_attempt_at <= $4 AND NOT {HeldBy}
                    ORDER BY o.next_attempt_at, o.id LIMIT $5)
                RETURNING {Columns}
                """,
                workspace, owner, Sql.Ms(leaseUntil), Sql.Ms(now), (long)(limit - claimed.Count));
            claimed.AddRange(await Sql.ListAsync(claim, Map, cancellationToken).ConfigureAwait(false));
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        return claimed;
    }

    public async Task<IReadOnlyList<OutboxItem>> ClaimOrphansAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(
            connection,
            null,
            $"""
            UPDATE publish_outbox SET lease_owner = $1, lease_until = $2, updated_at = $3
            WHERE id IN (SELECT id FROM publish_outbox WHERE state = 2 AND lease_until <= $3 ORDER BY lease_until, id LIMIT $4) AND state = 2 AND lease_until <= $3
            RETURNING {Columns}
            """,
            owner, Sql.Ms(leaseUntil), Sql.Ms(now), (long)limit);
        return await Sql.ListAsync(command, Map, cancellationToken).ConfigureAwait(false);
    }

    public Task<bool> MarkSentAsync(long id, string owner, string remoteId, string? remoteUrl, DateTimeOffset now, CancellationToken cancellationToken) =>
        LeasedUpdateAsync("state = 3, remote_id = $3, remote_url = $4, last_error = NULL, lease_owner = NULL, lease_until = NULL, updated_at = $5", cancellationToken, id, owner, remoteId, remoteUrl, Sql.Ms(now));

    public Task<bool> MarkRetryAsync(long id, string owner, string error, DateTimeOffset nextAttemptAt, DateTimeOffset now, CancellationToken cancellationToken) =>
        LeasedUpdateAsync("state = 1, last_error = $3, next_attempt_at = $4, lease_owner = NULL, lease_until = NULL, updated_at = $5", cancellationToken, id, owner, error, Sql.Ms(nextAttemptAt), Sql.Ms(now));

    public Task<bool> MarkFinalAsync(long id, string owner, OutboxState state, string error, DateTimeOffset now, CancellationToken cancellationToken) =>
        LeasedUpdateAsync("state = $3, last_error = $4, lease_owner = NULL, lease_until = NULL, updated_at = $5", cancellationToken, id, owner, (int)state, error, Sql.Ms(now));

    public async Task<OutboxItem?> RetryAsync(long workspaceId, long id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(
            connection,
            null,
            $"UPDATE publish_outbox SET state = 1, attempts = 0, next_attempt_at = $3, updated_at = $3 WHERE workspace_id = $1 AND id = $2 AND state IN (4, 5, 6) RETURNING {Columns}",
            workspaceId, id, Sql.Ms(now));
        return await Sql.SingleAsync(command, Map, cancellationToken).ConfigureAwait(false);
    }

    public async Task<OutboxItem?> GetAsync(long workspaceId, long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, $"SELECT {Columns} FROM publish_outbox WHERE workspace_id = $1 AND id = $2", workspaceId, id);
        return await Sql.SingleAsync(command, Map, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyDictionary<OutboxState, int>> CountByStateAsync(long workspaceId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, "SELECT state, COUNT(*) FROM publish_outbox WHERE workspace_id = $1 GROUP BY state", workspaceId);
        return (await Sql.ListAsync(command, r => ((OutboxState)r.GetInt32(0), (int)r.GetInt64(1)), cancellationToken).ConfigureAwait(false)).ToDictionary(p => p.Item1, p => p.Item2);
    }

    public async Task<IReadOnlyList<OutboxItem>> ListAsync(long workspaceId, IReadOnlyList<OutboxState>? states, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var filter = states is { Count: > 0 } ? $" AND state IN ({string.Join(", ", states.Select(s => (int)s))})" : string.Empty;
        await using var command = database.Command(connection, null, $"SELECT {Columns} FROM publish_outbox WHERE workspace_id = $1{filter} ORDER BY due_at DESC, id DESC LIMIT $2", workspaceId, (long)limit);
        return await Sql.ListAsync(command, Map, cancellationToken).ConfigureAwait(false);
    }

    public async Task<PauseResult> PauseAsync(PublishHold hold, string byName, bool eventMode, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await SerialisedAsync(connection, hold.WorkspaceId, cancellationToken).ConfigureAwait(false);
        PublishHold stored;
        await using (var insert = database.Command(
            connection,
            transaction,
            $"INSERT INTO publish_holds (workspace_id, scope, target, event_mode, reason, by_account_id, by_name, since) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {HoldColumns}",
            hold.WorkspaceId, (int)hold.Scope, hold.Target, hold.EventMode, hold.Reason, hold.ByAccountId, byName, Sql.Ms(now)))
        {
            stored = (await Sql.SingleAsync(insert, MapHold, cancellationToken).ConfigureAwait(false))!.Hold;
        }

        List<OutboxItem> inFlight;
        await using (var read = database.Command(connection, transaction, $"SELECT {Columns} FROM publish_outbox o WHERE o.workspace_id = $1 AND o.state = 2 AND {HeldBy} ORDER BY o.id", hold.WorkspaceId))
        {
            inFlight = await Sql.ListAsync(read, Map, cancellationToken).ConfigureAwait(false);
        }

        List<OutboxItem> returned = [];
        if (eventMode)
        {
            // Event mode: planned content in scope is flagged for a person to look at again, whatever its time.
            await using var flag = database.Command(
                connection,
                transaction,
                $"UPDATE publish_outbox SET state = 5, last_error = $2, updated_at = $3 WHERE id IN (SELECT o.id FROM publish_outbox o WHERE o.workspace_id = $1 AND o.state = 1 AND {HeldBy}) RETURNING {Columns}",
                hold.WorkspaceId, "Event mode: " + hold.Reason, Sql.Ms(now));
            returned = await Sql.ListAsync(flag, Map, cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new PauseResult(stored, inFlight, returned);
    }

    public async Task<ResumeResult> ResumeAsync(long workspaceId, HoldScope? scope, string? target, string byName, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await SerialisedAsync(connection, workspaceId, cancellationToken).ConfigureAwait(false);

        // The items held now, before the release: only these can have become overdue "during the hold".
        HashSet<long> heldBefore;
        await using (var held = database.Command(connection, transaction, $"SELECT o.id FROM publish_outbox o WHERE o.workspace_id = $1 AND o.state = 1 AND {HeldBy}", workspaceId))
        {
            heldBefore = [.. await Sql.ListAsync(held, r => r.GetInt64(0), cancellationToken).ConfigureAwait(false)];
        }

        var match = scope is null ? string.Empty : target is null ? " AND scope = $4 AND target IS NULL" : " AND scope = $4 AND target = $5";
        object?[] args = scope is null ? [workspaceId, byName, Sql.Ms(now)] : target is null ? [workspaceId, byName, Sql.Ms(now), (int)scope] : [workspaceId, byName, Sql.Ms(now), (int)scope, target];
        List<StoredHold> released;
        await using (var release = database.Command(connection, transaction, $"UPDATE publish_holds SET released_at = $3, released_by = $2 WHERE workspace_id = $1 AND released_at IS NULL{match} RETURNING {HoldColumns}", args))
        {
            released = await Sql.ListAsync(release, MapHold, cancellationToken).ConfigureAwait(false);
        }

        List<OutboxItem> returned = [];
        if (released.Count > 0 && heldBefore.Count > 0)
        {
            // Held until now, overdue, and no longer held: returned to review, never fired all at once. (Ids are numbers
            // read from the table a moment ago, so inlining them is safe.)
            await using var review = database.Command(
                connection,
                transaction,
                $"UPDATE publish_outbox SET state = 5, last_error = $3, updated_at = $2 WHERE id IN (SELECT o.id FROM publish_outbox o WHERE o.workspace_id = $1 AND o.state = 1 AND o.next_attempt_at <= $2 AND o.id IN ({string.Join(", ", heldBefore)}) AND NOT {HeldBy}) RETURNING {Columns}",
                workspaceId, Sql.Ms(now), "Its time passed while publishing was paused; review it before it goes.");
            returned = await Sql.ListAsync(review, Map, cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new ResumeResult([.. released.Select(h => h.Hold)], returned);
    }

    public async Task<IReadOnlyList<StoredHold>> ActiveHoldsAsync(long workspaceId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, $"SELECT {HoldColumns} FROM publish_holds WHERE workspace_id = $1 AND released_at IS NULL ORDER BY id", workspaceId);
        return await Sql.ListAsync(command, MapHold, cancellationToken).ConfigureAwait(false);
    }

    public async Task BeatAsync(string node, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, "INSERT INTO publish_heartbeats (node, beat_at) VALUES ($1, $2) ON CONFLICT (node) DO UPDATE SET beat_at = excluded.beat_at", node, Sql.Ms(now));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<DateTimeOffset?> LastBeatAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, "SELECT MAX(beat_at) FROM publish_heartbeats");
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is { } value and not DBNull ? Sql.Time(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)) : null;
    }

    public async Task<IReadOnlyDictionary<long, int>> CountDueAsync(DateTimeOffset dueBy, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, $"SELECT o.workspace_id, COUNT(*) FROM publish_outbox o WHERE o.state = 1 AND o.next_attempt_at <= $1 AND NOT {HeldBy} GROUP BY o.workspace_id", Sql.Ms(dueBy));
        return (await Sql.ListAsync(command, r => (r.GetInt64(0), (int)r.GetInt64(1)), cancellationToken).ConfigureAwait(false)).ToDictionary(p => p.Item1, p => p.Item2);
    }

    public async Task<string?> CheckpointAsync(long workspaceId, string accountKey, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, "SELECT checkpoint FROM publish_readback WHERE workspace_id = $1 AND account_key = $2", workspaceId, accountKey);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    public async Task SetCheckpointAsync(long workspaceId, string accountKey, string checkpoint, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(
            connection,
            null,
            "INSERT INTO publish_readback (workspace_id, account_key, checkpoint, checked_at) VALUES ($1, $2, $3, $4) ON CONFLICT (workspace_id, account_key) DO UPDATE SET checkpoint = excluded.checkpoint, checked_at = excluded.checked_at",
            workspaceId, accountKey, checkpoint, Sql.Ms(now));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlySet<string>> OursAsync(long workspaceId, Platform platform, string accountKey, IReadOnlyList<RemotePost> posts, CancellationToken cancellationToken)
    {
        var ours = new HashSet<string>(StringComparer.Ordinal);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (var post in posts)
        {
            await using var sent = database.Command(
                connection,
                null,
                "SELECT 1 FROM publish_outbox WHERE workspace_id = $1 AND platform = $2 AND remote_id = $3 UNION ALL SELECT 1 FROM publish_allowed_posts WHERE workspace_id = $1 AND platform = $2 AND remote_id = $3",
                workspaceId, platform.ToString(), post.RemoteId);
            if (await sent.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null)
            {
                ours.Add(post.RemoteId);
            }
        }

        if (ours.Count < posts.Count)
        {
            // A send whose sender died after the platform accepted it, not reconciled yet: the same text on the same account.
            await using var sending = database.Command(connection, null, "SELECT text FROM publish_outbox WHERE workspace_id = $1 AND account_key = $2 AND state = 2", workspaceId, accountKey);
            var texts = (await Sql.ListAsync(sending, r => PostText.Normalise(r.GetString(0)), cancellationToken).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
            ours.UnionWith(posts.Where(p => texts.Contains(PostText.Normalise(p.Text))).Select(p => p.RemoteId));
        }

        return ours;
    }

    public async Task AllowAsync(long workspaceId, Platform platform, string remoteId, string note, string byName, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(
            connection,
            null,
            "INSERT INTO publish_allowed_posts (workspace_id, platform, remote_id, note, by_name, at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (workspace_id, platform, remote_id) DO UPDATE SET note = excluded.note, by_name = excluded.by_name, at = excluded.at",
            workspaceId, platform.ToString(), remoteId, note, byName, Sql.Ms(now));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A transaction that takes turns with every other claim or pause of the workspace.</summary>
    private async Task<DbTransaction> SerialisedAsync(DbConnection connection, long workspaceId, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (database.SerializeStatement(LockSpace + workspaceId) is { } serialize)
        {
            await using var lockCommand = database.Command(connection, transaction, serialize);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return transaction;
    }

    /// <summary>An update of a Sending item that applies only while <c>$2</c> still holds its lease.</summary>
    private async Task<bool> LeasedUpdateAsync(string set, CancellationToken cancellationToken, params object?[] args)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, $"UPDATE publish_outbox SET {set} WHERE id = $1 AND state = 2 AND lease_owner = $2", args);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    private static OutboxItem Map(DbDataReader r) => new(
        r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt32(3), Enum.Parse<Platform>(r.GetString(4)), r.GetString(5), r.GetString(6),
        JsonSerializer.Deserialize<string[]>(r.GetString(7)) ?? [], Sql.Time(r.GetInt64(8)), Sql.NullableText(r, 9), (OutboxState)r.GetInt32(10), r.GetInt32(11),
        Sql.Time(r.GetInt64(12)), r.GetString(13), Sql.NullableText(r, 14), Sql.NullableText(r, 15), Sql.NullableText(r, 16), Sql.NullableText(r, 17),
        Sql.NullableTime(r, 18), Sql.NullableTime(r, 19), Sql.Time(r.GetInt64(20)), Sql.Time(r.GetInt64(21)));

    private static StoredHold MapHold(DbDataReader r) => new(
        new PublishHold(r.GetInt64(0), r.GetInt64(1), (HoldScope)r.GetInt32(2), Sql.NullableText(r, 3), r.GetBoolean(4), r.GetString(5), Sql.NullableLong(r, 6), Sql.Time(r.GetInt64(8))),
        r.GetString(7), Sql.NullableTime(r, 9), Sql.NullableText(r, 10));
}
