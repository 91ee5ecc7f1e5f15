namespace Firebreak.Core.Publishing.Posts;

using System.Globalization;
using System.Text.RegularExpressions;
using Firebreak.Core.Mentions;

/// <summary>How a platform counts a post's length.</summary>
public enum LengthCounting
{
    /// <summary>User-perceived characters (grapheme clusters): an emoji with ZWJ or an Arabic letter with its marks counts once.</summary>
    Graphemes,

    /// <summary>UTF-16 code units (what TikTok's API documents as "UTF-16 runes").</summary>
    Utf16,

    /// <summary>
    /// X's weighted count (twitter-text v3 config): code points in Latin/general punctuation ranges weigh 1, others 2
    /// (CJK, most emoji); an emoji sequence weighs 2 in all; each URL counts 23 whatever its length.
    /// </summary>
    XWeighted,
}

/// <summary>One platform's documented limits for a post.</summary>
/// <param name="MaxLength">The longest text, in <paramref name="Counting"/> units.</param>
/// <param name="UrlLength">What a URL in the text counts as, when the platform shortens links (X, Mastodon: 23); null: its own length.</param>
/// <param name="MaxMedia">How many attachments at most.</param>
/// <param name="MediaKinds">Which kinds it accepts.</param>
/// <param name="RequiresMedia">The post needs at least one attachment of these kinds (Instagram, TikTok, YouTube, Pinterest).</param>
/// <param name="SingleVideo">A video (or GIF) must be the only attachment.</param>
/// <param name="MaxLinks">Attached links at most (Pinterest's one destination link); null: no limit.</param>
/// <param name="Source">Where the figure is documented, so it can be rechecked.</param>
public sealed record PlatformLimit(
    Platform Platform,
    int MaxLength,
    LengthCounting Counting,
    int? UrlLength,
    int MaxMedia,
    IReadOnlyList<MediaKind> MediaKinds,
    bool RequiresMedia,
    bool SingleVideo,
    int? MaxLinks,
    bool LinksClickable,
    string Source);

/// <summary>A problem with a post's content or schedule, naming the field; errors block review, warnings are shown.</summary>
public sealed record PostIssue(string Field, string Message, bool Error = true);

/// <summary>How the post will look on one platform: its count against the limit, and the text cut where the platform would refuse it.</summary>
public sealed record PlatformPreview(Platform Platform, int Length, int Limit, int Graphemes, bool Fits, string Shown);

/// <summary>
/// The documented limits of each platform we publish to (checked 2026; <see cref="PlatformLimit.Source"/> says where),
/// and the checks made before a post may go to review, so a post that would be refused fails with a clear message
/// long before its send time. Threads is not a <see cref="Platform"/> yet, so it has no row.
/// </summary>
public static partial class PlatformLimits
{
    /// <summary>The hard cap on any text we store, whatever the platform (a 10 MB paste is refused, not truncated).</summary>
    public const int MaxStoredText = 70_000;

    public const int MaxUrl = 2_048;

    private static readonly MediaKind[] AnyMedia = [MediaKind.Image, MediaKind.Video, MediaKind.Gif];

    private static readonly Dictionary<Platform, PlatformLimit> Table = new()
    {
        [Platform.X] = new(Platform.X, 280, LengthCounting.XWeighted, 23, 4, AnyMedia, false, true, null, true, "developer.x.com counting-characters; POST /2/tweets media.media_ids max 4"),
        [Platform.Mastodon] = new(Platform.Mastodon, 500, LengthCounting.Graphemes, 23, 4, AnyMedia, false, true, null, true, "docs.joinmastodon.org POST /api/v1/statuses (default max_characters 500, 4 media_ids)"),
        [Platform.Bluesky] = new(Platform.Bluesky, 300, LengthCounting.Graphemes, null, 4, AnyMedia, false, true, null, true, "atproto app.bsky.feed.post lexicon: text maxGraphemes 300; app.bsky.embed.images max 4"),
        [Platform.Facebook] = new(Platform.Facebook, 63_206, LengthCounting.Utf16, null, 10, AnyMedia, false, true, null, true, "Graph API Page feed: message up to 63,206 characters"),
        [Platform.Instagram] = new(Platform.Instagram, 2_200, LengthCounting.Utf16, null, 10, [MediaKind.Image, MediaKind.Video], true, false, 0, false, "Instagram Content Publishing: caption 2,200 characters, carousel up to 10 items, image or video required"),
        [Platform.LinkedIn] = new(Platform.LinkedIn, 3_000, LengthCounting.Utf16, null, 20, AnyMedia, false, true, null, true, "LinkedIn Posts API: commentary 3,000 characters; MultiImage 2-20 images"),
        [Platform.TikTok] = new(Platform.TikTok, 2_200, LengthCounting.Utf16, null, 1, [MediaKind.Video], true, true, null, false, "TikTok Content Posting API: post_info.title max 2,200 UTF-16 runes; one video"),
        [Platform.YouTube] = new(Platform.YouTube, 5_000, LengthCounting.Utf16, null, 1, [MediaKind.Video], true, true, null, true, "YouTube Data API videos.insert: description max 5,000 bytes; one video"),
        [Platform.Pinterest] = new(Platform.Pinterest, 500, LengthCounting.Utf16, null, 1, [MediaKind.Image, MediaKind.Video], true, true, 1, true, "Pinterest API v5 POST /pins: description max 500, one image or video, one link"),
        [Platform.Reddit] = new(Platform.Reddit, 40_000, LengthCounting.Utf16, null, 20, AnyMedia, false, true, null, true, "Reddit: self-post body 40,000 characters, gallery up to 20"),
    };

