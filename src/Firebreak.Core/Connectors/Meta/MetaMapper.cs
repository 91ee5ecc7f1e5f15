namespace Firebreak.Core.Connectors.Meta;

using System.Globalization;
using System.Text.Json;
using Firebreak.Core.Ingestion;

/// <summary>Maps Graph API objects (Graph v21.0: Page posts, Page comments, IG Media, IG Comments) to pipeline input.</summary>
public static class MetaMapper
{
    public const string Facebook = "facebook";
    public const string Instagram = "instagram";

    /// <summary>Graph times are ISO 8601 with a colon-less offset ("2024-05-01T10:00:00+0000"); Unix seconds appear in webhooks.</summary>
    public static DateTimeOffset? Time(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var unix))
        {
            return DateTimeOffset.FromUnixTimeSeconds(unix);
        }

        var text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        if (text is null)
        {
            return null;
        }

        return DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm:sszzzz", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            || DateTimeOffset.TryParse(FixOffset(text), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out at)
            ? at
            : null;
    }

    /// <summary>A Page post (feed or tagged edge) or a Page comment; <paramref name="parentId"/> marks a comment.</summary>
    public static MentionInput? FacebookItem(JsonElement item, string? parentId, string position, List<ItemError> errors)
    {
        var id = item.Text("id");
        var created = Time(item, "created_time");
        if (id is null || created is null)
        {
            errors.Add(new ItemError(Facebook, position, "a Graph object without an id or created_time"));
            return null;
        }

        var from = item.Child("from");
        return new MentionInput
        {
            Platform = Facebook,
            ExternalId = id,
            Kind = parentId is null ? "post" : "comment",
            Author = new AuthorInput
            {
                // Graph hides visitors' ids and names from apps without the right feature access: the item is still kept.
                Handle = from?.Text("id") ?? "unknown",
                DisplayName = from?.Text("name"),
            },
            Text = item.Text("message") ?? string.Empty,
            Url = item.Text("permalink_url") ?? $"https://www.facebook.com/{id}",
            CreatedAt = created,
            Engagement = new EngagementInput
            {
                Likes = item.Number("like_count"),
                Replies = item.Number("comment_count") ?? item.Child("comments")?.Child("summary")?.Number("total_count"),
            },
            ParentExternalId = parentId,
        };
    }

    /// <summary>An IG Comment (with <paramref name="parentId"/> the media or comment it answers) or an IG Media (a tag or hashtag result).</summary>
    public static MentionInput? InstagramItem(JsonElement item, string? parentId, string position, List<ItemError> errors)
    {
        var id = item.Text("id");
        var created = Time(item, "timestamp");
        if (id is null || created is null)
        {
            errors.Add(new ItemError(Instagram, position, "an Instagram object without an id or timestamp"));
            return null;
        }

        return new MentionInput
        {
            Platform = Instagram,
            ExternalId = id,
            Kind = parentId is null ? "post" : "comment",
            Author = new AuthorInput { Handle = item.Text("username") ?? "unknown" },
            Text = item.Text("text") ?? item.Text("caption") ?? string.Empty,
            Url = item.Text("permalink"),
            CreatedAt = created,
            Engagement = new EngagementInput { Likes = item.Number("like_count"), Replies = item.Number("comments_count") },
            ParentExternalId = parentId,
        };
    }

    private static string FixOffset(string text) =>
        text.Length > 5 && (text[^5] == '+' || text[^5] == '-') && char.IsDigit(text[^1]) ? text[..^2] + ":" + text[^2..] : text;
}

/// <summary>
/// Where a Meta source left off: the newest committed creation time (Unix seconds) and the ids at that second. Graph's
/// <c>since</c> works in whole seconds, so the boundary second is asked for again and its known ids are skipped.
/// Format: "seconds|id,id".
/// </summary>
public sealed record MetaCheckpoint(long Seconds, IReadOnlySet<string> Ids)
{
    public static MetaCheckpoint? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var parts = text.Split('|', 2);
        return long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            ? new MetaCheckpoint(seconds, (parts.Length > 1 ? parts[1].Split(',', StringSplitOptions.RemoveEmptyEntries) : []).ToHashSet(StringComparer.Ordinal))
            : null;
    }

    public bool Covers(MentionInput item) =>
        item.CreatedAt is { } at && (at.ToUnixTimeSeconds() < Seconds || (at.ToUnixTimeSeconds() == Seconds && Ids.Contains(item.ExternalId!)));

    /// <summary>Pages of new items oldest first, each with the checkpoint covering it and everything before.</summary>
    public static IEnumerable<ListenPage> Pages(MetaCheckpoint? from, IEnumerable<MentionInput> items, IReadOnlyList<ItemError> errors, int pageSize)
    {
        var fresh = items.Where(i => from is null || !from.Covers(i))
            .DistinctBy(i => i.ExternalId)
            .OrderBy(i => i.CreatedAt).ThenBy(i => i.ExternalId, StringComparer.Ordinal).ToList();
        var current = from;
        if (fresh.Count == 0)
        {
            if (errors.Count > 0)
            {
                yield return new ListenPage([], current?.ToString(), errors);
            }

            yield break;
        }

        for (var start = 0; start < fresh.Count; start += pageSize)
        {
            var chunk = fresh.Skip(start).Take(pageSize).ToList();
            foreach (var item in chunk)
            {
                var s = item.CreatedAt!.Value.ToUnixTimeSeconds();
                current = current is null || s > current.Seconds
                    ? new MetaCheckpoint(s, new HashSet<string>([item.ExternalId!], StringComparer.Ordinal))
                    : s == current.Seconds ? new MetaCheckpoint(s, new HashSet<string>(current.Ids.Append(item.ExternalId!), StringComparer.Ordinal)) : current;
            }

            yield return new ListenPage(chunk, current!.ToString(), start == 0 ? errors : []);
        }
    }

    public override string ToString() => Seconds.ToString(CultureInfo.InvariantCulture) + "|" + string.Join(',', Ids.Order(StringComparer.Ordinal));
}
