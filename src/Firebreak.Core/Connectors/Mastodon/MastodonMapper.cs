namespace Firebreak.Core.Connectors.Mastodon;

using System.Text.Json;
using Firebreak.Core.Ingestion;

/// <summary>Maps Mastodon API entities (Status, Notification; API v1, Mastodon 4.x) to pipeline input.</summary>
public static class MastodonMapper
{
    public const string Name = "mastodon";

    /// <summary>A Status: content HTML → text (spoiler text first), account followers → reach, reply-to, language, URL.</summary>
    public static MentionInput? Status(JsonElement status, string position, List<ItemError> errors)
    {
        var id = status.Text("id");
        var account = status.Child("account");
        if (id is null || account is null)
        {
            errors.Add(new ItemError(Name, position, "a status without an id or account"));
            return null;
        }

        // A boost carries the original status; the boost itself has no text of its own.
        if (status.Child("reblog") is { } original)
        {
            return Status(original, position + ".reblog", errors);
        }

        var spoiler = status.Text("spoiler_text");
        var text = HtmlText.ToText(status.Text("content"));
        var a = account.Value;
        var replyTo = status.Text("in_reply_to_id");
        return new MentionInput
        {
            Platform = "mastodon",
            ExternalId = id,
            Kind = replyTo is null ? "post" : "reply",
            Author = new AuthorInput
            {
                Handle = a.Text("acct") ?? a.Text("username") ?? "unknown",
                DisplayName = a.Text("display_name"),
                Followers = a.Number("followers_count"),
            },
            Text = string.IsNullOrEmpty(spoiler) ? text : spoiler + "\n" + text,
            Language = status.Text("language"),
            Url = status.Text("url") ?? status.Text("uri"),
            CreatedAt = status.Time("created_at"),
            Engagement = new EngagementInput
            {
                Likes = status.Number("favourites_count"),
                Shares = status.Number("reblogs_count"),
                Replies = status.Number("replies_count"),
            },
            ParentExternalId = replyTo,
        };
    }

    /// <summary>A Notification of type "mention" (others are skipped); its id is the paging position, its status the item.</summary>
    public static MentionInput? Notification(JsonElement notification, string position, List<ItemError> errors)
    {
        if (notification.Text("type") != "mention")
        {
            return null;
        }

        if (notification.Child("status") is not { } status)
        {
            errors.Add(new ItemError(Name, position, "a mention notification without a status"));
            return null;
        }

        return Status(status, position + ".status", errors);
    }

    /// <summary>Mastodon ids are decimal strings (snowflakes) that may exceed 64 bits on some servers: compare by length, then ordinally.</summary>
    public static int CompareIds(string? a, string? b)
    {
        if (a is null || b is null)
        {
            return a is null ? (b is null ? 0 : -1) : 1;
        }

        return a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(a, b);
    }

    public static string? Max(string? a, string? b) => CompareIds(a, b) >= 0 ? a : b;
}