    public static IReadOnlyCollection<PlatformLimit> All => Table.Values;

    /// <summary>The platform's limits; null for those we cannot publish to (news, other).</summary>
    public static PlatformLimit? For(Platform platform) => Table.GetValueOrDefault(platform);

    /// <summary>Every problem with the post's content for its platform; empty when it may go to review.</summary>
    public static IReadOnlyList<PostIssue> Validate(Platform platform, string text, IReadOnlyList<PostMedia> media, IReadOnlyList<string> links)
    {
        var issues = new List<PostIssue>();
        if (For(platform) is not { } limit)
        {
            issues.Add(new("platform", $"cannot publish to {platform.ToWire()}; choose one of {string.Join(", ", Table.Keys.Select(p => p.ToWire()))}"));
            return issues;
        }

        CheckText(text, media, limit, issues);
        CheckMedia(media, limit, issues);
        CheckLinks(links, limit, issues);
        return issues;
    }

    /// <summary>The post's length as <paramref name="platform"/> counts it.</summary>
    public static int Length(Platform platform, string text) => For(platform) is { } limit ? Count(text, limit) : Graphemes(text);

    public static int Graphemes(string text) => new StringInfo(text).LengthInTextElements;

    /// <summary>How the text fares on each platform (for the compose page's side-by-side preview).</summary>
    public static PlatformPreview Preview(Platform platform, string text)
    {
        var limit = For(platform);
        var max = limit?.MaxLength ?? 0;
        var length = limit is null ? Graphemes(text) : Count(text, limit);
        var fits = limit is not null && length <= max;
        return new PlatformPreview(platform, length, max, Graphemes(text), fits, fits || limit is null ? text : Cut(text, limit));
    }

