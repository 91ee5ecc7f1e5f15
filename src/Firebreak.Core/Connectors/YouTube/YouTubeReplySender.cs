namespace Firebreak.Core.Connectors.YouTube;

using System.Net.Http.Json;
using Firebreak.Core.Mentions;
using Firebreak.Core.Publishing;

/// <summary>
/// Replies on YouTube (Data API v3, OAuth scope youtube.force-ssl): to a comment with <c>POST /youtube/v3/comments?part=snippet</c>
/// (<c>snippet.parentId</c> = the top-level comment id), to a video with <c>POST /youtube/v3/commentThreads?part=snippet</c>
/// (a new top-level comment). An API key cannot write. YouTube has no idempotency key: a send whose answer was lost may
/// have posted, so it is not retried automatically. Each insert costs 50 quota units.
/// </summary>
public sealed class YouTubeReplySender(ConnectorHttp http, TimeProvider clock) : IReplySender
{
    public Platform Platform => Platform.YouTube;

    public async Task<ReplyResult> SendAsync(PlatformAccount account, ReplyRequest reply, CancellationToken cancellationToken)
    {
        if (YouTubeConnector.IsApiKey(account))
        {
            throw new ConnectorException(YouTubeMapper.Name, FailureKind.Forbidden, "an API key can only read: connect YouTube with an OAuth token (scope youtube.force-ssl) to reply");
        }

        // Video ids are 11 characters; comment ids are longer (Ugx…).
        var toVideo = reply.InReplyToExternalId.Length == 11;
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
