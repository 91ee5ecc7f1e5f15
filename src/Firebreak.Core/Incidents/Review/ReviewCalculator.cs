namespace Firebreak.Core.Incidents.Review;

using System.Text.Json;
using Firebreak.Core.Alerts;
using Firebreak.Core.Mentions;

/// <summary>What the review is computed from: the incident, its whole timeline, its tasks, its linked alerts and the
/// hourly series of its topics summed (from 7 days before the window to the window's end).</summary>
public sealed record ReviewInput(
    Incident Incident,
    IReadOnlyList<TimelineEntry> Timeline,
    IReadOnlyList<IncidentTask> Tasks,
    IReadOnlyList<Alert> Alerts,
    IReadOnlyList<SeriesPoint> Hourly,
    DateTimeOffset Now);

/// <summary>One hour of the incident window, with the baseline it is compared to (null: no history for that hour).</summary>
public sealed record ReviewHour(DateTimeOffset Start, long Count, long Negative, double? Baseline);

/// <summary>The computed figures of a review. Durations are null when the thing never happened (or has no data).</summary>
public sealed record ReviewFigures
{
    public DateTimeOffset WindowStart { get; init; }

    public DateTimeOffset WindowEnd { get; init; }

    /// <summary>The first linked alert's first bucket: when the signal started.</summary>
    public DateTimeOffset? SignalAt { get; init; }

    public DateTimeOffset? AlertOpenedAt { get; init; }

    public DateTimeOffset? AcknowledgedAt { get; init; }

    public TimeSpan? TimeToDetect { get; init; }

    public TimeSpan? TimeToAcknowledge { get; init; }

    public DateTimeOffset? FirstResponseAt { get; init; }

    /// <summary>What counted as the first public response (a decision's text or a task's title).</summary>
    public string? FirstResponse { get; init; }

    public TimeSpan? TimeToFirstResponse { get; init; }

    public long PeakNegativePerHour { get; init; }

    public DateTimeOffset? PeakAt { get; init; }

    /// <summary>Negative share of the peak hour (0–1).</summary>
    public double? PeakNegativeShare { get; init; }

    /// <summary>Negative share over the whole window (0–1).</summary>
    public double? NegativeShare { get; init; }

    public DateTimeOffset? BaselineAt { get; init; }

    public TimeSpan? TimeToBaseline { get; init; }

    public int TasksDone { get; init; }

    public int TasksOpen { get; init; }

    public IReadOnlyList<ReviewHour> Hours { get; init; } = [];
}

/// <summary>
/// The post-incident figures, pure: the same input always gives the same figures. Rules:
/// <list type="bullet">
/// <item>Time to detect: the first linked alert (earliest opened) — its FirstBucketStart → its OpenedAt.</item>
/// <item>Time to acknowledge: that alert's OpenedAt → AcknowledgedAt.</item>
/// <item>Time to first public response: declaration → the earliest of (a) a decision entry whose data has
/// <c>"publicResponse": true</c> (the statement builder writes it; the API's notes accept <c>publicResponse</c>) and
/// (b) the done time of a task from a holding-statement step (step id ending in <c>/holding</c> or <c>/statement</c>).</item>
/// <item>Window: declaration − 2 h → resolution (or now while unresolved), whole hours.</item>
/// <item>Peak: the hour with the most negative mentions (the first one on a tie), and its negative share.</item>
/// <item>Baseline of an hour: the median negative count of the same UTC hour of day on the 7 days before the window.</item>
/// <item>Back to baseline: the first hour after the peak whose negative count is ≤ 1.5 × its baseline; the time is peak
/// hour start → that hour's start.</item>
/// </list>
/// </summary>
public static class ReviewCalculator
{
    public static readonly TimeSpan Lead = TimeSpan.FromHours(2);
    public static readonly TimeSpan BaselineDays = TimeSpan.FromDays(7);
    public const double BaselineFactor = 1.5;

    /// <summary>The hours the review reads: from the baseline's start to the window's end.</summary>
    public static (DateTimeOffset From, DateTimeOffset WindowStart, DateTimeOffset To) Range(Incident incident, DateTimeOffset now)
    {
        var start = FloorHour(incident.DeclaredAt - Lead);
        var end = incident.ResolvedAt ?? now;
        if (end < start)
        {
            end = start;
        }

        return (start - BaselineDays, start, CeilHour(end));
    }

