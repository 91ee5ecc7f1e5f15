namespace Firebreak.Core.Connectors.X;

using System.Text.Json;
using Firebreak.Core.Connectors.Mastodon;
using Firebreak.Core.Ingestion;

/// <summary>Maps X API v2 Tweet objects (with the <c>includes.users</c> expansion) to pipeline input.</summary>
public static class XMapper
{
    public const string Name = "x";

    /// <summary>The fields asked for on every read, so search and stream items map the same way.</summary>
    public const string Fields = "tweet.fields=created_at,lang,public_metrics,author_id,conversation_id,in_reply_to_user_id,referenced_tweets"
        + "&expansions=author_id&user.fields=username,name,public_metrics,verified";

    /// <summary>The users of a response's <c>includes.users</c>, by id.</summary>
    public static Dictionary<string, JsonElement> Users(JsonElement? root)
    {
        var users = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (root is { } r && r.Child("includes") is { } includes && includes.TryGetProperty("users", out var array) && array.ValueKind == JsonValueKind.Array)
        {
            foreach (var user in array.EnumerateArray())
            {
                if (user.Text("id") is { } id)
                {
                    users[id] = user;
                }
            }
        }

        return users;
    }

    /// <summary>A Tweet: author from the expansion (followers → reach), reply-to from <c>referenced_tweets</c>, metrics → engagement.</summary>
    public static MentionInput? Tweet(JsonElement tweet, IReadOnlyDictionary<string, JsonElement> users, string position, List<ItemError> errors)
    {
        var id = tweet.Text("id");
        var text = tweet.Text("text");
        if (id is null || text is null || id.AsSpan().ContainsAnyExceptInRange('0', '9'))
        {
            errors.Add(new ItemError(Name, position, "a tweet without a numeric id or text"));
            return null;
        }

        var authorId = tweet.Text("author_id");
        JsonElement? user = authorId is not null && users.TryGetValue(authorId, out var u) ? u : null;
        var username = user?.Text("username");
        var metrics = tweet.Child("public_metrics");
        string? repliedTo = null;
        if (tweet.ValueKind == JsonValueKind.Object && tweet.TryGetProperty("referenced_tweets", out var refs) && refs.ValueKind == JsonValueKind.Array)
        {
            // A loop, not LINQ: this runs for every reply tweet on the ingest path.
            foreach (var r in refs.EnumerateArray())
            {
                if (r.ValueKind == JsonValueKind.Object && r.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.ValueEquals("replied_to"))
                {
                    repliedTo = r.Text("id");
                    break;
                }
            }
        }

        var conversation = tweet.Text("conversation_id");
        return new MentionInput
        {
            Platform = "x",
            ExternalId = id,
            Kind = repliedTo is null ? "post" : "reply",
            Author = new AuthorInput
            {
                Handle = username ?? authorId ?? "unknown",
                DisplayName = user?.Text("name"),
                Followers = user?.Child("public_metrics")?.Number("followers_count"),
                Verified = user is { } v && v.TryGetProperty("verified", out var verified) && verified.ValueKind is JsonValueKind.True or JsonValueKind.False ? verified.GetBoolean() : null,
            },
            // X returns text with &amp; &lt; &gt; escaped; decoding once gives what the person typed.
            Text = System.Net.WebUtility.HtmlDecode(text),
            Language = tweet.Text("lang") is { } lang && lang != "und" && lang != "zxx" ? lang : null,
            Url = $"https://x.com/{username ?? "i/web"}/status/{id}",
            CreatedAt = tweet.Time("created_at"),
            Engagement = metrics is { } m
                ? new EngagementInput
                {
                    Likes = m.Number("like_count"),
                    Shares = (m.Number("retweet_count") ?? 0) + (m.Number("quote_count") ?? 0),
                    Replies = m.Number("reply_count"),
                    Views = m.Number("impression_count"),
                }
                : null,
            ParentExternalId = repliedTo,
            ThreadExternalId = conversation is not null && conversation != id ? conversation : null,
        };
    }

    /// <summary>The v2 <c>errors[]</c> of a response (partial errors beside data, or the reason a stream closed), as text.</summary>
    public static IEnumerable<string> Problems(JsonElement? root)
    {
        if (root is not { } r || r.ValueKind != JsonValueKind.Object || !r.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }

        foreach (var e in errors.EnumerateArray())
        {
            yield return string.Join(": ", new[] { e.Text("title"), e.Text("detail") ?? e.Text("message"), e.Text("type") }.Where(s => !string.IsNullOrEmpty(s)));
        }
    }

    /// <summary>Tweet ids are snowflakes in decimal strings; same ordering as Mastodon's.</summary>
    public static string? Max(string? a, string? b) => MastodonMapper.Max(a, b);
}
