namespace Firebreak.Storage.Tests.Connectors;

using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

/// <summary>
/// The YouTube Data API v3 wire format: commentThreadListResponse / searchListResponse (<c>items</c>, <c>nextPageToken</c>,
/// <c>pageInfo</c>) newest first, the Google error body (<c>error.code/message/errors[].domain/reason</c>), and
/// comment inserts. Keys are accepted as <c>key=</c>, OAuth tokens as a bearer header.
/// </summary>
internal sealed class FakeYouTube
{
    public static readonly DateTimeOffset Epoch = new(2025, 3, 3, 9, 0, 0, TimeSpan.Zero);
    private readonly List<int> threads = [];

    public string Key { get; set; } = "AIzaSyD-fake-key-0000000000000000000";

    public string OAuth { get; set; } = "ya29.a0-fake-oauth";

    public Queue<(int Status, (string, string)[] Headers, string Body)> Scripted { get; } = new();

    /// <summary>The brand channel's id, as channels?mine=true gives it.</summary>
    public const string OwnChannel = "UCbrandChannel0000000000";

    /// <summary>Comments the brand made: (id, parent comment or video, text, published).</summary>
    public List<(string Id, string Parent, string Text, DateTimeOffset At)> Made { get; } = [];

    /// <summary>The next insert is stored, then answered with this status (its answer is lost).</summary>
    public int? LoseNextInsertAnswerWith { get; set; }

    /// <summary>Comment-thread pages to serve cut short (three fifths of the body), by pageToken ("" for the first page), and how many times.</summary>
    public Dictionary<string, int> Cut { get; } = [];

    public static string Id(int n) => "UgzK" + n.ToString("D6", CultureInfo.InvariantCulture) + "AaABAg";

    public void Add(params int[] ns) => threads.AddRange(ns);

    public static string Error(int code, string reason, string domain, string message) =>
        $$"""{"error":{"code":{{code}},"message":"{{message}}","errors":[{"message":"{{message}}","domain":"{{domain}}","reason":"{{reason}}"}]} }""";