    public static ReviewFigures Compute(ReviewInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var incident = input.Incident;
        var (from, windowStart, windowEnd) = Range(incident, input.Now);

        var first = input.Alerts.OrderBy(a => a.OpenedAt).ThenBy(a => a.Id).FirstOrDefault();
        var (responseAt, response) = FirstResponse(incident, input.Timeline, input.Tasks);

        var byHour = new Dictionary<DateTimeOffset, SeriesPoint>();
        foreach (var p in input.Hourly)
        {
            var h = FloorHour(p.Start);
            byHour[h] = byHour.TryGetValue(h, out var had)
                ? had with { Count = had.Count + p.Count, Negative = had.Negative + p.Negative }
                : p with { Start = h };
        }

        var hours = new List<ReviewHour>();
        for (var h = windowStart; h < windowEnd; h = h.AddHours(1))
        {
            var point = byHour.GetValueOrDefault(h);
            hours.Add(new ReviewHour(h, point?.Count ?? 0, point?.Negative ?? 0, Baseline(byHour, from, windowStart, h)));
        }

        ReviewHour? peak = null;
        foreach (var hour in hours)
        {
            if (hour.Negative > 0 && (peak is null || hour.Negative > peak.Negative))
            {
                peak = hour;
            }
        }

        ReviewHour? back = null;
        if (peak is not null)
        {
            back = hours.FirstOrDefault(h => h.Start > peak.Start && h.Baseline is { } b && h.Negative <= BaselineFactor * b);
        }

        var totalCount = hours.Sum(h => h.Count);
        return new ReviewFigures
        {
            WindowStart = windowStart,
            WindowEnd = windowEnd,
            SignalAt = first?.FirstBucketStart,
            AlertOpenedAt = first?.OpenedAt,
            AcknowledgedAt = first?.AcknowledgedAt,
            TimeToDetect = first is null ? null : NonNegative(first.OpenedAt - first.FirstBucketStart),
            TimeToAcknowledge = first?.AcknowledgedAt is { } ack ? NonNegative(ack - first.OpenedAt) : null,
            FirstResponseAt = responseAt,
            FirstResponse = response,
            TimeToFirstResponse = responseAt is { } at ? NonNegative(at - incident.DeclaredAt) : null,
            PeakNegativePerHour = peak?.Negative ?? 0,
            PeakAt = peak?.Start,
            PeakNegativeShare = peak is { Count: > 0 } ? (double)peak.Negative / peak.Count : null,
            NegativeShare = totalCount > 0 ? (double)hours.Sum(h => h.Negative) / totalCount : null,
            BaselineAt = back?.Start,
            TimeToBaseline = back is null ? null : back.Start - peak!.Start,
            TasksDone = input.Tasks.Count(t => t.State == IncidentTaskState.Done),
            TasksOpen = input.Tasks.Count(t => t.State == IncidentTaskState.Open),
            Hours = hours,
        };
    }

    /// <summary>A task from a playbook step that writes the first statement.</summary>
    public static bool IsHoldingStatementStep(string? stepId) =>
        stepId is not null && (stepId.EndsWith("/holding", StringComparison.Ordinal) || stepId.EndsWith("/statement", StringComparison.Ordinal));

    /// <summary>Whether a timeline entry is a decision marked as a public response.</summary>
    public static bool IsPublicResponse(TimelineEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Kind != TimelineKind.Decision || string.IsNullOrEmpty(entry.Data))
        {
            return false;
        }

        try
        {
            using var doc = JsonDocument.Parse(entry.Data);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("publicResponse", out var flag)
                && flag.ValueKind == JsonValueKind.True;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static (DateTimeOffset? At, string? What) FirstResponse(Incident incident, IReadOnlyList<TimelineEntry> timeline, IReadOnlyList<IncidentTask> tasks)
    {
        var candidates = timeline.Where(IsPublicResponse).Select(e => (At: e.At, What: e.Text))
            .Concat(tasks.Where(t => t.State == IncidentTaskState.Done && t.DoneAt is not null && IsHoldingStatementStep(t.StepId)).Select(t => (At: t.DoneAt!.Value, What: t.Title)))
            .Where(c => c.At >= incident.DeclaredAt)
            .OrderBy(c => c.At)
            .ToList();
        return candidates.Count == 0 ? (null, null) : (candidates[0].At, candidates[0].What);
    }

    private static double? Baseline(Dictionary<DateTimeOffset, SeriesPoint> byHour, DateTimeOffset from, DateTimeOffset windowStart, DateTimeOffset hour)
    {
        // The same UTC hour of day on the 7 days before the window: [from, windowStart) holds each hour of day 7 times.
        var values = new List<long>();
        for (var h = from; h < windowStart; h = h.AddHours(1))
        {
            if (h.Hour == hour.Hour)
            {
                values.Add(byHour.GetValueOrDefault(h)?.Negative ?? 0);
            }
        }

        if (values.Count == 0)
        {
            return null;
        }

        values.Sort();
        var mid = values.Count / 2;
        return values.Count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2.0;
    }

    private static TimeSpan NonNegative(TimeSpan span) => span < TimeSpan.Zero ? TimeSpan.Zero : span;

    public static DateTimeOffset FloorHour(DateTimeOffset t)
    {
        var utc = t.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }

    private static DateTimeOffset CeilHour(DateTimeOffset t)
    {
        var floor = FloorHour(t);
        return floor == t.ToUniversalTime() ? floor : floor.AddHours(1);
    }
}
