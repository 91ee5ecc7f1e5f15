namespace Firebreak.Core.Connectors.Bluesky;

using System.Text.Json;
using Firebreak.Core.Ingestion;

/// <summary>Maps AT Protocol records (app.bsky.feed.post, lexicon as of 2025) and app.bsky.feed.defs#postView to pipeline input.</summary>
public static class BlueskyMapper
{
    public const string Name = "bluesky";

    public static string AtUri(string did, string rkey) => $"at://{did}/app.bsky.feed.post/{rkey}";

    /// <summary>A post record from a Jetstream commit: the author is known only by DID there.</summary>
    public static MentionInput FromRecord(string did, string rkey, JsonElement record, DateTimeOffset seenAt, string? handle = null, JsonElement? counts = null)
    {
        var reply = record.Child("reply");
        var parent = reply?.Child("parent")?.Text("uri");
        var root = reply?.Child("root")?.Text("uri");
        return new MentionInput
        {
            Platform = "bluesky",
            ExternalId = AtUri(did, rkey),
            Kind = parent is null ? "post" : "reply",
            Author = new AuthorInput { Handle = handle ?? did },
            Text = record.Text("text") ?? string.Empty,
            Language = record.TryGetProperty("langs", out var langs) && langs.ValueKind == JsonValueKind.Array && langs.GetArrayLength() > 0 && langs[0].ValueKind == JsonValueKind.String
                ? langs[0].GetString()
                : null,
            Url = $"https://bsky.app/profile/{handle ?? did}/post/{rkey}",
            CreatedAt = record.Time("createdAt") ?? seenAt,
            ParentExternalId = parent,
            ThreadExternalId = root ?? parent,
            Engagement = counts is { } c
                ? new EngagementInput { Likes = c.Number("likeCount"), Shares = c.Number("repostCount"), Replies = c.Number("replyCount") }
                : null,
        };
    }

    /// <summary>A postView from app.bsky.feed.searchPosts: uri, author (did, handle, displayName), record, counts.</summary>
    public static MentionInput? FromPostView(JsonElement view, string position, List<ItemError> errors)
    {
        var uri = view.Text("uri");
        var author = view.Child("author");
        var record = view.Child("record");
        var parts = uri?.Split('/');
        if (uri is null || author is null || record is null || parts is not { Length: 5 })
        {
            errors.Add(new ItemError(Name, position, "a post without a uri, author or record"));
            return null;
        }

        var input = FromRecord(parts[2], parts[4], record.Value, view.Time("indexedAt") ?? DateTimeOffset.UnixEpoch, author.Value.Text("handle"), view);
        input.Author!.DisplayName = author.Value.Text("displayName");
        input.Author.Followers = author.Value.Number("followersCount");
        return input;
    }

    /// <summary>
    /// Whether a post is about what the source listens to: for an account, a mention facet of its DID, its @handle in
    /// the text, or a reply to one of its posts; for "#tag", a tag facet or the hashtag in the text; for keywords, every
    /// word in the text (case-insensitive).
    /// </summary>
    public static bool Matches(JsonElement record, string? ownDid, string? ownHandle, string? tag, IReadOnlyList<string> words)
    {
        var text = record.Text("text") ?? string.Empty;
        if (ownDid is not null || ownHandle is not null)
        {
            if (ownHandle is not null && text.Contains("@" + ownHandle, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if (ownDid is not null)
            {
                var parent = record.Child("reply")?.Child("parent")?.Text("uri");
                if (parent is not null && parent.StartsWith($"at://{ownDid}/", StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return Features(record).Any(f => f.Text("$type") == "app.bsky.richtext.facet#mention" && f.Text("did") is { } did && (did == ownDid || did == ownHandle));
        }

        if (tag is not null)
        {
            return text.Contains("#" + tag, StringComparison.OrdinalIgnoreCase)
                || Features(record).Any(f => f.Text("$type") == "app.bsky.richtext.facet#tag" && string.Equals(f.Text("tag"), tag, StringComparison.OrdinalIgnoreCase));
        }

        return words.Count > 0 && words.All(w => text.Contains(w, StringComparison.OrdinalIgnoreCase));
    }

    private static IEnumerable<JsonElement> Features(JsonElement record)
    {
        if (!record.TryGetProperty("facets", out var facets) || facets.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }

        foreach (var facet in facets.EnumerateArray())
        {
            if (facet.ValueKind == JsonValueKind.Object && facet.TryGetProperty("features", out var features) && features.ValueKind == JsonValueKind.Array)
            {
                foreach (var feature in features.EnumerateArray())
                {
                    yield return feature;
                }
            }
        }
    }
}
