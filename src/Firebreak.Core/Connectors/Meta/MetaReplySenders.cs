namespace Firebreak.Core.Connectors.Meta;

using System.Text.Json;
using Firebreak.Core.Mentions;
using Firebreak.Core.Publishing;

/// <summary>
/// Replies to Facebook comments and posts: <c>POST /{object-id}/comments</c> with <c>message</c>, Page token. Graph has
/// no idempotency key, so every send is preceded by a read-back of the object's comments
/// (<c>GET /{object-id}/comments?order=reverse_chronological&amp;fields=id,message,from,created_time</c>): the Page's own
/// comment with the same text, since the reply was written, is an earlier try that went out (<see cref="ReconciledReply"/>).
/// </summary>
public sealed class FacebookReplySender(GraphClient graph) : IReplySender
{
    public Platform Platform => Platform.Facebook;

    public Task<ReplyResult> SendAsync(PlatformAccount account, ReplyRequest reply, CancellationToken cancellationToken) =>
        MetaReplies.SendAsync(graph, MetaMapper.Facebook, $"{Uri.EscapeDataString(reply.InReplyToExternalId)}/comments", "id,message,from,created_time", "message", "created_time", account, reply, id => $"https://www.facebook.com/{id}", cancellationToken);
}

/// <summary>
/// Replies to Instagram comments: <c>POST /{ig-comment-id}/replies</c> with <c>message</c> (instagram_manage_comments).
/// No idempotency key on Graph: each send first reads <c>GET /{ig-comment-id}/replies?fields=id,text,timestamp,from</c>
/// for the account's own reply (<c>from.id</c>) with the same text.
/// </summary>
public sealed class InstagramReplySender(GraphClient graph) : IReplySender
{
    public Platform Platform => Platform.Instagram;

    public Task<ReplyResult> SendAsync(PlatformAccount account, ReplyRequest reply, CancellationToken cancellationToken) =>
        MetaReplies.SendAsync(graph, MetaMapper.Instagram, $"{Uri.EscapeDataString(reply.InReplyToExternalId)}/replies", "id,text,timestamp,from", "text", "timestamp", account, reply, _ => null, cancellationToken);
}

internal static class MetaReplies
{
    /// <param name="edge">The edge replies live on and are posted to: "{id}/comments" or "{id}/replies".</param>
    /// <param name="fields">What the read-back asks for; <paramref name="textField"/> and <paramref name="timeField"/> name the text and creation time in it.</param>
    public static Task<ReplyResult> SendAsync(GraphClient graph, string connector, string edge, string fields, string textField, string timeField, PlatformAccount account, ReplyRequest reply, Func<string, string?> url, CancellationToken cancellationToken) =>
        ReconciledReply.SendOnceAsync(
            connector,
            token => FindAsync(graph, connector, edge, fields, textField, timeField, account, reply, url, token),
            token => PostAsync(graph, connector, edge, account, reply, url, token),
            cancellationToken);

    private static async Task<ReplyResult?> FindAsync(GraphClient graph, string connector, string edge, string fields, string textField, string timeField, PlatformAccount account, ReplyRequest reply, Func<string, string?> url, CancellationToken cancellationToken)
    {
        var order = edge.EndsWith("/comments", StringComparison.Ordinal) ? "&order=reverse_chronological" : string.Empty;
        var response = await graph.GetAsync(connector, $"{edge}?fields={Uri.EscapeDataString(fields)}{order}&limit=100", account.Secret, cancellationToken).ConfigureAwait(false);
        var page = JsonPages.Read(connector, response.Body, "data");
        if (page.Errors.Count > 0)
        {
            throw new ConnectorException(connector, FailureKind.Malformed, $"the replies under {edge.Split('/')[0]} could not be read whole ({page.Errors[0].Reason})");
        }

        var since = ReconciledReply.Since(reply);
        var found = page.Items.FirstOrDefault(r => r.Child("from")?.Text("id") == account.Handle && ReconciledReply.SameText(reply.Text, r.Text(textField))
            && MetaMapper.Time(r, timeField) is { } at && at >= since && r.Text("id") is not null);
        return found.ValueKind == JsonValueKind.Object ? new ReplyResult(found.Text("id")!, url(found.Text("id")!)) : null;
    }

    private static async Task<ReplyResult> PostAsync(GraphClient graph, string connector, string edge, PlatformAccount account, ReplyRequest reply, Func<string, string?> url, CancellationToken cancellationToken)
    {
        var response = await graph.PostAsync(connector, edge, account.Secret, new Dictionary<string, string> { ["message"] = reply.Text }, cancellationToken).ConfigureAwait(false);
        try
        {
            using var json = JsonDocument.Parse(response.Body);
            if (json.RootElement.Text("id") is { } id)
            {
                return new ReplyResult(id, url(id));
            }
        }
        catch (JsonException)
        {
        }

        throw new ConnectorException(connector, FailureKind.Malformed, "the created comment came back without an id");
    }
}
