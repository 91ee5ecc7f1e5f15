namespace Firebreak.Core.Connectors.TikTok;

using System.Globalization;
using System.Text.Json;
using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;
using Firebreak.Core.Workspaces;

/// <summary>
/// TikTok listening. An Account source (target: the business account's id, as connected) reads comments on the
/// account's newest videos, both through TikTok API for Business v1.3 (the Accounts API; one Business token,
/// <c>Access-Token</c> header): <c>GET /business/video/list/</c> for the videos and <c>GET /business/comment/list/</c>
/// (newest first) for their comments. (The Display API's <c>/v2/video/list/</c> is not used: it needs a Login Kit user
/// token, a different credential from the Business token the comment endpoints take.) A Query source ("#tag" or words) uses the
/// Research API v2 <c>POST /v2/research/video/query/</c>, which only approved researchers' apps may call (client
/// token from the client-credentials grant). Checkpoint: <see cref="TimeCheckpoint"/> (newest creation time committed). Polling only.
/// </summary>
public sealed class TikTokConnector(ConnectorHttp http, TikTokOptions options, TimeProvider clock) : IListeningConnector
{
    private const string Name = TikTokApi.Name;
    /// <summary>Business API <c>fields</c> is a JSON array of the video fields wanted (item_id, create_time, share_url, caption, comments…).</summary>
    private const string VideoFields = """["item_id","create_time","share_url","caption","comments"]""";
    private const string ResearchFields = "id,video_description,create_time,region_code,share_count,view_count,like_count,comment_count,username,hashtag_names";
    private (string Token, DateTimeOffset Until)? clientToken;

    public Platform Platform => Platform.TikTok;

    public bool Streams(Source source) => false;

    public string? Unsupported(Source source) => source.Kind switch
    {
        SourceKind.Feed => "TikTok sources are an account (comments on its videos) or a query (Research API, approved researchers only)",
        _ => null,
    };

    public async IAsyncEnumerable<ListenPage> ListenAsync(ListenRequest request, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var since = TimeCheckpoint.Parse(request.Checkpoint);
        await foreach (var page in ReadAsync(request, since, null, cancellationToken).ConfigureAwait(false))
        {
            yield return page;
        }
    }

