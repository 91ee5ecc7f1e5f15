using System.Text.Json;
using Firebreak.Core.Playbooks;

namespace Firebreak.Core.Tests.Playbooks;

public sealed class PlaybookYamlTests
{
    // Line numbers below count from this text's first line ("key: test").
    internal const string Valid = """
        key: test
        title: Test playbook
        scenario: hacked-account
        severity: high
        summary: |
          Two lines of
          **Markdown**.
        triggers:
          - logins from a new country
        steps:
          - id: lock
            title: Lock the account
            owner: lead
            due: 15
          - id: post
            title: Post the statement
            owner: spokesperson
            due: 60
            approval: approver
        holding_statements:
          en: We are looking into it, {brand}.
        approvals:
          - action: Public statements
            role: approver
            steps: [post]
        guidance:
          - question: Delete?
            answer: After archiving.
        """;

    [Fact]
    public void Parse_ValidFile_ReadsEveryField()
    {
        var result = PlaybookYaml.Parse(Valid);

        Assert.Empty(result.Errors);
        var p = result.Playbook!;
        Assert.Equal(("test", "Test playbook", "hacked-account", "high"), (p.Key, p.Title, p.Scenario, p.DefaultSeverity));
        Assert.Equal("Two lines of\n**Markdown**.", p.Summary);
        Assert.Equal(new PlaybookStep("post", "Post the statement", null, "spokesperson", 60, "approver"), p.Steps[1]);
        Assert.Equal(new HoldingStatementText("en", "We are looking into it, {brand}."), Assert.Single(p.HoldingStatements));
        Assert.Equal(["post"], Assert.Single(p.Approvals).Steps);
        Assert.Equal(new DecisionGuidance("Delete?", "After archiving."), Assert.Single(p.Guidance));
    }

