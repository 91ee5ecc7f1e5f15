namespace Firebreak.Storage.Inbox;

using System.Data.Common;
using Firebreak.Core.Inbox;
using Firebreak.Core.Incidents;
using Firebreak.Core.Mentions;
using Firebreak.Storage.Alerts;

/// <summary>
/// Claims, reply templates, the replies outbox and response targets, written once for both providers (see
/// <see cref="PortableDatabase"/>). A claim is one row per mention: taking it is a single upsert whose update only
/// applies when the row is expired or already the claimer's, so the database decides who wins a race.
/// </summary>
public sealed class InboxStore(PortableDatabase database) : IInboxStore
{
    private const string ClaimColumns = "workspace_id, mention_id, incident_id, account_id, name, claimed_at, expires_at";
    private const string TemplateColumns = "id, workspace_id, name, language, text, updated_at";
    private const string ReplyColumns = "id, workspace_id, incident_id, mention_id, platform, text, template_id, author_id, author_name, needs_approval, approved_by_id, approved_by, approved_at, state, error, attempts, created_at, updated_at";

    public async Task<ClaimResult> ClaimAsync(MentionClaim claim, bool force, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var guard = force ? string.Empty : " WHERE inbox_claims.expires_at <= $8 OR inbox_claims.account_id = excluded.account_id";
        await using (var upsert = database.Command(
            connection,
            null,
            $"""
            INSERT INTO inbox_claims ({ClaimColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (workspace_id, mention_id) DO UPDATE SET incident_id = excluded.incident_id, account_id = excluded.account_id,
                name = excluded.name, claimed_at = CASE WHEN inbox_claims.account_id = excluded.account_id AND inbox_claims.expires_at > $8 THEN inbox_claims.claimed_at ELSE excluded.claimed_at END,
                expires_at = excluded.expires_at{guard}
            RETURNING {ClaimColumns}
            """,
            claim.WorkspaceId, claim.MentionId, claim.IncidentId, claim.AccountId, claim.Name, Sql.Ms(claim.ClaimedAt), Sql.Ms(claim.ExpiresAt), Sql.Ms(claim.ClaimedAt)))
        {
            if (await Sql.SingleAsync(upsert, MapClaim, cancellationToken).ConfigureAwait(false) is { } won)
            {
                return new ClaimResult(true, won);
            }
        }

        await using var read = database.Command(connection, null, $"SELECT {ClaimColumns} FROM inbox_claims WHERE workspace_id = $1 AND mention_id = $2", claim.WorkspaceId, claim.MentionId);
        var holder = await Sql.SingleAsync(read, MapClaim, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("A claim refused by its guard vanished before it could be read.");
        return new ClaimResult(false, holder);
    }

    public async Task<bool> ReleaseAsync(long workspaceId, long mentionId, long? accountId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = accountId is { } me
            ? database.Command(connection, null, "DELETE FROM inbox_claims WHERE workspace_id = $1 AND mention_id = $2 AND account_id = $3", workspaceId, mentionId, me)
            : database.Command(connection, null, "DELETE FROM inbox_claims WHERE workspace_id = $1 AND mention_id = $2", workspaceId, mentionId);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    public async Task<MentionClaim?> GetClaimAsync(long workspaceId, long mentionId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, $"SELECT {ClaimColumns} FROM inbox_claims WHERE workspace_id = $1 AND mention_id = $2 AND expires_at > $3", workspaceId, mentionId, Sql.Ms(now));
        return await Sql.SingleAsync(command, MapClaim, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<MentionClaim>> ListClaimsAsync(long workspaceId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, $"SELECT {ClaimColumns} FROM inbox_claims WHERE workspace_id = $1 AND expires_at > $2 ORDER BY mention_id", workspaceId, Sql.Ms(now));
        return await Sql.ListAsync(command, MapClaim, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ReplyTemplate>> ListTemplatesAsync(long workspaceId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var list = await TemplatesAsync(connection, workspaceId, cancellationToken).ConfigureAwait(false);
        if (list.Count > 0)
        {
            return list;
        }

        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var (name, language, text) in ReplyTemplates.Shipped)
            {
                await using var insert = database.Command(
                    connection,
                    transaction,
                    "INSERT INTO reply_templates (workspace_id, name, language, text, updated_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (workspace_id, name, language) DO NOTHING",
                    workspaceId, name, language, text, Sql.Ms(now));
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        return await TemplatesAsync(connection, workspaceId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ReplyTemplate?> GetTemplateAsync(long workspaceId, long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, $"SELECT {TemplateColumns} FROM reply_templates WHERE workspace_id = $1 AND id = $2", workspaceId, id);
        return await Sql.SingleAsync(command, MapTemplate, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ReplyTemplate> SaveTemplateAsync(long workspaceId, string name, string language, string text, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(
            connection,
            null,
            $"INSERT INTO reply_templates (workspace_id, name, language, text, updated_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (workspace_id, name, language) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at RETURNING {TemplateColumns}",
            workspaceId, name, language, text, Sql.Ms(now));
        return (await Sql.SingleAsync(command, MapTemplate, cancellationToken).ConfigureAwait(false))!;
    }

    public async Task<bool> DeleteTemplateAsync(long workspaceId, long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, "DELETE FROM reply_templates WHERE workspace_id = $1 AND id = $2", workspaceId, id);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    public async Task<OutboxReply> AddReplyAsync(OutboxReply reply, TimelineDraft entry, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        OutboxReply saved;
        await using (var insert = database.Command(
            connection,
            transaction,
            $"""
            INSERT INTO inbox_replies (workspace_id, incident_id, mention_id, platform, text, template_id, author_id, author_name, needs_approval, approved_by_id, approved_by, approved_at, state, error, attempts, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING {ReplyColumns}
            """,
            [.. Values(reply)]))
        {
            saved = (await Sql.SingleAsync(insert, MapReply, cancellationToken).ConfigureAwait(false))!;
        }

        await AppendAsync(connection, transaction, saved.IncidentId, entry with { Data = entry.Data?.Replace("\"replyId\":null", $"\"replyId\":{saved.Id}", StringComparison.Ordinal) }, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return saved;
    }

    public async Task<OutboxReply?> GetReplyAsync(long workspaceId, long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, $"SELECT {ReplyColumns} FROM inbox_replies WHERE workspace_id = $1 AND id = $2", workspaceId, id);
        return await Sql.SingleAsync(command, MapReply, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<OutboxReply>> ListRepliesAsync(long workspaceId, long incidentId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, $"SELECT {ReplyColumns} FROM inbox_replies WHERE workspace_id = $1 AND incident_id = $2 ORDER BY id DESC", workspaceId, incidentId);
        return await Sql.ListAsync(command, MapReply, cancellationToken).ConfigureAwait(false);
    }

    public async Task<OutboxReply?> UpdateReplyAsync(OutboxReply reply, ReplyState expected, TimelineDraft? entry, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        OutboxReply? saved;
        await using (var update = database.Command(
            connection,
            transaction,
            $"""
            UPDATE inbox_replies SET text = $3, approved_by_id = $4, approved_by = $5, approved_at = $6, state = $7, error = $8, attempts = $9, updated_at = $10
            WHERE workspace_id = $1 AND id = $2 AND state = $11 RETURNING {ReplyColumns}
            """,
            reply.WorkspaceId, reply.Id, reply.Text, reply.ApprovedBy?.AccountId, reply.ApprovedBy?.Name, Sql.Ms(reply.ApprovedAt), (int)reply.State, reply.Error, reply.Attempts, Sql.Ms(reply.UpdatedAt), (int)expected))
        {
            saved = await Sql.SingleAsync(update, MapReply, cancellationToken).ConfigureAwait(false);
        }

        if (saved is null)
        {
            return null;
        }

        if (entry is not null)
        {
            await AppendAsync(connection, transaction, saved.IncidentId, entry, cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return saved;
    }

    public async Task<ResponseTargets> GetTargetsAsync(long workspaceId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, "SELECT high_risk_minutes, other_minutes FROM inbox_targets WHERE workspace_id = $1", workspaceId);
        return await Sql.SingleAsync(command, r => new ResponseTargets(r.GetInt32(0), r.GetInt32(1)), cancellationToken).ConfigureAwait(false) ?? new ResponseTargets();
    }

    public async Task SetTargetsAsync(long workspaceId, ResponseTargets targets, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(
            connection,
            null,
            "INSERT INTO inbox_targets (workspace_id, high_risk_minutes, other_minutes) VALUES ($1, $2, $3) ON CONFLICT (workspace_id) DO UPDATE SET high_risk_minutes = excluded.high_risk_minutes, other_minutes = excluded.other_minutes",
            workspaceId, targets.HighRiskMinutes, targets.OtherMinutes);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static object?[] Values(OutboxReply r) =>
    [
        r.WorkspaceId, r.IncidentId, r.MentionId, r.Platform.ToWire(), r.Text, r.TemplateId, r.Author.AccountId, r.Author.Name, r.NeedsApproval,
        r.ApprovedBy?.AccountId, r.ApprovedBy?.Name, Sql.Ms(r.ApprovedAt), (int)r.State, r.Error, r.Attempts, Sql.Ms(r.CreatedAt), Sql.Ms(r.UpdatedAt),
    ];

    private async Task<List<ReplyTemplate>> TemplatesAsync(DbConnection connection, long workspaceId, CancellationToken cancellationToken)
    {
        await using var command = database.Command(connection, null, $"SELECT {TemplateColumns} FROM reply_templates WHERE workspace_id = $1 ORDER BY name, language", workspaceId);
        return await Sql.ListAsync(command, MapTemplate, cancellationToken).ConfigureAwait(false);
    }

    // The incident timeline's insert, repeated here so a reply and its entry commit together (IncidentStore owns the table).
    private async Task AppendAsync(DbConnection connection, DbTransaction transaction, long incidentId, TimelineDraft entry, CancellationToken cancellationToken)
    {
        await using var insert = database.Command(
            connection,
            transaction,
            "INSERT INTO incident_timeline (incident_id, at, actor_id, actor_name, kind, text, data) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            incidentId, Sql.Ms(entry.At), entry.Actor.AccountId, entry.Actor.Name, entry.Kind.ToString(), entry.Text, entry.Data);
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static MentionClaim MapClaim(DbDataReader r) =>
        new(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetString(4), Sql.Time(r.GetInt64(5)), Sql.Time(r.GetInt64(6)));

    private static ReplyTemplate MapTemplate(DbDataReader r) =>
        new(r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetString(4), Sql.Time(r.GetInt64(5)));

    private static OutboxReply MapReply(DbDataReader r) => new()
    {
        Id = r.GetInt64(0),
        WorkspaceId = r.GetInt64(1),
        IncidentId = r.GetInt64(2),
        MentionId = r.GetInt64(3),
        Platform = EnumNames.TryParsePlatform(r.GetString(4), out var platform) ? platform : Platform.Other,
        Text = r.GetString(5),
        TemplateId = Sql.NullableLong(r, 6),
        Author = new IncidentActor(Sql.NullableLong(r, 7), r.GetString(8)),
        NeedsApproval = r.GetBoolean(9),
        ApprovedBy = r.IsDBNull(11) ? null : new IncidentActor(Sql.NullableLong(r, 10), r.GetString(11)),
        ApprovedAt = Sql.NullableTime(r, 12),
        State = (ReplyState)r.GetInt32(13),
        Error = Sql.NullableText(r, 14),
        Attempts = r.GetInt32(15),
        CreatedAt = Sql.Time(r.GetInt64(16)),
        UpdatedAt = Sql.Time(r.GetInt64(17)),
    };
}
