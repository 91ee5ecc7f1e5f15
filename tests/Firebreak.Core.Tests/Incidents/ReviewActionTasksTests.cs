namespace Firebreak.Core.Tests.Incidents;

using Firebreak.Core.Incidents;
using Firebreak.Core.Incidents.Review;
using Firebreak.Core.Security;

public sealed class ReviewActionTasksTests
{
    private static readonly Member[] Members =
    [
        new(11, "priya@acme.test", "Priya", WorkspaceRole.Manager, false, true),
        new(12, "sam@acme.test", "Sam Okafor", WorkspaceRole.Responder, false, true),
        new(13, "alex.one@acme.test", "Alex", WorkspaceRole.Responder, false, true),
        new(14, "alex.two@acme.test", "Alex", WorkspaceRole.Viewer, false, true),
    ];

    public static TheoryData<string, string?, bool, string, long?> Rows => new()
    {
        // text, owner, done → title, owner id
        { "Brief gate staff on escalation", "Priya", false, "Brief gate staff on escalation", 11 },
        { "Rewrite the holding line", "@sam okafor", false, "Rewrite the holding line", 12 },
        { "Add refunds to the FAQ", "SAM@ACME.TEST", false, "Add refunds to the FAQ", 12 },
        { "Call the lounge partner", "Ravi", false, "Call the lounge partner (Ravi)", null },       // not a member: the name stays in the title
        { "Agree a rota for nights", "Alex", false, "Agree a rota for nights (Alex)", null },       // two Alexes: nobody is guessed
        { "  Update the  playbook  ", null, false, "Update the  playbook", null },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Plan_OneOpenItem_TitleAndOwnerAsTheTableSays(string text, string? owner, bool done, string title, long? ownerId)
    {
        var draft = Assert.Single(ReviewActionTasks.Plan([new ReviewActionItem(text, owner, null, done)], [], Members));

        Assert.Equal((title, ownerId, ReviewActionTasks.StepId(text)), (draft.Title, draft.OwnerId, draft.StepId));
    }

    [Fact]
    public void Plan_DoneItemsBlankItemsAndItemsAlreadyTasks_AreSkipped_SameTextTwiceOnce()
    {
        var due = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
        ReviewActionItem[] items =
        [
            new("Done already", "Priya", null, Done: true),
            new("   ", "Priya"),
            new("Was made a task last time", "Priya"),
            new("New lesson", "Sam Okafor", due),
            new("new   LESSON", "Priya"),
        ];
        IncidentTask[] existing = [new() { Id = 1, Title = "Was made a task last time", StepId = ReviewActionTasks.StepId("was made a task  last time") }];

        var drafts = ReviewActionTasks.Plan(items, existing, Members);

        var only = Assert.Single(drafts);
        Assert.Equal(("New lesson", 12L, due), (only.Title, only.OwnerId!.Value, only.DueAt!.Value));
    }

    [Fact]
    public void Plan_LongTextWithEmoji_CutOnATextElementWithinTheTitleLimit()
    {
        var text = new string('a', 198) + "👩‍👩‍👧" + " more";

        var title = Assert.Single(ReviewActionTasks.Plan([new ReviewActionItem(text, null)], [], Members)).Title;

        Assert.True(title.Length <= ReviewActionTasks.MaxTitle, title.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(new string('a', 198) + "…", title);
    }
}
