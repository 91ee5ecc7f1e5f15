namespace Firebreak.Core.Mentions;

/// <summary>The networks Firebreak listens to. Stored by name, never by number, so the list can grow.</summary>
public enum Platform
{
    X,
    Facebook,
    Instagram,
    TikTok,
    YouTube,
    LinkedIn,
    Pinterest,
    Reddit,
    Mastodon,
    Bluesky,
    News,
    Other,
}

/// <summary>What kind of item a mention is on its platform.</summary>
public enum MentionKind
{
    Post,
    Comment,
    Reply,
    DirectMessage,
    Review,
    NewsArticle,
}

/// <summary>Polarity of a mention; Unknown until an analyser has looked at it.</summary>
public enum Sentiment
{
    Unknown,
    Negative,
    Neutral,
    Positive,
}

public static class EnumNames
{
    private static readonly Dictionary<string, Platform> Platforms = BuildPlatforms();
    private static readonly Dictionary<string, MentionKind> Kinds = BuildKinds();

    /// <summary>Lower-case wire name of a platform ("x", "tiktok", "news").</summary>
    public static string ToWire(this Platform platform) => platform switch
    {
        Platform.X => "x",
        Platform.Facebook => "facebook",
        Platform.Instagram => "instagram",
        Platform.TikTok => "tiktok",
        Platform.YouTube => "youtube",
        Platform.LinkedIn => "linkedin",
        Platform.Pinterest => "pinterest",
        Platform.Reddit => "reddit",
        Platform.Mastodon => "mastodon",
        Platform.Bluesky => "bluesky",
        Platform.News => "news",
        _ => "other",
    };

    public static string ToWire(this MentionKind kind) => kind switch
    {
        MentionKind.Post => "post",
        MentionKind.Comment => "comment",
        MentionKind.Reply => "reply",
        MentionKind.DirectMessage => "dm",
        MentionKind.Review => "review",
        _ => "news",
    };

    public static string ToWire(this Sentiment sentiment) => sentiment switch
    {
        Sentiment.Negative => "negative",
        Sentiment.Neutral => "neutral",
        Sentiment.Positive => "positive",
        _ => "unknown",
    };

    public static bool TryParsePlatform(string? value, out Platform platform)
    {
        platform = Platform.Other;
        return value is not null && Platforms.TryGetValue(value.Trim(), out platform);
    }

    public static bool TryParseKind(string? value, out MentionKind kind)
    {
        kind = MentionKind.Post;
        return value is not null && Kinds.TryGetValue(value.Trim(), out kind);
    }

    public static bool TryParseSentiment(string? value, out Sentiment sentiment)
    {
        sentiment = Sentiment.Unknown;
        return value?.Trim().ToLowerInvariant() switch
        {
            "negative" or "neg" => Set(Sentiment.Negative, out sentiment),
            "neutral" or "neu" => Set(Sentiment.Neutral, out sentiment),
            "positive" or "pos" => Set(Sentiment.Positive, out sentiment),
            "unknown" => Set(Sentiment.Unknown, out sentiment),
            _ => false,
        };
    }

    public static IReadOnlyList<string> PlatformWireNames { get; } = Enum.GetValues<Platform>().Select(p => p.ToWire()).ToArray();

    public static IReadOnlyList<string> KindWireNames { get; } = Enum.GetValues<MentionKind>().Select(k => k.ToWire()).ToArray();

    private static bool Set(Sentiment value, out Sentiment target)
    {
        target = value;
        return true;
    }

    private static Dictionary<string, Platform> BuildPlatforms()
    {
        var map = new Dictionary<string, Platform>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in Enum.GetValues<Platform>())
        {
            map[p.ToWire()] = p;
            map[p.ToString()] = p;
        }

        map["twitter"] = Platform.X;
        map["rss"] = Platform.News;
        map["web"] = Platform.News;
        map["fb"] = Platform.Facebook;
        map["ig"] = Platform.Instagram;
        return map;
    }

    private static Dictionary<string, MentionKind> BuildKinds()
    {
        var map = new Dictionary<string, MentionKind>(StringComparer.OrdinalIgnoreCase);
        foreach (var k in Enum.GetValues<MentionKind>())
        {
            map[k.ToWire()] = k;
            map[k.ToString()] = k;
        }

        map["direct_message"] = MentionKind.DirectMessage;
        map["message"] = MentionKind.DirectMessage;
        map["article"] = MentionKind.NewsArticle;
        map["news_article"] = MentionKind.NewsArticle;
        return map;
    }
}
