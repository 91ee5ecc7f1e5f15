namespace Firebreak.Core.Drills;

using System.Globalization;
using Firebreak.Core.Incidents;
using Firebreak.Core.Incidents.Review;

/// <summary>One part of a drill's score: the measured value, the target, the points it earned out of its weight, and why.</summary>
/// <param name="Applies">False when it could not be measured for a reason that is not the team's (no prompt fired yet): left out of the total.</param>
public sealed record DrillScoreComponent(string Key, string Label, double? Value, string Unit, double? Target, double Points, double Weight, bool Applies, string Why);

/// <summary>A drill's score out of 100 and how it was reached.</summary>
public sealed record DrillScore(int Total, IReadOnlyList<DrillScoreComponent> Components, long? IncidentId, DateTimeOffset ScoredAt);

/// <summary>The targets a drill is scored against (wall-clock minutes; the team works in real time even when the stream is compressed).</summary>
public sealed record DrillTargets(double DetectMinutes = 2, double AcknowledgeMinutes = 5, double FirstResponseMinutes = 15);

/// <summary>What the scorer reads: the review's figures (the same ReviewCalculator timings) plus what only a drill knows.</summary>
/// <param name="FirstAlertAt">The first alert opened in the sandbox after the burst (linked or not).</param>
/// <param name="Answered">Keys of the fired prompts the team replied to.</param>
/// <param name="PausedAt">The first pause of publishing in the sandbox that counts for the scenario's key decision (null: never).</param>
public sealed record DrillScoreInput(
    Drill Drill,
    long? IncidentId,
    ReviewFigures? Figures,
    IReadOnlyList<IncidentTask> Tasks,
    DateTimeOffset? FirstAlertAt,
    IReadOnlySet<string> Answered,
    DateTimeOffset Now,
    DateTimeOffset? PausedAt = null);

/// <summary>
/// Scores a drill, pure. Each timing earns its full weight at or under target and nothing at three times the target or
/// when it never happened, linearly between; tasks and prompts earn their share done. Weights: detect 15, acknowledge 20,
/// first public response 25, tasks on time 20, prompts answered 20, and, only for a scenario with a key decision (hacked
/// account, national tragedy), the key decision 20: publishing paused within its target of the burst, timed like the rest.
/// It weighs as much as tasks because in those stories it is the move that stops the harm (scam posts, cheerful posts)
/// while everything else is still being organised. Parts that do not apply are left out and the rest scaled to 100, so a
/// drill ended before any prompt fired is not marked down for it, and the airline drills score exactly as before.
/// </summary>
public static class DrillScorer
{
    public static DrillScore Score(DrillScoreInput input, DrillTargets targets)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(targets);
        var f = input.Figures;
        var detect = input.FirstAlertAt is { } alertAt ? Math.Max(0, (alertAt - input.Drill.BurstAt).TotalMinutes) : (double?)null;
        var components = new List<DrillScoreComponent>
        {
            Timed("detect", "Time to detect", detect, targets.DetectMinutes, 15,
                detect is null ? "no alert was raised in the sandbox after the burst" : "burst start → first alert opened in the sandbox"),
            Timed("acknowledge", "Time to acknowledge", f?.TimeToAcknowledge?.TotalMinutes, targets.AcknowledgeMinutes, 20,
                f?.AlertOpenedAt is null ? "the incident has no linked alert (declare it from the alert)"
                : f.AcknowledgedAt is null ? "the linked alert was never acknowledged" : "first linked alert opened → acknowledged (review figure)"),
            Timed("firstResponse", "Time to first public response", f?.TimeToFirstResponse?.TotalMinutes, targets.FirstResponseMinutes, 25,
                input.IncidentId is null ? "no incident was declared in the sandbox"
                : f?.FirstResponseAt is null ? "no public response (holding statement done or a public-response decision)" : $"declaration → {f.FirstResponse} (review figure)"),
            Tasks(input.Tasks, input.IncidentId is not null),
            Prompts(input.Drill.Injects, input.Answered),
        };
        if (DrillScenarios.Find(input.Drill.Scenario)?.KeyDecision is { } decision)
        {
            components.Add(KeyDecision(decision, input.PausedAt, input.Drill.BurstAt));
        }

