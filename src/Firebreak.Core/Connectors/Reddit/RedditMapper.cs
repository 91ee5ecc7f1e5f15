namespace Firebreak.Core.Connectors.Reddit;

using System.Globalization;
using System.Text.Json;
using Firebreak.Core.Ingestion;

/// <summary>Maps Reddit Listing children (<c>t3</c> links, <c>t1</c> comments; OAuth API at oauth.reddit.com) to pipeline input.</summary>
public static class RedditMapper
{
    public const string Name = "reddit";

    /// <summary>What Reddit puts in place of a removed or deleted body or author.</summary>
    public static bool IsGone(string? text) => text is "[deleted]" or "[removed]";

    /// <summary>
    /// A Listing child. The external id is the fullname (<c>t3_…</c>/<c>t1_…</c>): it is what <c>/api/comment</c> takes as
    /// <c>thing_id</c>. A comment whose body was deleted or removed has nothing to act on and is skipped (null, no error);
    /// a post keeps its title. A deleted author stays as "[deleted]".
    /// </summary>
    public static MentionInput? Thing(JsonElement child, string position, List<ItemError> errors)
    {
        var kind = child.Text("kind");
        var data = child.Child("data");
        if (kind is not ("t1" or "t3") || data is not { } d)
        {
            errors.Add(new ItemError(Name, position, $"expected a t1 comment or t3 link; got kind {kind ?? "(none)"}"));
            return null;
        }

        var fullname = d.Text("name") ?? (d.Text("id") is { } id ? $"{kind}_{id}" : null);
        var created = Created(d);
        if (fullname is null || created is null)
        {
            errors.Add(new ItemError(Name, position, "an item without a name or created_utc"));
            return null;
        }

        string text;
        if (kind == "t1")
        {
            var body = d.Text("body");
            if (body is null || IsGone(body))
            {
                return null;
            }

            text = body;
        }
        else
        {
            var self = d.Text("selftext");
            text = string.IsNullOrEmpty(self) || IsGone(self) ? d.Text("title") ?? string.Empty : $"{d.Text("title")}\n{self}";
        }

        var permalink = d.Text("permalink");
        return new MentionInput
        {
            Platform = "reddit",
            ExternalId = fullname,
            Kind = kind == "t1" ? "comment" : "post",
            // Reddit listings carry no follower count for authors: reach stays unknown rather than guessed.
            Author = new AuthorInput { Handle = d.Text("author") ?? "[deleted]" },
            Text = text,
            Url = permalink is null ? d.Text("url") : "https://www.reddit.com" + permalink,
            CreatedAt = created,
            Engagement = new EngagementInput { Likes = d.Number("score"), Replies = d.Number("num_comments") },
            ParentExternalId = kind == "t1" ? d.Text("parent_id") : null,
            ThreadExternalId = kind == "t1" ? d.Text("link_id") : null,
        };
    }

    /// <summary><c>created_utc</c> is epoch seconds as a JSON number (often with ".0").</summary>
    public static DateTimeOffset? Created(JsonElement data) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty("created_utc", out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var seconds)
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000))
            : null;

    /// <summary>The checkpoint of an item: its creation second and fullname ("1741000000:t1_abc").</summary>
    public static string Checkpoint(MentionInput item) =>
        $"{item.CreatedAt!.Value.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}:{item.ExternalId}";

    public static (long Seconds, string Name)? ParseCheckpoint(string? checkpoint) =>
        checkpoint?.Split(':', 2) is [var s, var n] && long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? (seconds, n) : null;
}
