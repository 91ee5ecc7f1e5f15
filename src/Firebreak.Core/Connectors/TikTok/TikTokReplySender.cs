namespace Firebreak.Core.Connectors.TikTok;

using Firebreak.Core.Mentions;
using Firebreak.Core.Publishing;

/// <summary>
/// Replies to a comment through TikTok API for Business v1.3 <c>POST /business/comment/reply/create/</c>
/// (<c>business_id</c>, <c>video_id</c>, <c>comment_id</c>, <c>text</c>). The API takes no idempotency key: a retry
/// after a lost answer can post twice (a platform limit; the dispatcher only retries on a person's request).
/// </summary>
public sealed class TikTokReplySender(ConnectorHttp http, TikTokOptions options) : IReplySender
{
    public Platform Platform => Platform.TikTok;

    public async Task<ReplyResult> SendAsync(PlatformAccount account, ReplyRequest reply, CancellationToken cancellationToken)
    {
        var parts = reply.InReplyToExternalId.Split('/');
        if (parts.Length != 2)
        {
            throw new ConnectorException(TikTokApi.Name, FailureKind.Rejected, $"only comments can be replied to on TikTok; {reply.InReplyToExternalId} is not a comment id (video/comment)");
        }

        var uri = new Uri(options.BusinessApiBase, "business/comment/reply/create/");
        var body = new { business_id = account.Handle, video_id = parts[0], comment_id = parts[1], text = reply.Text };
        var (root, _) = await TikTokApi.CallAsync(http, () => TikTokApi.Business(HttpMethod.Post, uri, account.Secret, body), cancellationToken).ConfigureAwait(false);
        var id = root.ValueKind == System.Text.Json.JsonValueKind.Object ? root.Child("data")?.Text("comment_id") : null;
        return id is null
            ? throw new ConnectorException(TikTokApi.Name, FailureKind.Malformed, "the reply was answered without data.comment_id")
            : new ReplyResult($"{parts[0]}/{id}", null);
    }
}
