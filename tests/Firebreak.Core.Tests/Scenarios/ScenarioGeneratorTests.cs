using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;
using Firebreak.Core.Scenarios;

namespace Firebreak.Core.Tests.Scenarios;

public sealed class ScenarioGeneratorTests : IClassFixture<ScenarioStream>
{
    private readonly ScenarioStream stream;

    public ScenarioGeneratorTests(ScenarioStream stream) => this.stream = stream;

    [Fact]
    public void Generate_SameSeed_ProducesIdenticalSequence()
    {
        var again = new ScenarioGenerator(stream.Options).Generate().Select(ScenarioStream.Describe).ToList();

        Assert.Equal(stream.Items.Select(ScenarioStream.Describe), again);
    }

    [Fact]
    public void Generate_DifferentSeed_ProducesDifferentSequence()
    {
        var other = new ScenarioGenerator(stream.Options with { Seed = 7 }).Generate().Take(200).Select(ScenarioStream.Describe).ToList();

        Assert.NotEqual(stream.Items.Take(200).Select(ScenarioStream.Describe), other);
    }

    [Fact]
    public void NextAndFill_SameOptions_MatchGenerate()
    {
        var byNext = new ScenarioGenerator(stream.Options);
        var byFill = new ScenarioGenerator(stream.Options);
        var buffer = new MentionInput[37];
        var filled = new List<MentionInput>();
        while (filled.Count < 500)
        {
            var n = byFill.Fill(buffer);
            filled.AddRange(buffer.Take(n));
        }

        for (var i = 0; i < 500; i++)
        {
            var expected = ScenarioStream.Describe(stream.Items[i]);
            Assert.Equal(expected, ScenarioStream.Describe(byNext.Next()!));
            Assert.Equal(expected, ScenarioStream.Describe(filled[i]));
        }
    }

    [Fact]
    public void Generate_Always_OrderedByCaptureTimeAndFreshItemsByCreatedAt()
    {
        var seen = new HashSet<(string?, string?)>();
        var lastFresh = DateTimeOffset.MinValue;
        for (var i = 0; i < stream.Items.Count; i++)
        {
            var item = stream.Items[i];
            if (i > 0)
            {
                Assert.True(stream.CapturedAt[i] >= stream.CapturedAt[i - 1]);
            }

            Assert.True(item.CreatedAt <= stream.CapturedAt[i]);
            Assert.InRange(stream.CapturedAt[i], ScenarioStream.Start, ScenarioStream.Start + stream.Options.Duration);
            if (seen.Add((item.Platform, item.ExternalId)))
            {
                Assert.Equal(stream.CapturedAt[i], item.CreatedAt);
                Assert.True(item.CreatedAt >= lastFresh);
                lastFresh = item.CreatedAt!.Value;
            }
        }
    }

    [Fact]
    public void Generate_Always_RequiredFieldsPresentAndValid()
    {
        Assert.True(stream.Items.Count > 10_000);
        foreach (var item in stream.Items)
        {
            Assert.True(EnumNames.TryParsePlatform(item.Platform, out var platform), item.Platform);
            Assert.True(EnumNames.TryParseKind(item.Kind, out var kind), item.Kind);
            Assert.False(string.IsNullOrWhiteSpace(item.ExternalId));
            Assert.False(string.IsNullOrWhiteSpace(item.Text));
            Assert.Equal(item.Text, item.Text!.Trim());
            Assert.False(string.IsNullOrWhiteSpace(item.Author?.Handle));
            Assert.False(string.IsNullOrWhiteSpace(item.Author?.DisplayName));
            Assert.True(item.Author!.Followers >= 0);
            Assert.NotNull(item.CreatedAt);
            Assert.NotNull(item.Engagement);
            Assert.True(item.Engagement!.Likes >= 0 && item.Engagement.Shares >= 0 && item.Engagement.Replies >= 0);
            Assert.Equal(platform == Platform.News, kind == MentionKind.NewsArticle);
            if (kind != MentionKind.DirectMessage)
            {
                Assert.StartsWith("https://", item.Url);
            }
        }
    }

