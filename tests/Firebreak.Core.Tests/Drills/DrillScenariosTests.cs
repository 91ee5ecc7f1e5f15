namespace Firebreak.Core.Tests.Drills;

using Firebreak.Core.Drills;
using Firebreak.Core.Playbooks;
using Firebreak.Core.Scenarios;

/// <summary>The drill scripts as data: each plays a stream that exists, playbooks map to their own story, prompts fit their story.</summary>
public sealed class DrillScenariosTests
{
    [Theory]
    [InlineData("hacked-account", DrillScenarios.HackedAccount)]
    [InlineData("national-tragedy", DrillScenarios.NationalTragedy)]
    [InlineData("viral-complaint", DrillScenarios.SlowBurn)]
    [InlineData("offensive-post", DrillScenarios.OffensivePost)]
    [InlineData("platform-outage", DrillScenarios.SuddenBurst)]
    public void A_playbook_drills_on_its_own_story_where_there_is_one(string playbookScenario, string drill) =>
        Assert.Equal(drill, DrillScenarios.ForPlaybook(playbookScenario));

    [Fact]
    public void Every_scenario_plays_a_known_stream_with_unique_prompts_and_every_playbook_kind_maps_to_a_scenario()
    {
        foreach (var scenario in DrillScenarios.All)
        {
            Assert.True(ScenarioCatalog.TryCreate(scenario.Stream, DateTimeOffset.UnixEpoch, out _), scenario.Stream);
            Assert.Equal(scenario.Injects.Count, scenario.Injects.Select(i => i.Key).Distinct().Count());
        }

        foreach (var kind in PlaybookVocabulary.Scenarios)
        {
            Assert.NotNull(DrillScenarios.Find(DrillScenarios.ForPlaybook(kind)));
        }
    }

    [Theory]
    [InlineData(DrillScenarios.HackedAccount, "hack")]
    [InlineData(DrillScenarios.NationalTragedy, "post")]
    [InlineData(DrillScenarios.OffensivePost, "post")]
    public void The_new_stories_have_prompts_in_every_stream_language_and_a_pause_decision_where_it_is_the_move(string key, string word)
    {
        var scenario = DrillScenarios.Find(key)!;
        Assert.Equal(key != DrillScenarios.OffensivePost, scenario.KeyDecision is not null);
        Assert.All(scenario.Injects, i => Assert.DoesNotContain("AU217", string.Concat(i.Texts.Values), StringComparison.Ordinal));
        Assert.Contains(scenario.Injects, i => i.Texts["en"].Contains(word, StringComparison.OrdinalIgnoreCase));
        var languages = ScenarioCatalog.Create(scenario.Stream, DateTimeOffset.UnixEpoch).LanguageMix.Select(l => l.Language);
        Assert.All(scenario.Injects.Where(i => i.Trigger == InjectTrigger.AfterFirstReply), i => Assert.All(languages, l => Assert.True(i.Texts.ContainsKey(l), $"{i.Key} lacks {l}")));
        Assert.Null(DrillScenarios.Find(DrillScenarios.SuddenBurst)!.KeyDecision);
    }
}
