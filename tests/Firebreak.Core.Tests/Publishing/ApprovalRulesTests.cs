namespace Firebreak.Core.Tests.Publishing;

using Firebreak.Core.Mentions;
using Firebreak.Core.Publishing.Posts;
using Firebreak.Core.Security;

/// <summary>The approval rules as a table: a workflow, who wrote the post, who already approved, who tries now, and what must happen.</summary>
public sealed class ApprovalRulesTests
{
    // 1 Olga owner, 2 Ada admin, 3 Max and 4 Mia managers, 5 Rui and 6 Rae responders, 7 Vic viewer.
    private static readonly Member[] Members =
    [
        M(1, WorkspaceRole.Owner), M(2, WorkspaceRole.Admin), M(3, WorkspaceRole.Manager), M(4, WorkspaceRole.Manager),
        M(5, WorkspaceRole.Responder), M(6, WorkspaceRole.Responder), M(7, WorkspaceRole.Viewer),
    ];

    private static readonly ApprovalStep[] DefaultSteps = [.. ApprovalWorkflow.Default.Steps];
    private static readonly ApprovalStep[] AllManagers = [ApprovalStep.AllOf(WorkspaceRole.Manager)];
    private static readonly ApprovalStep[] TwoSteps = [ApprovalStep.AnyOf(WorkspaceRole.Manager), ApprovalStep.AnyOf(7L)];

