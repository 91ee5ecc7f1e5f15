namespace Firebreak.Storage.Tests.Connectors;

using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

/// <summary>
/// A Mastodon instance's wire format (API v1/v2 as documented at docs.joinmastodon.org, Mastodon 4.x): Notification and
/// Status entities with their real field names, newest-first pages bounded by min_id / since_id / max_id / limit, and a
/// Link header. Statuses are kept in memory; tests add mentions and script failures.
/// </summary>
internal sealed class FakeMastodon
{
    // Snowflake-like ids: milliseconds << 16, as Mastodon makes them.
    private static readonly DateTimeOffset Epoch = new(2025, 3, 3, 9, 0, 0, TimeSpan.Zero);
    private readonly List<(string NotificationId, string StatusId, DateTimeOffset At, string Json)> notifications = [];
    private readonly List<(string Id, DateTimeOffset At, string Json)> tagged = [];

    public string Token { get; set; } = "mastodon-access-token-0f3c";

    /// <summary>Answers scripted in order before normal service resumes (status, headers, body).</summary>
    public Queue<(int Status, (string, string)[] Headers, string Body)> Scripted { get; } = new();

    public static string Id(int n) => (((ulong)Epoch.AddMinutes(n).ToUnixTimeMilliseconds()) << 16).ToString(CultureInfo.InvariantCulture);

    public static string Status(int n, string text, string? inReplyTo = null, string language = "en") => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["id"] = Id(n),
        ["created_at"] = Epoch.AddMinutes(n).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
        ["in_reply_to_id"] = inReplyTo,
        ["in_reply_to_account_id"] = inReplyTo is null ? null : "109302",
        ["sensitive"] = false,
        ["spoiler_text"] = "",
        ["visibility"] = "public",
        ["language"] = language,
        ["uri"] = $"https://social.example/users/user{n}/statuses/{Id(n)}",
        ["url"] = $"https://social.example/@user{n}/{Id(n)}",
        ["replies_count"] = n % 3,
        ["reblogs_count"] = n % 5,
        ["favourites_count"] = n % 7,
        ["content"] = $"<p><span class=\"h-card\"><a href=\"https://social.example/@brand\" class=\"u-url mention\">@<span>brand</span></a></span> {System.Net.WebUtility.HtmlEncode(text)}</p>",
        ["reblog"] = null,
        ["account"] = new Dictionary<string, object?>
        {
            ["id"] = (1000 + n).ToString(CultureInfo.InvariantCulture),
            ["username"] = $"user{n}",
            ["acct"] = $"user{n}@other.example",
            ["display_name"] = $"User {n}",
            ["followers_count"] = 10 * n,
            ["bot"] = false,
            ["url"] = $"https://other.example/@user{n}",
        },
        ["media_attachments"] = Array.Empty<object>(),
        ["mentions"] = new[] { new { id = "109302", username = "brand", acct = "brand", url = "https://social.example/@brand" } },
        ["tags"] = Array.Empty<object>(),
    });

    public static string Notification(int n, string statusJson, string type = "mention") =>
        $$"""{"id":"{{Id(n)}}","type":"{{type}}","created_at":"{{Epoch.AddMinutes(n):yyyy-MM-ddTHH:mm:ss.fffZ}}","account":{"id":"{{1000 + n}}","username":"user{{n}}","acct":"user{{n}}@other.example","display_name":"","followers_count":1},"status":{{statusJson}}}""";

    public void AddMention(int n, string text = "where is my refund?") =>
        notifications.Add((Id(n), Id(n), Epoch.AddMinutes(n), Notification(n, Status(n, text + " #" + n))));

    public void AddTagged(int n, string text = "#aurora outage again") => tagged.Add((Id(n), Epoch.AddMinutes(n), Status(n, text)));

    public string NotificationJson(int n) => notifications.Single(x => x.NotificationId == Id(n)).Json;

    public async Task HandleAsync(HttpContext context)
    {
        if (Scripted.TryDequeue(out var scripted))
        {
            await StubServer.JsonAsync(context, scripted.Body, scripted.Status, scripted.Headers);
            return;
        }

        if (context.Request.Headers.Authorization.ToString() != "Bearer " + Token)
        {
            await StubServer.JsonAsync(context, """{"error":"The access token is invalid"}""", 401);
            return;
        }

        var path = context.Request.Path.Value;
        if (path == "/api/v1/notifications")
        {
            await PageAsync(context, notifications.Select(x => (x.NotificationId, x.Json)).ToList());
        }
        else if (path is not null && path.StartsWith("/api/v1/timelines/tag/", StringComparison.Ordinal))
        {
            await PageAsync(context, tagged.Select(x => (x.Id, x.Json)).ToList());
        }
        else
        {
            await StubServer.JsonAsync(context, """{"error":"Record not found"}""", 404);
        }
    }

    /// <summary>Mastodon's paging: max_id (older than), since_id (newer than, newest page), min_id (the page right after it).</summary>
    private static Task PageAsync(HttpContext context, List<(string Id, string Json)> all)
    {
        var q = context.Request.Query;
        var limit = int.TryParse(q["limit"], out var l) ? Math.Clamp(l, 1, 40) : 20;
        IEnumerable<(string Id, string Json)> items = all.OrderBy(x => x.Id.Length).ThenBy(x => x.Id, StringComparer.Ordinal);
        if (q["max_id"].ToString() is { Length: > 0 } max)
        {
            items = items.Where(x => Compare(x.Id, max) < 0);
        }

        if (q["since_id"].ToString() is { Length: > 0 } since)
        {
            items = items.Where(x => Compare(x.Id, since) > 0);
        }

        List<(string Id, string Json)> page;
        if (q["min_id"].ToString() is { Length: > 0 } min)
        {
            page = items.Where(x => Compare(x.Id, min) > 0).Take(limit).ToList();
        }
        else
        {
            page = items.TakeLast(limit).ToList();
        }

        page.Reverse();
        return StubServer.JsonAsync(context, "[" + string.Join(",", page.Select(p => p.Json)) + "]");
    }

    private static int Compare(string a, string b) => a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(a, b);
}
