using System.Globalization;
using Firebreak.Core.Mentions;

namespace Firebreak.Core.Scenarios;

/// <summary>
/// Platform-plausible external ids and URLs. Every id embeds a running counter (directly or through a
/// 64-bit bijection), so ids are unique per platform by construction, not by luck.
/// </summary>
internal sealed class PlatformIds
{
    private const string Base36 = "0123456789abcdefghijklmnopqrstuvwxyz";
    private const string Base64Url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private const string Base58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private const string TidAlphabet = "234567abcdefghijklmnopqrstuvwxyz";
    private const long TwitterEpochMs = 1288834974657;
    private const long InstagramEpochMs = 1314220021721;

    private static readonly string[] Subreddits = ["travel", "aviation", "flying", "TravelHacks", "solotravel", "awardtravel"];
    private static readonly string[] CrisisSubreddits = ["news", "PublicFreakout", "aviation", "travel", "movies"];
    private static readonly string[] MastodonInstances = ["mastodon.social", "mastodon.world", "mstdn.social", "piaille.fr", "mstdn.jp"];

    private readonly string brandCompact;
    private readonly string brandSlug;
    private long counter;

    public PlatformIds(string brandCompact, string brandSlug)
    {
        this.brandCompact = brandCompact;
        this.brandSlug = brandSlug;
    }

