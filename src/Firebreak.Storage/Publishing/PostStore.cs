namespace Firebreak.Storage.Publishing;

using System.Data.Common;
using System.Globalization;
using Firebreak.Core.Mentions;
using Firebreak.Core.Publishing;
using Firebreak.Core.Publishing.Posts;
using Firebreak.Storage.Alerts;

/// <summary>
/// Posts, their append-only history, approval workflows and sensitive terms, written once for both providers (see
/// <see cref="PortableDatabase"/>). An update is guarded on the version read, so two editors never overwrite each
/// other; a post and its history entries commit together. Deleting hides a post and keeps its history.
/// </summary>
public sealed class PostStore(PortableDatabase database) : IPostStore
{
    private const string Columns = "id, workspace_id, platform, account_key, text, media, links, campaign, scheduled_at, time_zone, local_time, state, revision, version, author_id, author_name, approvals, note, remote_url, created_at, updated_at";
    private const string EventColumns = "id, post_id, revision, at, actor_id, actor_name, kind, text";
    private const string LocalFormat = "yyyy-MM-dd'T'HH:mm";

    public async Task<Post> CreateAsync(Post post, PostEventDraft created, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        Post saved;
        await using (var insert = database.Command(
            connection,
            transaction,
            $"""
            INSERT INTO posts (workspace_id, platform, account_key, text, media, links, campaign, scheduled_at, time_zone, local_time, state, revision, version, author_id, author_name, approvals, note, remote_url, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, $13, $14, $15, $16, $17, $18, $19) RETURNING {Columns}
            """,
            post.WorkspaceId, post.Platform.ToWire(), post.AccountKey, post.Text, PostJson.Media(post.Media), PostJson.Links(post.Links), post.Campaign,
            Sql.Ms(post.Schedule?.At), post.Schedule?.TimeZone, Local(post.Schedule), (int)post.State, post.Revision, post.AuthorId, post.AuthorName,
            PostJson.Approvals(post.Approvals), post.Note, post.RemoteUrl, Sql.Ms(post.CreatedAt), Sql.Ms(post.UpdatedAt)))
        {
            saved = (await Sql.SingleAsync(insert, Map, cancellationToken).ConfigureAwait(false))!;
        }

        await InsertEventAsync(connection, transaction, saved.WorkspaceId, saved.Id, saved.Revision, created, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return saved;
    }

    public async Task<Post?> GetAsync(long workspaceId, long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, $"SELECT {Columns} FROM posts WHERE workspace_id = $1 AND id = $2 AND deleted_at IS NULL", workspaceId, id);
        return await Sql.SingleAsync(command, Map, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Post>> ListAsync(long workspaceId, DateTimeOffset from, DateTimeOffset to, bool unscheduled, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        List<Post> list;
        await using (var command = database.Command(
            connection,
            null,
            $"SELECT {Columns} FROM posts WHERE workspace_id = $1 AND deleted_at IS NULL AND scheduled_at >= $2 AND scheduled_at < $3 ORDER BY scheduled_at, id LIMIT $4",
            workspaceId, Sql.Ms(from), Sql.Ms(to), limit))
        {
            list = await Sql.ListAsync(command, Map, cancellationToken).ConfigureAwait(false);
        }

        if (unscheduled && list.Count < limit)
        {
            await using var rest = database.Command(
                connection,
                null,
                $"SELECT {Columns} FROM posts WHERE workspace_id = $1 AND deleted_at IS NULL AND scheduled_at IS NULL ORDER BY updated_at DESC, id DESC LIMIT $2",
                workspaceId, limit - list.Count);
            list.AddRange(await Sql.ListAsync(rest, Map, cancellationToken).ConfigureAwait(false));
        }

        return list;
    }

    public async Task<Post?> UpdateAsync(Post post, int expectedVersion, IReadOnlyList<PostEventDraft> entries, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        Post? saved;
        await using (var update = database.Command(
            connection,
            transaction,
            $"""
            UPDATE posts SET platform = $3, account_key = $4, text = $5, media = $6, links = $7, campaign = $8, scheduled_at = $9, time_zone = $10, local_time = $11,
                state = $12, revision = $13, version = version + 1, approvals = $14, note = $15, remote_url = $16, updated_at = $17
            WHERE workspace_id = $1 AND id = $2 AND version = $18 AND deleted_at IS NULL RETURNING {Columns}
            """,
            post.WorkspaceId, post.Id, post.Platform.ToWire(), post.AccountKey, post.Text, PostJson.Media(post.Media), PostJson.Links(post.Links), post.Campaign,
            Sql.Ms(post.Schedule?.At), post.Schedule?.TimeZone, Local(post.Schedule), (int)post.State, post.Revision, PostJson.Approvals(post.Approvals),
            post.Note, post.RemoteUrl, Sql.Ms(post.UpdatedAt), expectedVersion))
        {
            saved = await Sql.SingleAsync(update, Map, cancellationToken).ConfigureAwait(false);
        }

        if (saved is null)
        {
            return null;
        }

        foreach (var entry in entries)
        {
            await InsertEventAsync(connection, transaction, saved.WorkspaceId, saved.Id, saved.Revision, entry, cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return saved;
    }

    public async Task<bool> DeleteAsync(long workspaceId, long id, int expectedVersion, PostEventDraft entry, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        int revision;
        await using (var delete = database.Command(
            connection,
            transaction,
            "UPDATE posts SET deleted_at = $4, version = version + 1 WHERE workspace_id = $1 AND id = $2 AND version = $3 AND deleted_at IS NULL RETURNING revision",
            workspaceId, id, expectedVersion, Sql.Ms(entry.At)))
        {
            if (await delete.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not { } found || found is DBNull)
            {
                return false;
            }

            revision = Convert.ToInt32(found, CultureInfo.InvariantCulture);
        }

        await InsertEventAsync(connection, transaction, workspaceId, id, revision, entry, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<PostEvent> AppendAsync(long workspaceId, long postId, int revision, PostEventDraft entry, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await InsertEventAsync(connection, null, workspaceId, postId, revision, entry, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<PostEvent>> HistoryAsync(long workspaceId, long postId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, $"SELECT {EventColumns} FROM post_events WHERE workspace_id = $1 AND post_id = $2 ORDER BY id", workspaceId, postId);
        return await Sql.ListAsync(command, MapEvent, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ApprovalWorkflow?> GetWorkflowAsync(long workspaceId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, "SELECT steps FROM post_workflows WHERE workspace_id = $1", workspaceId);
        return await Sql.SingleAsync(command, r => new ApprovalWorkflow(PostJson.Steps(r.GetString(0))), cancellationToken).ConfigureAwait(false);
    }

    public async Task SetWorkflowAsync(long workspaceId, ApprovalWorkflow workflow, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(
            connection,
            null,
            "INSERT INTO post_workflows (workspace_id, steps) VALUES ($1, $2) ON CONFLICT (workspace_id) DO UPDATE SET steps = excluded.steps",
            workspaceId, PostJson.Steps(workflow.Steps));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<SensitiveTerm>> GetTermsAsync(long workspaceId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, "SELECT term, level, note FROM sensitive_terms WHERE workspace_id = $1 ORDER BY term", workspaceId);
        return await Sql.ListAsync(command, r => new SensitiveTerm(r.GetString(0), (PrePublishLevel)r.GetInt32(1), Sql.NullableText(r, 2)), cancellationToken).ConfigureAwait(false);
    }

    public async Task SetTermsAsync(long workspaceId, IReadOnlyList<SensitiveTerm> terms, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var clear = database.Command(connection, transaction, "DELETE FROM sensitive_terms WHERE workspace_id = $1", workspaceId))
        {
            await clear.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var term in terms)
        {
            await using var insert = database.Command(
                connection,
                transaction,
                "INSERT INTO sensitive_terms (workspace_id, term, level, note) VALUES ($1, $2, $3, $4) ON CONFLICT (workspace_id, term) DO UPDATE SET level = excluded.level, note = excluded.note",
                workspaceId, term.Term.Trim(), (int)term.Level, term.Note);
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<PostEvent> InsertEventAsync(DbConnection connection, DbTransaction? transaction, long workspaceId, long postId, int revision, PostEventDraft entry, CancellationToken cancellationToken)
    {
        await using var insert = database.Command(
            connection,
            transaction,
            $"INSERT INTO post_events (workspace_id, post_id, revision, at, actor_id, actor_name, kind, text) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {EventColumns}",
            workspaceId, postId, revision, Sql.Ms(entry.At), entry.ActorId, entry.ActorName, entry.Kind.ToString(), entry.Text);
        return (await Sql.SingleAsync(insert, MapEvent, cancellationToken).ConfigureAwait(false))!;
    }

    private static string? Local(PostSchedule? schedule) => schedule?.LocalTime.ToString(LocalFormat, CultureInfo.InvariantCulture);

    private static Post Map(DbDataReader r) => new()
    {
        Id = r.GetInt64(0),
        WorkspaceId = r.GetInt64(1),
        Platform = EnumNames.TryParsePlatform(r.GetString(2), out var platform) ? platform : Platform.Other,
        AccountKey = r.GetString(3),
        Text = r.GetString(4),
        Media = PostJson.Media(r.GetString(5)),
        Links = PostJson.Links(r.GetString(6)),
        Campaign = Sql.NullableText(r, 7),
        Schedule = r.IsDBNull(8)
            ? null
            : new PostSchedule(Sql.Time(r.GetInt64(8)), r.GetString(9), DateTime.ParseExact(r.GetString(10), LocalFormat, CultureInfo.InvariantCulture, DateTimeStyles.None)),
        State = (PostState)r.GetInt32(11),
        Revision = r.GetInt32(12),
        Version = r.GetInt32(13),
        AuthorId = Sql.NullableLong(r, 14),
        AuthorName = r.GetString(15),
        Approvals = PostJson.Approvals(r.GetString(16)),
        Note = Sql.NullableText(r, 17),
        RemoteUrl = Sql.NullableText(r, 18),
        CreatedAt = Sql.Time(r.GetInt64(19)),
        UpdatedAt = Sql.Time(r.GetInt64(20)),
    };

    private static PostEvent MapEvent(DbDataReader r) =>
        new(r.GetInt64(0), r.GetInt64(1), r.GetInt32(2), Sql.Time(r.GetInt64(3)), Sql.NullableLong(r, 4), r.GetString(5), Enum.TryParse<PostEventKind>(r.GetString(6), out var kind) ? kind : PostEventKind.Commented, r.GetString(7));
}