    public async IAsyncEnumerable<ListenPage> BackfillAsync(ListenRequest request, DateTimeOffset from, DateTimeOffset to, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var page in ReadAsync(request, from, to, cancellationToken).ConfigureAwait(false))
        {
            yield return TimeCheckpoint.InRange(page, from, to);
        }
    }

    /// <summary>Everything created at or after <paramref name="since"/> (the newest window on a first run), oldest first; the last page carries the checkpoint.</summary>
    private async IAsyncEnumerable<ListenPage> ReadAsync(ListenRequest request, DateTimeOffset? since, DateTimeOffset? until, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var items = new Dictionary<string, MentionInput>(StringComparer.Ordinal);
        var errors = new PassErrors();
        if (request.Source.Kind == SourceKind.Account)
        {
            var account = request.Account ?? throw new ConnectorException(Name, FailureKind.Rejected, "no TikTok account is connected in this workspace: connect the business account under Connections");
            var businessId = request.Source.Target.Trim();
            foreach (var video in await VideosAsync(account.Secret, businessId, errors, cancellationToken).ConfigureAwait(false))
            {
                await CommentsAsync(account.Secret, businessId, video, since, items, errors, cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            await ResearchAsync(request.Source.Target, since ?? clock.GetUtcNow().AddDays(-1), until ?? clock.GetUtcNow(), items, errors, cancellationToken).ConfigureAwait(false);
        }

        yield return TimeCheckpoint.Page(items.Values, since, errors);
    }

    /// <summary>
    /// The account's newest videos: <c>GET /business/video/list/?business_id=&amp;fields=[…]&amp;max_count=20&amp;cursor=</c>,
    /// answered <c>{"code": 0, "data": {"videos": [{"item_id", "create_time", "share_url", "caption", "comments"}], "cursor", "has_more"}}</c>.
    /// </summary>
    private async Task<List<Video>> VideosAsync(string token, string businessId, PassErrors errors, CancellationToken cancellationToken)
    {
        var videos = new List<Video>();
        long? cursor = null;
        for (var listPage = 1; videos.Count < options.VideoWindow; listPage++)
        {
            var uri = new Uri(options.BusinessApiBase,
                $"business/video/list/?business_id={Uri.EscapeDataString(businessId)}&fields={Uri.EscapeDataString(VideoFields)}&max_count=20"
                + (cursor is { } c ? "&cursor=" + c.ToString(CultureInfo.InvariantCulture) : string.Empty));
            var (root, raw) = await TikTokApi.CallAsync(http, () => TikTokApi.Business(HttpMethod.Get, uri, token), cancellationToken).ConfigureAwait(false);
            var page = TikTokApi.Items(root, raw, "videos");
            // A cut video list hides videos whose new comments may be older than those read: the pass must hold its checkpoint.
            errors.AddPage(page.Errors, $"video list page {listPage}");
            foreach (var v in page.Items)
            {
                if (v.Text("item_id") is { } id)
                {
                    videos.Add(new Video(id, v.Text("share_url"), v.Number("comments")));
                }
            }

            var data = root.ValueKind == JsonValueKind.Object ? root.Child("data") : null;
            if (page.Errors.Count > 0 || data is not { } d || !d.TryGetProperty("has_more", out var more) || more.ValueKind != JsonValueKind.True || d.Number("cursor") is not { } next)
            {
                break;
            }

            cursor = next;
        }

        return videos.Take(options.VideoWindow).Where(v => v.CommentCount is not 0).ToList();
    }

    private async Task CommentsAsync(string token, string businessId, Video video, DateTimeOffset? since, Dictionary<string, MentionInput> items, PassErrors errors, CancellationToken cancellationToken)
    {
        long cursor = 0;
        for (var pageNumber = 1; pageNumber <= options.MaxCommentPages; pageNumber++)
        {
            var uri = new Uri(options.BusinessApiBase,
                $"business/comment/list/?business_id={Uri.EscapeDataString(businessId)}&video_id={Uri.EscapeDataString(video.Id)}&sort_field=create_time&sort_order=desc&cursor={cursor}&max_count=30");
            var (root, raw) = await TikTokApi.CallAsync(http, () => TikTokApi.Business(HttpMethod.Get, uri, token), cancellationToken).ConfigureAwait(false);
            var page = TikTokApi.Items(root, raw, "comments");
            errors.AddPage(page.Errors, $"video {video.Id} page {pageNumber}");
            var older = false;
            for (var i = 0; i < page.Items.Count; i++)
            {
                var item = TikTokMapper.Comment(page.Items[i], video, $"video {video.Id} page {pageNumber} item {i + 1}", errors);
                if (item is null)
                {
                    continue;
                }

                if (since is { } s && item.CreatedAt < s)
                {
                    older = true;
                    continue;
                }

                items.TryAdd(item.ExternalId!, item);
            }

            // A first run reads the newest page only; later runs read back to the checkpoint.
            var data = root.ValueKind == JsonValueKind.Object ? root.Child("data") : null;
            if (since is null || older || page.Errors.Count > 0 || data is not { } d || !d.TryGetProperty("has_more", out var more) || more.ValueKind != JsonValueKind.True || d.Number("cursor") is not { } next)
            {
                return;
            }

            cursor = next;
        }

        if (since is not null)
        {
            errors.Add(new ItemError(Name, $"video {video.Id} after page {options.MaxCommentPages}", $"more than {options.MaxCommentPages} pages of comments since the checkpoint: older comments on this video in this gap were not read (raise TikTokOptions.MaxCommentPages)"));
        }
    }

    private async Task ResearchAsync(string target, DateTimeOffset since, DateTimeOffset until, Dictionary<string, MentionInput> items, PassErrors errors, CancellationToken cancellationToken)
    {
        var token = await ClientTokenAsync(cancellationToken).ConfigureAwait(false);
        var start = since - options.ResearchRewind;
        if (until - start > TimeSpan.FromDays(30))
        {
            // The Research API allows at most 30 days per query.
            start = until.AddDays(-30);
        }

        var trimmed = target.Trim();
        var conditions = trimmed.StartsWith('#')
            ? new[] { new { operation = "EQ", field_name = "hashtag_name", field_values = new[] { trimmed.TrimStart('#') } } }
            : trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => new { operation = "EQ", field_name = "keyword", field_values = new[] { w } }).ToArray();
        long cursor = 0;
        string? searchId = null;
        for (var pageNumber = 1; pageNumber <= options.MaxResearchPages; pageNumber++)
        {
            var uri = new Uri(options.OpenApiBase, "v2/research/video/query/?fields=" + ResearchFields);
            var body = new
            {
                query = new { and = conditions },
                start_date = start.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture),
                end_date = until.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture),
                max_count = 100,
                cursor,
                search_id = searchId,
            };
            var (root, raw) = await TikTokApi.CallAsync(http, () => ConnectorHttp.Repeatable(TikTokApi.Bearer(HttpMethod.Post, uri, token, body)), cancellationToken).ConfigureAwait(false);
            var page = TikTokApi.Items(root, raw, "videos");
            errors.AddPage(page.Errors, $"research page {pageNumber}");
            for (var i = 0; i < page.Items.Count; i++)
            {
                if (TikTokMapper.ResearchVideo(page.Items[i], $"research page {pageNumber} item {i + 1}", errors) is { } item && item.CreatedAt >= since)
                {
                    items.TryAdd(item.ExternalId!, item);
                }
            }

            var data = root.ValueKind == JsonValueKind.Object ? root.Child("data") : null;
            if (page.Errors.Count > 0 || data is not { } d || !d.TryGetProperty("has_more", out var more) || more.ValueKind != JsonValueKind.True || d.Number("cursor") is not { } next)
            {
                return;
            }

            cursor = next;
            searchId = d.Text("search_id");
        }
    }

    /// <summary>The Research API takes a client access token (client-credentials grant), cached until shortly before it expires.</summary>
    private async Task<string> ClientTokenAsync(CancellationToken cancellationToken)
    {
        if (clientToken is { } cached && cached.Until > clock.GetUtcNow())
        {
            return cached.Token;
        }

        if (options.ClientKey.Length == 0)
        {
            throw new ConnectorException(Name, FailureKind.Rejected, "TikTok keyword search uses the Research API: set Connectors:TikTok:ClientKey and ClientSecret of an app approved for it");
        }

        var uri = new Uri(options.OpenApiBase, "v2/oauth/token/");
        var fields = new Dictionary<string, string> { ["client_key"] = options.ClientKey, ["client_secret"] = options.ClientSecret, ["grant_type"] = "client_credentials" };
        var response = await http.SendAsync(Name, () => new HttpRequestMessage(HttpMethod.Post, uri) { Content = new FormUrlEncodedContent(fields) }, cancellationToken).ConfigureAwait(false);
        using (response.Message)
        {
            var token = OAuth.RefreshTokenGrant.Parse(Name, response.Body, clock.GetUtcNow());
            clientToken = (token.AccessToken, (token.ExpiresAt ?? clock.GetUtcNow().AddHours(2)).AddMinutes(-5));
            return token.AccessToken;
        }
    }
}