    /// <summary>Id and URL for a new item; <paramref name="parent"/> is set for comments and replies.</summary>
    public (string Id, string? Url) Create(
        Platform platform,
        MentionKind kind,
        string handle,
        string blueskyDid,
        long unixMs,
        in ThreadEntry parent,
        bool hasParent,
        bool crisis,
        ScenarioRandom random)
    {
        var n = ++counter;
        var child = hasParent && kind is MentionKind.Comment or MentionKind.Reply;
        switch (platform)
        {
            case Platform.X:
            {
                var id = Num(((unixMs - TwitterEpochMs) << 22) | (n & 0x3FFFFF));
                return kind == MentionKind.DirectMessage ? (id, null) : (id, "https://x.com/" + handle + "/status/" + id);
            }

            case Platform.Mastodon:
            {
                var id = Num((unixMs << 16) | (n & 0xFFFF));
                return (id, "https://" + random.Pick(MastodonInstances) + "/@" + handle + "/" + id);
            }

            case Platform.Bluesky:
            {
                var tid = Encode((((unixMs * 1000) + (n % 1000)) << 10) | (n & 0x3FF), TidAlphabet, 13);
                return ("at://" + blueskyDid + "/app.bsky.feed.post/" + tid, "https://bsky.app/profile/" + handle + ".bsky.social/post/" + tid);
            }

            case Platform.Reddit:
            {
                if (child)
                {
                    var comment = Encode(45_000_000_000 + n, Base36, 0);
                    return ("t1_" + comment, parent.ThreadUrl + "comment/" + comment + "/");
                }

                var post = Encode(3_000_000_000 + n, Base36, 0);
                var sub = random.Pick(crisis ? CrisisSubreddits : Subreddits);
                return ("t3_" + post, "https://www.reddit.com/r/" + sub + "/comments/" + post + "/");
            }

            case Platform.YouTube:
            {
                var mixed = ScenarioRandom.Mix((ulong)n ^ 0x5DEECE66DUL);
                if (!child)
                {
                    var video = Encode((long)(mixed >> 1), Base64Url, 11);
                    return (video, "https://www.youtube.com/watch?v=" + video);
                }

                var comment = "Ugx" + Encode((long)(mixed >> 1), Base64Url, 11) + Encode(random.Next(1 << 30), Base64Url, 5) + "4AaABAg";
                var isNested = kind == MentionKind.Reply && parent.Id != parent.ThreadId;
                var id = isNested ? parent.Id + "." + Encode((long)(mixed >> 2), Base64Url, 11) + "Aq" + Encode(random.Next(1 << 30), Base64Url, 9) : comment;
                return (id, parent.ThreadUrl + "&lc=" + id);
            }

            case Platform.Facebook:
            {
                if (kind == MentionKind.DirectMessage)
                {
                    return ("m_" + Encode((long)(ScenarioRandom.Mix((ulong)n) >> 1), Base64Url, 11) + Encode(random.Next(1 << 30), Base64Url, 11), null);
                }

                if (kind == MentionKind.Review)
                {
                    var review = Num(((unixMs / 1000) << 20) | (n & 0xFFFFF));
                    return (review, "https://www.facebook.com/" + brandCompact + "/reviews/" + review);
                }

                if (child)
                {
                    var comment = Num(((unixMs / 1000) << 20) | (n & 0xFFFFF));
                    return (comment, parent.ThreadUrl + "?comment_id=" + comment);
                }

                var mixed = ScenarioRandom.Mix((ulong)n);
                var post = "pfbid0" + Encode((long)(mixed >> 1), Base58, 11) + Encode((long)(ScenarioRandom.Mix(mixed) >> 1), Base58, 11) + "l";
                return (post, "https://www.facebook.com/" + handle + "/posts/" + post);
            }

            case Platform.Instagram:
            {
                if (kind == MentionKind.DirectMessage)
                {
                    return ("aWdfZAG" + Encode((long)(ScenarioRandom.Mix((ulong)n) >> 1), Base64Url, 11), null);
                }

                if (child)
                {
                    var comment = Num(18_000_000_000_000_000 + (((unixMs / 1000) % 1_000_000_000) * 1_000_000) + (n % 1_000_000));
                    return (comment, parent.ThreadUrl + "c/" + comment + "/");
                }

                var media = ((unixMs - InstagramEpochMs) << 23) | (n & 0x7FFFFF);
                return (Num(media), "https://www.instagram.com/p/" + Encode(media, Base64Url, 0) + "/");
            }

            case Platform.TikTok:
            {
                var id = Num(((unixMs / 1000) << 32) | (n & 0xFFFFFFFF));
                return child ? (id, parent.ThreadUrl) : (id, "https://www.tiktok.com/@" + handle + "/video/" + id);
            }

            case Platform.LinkedIn:
            {
                var activity = Num((unixMs << 22) | (n & 0x3FFFFF));
                return child
                    ? ("urn:li:comment:(" + parent.ThreadId + "," + activity + ")", parent.ThreadUrl)
                    : ("urn:li:activity:" + activity, "https://www.linkedin.com/feed/update/urn:li:activity:" + activity + "/");
            }

            default:
                return (Num(n), null);
        }
    }

    /// <summary>News ids are outlet-scoped; the URL carries the date like real article paths.</summary>
    public (string Id, string Url) CreateArticle(string domain, DateTimeOffset createdAt)
    {
        var n = ++counter;
        var slug = Encode((long)(ScenarioRandom.Mix((ulong)n) >> 24), Base36, 0);
        var date = createdAt.UtcDateTime.ToString("yyyy/MM/dd", CultureInfo.InvariantCulture);
        return ("news:" + domain + ":" + slug, "https://www." + domain + "/travel/" + date + "/" + brandSlug + "-" + slug);
    }

    private static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Positional encoding; with a fixed width the top digits are zero-padded (or truncated for oversize values).</summary>
    private static string Encode(long value, string alphabet, int width)
    {
        Span<char> buffer = stackalloc char[32];
        var pos = buffer.Length;
        var radix = alphabet.Length;
        var v = (ulong)value;
        do
        {
            buffer[--pos] = alphabet[(int)(v % (ulong)radix)];
            v /= (ulong)radix;
        }
        while (v != 0 && (width == 0 || buffer.Length - pos < width));

        while (width > 0 && buffer.Length - pos < width)
        {
            buffer[--pos] = alphabet[0];
        }

        return new string(buffer[pos..]);
    }
}
