namespace Firebreak.Core.Tests.Incidents;

using Firebreak.Core.Incidents.Decisions;
using Firebreak.Core.Playbooks;

public sealed class DecisionGuideTests
{
    [Theory]
    [InlineData(false, false, PostAction.Keep, PostGuide.KeepReason)]
    [InlineData(true, false, PostAction.Delete, PostGuide.ObsceneReason)]
    [InlineData(false, true, PostAction.Delete, PostGuide.IntruderReason)]
    [InlineData(true, true, PostAction.Delete, PostGuide.IntruderReason)]
    public void DeleteOrKeep(bool obscene, bool intruder, PostAction expected, string reason)
    {
        var recommendation = PostGuide.Recommend(new PostQuestions(obscene, intruder));
        Assert.Equal((expected, reason), (recommendation.Action, recommendation.Reason));
    }

    [Fact]
    public void Keep_SaysDeletingNeverMakesItGoAway() =>
        Assert.Contains("deleting never makes it go away", PostGuide.Recommend(new PostQuestions(false, false)).Reason, StringComparison.Ordinal);

    [Theory]
    [InlineData(false, false, false, Apologiser.Person)]
    [InlineData(true, false, false, Apologiser.HigherUp)]
    [InlineData(false, true, false, Apologiser.HigherUp)]
    [InlineData(false, false, true, Apologiser.HigherUp)]
    [InlineData(true, true, true, Apologiser.HigherUp)]
    public void WhoApologises(bool serious, bool repeated, bool lacksStanding, Apologiser expected) =>
        Assert.Equal(expected, ApologyGuide.Recommend(new ApologyQuestions(serious, repeated, lacksStanding)).Who);

    [Fact]
    public void Statement_StartsWithThePlaybooksHoldingStatementInTheLanguage_ThenTheApology()
    {
        var playbook = ShippedPlaybooks.Find("offensive-post")!.Playbook;
        var parts = new StatementParts("de", "Unser Beitrag war verletzend.", "Wir schulen das Team.", "hilfe@acme.example", "Dana, CEO")
        {
            Variables = new Dictionary<string, string> { ["brand"] = "Acme", ["date"] = "20.11." },
        };
        var statement = ApologyStatement.Build(parts, playbook);
        var holding = HoldingStatement.Render(ApologyStatement.Holding(playbook, "de")!.Trim(), parts.Variables);
        Assert.StartsWith(holding.Text, statement.Text, StringComparison.Ordinal);
        Assert.EndsWith("Unser Beitrag war verletzend. Es tut uns leid. Wir schulen das Team. Sie erreichen uns unter hilfe@acme.example. — Dana, CEO", statement.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Statement_WithoutPlaybook_OrUnknownLanguage_IsTheEnglishTemplate_AndReportsGaps()
    {
        var statement = ApologyStatement.Build(new StatementParts("ja", "Our post was wrong.", string.Empty, "help@acme.example", "Acme"), null);
        Assert.Equal("Our post was wrong. We are sorry. {what_we_are_doing} You can reach us at help@acme.example. — Acme", statement.Text);
        Assert.Equal(["what_we_are_doing"], statement.Missing);
    }
}