    [Theory]
    [InlineData("title: Test playbook", "titel: Test playbook", 2, 1, "Unknown key 'titel'")]
    [InlineData("severity: high", "severity: high\ncolour: red", 5, 1, "Unknown key 'colour' at the top")]
    [InlineData("    owner: lead", "    owner: lead\n    colour: red", 14, 5, "Unknown key 'colour' in a step")]
    [InlineData("scenario: hacked-account\n", "", 1, 1, "'scenario' is required")]
    [InlineData("title: Test playbook", "title:", 2, 1, "'title' is required and is empty")]
    [InlineData("  - id: post", "  - id: lock", 15, 9, "Step id 'lock' is already used by the step at line 11")]
    [InlineData("owner: spokesperson", "owner: spokesman", 17, 12, "Unknown incident role 'spokesman'")]
    [InlineData("approval: approver", "approval: boss", 19, 15, "Unknown incident role 'boss'")]
    [InlineData("due: 15", "due: -5", 14, 10, "cannot be negative")]
    [InlineData("due: 15", "due: 100000", 14, 10, "more than a week")]
    [InlineData("due: 15", "due: 2h", 14, 10, "whole number")]
    [InlineData("steps: [post]", "steps: [post, publish]", 25, 19, "names step 'publish', which is not in this playbook")]
    [InlineData("  en: We", "  english: We", 21, 3, "'english' is not a language code")]
    [InlineData("scenario: hacked-account", "scenario: hacked", 3, 11, "Unknown scenario type 'hacked'")]
    [InlineData("severity: high", "severity: urgent", 4, 11, "Unknown severity 'urgent'")]
    [InlineData("key: test", "key: Test Key", 1, 6, "'Test Key' is not a valid the playbook's key")]
    [InlineData("  - id: lock", "  - id: Lock It", 11, 9, "not a valid a step id")]
    [InlineData("title: Test playbook", "title: [a, b]", 2, 8, "'title' must be text, not a list")]
    [InlineData("steps:\n", "steps: none\nx:\n", 10, 8, "'steps' must be a list")]
    [InlineData("guidance:\n  - question: Delete?", "guidance:\n  - question: Delete?\n    extra: 1", 28, 5, "Unknown key 'extra' in guidance")]
    [InlineData("title: Test playbook", "title: Test playbook\ntitle: Again", 3, 1, "'title' is given twice")]
    [InlineData("  en: We", "  en: Hi\n  en: We", 22, 3, "given twice")]
    public void Parse_InvalidFile_ReportsWhereAndWhat(string find, string replace, int line, int column, string message)
    {
        var yaml = Valid.Replace(find, replace, StringComparison.Ordinal);
        Assert.NotEqual(Valid, yaml);

        var result = PlaybookYaml.Parse(yaml);

        Assert.Null(result.Playbook);
        Assert.Contains(result.Errors, e => e.Line == line && e.Column == column && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_TextTooLong_SaysTheLimit()
    {
        var yaml = Valid.Replace("en: We are looking into it, {brand}.", "en: " + new string('a', 2_001), StringComparison.Ordinal);

        var error = Assert.Single(PlaybookYaml.Parse(yaml).Errors);

        Assert.Equal((21, 7), (error.Line, error.Column));
        Assert.Contains("2,001 characters; at most 2,000", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("key: test\ntitle: \"unclosed\nscenario: x\n", 2)]
    [InlineData("key: test\n  title: indented wrong\n", 2)]
    [InlineData("key: [a, b\n", 2)]
    [InlineData("", 1)]
    [InlineData("- just\n- a list\n", 1)]
    [InlineData("key: a\n---\nkey: b\n", 2)]
    [InlineData("key: &a test\ntitle: *a\n", 2)]
    public void Parse_MalformedYaml_ReportsPositionWithoutThrowing(string yaml, int line)
    {
        var result = PlaybookYaml.Parse(yaml);

        Assert.Null(result.Playbook);
        Assert.Contains(result.Errors, e => e.Line == line && e.Column >= 1 && e.Message.Length > 10);
    }

    [Fact]
    public void Parse_SeveralProblems_ListsThemAllInFileOrder()
    {
        var yaml = Valid.Replace("severity: high", "severity: urgent", StringComparison.Ordinal)
            .Replace("owner: lead", "owner: boss", StringComparison.Ordinal)
            .Replace("steps: [post]", "steps: [nope]", StringComparison.Ordinal);

        var errors = PlaybookYaml.Parse(yaml).Errors;

        Assert.Equal([4, 13, 25], errors.Select(e => e.Line));
    }

    [Fact]
    public void Shipped_LibraryCoversEveryScenario_AndEveryPlaybookValidates()
    {
        Assert.True(ShippedPlaybooks.List.Count >= 9);
        Assert.Equal(PlaybookVocabulary.Scenarios.Order(), ShippedPlaybooks.List.Select(p => p.Playbook.Scenario).Distinct().Order());
        foreach (var shipped in ShippedPlaybooks.List)
        {
            Assert.Empty(PlaybookYaml.Parse(shipped.Yaml).Errors);
            var p = shipped.Playbook;
            Assert.True(p.Steps.Count >= 8, $"{p.Key}: a real playbook has more than {p.Steps.Count} steps");
            Assert.All(p.Steps, s => Assert.NotNull(s.Owner));
            foreach (var language in new[] { "en", "es", "fr", "de", "ar", "pt" })
            {
                Assert.Contains(p.HoldingStatements, s => s.Language == language);
            }

            Assert.NotEmpty(p.Approvals);
            Assert.NotEmpty(p.Guidance);
            Assert.NotEmpty(p.Triggers);
        }
    }

    [Fact]
    public void Write_EveryShippedPlaybook_ParsesBackToTheSameModel()
    {
        foreach (var shipped in ShippedPlaybooks.List)
        {
            var written = PlaybookYaml.Write(shipped.Playbook);
            var again = PlaybookYaml.Parse(written);

            Assert.True(again.IsValid, shipped.Playbook.Key + ": " + string.Join("; ", again.Errors));
            Assert.Equal(Json(shipped.Playbook), Json(again.Playbook!));
            Assert.Equal(written, PlaybookYaml.Write(again.Playbook!));
        }
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("12")]
    [InlineData("a: b")]
    [InlineData("say \"hi\" # not a comment")]
    [InlineData("- dash first")]
    [InlineData("{brand} first")]
    [InlineData("trailing colon:")]
    [InlineData("tab\there")]
    [InlineData("ends with space ")]
    public void Write_AwkwardText_ParsesBackUnchanged(string title)
    {
        var playbook = PlaybookYaml.Parse(Valid).Playbook! with { Title = title.Trim() };

        var again = PlaybookYaml.Parse(PlaybookYaml.Write(playbook));

        Assert.Equal(title.Trim(), again.Playbook?.Title);
    }

    [Fact]
    public void Markdown_IsAChecklistWithOwnersDeadlinesAndStatements()
    {
        var markdown = PlaybookMarkdown.Write(PlaybookYaml.Parse(Valid).Playbook!);

        Assert.Contains("- [ ] **Lock the account** — owner: lead · due: 15 min", markdown, StringComparison.Ordinal);
        Assert.Contains("- [ ] **Post the statement** — owner: spokesperson · due: 1 h · approval: approver", markdown, StringComparison.Ordinal);
        Assert.Contains("> We are looking into it, {brand}.", markdown, StringComparison.Ordinal);
        Assert.Contains("| Public statements | approver | `post` |", markdown, StringComparison.Ordinal);
    }

    private static string Json(Playbook playbook) => JsonSerializer.Serialize(playbook);
}
