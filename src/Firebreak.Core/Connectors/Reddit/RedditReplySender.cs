namespace Firebreak.Core.Connectors.Reddit;

using System.Text.Json;
using Firebreak.Core.Mentions;
using Firebreak.Core.Publishing;

/// <summary>
/// Replies on Reddit: <c>POST /api/comment</c> (form: <c>api_type=json</c>, <c>thing_id</c> = the mention's fullname,
/// <c>text</c> in markdown), scope <c>submit</c>. Reddit answers 200 even when it refuses; the refusal is in
/// <c>json.errors</c> (<c>[code, message, field]</c>): RATELIMIT is transient, others are rejected. Reddit has no
/// idempotency key, so every send is preceded by a read-back of the account's newest comments
/// (<c>GET /user/{name}/comments?sort=new&amp;raw_json=1</c>, a Listing of t1 things with <c>parent_id</c>, <c>body</c>,
/// <c>created_utc</c>): our comment under the same parent with the same text, written since the reply was, means an
/// earlier try went out (<see cref="ReconciledReply"/>).
/// </summary>
public sealed class RedditReplySender(ConnectorHttp http) : IReplySender
{
    /// <summary>The account's newest comments read back (Reddit's maximum page).</summary>
    public const int ReadBackLimit = 100;

    public Platform Platform => Platform.Reddit;

    public Task<ReplyResult> SendAsync(PlatformAccount account, ReplyRequest reply, CancellationToken cancellationToken) =>
        ReconciledReply.SendOnceAsync(RedditMapper.Name, token => FindAsync(account, reply, token), token => PostAsync(account, reply, token), cancellationToken);

    private async Task<ReplyResult?> FindAsync(PlatformAccount account, ReplyRequest reply, CancellationToken cancellationToken)
    {
        var name = account.Handle.Trim().TrimStart('/').Replace("u/", string.Empty, StringComparison.OrdinalIgnoreCase).TrimStart('@');
        var uri = new Uri(account.BaseUri, $"user/{Uri.EscapeDataString(name)}/comments?sort=new&limit={ReadBackLimit}&raw_json=1");
        var response = await http.SendAsync(RedditMapper.Name, () => RedditConnector.Authorised(HttpMethod.Get, uri, account), cancellationToken).ConfigureAwait(false);
        JsonItems listing;
        using (response.Message)
        {
            listing = JsonPages.Read(RedditMapper.Name, response.Body, null);
        }

        var children = listing.Root?.Child("data") is { } data && data.TryGetProperty("children", out var c) && c.ValueKind == JsonValueKind.Array ? c.EnumerateArray().ToList() : null;
        if (children is null)
        {
            throw new ConnectorException(RedditMapper.Name, FailureKind.Malformed, "the account's comments could not be read whole (no data.children)");
        }

        var since = ReconciledReply.Since(reply).ToUnixTimeSeconds();
        foreach (var child in children)
        {
            var thing = child.Child("data");
            if (thing is { } t && t.Text("parent_id") == reply.InReplyToExternalId && ReconciledReply.SameText(reply.Text, t.Text("body"))
                && t.TryGetProperty("created_utc", out var created) && created.ValueKind == JsonValueKind.Number && created.GetDouble() >= since && t.Text("name") is { } found)
            {
                return new ReplyResult(found, t.Text("permalink") is { } link ? "https://www.reddit.com" + link : null);
            }
        }

        return null;
    }

    private async Task<ReplyResult> PostAsync(PlatformAccount account, ReplyRequest reply, CancellationToken cancellationToken)
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