    [Fact]
    public void Generate_Always_PlatformPlausibleIds()
    {
        foreach (var item in stream.Items)
        {
            var id = item.ExternalId!;
            switch (item.Platform)
            {
                case "x":
                    Assert.Equal(19, id.Length);
                    Assert.True(id.All(char.IsAsciiDigit), id);
                    if (item.Kind != "dm")
                    {
                        Assert.Equal($"https://x.com/{item.Author!.Handle}/status/{id}", item.Url);
                    }

                    break;
                case "mastodon":
                    Assert.True(id.All(char.IsAsciiDigit), id);
                    break;
                case "bluesky":
                    Assert.StartsWith("at://did:plc:", id);
                    Assert.Contains("/app.bsky.feed.post/", id);
                    break;
                case "reddit":
                    Assert.Matches(item.Kind == "post" ? "^t3_[0-9a-z]+$" : "^t1_[0-9a-z]+$", id);
                    break;
            }
        }
    }

    [Fact]
    public void Generate_RedeliveredIds_KeepPlatformAuthorAndCreatedAt()
    {
        var first = new Dictionary<(string?, string?), MentionInput>();
        foreach (var item in stream.Items)
        {
            if (first.TryGetValue((item.Platform, item.ExternalId), out var original))
            {
                Assert.Equal(original.Author!.Handle, item.Author!.Handle);
                Assert.Equal(original.CreatedAt, item.CreatedAt);
                Assert.Equal(original.Kind, item.Kind);
            }
            else
            {
                first[(item.Platform, item.ExternalId)] = item;
            }
        }
    }

    [Fact]
    public void Generate_DefaultMix_ContainsCoreLanguagesAndSomeUnlabelled()
    {
        var languages = stream.Items.GroupBy(i => i.Language ?? "null").ToDictionary(g => g.Key, g => g.Count());

        foreach (var code in new[] { "en", "id", "fr", "ru", "ar", "es", "pt", "de", "ja", "hi" })
        {
            Assert.True(languages.ContainsKey(code), code);
        }

        Assert.Equal("en", languages.Where(l => l.Key != "null").MaxBy(l => l.Value).Key);
        var unlabelled = languages["null"] / (double)stream.Items.Count;
        Assert.InRange(unlabelled, 0.10, 0.20);
        Assert.Contains(stream.Items, i => i.Language == "ru" && i.Text!.Any(c => c is >= 'А' and <= 'я'));
        Assert.Contains(stream.Items, i => i.Language == "ar" && i.Text!.Any(c => c is >= '\u0600' and <= '\u06FF'));
    }

    [Fact]
    public void Generate_Replies_ReferenceEarlierIdsOnSamePlatform()
    {
        var seen = new HashSet<(string?, string?)>();
        var replies = 0;
        foreach (var item in stream.Items)
        {
            if (item.Kind is "reply" or "comment" && item.ParentExternalId is not null)
            {
                Assert.Contains((item.Platform, item.ParentExternalId), seen);
                Assert.Contains((item.Platform, item.ThreadExternalId), seen);
                replies += item.Kind == "reply" ? 1 : 0;
            }

            if (item.Kind == "reply")
            {
                Assert.NotNull(item.ParentExternalId);
            }

            seen.Add((item.Platform, item.ExternalId));
        }

        Assert.True(replies > 1000);
    }

    [Fact]
    public void Generate_Duplicates_RareButPresent()
    {
        var seen = new HashSet<string>();
        var duplicates = stream.Items.Count(i => !seen.Add(string.Join('|', i.Platform, i.ExternalId, i.Text, i.Engagement?.Likes)));
        var ids = new Dictionary<(string?, string?), string?>();
        var edits = 0;
        foreach (var item in stream.Items)
        {
            if (ids.TryGetValue((item.Platform, item.ExternalId), out var text) && text != item.Text && item.Text!.StartsWith(text!, StringComparison.Ordinal))
            {
                edits++;
            }

            ids.TryAdd((item.Platform, item.ExternalId), item.Text);
        }

        Assert.InRange(duplicates / (double)stream.Items.Count, 0.001, 0.01);
        Assert.True(edits > 0);
    }

