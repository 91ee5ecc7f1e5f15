namespace Firebreak.Core.Tests.Publishing;

using Firebreak.Core.Mentions;
using Firebreak.Core.Publishing.Posts;

/// <summary>Each platform's documented limits as tables: counting (X's weights, graphemes), media and links.</summary>
public sealed class PlatformLimitsTests
{
    private const string Family = "👨‍👩‍👧‍👦";
    private const string Url = "https://example.com/a/very/long/path/that/is/far/longer/than/twenty-three/characters?with=query";

    public static TheoryData<string, Platform, string, int> Lengths => new()
    {
        { "ascii", Platform.X, "Hello", 5 },
        { "a URL counts 23 on X", Platform.X, Url, 23 },
        { "text and URL", Platform.X, "See " + Url + " now", 4 + 23 + 4 },
        { "emoji weighs 2 on X", Platform.X, "👍", 2 },
        { "a ZWJ family is one emoji of weight 2 on X", Platform.X, Family, 2 },
        { "flag (regional indicators) weighs 2 on X", Platform.X, "🇬🇧", 2 },
        { "CJK weighs 2 per character on X", Platform.X, "日本語", 6 },
        { "Arabic (RTL) weighs 1 per letter on X", Platform.X, "مرحبا", 5 },
        { "Hebrew (RTL) weighs 1 per letter on X", Platform.X, "שלום", 4 },
        { "accented Latin weighs 1", Platform.X, "café", 4 },
        { "zalgo: each base letter with its marks is one grapheme on Bluesky", Platform.Bluesky, "Z\u0334\u0321\u031Ba\u0335l\u0337", 3 },
        { "a ZWJ family is one grapheme on Bluesky", Platform.Bluesky, Family, 1 },
        { "Bluesky counts URLs in full", Platform.Bluesky, "https://example.com/abc", 23 },
        { "Mastodon counts a URL as 23", Platform.Mastodon, "x " + Url, 2 + 23 },
        { "Mastodon counts graphemes", Platform.Mastodon, Family + "é", 2 },
        { "Facebook counts UTF-16 units", Platform.Facebook, "👍", 2 },
    };

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Counts(string name, Platform platform, string text, int expected) =>
        Assert.True(expected == PlatformLimits.Length(platform, text), $"{name}: expected {expected}, got {PlatformLimits.Length(platform, text)}");

