namespace Firebreak.Core.Connectors.Meta;

using System.Runtime.CompilerServices;
using System.Text.Json;
using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;
using Firebreak.Core.Workspaces;

/// <summary>
/// Instagram Graph API for Business/Creator accounts (<see cref="GraphOptions.Version"/>), polled. An Account source's
/// target is the IG user id: comments (and their replies) on the account's newest media
/// (<c>GET /{ig-user-id}/media</c>, then <c>GET /{media-id}/comments?fields=…,replies{…}</c> for media with comments)
/// and media the account is tagged in (<c>GET /{ig-user-id}/tags</c>). A Query source "#tag" uses hashtag search
/// (<c>GET /ig_hashtag_search?user_id=&amp;q=</c> → <c>GET /{hashtag-id}/recent_media</c>); Meta allows 30 unique
/// hashtags per IG account per rolling 7 days, and recent_media covers only the last 24 hours.
/// Comments have no <c>since</c> on Graph: they are filtered by timestamp against the checkpoint.
/// </summary>
public sealed class InstagramConnector(GraphClient graph, MetaWebhookActivity? webhooks = null, TimeProvider? clock = null) : IListeningConnector
{
    public const string MediaFields = "id,caption,timestamp,permalink,comments_count,like_count";
    public const string CommentFields = "id,text,timestamp,username,like_count,replies{id,text,timestamp,username,like_count}";
    private const string Name = MetaMapper.Instagram;

    /// <summary>How many of the newest media have their comments read each pass.</summary>
    public int MediaWindow { get; set; } = 10;

    public Platform Platform => Platform.Instagram;

    public bool Streams(Source source) => false;

    public string? Unsupported(Source source) => source.Kind switch
    {
        SourceKind.Account => null,
        SourceKind.Query when source.Target.Trim().StartsWith('#') => null,
        _ => "Instagram sources are the business account (kind account, target = the IG user id) or a #hashtag (kind query); Graph has no keyword search",
    };

    public IAsyncEnumerable<ListenPage> ListenAsync(ListenRequest request, CancellationToken cancellationToken)
    {
        var from = MetaCheckpoint.Parse(request.Checkpoint);
        return ReadAsync(request, from, DateTimeOffset.FromUnixTimeSeconds(from?.Seconds ?? (clock ?? TimeProvider.System).GetUtcNow().AddDays(-1).ToUnixTimeSeconds()), null, cancellationToken);
    }

    public IAsyncEnumerable<ListenPage> BackfillAsync(ListenRequest request, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        ReadAsync(request, null, from, to, cancellationToken);

    private async IAsyncEnumerable<ListenPage> ReadAsync(ListenRequest request, MetaCheckpoint? checkpoint, DateTimeOffset since, DateTimeOffset? until, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var account = request.Account ?? throw new ConnectorException(Name, FailureKind.Rejected, "no Instagram business account is connected in this workspace: connect it under Connections");
        var items = new List<MentionInput>();
        var errors = new List<ItemError>();
        if (request.Source.Kind == SourceKind.Query)
        {
            await HashtagAsync(request.Source.Target, account.Handle, account.Secret, items, errors, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var user = Uri.EscapeDataString(request.Source.Target.Trim());
            var media = await GraphEdges.ReadAsync(graph, Name, $"{user}/media?fields={Uri.EscapeDataString(MediaFields)}", account.Secret, errors, cancellationToken).ConfigureAwait(false);
            foreach (var m in media.Take(MediaWindow))
            {
                if (m.Element.Text("id") is not { } mediaId || (m.Element.Number("comments_count") ?? 1) == 0)
                {
                    continue;
                }

                var comments = await GraphEdges.ReadAsync(graph, Name, $"{Uri.EscapeDataString(mediaId)}/comments?fields={Uri.EscapeDataString(CommentFields)}", account.Secret, errors, cancellationToken).ConfigureAwait(false);
                foreach (var c in comments)
                {
                    Comment(c.Element, mediaId, $"media {mediaId} {c.Position}", items, errors);
                }
            }

            var tags = await GraphEdges.ReadAsync(graph, Name, $"{user}/tags?fields={Uri.EscapeDataString("id,caption,timestamp,permalink,username,comments_count,like_count")}", account.Secret, errors, cancellationToken).ConfigureAwait(false);
            foreach (var t in tags)
            {
                if (MetaMapper.InstagramItem(t.Element, null, "tags " + t.Position, errors) is { } item)
                {
                    items.Add(item);
                }
            }
        }

        if (until is null && webhooks?.Stopped(request.Source.WorkspaceId, Platform.Instagram, items, (clock ?? TimeProvider.System).GetUtcNow()) is { } quiet)
        {
            errors.Add(quiet);
        }

        var inRange = items.Where(i => i.CreatedAt is { } at && at >= since && (until is null || at < until));
        foreach (var page in MetaCheckpoint.Pages(checkpoint, inRange, errors, graph.Options.PageLimit))
        {
            yield return until is null ? page : page with { Checkpoint = null };
        }
    }

    private static void Comment(JsonElement comment, string parentId, string position, List<MentionInput> items, List<ItemError> errors)
    {
        if (MetaMapper.InstagramItem(comment, parentId, position, errors) is not { } mapped)
        {
            return;
        }

        mapped.ThreadExternalId = parentId;
        items.Add(mapped);
        if (comment.Child("replies") is { } replies && replies.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array)
        {
            var n = 0;
            foreach (var reply in data.EnumerateArray())
            {
                if (MetaMapper.InstagramItem(reply, mapped.ExternalId, $"{position} reply {++n}", errors) is { } r)
                {
                    r.ThreadExternalId = parentId;
                    items.Add(r);
                }
            }
        }
    }

    private async Task HashtagAsync(string target, string igUserId, string token, List<MentionInput> items, List<ItemError> errors, CancellationToken cancellationToken)
    {
        var tag = target.Trim().TrimStart('#');
        var user = Uri.EscapeDataString(igUserId);
        var search = await graph.GetAsync(Name, $"ig_hashtag_search?user_id={user}&q={Uri.EscapeDataString(tag)}", token, cancellationToken).ConfigureAwait(false);
        var found = JsonPages.Read(Name, search.Body, "data");
        errors.AddRange(found.Errors);
        if (found.Items.FirstOrDefault().Text("id") is not { } hashtagId)
        {
            throw new ConnectorException(Name, FailureKind.Rejected, $"Instagram knows no hashtag #{tag} (ig_hashtag_search returned nothing)");
        }

        var media = await GraphEdges.ReadAsync(graph, Name, $"{Uri.EscapeDataString(hashtagId)}/recent_media?user_id={user}&fields={Uri.EscapeDataString(MediaFields)}", token, errors, cancellationToken).ConfigureAwait(false);
        foreach (var m in media)
        {
            if (MetaMapper.InstagramItem(m.Element, null, "hashtag " + m.Position, errors) is { } item)
            {
                items.Add(item);
            }
        }
    }
}
