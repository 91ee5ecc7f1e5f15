namespace Firebreak.Core.Connectors.X;

using System.Net.Http.Headers;
using System.Net.Http.Json;
using Firebreak.Core.Mentions;
using Firebreak.Core.Publishing;

/// <summary>
/// Replies on X: <c>POST /2/tweets {text, reply: {in_reply_to_tweet_id}}</c> with an OAuth 2 user token (scopes
/// tweet.read tweet.write users.read). X has no idempotency key: a send whose answer is lost after X created the tweet
/// cannot be told apart from one that failed, so the dispatcher's single attempt per retry is the only guard.
/// </summary>
public sealed class XReplySender(ConnectorHttp http) : IReplySender
{
    public Platform Platform => Platform.X;

    public async Task<ReplyResult> SendAsync(PlatformAccount account, ReplyRequest reply, CancellationToken cancellationToken)
    {
        var uri = new Uri(account.BaseUri, "2/tweets");
        var response = await http.SendAsync(XMapper.Name, () =>
        {
            var message = new HttpRequestMessage(HttpMethod.Post, uri)
            {
                Content = JsonContent.Create(new { text = reply.Text, reply = new { in_reply_to_tweet_id = reply.InReplyToExternalId } }),
            };
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", account.Secret);
            return message;
        }, cancellationToken).ConfigureAwait(false);
        using (response.Message)
        {
            var json = JsonPages.Read(XMapper.Name, [(byte)'[', .. response.Body, (byte)']'], null);
            if (json.Items.Count != 1 || json.Items[0].Child("data")?.Text("id") is not { } id)
            {
                var problem = json.Items.Count == 1 ? XMapper.Problems(json.Items[0]).FirstOrDefault() : null;
                throw new ConnectorException(XMapper.Name, FailureKind.Malformed, "the created tweet came back without an id" + (problem is null ? string.Empty : $" ({problem})"));
            }

            return new ReplyResult(id, $"https://x.com/{account.Handle.TrimStart('@')}/status/{id}");
        }
    }
}
