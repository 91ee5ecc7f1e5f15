namespace Firebreak.Core.Connectors.Meta;

using System.Text.Json;
using Firebreak.Core.Ingestion;

/// <summary>
/// An @mention of a connected IG professional account, as the Instagram <c>mentions</c> webhook field reports it:
/// <c>value: {"media_id", "comment_id"}</c> (comment_id only when the @mention is in a comment; a caption @mention has
/// media_id alone). The notification carries ids only, no text.
/// </summary>
public sealed record InstagramMentionRef(string OwnerId, string MediaId, string? CommentId, DateTimeOffset? NotifiedAt);

/// <summary>
/// Fetches what an Instagram <c>mentions</c> notification points at, because an @mention in someone else's caption or
/// comment is reachable ONLY this way: it is not on <c>/{ig-user-id}/tags</c> (photo tags) and <c>GET /{ig-comment-id}</c>
/// refuses comments found through mentions unless asked by their owner. Graph (<see cref="GraphOptions.Version"/>):
/// <c>GET /{ig-user-id}?fields=mentioned_comment.comment_id({comment-id}){id,text,timestamp,like_count,media{id}}</c> and
/// <c>GET /{ig-user-id}?fields=mentioned_media.media_id({media-id}){id,caption,timestamp,username,comments_count,like_count}</c>,
/// answered <c>{"mentioned_comment": {...}, "id": "{ig-user-id}"}</c>. The documented mentioned_comment fields name no
/// author (id, like_count, media, text, timestamp), so a comment @mention is stored with the author "unknown".
/// </summary>
public sealed class InstagramMentions(GraphClient graph)
{
    public const string CommentFields = "id,text,timestamp,like_count,media{id}";
    public const string MediaFields = "id,caption,timestamp,username,comments_count,like_count";

    /// <summary>The mentioning comment or media as pipeline input; throws <see cref="ConnectorException"/> when Graph refuses or answers nonsense.</summary>
    public async Task<MentionInput> ResolveAsync(InstagramMentionRef mention, string token, CancellationToken cancellationToken)
    {
        var (edge, selector, fields) = mention.CommentId is { } comment
            ? ("mentioned_comment", $"comment_id({comment})", CommentFields)
            : ("mentioned_media", $"media_id({mention.MediaId})", MediaFields);
        var path = $"{Uri.EscapeDataString(mention.OwnerId)}?fields={Uri.EscapeDataString($"{edge}.{selector}{{{fields}}}")}";
        var response = await graph.GetAsync(MetaMapper.Instagram, path, token, cancellationToken).ConfigureAwait(false);
        JsonElement found;
        try
        {
            using var json = JsonDocument.Parse(response.Body);
            found = (json.RootElement.ValueKind == JsonValueKind.Object ? json.RootElement.Child(edge) : null)?.Clone()
                ?? throw new ConnectorException(MetaMapper.Instagram, FailureKind.Malformed, $"Graph answered the {edge} lookup without {edge}");
        }
        catch (JsonException e)
        {
            throw new ConnectorException(MetaMapper.Instagram, FailureKind.Malformed, $"Graph answered the {edge} lookup with malformed JSON: {e.Message}");
        }

        var errors = new List<ItemError>();
        var parent = mention.CommentId is null ? null : found.Child("media")?.Text("id") ?? mention.MediaId;
        var item = MetaMapper.InstagramItem(found, parent, $"{edge} {selector}", errors)
            ?? throw new ConnectorException(MetaMapper.Instagram, FailureKind.Malformed, errors.FirstOrDefault()?.Reason ?? $"{edge} could not be read");
        item.ThreadExternalId = parent ?? item.ExternalId;
        return item;
    }
}
