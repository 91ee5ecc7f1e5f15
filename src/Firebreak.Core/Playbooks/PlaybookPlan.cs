namespace Firebreak.Core.Playbooks;

/// <summary>A playbook step turned into a task of one incident, with its deadline on the clock.</summary>
public sealed record PlannedTask(string Title, string? OwnerRole, DateTimeOffset? DueAt, string StepId, bool NeedsApproval, string? ApproverRole);

/// <summary>Turns a playbook into an incident's task list. Pure: the same playbook and start give the same plan.</summary>
public static class PlaybookPlan
{
    /// <summary>One task per step, in step order; a step without a due time has no deadline.</summary>
    public static IReadOnlyList<PlannedTask> For(Playbook playbook, DateTimeOffset incidentStart)
    {
        ArgumentNullException.ThrowIfNull(playbook);
        var tasks = new PlannedTask[playbook.Steps.Count];
        for (var i = 0; i < tasks.Length; i++)
        {
            var step = playbook.Steps[i];
            tasks[i] = new PlannedTask(
                step.Title,
                step.Owner,
                step.DueAfterMinutes is { } minutes ? incidentStart.AddMinutes(minutes) : null,
                step.Id,
                step.NeedsApproval,
                step.ApprovalBy);
        }

        return tasks;
    }
}
