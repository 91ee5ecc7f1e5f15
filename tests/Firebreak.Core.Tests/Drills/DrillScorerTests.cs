namespace Firebreak.Core.Tests.Drills;

using Firebreak.Core.Drills;
using Firebreak.Core.Incidents;
using Firebreak.Core.Incidents.Review;

/// <summary>The drill score: each timing against its target, tasks and prompts by share, parts that do not apply left out.</summary>
public sealed class DrillScorerTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Burst = Start.AddMinutes(1);

    [Theory]
    [InlineData(null, 5, 20, 0)]   // never happened
    [InlineData(0.5, 5, 20, 20)]   // under target
    [InlineData(5.0, 5, 20, 20)]   // on target
    [InlineData(10.0, 5, 20, 10)]  // halfway to 3× target
    [InlineData(15.0, 5, 20, 0)]   // 3× target
    [InlineData(40.0, 5, 20, 0)]
    public void Timed_FullAtTarget_NoneAtThreeTimes_LinearBetween(double? minutes, double target, double weight, double points) =>
        Assert.Equal(points, DrillScorer.TimedPoints(minutes, target, weight));

    [Fact]
    public void Score_AddsTheParts_FromTheReviewFigures()
    {
        var figures = new ReviewFigures
        {
            AlertOpenedAt = Burst.AddMinutes(1),
            AcknowledgedAt = Burst.AddMinutes(11),
            TimeToAcknowledge = TimeSpan.FromMinutes(10), // 2× the 5 min target: half of 20
            FirstResponseAt = Burst.AddMinutes(20),
            FirstResponse = "Holding statement",
            TimeToFirstResponse = TimeSpan.FromMinutes(12), // under 15: 25
        };
        var tasks = new[]
        {
            Task(IncidentTaskState.Done, due: 10, done: 5),
            Task(IncidentTaskState.Done, due: 10, done: 15), // late
            Task(IncidentTaskState.Open, due: 10, done: null),
            Task(IncidentTaskState.Done, due: null, done: 30), // no due time: on time
        };
        var drill = Drill([new FiredInject("angry-customer", "Angry", "e1", Burst, true), new FiredInject("journalist-en", "Journalist", "e2", Burst, true)]);
        var score = DrillScorer.Score(new DrillScoreInput(drill, 7, figures, tasks, Burst.AddMinutes(1), new HashSet<string> { "journalist-en" }, Burst.AddHours(1)), new DrillTargets());

        var parts = score.Components.ToDictionary(c => c.Key);
        Assert.Equal((1.0, 15.0), (parts["detect"].Value!.Value, parts["detect"].Points));
        Assert.Equal((10.0, 10.0), (parts["acknowledge"].Value!.Value, parts["acknowledge"].Points));
        Assert.Equal((12.0, 25.0), (parts["firstResponse"].Value!.Value, parts["firstResponse"].Points));
        Assert.Equal((2.0, 10.0), (parts["tasks"].Value!.Value, parts["tasks"].Points));
        Assert.Equal((1.0, 10.0), (parts["prompts"].Value!.Value, parts["prompts"].Points));
        Assert.Equal(70, score.Total); // 15 + 10 + 25 + 10 + 10 of 100
        Assert.Contains("10 min against a 5 min target", parts["acknowledge"].Why, StringComparison.Ordinal);
        Assert.Contains("unanswered: Angry", parts["prompts"].Why, StringComparison.Ordinal);
    }

    [Fact]
    public void Score_WithNothingDone_IsZero_AndSaysWhy_AndPromptsNotYetFiredDoNotCount()
    {
        var score = DrillScorer.Score(new DrillScoreInput(Drill([]), null, null, [], null, new HashSet<string>(), Burst), new DrillTargets());
        Assert.Equal(0, score.Total);
        var parts = score.Components.ToDictionary(c => c.Key);
        Assert.False(parts["prompts"].Applies);
        Assert.Equal("no alert was raised in the sandbox after the burst", parts["detect"].Why);
        Assert.Equal("no incident was declared in the sandbox", parts["firstResponse"].Why);
        Assert.Equal(80, score.Components.Where(c => c.Applies).Sum(c => c.Weight));
    }

    [Fact]
    public void Score_ScalesToOneHundred_WhenAPartDoesNotApply()
    {
        var figures = new ReviewFigures { AlertOpenedAt = Burst, AcknowledgedAt = Burst, TimeToAcknowledge = TimeSpan.Zero, FirstResponseAt = Burst, TimeToFirstResponse = TimeSpan.Zero };
        var score = DrillScorer.Score(new DrillScoreInput(Drill([]), 1, figures, [Task(IncidentTaskState.Done, 10, 1)], Burst, new HashSet<string>(), Burst), new DrillTargets());
        Assert.Equal(100, score.Total);
    }

    [Theory]
    [InlineData(DrillScenarios.HackedAccount, 0.0, 20.0)]    // paused before the burst: at once
    [InlineData(DrillScenarios.HackedAccount, 4.0, 20.0)]    // within the 5 min target
    [InlineData(DrillScenarios.NationalTragedy, 10.0, 10.0)] // 2× target: half
    [InlineData(DrillScenarios.NationalTragedy, 15.0, 0.0)]  // 3× target: nothing
    public void Key_decision_earns_its_points_by_how_soon_publishing_was_paused(string scenario, double minutesAfterBurst, double points)
    {
        var pausedAt = minutesAfterBurst == 0 ? Burst.AddMinutes(-1) : Burst.AddMinutes(minutesAfterBurst);
        var score = DrillScorer.Score(Input(scenario, pausedAt), new DrillTargets());

        var part = score.Components.Single(c => c.Key == "keyDecision");
        Assert.True(part.Applies);
        Assert.Equal((points, 20.0, DrillScenarios.PauseTargetMinutes), (part.Points, part.Weight, part.Target!.Value));
        Assert.Equal(Math.Max(0, minutesAfterBurst), part.Value);
        Assert.StartsWith("burst start → ", part.Why, StringComparison.Ordinal);
        // Only the key decision was done: its points scaled over the 100 weight that applies (80 without prompts + 20).
        Assert.Equal((int)Math.Round(points, MidpointRounding.AwayFromZero), score.Total);
    }

    [Fact]
    public void Key_decision_never_taken_earns_nothing_and_says_so()
    {
        var part = DrillScorer.Score(Input(DrillScenarios.NationalTragedy, null), new DrillTargets()).Components.Single(c => c.Key == "keyDecision");
        Assert.Equal((0.0, 20.0, true), (part.Points, part.Weight, part.Applies));
        Assert.Null(part.Value);
        Assert.Contains("never paused", part.Why, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DrillScenarios.SuddenBurst)]
    [InlineData(DrillScenarios.SlowBurn)]
    public void Airline_drills_have_no_key_decision_and_a_pause_changes_nothing(string scenario)
    {
        var figures = new ReviewFigures { AlertOpenedAt = Burst, AcknowledgedAt = Burst, TimeToAcknowledge = TimeSpan.FromMinutes(10), FirstResponseAt = Burst, TimeToFirstResponse = TimeSpan.Zero };
        var drill = Drill([]) with { Scenario = scenario };
        var without = DrillScorer.Score(new DrillScoreInput(drill, 1, figures, [], Burst, new HashSet<string>(), Burst), new DrillTargets());
        var paused = DrillScorer.Score(new DrillScoreInput(drill, 1, figures, [], Burst, new HashSet<string>(), Burst, Burst), new DrillTargets());

        Assert.DoesNotContain(paused.Components, c => c.Key == "keyDecision");
        Assert.Equal(5, paused.Components.Count);
        Assert.Equal(without.Total, paused.Total);
        Assert.Equal(63, paused.Total); // detect 15 + acknowledge 10 + first response 25 of 80
    }

    private static DrillScoreInput Input(string scenario, DateTimeOffset? pausedAt) =>
        new(Drill([]) with { Scenario = scenario }, null, null, [], null, new HashSet<string>(), Burst.AddHours(1), pausedAt);

    private static Drill Drill(IReadOnlyList<FiredInject> injects) =>
        new(1, 1, 2, 1, "viral-complaint", DrillScenarios.SuddenBurst, 8, 20, 120, DrillState.Running, Start, Burst, Start.AddMinutes(15), null, 1, "Ana", injects, null);

    private static IncidentTask Task(IncidentTaskState state, double? due, double? done) => new()
    {
        Title = "t",
        State = state,
        DueAt = due is { } d ? Start.AddMinutes(d) : null,
        DoneAt = done is { } x ? Start.AddMinutes(x) : null,
    };
}
