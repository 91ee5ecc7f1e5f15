namespace Firebreak.Core.Connectors.YouTube;

using System.Net.Http.Json;
using Firebreak.Core.Mentions;
using Firebreak.Core.Publishing;

/// <summary>
/// Replies on YouTube (Data API v3, OAuth scope youtube.force-ssl): to a comment with <c>POST /youtube/v3/comments?part=snippet</c>
/// (<c>snippet.parentId</c> = the top-level comment id), to a video with <c>POST /youtube/v3/commentThreads?part=snippet</c>
/// (a new top-level comment). An API key cannot write. Each insert costs 50 quota units. YouTube has no idempotency key,
/// so every send is preceded by a read-back (1 quota unit each): the channel's id (<c>GET /channels?part=id&amp;mine=true</c>)
/// and the replies already there (<c>GET /comments?part=snippet&amp;parentId=</c>, or for a video
/// <c>GET /commentThreads?part=snippet&amp;videoId=&amp;order=time</c>); our channel's comment with the same text, published
/// since the reply was written, is an earlier try that went out (<see cref="ReconciledReply"/>).
/// </summary>
public sealed class YouTubeReplySender(ConnectorHttp http, TimeProvider clock) : IReplySender
{
    public Platform Platform => Platform.YouTube;

    public Task<ReplyResult> SendAsync(PlatformAccount account, ReplyRequest reply, CancellationToken cancellationToken)
    {
        if (YouTubeConnector.IsApiKey(account))
        {
            throw new ConnectorException(YouTubeMapper.Name, FailureKind.Forbidden, "an API key can only read: connect YouTube with an OAuth token (scope youtube.force-ssl) to reply");
        }

        return ReconciledReply.SendOnceAsync(YouTubeMapper.Name, token => FindAsync(account, reply, token), token => PostAsync(account, reply, token), cancellationToken);
    }

    /// <summary>Video ids are 11 characters; comment ids are longer (Ugx…).</summary>
    private static bool ToVideo(ReplyRequest reply) => reply.InReplyToExternalId.Length == 11;

    private async Task<ReplyResult?> FindAsync(PlatformAccount account, ReplyRequest reply, CancellationToken cancellationToken)
    {
        using var channels = await GetAsync(account, "youtube/v3/channels?part=id&mine=true", cancellationToken).ConfigureAwait(false);
        if (channels.Items.Count == 0 || channels.Items[0].Text("id") is not { } mine)
        {
            throw new ConnectorException(YouTubeMapper.Name, FailureKind.Malformed, "channels?mine=true named no channel for this token");
        }

        var id = Uri.EscapeDataString(reply.InReplyToExternalId);
        using var page = await GetAsync(account, ToVideo(reply)
            ? $"youtube/v3/commentThreads?part=snippet&videoId={id}&order=time&maxResults=100&textFormat=plainText"
            : $"youtube/v3/comments?part=snippet&parentId={id}&maxResults=100&textFormat=plainText", cancellationToken).ConfigureAwait(false);
        var since = ReconciledReply.Since(reply);
        foreach (var item in page.Items)
        {
            var comment = ToVideo(reply) ? item.Child("snippet")?.Child("topLevelComment") ?? default : item;
            var snippet = comment.Child("snippet");
            if (snippet is { } s && s.Child("authorChannelId")?.Text("value") == mine && ReconciledReply.SameText(reply.Text, s.Text("textOriginal"))
                && s.Time("publishedAt") >= since && comment.Text("id") is { } found)
            {
                var videoId = ToVideo(reply) ? reply.InReplyToExternalId : s.Text("videoId");
                return new ReplyResult(found, videoId is null ? null : $"https://www.youtube.com/watch?v={videoId}&lc={found}");
            }
        }

        return null;
    }

    private async Task<JsonItems> GetAsync(PlatformAccount account, string path, CancellationToken cancellationToken)
    {
        var uri = new Uri(account.BaseUri, path);
        ConnectorResponse response;
        try
        {
            response = await http.SendAsync(YouTubeMapper.Name, () => YouTubeConnector.Authorised(HttpMethod.Get, uri, account), cancellationToken).ConfigureAwait(false);
        }
        catch (ConnectorException e) when (e.Status is 400 or 403)
        {
            throw YouTubeConnector.Classify(e, null, clock.GetUtcNow());
        }

        using (response.Message)
        {
            var page = JsonPages.Read(YouTubeMapper.Name, response.Body, "items");
            return page.Errors.Count > 0
                ? throw new ConnectorException(YouTubeMapper.Name, FailureKind.Malformed, $"{path.Split('?')[0]} could not be read whole ({page.Errors[0].Reason})")
                : page;
        }
    }

    private async Task<ReplyResult> PostAsync(PlatformAccount account, ReplyRequest reply, CancellationToken cancellationToken)
    {
        var toVideo = ToVideo(reply);
        var uri = new Uri(account.BaseUri, toVideo ? "youtube/v3/commentThreads?part=snippet" : "youtube/v3/comments?part=snippet");
        object body = toVideo
            ? new { snippet = new { videoId = reply.InReplyToExternalId, topLevelComment = new { snippet = new { textOriginal = reply.Text } } } }
            : new { snippet = new { parentId = reply.InReplyToExternalId, textOriginal = reply.Text } };
        ConnectorResponse response;
        try
        {
            response = await http.SendAsync(YouTubeMapper.Name, () =>
            {
                var message = YouTubeConnector.Authorised(HttpMethod.Post, uri, account);
                message.Content = JsonContent.Create(body);
                return message;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (ConnectorException e) when (e.Status is 400 or 403)
        {
            throw YouTubeConnector.Classify(e, null, clock.GetUtcNow());
        }

        using (response.Message)
        {
            var json = JsonPages.Read(YouTubeMapper.Name, [(byte)'[', .. response.Body, (byte)']'], null);
            if (json.Items.Count != 1 || json.Items[0].Text("id") is not { } id)
            {
                throw new ConnectorException(YouTubeMapper.Name, FailureKind.Malformed, "the created comment came back without an id");
            }

            var videoId = toVideo ? reply.InReplyToExternalId : json.Items[0].Child("snippet")?.Text("videoId");
            return new ReplyResult(id, videoId is null ? null : $"https://www.youtube.com/watch?v={videoId}&lc={id}");
        }
    }
}
