namespace Firebreak.Core.Connectors.Meta;

using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;
using Firebreak.Core.Workspaces;

/// <summary>
/// Facebook Pages listening over the Graph API (<see cref="GraphOptions.Version"/>), polled; webhooks
/// (<see cref="MetaWebhook"/>) bring the same items sooner. An Account source's target is the Page id; the connection
/// holds the Page access token. Reads <c>GET /{page-id}/feed?fields=…,comments.summary(true){…}</c> (visitor and page
/// posts with their comments) and <c>GET /{page-id}/tagged</c> (posts tagging the Page), from the checkpoint with
/// <c>since</c>, following <c>paging.cursors.after</c>. The Page's own posts are kept too (they are the parents of the
/// comments). Comments beyond the embedded first page are read from <c>GET /{post-id}/comments?order=reverse_chronological</c>.
/// Limitation: a new comment on a post older than the checkpoint is seen through the webhook, not by polling.
/// </summary>
public sealed class FacebookConnector(GraphClient graph, MetaWebhookActivity? webhooks = null, TimeProvider? clock = null) : IListeningConnector
{
    public const string FeedFields = "id,message,created_time,from,permalink_url,comments.summary(true){id,message,created_time,from,like_count,comment_count}";

    /// <summary>Graph Comment fields: <c>comment_count</c> is the number of replies to the comment.</summary>
    public const string CommentFields = "id,message,created_time,from,like_count,comment_count";
    private const string Name = MetaMapper.Facebook;

    public Platform Platform => Platform.Facebook;

    public bool Streams(Source source) => false;

    public string? Unsupported(Source source) => source.Kind == SourceKind.Account
        ? null
        : "Facebook sources are a Page (kind account, target = the Page id): Graph has no public post search";

    public IAsyncEnumerable<ListenPage> ListenAsync(ListenRequest request, CancellationToken cancellationToken)
    {
        var from = MetaCheckpoint.Parse(request.Checkpoint);
        // A first run reads the last day, not the Page's whole history (backfill does that on request).
        var since = from?.Seconds ?? (clock ?? TimeProvider.System).GetUtcNow().AddDays(-1).ToUnixTimeSeconds();
        return ReadAsync(request, from, since, null, cancellationToken);
    }

    public IAsyncEnumerable<ListenPage> BackfillAsync(ListenRequest request, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        ReadAsync(request, null, from.ToUnixTimeSeconds(), to, cancellationToken);

    private async IAsyncEnumerable<ListenPage> ReadAsync(ListenRequest request, MetaCheckpoint? checkpoint, long since, DateTimeOffset? until, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var token = Token(request);
        var page = Uri.EscapeDataString(request.Source.Target.Trim());
        var range = "&since=" + since.ToString(CultureInfo.InvariantCulture)
            + (until is { } u ? "&until=" + u.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) : string.Empty);
        var items = new List<MentionInput>();
        var errors = new List<ItemError>();
        foreach (var post in await EdgeAsync($"{page}/feed?fields={Uri.EscapeDataString(FeedFields)}{range}", token, errors, cancellationToken).ConfigureAwait(false))
        {
            var mapped = MetaMapper.FacebookItem(post.Element, null, post.Position, errors);
            if (mapped is null)
            {
                continue;
            }

            items.Add(mapped);
            await CommentsAsync(post.Element, mapped.ExternalId!, token, since, items, errors, cancellationToken).ConfigureAwait(false);
        }

        foreach (var tagged in await EdgeAsync($"{page}/tagged?fields={Uri.EscapeDataString("id,message,created_time,from,permalink_url")}{range}", token, errors, cancellationToken).ConfigureAwait(false))
        {
            if (MetaMapper.FacebookItem(tagged.Element, null, "tagged " + tagged.Position, errors) is { } mapped)
            {
                items.Add(mapped);
            }
        }

        if (until is null && webhooks?.Stopped(request.Source.WorkspaceId, Platform.Facebook, items, (clock ?? TimeProvider.System).GetUtcNow()) is { } quiet)
        {
            errors.Add(quiet);
        }

        var inRange = items.Where(i => i.CreatedAt is { } at && at.ToUnixTimeSeconds() >= since && (until is null || at < until));
        foreach (var result in MetaCheckpoint.Pages(checkpoint, inRange, errors, graph.Options.PageLimit))
        {
            yield return until is null ? result : result with { Checkpoint = null };
        }
    }