/// <summary>An owned video whose comments are read.</summary>
public sealed record Video(string Id, string? ShareUrl, long? CommentCount);

/// <summary>Maps TikTok comments (Business API v1.3) and Research API videos to pipeline input.</summary>
public static class TikTokMapper
{
    /// <summary>
    /// A comment. External id <c>{video_id}/{comment_id}</c>: the reply endpoint needs both ids, and replies carry only the
    /// mention's external id. The account's own comments (<c>owner: true</c>) are skipped (they are our replies).
    /// Documented comment fields (v1.3): comment_id, video_id, unique_identifier, user_id (to be deprecated), create_time
    /// (Unix seconds), text, likes, replies, owner, liked, pinned, status, username, profile_image, parent_comment_id.
    /// There is no display name: the handle is <c>username</c>, else <c>unique_identifier</c>.
    /// </summary>
    public static MentionInput? Comment(JsonElement c, Video video, string position, List<ItemError> errors)
    {
        var id = c.Text("comment_id");
        var created = TikTokApi.UnixSeconds(c, "create_time");
        if (id is null || created is null)
        {
            errors.Add(new ItemError(TikTokApi.Name, position, "a comment without comment_id or create_time"));
            return null;
        }

        if (c.TryGetProperty("owner", out var owner) && owner.ValueKind == JsonValueKind.True)
        {
            return null;
        }

        var parent = c.Text("parent_comment_id");
        var isReply = parent is { Length: > 0 } && parent != id;
        return new MentionInput
        {
            Platform = TikTokApi.Name,
            ExternalId = $"{video.Id}/{id}",
            Kind = isReply ? "reply" : "comment",
            Author = new AuthorInput { Handle = c.Text("username") ?? c.Text("unique_identifier") ?? c.Text("user_id") ?? "unknown" },
            Text = c.Text("text") ?? string.Empty,
            Url = video.ShareUrl,
            CreatedAt = created,
            Engagement = new EngagementInput { Likes = c.Number("likes"), Replies = c.Number("replies") },
            ParentExternalId = isReply ? $"{video.Id}/{parent}" : video.Id,
            ThreadExternalId = video.Id,
        };
    }

    /// <summary>A Research API video: description as text, counts as engagement, the public URL built from username and id.</summary>
    public static MentionInput? ResearchVideo(JsonElement v, string position, List<ItemError> errors)
    {
        var id = v.Number("id")?.ToString(CultureInfo.InvariantCulture) ?? v.Text("id");
        var created = TikTokApi.UnixSeconds(v, "create_time");
        if (id is null || created is null)
        {
            errors.Add(new ItemError(TikTokApi.Name, position, "a video without id or create_time"));
            return null;
        }

        var user = v.Text("username");
        return new MentionInput
        {
            Platform = TikTokApi.Name,
            ExternalId = id,
            Kind = "post",
            Author = new AuthorInput { Handle = user ?? "unknown" },
            Text = v.Text("video_description") ?? string.Empty,
            Url = user is null ? null : $"https://www.tiktok.com/@{user}/video/{id}",
            CreatedAt = created,
            Engagement = new EngagementInput { Likes = v.Number("like_count"), Shares = v.Number("share_count"), Replies = v.Number("comment_count"), Views = v.Number("view_count") },
        };
    }
}