    [Fact]
    public void Generate_Crisis_HashtagsAbsentBeforeStartAndCommonAfter()
    {
        var before = stream.Items.Where(i => i.CreatedAt < stream.CrisisAt).ToList();
        var after = stream.Items.Where(i => i.CreatedAt >= stream.CrisisAt && i.CreatedAt < stream.CrisisAt.AddHours(3)).ToList();

        Assert.DoesNotContain(before, i => i.Text!.Contains("#Boycott", StringComparison.OrdinalIgnoreCase) || i.Text.Contains("#JusticeFor", StringComparison.Ordinal));
        Assert.True(after.Count(i => i.Text!.Contains("#BoycottAuroraAir", StringComparison.OrdinalIgnoreCase)) > after.Count / 3);
    }

    [Fact]
    public void Generate_Crisis_StartsWithViralPostWhoseEngagementGrows()
    {
        var first = stream.Items.First(i => i.CreatedAt >= stream.CrisisAt);
        Assert.Equal("x", first.Platform);
        Assert.Equal("idrisbakare", first.Author!.Handle);
        Assert.True(first.Author.Verified);
        Assert.True(first.Author.Followers >= 1_000_000);
        Assert.Contains("#BoycottAuroraAir", first.Text);

        var captures = stream.Items.Where(i => i.Platform == "x" && i.ExternalId == first.ExternalId).ToList();
        Assert.True(captures.Count > 10);
        Assert.All(captures, c => Assert.Equal(first.Text, c.Text));
        for (var i = 1; i < captures.Count; i++)
        {
            Assert.True(captures[i].Engagement!.Likes > captures[i - 1].Engagement!.Likes);
        }

        Assert.True(captures[^1].Engagement!.Likes > 100_000);
        var repliesToViral = stream.Items.Count(i => i.ParentExternalId == first.ExternalId && i.Platform == "x");
        Assert.True(repliesToViral > 500);
    }

    [Fact]
    public void Generate_Crisis_PeakHourAtLeastTenTimesSameHourDayBefore()
    {
        var peakStart = stream.CrisisAt.AddMinutes(40);
        var peak = stream.Items.Count(i => i.CreatedAt >= peakStart && i.CreatedAt < peakStart.AddHours(1));
        var baseline = stream.Items.Count(i => i.CreatedAt >= peakStart.AddDays(-1) && i.CreatedAt < peakStart.AddDays(-1).AddHours(1));

        Assert.True(baseline > 0);
        Assert.True(peak >= 10 * baseline, $"peak {peak}, baseline {baseline}");
    }

    [Fact]
    public void Generate_SteadyWeek_NightRateClearlyBelowDayRate()
    {
        var options = ScenarioCatalog.Create(ScenarioCatalog.Steady, ScenarioStream.Start) with { Duration = TimeSpan.FromDays(7), BaseRatePerMinute = 4 };
        var byHour = new int[24];
        foreach (var item in new ScenarioGenerator(options).Generate())
        {
            byHour[item.CreatedAt!.Value.UtcDateTime.Hour]++;
        }

        var night = byHour[2] + byHour[3] + byHour[4];
        var day = byHour[9] + byHour[10] + byHour[19];
        Assert.True(night * 2.5 < day, $"night {night}, day {day}");
    }

    [Fact]
    public void Generate_SteadyWeek_WeekendQuieterThanWeekdays()
    {
        var options = ScenarioCatalog.Create(ScenarioCatalog.Steady, ScenarioStream.Start) with { Duration = TimeSpan.FromDays(7), BaseRatePerMinute = 4 };
        var weekday = 0;
        var weekend = 0;
        foreach (var item in new ScenarioGenerator(options).Generate())
        {
            if (item.CreatedAt!.Value.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
            {
                weekend++;
            }
            else
            {
                weekday++;
            }
        }

        Assert.True(weekend / 2.0 < weekday / 5.0 * 0.9, $"weekend {weekend}, weekday {weekday}");
        Assert.DoesNotContain(new ScenarioGenerator(options).Generate(), i => i.Text!.Contains("#Boycott", StringComparison.Ordinal));
    }

    [Fact]
    public void Constructor_UnknownLanguage_Throws()
    {
        var options = new ScenarioOptions { Start = ScenarioStream.Start, LanguageMix = [new LanguageShare("xx", 1)] };

        Assert.Throws<ArgumentException>(() => new ScenarioGenerator(options));
    }
}