    public static string Thread(int n, string? text = null) => JsonSerializer.Serialize(new
    {
        kind = "youtube#commentThread",
        etag = "e" + n,
        id = Id(n),
        snippet = new
        {
            channelId = "UCbrand000000000000000",
            videoId = "dQw4w9WgXcQ",
            topLevelComment = new
            {
                kind = "youtube#comment",
                etag = "c" + n,
                id = Id(n),
                snippet = new
                {
                    channelId = "UCbrand000000000000000",
                    videoId = "dQw4w9WgXcQ",
                    textDisplay = System.Net.WebUtility.HtmlEncode(text ?? $"refund?? #{n}"),
                    textOriginal = text ?? $"refund?? #{n}",
                    authorDisplayName = $"@viewer{n}",
                    authorProfileImageUrl = "https://yt3.ggpht.com/x",
                    authorChannelUrl = $"http://www.youtube.com/@viewer{n}",
                    authorChannelId = new { value = $"UCviewer{n}" },
                    canRate = true,
                    viewerRating = "none",
                    likeCount = n,
                    publishedAt = Epoch.AddMinutes(n).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                    updatedAt = Epoch.AddMinutes(n + 1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                },
            },
            canReply = true,
            totalReplyCount = n % 3,
            isPublic = true,
        },
    });

    public static string Video(int n, string title) =>
        $$"""{"kind":"youtube#searchResult","etag":"v{{n}}","id":{"kind":"youtube#video","videoId":"vid{{n:D8}}"},"snippet":{"publishedAt":"{{Epoch.AddMinutes(n):yyyy-MM-ddTHH:mm:ssZ}}","channelId":"UCother{{n}}","title":"{{title}}","description":"Unboxing &amp; review","channelTitle":"Reviewer {{n}}","liveBroadcastContent":"none","publishTime":"{{Epoch.AddMinutes(n):yyyy-MM-ddTHH:mm:ssZ}}"} }""";

    public static string List(string kind, IEnumerable<string> items, string? next) =>
        $$"""{"kind":"youtube#{{kind}}","etag":"x",{{(next is null ? string.Empty : $"\"nextPageToken\":\"{next}\",")}}"pageInfo":{"totalResults":99,"resultsPerPage":20},"items":[{{string.Join(",", items)}}]}""";

    public async Task HandleAsync(HttpContext context)
    {
        if (context.Request.Query["key"] != Key && context.Request.Headers.Authorization != $"Bearer {OAuth}")
        {
            await StubServer.JsonAsync(context, Error(400, "keyInvalid", "usageLimits", "API key not valid. Please pass a valid API key."), 400);
            return;
        }

        if (Scripted.TryDequeue(out var scripted))
        {
            await StubServer.JsonAsync(context, scripted.Body, scripted.Status, scripted.Headers);
            return;
        }

        if (context.Request.Method == "POST")
        {
            var body = await JsonDocument.ParseAsync(context.Request.Body);
            var snippet = body.RootElement.GetProperty("snippet");
            var parent = snippet.TryGetProperty("parentId", out var p) ? p.GetString()! : snippet.GetProperty("videoId").GetString()!;
            var text = snippet.TryGetProperty("textOriginal", out var t) ? t.GetString()! : snippet.GetProperty("topLevelComment").GetProperty("snippet").GetProperty("textOriginal").GetString()!;
            string id;
            lock (Made)
            {
                id = $"UgzReply{Made.Count + 1}.AbC";
                Made.Add((id, parent, text, DateTimeOffset.UtcNow));
            }

            if (LoseNextInsertAnswerWith is { } lost)
            {
                LoseNextInsertAnswerWith = null;
                await StubServer.JsonAsync(context, Error(lost, "backendError", "global", "Backend Error"), lost);
                return;
            }

            await StubServer.JsonAsync(context, $$"""{"kind":"youtube#comment","etag":"r","id":"{{id}}","snippet":{"parentId":"{{(snippet.TryGetProperty("parentId", out var pp) ? pp.GetString() : "")}}","videoId":"dQw4w9WgXcQ","textOriginal":"ok"} }""");
            return;
        }

        if (context.Request.Path == "/youtube/v3/channels" && context.Request.Query["mine"] == "true")
        {
            await StubServer.JsonAsync(context, List("channelListResponse", [$$"""{"kind":"youtube#channel","etag":"c","id":"{{OwnChannel}}"}"""], null));
            return;
        }

        if (context.Request.Path == "/youtube/v3/comments" && context.Request.Query["parentId"].ToString() is { Length: > 0 } parentId)
        {
            List<(string Id, string Parent, string Text, DateTimeOffset At)> made;
            lock (Made)
            {
                made = [.. Made.Where(m => m.Parent == parentId)];
            }

            await StubServer.JsonAsync(context, List("commentListResponse", made.Select(m => JsonSerializer.Serialize(new
            {
                kind = "youtube#comment",
                etag = "m",
                id = m.Id,
                snippet = new { channelId = OwnChannel, textDisplay = m.Text, textOriginal = m.Text, parentId = m.Parent, authorDisplayName = "@acme", authorChannelId = new { value = OwnChannel }, publishedAt = m.At.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) },
            })), null));
            return;
        }

        var size = int.Parse(context.Request.Query["maxResults"].ToString(), CultureInfo.InvariantCulture);
        var offset = context.Request.Query["pageToken"].ToString() is { Length: > 0 } token ? int.Parse(token[1..], CultureInfo.InvariantCulture) : 0;
        var ordered = threads.Distinct().OrderDescending().ToList();
        var page = ordered.Skip(offset).Take(size).ToList();
        var list = List("commentThreadListResponse", page.Select(n => Thread(n)), offset + size < ordered.Count ? $"p{offset + size}" : null);
        var key = context.Request.Query["pageToken"].ToString();
        if (Cut.TryGetValue(key, out var cuts) && cuts > 0)
        {
            Cut[key] = cuts - 1;
            list = list[..(list.Length * 3 / 5)];
        }

        await StubServer.JsonAsync(context, list);
    }
}
