namespace Firebreak.Storage.Tests.Connectors;

using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

/// <summary>
/// X API v2's wire format (docs.x.com, API v2): recent search pages of Tweet objects newest first, with
/// <c>includes.users</c>, <c>meta.{newest_id, oldest_id, result_count, next_token}</c>, <c>since_id</c> and
/// <c>max_results</c>; the v2 problem object on errors; <c>POST /2/tweets</c>. Tweets are kept in memory.
/// </summary>
internal sealed class FakeX
{
    private static readonly DateTimeOffset Epoch = new(2025, 3, 3, 9, 0, 0, TimeSpan.Zero);
    private readonly List<int> tweets = [];

    public string Token { get; set; } = "AAAAAAAAAAAAAAAAAAAAAx-bearer";

    public Queue<(int Status, (string, string)[] Headers, string Body)> Scripted { get; } = new();

    public List<string> Posted { get; } = [];

    /// <summary>The next POST /2/tweets is stored, then answered with this status instead of 201 (the answer is lost).</summary>
    public int? LoseNextPostAnswerWith { get; set; }

    /// <summary>Runs after a POST /2/tweets is stored and before it is answered (a crash between the platform's write and our record).</summary>
    public Func<Task>? AfterAcceptingPost { get; set; }

    /// <summary>The brand account's own id, as /2/users/me gives it.</summary>
    public const string OwnId = "2244994945";

    private readonly List<(string Id, string Text, string? RepliedTo, DateTimeOffset At)> own = [];

    /// <summary>Recent-search pages to serve cut short (three fifths of the body), by next_token ("" for the first page), and how many times.</summary>
    public Dictionary<string, int> Cut { get; } = [];

    public static string Id(int n) => (1_897_000_000_000_000_000L + n).ToString(CultureInfo.InvariantCulture);

    public void Add(params int[] ns) => tweets.AddRange(ns);

