using System.Text.RegularExpressions;
using Firebreak.Core.Ingestion;
using Firebreak.Core.Scenarios;

namespace Firebreak.Core.Tests.Scenarios;

/// <summary>The storylines besides the airline one: their burst says their story, in each of their languages, and is a real burst.</summary>
public sealed class CrisisStoryTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 21, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Burst = TimeSpan.FromHours(2);

    /// <summary>Words of the airline storyline that must not appear in another story's stream.</summary>
    private static readonly string[] AirlineCrisisWords = ["Idris", "idrisbakare", "#Boycott", "#JusticeFor", "#NeverFly", "AU217", "Racism"];

    [Theory]
    [InlineData(ScenarioCatalog.HackedAccount, "en", "hack")]
    [InlineData(ScenarioCatalog.HackedAccount, "es", "hacke")]
    [InlineData(ScenarioCatalog.HackedAccount, "fr", "piraté")]
    [InlineData(ScenarioCatalog.OffensivePost, "en", "wheelchair|apologi|disabled")]
    [InlineData(ScenarioCatalog.OffensivePost, "es", "silla de ruedas|disculpa|perdón")]
    [InlineData(ScenarioCatalog.OffensivePost, "fr", "fauteuil|excuse")]
    [InlineData(ScenarioCatalog.Tragedy, "en", "read the room|mourning|griev|tone-deaf")]
    [InlineData(ScenarioCatalog.Tragedy, "es", "luto|respeto")]
    [InlineData(ScenarioCatalog.Tragedy, "fr", "deuil|décence")]
    public void The_burst_tells_the_story_in_each_language_and_never_the_airline_one(string story, string language, string marker)
    {
        var items = Generate(story);
        var after = items.Where(m => m.CreatedAt >= Start + Burst && m.Language == language).ToList();
        var told = after.Count(m => Regex.IsMatch(m.Text!, marker, RegexOptions.IgnoreCase));

        Assert.True(told >= 5, $"{story}/{language}: {told} of {after.Count} mentions after the burst tell the story");
        Assert.DoesNotContain(items, m => AirlineCrisisWords.Any(w => m.Text!.Contains(w, StringComparison.OrdinalIgnoreCase)));
        Assert.DoesNotContain(items, m => m.CreatedAt < Start + Burst && Regex.IsMatch(m.Text!, "#(AuroraAirHacked|WereYouHacked|ReadTheRoom|AuroraAirToneDeaf|NationalMourning|AuroraAirApologise|WhoApprovedThis)"));
    }

    [Theory]
    [InlineData(ScenarioCatalog.HackedAccount, "Is @AuroraAir hacked")]
    [InlineData(ScenarioCatalog.Tragedy, "Read the room")]
    [InlineData(ScenarioCatalog.OffensivePost, "wheelchair assistance")]
    public void The_viral_post_that_starts_it_is_the_storys(string story, string words)
    {
        var viral = Generate(story).First(m => m.CreatedAt >= Start + Burst && m.Author!.Followers == 2_400_000);
        Assert.Contains(words, viral.Text, StringComparison.Ordinal);
        Assert.Equal(Start + Burst, viral.CreatedAt);
    }

    [Theory]
    [InlineData(ScenarioCatalog.HackedAccount)]
    [InlineData(ScenarioCatalog.Tragedy)]
    [InlineData(ScenarioCatalog.OffensivePost)]
    public void The_burst_is_a_jump_real_alerts_can_see(string story)
    {
        var items = Generate(story).Where(m => m.CreatedAt is not null).ToList();
        var before = items.Count(m => m.CreatedAt >= Start + Burst - TimeSpan.FromHours(1) && m.CreatedAt < Start + Burst) / 60.0;
        var first = items.Count(m => m.CreatedAt >= Start + Burst && m.CreatedAt < Start + Burst + TimeSpan.FromMinutes(10)) / 10.0;

        Assert.True(first >= 3 * before, $"{story}: {first:0.#}/min in the burst's first 10 minutes against {before:0.#}/min in the hour before");
    }

    [Fact]
    public void A_story_refuses_a_language_it_has_no_text_for_and_an_unknown_story_is_refused()
    {
        var hacked = ScenarioCatalog.Create(ScenarioCatalog.HackedAccount, Start);
        Assert.Equal(["en", "fr", "es"], hacked.LanguageMix.Select(l => l.Language));

        var german = Assert.Throws<ArgumentException>(() => new ScenarioGenerator(hacked with { LanguageMix = [new("de", 1)] }));
        Assert.Contains("no text in 'de'", german.Message, StringComparison.Ordinal);
        var unknown = Assert.Throws<ArgumentException>(() => new ScenarioGenerator(hacked with { Story = "alien-invasion" }));
        Assert.Contains("Unknown story 'alien-invasion'", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_airline_stream_is_untouched_by_the_stories()
    {
        var options = ScenarioCatalog.Create(ScenarioCatalog.SuddenBurst, Start) with { Duration = TimeSpan.FromHours(3), CrisisStart = Burst, BaseRatePerMinute = 4 };
        Assert.Null(options.Story);
        Assert.Contains(new ScenarioGenerator(options).Generate(), m => m.Text!.Contains("#BoycottAuroraAir", StringComparison.Ordinal));
    }

    private static List<MentionInput> Generate(string story)
    {
        var options = ScenarioCatalog.Create(story, Start) with { Duration = Burst + TimeSpan.FromHours(1), CrisisStart = Burst, BaseRatePerMinute = 20, Seed = 7 };
        return [.. new ScenarioGenerator(options).Generate()];
    }
}
