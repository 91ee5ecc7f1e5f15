namespace Firebreak.Core.Incidents.Review;

using System.Security.Cryptography;
using System.Text;
using Firebreak.Core.Security;

/// <summary>
/// Turns a review's open action items into the incident's tasks, so the lessons are followed up where the team already
/// looks (the room's checklist) instead of being left in a document. Pure; the service stores what it plans.
/// </summary>
public static class ReviewActionTasks
{
    /// <summary>Step ids of tasks made from action items start with this; the rest is a hash of the item's text.</summary>
    public const string StepPrefix = "review/";

    /// <summary>Task titles are at most this long (the incident API's limit).</summary>
    public const int MaxTitle = 200;

    /// <summary>
    /// The tasks to create: one per action item that is not done and not already a task (same text → same step id, so
    /// pressing the button twice, or after editing other items, creates nothing twice). The owner is the member whose
    /// display name or e-mail is the item's owner (case-insensitive, a leading @ ignored); otherwise the task has none
    /// and its title keeps the owner's name.
    /// </summary>
    public static IReadOnlyList<TaskDraft> Plan(IReadOnlyList<ReviewActionItem> items, IReadOnlyList<IncidentTask> existing, IReadOnlyList<Member> members)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(existing);
        ArgumentNullException.ThrowIfNull(members);
        var taken = existing.Select(t => t.StepId).Where(s => s is not null).ToHashSet(StringComparer.Ordinal);
        var drafts = new List<TaskDraft>();
        foreach (var item in items)
        {
            var stepId = StepId(item.Text);
            if (item.Done || string.IsNullOrWhiteSpace(item.Text) || !taken.Add(stepId))
            {
                continue;
            }

            var owner = FindOwner(item.Owner, members);
            var title = owner is null && !string.IsNullOrWhiteSpace(item.Owner) ? $"{item.Text.Trim()} ({item.Owner.Trim()})" : item.Text.Trim();
            drafts.Add(new TaskDraft(Shorten(title), null, item.DueAt, stepId) { OwnerId = owner?.AccountId });
        }

        return drafts;
    }

    /// <summary>The step id of an action item: stable for the same text whatever its position or owner.</summary>
    public static string StepId(string text)
    {
        var normal = string.Join(' ', (text ?? string.Empty).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToUpperInvariant();
        return StepPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normal)))[..16];
    }

    private static Member? FindOwner(string? owner, IReadOnlyList<Member> members)
    {
        var name = owner?.Trim().TrimStart('@');
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }

        var matches = members.Where(m => string.Equals(m.DisplayName.Trim(), name, StringComparison.OrdinalIgnoreCase)
            || string.Equals(m.Email, name, StringComparison.OrdinalIgnoreCase)).Take(2).ToList();

        // Two members with the same name: guessing would hand the task to the wrong person, so nobody is assigned.
        return matches.Count == 1 ? matches[0] : null;
    }

    private static string Shorten(string title)
    {
        if (title.Length <= MaxTitle)
        {
            return title;
        }

        // Cut on a text element boundary so an emoji or an accented letter is never split.
        var cut = 0;
        var elements = System.Globalization.StringInfo.GetTextElementEnumerator(title);
        while (elements.MoveNext() && elements.ElementIndex + elements.GetTextElement().Length <= MaxTitle - 1)
        {
            cut = elements.ElementIndex + elements.GetTextElement().Length;
        }

        return title[..cut] + "…";
    }
}
