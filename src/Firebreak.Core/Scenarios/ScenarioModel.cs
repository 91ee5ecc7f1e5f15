using System.Globalization;
using Firebreak.Core.Mentions;

namespace Firebreak.Core.Scenarios;

/// <summary>
/// Everything derived once from the options and shared, read-only, by every cursor over the same
/// scenario: chosen languages, author pools, weight tables and the brand-specific strings.
/// </summary>
internal sealed class ScenarioModel
{
    public ScenarioModel(ScenarioOptions options)
    {
        Validate(options);
        Options = options;
        var random = new ScenarioRandom(((ulong)(uint)options.Seed << 32) ^ 0xA5A5_1234UL);

        BrandName = options.Brand.Trim();
        BrandCompact = Compact(BrandName);
        BrandSlug = BrandName.ToLowerInvariant().Replace(' ', '-');
        BrandTag = "#" + BrandCompact;
        BrandHandle = "@" + BrandCompact;
        var code = BrandCompact.Length >= 2 ? BrandCompact[..2].ToUpperInvariant() : "XX";
        Flights = new string[900];
        for (var i = 0; i < Flights.Length; i++)
        {
            Flights[i] = code + (100 + i).ToString(CultureInfo.InvariantCulture);
        }

        CrisisFlight = code + "217";
        CrisisName = options.CrisisAuthorName;
        CrisisHandle = "@" + options.CrisisAuthorHandle;
        var firstName = CrisisName.Split(' ', StringSplitOptions.RemoveEmptyEntries) is { Length: > 0 } parts ? Compact(parts[0]) : "Them";
        var story = options.Story is { } key
            ? CrisisStories.Find(key) ?? throw new ArgumentException($"Unknown story '{key}'. Known: {ScenarioCatalog.HackedAccount}, {ScenarioCatalog.OffensivePost}, {ScenarioCatalog.Tragedy}.", nameof(options))
            : null;
        MainCrisisTag = story is null ? "#Boycott" + BrandCompact : story.Tag(story.MainTag, BrandCompact);
        CrisisTags = story is null
            ? ["#" + BrandCompact + "Racism", "#JusticeFor" + firstName, "#NeverFly" + BrandCompact, "#Cancel" + BrandCompact]
            : [.. story.Tags.Select(t => story.Tag(t, BrandCompact))];

        var packs = new List<LanguagePack>();
        var weights = new List<(int, double)>();
        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { BrandCompact, options.CrisisAuthorHandle };
        var pools = new List<AuthorPool>();
        var outlets = new List<ScenarioAuthor[]>();
        foreach (var share in options.LanguageMix)
        {
            if (!LanguagePacks.TryGet(share.Language, out var pack))
            {
                throw new ArgumentException($"No text corpus for language '{share.Language}'. Supported: {string.Join(", ", LanguagePacks.Codes)}.", nameof(options));
            }

            if (story is not null)
            {
                pack = story.Apply(pack);
            }

            weights.Add((packs.Count, share.Weight));
            packs.Add(pack);
            pools.Add(new AuthorPool(pack, pack.Code == "en" ? 3000 : 600, random, taken));
            outlets.Add(OutletAuthors(pack, random));
        }

        Packs = packs.ToArray();
        Pools = pools.ToArray();
        Outlets = outlets.ToArray();
        Languages = new WeightedChoice<int>(weights);
        EnglishIndex = packs.FindIndex(p => p.Code == "en");

        BrandAuthor = new ScenarioAuthor(BrandCompact, BrandName, 850_000, true, AuthorPool.MakeDid(random));
        CrisisAuthor = new ScenarioAuthor(options.CrisisAuthorHandle, CrisisName + (story is null ? " 🎬" : string.Empty), 2_400_000, true, AuthorPool.MakeDid(random));
        ViralTemplate = story is not null ? TextTemplate.Parse(story.Viral) : TextTemplate.Parse(
            "Just got removed from {b} flight {F} in front of my kids because a crew member \"didn't feel comfortable\" with me. " +
            "Paid for business. 22 years of flying and I have never been this humiliated. {@} you owe me and everyone watching an explanation. {X} {u}");
        StatementTemplate = story is not null ? TextTemplate.Parse(story.Statement) : TextTemplate.Parse(
            "We are aware of a video circulating involving a customer on flight {F}. This is not who we are. We have opened an urgent review, " +
            "the crew involved have been stood down pending its outcome, and we have reached out to {D} directly. Full statement: {u}");
        CareSorry = TextTemplate.ParseAll(
        [
            "Hi there, we're sorry to hear this. Please DM us your booking reference and we'll look into it right away. ^JS",
            "We're really sorry about the wait. Our team is on it, please send us a DM with your details so we can help. ^MK",
            "So sorry about your bag! Please DM us your bag tag number and we'll chase it up for you. ^AL",
        ]);
        CareThanks = TextTemplate.ParseAll(
        [
            "Thanks so much for flying with us! We'll pass your kind words on to the crew {+}",
            "Love to hear it! See you on board again soon ✈️ ^JS",
            "Happy to help! Enjoy {c} {+} ^MK",
        ]);
    }

