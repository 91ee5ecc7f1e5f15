namespace Firebreak.Core.Connectors.Reddit;

using System.Text.Json;
using Firebreak.Core.Mentions;
using Firebreak.Core.Publishing;

/// <summary>
/// Replies on Reddit: <c>POST /api/comment</c> (form: <c>api_type=json</c>, <c>thing_id</c> = the mention's fullname,
/// <c>text</c> in markdown), scope <c>submit</c>. Reddit answers 200 even when it refuses; the refusal is in
/// <c>json.errors</c> (<c>[code, message, field]</c>): RATELIMIT is transient, others are rejected. Reddit has no
/// idempotency key, so a send whose answer was lost may have posted: not retried automatically.
/// </summary>
public sealed class RedditReplySender(ConnectorHttp http) : IReplySender
{
    public Platform Platform => Platform.Reddit;

    public async Task<ReplyResult> SendAsync(PlatformAccount account, ReplyRequest reply, CancellationToken cancellationToken)
    {
        var uri = new Uri(account.BaseUri, "api/comment");
        var response = await http.SendAsync(RedditMapper.Name, () =>
        {
            var message = RedditConnector.Authorised(HttpMethod.Post, uri, account);
            message.Content = new FormUrlEncodedContent([new("api_type", "json"), new("thing_id", reply.InReplyToExternalId), new("text", reply.Text)]);
            return message;
        }, cancellationToken).ConfigureAwait(false);
        using (response.Message)
        {
            JsonElement json;
            try
            {
                using var document = JsonDocument.Parse(response.Body);
                json = document.RootElement.Clone().Child("json") ?? default;
            }
            catch (JsonException e)
            {
                throw new ConnectorException(RedditMapper.Name, FailureKind.Malformed, $"the comment answer was not JSON ({e.Message})");
            }

            if (json.ValueKind == JsonValueKind.Object && json.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
            {
                var first = errors[0];
                var parts = first.ValueKind == JsonValueKind.Array ? first.EnumerateArray().Select(p => p.ToString()).ToList() : [first.ToString()];
                var kind = parts.FirstOrDefault() == "RATELIMIT" ? FailureKind.Transient : FailureKind.Rejected;
                throw new ConnectorException(RedditMapper.Name, kind, $"Reddit refused the comment: {string.Join(" — ", parts.Where(p => p.Length > 0))}");
            }

            var thing = json.Child("data") is { } data && data.TryGetProperty("things", out var things) && things.ValueKind == JsonValueKind.Array && things.GetArrayLength() > 0
                ? things[0].Child("data")
                : null;
            if (thing?.Text("name") is not { } name)
            {
                throw new ConnectorException(RedditMapper.Name, FailureKind.Malformed, "the created comment came back without a name");
            }

            return new ReplyResult(name, thing.Value.Text("permalink") is { } link ? "https://www.reddit.com" + link : null);
        }
    }
}
