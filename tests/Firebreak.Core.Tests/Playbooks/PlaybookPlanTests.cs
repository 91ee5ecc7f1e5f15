using Firebreak.Core.Playbooks;

namespace Firebreak.Core.Tests.Playbooks;

public sealed class PlaybookPlanTests
{
    private static readonly DateTimeOffset Start = new(2025, 1, 19, 4, 30, 0, TimeSpan.Zero);

    [Fact]
    public void For_CountsEveryDeadlineFromTheIncidentStart_InStepOrder()
    {
        var playbook = PlaybookYaml.Parse(PlaybookYamlTests.Valid).Playbook! with { };
        playbook = playbook with { Steps = [.. playbook.Steps, new PlaybookStep("note", "Take notes", null, "scribe", null, null)] };

        var plan = PlaybookPlan.For(playbook, Start);

        Assert.Equal(
            [
                new PlannedTask("Lock the account", "lead", Start.AddMinutes(15), "lock", false, null),
                new PlannedTask("Post the statement", "spokesperson", Start.AddHours(1), "post", true, "approver"),
                new PlannedTask("Take notes", "scribe", null, "note", false, null),
            ],
            plan);
    }

    [Fact]
    public void For_ShippedPlatformOutage_FirstTaskIsDueWithinTheHour()
    {
        var playbook = ShippedPlaybooks.Find("platform-outage")!.Playbook;

        var plan = PlaybookPlan.For(playbook, Start);

        Assert.Equal(playbook.Steps.Select(s => s.Id), plan.Select(t => t.StepId));
        Assert.True(plan[0].DueAt <= Start.AddHours(1));
        Assert.All(plan, t => Assert.True(t.DueAt is null || t.DueAt >= Start));
    }

    [Theory]
    [InlineData("{brand} apologises.", "Aurora Air apologises.", "")]
    [InlineData("On {date}, {brand} and {brand}.", "On 19 January, Aurora Air and Aurora Air.", "")]
    [InlineData("See {link} for {brand}.", "See {link} for Aurora Air.", "link")]
    [InlineData("{{brand}} stays literal, {x y} is not a variable", "{brand} stays literal, {x y} is not a variable", "")]
    [InlineData("{unknown} {other} {unknown}", "{unknown} {other} {unknown}", "unknown,other")]
    [InlineData("unclosed {brand", "unclosed {brand", "")]
    public void Render_FillsKnownVariables_AndLeavesUnknownOnesVisible(string text, string expected, string missing)
    {
        var rendered = HoldingStatement.Render(text, new Dictionary<string, string> { ["brand"] = "Aurora Air", ["date"] = "19 January" });

        Assert.Equal(expected, rendered.Text);
        Assert.Equal(missing.Length == 0 ? [] : missing.Split(','), rendered.Missing);
    }
}
