namespace Firebreak.Core.Connectors.TikTok;

using System.Text.Json;
using Firebreak.Core.Mentions;
using Firebreak.Core.Publishing;

/// <summary>
/// Replies to a comment through TikTok API for Business v1.3 <c>POST /business/comment/reply/create/</c>
/// (<c>business_id</c>, <c>video_id</c>, <c>comment_id</c>, <c>text</c>). The API takes no idempotency key, so every
/// send first reads the video's comments back (<c>GET /business/comment/list/</c>, newest first, the same call listening
/// makes) for our account's reply (<c>owner: true</c>) to that comment (<c>parent_comment_id</c>) with the same text,
/// created since the reply was written (<see cref="ReconciledReply"/>): a send whose answer was lost, or whose outcome
/// a crashed process never recorded, is found instead of posted twice.
/// </summary>
public sealed class TikTokReplySender(ConnectorHttp http, TikTokOptions options) : IReplySender
{
    /// <summary>
    /// Comment pages (30 each, newest first) read back to the time the reply was written. The list holds every comment on
    /// the video, so a video in a storm needs many: past this bound the sender cannot tell and sends nothing.
    /// </summary>
    public const int ReadBackPages = 20;

    public Platform Platform => Platform.TikTok;

    public Task<ReplyResult> SendAsync(PlatformAccount account, ReplyRequest reply, CancellationToken cancellationToken)
    {
        var parts = reply.InReplyToExternalId.Split('/');
        if (parts.Length != 2)
        {
            throw new ConnectorException(TikTokApi.Name, FailureKind.Rejected, $"only comments can be replied to on TikTok; {reply.InReplyToExternalId} is not a comment id (video/comment)");
        }

        return ReconciledReply.SendOnceAsync(
            TikTokApi.Name,
            token => FindAsync(account, parts[0], parts[1], reply, token),
            token => PostAsync(account, parts[0], parts[1], reply.Text, token),
            cancellationToken);
    }

    private async Task<ReplyResult> PostAsync(PlatformAccount account, string videoId, string commentId, string text, CancellationToken cancellationToken)
    {
        var uri = new Uri(options.BusinessApiBase, "business/comment/reply/create/");
        var body = new { business_id = account.Handle, video_id = videoId, comment_id = commentId, text };
        var (root, _) = await TikTokApi.CallAsync(http, () => TikTokApi.Business(HttpMethod.Post, uri, account.Secret, body), cancellationToken).ConfigureAwait(false);
        var id = root.ValueKind == JsonValueKind.Object ? root.Child("data")?.Text("comment_id") : null;
        return id is null
            ? throw new ConnectorException(TikTokApi.Name, FailureKind.Malformed, "the reply was answered without data.comment_id")
            : new ReplyResult($"{videoId}/{id}", null);
    }

    /// <summary>Our reply to <paramref name="commentId"/> with the reply's text, created since the reply was written; null when surely absent.</summary>
    private async Task<ReplyResult?> FindAsync(PlatformAccount account, string videoId, string commentId, ReplyRequest reply, CancellationToken cancellationToken)
    {
        var since = ReconciledReply.Since(reply);
        long cursor = 0;
        for (var page = 1; page <= ReadBackPages; page++)
        {
            var uri = new Uri(options.BusinessApiBase,
                $"business/comment/list/?business_id={Uri.EscapeDataString(account.Handle)}&video_id={Uri.EscapeDataString(videoId)}&sort_field=create_time&sort_order=desc&cursor={cursor}&max_count=30");
            var (root, raw) = await TikTokApi.CallAsync(http, () => TikTokApi.Business(HttpMethod.Get, uri, account.Secret), cancellationToken).ConfigureAwait(false);
            var comments = TikTokApi.Items(root, raw, "comments");
            if (comments.Errors.Count > 0)
            {
                throw new ConnectorException(TikTokApi.Name, FailureKind.Malformed, $"page {page} of video {videoId}'s comments could not be read whole ({comments.Errors[0].Reason})");
            }

            var older = false;
            foreach (var c in comments.Items)
            {
                if (TikTokApi.UnixSeconds(c, "create_time") < since)
                {
                    older = true;
                    continue;
                }

                if (c.TryGetProperty("owner", out var owner) && owner.ValueKind == JsonValueKind.True
                    && c.Text("parent_comment_id") == commentId && ReconciledReply.SameText(reply.Text, c.Text("text")) && c.Text("comment_id") is { } id)
                {
                    return new ReplyResult($"{videoId}/{id}", null);
                }
            }

            var data = root.ValueKind == JsonValueKind.Object ? root.Child("data") : null;
            if (older || data is not { } d || !d.TryGetProperty("has_more", out var more) || more.ValueKind != JsonValueKind.True || d.Number("cursor") is not { } next)
            {
                return null;
            }

            cursor = next;
        }

        throw new ConnectorException(TikTokApi.Name, FailureKind.Transient, $"more than {ReadBackPages * 30} comments on video {videoId} since the reply was written: cannot tell whether it was already posted; look for it under the comment on TikTok before retrying");
    }
}
