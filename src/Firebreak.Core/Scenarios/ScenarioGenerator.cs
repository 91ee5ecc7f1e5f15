using System.Diagnostics.CodeAnalysis;
using System.Text;
using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;

namespace Firebreak.Core.Scenarios;

/// <summary>
/// A deterministic, lazily generated mention stream: a cursor that hands out one
/// <see cref="MentionInput"/> at a time in capture order. Fresh items are captured when created, so
/// for them capture time equals <c>CreatedAt</c>; re-captures, edits and duplicate re-deliveries
/// arrive later but keep the original <c>CreatedAt</c>, exactly as real feeds re-deliver items.
/// Not thread-safe: one cursor per consumer (<see cref="Generate"/> makes its own).
/// </summary>
public sealed class ScenarioGenerator
{
    private static readonly string[] PositiveEmoji = ["😍", "🙌", "✈️", "❤️", "👏", "😊", "🔥", "💯", "🥰", "✨"];
    private static readonly string[] NegativeEmoji = ["😡", "🤬", "👎", "😤", "🙄", "😒", "💔", "🤦‍♂️", "😩", "💀"];
    private static readonly string[] NeutralEmoji = ["✈️", "🧳", "🌍", "📸", "☕", "🛫", "🛬", "🤔"];
    private static readonly string[] Numbers = ["2", "3", "4", "5", "6", "7", "8", "9"];
    private static readonly string[] ShortHosts = ["https://t.co/", "https://bit.ly/", "https://tinyurl.com/", "https://youtu.be/", "https://vm.tiktok.com/"];
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private readonly ScenarioModel model;
    private readonly ScenarioRandom random;
    private readonly ArrivalModel arrivals;
    private readonly PlatformIds ids;
    private readonly PriorityQueue<MentionInput, (long Ms, long Seq)> pending = new();
    private readonly ThreadRing[] rings;
    private readonly ThreadRing[] crisisRings;
    private readonly StringBuilder text = new(512);
    private readonly long endMs;
    private readonly long crisisStartMs;
    private readonly long crisisEndMs;
    private double nextArrivalSecond;
    private long sequence;
    private long nextViralCaptureMs = long.MaxValue;
    private ThreadEntry viral;
    private string viralText = string.Empty;
    private string viralUrl = string.Empty;

    public ScenarioGenerator(ScenarioOptions options)
        : this(new ScenarioModel(options))
    {
    }

    private ScenarioGenerator(ScenarioModel model)
    {
        this.model = model;
        var options = model.Options;
        random = new ScenarioRandom((ulong)(uint)options.Seed * 0x9E3779B97F4A7C15UL);
        arrivals = new ArrivalModel(options);
        ids = new PlatformIds(model.BrandCompact, model.BrandSlug);
        var platformCount = Enum.GetValues<Platform>().Length;
        rings = new ThreadRing[platformCount];
        crisisRings = new ThreadRing[platformCount];
        for (var i = 0; i < platformCount; i++)
        {
            rings[i] = new ThreadRing();
            crisisRings[i] = new ThreadRing();
        }

        endMs = (long)options.Duration.TotalMilliseconds;
        crisisStartMs = long.MaxValue;
        crisisEndMs = long.MinValue;
        if (options.CrisisStart is { } crisisStart && crisisStart < options.Duration)
        {
            crisisStartMs = (long)crisisStart.TotalMilliseconds;
            crisisEndMs = crisisStartMs + (long)Math.Max(options.CrisisRamp.TotalMilliseconds, options.CrisisDuration.TotalMilliseconds);
            ScheduleCrisisAnchors();
        }

        nextArrivalSecond = arrivals.NextArrival(0, random);
    }

    public ScenarioOptions Options => model.Options;

    /// <summary>
    /// When the next item is captured (delivered), or null when the scenario is over. A replayer
    /// sleeps until this moment (scaled for N× speed) before taking the item.
    /// </summary>
    public DateTimeOffset? NextCaptureAt
    {
        get
        {
            var ms = NextMs(out _);
            return ms < endMs ? model.Options.Start.AddTicks(ms * TimeSpan.TicksPerMillisecond) : null;
        }
    }

