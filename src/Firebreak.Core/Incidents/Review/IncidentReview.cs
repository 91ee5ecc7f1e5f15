namespace Firebreak.Core.Incidents.Review;

/// <summary>Something to do after the incident, and who does it.</summary>
public sealed record ReviewActionItem(string Text, string? Owner, DateTimeOffset? DueAt = null, bool Done = false);

/// <summary>A change proposed to a playbook (by its key) in the light of what happened.</summary>
public sealed record ReviewPlaybookChange(string PlaybookKey, string Text);

/// <summary>
/// What people write in a post-incident review; one per incident. The figures are not stored: they are computed from
/// the timeline, the alerts and the series every time the review is read, so they never go stale.
/// </summary>
public sealed record ReviewText
{
    public string WentWell { get; init; } = string.Empty;

    public string WentBadly { get; init; } = string.Empty;

    public IReadOnlyList<ReviewActionItem> ActionItems { get; init; } = [];

    public IReadOnlyList<ReviewPlaybookChange> PlaybookChanges { get; init; } = [];

    /// <summary>0 while nothing was saved; every save increments it.</summary>
    public long Version { get; init; }

    public string? UpdatedBy { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }
}

/// <summary>A review as read: the incident, its computed figures, the text people wrote, and the timeline (oldest first).</summary>
public sealed record IncidentReview(Incident Incident, ReviewFigures Figures, ReviewText Text, IReadOnlyList<TimelineEntry> Timeline, IReadOnlyList<IncidentTask> Tasks);

/// <summary>Stored review text, one row per incident.</summary>
public interface IReviewStore
{
    Task<ReviewText?> GetAsync(long incidentId, CancellationToken cancellationToken);

    /// <summary>Saves if the stored version is still <paramref name="expectedVersion"/> (0: none stored yet); null when stale.</summary>
    Task<ReviewText?> SaveAsync(long workspaceId, long incidentId, ReviewText text, long expectedVersion, CancellationToken cancellationToken);
}
