namespace Firebreak.Core.Incidents;

/// <summary>What a timeline entry records. Stored by name, so reordering never changes stored meaning.</summary>
public enum TimelineKind
{
    Declared = 1,
    AlertLinked = 2,
    SeverityChanged = 3,
    StatusChanged = 4,
    Updated = 5,
    RolesChanged = 6,
    TaskCreated = 7,
    TaskDone = 8,
    TaskUpdated = 9,

    /// <summary>Free text by a person.</summary>
    Note = 10,

    /// <summary>A decision with its reason (the decision tools come later; the kind exists so entries made now keep their meaning).</summary>
    Decision = 11,

    /// <summary>A linked alert grew in severity, was acknowledged or resolved.</summary>
    AlertMilestone = 12,

    /// <summary>A playbook was applied: its steps became tasks.</summary>
    PlaybookApplied = 13,

    /// <summary>A reply to a mention was composed, approved, or retried (the inbox). Numbered apart from the kinds above so parallel additions do not collide.</summary>
    Reply = 40,

    /// <summary>Scheduled publishing was paused or resumed (the pause switch), or event mode began or ended.</summary>
    Publishing = 41,

    /// <summary>A drill's role-play prompt or scenario milestone (only in drill incidents).</summary>
    Drill = 42,
}

/// <summary>An entry before it is stored (the store gives it an id).</summary>
/// <param name="At">When.</param>
/// <param name="Actor">Who (or the system).</param>
/// <param name="Kind">What.</param>
/// <param name="Text">A sentence a person can read (people's notes verbatim).</param>
/// <param name="Data">Optional JSON with the facts behind the sentence (ids, before/after).</param>
public sealed record TimelineDraft(DateTimeOffset At, IncidentActor Actor, TimelineKind Kind, string Text, string? Data = null);

/// <summary>One entry of an incident's timeline. Append-only: the store has no way to change or remove one.</summary>
public sealed record TimelineEntry(long Id, long IncidentId, DateTimeOffset At, IncidentActor Actor, TimelineKind Kind, string Text, string? Data);

/// <summary>A page of the timeline, newest first; <see cref="NextBefore"/> asks for the older entries.</summary>
public sealed record TimelinePage(IReadOnlyList<TimelineEntry> Entries, long? NextBefore);
