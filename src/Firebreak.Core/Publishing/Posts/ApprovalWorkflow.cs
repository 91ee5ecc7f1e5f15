namespace Firebreak.Core.Publishing.Posts;

using Firebreak.Core.Security;

/// <summary>Whether one approver of a step is enough, or every one of them must approve.</summary>
public enum ApprovalQuorum
{
    Any = 1,
    All = 2,
}

/// <summary>
/// One step: "any/all of role R" (members holding R or above) or "any/all of these people". The author never counts
/// among a step's approvers, so "all of role Manager" means every Manager except the author.
/// </summary>
public sealed record ApprovalStep(ApprovalQuorum Quorum, WorkspaceRole? Role, IReadOnlyList<long> People)
{
    public static ApprovalStep AnyOf(WorkspaceRole role) => new(ApprovalQuorum.Any, role, []);

    public static ApprovalStep AllOf(WorkspaceRole role) => new(ApprovalQuorum.All, role, []);

    public static ApprovalStep AnyOf(params long[] people) => new(ApprovalQuorum.Any, null, people);

    public static ApprovalStep AllOf(params long[] people) => new(ApprovalQuorum.All, null, people);

    public string Describe() =>
        (Quorum == ApprovalQuorum.Any ? "any " : "all ") + (Role is { } role ? $"{role}s" : $"of {People.Count} named people");
}

/// <summary>A workspace's approval steps, taken in order.</summary>
public sealed record ApprovalWorkflow(IReadOnlyList<ApprovalStep> Steps)
{
    public const int MaxSteps = 10;
    public const int MaxPeople = 50;

    /// <summary>Until a Manager configures one: any Manager (or above) other than the author approves.</summary>
    public static ApprovalWorkflow Default { get; } = new([ApprovalStep.AnyOf(WorkspaceRole.Manager)]);

    public IEnumerable<PostIssue> Validate()
    {
        if (Steps.Count is 0 or > MaxSteps)
        {
            yield return new PostIssue("steps", $"needs 1 to {MaxSteps} steps");
        }

        for (var i = 0; i < Steps.Count; i++)
        {
            var step = Steps[i];
            if (step.Role is null == (step.People.Count == 0))
            {
                yield return new PostIssue($"steps[{i}]", "names either a role or people, not both and not neither");
            }

            if (step.People.Count > MaxPeople)
            {
                yield return new PostIssue($"steps[{i}].people", $"has {step.People.Count} people; at most {MaxPeople}");
            }
        }
    }
}

/// <summary>Why someone may not approve (null in <see cref="ApprovalDecision.Refusal"/> when they may).</summary>
public enum ApprovalRefusal
{
    NotInReview = 1,
    OwnPost = 2,
    NotAnApprover = 3,
    AlreadyApproved = 4,
    StepCannotComplete = 5,
}

public sealed record ApprovalDecision(ApprovalRefusal? Refusal, int Step, string Message)
{
    public bool Allowed => Refusal is null;
}

/// <summary>Where a post stands against the workflow: the first step not yet complete (or Steps.Count when all are).</summary>
public sealed record ApprovalProgress(int CurrentStep, bool Complete, IReadOnlyList<long> Waiting, string Summary);

/// <summary>
/// The approval rules, pure so they can be tested as tables: steps complete in order; an approval counts for the
/// current revision only (an edit resets them); nobody approves their own post, not even an owner; each person
/// approves a revision once.
/// </summary>
public static class ApprovalRules
{
    /// <summary>Who can approve <paramref name="step"/> for a post by <paramref name="authorId"/>: eligible members minus the author.</summary>
    public static IReadOnlyList<long> Eligible(ApprovalStep step, long? authorId, IReadOnlyList<Member> members) =>
        (step.Role is { } role
            ? members.Where(m => m.Role >= role).Select(m => m.AccountId)
            : step.People.Where(p => members.Any(m => m.AccountId == p)))
        .Where(id => id != authorId)
        .Distinct()
        .ToList();

    public static ApprovalProgress Progress(ApprovalWorkflow workflow, Post post, IReadOnlyList<Member> members)
    {
        var approvals = post.CurrentApprovals.ToList();
        for (var i = 0; i < workflow.Steps.Count; i++)
        {
            var step = workflow.Steps[i];
            var eligible = Eligible(step, post.AuthorId, members);
            var approved = approvals.Where(a => a.Step == i).Select(a => a.AccountId).ToHashSet();
            var done = step.Quorum == ApprovalQuorum.Any
                ? approved.Count > 0
                : eligible.Count > 0 && eligible.All(approved.Contains);
            if (!done)
            {
                var waiting = eligible.Where(e => !approved.Contains(e)).ToList();
                var summary = eligible.Count == 0
                    ? $"step {i + 1} of {workflow.Steps.Count} ({step.Describe()}) has nobody who may approve it; change the workflow"
                    : $"step {i + 1} of {workflow.Steps.Count}: waiting for {step.Describe()}";
                return new ApprovalProgress(i, false, waiting, summary);
            }
        }

        return new ApprovalProgress(workflow.Steps.Count, true, [], "approved");
    }

    public static ApprovalDecision CanApprove(ApprovalWorkflow workflow, Post post, long approverId, IReadOnlyList<Member> members)
    {
        if (post.State != PostState.InReview)
        {
            return new(ApprovalRefusal.NotInReview, -1, $"the post is {post.State}, not in review; submit it for review first");
        }

        if (post.AuthorId == approverId)
        {
            return new(ApprovalRefusal.OwnPost, -1, "nobody approves their own post; ask another member named by the workflow");
        }

        var progress = Progress(workflow, post, members);
        if (progress.Complete)
        {
            return new(ApprovalRefusal.AlreadyApproved, progress.CurrentStep, "every step is already approved");
        }

        var step = workflow.Steps[progress.CurrentStep];
        var eligible = Eligible(step, post.AuthorId, members);
        if (eligible.Count == 0)
        {
            return new(ApprovalRefusal.StepCannotComplete, progress.CurrentStep, progress.Summary);
        }

        if (post.CurrentApprovals.Any(a => a.AccountId == approverId && a.Step == progress.CurrentStep))
        {
            return new(ApprovalRefusal.AlreadyApproved, progress.CurrentStep, "you already approved this step of this revision");
        }

        return eligible.Contains(approverId)
            ? new(null, progress.CurrentStep, $"approves step {progress.CurrentStep + 1}")
            : new(ApprovalRefusal.NotAnApprover, progress.CurrentStep, $"step {progress.CurrentStep + 1} needs {step.Describe()}; you are not one of them");
    }
}