        var applicable = components.Where(c => c.Applies).ToList();
        var weight = applicable.Sum(c => c.Weight);
        var total = weight == 0 ? 0 : (int)Math.Round(applicable.Sum(c => c.Points) / weight * 100, MidpointRounding.AwayFromZero);
        return new DrillScore(total, components, input.IncidentId, input.Now);
    }

    /// <summary>Full weight at or under target, none at 3× target or when missing, linear between.</summary>
    public static double TimedPoints(double? minutes, double target, double weight) =>
        minutes is not { } m ? 0
        : m <= target ? weight
        : m >= 3 * target ? 0
        : Math.Round(weight * (3 * target - m) / (2 * target), 1);

    private static DrillScoreComponent Timed(string key, string label, double? minutes, double target, double weight, string why)
    {
        var points = TimedPoints(minutes, target, weight);
        var verdict = minutes is not { } m ? why
            : $"{why}: {Minutes(m)} against a {Minutes(target)} target{(m <= target ? " (met)" : m >= 3 * target ? " (3× over: no points)" : string.Empty)}";
        return new(key, label, minutes is { } v ? Math.Round(v, 2) : null, "minutes", target, points, weight, true, verdict);
    }

    /// <summary>A pause before the burst counts as at once (the team saw it coming).</summary>
    private static DrillScoreComponent KeyDecision(DrillKeyDecision decision, DateTimeOffset? pausedAt, DateTimeOffset burstAt)
    {
        var minutes = pausedAt is { } at ? Math.Max(0, (at - burstAt).TotalMinutes) : (double?)null;
        var what = decision.AnyScope ? "publishing was paused (all platforms or the hacked one)" : "all publishing was paused (the whole workspace)";
        return Timed("keyDecision", "Key decision: " + decision.Label, minutes, decision.TargetMinutes, 20,
            minutes is null ? $"publishing was never paused in the sandbox: the scheduled posts kept going out" : $"burst start → {what}");
    }

    private static DrillScoreComponent Tasks(IReadOnlyList<IncidentTask> tasks, bool declared)
    {
        const double weight = 20;
        if (tasks.Count == 0)
        {
            return new("tasks", "Playbook tasks done on time", 0, "tasks", null, 0, weight, true,
                declared ? "no tasks: apply the playbook in the sandbox's incident" : "no incident was declared in the sandbox");
        }

        var onTime = tasks.Count(t => t.State == IncidentTaskState.Done && (t.DueAt is null || t.DoneAt <= t.DueAt));
        return new("tasks", "Playbook tasks done on time", onTime, "tasks", tasks.Count, Math.Round(weight * onTime / tasks.Count, 1), weight, true,
            $"{onTime} of {tasks.Count} tasks done by their due time");
    }

    private static DrillScoreComponent Prompts(IReadOnlyList<FiredInject> fired, IReadOnlySet<string> answered)
    {
        const double weight = 20;
        if (fired.Count == 0)
        {
            return new("prompts", "Role-play prompts answered", null, "prompts", null, 0, weight, false, "no prompt had arrived yet: left out of the score");
        }

        var count = fired.Count(i => answered.Contains(i.Key));
        var missed = fired.Where(i => !answered.Contains(i.Key)).Select(i => i.Title).ToList();
        return new("prompts", "Role-play prompts answered", count, "prompts", fired.Count, Math.Round(weight * count / fired.Count, 1), weight, true,
            $"{count} of {fired.Count} prompts answered{(missed.Count > 0 ? "; unanswered: " + string.Join(", ", missed) : string.Empty)}");
    }

    private static string Minutes(double minutes) =>
        minutes < 1 ? $"{(minutes * 60).ToString("0", CultureInfo.InvariantCulture)} s" : $"{minutes.ToString("0.#", CultureInfo.InvariantCulture)} min";
}
