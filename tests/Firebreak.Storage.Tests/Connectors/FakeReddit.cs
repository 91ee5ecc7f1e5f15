namespace Firebreak.Storage.Tests.Connectors;

using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

/// <summary>
/// Reddit's OAuth API wire format (oauth.reddit.com): Listings (<c>{"kind":"Listing","data":{"after","before","children":[{"kind":"t1"|"t3","data":{…}}]}}</c>)
/// newest first, paged with <c>after</c> and <c>limit</c>; rate headers <c>X-Ratelimit-Used/Remaining/Reset</c> (decimal
/// remaining, reset in seconds); <c>POST /api/comment</c> answering <c>{"json":{"errors":[],"data":{"things":[…]}}}</c>.
/// </summary>
internal sealed class FakeReddit
{
    public static readonly DateTimeOffset Epoch = new(2025, 3, 3, 9, 0, 0, TimeSpan.Zero);
    private readonly List<int> comments = [];

    public string Token { get; set; } = "reddit-bearer-7c2e";

    public Queue<(int Status, (string, string)[] Headers, string Body)> Scripted { get; } = new();

    /// <summary>Comments the brand account made through <c>POST /api/comment</c>: (name, parent, body, created).</summary>
    public List<(string Name, string Parent, string Body, DateTimeOffset At)> Made { get; } = [];

    /// <summary>The next comment is stored, then answered with this status (the answer is lost).</summary>
    public int? LoseNextCommentAnswerWith { get; set; }

    /// <summary>Listing pages to serve cut short (three fifths of the body), by their "after" ("" for the first page), and how many times.</summary>
    public Dictionary<string, int> Cut { get; } = [];

    public static string Name(int n) => "t1_k" + n.ToString("D5", CultureInfo.InvariantCulture);

    public void Add(params int[] ns) => comments.AddRange(ns);

    public static string Comment(int n, string? body = null, string? author = null, int? at = null) => JsonSerializer.Serialize(new
    {
        kind = "t1",
        data = new Dictionary<string, object?>
        {
            ["id"] = "k" + n.ToString("D5", CultureInfo.InvariantCulture),
            ["name"] = Name(n),
            ["author"] = author ?? $"redditor{n}",
            ["body"] = body ?? $"Their app ate my refund again #{n}",
            ["created_utc"] = (double)Epoch.AddMinutes(at ?? n).ToUnixTimeSeconds(),
            ["score"] = n * 3,
            ["subreddit"] = "brandsupport",
            ["link_id"] = "t3_post1",
            ["parent_id"] = n % 2 == 0 ? "t3_post1" : Name(n - 1),
            ["permalink"] = $"/r/brandsupport/comments/post1/refunds/k{n:D5}/",
            ["link_title"] = "Refunds megathread",
        },
    });

    public static string Link(int n, string title, string selftext) => JsonSerializer.Serialize(new
    {
        kind = "t3",
        data = new Dictionary<string, object?>
        {
            ["id"] = $"p{n}",
            ["name"] = $"t3_p{n}",
            ["author"] = $"poster{n}",
            ["title"] = title,
            ["selftext"] = selftext,
            ["created_utc"] = (double)Epoch.AddMinutes(n).ToUnixTimeSeconds(),
            ["score"] = 41,
            ["num_comments"] = 12,
            ["subreddit"] = "technology",
            ["subreddit_subscribers"] = 15_000_000,
            ["permalink"] = $"/r/technology/comments/p{n}/post/",
            ["url"] = $"https://www.reddit.com/r/technology/comments/p{n}/post/",
        },
    });

    public static string Listing(IEnumerable<string> children, string? after) =>
        $$"""{"kind":"Listing","data":{"after":{{(after is null ? "null" : $"\"{after}\"")}},"dist":3,"modhash":"","geo_filter":"","children":[{{string.Join(",", children)}}],"before":null} }""";

    public async Task HandleAsync(HttpContext context)
    {
        if (context.Request.Headers.Authorization != $"Bearer {Token}")
        {
            await StubServer.JsonAsync(context, """{"message": "Unauthorized", "error": 401}""", 401, ("www-authenticate", "Bearer realm=\"reddit\", error=\"invalid_token\""));
            return;
        }

        if (Scripted.TryDequeue(out var scripted))
        {
            await StubServer.JsonAsync(context, scripted.Body, scripted.Status, scripted.Headers);
            return;
        }

        if (context.Request.Path == "/api/comment")
        {
            var form = await context.Request.ReadFormAsync();
            string id;
            lock (Made)
            {
                id = "reply" + (Made.Count + 1).ToString(CultureInfo.InvariantCulture);
                Made.Add(("t1_" + id, form["thing_id"].ToString(), form["text"].ToString(), DateTimeOffset.UtcNow));
            }

            if (LoseNextCommentAnswerWith is { } lost)
            {
                LoseNextCommentAnswerWith = null;
                context.Response.StatusCode = lost;
                return;
            }

            await StubServer.JsonAsync(context, $$"""{"json":{"errors":[],"data":{"things":[{"kind":"t1","data":{"id":"{{id}}","name":"t1_{{id}}","parent_id":"{{form["thing_id"]}}","body":"{{form["text"]}}","permalink":"/r/brandsupport/comments/post1/refunds/{{id}}/"} }]} } }""");
            return;
        }

        if (context.Request.Path == "/user/brand_care/comments")
        {
            List<(string Name, string Parent, string Body, DateTimeOffset At)> made;
            lock (Made)
            {
                made = [.. Made];
            }

            var children = made.AsEnumerable().Reverse().Select(m => JsonSerializer.Serialize(new
            {
                kind = "t1",
                data = new { id = m.Name[3..], name = m.Name, parent_id = m.Parent, body = m.Body, author = "brand_care", created_utc = (double)m.At.ToUnixTimeSeconds(), permalink = $"/r/brandsupport/comments/post1/refunds/{m.Name[3..]}/" },
            }));
            await StubServer.JsonAsync(context, Listing(children, null));
            return;
        }

        var limit = int.Parse(context.Request.Query["limit"].ToString(), CultureInfo.InvariantCulture);
        var after = context.Request.Query["after"].ToString();
        var ordered = comments.Distinct().OrderDescending().ToList();
        var start = after.Length == 0 ? 0 : ordered.FindIndex(n => Name(n) == after) + 1;
        var page = ordered.Skip(start).Take(limit).ToList();
        var next = start + limit < ordered.Count ? Name(page[^1]) : null;
        var body = Listing(page.Select(n => Comment(n)), next);
        if (Cut.TryGetValue(after, out var cuts) && cuts > 0)
        {
            Cut[after] = cuts - 1;
            body = body[..(body.Length * 3 / 5)];
        }

        await StubServer.JsonAsync(context, body, 200, ("X-Ratelimit-Used", "1"), ("X-Ratelimit-Remaining", "599.0"), ("X-Ratelimit-Reset", "300"));
    }
}