    public ScenarioOptions Options { get; }

    public LanguagePack[] Packs { get; }

    public AuthorPool[] Pools { get; }

    public ScenarioAuthor[][] Outlets { get; }

    public WeightedChoice<int> Languages { get; }

    /// <summary>Index of English in <see cref="Packs"/>, or -1 when the mix has none.</summary>
    public int EnglishIndex { get; }

    public string BrandName { get; }

    public string BrandCompact { get; }

    public string BrandSlug { get; }

    public string BrandTag { get; }

    public string BrandHandle { get; }

    public string[] Flights { get; }

    public string CrisisFlight { get; }

    public string CrisisName { get; }

    public string CrisisHandle { get; }

    public string MainCrisisTag { get; }

    /// <summary>The secondary crisis hashtags ({x}); the main one ({X}) is separate so a text never repeats it.</summary>
    public string[] CrisisTags { get; }

    public ScenarioAuthor BrandAuthor { get; }

    public ScenarioAuthor CrisisAuthor { get; }

    public TextTemplate ViralTemplate { get; }

    public TextTemplate StatementTemplate { get; }

    public TextTemplate[] CareSorry { get; }

    public TextTemplate[] CareThanks { get; }

    public static WeightedChoice<Platform> NormalPlatforms { get; } = new(
    [
        (Platform.X, 28), (Platform.Facebook, 16), (Platform.Instagram, 14), (Platform.TikTok, 10), (Platform.YouTube, 7),
        (Platform.Reddit, 8), (Platform.LinkedIn, 4), (Platform.Mastodon, 3), (Platform.Bluesky, 6), (Platform.News, 2.5),
    ]);

    public static WeightedChoice<Platform> CrisisPlatforms { get; } = new(
    [
        (Platform.X, 40), (Platform.Facebook, 10), (Platform.Instagram, 10), (Platform.TikTok, 12), (Platform.YouTube, 6),
        (Platform.Reddit, 8), (Platform.LinkedIn, 2), (Platform.Mastodon, 2), (Platform.Bluesky, 6), (Platform.News, 4),
    ]);

    private static readonly WeightedChoice<MentionKind>[] NormalKinds = BuildKinds(crisis: false);
    private static readonly WeightedChoice<MentionKind>[] CrisisKinds = BuildKinds(crisis: true);

    public static WeightedChoice<MentionKind> Kinds(Platform platform, bool crisis) => (crisis ? CrisisKinds : NormalKinds)[(int)platform];

