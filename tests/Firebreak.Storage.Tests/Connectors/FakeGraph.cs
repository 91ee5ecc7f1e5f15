namespace Firebreak.Storage.Tests.Connectors;

using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Firebreak.Core.Connectors.Meta;
using Microsoft.AspNetCore.Http;

/// <summary>
/// Meta's Graph API (v21.0) as documented on developers.facebook.com: Page feed/tagged and comments edges, IG media,
/// comments (with replies), tags, hashtag search and recent_media, comment replies and IG's two-step publishing.
/// Objects carry their real field names; times are "2025-03-03T09:00:00+0000"; pages are
/// <c>{"data": [...], "paging": {"cursors": {"before", "after"}, "next"}}</c>, newest first, with <c>since</c>/<c>until</c>
/// in Unix seconds and <c>limit</c>. Errors are the Graph error object. The token is checked on every call.
/// </summary>
internal sealed class FakeGraph
{
    // Three hours before the test store's fixed clock (TestStore.Now), so a first pass (which reads the last day) sees it.
    public static readonly DateTimeOffset Epoch = TestStore.Now.AddHours(-3);
    public const string PageId = "104967392211045";
    public const string IgUserId = "17841405822304914";

    private long nextCommentId = 1_201_337_409_826_000;

    private long nextIgCommentId = 17_858_893_269_100_000;

    public string Token { get; set; } = "EAAGm0PX4ZCpsBAPageToken";

    /// <summary>Answers scripted in order before normal service resumes (status, headers, body).</summary>
    public ConcurrentQueue<(int Status, (string, string)[] Headers, string Body)> Scripted { get; } = new();

    /// <summary>Page posts: id → (created, json without comments, comments json).</summary>
    public List<(string Id, DateTimeOffset At, string Message, List<(string Id, DateTimeOffset At, string Message)> Comments)> Posts { get; } = [];

    public List<(string Id, DateTimeOffset At, string Message)> Tagged { get; } = [];

    public List<(string Id, DateTimeOffset At, List<(string Id, DateTimeOffset At, string Text, List<(string Id, DateTimeOffset At, string Text)> Replies)> Comments)> Media { get; } = [];

    public List<(string Id, DateTimeOffset At, string Caption)> IgTags { get; } = [];

    public List<(string Id, DateTimeOffset At, string Caption)> HashtagMedia { get; } = [];

    /// <summary>IG containers created by POST /{ig-user-id}/media, and media published from them.</summary>
    public Dictionary<string, (string? ImageUrl, string Caption)> Containers { get; } = [];

    public List<string> Published { get; } = [];

    /// <summary>The status_code answers for the next container status reads (then FINISHED), e.g. IN_PROGRESS twice.</summary>
    public Queue<string> ContainerStatuses { get; } = new();

    /// <summary>The status_code each container last reported; media_publish refuses one that is not FINISHED.</summary>
    public Dictionary<string, string> ContainerState { get; } = [];

    /// <summary>Comments and media by others that @mention the IG account: what mentioned_comment / mentioned_media return.</summary>
    public Dictionary<string, (DateTimeOffset At, string Text, string MediaId)> MentionedComments { get; } = [];

    public Dictionary<string, (DateTimeOffset At, string Caption, string Username)> MentionedMedia { get; } = [];

    /// <summary>Replies the brand made (POST /{id}/comments on Facebook, POST /{id}/replies on Instagram), by the object answered.</summary>
    public ConcurrentDictionary<string, List<(string Id, string Text, DateTimeOffset At)>> Made { get; } = new();

    /// <summary>The next reply is stored, then answered with this status (its answer is lost).</summary>
    public int? LoseNextReplyAnswerWith { get; set; }

    /// <summary>When set, the feed answers this raw body once (malformed/truncated pages).</summary>
    public string? RawFeed { get; set; }

