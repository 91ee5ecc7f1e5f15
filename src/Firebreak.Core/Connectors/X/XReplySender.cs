namespace Firebreak.Core.Connectors.X;

using System.Text.RegularExpressions;
using Firebreak.Core.Mentions;
using Firebreak.Core.Publishing;

/// <summary>
/// Replies on X: <c>POST /2/tweets {text, reply: {in_reply_to_tweet_id}}</c> with an OAuth 2 user token (scopes
/// tweet.read tweet.write users.read). X has no idempotency key, so every send is preceded by a read-back of the
/// account's own timeline since the reply was written (<see cref="XTimeline"/>, <see cref="ReconciledReply"/>): a post
/// of ours answering the same tweet with the same text means an earlier try already went out, and it is returned instead.
/// </summary>
public sealed partial class XReplySender(ConnectorHttp http) : IReplySender
{
    public Platform Platform => Platform.X;

    public Task<ReplyResult> SendAsync(PlatformAccount account, ReplyRequest reply, CancellationToken cancellationToken) =>
        ReconciledReply.SendOnceAsync(XMapper.Name, token => FindAsync(account, reply, token), token => PostAsync(account, reply, token), cancellationToken);

    /// <summary>Our earlier reply to the same tweet with the same text, written since this reply was; null when surely absent.</summary>
    private async Task<ReplyResult?> FindAsync(PlatformAccount account, ReplyRequest reply, CancellationToken cancellationToken)
    {
        var tweets = await XTimeline.OwnTweetsAsync(http, account, "&start_time=" + XTimeline.StartTime(ReconciledReply.Since(reply)), cancellationToken).ConfigureAwait(false);
        var wanted = XPublisher.Comparable(reply.Text);
        var found = tweets.FirstOrDefault(t => t.RepliedTo == reply.InReplyToExternalId && XPublisher.Comparable(LeadingMentions().Replace(t.Text, string.Empty)) == wanted);
        return found is null ? null : new ReplyResult(found.Id, found.Url);
    }

    private async Task<ReplyResult> PostAsync(PlatformAccount account, ReplyRequest reply, CancellationToken cancellationToken)
    {
        var (id, problem) = await XTimeline.CreateAsync(http, account, new { text = reply.Text, reply = new { in_reply_to_tweet_id = reply.InReplyToExternalId } }, cancellationToken).ConfigureAwait(false);
        return id is null
            ? throw new ConnectorException(XMapper.Name, FailureKind.Malformed, $"the created tweet came back without an id ({problem})")
            : new ReplyResult(id, XTimeline.StatusUrl(account, id));
    }

    /// <summary>A reply's text may come back with the @handles it answers in front (X's reply metadata); they are not part of what we wrote.</summary>
    [GeneratedRegex(@"^(?:@\w{1,15}\s+)+")]
    private static partial Regex LeadingMentions();
}