    /// <summary>The first position of a lone surrogate (broken UTF-16, e.g. from bad UTF-8 upstream), or -1.</summary>
    public static int BrokenCharacterAt(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>URLs written in the text (with a scheme, or starting www.).</summary>
    public static IEnumerable<string> UrlsIn(string text) => UrlPattern().Matches(text).Select(m => m.Value.TrimEnd('.', ',', ')', '!', '?', ';', ':'));

    private static void CheckText(string text, IReadOnlyList<PostMedia> media, PlatformLimit limit, List<PostIssue> issues)
    {
        if (text.Length > MaxStoredText)
        {
            issues.Add(new("text", $"is {text.Length:N0} characters; no post may be longer than {MaxStoredText:N0}"));
            return;
        }

        if (BrokenCharacterAt(text) is >= 0 and var at)
        {
            issues.Add(new("text", $"has a broken character (a lone UTF-16 surrogate) at position {at}; paste the text again"));
            return;
        }

        if (string.IsNullOrWhiteSpace(text) && media.Count == 0)
        {
            issues.Add(new("text", "is empty; write something or attach media"));
            return;
        }

        var length = Count(text, limit);
        if (length > limit.MaxLength)
        {
            var unit = limit.Counting == LengthCounting.XWeighted ? "weighted characters (URLs count 23, emoji and CJK 2)" : "characters";
            issues.Add(new("text", $"is {length:N0} {unit}; {limit.Platform.ToWire()} allows {limit.MaxLength:N0}"));
        }
    }

    private static void CheckMedia(IReadOnlyList<PostMedia> media, PlatformLimit limit, List<PostIssue> issues)
    {
        var name = limit.Platform.ToWire();
        if (media.Count > limit.MaxMedia)
        {
            issues.Add(new("media", $"has {media.Count} attachments; {name} allows {limit.MaxMedia}"));
        }

        if (limit.RequiresMedia && media.Count == 0)
        {
            issues.Add(new("media", $"{name} needs {Kinds(limit.MediaKinds)}; attach one"));
        }

        for (var i = 0; i < media.Count; i++)
        {
            if (!IsWebUrl(media[i].Url))
            {
                issues.Add(new($"media[{i}].url", "must be an absolute http(s) URL of at most 2,048 characters"));
            }

            if (!limit.MediaKinds.Contains(media[i].Kind))
            {
                issues.Add(new($"media[{i}].kind", $"{name} takes {Kinds(limit.MediaKinds)}, not {media[i].Kind.ToString().ToLowerInvariant()}"));
            }
        }

        if (limit.SingleVideo && media.Count > 1 && media.Any(m => m.Kind is MediaKind.Video or MediaKind.Gif))
        {
            issues.Add(new("media", $"{name} takes a video or GIF only on its own; remove the other attachments"));
        }
    }

    private static void CheckLinks(IReadOnlyList<string> links, PlatformLimit limit, List<PostIssue> issues)
    {
        for (var i = 0; i < links.Count; i++)
        {
            if (!IsWebUrl(links[i]))
            {
                issues.Add(new($"links[{i}]", "must be an absolute http(s) URL of at most 2,048 characters"));
            }
        }

        if (limit.MaxLinks is { } max && links.Count > max)
        {
            issues.Add(max == 0
                ? new("links", $"{limit.Platform.ToWire()} posts cannot carry a link; put it in the profile or a story instead")
                : new("links", $"has {links.Count} links; {limit.Platform.ToWire()} allows {max}"));
        }

        if (!limit.LinksClickable && links.Count == 0)
        {
            return;
        }

        if (!limit.LinksClickable)
        {
            issues.Add(new("links", $"links are not clickable on {limit.Platform.ToWire()}", Error: false));
        }
    }

    private static bool IsWebUrl(string value) =>
        value.Length <= MaxUrl && Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && uri.Host.Length > 0;

    private static string Kinds(IReadOnlyList<MediaKind> kinds) =>
        string.Join(" or ", kinds.Select(k => k == MediaKind.Image ? "an image" : k == MediaKind.Video ? "a video" : "a GIF"));

    private static int Count(string text, PlatformLimit limit)
    {
        if (limit.UrlLength is null && limit.Counting == LengthCounting.Graphemes)
        {
            return Graphemes(text);
        }

        if (limit.UrlLength is null)
        {
            return text.Length;
        }

        // Links the platform shortens count a fixed length; everything between them is counted as usual.
        var total = 0;
        var from = 0;
        foreach (Match url in UrlPattern().Matches(text))
        {
            total += CountPlain(text[from..url.Index], limit.Counting) + limit.UrlLength.Value;
            from = url.Index + url.Length;
        }

        return total + CountPlain(text[from..], limit.Counting);
    }

    private static int CountPlain(string text, LengthCounting counting) => counting switch
    {
        LengthCounting.Utf16 => text.Length,
        LengthCounting.Graphemes => Graphemes(text),
        _ => XWeight(text),
    };

    private static int XWeight(string text)
    {
        var total = 0;
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext())
        {
            var element = (string)elements.Current;
            if (IsEmoji(element))
            {
                total += 2;
                continue;
            }

            foreach (var rune in element.EnumerateRunes())
            {
                total += rune.Value is <= 4351 or (>= 8192 and <= 8205) or (>= 8208 and <= 8223) or (>= 8242 and <= 8247) ? 1 : 2;
            }
        }

        return total;
    }

    // An emoji sequence (pictographs, with ZWJ joins, skin tones, flags, keycaps) counts as one unit of weight 2 on X.
    private static bool IsEmoji(string element)
    {
        foreach (var rune in element.EnumerateRunes())
        {
            if (rune.Value is >= 0x1F000 and <= 0x1FAFF or >= 0x2600 and <= 0x27BF or 0xFE0F or 0x200D or >= 0x1F1E6 and <= 0x1F1FF)
            {
                return true;
            }
        }

        return false;
    }

    private static string Cut(string text, PlatformLimit limit)
    {
        // Keep the most whole graphemes for which the text plus an ellipsis still fits (binary search: the count
        // grows with the prefix, and a 60,000-character paste must not cost a count per grapheme).
        var boundaries = StringInfo.ParseCombiningCharacters(text);
        int low = 0, high = boundaries.Length;
        while (low < high)
        {
            var mid = (low + high + 1) / 2;
            var end = mid == boundaries.Length ? text.Length : boundaries[mid];
            if (Count(string.Concat(text.AsSpan(0, end), "…"), limit) <= limit.MaxLength)
            {
                low = mid;
            }
            else
            {
                high = mid - 1;
            }
        }

        var cut = low == boundaries.Length ? text.Length : boundaries[low];
        return string.Concat(text.AsSpan(0, cut), "…");
    }

    [GeneratedRegex(@"(?:https?://|www\.)[^\s<>""]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex UrlPattern();
}