    public static string Time(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + "+0000";

    public static string PostId(int n) => $"{PageId}_{900000 + n}";

    public void AddPost(int n, string message, int comments = 1)
    {
        var at = Epoch.AddMinutes(n);
        Posts.Add((PostId(n), at, message, [.. Enumerable.Range(1, comments).Select(c => ($"{900000 + n}_{c}", at.AddSeconds(c), $"comment {c} on {n}"))]));
    }

    public static string GraphError(int code, string message, int? subcode = null, string type = "OAuthException") =>
        JsonSerializer.Serialize(new { error = new Dictionary<string, object?> { ["message"] = message, ["type"] = type, ["code"] = code, ["error_subcode"] = subcode, ["fbtrace_id"] = "AbCdEf123" } });

    public async Task HandleAsync(HttpContext context)
    {
        context.Response.Headers["facebook-api-version"] = GraphOptions.Version;
        var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync() : null;
        var token = context.Request.Query["access_token"].ToString() is { Length: > 0 } q ? q : form?["access_token"].ToString();
        if (Scripted.TryDequeue(out var scripted))
        {
            await StubServer.JsonAsync(context, scripted.Body, scripted.Status, scripted.Headers);
            return;
        }

        if (token != Token && !(context.Request.Path.Value!.EndsWith("/debug_token", StringComparison.Ordinal) && token == "138483919580948|app-secret"))
        {
            await StubServer.JsonAsync(context, GraphError(190, "Invalid OAuth access token - Cannot parse access token"), 400);
            return;
        }

        var parts = (context.Request.Path.Value ?? "/").Trim('/').Split('/');
        if (parts.Length < 2 || parts[0] != GraphOptions.Version)
        {
            await StubServer.JsonAsync(context, GraphError(2635, "You are calling a deprecated version of the Graph API.", type: "OAuthException"), 400);
            return;
        }

        var node = parts[1];
        var edge = parts.Length > 2 ? parts[2] : null;
        var query = context.Request.Query;
        long? since = long.TryParse(query["since"], out var s) ? s : null;
        long? until = long.TryParse(query["until"], out var u) ? u : null;
        var limit = int.TryParse(query["limit"], out var l) ? l : 25;
        bool InRange(DateTimeOffset at) => (since is null || at.ToUnixTimeSeconds() >= since) && (until is null || at.ToUnixTimeSeconds() <= until);

        switch (context.Request.Method, node, edge)
        {
            case ("GET", "debug_token", null):
                await StubServer.JsonAsync(context, query["input_token"].ToString().StartsWith("EAApage", StringComparison.Ordinal)
                    ? """{"data":{"app_id":"138483919580948","type":"PAGE","application":"Firebreak","expires_at":0,"is_valid":true,"profile_id":"104967392211045","scopes":["pages_show_list","pages_manage_posts"]}}"""
                    : query["input_token"] == Token
                    ? $$$"""{"data":{"app_id":"138483919580948","type":"USER","application":"Firebreak","data_access_expires_at":{{{Epoch.AddDays(90).ToUnixTimeSeconds()}}},"expires_at":{{{Epoch.AddDays(5).ToUnixTimeSeconds()}}},"is_valid":true,"scopes":["pages_show_list","pages_read_engagement","pages_manage_posts"],"user_id":"10215"}}"""
                    : """{"data":{"is_valid":false,"error":{"code":190,"message":"Error validating access token: The user has not authorized application 138483919580948.","subcode":458},"scopes":[]}}""");
                return;
            case ("GET", "oauth", "access_token"):
                await StubServer.JsonAsync(context, query["grant_type"] == "fb_exchange_token" && query["fb_exchange_token"] == Token
                    ? """{"access_token":"EAAGm0PX4ZCpsBAFreshToken","token_type":"bearer","expires_in":5183944}"""
                    : GraphError(190, "Error validating access token", 467), query["grant_type"] == "fb_exchange_token" && query["fb_exchange_token"] == Token ? 200 : 400);
                return;
            case ("GET", PageId, null):
                await StubServer.JsonAsync(context, $$"""{"access_token":"EAAGm0PX4ZCpsBAPageTokenFromUser","name":"Brand","id":"{{PageId}}"}""");
                return;
            case ("GET", PageId, "feed"):
                if (RawFeed is { } raw)
                {
                    RawFeed = null;
                    await StubServer.JsonAsync(context, raw);
                    return;
                }

                await PageAsync(context, Posts.Where(p => InRange(p.At)).OrderByDescending(p => p.At).Select(p => (object)new Dictionary<string, object?>
                {
                    ["id"] = p.Id,
                    ["message"] = p.Message,
                    ["created_time"] = Time(p.At),
                    ["from"] = new { name = "Visitor " + p.Id[^2..], id = "5" + p.Id[^6..] },
                    ["permalink_url"] = $"https://www.facebook.com/{PageId}/posts/{p.Id.Split('_')[1]}",
                    ["comments"] = new Dictionary<string, object?>
                    {
                        ["data"] = p.Comments.OrderByDescending(c => c.At).Select(c => new { id = c.Id, message = c.Message, created_time = Time(c.At), from = new { name = "Noor Haddad", id = "7731" + c.Id[^1..] }, like_count = 2, comment_count = 1 }),
                        ["paging"] = new { cursors = new { before = "QVFIUmxz", after = "QVFIUmRz" } },
                        ["summary"] = new { order = "ranked", total_count = p.Comments.Count, can_comment = true },
                    },
                }), limit, query["after"]);
                return;
            case ("GET", PageId, "tagged"):
                await PageAsync(context, Tagged.Where(t => InRange(t.At)).OrderByDescending(t => t.At).Select(t => (object)new { id = t.Id, message = t.Message, created_time = Time(t.At), from = new { name = "Tagger", id = "88" }, permalink_url = "https://www.facebook.com/" + t.Id }), limit, query["after"]);
                return;
            case ("GET", IgUserId, "media"):
                await PageAsync(context, Media.OrderByDescending(m => m.At).Select(m => (object)new { id = m.Id, caption = "our post " + m.Id, timestamp = Time(m.At), permalink = $"https://www.instagram.com/p/{m.Id}/", comments_count = m.Comments.Count, like_count = 12 }), limit, query["after"]);
                return;
            case ("GET", IgUserId, "tags"):
                await PageAsync(context, IgTags.OrderByDescending(t => t.At).Select(t => (object)new { id = t.Id, caption = t.Caption, timestamp = Time(t.At), permalink = $"https://www.instagram.com/p/{t.Id}/", username = "tagger_" + t.Id[^2..], comments_count = 0, like_count = 3 }), limit, query["after"]);
                return;
            case ("GET", IgUserId, null) when query["fields"].ToString() is var f && f.StartsWith("mentioned_", StringComparison.Ordinal):
                // fields=mentioned_comment.comment_id({id}){fields} or mentioned_media.media_id({id}){fields}
                var match = System.Text.RegularExpressions.Regex.Match(f, @"^(mentioned_comment)\.comment_id\((\d+)\)\{.+\}$|^(mentioned_media)\.media_id\((\d+)\)\{.+\}$");
                if (match.Groups[1].Success && MentionedComments.TryGetValue(match.Groups[2].Value, out var mc))
                {
                    await StubServer.JsonAsync(context, JsonSerializer.Serialize(new Dictionary<string, object>
                    {
                        ["mentioned_comment"] = new { timestamp = Time(mc.At), like_count = 3, text = mc.Text, media = new { id = mc.MediaId }, id = match.Groups[2].Value },
                        ["id"] = IgUserId,
                    }));
                }
                else if (match.Groups[3].Success && MentionedMedia.TryGetValue(match.Groups[4].Value, out var mm))
                {
                    await StubServer.JsonAsync(context, JsonSerializer.Serialize(new Dictionary<string, object>
                    {
                        ["mentioned_media"] = new { caption = mm.Caption, timestamp = Time(mm.At), username = mm.Username, comments_count = 0, like_count = 9, id = match.Groups[4].Value },
                        ["id"] = IgUserId,
                    }));
                }
                else
                {
                    await StubServer.JsonAsync(context, GraphError(100, "(#100) Tried accessing nonexisting field (mentioned_comment) on node type (User)", type: "IGApiException"), 400);
                }

                return;
            case ("GET", _, null) when Containers.ContainsKey(node):
                var code = ContainerStatuses.TryDequeue(out var next) ? next : "FINISHED";
                ContainerState[node] = code;
                await StubServer.JsonAsync(context, JsonSerializer.Serialize(new Dictionary<string, string?>
                {
                    ["status_code"] = code, ["status"] = code == "ERROR" ? "Error: Media upload has failed with error code 2207003" : code == "IN_PROGRESS" ? "In Progress: Media is still being processed." : "Finished: Media has been uploaded and it is ready to be published.", ["id"] = node,
                }));
                return;
            case ("GET", "ig_hashtag_search", null):
                await StubServer.JsonAsync(context, query["q"] == "brandfail" && query["user_id"] == IgUserId ? """{"data":[{"id":"17843853986012965"}]}""" : """{"data":[]}""");
                return;
            case ("GET", "17843853986012965", "recent_media"):
                await PageAsync(context, HashtagMedia.OrderByDescending(m => m.At).Select(m => (object)new { id = m.Id, caption = m.Caption, timestamp = Time(m.At), permalink = $"https://www.instagram.com/p/{m.Id}/", comments_count = 0, like_count = 1 }), limit, query["after"]);
                return;
            case ("GET", _, "comments") when Media.Any(m => m.Id == node):
                var media = Media.First(m => m.Id == node);
                await PageAsync(context, media.Comments.OrderByDescending(c => c.At).Select(c => (object)new Dictionary<string, object?>
                {
                    ["id"] = c.Id, ["text"] = c.Text, ["timestamp"] = Time(c.At), ["username"] = "fan_" + c.Id[^2..], ["like_count"] = 1,
                    ["replies"] = new { data = c.Replies.Select(r => new { id = r.Id, text = r.Text, timestamp = Time(r.At), username = "replier", like_count = 0 }) },
                }), limit, query["after"]);
                return;
            case ("POST", _, "comments" or "replies"):
                // A Facebook comment id is "{post-part}_{comment-part}": a reply lands in the same post. IG comment ids are plain numeric strings.
                var made = edge == "comments" ? $"{node.Split('_')[0]}_{Interlocked.Increment(ref nextCommentId)}" : Interlocked.Increment(ref nextIgCommentId).ToString(CultureInfo.InvariantCulture);
                var list = Made.GetOrAdd(node, _ => []);
                lock (list)
                {
                    list.Add((made, form!["message"].ToString(), DateTimeOffset.UtcNow));
                }

                if (LoseNextReplyAnswerWith is { } lost)
                {
                    LoseNextReplyAnswerWith = null;
                    await StubServer.JsonAsync(context, """{"error":{"message":"An unknown error has occurred.","type":"OAuthException","code":1,"fbtrace_id":"AbCdEf"}}""", lost);
                    return;
                }

                await StubServer.JsonAsync(context, $$"""{"id":"{{made}}"}""");
                return;
            case ("GET", _, "comments" or "replies") when Made.ContainsKey(node) || (!Media.Any(m => m.Id == node) && !Posts.Any(p => p.Id == node)):
                List<(string Id, string Text, DateTimeOffset At)> ours;
                var mine = Made.GetOrAdd(node, _ => []);
                lock (mine)
                {
                    ours = [.. mine];
                }

                // Facebook comments carry message/from/created_time; IG replies text/from/timestamp (from.id: the IG user).
                await PageAsync(context, ours.AsEnumerable().Reverse().Select(r => edge == "comments"
                    ? (object)new { id = r.Id, message = r.Text, created_time = Time(r.At), from = new { id = PageId, name = "Acme Support" } }
                    : new { id = r.Id, text = r.Text, timestamp = Time(r.At), username = "acme", from = new { id = IgUserId, username = "acme" } }), limit, query["after"]);
                return;
            case ("POST", PageId, "feed"):
                var postId = $"{PageId}_{Posts.Count + 990000}";
                Posts.Add((postId, DateTimeOffset.UtcNow, form!["message"].ToString(), []));
                await StubServer.JsonAsync(context, $$"""{"id":"{{postId}}"}""");
                return;
            case ("POST", IgUserId, "media"):
                if (string.IsNullOrEmpty(form!["image_url"]))
                {
                    await StubServer.JsonAsync(context, GraphError(100, "(#100) The parameter image_url is required", type: "OAuthException"), 400);
                    return;
                }

                var container = "1789" + (Containers.Count + 1).ToString("D11", CultureInfo.InvariantCulture);
                Containers[container] = (form["image_url"], form["caption"].ToString());
                await StubServer.JsonAsync(context, $$"""{"id":"{{container}}"}""");
                return;
            case ("POST", IgUserId, "media_publish"):
                var creation = form!["creation_id"].ToString();
                if (!Containers.ContainsKey(creation))
                {
                    await StubServer.JsonAsync(context, GraphError(100, "(#100) Invalid creation_id"), 400);
                    return;
                }

                if (ContainerState.GetValueOrDefault(creation) != "FINISHED")
                {
                    // Publishing a container that is not FINISHED: "Media ID is not available" (code 9007).
                    await StubServer.JsonAsync(context, GraphError(9007, "Media ID is not available", type: "OAuthException"), 400);
                    return;
                }

                var published = "1790" + (Published.Count + 1).ToString("D11", CultureInfo.InvariantCulture);
                Published.Add(published);
                await StubServer.JsonAsync(context, $$"""{"id":"{{published}}"}""");
                return;
            default:
                await StubServer.JsonAsync(context, GraphError(100, $"(#100) Unsupported get request. Object with ID '{node}' does not exist"), 400);
                return;
        }
    }

    /// <summary>A Graph page: the slice after the "after" cursor (base64 of the offset), with paging.next when more follow.</summary>
    private static Task PageAsync(HttpContext context, IEnumerable<object> all, int limit, string? after)
    {
        var offset = string.IsNullOrEmpty(after) ? 0 : int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(after)), CultureInfo.InvariantCulture);
        var list = all.ToList();
        var slice = list.Skip(offset).Take(limit).ToList();
        var next = offset + limit < list.Count ? Convert.ToBase64String(Encoding.UTF8.GetBytes((offset + limit).ToString(CultureInfo.InvariantCulture))) : null;
        var paging = new Dictionary<string, object?>
        {
            ["cursors"] = new { before = Convert.ToBase64String(Encoding.UTF8.GetBytes(offset.ToString(CultureInfo.InvariantCulture))), after = next ?? "RU5E" },
        };
        if (next is not null)
        {
            paging["next"] = $"https://graph.facebook.com/{GraphOptions.Version}{context.Request.Path}?limit={limit}&after={next}";
        }

        return StubServer.JsonAsync(context, JsonSerializer.Serialize(new { data = slice, paging }));
    }
}