    /// <summary>The whole scenario from its start, lazily; independent of this cursor's position.</summary>
    public IEnumerable<MentionInput> Generate()
    {
        var cursor = new ScenarioGenerator(model);
        while (cursor.TryNext(out var mention))
        {
            yield return mention;
        }
    }

    /// <summary>The next item, or null when the scenario is over.</summary>
    public MentionInput? Next() => TryNext(out var mention) ? mention : null;

    /// <summary>Fills <paramref name="buffer"/> with the next items; returns how many (less only at the end).</summary>
    public int Fill(Span<MentionInput> buffer)
    {
        var count = 0;
        while (count < buffer.Length && TryNext(out var mention))
        {
            buffer[count++] = mention;
        }

        return count;
    }

    public bool TryNext([NotNullWhen(true)] out MentionInput? mention)
    {
        var ms = NextMs(out var source);
        if (ms >= endMs)
        {
            mention = null;
            return false;
        }

        switch (source)
        {
            case 0:
                mention = pending.Dequeue();
                break;
            case 1:
                mention = ViralRecapture(ms);
                break;
            default:
                mention = Fresh(ms);
                nextArrivalSecond = arrivals.NextArrival(nextArrivalSecond, random);
                break;
        }

        return true;
    }

    /// <summary>Earliest of: scheduled re-deliveries (0), the viral post's re-captures (1), the next fresh arrival (2).</summary>
    private long NextMs(out int source)
    {
        var best = (long)(nextArrivalSecond * 1000.0);
        source = 2;
        if (nextViralCaptureMs <= best)
        {
            best = nextViralCaptureMs;
            source = 1;
        }

        if (pending.TryPeek(out _, out var priority) && priority.Ms <= best)
        {
            best = priority.Ms;
            source = 0;
        }

        return best;
    }

    private void ScheduleCrisisAnchors()
    {
        var createdAt = At(crisisStartMs);
        var author = model.CrisisAuthor;
        var (id, url) = ids.Create(Platform.X, MentionKind.Post, author.Handle, author.BlueskyDid, createdAt.ToUnixTimeMilliseconds(), default, false, true, random);
        viralText = Fill(model.ViralTemplate, model.Packs[0]);
        viralUrl = url!;
        viral = new ThreadEntry(id, id, viralUrl, author.Handle, true);
        var post = Build(Platform.X, MentionKind.Post, id, url, author, viralText, "en", createdAt, ViralEngagement(0), null, null);
        Schedule(post, crisisStartMs);
        nextViralCaptureMs = crisisStartMs + 120_000;

        // The brand's holding statement comes hours late, which is exactly what the crowd complains about.
        var statementMs = crisisStartMs + (long)TimeSpan.FromMinutes(140).TotalMilliseconds;
        var statementAt = At(statementMs);
        var brand = model.BrandAuthor;
        var (sid, surl) = ids.Create(Platform.X, MentionKind.Post, brand.Handle, brand.BlueskyDid, statementAt.ToUnixTimeMilliseconds(), default, false, true, random);
        var statement = Build(Platform.X, MentionKind.Post, sid, surl, brand, Fill(model.StatementTemplate, model.Packs[0]), "en", statementAt, Engage(brand, Platform.X, MentionKind.Post, true), null, null);
        Schedule(statement, statementMs);
    }

    private MentionInput ViralRecapture(long ms)
    {
        var since = ms - crisisStartMs;
        var mention = Build(Platform.X, MentionKind.Post, viral.Id, viralUrl, model.CrisisAuthor, viralText, "en", At(crisisStartMs), ViralEngagement(since), null, null);

        // Polled often while it explodes, then less and less.
        var interval = (long)(120_000 * (1.0 + (since / 1_800_000.0)));
        nextViralCaptureMs = ms + Math.Min(interval, 1_800_000);
        if (nextViralCaptureMs >= crisisEndMs)
        {
            nextViralCaptureMs = long.MaxValue;
        }

        return mention;
    }