    private static WeightedChoice<MentionKind>[] BuildKinds(bool crisis)
    {
        var dm = crisis ? 0.0 : 0.03;
        var tables = new WeightedChoice<MentionKind>[Enum.GetValues<Platform>().Length];
        for (var i = 0; i < tables.Length; i++)
        {
            tables[i] = (Platform)i switch
            {
                Platform.X => new([(MentionKind.Post, 0.55), (MentionKind.Reply, 0.42), (MentionKind.DirectMessage, dm)]),
                Platform.Facebook => new(
                [
                    (MentionKind.Post, 0.33), (MentionKind.Comment, 0.42), (MentionKind.Reply, 0.1),
                    (MentionKind.Review, crisis ? 0.2 : 0.08), (MentionKind.DirectMessage, dm),
                ]),
                Platform.Instagram => new([(MentionKind.Post, 0.35), (MentionKind.Comment, 0.53), (MentionKind.Reply, 0.09), (MentionKind.DirectMessage, dm)]),
                Platform.TikTok => new([(MentionKind.Post, 0.25), (MentionKind.Comment, 0.7), (MentionKind.Reply, 0.05)]),
                Platform.YouTube => new([(MentionKind.Post, 0.06), (MentionKind.Comment, 0.8), (MentionKind.Reply, 0.14)]),
                Platform.Reddit => new([(MentionKind.Post, 0.25), (MentionKind.Comment, 0.55), (MentionKind.Reply, 0.2)]),
                Platform.LinkedIn => new([(MentionKind.Post, 0.6), (MentionKind.Comment, 0.4)]),
                Platform.News => new([(MentionKind.NewsArticle, 1.0)]),
                _ => new([(MentionKind.Post, 0.6), (MentionKind.Reply, 0.4)]),
            };
        }

        return tables;
    }

    private static ScenarioAuthor[] OutletAuthors(LanguagePack pack, ScenarioRandom random)
    {
        var authors = new ScenarioAuthor[pack.Outlets.Length];
        for (var i = 0; i < authors.Length; i++)
        {
            var (name, domain) = pack.Outlets[i];
            var dot = domain.IndexOf('.', StringComparison.Ordinal);
            var handle = (dot > 0 ? domain[..dot] : domain).Replace("-", string.Empty, StringComparison.Ordinal);
            authors[i] = new ScenarioAuthor(handle, name, random.Next(150_000, 5_000_000), true, AuthorPool.MakeDid(random));
        }

        return authors;
    }

    private static string Compact(string value)
    {
        Span<char> buffer = stackalloc char[Math.Min(value.Length, 64)];
        var length = 0;
        foreach (var c in value)
        {
            if (char.IsLetterOrDigit(c) && length < buffer.Length)
            {
                buffer[length++] = c;
            }
        }

        return length == 0 ? "Brand" : new string(buffer[..length]);
    }

    private static void Validate(ScenarioOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Brand))
        {
            throw new ArgumentException("Brand must not be empty.", nameof(options));
        }

        if (options.Duration <= TimeSpan.Zero)
        {
            throw new ArgumentException("Duration must be positive.", nameof(options));
        }

        if (!(options.BaseRatePerMinute > 0) || double.IsInfinity(options.BaseRatePerMinute))
        {
            throw new ArgumentException("BaseRatePerMinute must be a positive number.", nameof(options));
        }

        if (options.CrisisStart is { } start && (start < TimeSpan.Zero || !(options.CrisisPeakMultiplier >= 0)))
        {
            throw new ArgumentException("CrisisStart must not be negative and CrisisPeakMultiplier must be >= 0.", nameof(options));
        }

        if (options.LanguageMix.Count == 0)
        {
            throw new ArgumentException("LanguageMix must name at least one language.", nameof(options));
        }

        foreach (var share in new[] { options.UnlabelledLanguageShare, options.DuplicateShare, options.EditShare })
        {
            if (!(share >= 0 && share <= 1))
            {
                throw new ArgumentException("Shares must lie in [0, 1].", nameof(options));
            }
        }
    }
}