    public static string Tweet(int n, string? text = null, int? repliedTo = null) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["id"] = Id(n),
        ["text"] = text ?? $"@brand where is my refund? &amp; why #{n}",
        ["created_at"] = Epoch.AddMinutes(n).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
        ["lang"] = n % 2 == 0 ? "en" : "de",
        ["author_id"] = (5000 + n).ToString(CultureInfo.InvariantCulture),
        ["conversation_id"] = repliedTo is { } p ? Id(p) : Id(n),
        ["in_reply_to_user_id"] = repliedTo is null ? null : "42",
        ["referenced_tweets"] = repliedTo is { } r ? new[] { new { type = "replied_to", id = Id(r) } } : null,
        ["edit_history_tweet_ids"] = new[] { Id(n) },
        ["public_metrics"] = new { retweet_count = n % 3, reply_count = n % 4, like_count = n * 2, quote_count = 1, bookmark_count = 0, impression_count = n * 100 },
    });

    public static string User(int n) =>
        $$"""{"id":"{{5000 + n}}","name":"Customer {{n}}","username":"cust{{n}}","verified":{{(n % 5 == 0 ? "true" : "false")}},"public_metrics":{"followers_count":{{n * 10}},"following_count":3,"tweet_count":99,"listed_count":0} }""";

    /// <summary>One filtered-stream line: the tweet, its author, and the rules it matched.</summary>
    public static string StreamLine(int n, string tag) =>
        $$"""{"data":{{Tweet(n)}},"includes":{"users":[{{User(n)}}]},"matching_rules":[{"id":"1788","tag":"{{tag}}"}]}""";

    public static string Page(IReadOnlyList<int> ns, string? nextToken)
    {
        if (ns.Count == 0)
        {
            return """{"meta":{"result_count":0}}""";
        }

        var next = nextToken is null ? string.Empty : $",\"next_token\":\"{nextToken}\"";
        return $$"""{"data":[{{string.Join(",", ns.Select(n => Tweet(n)))}}],"includes":{"users":[{{string.Join(",", ns.Distinct().Select(User))}}]},"meta":{"newest_id":"{{Id(ns.Max())}}","oldest_id":"{{Id(ns.Min())}}","result_count":{{ns.Count}}{{next}} } }""";
    }

    public async Task HandleAsync(HttpContext context)
    {
        if (context.Request.Headers.Authorization != $"Bearer {Token}")
        {
            await StubServer.JsonAsync(context, """{"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"}""", 401);
            return;
        }

        if (Scripted.TryDequeue(out var scripted))
        {
            await StubServer.JsonAsync(context, scripted.Body, scripted.Status, scripted.Headers);
            return;
        }

        var q = context.Request.Query;
        switch (context.Request.Path.Value)
        {
            case "/2/tweets/search/recent":
                var since = q["since_id"].ToString();
                var size = int.Parse(q["max_results"].ToString(), CultureInfo.InvariantCulture);
                var offset = q["next_token"].ToString() is { Length: > 0 } token ? int.Parse(token[1..], CultureInfo.InvariantCulture) : 0;
                var matching = tweets.Where(n => since.Length == 0 || string.CompareOrdinal(Id(n), since) > 0).Distinct().OrderDescending().ToList();
                var page = matching.Skip(offset).Take(size).ToList();
                var answer = Page(page, offset + size < matching.Count ? $"t{offset + size}" : null);
                var key = q["next_token"].ToString();
                if (Cut.TryGetValue(key, out var cuts) && cuts > 0)
                {
                    Cut[key] = cuts - 1;
                    answer = answer[..(answer.Length * 3 / 5)];
                }

                await StubServer.JsonAsync(context, answer, 200, ("x-rate-limit-limit", "450"), ("x-rate-limit-remaining", "449"), ("x-rate-limit-reset", DateTimeOffset.UtcNow.AddMinutes(15).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
                return;
            case "/2/tweets/search/stream/rules" when context.Request.Method == "GET":
                await StubServer.JsonAsync(context, """{"meta":{"sent":"2025-03-03T09:00:00.000Z","result_count":0}}""");
                return;
            case "/2/tweets/search/stream/rules":
                await StubServer.JsonAsync(context, """{"data":[{"value":"x","tag":"t","id":"1788"}],"meta":{"sent":"2025-03-03T09:00:00.000Z","summary":{"created":1,"not_created":0,"valid":1,"invalid":0}}}""", 201);
                return;
            case "/2/tweets" when context.Request.Method == "POST":
                var body = await JsonDocument.ParseAsync(context.Request.Body);
                string created;
                lock (own)
                {
                    Posted.Add(body.RootElement.GetRawText());
                    created = Id(900 + Posted.Count);
                    var repliedTo = body.RootElement.TryGetProperty("reply", out var r) ? r.GetProperty("in_reply_to_tweet_id").GetString() : null;
                    own.Add((created, body.RootElement.GetProperty("text").GetString()!, repliedTo, DateTimeOffset.UtcNow));
                }

                if (AfterAcceptingPost is { } crash)
                {
                    await crash();
                }

                if (LoseNextPostAnswerWith is { } lost)
                {
                    LoseNextPostAnswerWith = null;
                    context.Response.StatusCode = lost;
                    return;
                }

                await StubServer.JsonAsync(context, $$"""{"data":{"id":"{{created}}","edit_history_tweet_ids":["{{created}}"],"text":"ok"} }""", 201);
                return;
            case "/2/users/me":
                await StubServer.JsonAsync(context, $$"""{"data":{"id":"{{OwnId}}","name":"Brand","username":"brand"} }""");
                return;
            case $"/2/users/{OwnId}/tweets":
                var start = q["start_time"].ToString() is { Length: > 0 } s ? DateTimeOffset.Parse(s, CultureInfo.InvariantCulture) : DateTimeOffset.MinValue;
                List<(string Id, string Text, string? RepliedTo, DateTimeOffset At)> mine;
                lock (own)
                {
                    mine = [.. own.Where(t => t.At >= start).OrderByDescending(t => t.Id, StringComparer.Ordinal)];
                }

                // X gives a reply's text back with the @handle it answers in front.
                var data = mine.Select(t => new Dictionary<string, object?>
                {
                    ["id"] = t.Id,
                    ["text"] = (t.RepliedTo is null ? string.Empty : "@cust3 ") + t.Text.Replace("&", "&amp;", StringComparison.Ordinal),
                    ["created_at"] = t.At.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
                    ["edit_history_tweet_ids"] = new[] { t.Id },
                    ["referenced_tweets"] = t.RepliedTo is null ? null : new[] { new { type = "replied_to", id = t.RepliedTo } },
                });
                await StubServer.JsonAsync(context, mine.Count == 0 ? """{"meta":{"result_count":0}}""" : JsonSerializer.Serialize(new { data, meta = new { result_count = mine.Count, newest_id = mine[0].Id, oldest_id = mine[^1].Id } }));
                return;
            default:
                await StubServer.JsonAsync(context, """{"title":"Not Found Error","detail":"no such route","type":"https://api.twitter.com/2/problems/resource-not-found"}""", 404);
                return;
        }
    }
}