    private static EngagementInput ViralEngagement(long sinceMs)
    {
        var g = 1.0 - Math.Exp(-sinceMs / 6_000_000.0);
        return new EngagementInput
        {
            Likes = 14 + (long)(520_000 * g),
            Shares = 5 + (long)(185_000 * g),
            Replies = 9 + (long)(96_000 * g),
            Views = 1_200 + (long)(41_000_000 * g),
        };
    }

    private MentionInput Fresh(long ms)
    {
        var createdAt = At(ms);
        var crisis = ms >= crisisStartMs && ms < crisisEndMs && random.NextDouble() < arrivals.CrisisFraction(ms / 1000.0);
        if (!crisis && ms < crisisStartMs && random.Chance(0.02) && TryCareReply(createdAt, out var care))
        {
            return care;
        }

        var packIndex = PickLanguage(crisis, ms);
        var pack = model.Packs[packIndex];
        var platform = (crisis ? ScenarioModel.CrisisPlatforms : ScenarioModel.NormalPlatforms).Pick(random);
        if (platform == Platform.News)
        {
            return Article(pack, packIndex, createdAt, crisis);
        }

        var kind = ScenarioModel.Kinds(platform, crisis).Pick(random);
        var parent = default(ThreadEntry);
        var hasParent = false;
        var replyToViral = false;
        if (crisis && platform == Platform.X && kind != MentionKind.DirectMessage)
        {
            var roll = random.NextDouble();
            if (roll < 0.45)
            {
                (kind, parent, hasParent, replyToViral) = (MentionKind.Reply, viral, true, true);
            }
            else if (roll < 0.6 && crisisRings[(int)platform].TryPick(random, out parent))
            {
                (kind, hasParent) = (MentionKind.Reply, true);
            }
            else
            {
                kind = MentionKind.Post;
            }
        }
        else if (kind is MentionKind.Comment or MentionKind.Reply)
        {
            hasParent = (crisis && crisisRings[(int)platform].TryPick(random, out parent)) || rings[(int)platform].TryPick(random, out parent);
            if (!hasParent)
            {
                kind = MentionKind.Post;
            }
            else if (kind == MentionKind.Comment)
            {
                // A comment hangs off the thread's root post, not off another comment.
                parent = new ThreadEntry(parent.ThreadId, parent.ThreadId, parent.ThreadUrl, parent.Handle, parent.Negative);
            }
        }

        var author = model.Pools[packIndex].Pick(random);
        var sentiment = crisis ? 0 : PickSentiment(kind);
        text.Clear();
        if (hasParent && kind == MentionKind.Reply && platform is Platform.X or Platform.Mastodon or Platform.Bluesky)
        {
            text.Append('@').Append(parent.Handle).Append(' ');
        }

        if (kind == MentionKind.Review)
        {
            text.Append(sentiment switch { 1 => "★★★★★ ", 2 => "★★★★☆ ", _ => "★☆☆☆☆ " });
        }

        var templates = crisis
            ? (replyToViral ? pack.CrisisReplies : pack.Crisis)
            : sentiment switch { 1 => pack.Positive, 2 => pack.Neutral, _ => pack.Negative };
        Append(random.Pick(templates), pack);
        Roughen(pack, crisis);
        if (crisis && platform == Platform.X && kind == MentionKind.Post && random.Chance(0.25))
        {
            text.Append(' ').Append(viralUrl); // a quote post
        }

        var body = text.ToString();
        var (id, url) = ids.Create(platform, kind, author.Handle, author.BlueskyDid, createdAt.ToUnixTimeMilliseconds(), parent, hasParent, crisis, random);
        var parentId = hasParent ? parent.Id : null;
        var threadId = hasParent ? parent.ThreadId : null;
        var mention = Build(platform, kind, id, url, author, body, Label(pack), createdAt, Engage(author, platform, kind, crisis), parentId, threadId);

        if (kind != MentionKind.DirectMessage && kind != MentionKind.Review)
        {
            var entry = new ThreadEntry(id, threadId ?? id, hasParent ? parent.ThreadUrl : url ?? string.Empty, author.Handle, crisis || sentiment == 0);
            rings[(int)platform].Add(entry);
            if (crisis)
            {
                crisisRings[(int)platform].Add(entry);
            }
        }

        ScheduleRedeliveries(mention, pack, author, ms);
        return mention;
    }

