namespace Firebreak.Core.Connectors.X;

using System.Net;
using System.Text.RegularExpressions;
using Firebreak.Core.Mentions;
using Firebreak.Core.Publishing;
using Firebreak.Core.Publishing.Outbox;
using Firebreak.Core.Publishing.Platforms;

/// <summary>
/// Publishing to X (API v2, docs.x.com "Create or Edit Post"): <c>POST /2/tweets {"text"}</c> answers 201
/// <c>{"data":{"id","text"}}</c>, with an OAuth 2 user token (scopes tweet.read tweet.write users.read). X has no
/// idempotency key, so a send whose answer was lost is reconciled before any second attempt: <see cref="FindAsync"/>
/// reads the account's own timeline (<c>GET /2/users/:id/tweets</c>, newest first, <c>start_time</c> from when the send
/// began) for the same text. The same read feeds the rogue-post alarm (<see cref="ReadBackAsync"/>, <c>since_id</c>).
/// Media need the v2 media upload first (not built): a post with media is refused rather than sent without them.
/// </summary>
public sealed partial class XPublisher(ConnectorHttp http) : IPlatformPublisher
{
    public Platform Platform => Platform.X;

    public async Task<PublishAttempt> PublishAsync(PlatformAccount account, PublishRequest request, CancellationToken cancellationToken)
    {
        if (request.MediaUrls.Count > 0)
        {
            return PublishAttempt.Permanent("Media are not supported by Firebreak's X publisher yet (they need the media upload endpoint first); remove the media or post it by hand.");
        }

        try
        {
            var (id, problem) = await XTimeline.CreateAsync(http, account, new { text = request.Text }, cancellationToken).ConfigureAwait(false);
            return id is null
                ? PublishAttempt.Transient($"X answered without the new post's id ({problem}); it is looked for on the account before any new attempt.")
                : PublishAttempt.Published(id, XTimeline.StatusUrl(account, id));
        }
        catch (ConnectorException e) when (e.Kind == FailureKind.Transient)
        {
            return PublishAttempt.Transient(e.Message);
        }
        catch (ConnectorException e) when (e.Message.Contains("duplicate content", StringComparison.OrdinalIgnoreCase))
        {
            // X refuses a text the account posted recently: either an earlier attempt of ours that the read-back missed, or someone posted it by hand.
            return PublishAttempt.Permanent("X refused the post as a duplicate of one already on the account; check the account before posting it again. " + e.Message);
        }
        catch (ConnectorException e)
        {
            return PublishAttempt.Permanent(e.Message);
        }
    }

    public async Task<RemotePost?> FindAsync(PlatformAccount account, PublishRequest request, DateTimeOffset sentSince, CancellationToken cancellationToken)
    {
        var wanted = Comparable(request.Text);
        var posts = await TimelineAsync(account, "&start_time=" + XTimeline.StartTime(sentSince.AddMinutes(-1)), cancellationToken).ConfigureAwait(false);
        return posts.FirstOrDefault(p => Comparable(p.Text) == wanted);
    }

    public async Task<ReadBack> ReadBackAsync(PlatformAccount account, string? checkpoint, CancellationToken cancellationToken)
    {
        var posts = await TimelineAsync(account, checkpoint is null ? string.Empty : "&since_id=" + Uri.EscapeDataString(checkpoint), cancellationToken).ConfigureAwait(false);
        return new ReadBack(posts, posts.Count > 0 ? posts[0].RemoteId : checkpoint);
    }

    /// <summary>
    /// The form in which a sent text and X's copy of it are equal: X gives text back HTML-escaped (&amp;amp;, &amp;lt;,
    /// &amp;gt;) and with every link shortened to a t.co address, so entities are decoded and each URL becomes one token.
    /// </summary>
    public static string Comparable(string text) => PostText.Normalise(AnyUrl().Replace(WebUtility.HtmlDecode(text), "<url>"));

    private async Task<IReadOnlyList<RemotePost>> TimelineAsync(PlatformAccount account, string filter, CancellationToken cancellationToken)
    {
        try
        {
            var tweets = await XTimeline.OwnTweetsAsync(http, account, filter, cancellationToken).ConfigureAwait(false);
            return [.. tweets.Select(t => new RemotePost(t.Id, t.Url, t.Text, t.CreatedAt))];
        }
        catch (ConnectorException e)
        {
            // Whatever X said (token, limit, outage), we cannot tell what is on the account: nothing may be sent.
            throw new PlatformUnavailableException(e.Message);
        }
    }

    [GeneratedRegex(@"https?://\S+", RegexOptions.IgnoreCase)]
    private static partial Regex AnyUrl();
}