    /// <summary>The embedded first page of a post's comments, then the rest from the comments edge while they are newer than <paramref name="since"/>.</summary>
    private async Task CommentsAsync(JsonElement post, string postId, string token, long since, List<MentionInput> items, List<ItemError> errors, CancellationToken cancellationToken)
    {
        var comments = post.Child("comments");
        if (comments is null)
        {
            return;
        }

        var embedded = comments.Value.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array ? data.EnumerateArray().ToList() : [];
        for (var i = 0; i < embedded.Count; i++)
        {
            if (MetaMapper.FacebookItem(embedded[i], postId, $"post {postId} comment {i + 1}", errors) is { } c)
            {
                items.Add(c);
            }
        }

        if (GraphClient.NextCursor(comments) is null)
        {
            return;
        }

        var path = $"{Uri.EscapeDataString(postId)}/comments?order=reverse_chronological&fields={Uri.EscapeDataString(CommentFields)}&since={since.ToString(CultureInfo.InvariantCulture)}";
        foreach (var comment in await EdgeAsync(path, token, errors, cancellationToken).ConfigureAwait(false))
        {
            if (MetaMapper.FacebookItem(comment.Element, postId, $"post {postId} {comment.Position}", errors) is { } c)
            {
                items.Add(c);
            }
        }
    }

    private async Task<List<(JsonElement Element, string Position)>> EdgeAsync(string path, string token, List<ItemError> errors, CancellationToken cancellationToken) =>
        await GraphEdges.ReadAsync(graph, Name, path, token, errors, cancellationToken).ConfigureAwait(false);

    private static string Token(ListenRequest request) =>
        request.Account?.Secret ?? throw new ConnectorException(Name, FailureKind.Rejected, "no Facebook Page is connected in this workspace: connect the Page (its Page access token) under Connections");
}

/// <summary>Reads a Graph edge page by page (<c>data</c> array, <c>paging.cursors.after</c>), salvaging complete items from a broken page.</summary>
public static class GraphEdges
{
    public static async Task<List<(JsonElement Element, string Position)>> ReadAsync(GraphClient graph, string connector, string path, string token, List<ItemError> errors, CancellationToken cancellationToken)
    {
        var all = new List<(JsonElement, string)>();
        string? after = null;
        var edge = path.Split('?')[0];
        for (var pageNo = 1; pageNo <= graph.Options.MaxPages; pageNo++)
        {
            var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
            var url = $"{path}{separator}limit={graph.Options.PageLimit.ToString(CultureInfo.InvariantCulture)}" + (after is null ? string.Empty : "&after=" + Uri.EscapeDataString(after));
            var response = await graph.GetAsync(connector, url, token, cancellationToken).ConfigureAwait(false);
            if (response.VersionWarning(connector) is { } warning && !errors.Contains(warning))
            {
                errors.Add(warning);
            }

            var json = JsonPages.Read(connector, response.Body, "data");
            errors.AddRange(json.Errors.Select(e => e with { Position = $"{edge} page {pageNo}, {e.Position}" }));
            for (var i = 0; i < json.Items.Count; i++)
            {
                all.Add((json.Items[i], $"{edge} page {pageNo} item {i + 1}"));
            }

            after = json.Errors.Count == 0 ? GraphClient.NextCursor(json.Root) : null;
            if (after is null)
            {
                break;
            }
        }

        return all;
    }
}