    private MentionInput Article(LanguagePack pack, int packIndex, DateTimeOffset createdAt, bool crisis)
    {
        var outlet = random.Pick(model.Outlets[packIndex]);
        text.Clear();
        Append(random.Pick(crisis ? pack.CrisisNews : pack.News), pack);
        var (id, url) = ids.CreateArticle(pack.Outlets[Array.IndexOf(model.Outlets[packIndex], outlet)].Domain, createdAt);
        var engagement = new EngagementInput
        {
            Likes = (long)(outlet.Followers * 0.0004 * random.NextSpread(1.2) * (crisis ? 6 : 1)),
            Shares = (long)(outlet.Followers * 0.0002 * random.NextSpread(1.2) * (crisis ? 8 : 1)),
            Replies = (long)(outlet.Followers * 0.0001 * random.NextSpread(1.2) * (crisis ? 6 : 1)),
        };
        var mention = Build(Platform.News, MentionKind.NewsArticle, id, url, outlet, text.ToString(), Label(pack), createdAt, engagement, null, null);
        ScheduleRedeliveries(mention, pack, outlet, (long)(createdAt - model.Options.Start).TotalMilliseconds);
        return mention;
    }

    private bool TryCareReply(DateTimeOffset createdAt, [NotNullWhen(true)] out MentionInput? mention)
    {
        var platform = random.Next(3) switch { 0 => Platform.X, 1 => Platform.Facebook, _ => Platform.Instagram };
        if (model.EnglishIndex < 0 || !rings[(int)platform].TryPick(random, out var parent))
        {
            mention = null;
            return false;
        }

        var brand = model.BrandAuthor;
        var pack = model.Packs[model.EnglishIndex];
        text.Clear();
        if (platform == Platform.X)
        {
            text.Append('@').Append(parent.Handle).Append(' ');
        }

        Append(random.Pick(parent.Negative ? model.CareSorry : model.CareThanks), pack);
        var (id, url) = ids.Create(platform, MentionKind.Reply, brand.Handle, brand.BlueskyDid, createdAt.ToUnixTimeMilliseconds(), parent, true, false, random);
        mention = Build(platform, MentionKind.Reply, id, url, brand, text.ToString(), "en", createdAt, Engage(brand, platform, MentionKind.Reply, false), parent.Id, parent.ThreadId);
        return true;
    }

    private void ScheduleRedeliveries(MentionInput mention, LanguagePack pack, ScenarioAuthor author, long ms)
    {
        if (random.Chance(model.Options.DuplicateShare))
        {
            Schedule(Clone(mention, mention.Text, mention.Engagement), ms + random.Next(0, 90_000));
        }

        if (random.Chance(model.Options.EditShare) && mention.Kind != "dm")
        {
            Schedule(Clone(mention, mention.Text + random.Pick(pack.EditSuffixes), mention.Engagement), ms + random.Next(60_000, 900_000));
        }

        // Popular items get polled again later, with grown counters.
        if (author.Followers > 2_000 && mention.Engagement is { } e && random.Chance(0.05))
        {
            var growth = 1.5 + (random.NextDouble() * 4);
            var grown = new EngagementInput
            {
                Likes = (long)((e.Likes ?? 0) * growth) + 1,
                Shares = (long)((e.Shares ?? 0) * growth),
                Replies = (long)((e.Replies ?? 0) * growth),
                Views = e.Views is { } v ? (long)(v * growth) + 10 : null,
            };
            Schedule(Clone(mention, mention.Text, grown), ms + random.Next(600_000, 7_200_000));
        }
    }

