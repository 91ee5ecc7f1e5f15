namespace Firebreak.Web.Tests.Api;

using System.Text.Json;

/// <summary>Wire-format mentions as a platform connector would send them.</summary>
internal static class Payloads
{
    /// <summary>Yesterday at the start of an hour, so payloads are always in the accepted past whatever the machine's date.</summary>
    public static readonly DateTimeOffset Base = StartOfHour(TimeProvider.System.GetUtcNow().AddDays(-1));

    private static DateTimeOffset StartOfHour(DateTimeOffset t) => new(t.Year, t.Month, t.Day, t.Hour, 0, 0, TimeSpan.Zero);

    public static Dictionary<string, object?> Mention(string id, string text, string platform = "x", string? lang = "en", int minute = 0, long followers = 100, string handle = "someone", long likes = 0) => new()
    {
        ["platform"] = platform,
        ["externalId"] = id,
        ["kind"] = "post",
        ["author"] = new Dictionary<string, object?> { ["handle"] = handle, ["displayName"] = "Some One", ["followers"] = followers, ["verified"] = false },
        ["text"] = text,
        ["language"] = lang,
        ["url"] = $"https://x.com/{handle}/status/{id}",
        ["createdAt"] = Base.AddMinutes(minute),
        ["engagement"] = new Dictionary<string, object?> { ["likes"] = likes, ["shares"] = 0, ["replies"] = 0, ["views"] = 0 },
    };

    public static string Ndjson(IEnumerable<object> items) => string.Join('\n', items.Select(i => JsonSerializer.Serialize(i))) + "\n";
}