    public static TheoryData<string, Platform, string, PostMedia[], string[], string?> Validation => new()
    {
        // name, platform, text, media, links, the field of the first error (null: valid)
        { "280 on X fits", Platform.X, new string('a', 280), [], [], null },
        { "281 on X does not", Platform.X, new string('a', 281), [], [], "text" },
        { "256 + space + URL = 280 on X", Platform.X, new string('a', 256) + " " + Url, [], [], null },
        { "257 + space + URL = 281 on X", Platform.X, new string('a', 257) + " " + Url, [], [], "text" },
        { "140 emoji = 280 on X", Platform.X, string.Concat(Enumerable.Repeat("😀", 140)), [], [], null },
        { "141 emoji = 282 on X", Platform.X, string.Concat(Enumerable.Repeat("😀", 141)), [], [], "text" },
        { "300 families fit Bluesky (3,300 UTF-16 units)", Platform.Bluesky, string.Concat(Enumerable.Repeat(Family, 300)), [], [], null },
        { "301 graphemes do not fit Bluesky", Platform.Bluesky, new string('b', 301), [], [], "text" },
        { "500 on Mastodon", Platform.Mastodon, new string('m', 500), [], [], null },
        { "501 on Mastodon", Platform.Mastodon, new string('m', 501), [], [], "text" },
        { "3,001 on LinkedIn", Platform.LinkedIn, new string('l', 3001), [], [], "text" },
        { "2,201 on Instagram", Platform.Instagram, new string('i', 2201), [Img()], [], "text" },
        { "Instagram needs media", Platform.Instagram, "caption", [], [], "media" },
        { "Instagram with an image", Platform.Instagram, "caption", [Img()], [], null },
        { "Instagram: a link card is not possible", Platform.Instagram, "caption", [Img()], ["https://example.com"], "links" },
        { "TikTok needs a video", Platform.TikTok, "caption", [], [], "media" },
        { "TikTok refuses an image", Platform.TikTok, "caption", [Img()], [], "media[0].kind" },
        { "TikTok with a video", Platform.TikTok, "caption", [Vid()], [], null },
        { "YouTube needs a video", Platform.YouTube, "description", [Img()], [], "media[0].kind" },
        { "Pinterest needs an image", Platform.Pinterest, "pin", [], [], "media" },
        { "Pinterest: 501 description", Platform.Pinterest, new string('p', 501), [Img()], [], "text" },
        { "Pinterest: one link only", Platform.Pinterest, "pin", [Img()], ["https://a.example", "https://b.example"], "links" },
        { "X: at most 4 media", Platform.X, "five", [Img(), Img(), Img(), Img(), Img()], [], "media" },
        { "X: a video goes alone", Platform.X, "mixed", [Vid(), Img()], [], "media" },
        { "Bluesky: 4 images", Platform.Bluesky, "four", [Img(), Img(), Img(), Img()], [], null },
        { "a media URL must be http(s)", Platform.X, "x", [new PostMedia("ftp://files.example/a.png", MediaKind.Image)], [], "media[0].url" },
        { "a relative media URL", Platform.X, "x", [new PostMedia("/a.png", MediaKind.Image)], [], "media[0].url" },
        { "a javascript: link", Platform.X, "x", [], ["javascript:alert(1)"], "links[0]" },
        { "empty text without media", Platform.Mastodon, "   ", [], [], "text" },
        { "media without text is fine on X", Platform.X, string.Empty, [Img()], [], null },
        { "a lone surrogate (broken UTF-8 upstream)", Platform.Mastodon, "ok \uD800 broken", [], [], "text" },
        { "a 10 MB paste", Platform.Facebook, new string('x', 10_000_000), [], [], "text" },
        { "news is not publishable", Platform.News, "x", [], [], "platform" },
    };

    [Theory]
    [MemberData(nameof(Validation))]
    public void Validates(string name, Platform platform, string text, PostMedia[] media, string[] links, string? firstErrorField)
    {
        var errors = PlatformLimits.Validate(platform, text, media, links).Where(i => i.Error).ToList();
        Assert.True(firstErrorField == errors.FirstOrDefault()?.Field, $"{name}: expected {firstErrorField ?? "valid"}, got {string.Join("; ", errors.Select(e => $"{e.Field} {e.Message}"))}");
    }

    [Fact]
    public void ErrorsNameTheLimit()
    {
        var error = PlatformLimits.Validate(Platform.X, new string('a', 300), [], []).Single();
        Assert.Equal("is 300 weighted characters (URLs count 23, emoji and CJK 2); x allows 280", error.Message);
    }

    [Fact]
    public void PreviewCutsOnWholeGraphemesWithAnEllipsis()
    {
        var text = string.Concat(Enumerable.Repeat(Family, 301));
        var preview = PlatformLimits.Preview(Platform.Bluesky, text);
        Assert.False(preview.Fits);
        Assert.Equal(301, preview.Length);
        Assert.EndsWith("…", preview.Shown, StringComparison.Ordinal);
        Assert.Equal(300, PlatformLimits.Graphemes(preview.Shown));
        Assert.Equal(-1, PlatformLimits.BrokenCharacterAt(preview.Shown));
    }

    [Fact]
    public void PreviewOfXCountsWeights()
    {
        var preview = PlatformLimits.Preview(Platform.X, string.Concat(Enumerable.Repeat("日", 200)));
        Assert.Equal(400, preview.Length);
        Assert.Equal(200, preview.Graphemes);
        // 139 ideographs (278) and the ellipsis, which X also weighs 2.
        Assert.Equal(280, PlatformLimits.Length(Platform.X, preview.Shown));
    }

    [Fact]
    public void AFittingPostIsShownWhole() =>
        Assert.Equal("Hello", PlatformLimits.Preview(Platform.Mastodon, "Hello").Shown);

    private static PostMedia Img() => new("https://cdn.example.com/a.jpg", MediaKind.Image);

    private static PostMedia Vid() => new("https://cdn.example.com/a.mp4", MediaKind.Video);
}