    private void Schedule(MentionInput mention, long ms)
    {
        if (ms < endMs)
        {
            pending.Enqueue(mention, (ms, sequence++));
        }
    }

    private int PickLanguage(bool crisis, long ms)
    {
        // The outrage starts in English and spreads to other languages over the next hours.
        if (crisis && model.EnglishIndex >= 0 && random.Chance(0.8 * Math.Exp(-(ms - crisisStartMs) / 10_800_000.0)))
        {
            return model.EnglishIndex;
        }

        return model.Languages.Pick(random);
    }

    /// <summary>0 negative, 1 positive, 2 neutral. DMs to a brand are mostly problems; reviews are never neutral questions.</summary>
    private int PickSentiment(MentionKind kind)
    {
        var u = random.NextDouble();
        if (kind == MentionKind.DirectMessage)
        {
            return u < 0.6 ? 0 : 2;
        }

        if (kind == MentionKind.Review)
        {
            return u < 0.6 ? 1 : 0;
        }

        return u < 0.36 ? 1 : u < 0.79 ? 2 : 0;
    }

    private string? Label(LanguagePack pack) => random.Chance(model.Options.UnlabelledLanguageShare) ? null : pack.Code;

    private EngagementInput Engage(ScenarioAuthor author, Platform platform, MentionKind kind, bool crisis)
    {
        if (kind == MentionKind.DirectMessage)
        {
            return new EngagementInput { Likes = 0, Shares = 0, Replies = 0 };
        }

        var top = kind is MentionKind.Post or MentionKind.Review;
        var mean = author.Followers * (top ? 0.02 : 0.004) * random.NextSpread(1.5) * (crisis ? 4 : 1);
        var likes = (long)(mean + (random.NextDouble() * (top ? 4 : 1.5)));
        var shares = top ? (long)(likes * 0.15 * random.NextSpread(1)) : 0;
        var replies = (long)((likes * 0.08 * random.NextSpread(1)) + (random.NextDouble() < 0.3 ? 1 : 0));
        long? views = platform is Platform.X or Platform.TikTok or Platform.YouTube or Platform.Instagram or Platform.LinkedIn
            ? (long)(((author.Followers * 0.3) + (likes * 35)) * random.NextSpread(1)) + random.Next(5, 200)
            : null;
        return new EngagementInput { Likes = likes, Shares = shares, Replies = replies, Views = views };
    }

    private void Append(TextTemplate template, LanguagePack pack)
    {
        foreach (var segment in template.Segments)
        {
            if (segment.Literal is not null)
            {
                // An empty emoji slot would otherwise leave a double space behind.
                var skip = segment.Literal[0] == ' ' && (text.Length == 0 || text[^1] == ' ') ? 1 : 0;
                text.Append(segment.Literal, skip, segment.Literal.Length - skip);
                continue;
            }

            switch (segment.Slot)
            {
                case Slot.Brand: text.Append(model.BrandName); break;
                case Slot.BrandTag: text.Append(model.BrandTag); break;
                case Slot.BrandHandle: text.Append(model.BrandHandle); break;
                case Slot.City: text.Append(random.Pick(pack.Cities)); break;
                case Slot.Flight: text.Append(random.Pick(model.Flights)); break;
                case Slot.Number: text.Append(random.Pick(Numbers)); break;
                case Slot.PositiveEmoji: AppendEmoji(PositiveEmoji); break;
                case Slot.NegativeEmoji: AppendEmoji(NegativeEmoji); break;
                case Slot.NeutralEmoji: AppendEmoji(NeutralEmoji); break;
                case Slot.ShortUrl: AppendShortUrl(); break;
                case Slot.CrisisTag: text.Append(random.Pick(model.CrisisTags)); break;
                case Slot.MainCrisisTag: text.Append(model.MainCrisisTag); break;
                case Slot.CrisisName: text.Append(model.CrisisName); break;
                case Slot.CrisisHandle: text.Append(model.CrisisHandle); break;
                case Slot.CrisisFlight: text.Append(model.CrisisFlight); break;
                case Slot.OtherHandle: text.Append('@').Append(model.Pools[random.Next(model.Pools.Length)].Pick(random).Handle); break;
            }
        }

        TrimEnd();
    }

