namespace Firebreak.Core.Connectors.Meta;

using System.Text.Json;
using Firebreak.Core.Mentions;
using Firebreak.Core.Publishing;

/// <summary>
/// Replies to Facebook comments and posts: <c>POST /{object-id}/comments</c> with <c>message</c>, Page token. Graph has
/// no idempotency key: a send that timed out may have posted; the dispatcher marks it failed and a person decides to retry.
/// </summary>
public sealed class FacebookReplySender(GraphClient graph) : IReplySender
{
    public Platform Platform => Platform.Facebook;

    public Task<ReplyResult> SendAsync(PlatformAccount account, ReplyRequest reply, CancellationToken cancellationToken) =>
        MetaReplies.SendAsync(graph, MetaMapper.Facebook, $"{Uri.EscapeDataString(reply.InReplyToExternalId)}/comments", account, reply, id => $"https://www.facebook.com/{id}", cancellationToken);
}

/// <summary>Replies to Instagram comments: <c>POST /{ig-comment-id}/replies</c> with <c>message</c> (instagram_manage_comments). No idempotency key on Graph.</summary>
public sealed class InstagramReplySender(GraphClient graph) : IReplySender
{
    public Platform Platform => Platform.Instagram;

    public Task<ReplyResult> SendAsync(PlatformAccount account, ReplyRequest reply, CancellationToken cancellationToken) =>
        MetaReplies.SendAsync(graph, MetaMapper.Instagram, $"{Uri.EscapeDataString(reply.InReplyToExternalId)}/replies", account, reply, _ => null, cancellationToken);
}

internal static class MetaReplies
{
    public static async Task<ReplyResult> SendAsync(GraphClient graph, string connector, string path, PlatformAccount account, ReplyRequest reply, Func<string, string?> url, CancellationToken cancellationToken)
    {
        var response = await graph.PostAsync(connector, path, account.Secret, new Dictionary<string, string> { ["message"] = reply.Text }, cancellationToken).ConfigureAwait(false);
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