    public static TheoryData<string, ApprovalStep[], long, (long Who, int Step, int Revision)[], long, ApprovalRefusal?, bool> Rows => new()
    {
        // name, steps, author, approvals so far (on revision 2 unless said), approver, refusal (null: allowed), complete after it
        { "a manager approves a responder's post", DefaultSteps, 5, [], 3, null, true },
        { "the owner counts as a manager", DefaultSteps, 5, [], 1, null, true },
        { "nobody approves their own post", DefaultSteps, 5, [], 5, ApprovalRefusal.OwnPost, false },
        { "not even the owner", DefaultSteps, 1, [], 1, ApprovalRefusal.OwnPost, false },
        { "a manager's own post needs another manager", DefaultSteps, 3, [], 3, ApprovalRefusal.OwnPost, false },
        { "another manager approves a manager's post", DefaultSteps, 3, [], 4, null, true },
        { "a responder is not a manager", DefaultSteps, 5, [], 6, ApprovalRefusal.NotAnApprover, false },
        { "a viewer is not a manager", DefaultSteps, 5, [], 7, ApprovalRefusal.NotAnApprover, false },
        { "any: the second approval finds the step done", DefaultSteps, 5, [(3, 0, 2)], 4, ApprovalRefusal.AlreadyApproved, true },
        { "an approval of an older revision no longer counts", DefaultSteps, 5, [(3, 0, 1)], 3, null, true },
        { "all managers: first of four", AllManagers, 5, [], 3, null, false },
        { "all managers: the last of four completes", AllManagers, 5, [(1, 0, 2), (2, 0, 2), (3, 0, 2)], 4, null, true },
        { "all managers: the author is left out of 'all'", AllManagers, 3, [(1, 0, 2), (2, 0, 2)], 4, null, true },
        { "all managers: approving twice", AllManagers, 5, [(3, 0, 2)], 3, ApprovalRefusal.AlreadyApproved, false },
        { "all managers: an old revision's approvals are reset", AllManagers, 5, [(1, 0, 1), (2, 0, 1), (3, 0, 1)], 4, null, false },
        { "named person who is a responder", [ApprovalStep.AnyOf(6L)], 5, [], 6, null, true },
        { "named person who is only a viewer (legal)", [ApprovalStep.AnyOf(6L, 7L)], 5, [], 7, null, true },
        { "a manager not named", [ApprovalStep.AnyOf(6L)], 5, [], 3, ApprovalRefusal.NotAnApprover, false },
        { "the owner not named", [ApprovalStep.AnyOf(6L)], 5, [], 1, ApprovalRefusal.NotAnApprover, false },
        { "all named: the second completes", [ApprovalStep.AllOf(6L, 7L)], 5, [(6, 0, 2)], 7, null, true },
        { "all named: the first does not", [ApprovalStep.AllOf(6L, 7L)], 5, [], 7, null, false },
        { "all named: the author among them is left out", [ApprovalStep.AllOf(5L, 6L)], 5, [], 6, null, true },
        { "all named: only the author named, nobody may approve", [ApprovalStep.AllOf(5L)], 5, [], 3, ApprovalRefusal.StepCannotComplete, false },
        { "named people who are not members", [ApprovalStep.AnyOf(99L)], 5, [], 3, ApprovalRefusal.StepCannotComplete, false },
        { "two steps: the second step's person waits for the first", TwoSteps, 5, [], 7, ApprovalRefusal.NotAnApprover, false },
        { "two steps: first step by a manager", TwoSteps, 5, [], 3, null, false },
        { "two steps: second step by the named person", TwoSteps, 5, [(3, 0, 2)], 7, null, true },
        { "two steps: the first step's manager is not named in the second", TwoSteps, 5, [(3, 0, 2)], 3, ApprovalRefusal.NotAnApprover, false },
        { "two steps: another manager cannot do step two", TwoSteps, 5, [(3, 0, 2)], 4, ApprovalRefusal.NotAnApprover, false },
        { "two steps: an edit resets both", TwoSteps, 5, [(3, 0, 1), (7, 1, 1)], 7, ApprovalRefusal.NotAnApprover, false },
        { "two steps: the named person wrote it, so step two cannot complete", TwoSteps, 7, [(3, 0, 2)], 4, ApprovalRefusal.StepCannotComplete, false },
        { "all admins (and above): the owner and the admin", [ApprovalStep.AllOf(WorkspaceRole.Admin)], 5, [(1, 0, 2)], 2, null, true },
        { "all admins: a manager is below", [ApprovalStep.AllOf(WorkspaceRole.Admin)], 5, [], 3, ApprovalRefusal.NotAnApprover, false },
        { "everything approved already", TwoSteps, 5, [(3, 0, 2), (7, 1, 2)], 4, ApprovalRefusal.AlreadyApproved, true },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Decides(string name, ApprovalStep[] steps, long author, (long Who, int Step, int Revision)[] approvals, long approver, ApprovalRefusal? refusal, bool completeAfter)
    {
        var workflow = new ApprovalWorkflow(steps);
        var post = Post(author, PostState.InReview, approvals);
        var decision = ApprovalRules.CanApprove(workflow, post, approver, Members);
        Assert.True(refusal == decision.Refusal, $"{name}: expected {refusal?.ToString() ?? "allowed"}, got {decision.Refusal?.ToString() ?? "allowed"} ({decision.Message})");
        var after = decision.Allowed
            ? post with { Approvals = [.. post.Approvals, new PostApproval(approver, "x", decision.Step, post.Revision, DateTimeOffset.UnixEpoch)] }
            : post;
        Assert.True(completeAfter == ApprovalRules.Progress(workflow, after, Members).Complete, $"{name}: complete should be {completeAfter}");
    }

    [Theory]
    [InlineData(PostState.Draft)]
    [InlineData(PostState.Approved)]
    [InlineData(PostState.Scheduled)]
    [InlineData(PostState.Sent)]
    [InlineData(PostState.ReturnedForReview)]
    public void OnlyAPostInReviewIsApproved(PostState state) =>
        Assert.Equal(ApprovalRefusal.NotInReview, ApprovalRules.CanApprove(ApprovalWorkflow.Default, Post(5, state, []), 3, Members).Refusal);

    [Fact]
    public void ProgressNamesWhoIsWaited()
    {
        var progress = ApprovalRules.Progress(new ApprovalWorkflow(AllManagers), Post(3, PostState.InReview, [(1, 0, 2)]), Members);
        Assert.False(progress.Complete);
        Assert.Equal([2L, 4L], progress.Waiting);
        Assert.Contains("step 1 of 1", progress.Summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "steps")]
    [InlineData(11, "steps")]
    public void AWorkflowNeedsOneToTenSteps(int count, string field) =>
        Assert.Contains(new ApprovalWorkflow([.. Enumerable.Repeat(ApprovalStep.AnyOf(WorkspaceRole.Manager), count)]).Validate(), i => i.Field == field);

    [Fact]
    public void AStepNamesARoleOrPeopleNotBoth()
    {
        Assert.Contains(new ApprovalWorkflow([new ApprovalStep(ApprovalQuorum.Any, WorkspaceRole.Manager, [3])]).Validate(), i => i.Field == "steps[0]");
        Assert.Contains(new ApprovalWorkflow([new ApprovalStep(ApprovalQuorum.Any, null, [])]).Validate(), i => i.Field == "steps[0]");
        Assert.Empty(new ApprovalWorkflow(TwoSteps).Validate());
    }

    private static Post Post(long author, PostState state, (long Who, int Step, int Revision)[] approvals) => new()
    {
        Id = 1,
        WorkspaceId = 1,
        Platform = Platform.Mastodon,
        Text = "Hello",
        AuthorId = author,
        AuthorName = "author",
        State = state,
        Revision = 2,
        Approvals = [.. approvals.Select(a => new PostApproval(a.Who, $"#{a.Who}", a.Step, a.Revision, DateTimeOffset.UnixEpoch))],
    };

    private static Member M(long id, WorkspaceRole role) => new(id, $"{id}@example.com", $"member {id}", role, false, true);
}
