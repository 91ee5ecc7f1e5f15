namespace Firebreak.Core.Incidents;

using System.Text.Json.Nodes;
using Firebreak.Core.Playbooks;

/// <summary>What applying a playbook did: the tasks it created (steps already on the incident are skipped).</summary>
public sealed record PlaybookApplied(string Key, int Version, IReadOnlyList<IncidentTask> Created, int AlreadyThere);

/// <summary>
/// Applies a workspace's current version of a playbook to an incident: each step becomes a task owned by whoever holds
/// the step's role now, due at the incident's declaration plus the step's deadline (the clock started when the crisis
/// did, not when someone found the playbook). Applying again adds only the steps the incident does not have yet, so a
/// second press or a later edit of the playbook tops the checklist up instead of doubling it. (Two presses in the same
/// instant are not serialised and could both add; the timeline shows it, and a task can be marked done.)
/// </summary>
public sealed class PlaybookApplier(PlaybookLibrary playbooks, IncidentService incidents, TimeProvider clock)
{
    /// <summary>Null when the incident or the playbook does not exist in the workspace.</summary>
    public async Task<PlaybookApplied?> ApplyAsync(long workspaceId, long incidentId, string key, IncidentActor actor, CancellationToken cancellationToken)
    {
        if (await incidents.Store.GetAsync(workspaceId, incidentId, cancellationToken).ConfigureAwait(false) is not { } incident
            || await playbooks.GetAsync(workspaceId, key, cancellationToken).ConfigureAwait(false) is not { } current)
        {
            return null;
        }

        var existing = (await incidents.Store.ListTasksAsync(incidentId, cancellationToken).ConfigureAwait(false))
            .Select(t => t.StepId).Where(s => s is not null).ToHashSet(StringComparer.Ordinal);
        var plan = PlaybookPlan.For(current.Playbook, incident.DeclaredAt);
        var drafts = plan
            .Where(step => !existing.Contains(StepKey(key, step.StepId)))
            .Select(step => new TaskDraft(
                step.NeedsApproval ? $"{step.Title} (needs {step.ApproverRole ?? "an"} approval)" : step.Title,
                step.OwnerRole,
                step.DueAt,
                StepKey(key, step.StepId)))
            .ToList();
        var created = drafts.Count == 0
            ? []
            : await incidents.AddTasksAsync(workspaceId, incidentId, drafts, actor, cancellationToken).ConfigureAwait(false) ?? [];
        var data = new JsonObject { ["key"] = key, ["version"] = current.Version, ["created"] = created.Count, ["alreadyThere"] = plan.Count - drafts.Count };
        await incidents.Store.AppendAsync(
            incidentId,
            new TimelineDraft(clock.GetUtcNow(), actor, TimelineKind.PlaybookApplied, $"Playbook \"{current.Playbook.Title}\" (version {current.Version}) applied: {created.Count} tasks", data.ToJsonString()),
            cancellationToken).ConfigureAwait(false);
        return new PlaybookApplied(key, current.Version, created, plan.Count - drafts.Count);
    }

    /// <summary>Step ids are unique within a playbook only, so the task keeps which playbook they came from.</summary>
    public static string StepKey(string playbookKey, string stepId) => $"{playbookKey}/{stepId}";
}
