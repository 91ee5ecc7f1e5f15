namespace Firebreak.Browser.Tests;

/// <summary>Wire-format mentions as a platform connector would send them (docs/api.md, Ingest).</summary>
internal static class Mentions
{
    private static int next;

    public static string NewId(string prefix = "m") => $"{prefix}-{Interlocked.Increment(ref next)}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>A post; <paramref name="minutesAgo"/> before now, so the newest appear first.</summary>
    public static Dictionary<string, object?> Post(
        string text,
        string? id = null,
        string handle = "jane_doe",
        string displayName = "Jane Doe",
        string? url = null,
        string? lang = "en",
        double minutesAgo = 1,
        long followers = 1_200,
        string platform = "x")
    {
        id ??= NewId();
        return new()
        {
            ["platform"] = platform,
            ["externalId"] = id,
            ["kind"] = "post",
            ["author"] = new Dictionary<string, object?> { ["handle"] = handle, ["displayName"] = displayName, ["followers"] = followers, ["verified"] = false },
            ["text"] = text,
            ["language"] = lang,
            ["url"] = url ?? $"https://x.com/{Uri.EscapeDataString(handle)}/status/{id}",
            ["createdAt"] = TimeProvider.System.GetUtcNow().AddMinutes(-minutesAgo),
            ["engagement"] = new Dictionary<string, object?> { ["likes"] = 3, ["shares"] = 1, ["replies"] = 0, ["views"] = 250 },
        };
    }

    /// <summary>An ordinary airline-complaint morning, for pages that should not be empty.</summary>
    public static IEnumerable<Dictionary<string, object?>> Background() =>
    [
        Post("Flight AA123 delayed again, third time this month. Still waiting for my refund.", handle: "frequent_flyer", displayName: "Sam T.", minutesAgo: 30),
        Post("Loved the new lounge at T2, staff were great #travel", handle: "lounge_lover", displayName: "Priya", minutesAgo: 25),
        Post("Anyone else stuck at the gate? No announcements for an hour.", handle: "gate_b12", displayName: "B12 Hostage", minutesAgo: 20),
        Post("Le remboursement promis n'est jamais arrivé. Service client injoignable.", handle: "marie_l", displayName: "Marie L.", lang: "fr", minutesAgo: 15),
        Post("Customer service sorted my refund in ten minutes, thanks!", handle: "happy_camper", displayName: "Tom", minutesAgo: 10),
    ];
}
