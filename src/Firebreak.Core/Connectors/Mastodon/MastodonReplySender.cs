namespace Firebreak.Core.Connectors.Mastodon;

using System.Net.Http.Headers;
using System.Net.Http.Json;
using Firebreak.Core.Mentions;
using Firebreak.Core.Publishing;

/// <summary>
/// Replies on Mastodon: <c>POST /api/v1/statuses</c> with <c>in_reply_to_id</c> and an <c>Idempotency-Key</c> header
/// (Mastodon keeps it for an hour, so a retried send after a timeout posts once). The author is named at the start when
/// the text does not name them, because Mastodon notifies only the accounts a status mentions.
/// </summary>
public sealed class MastodonReplySender(ConnectorHttp http) : IReplySender
{
    public Platform Platform => Platform.Mastodon;

    public async Task<ReplyResult> SendAsync(PlatformAccount account, ReplyRequest reply, CancellationToken cancellationToken)
    {
        var author = reply.InReplyToAuthor is { Length: > 0 } handle ? "@" + handle.TrimStart('@') : null;
        var text = author is not null && !reply.Text.Contains(author, StringComparison.OrdinalIgnoreCase) ? $"{author} {reply.Text}" : reply.Text;
        var uri = new Uri(account.BaseUri, "api/v1/statuses");
        var response = await http.SendAsync(MastodonMapper.Name, () =>
        {
            var message = new HttpRequestMessage(HttpMethod.Post, uri)
            {
                Content = JsonContent.Create(new { status = text, in_reply_to_id = reply.InReplyToExternalId }),
            };
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", account.Secret);
            message.Headers.Add("Idempotency-Key", reply.IdempotencyKey);
            // The server answers a repeated Idempotency-Key with the first status, so a lost answer may be asked again.
            return ConnectorHttp.Repeatable(message);
        }, cancellationToken).ConfigureAwait(false);
        using (response.Message)
        {
            var json = JsonPages.Read(MastodonMapper.Name, [(byte)'[', .. response.Body, (byte)']'], null);
            if (json.Items.Count != 1 || json.Items[0].Text("id") is not { } id)
            {
                throw new ConnectorException(MastodonMapper.Name, FailureKind.Malformed, "the created status came back without an id");
            }

            return new ReplyResult(id, json.Items[0].Text("url"));
        }
    }
}
