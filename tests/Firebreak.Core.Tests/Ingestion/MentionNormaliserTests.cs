using System.Text;
using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;
using Firebreak.Core.Tests.Text;

namespace Firebreak.Core.Tests.Ingestion;

public sealed class MentionNormaliserTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 3, 12, 0, 0, TimeSpan.Zero);

    private static readonly Dictionary<string, Action<MentionInput>> Breakages = new()
    {
        ["platform missing"] = m => m.Platform = null,
        ["platform unknown"] = m => m.Platform = "myspace",
        ["platform blank"] = m => m.Platform = "  ",
        ["externalId missing"] = m => m.ExternalId = null,
        ["externalId blank"] = m => m.ExternalId = "   ",
        ["externalId too long"] = m => m.ExternalId = new string('9', IngestLimits.MaxExternalIdLength + 1),
        ["kind unknown"] = m => m.Kind = "story",
        ["text missing"] = m => m.Text = null,
        ["text too long"] = m => m.Text = new string('a', IngestLimits.MaxTextLength + 1),
        ["author missing"] = m => m.Author = null,
        ["handle missing"] = m => m.Author!.Handle = null,
        ["handle only sigil"] = m => m.Author!.Handle = " @ ",
        ["handle too long"] = m => m.Author!.Handle = new string('h', IngestLimits.MaxHandleLength + 1),
        ["displayName too long"] = m => m.Author!.DisplayName = new string('d', IngestLimits.MaxDisplayNameLength + 1),
        ["followers negative"] = m => m.Author!.Followers = -1,
        ["createdAt missing"] = m => m.CreatedAt = null,
        ["createdAt before 2000"] = m => m.CreatedAt = new DateTimeOffset(1999, 12, 31, 23, 59, 59, TimeSpan.Zero),
        ["createdAt epoch"] = m => m.CreatedAt = DateTimeOffset.UnixEpoch,
        ["createdAt beyond skew"] = m => m.CreatedAt = Now + IngestLimits.MaxFutureSkew + TimeSpan.FromSeconds(1),
        ["createdAt far future"] = m => m.CreatedAt = Now.AddYears(30),
        ["url javascript"] = m => m.Url = "javascript:alert(1)",
        ["url data"] = m => m.Url = "data:text/html,<script>alert(1)</script>",
        ["url ftp"] = m => m.Url = "ftp://example.com/file",
        ["url relative"] = m => m.Url = "/status/1",
        ["url not a url"] = m => m.Url = "not a url",
        ["url too long"] = m => m.Url = "https://example.com/" + new string('p', IngestLimits.MaxUrlLength),
        ["likes negative"] = m => m.Engagement = new EngagementInput { Likes = -1 },
        ["shares negative"] = m => m.Engagement = new EngagementInput { Shares = -1 },
        ["replies negative"] = m => m.Engagement = new EngagementInput { Replies = -1 },
        ["views negative"] = m => m.Engagement = new EngagementInput { Views = -5 },
    };

    [Theory]
    [InlineData("platform missing", "platform", "is required")]
    [InlineData("platform unknown", "platform", "'myspace' is not a known platform")]
    [InlineData("platform blank", "platform", "is not a known platform")]
    [InlineData("externalId missing", "externalId", "is required")]
    [InlineData("externalId blank", "externalId", "is required")]
    [InlineData("externalId too long", "externalId", "the limit is 512")]
    [InlineData("kind unknown", "kind", "'story' is not a known kind")]
    [InlineData("text missing", "text", "is required")]
    [InlineData("text too long", "text", "the limit is 100,000")]
    [InlineData("author missing", "author.handle", "is required")]
    [InlineData("handle missing", "author.handle", "is required")]
    [InlineData("handle only sigil", "author.handle", "is required")]
    [InlineData("handle too long", "author.handle", "the limit is 256")]
    [InlineData("displayName too long", "author.displayName", "the limit is 512")]
    [InlineData("followers negative", "author.followers", "must not be negative")]
    [InlineData("createdAt missing", "createdAt", "is required")]
    [InlineData("createdAt before 2000", "createdAt", "is before 2000-01-01")]
    [InlineData("createdAt epoch", "createdAt", "seconds vs milliseconds")]
    [InlineData("createdAt beyond skew", "createdAt", "is in the future")]
    [InlineData("createdAt far future", "createdAt", "is in the future")]
    [InlineData("url javascript", "url", "absolute http(s) URL")]
    [InlineData("url data", "url", "absolute http(s) URL")]
    [InlineData("url ftp", "url", "absolute http(s) URL")]
    [InlineData("url relative", "url", "absolute http(s) URL")]
    [InlineData("url not a url", "url", "absolute http(s) URL")]
    [InlineData("url too long", "url", "the limit is 4096")]
    [InlineData("likes negative", "engagement", "must not be negative")]
    [InlineData("shares negative", "engagement", "must not be negative")]
    [InlineData("replies negative", "engagement", "must not be negative")]
    [InlineData("views negative", "engagement", "must not be negative")]
    public void TryNormalise_InvalidField_RejectsNamingFieldAndReason(string breakage, string field, string reason)
    {
        var input = Valid();
        Breakages[breakage](input);

        var ok = Normaliser().TryNormalise(1, input, null, out var mention, out var error);

        Assert.False(ok);
        Assert.Null(mention);
        Assert.Equal(field, error.Field);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("myspace")]
    public void TryNormalise_BadPlatform_ListsEveryValidName(string? platform)
    {
        var input = Valid();
        input.Platform = platform;

        Normaliser().TryNormalise(1, input, null, out _, out var error);

        Assert.All(EnumNames.PlatformWireNames, name => Assert.Contains(name, error.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public void TryNormalise_UnknownKind_ListsEveryValidKind()
    {
        var input = Valid();
        input.Kind = "story";

        Normaliser().TryNormalise(1, input, null, out _, out var error);

        Assert.All(EnumNames.KindWireNames, name => Assert.Contains(name, error.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public void TryNormalise_LongUnknownPlatform_ClipsEchoedValue()
    {
        var input = Valid();
        input.Platform = new string('z', 5_000);

        Normaliser().TryNormalise(1, input, null, out _, out var error);

        Assert.True(error.Reason.Length < 400, error.Reason);
    }

    [Fact]
    public void TryNormalise_ValuesAtTheLimits_Accepted()
    {
        var input = Valid();
        input.ExternalId = new string('9', IngestLimits.MaxExternalIdLength);
        input.Text = new string('a', IngestLimits.MaxTextLength);
        input.Author!.Handle = new string('h', IngestLimits.MaxHandleLength);
        input.Author.DisplayName = new string('d', IngestLimits.MaxDisplayNameLength);
        input.CreatedAt = IngestLimits.EarliestCreatedAt;

        Assert.True(Normaliser().TryNormalise(1, input, null, out var mention, out var error), error.Reason);
        Assert.Equal(IngestLimits.MaxTextLength, mention!.Text.Length);
    }

    [Fact]
    public void TryNormalise_CreatedAtWithinFutureSkew_Accepted()
    {
        var input = Valid();
        input.CreatedAt = Now + IngestLimits.MaxFutureSkew;

        Assert.True(Normaliser().TryNormalise(1, input, null, out var mention, out var error), error.Reason);
        Assert.Equal(Now + IngestLimits.MaxFutureSkew, mention!.CreatedAt);
    }

    [Fact]
    public void TryNormalise_FutureSkew_MeasuredFromInjectedClock()
    {
        var input = Valid();
        input.CreatedAt = Now.AddDays(1);
        var clock = new FixedClock(Now);
        var normaliser = new MentionNormaliser(clock);

        Assert.False(normaliser.TryNormalise(1, input, null, out _, out _));
        clock.Now = Now.AddDays(2);
        Assert.True(normaliser.TryNormalise(1, input, null, out var mention, out _));
        Assert.Equal(clock.Now, mention!.CapturedAt);
    }

    [Theory]
    [InlineData("@bob", "bob")]
    [InlineData("  @bob  ", "bob")]
    [InlineData("@@bob", "bob")]
    [InlineData("bob", "bob")]
    [InlineData("Bob_Smith", "Bob_Smith")]
    public void TryNormalise_Handle_SigilStrippedCaseKept(string handle, string expected)
    {
        var input = Valid();
        input.Author!.Handle = handle;

        Assert.Equal(expected, Normalise(input).Author.Handle);
    }

    [Theory]
    [InlineData("fr-CA", "fr")]
    [InlineData("fr_CA", "fr")]
    [InlineData("FR", "fr")]
    [InlineData(" en ", "en")]
    [InlineData("pt-BR", "pt")]
    [InlineData("zh-Hant-TW", "zh")]
    [InlineData("fil", "fil")]
    [InlineData(null, "und")]
    [InlineData("", "und")]
    [InlineData("   ", "und")]
    [InlineData("f", "und")]
    [InlineData("english", "und")]
    [InlineData("12", "und")]
    [InlineData("e1", "und")]
    [InlineData("-fr", "und")]
    [InlineData("日本", "und")]
    public void TryNormalise_Language_FoldedToPrimarySubtagOrUnd(string? language, string expected)
    {
        var input = Valid();
        input.Language = language;

        Assert.Equal(expected, Normalise(input).Language);
    }

    [Theory]
    [InlineData("a<D800>b", "a\uFFFDb")]
    [InlineData("<DC00>", "\uFFFD")]
    [InlineData("end<D83D>", "end\uFFFD")]
    [InlineData("<DE00><D83D>", "\uFFFD\uFFFD")]
    [InlineData("ok 😀 <DBFF> 😀", "ok 😀 \uFFFD 😀")]
    [InlineData("a\0b\0", "a\uFFFDb\uFFFD")]
    public void TryNormalise_UnstorableChars_ReplacedWithReplacementChar(string text, string expected)
    {
        var input = Valid();
        input.Text = Surrogates.Expand(text);
        input.Author!.DisplayName = Surrogates.Expand(text);

        var mention = Normalise(input);

        Assert.Equal(expected, mention.Text);
        Assert.Equal(expected, mention.Author.DisplayName);
    }

    [Theory]
    [InlineData("مرحبا \u200Fبالعالم! شكرا لكم")]
    [InlineData("שלום \u202Bעולם\u202C 123")]
    [InlineData("👨‍👩‍👧‍👦 family 🏳️‍🌈 flag 👍🏽 skin")]
    [InlineData("Z̷̢̛̖a̴̡̗͎l̸̨̳̈́g̵̱̈́ő̶̢")]
    [InlineData("ｆｕｌｌｗｉｄｔｈ \u00A0nbsp\u200Bzwsp \uFEFFbom  two  spaces\ttab\nnewline")]
    [InlineData("\uFFFD already replaced")]
    public void TryNormalise_UnusualButValidText_KeptByteForByte(string text)
    {
        var input = Valid();
        input.Text = text;

        var mention = Normalise(input);

        Assert.Equal(Encoding.UTF8.GetBytes(text), Encoding.UTF8.GetBytes(mention.Text));
        Assert.Same(text, MentionNormaliser.Sanitise(text));
    }

    [Theory]
    [InlineData("twitter", Platform.X)]
    [InlineData("Twitter", Platform.X)]
    [InlineData("X", Platform.X)]
    [InlineData(" x ", Platform.X)]
    [InlineData("fb", Platform.Facebook)]
    [InlineData("ig", Platform.Instagram)]
    [InlineData("TikTok", Platform.TikTok)]
    [InlineData("youtube", Platform.YouTube)]
    [InlineData("rss", Platform.News)]
    [InlineData("web", Platform.News)]
    [InlineData("bluesky", Platform.Bluesky)]
    [InlineData("other", Platform.Other)]
    public void TryNormalise_PlatformNameOrAlias_Resolved(string platform, Platform expected)
    {
        var input = Valid();
        input.Platform = platform;

        Assert.Equal(expected, Normalise(input).Platform);
    }

    [Theory]
    [InlineData(null, MentionKind.Post)]
    [InlineData("comment", MentionKind.Comment)]
    [InlineData("Reply", MentionKind.Reply)]
    [InlineData("dm", MentionKind.DirectMessage)]
    [InlineData("direct_message", MentionKind.DirectMessage)]
    [InlineData("review", MentionKind.Review)]
    [InlineData("article", MentionKind.NewsArticle)]
    [InlineData("news", MentionKind.NewsArticle)]
    public void TryNormalise_KindNameOrAlias_Resolved(string? kind, MentionKind expected)
    {
        var input = Valid();
        input.Kind = kind;

        Assert.Equal(expected, Normalise(input).Kind);
    }

    [Fact]
    public void TryNormalise_ValidInput_CopiesAndCleansEveryField()
    {
        var input = Valid();
        input.ExternalId = "  1234  ";
        input.CreatedAt = new DateTimeOffset(2025, 3, 3, 13, 30, 0, TimeSpan.FromHours(2));
        input.Url = "  https://x.com/bob/status/1234  ";
        input.ParentExternalId = "   ";
        input.ThreadExternalId = " 1000 ";
        input.SourceId = 9;
        input.Engagement = new EngagementInput { Likes = 3, Views = 700 };

        var ok = Normaliser().TryNormalise(42, input, "{\"raw\":1}", out var mention, out var error);

        Assert.True(ok, error.Reason);
        Assert.Equal(42, mention!.WorkspaceId);
        Assert.Equal("1234", mention.ExternalId);
        Assert.Equal(new DateTimeOffset(2025, 3, 3, 11, 30, 0, TimeSpan.Zero), mention.CreatedAt);
        Assert.Equal(TimeSpan.Zero, mention.CreatedAt.Offset);
        Assert.Equal(Now, mention.CapturedAt);
        Assert.Equal("https://x.com/bob/status/1234", mention.Url);
        Assert.Null(mention.ParentExternalId);
        Assert.Equal("1000", mention.ThreadExternalId);
        Assert.Equal(9, mention.SourceId);
        Assert.Equal(new Engagement(3, 0, 0, 700), mention.Engagement);
        Assert.Equal(700, mention.Reach);
        Assert.Equal("{\"raw\":1}", mention.RawPayload);
        Assert.Equal(MentionAnalysis.None, mention.Analysis);
    }

    [Fact]
    public void TryNormalise_OptionalFieldsAbsent_Defaults()
    {
        var input = new MentionInput
        {
            Platform = "x",
            ExternalId = "1",
            Text = string.Empty,
            Author = new AuthorInput { Handle = "bob" },
            CreatedAt = Now.AddHours(-1),
            Url = "   ",
        };

        var mention = Normalise(input);

        Assert.Equal(MentionKind.Post, mention.Kind);
        Assert.Equal(string.Empty, mention.Text);
        Assert.Equal(0, mention.Author.Followers);
        Assert.False(mention.Author.Verified);
        Assert.Null(mention.Author.DisplayName);
        Assert.Null(mention.Url);
        Assert.Equal(default, mention.Engagement);
        Assert.Equal("und", mention.Language);
    }

    private static MentionNormaliser Normaliser() => new(new FixedClock(Now));

    private static Mention Normalise(MentionInput input)
    {
        Assert.True(Normaliser().TryNormalise(1, input, null, out var mention, out var error), $"{error.Field}: {error.Reason}");
        return mention!;
    }

    private static MentionInput Valid() => new()
    {
        Platform = "x",
        ExternalId = "1234",
        Kind = "post",
        Author = new AuthorInput { Handle = "bob", DisplayName = "Bob", Followers = 120, Verified = true },
        Text = "Lost my bag again #aurora",
        Language = "en",
        Url = "https://x.com/bob/status/1234",
        CreatedAt = Now.AddMinutes(-5),
        Engagement = new EngagementInput { Likes = 1, Shares = 2, Replies = 3, Views = 4 },
    };
}