    private string Fill(TextTemplate template, LanguagePack pack)
    {
        text.Clear();
        Append(template, pack);
        return text.ToString();
    }

    private void AppendEmoji(string[] pool)
    {
        var u = random.NextDouble();
        if (u < 0.25)
        {
            return;
        }

        text.Append(random.Pick(pool));
        if (u > 0.8)
        {
            text.Append(random.Pick(pool));
        }
    }

    private void AppendShortUrl()
    {
        text.Append(random.Pick(ShortHosts));
        var length = random.Next(7, 11);
        for (var i = 0; i < length; i++)
        {
            text.Append(Base62[random.Next(Base62.Length)]);
        }
    }

    /// <summary>Empty emoji slots leave trailing spaces; real posts do not end that way.</summary>
    private void TrimEnd()
    {
        var end = text.Length;
        while (end > 0 && text[end - 1] == ' ')
        {
            end--;
        }

        text.Length = end;
    }

    /// <summary>Occasional typos (swapped letters) and shouting, where the script makes that natural.</summary>
    private void Roughen(LanguagePack pack, bool crisis)
    {
        if (!pack.LatinScript)
        {
            return;
        }

        if (random.Chance(0.04) && text.Length > 12)
        {
            var i = random.Next(1, text.Length - 2);
            if (char.IsAsciiLetterLower(text[i]) && char.IsAsciiLetterLower(text[i + 1]))
            {
                (text[i], text[i + 1]) = (text[i + 1], text[i]);
            }
        }

        if (crisis && random.Chance(0.06))
        {
            for (var i = 0; i < text.Length; i++)
            {
                if (char.IsAsciiLetterLower(text[i]))
                {
                    text[i] = (char)(text[i] - 32);
                }
            }
        }
    }

    private DateTimeOffset At(long ms) => model.Options.Start.AddTicks(ms * TimeSpan.TicksPerMillisecond);

    private static MentionInput Build(
        Platform platform,
        MentionKind kind,
        string id,
        string? url,
        ScenarioAuthor author,
        string body,
        string? language,
        DateTimeOffset createdAt,
        EngagementInput engagement,
        string? parentId,
        string? threadId) => new()
        {
            Platform = platform.ToWire(),
            ExternalId = id,
            Kind = kind.ToWire(),
            Author = new AuthorInput { Handle = author.Handle, DisplayName = author.DisplayName, Followers = author.Followers, Verified = author.Verified },
            Text = body,
            Language = language,
            Url = url,
            CreatedAt = createdAt,
            Engagement = engagement,
            ParentExternalId = parentId,
            ThreadExternalId = threadId,
        };

    /// <summary>A separate object graph, so a consumer mutating one delivery cannot alter another.</summary>
    private static MentionInput Clone(MentionInput source, string? body, EngagementInput? engagement) => new()
    {
        Platform = source.Platform,
        ExternalId = source.ExternalId,
        Kind = source.Kind,
        Author = source.Author is { } a ? new AuthorInput { Handle = a.Handle, DisplayName = a.DisplayName, Followers = a.Followers, Verified = a.Verified } : null,
        Text = body,
        Language = source.Language,
        Url = source.Url,
        CreatedAt = source.CreatedAt,
        Engagement = engagement is null ? null : new EngagementInput { Likes = engagement.Likes, Shares = engagement.Shares, Replies = engagement.Replies, Views = engagement.Views },
        ParentExternalId = source.ParentExternalId,
        ThreadExternalId = source.ThreadExternalId,
        SourceId = source.SourceId,
    };
}
