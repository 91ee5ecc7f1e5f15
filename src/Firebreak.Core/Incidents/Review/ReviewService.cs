namespace Firebreak.Core.Incidents.Review;

using Firebreak.Core.Alerts;
using Firebreak.Core.Mentions;

public enum ReviewSaveStatus
{
    Saved = 1,
    NotFound = 2,
    Conflict = 3,
}

public sealed record ReviewSaveResult(ReviewSaveStatus Status, ReviewText? Text);

/// <summary>Gathers what <see cref="ReviewCalculator"/> needs and stores what people write.</summary>
public sealed class ReviewService(IIncidentStore incidents, IAlertStore alerts, ISeriesReader series, IReviewStore reviews, TimeProvider clock)
{
    public const int MaxText = 20_000;
    public const int MaxItems = 100;
    private const int Page = 500;

    /// <summary>The review of an incident of the workspace, figures computed now; null when there is no such incident.</summary>
    public async Task<IncidentReview?> BuildAsync(long workspaceId, long incidentId, CancellationToken cancellationToken)
    {
        if (await incidents.GetAsync(workspaceId, incidentId, cancellationToken).ConfigureAwait(false) is not { } incident)
        {
            return null;
        }

        var timeline = new List<TimelineEntry>();
        long? before = null;
        do
        {
            var page = await incidents.ListTimelineAsync(incidentId, before, Page, cancellationToken).ConfigureAwait(false);
            timeline.AddRange(page.Entries);
            before = page.NextBefore;
        }
        while (before is not null);
        timeline.Reverse();

        var tasks = await incidents.ListTasksAsync(incidentId, cancellationToken).ConfigureAwait(false);
        var linked = new List<Alert>();
        foreach (var alertId in incident.AlertIds)
        {
            if (await alerts.GetAsync(workspaceId, alertId, cancellationToken).ConfigureAwait(false) is { } alert)
            {
                linked.Add(alert);
            }
        }

        var now = clock.GetUtcNow();
        var (from, _, to) = ReviewCalculator.Range(incident, now);
        var points = new List<SeriesPoint>();
        IReadOnlyList<long> topics = incident.TopicIds.Count == 0 ? [0L] : incident.TopicIds;
        foreach (var topic in topics)
        {
            var read = await series.ReadAsync(workspaceId, topic, SeriesInterval.Hour, from, to, SeriesBreakdown.None, cancellationToken).ConfigureAwait(false);
            points.AddRange(read.Points);
        }

        var figures = ReviewCalculator.Compute(new ReviewInput(incident, timeline, tasks, linked, points, now));
        var text = await reviews.GetAsync(incidentId, cancellationToken).ConfigureAwait(false) ?? new ReviewText();
        return new IncidentReview(incident, figures, text, timeline, tasks);
    }

    /// <summary>
    /// Makes the review's open action items tasks of the incident (see <see cref="ReviewActionTasks.Plan"/>); returns the
    /// tasks created (none when all already are), or null when there is no such incident.
    /// </summary>
    public async Task<IReadOnlyList<IncidentTask>?> CreateActionTasksAsync(long workspaceId, long incidentId, IReadOnlyList<Security.Member> members, IncidentActor actor, CancellationToken cancellationToken)
    {
        if (await incidents.GetAsync(workspaceId, incidentId, cancellationToken).ConfigureAwait(false) is null)
        {
            return null;
        }

        var text = await reviews.GetAsync(incidentId, cancellationToken).ConfigureAwait(false) ?? new ReviewText();
        var existing = await incidents.ListTasksAsync(incidentId, cancellationToken).ConfigureAwait(false);
        var drafts = ReviewActionTasks.Plan(text.ActionItems, existing, members);
        return drafts.Count == 0 ? [] : await incidents.AddTasksAsync(incidentId, drafts, actor, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Saves the text fields if nobody saved since <paramref name="version"/>.</summary>
    public async Task<ReviewSaveResult> SaveAsync(long workspaceId, long incidentId, ReviewText text, long version, string by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (await incidents.GetAsync(workspaceId, incidentId, cancellationToken).ConfigureAwait(false) is null)
        {
            return new ReviewSaveResult(ReviewSaveStatus.NotFound, null);
        }

        var saved = await reviews.SaveAsync(workspaceId, incidentId, text with { UpdatedBy = by, UpdatedAt = clock.GetUtcNow() }, version, cancellationToken).ConfigureAwait(false);
        return saved is null
            ? new ReviewSaveResult(ReviewSaveStatus.Conflict, await reviews.GetAsync(incidentId, cancellationToken).ConfigureAwait(false))
            : new ReviewSaveResult(ReviewSaveStatus.Saved, saved);
    }
}
