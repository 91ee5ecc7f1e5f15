namespace Firebreak.Core.Connectors.YouTube;

using System.Globalization;
using System.Text.Json;
using Firebreak.Core.Ingestion;

/// <summary>Maps YouTube Data API v3 resources (commentThread, search result) to pipeline input.</summary>
public static class YouTubeMapper
{
    public const string Name = "youtube";

    /// <summary>A commentThread: its top-level comment is the mention; the video is parent and thread.</summary>
    public static MentionInput? Thread(JsonElement thread, string position, List<ItemError> errors)
    {
        var snippet = thread.Child("snippet");
        var comment = snippet?.Child("topLevelComment");
        var c = comment?.Child("snippet");
        var id = comment?.Text("id") ?? thread.Text("id");
        var published = c?.Time("publishedAt");
        if (id is null || c is not { } s || published is null)
        {
            errors.Add(new ItemError(Name, position, "a comment thread without a top-level comment id, snippet or publishedAt"));
            return null;
        }

        var videoId = s.Text("videoId") ?? snippet?.Text("videoId");
        return new MentionInput
        {
            Platform = "youtube",
            ExternalId = id,
            Kind = "comment",
            Author = new AuthorInput
            {
                Handle = s.Text("authorDisplayName") ?? s.Child("authorChannelId")?.Text("value") ?? "unknown",
                DisplayName = s.Child("authorChannelId")?.Text("value"),
            },
            // textOriginal is what the person typed (needs the API's full access); textDisplay is HTML, reduced to text.
            Text = s.Text("textOriginal") ?? HtmlText.ToText(s.Text("textDisplay")),
            Url = videoId is null ? null : $"https://www.youtube.com/watch?v={videoId}&lc={id}",
            CreatedAt = published,
            Engagement = new EngagementInput { Likes = s.Number("likeCount"), Replies = snippet?.Number("totalReplyCount") },
            ParentExternalId = videoId,
            ThreadExternalId = videoId,
        };
    }

    /// <summary>A search result of kind youtube#video (title and description are HTML-escaped in search snippets).</summary>
    public static MentionInput? Video(JsonElement result, string position, List<ItemError> errors)
    {
        var id = result.Child("id")?.Text("videoId");
        var s = result.Child("snippet");
        var published = s?.Time("publishedAt");
        if (id is null || s is not { } snippet || published is null)
        {
            errors.Add(new ItemError(Name, position, "a search result without id.videoId, snippet or publishedAt"));
            return null;
        }

        var title = System.Net.WebUtility.HtmlDecode(snippet.Text("title") ?? string.Empty);
        var description = System.Net.WebUtility.HtmlDecode(snippet.Text("description") ?? string.Empty);
        return new MentionInput
        {
            Platform = "youtube",
            ExternalId = id,
            Kind = "post",
            Author = new AuthorInput { Handle = snippet.Text("channelTitle") ?? snippet.Text("channelId") ?? "unknown", DisplayName = snippet.Text("channelId") },
            Text = description.Length == 0 ? title : $"{title}\n{description}",
            Url = $"https://www.youtube.com/watch?v={id}",
            CreatedAt = published,
        };
    }

    /// <summary>The checkpoint of an item: its publication time in milliseconds and its id ("1741000000000:Ugx…").</summary>
    public static string Checkpoint(MentionInput item) =>
        $"{item.CreatedAt!.Value.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}:{item.ExternalId}";

    public static (DateTimeOffset At, string Id)? ParseCheckpoint(string? checkpoint) =>
        checkpoint?.Split(':', 2) is [var ms, var id] && long.TryParse(ms, NumberStyles.None, CultureInfo.InvariantCulture, out var at) ? (DateTimeOffset.FromUnixTimeMilliseconds(at), id) : null;

    /// <summary>The first <c>error.errors[].reason</c> of a Google API error body (the text ConnectorHttp quoted).</summary>
    public static string? Reason(string message) =>
        System.Text.RegularExpressions.Regex.Match(message, "\"reason\"\\s*:\\s*\"(\\w+)\"") is { Success: true } m ? m.Groups[1].Value : null;

    /// <summary>YouTube's daily quota resets at midnight Pacific time.</summary>
    public static DateTimeOffset NextQuotaReset(DateTimeOffset now)
    {
        var pacific = TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles");
        var local = TimeZoneInfo.ConvertTime(now, pacific);
        var midnight = local.Date.AddDays(1);
        return new DateTimeOffset(midnight, pacific.GetUtcOffset(midnight));
    }
}
