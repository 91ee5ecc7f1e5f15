namespace Firebreak.Core.Publishing.Scorecards;

/// <summary>What the team may write (goals, policy events): checked the same way by the API and the pages.</summary>
public static class ScorecardRules
{
    public const int MaxGoals = 100;
    public const int MaxTitle = 200;
    public const double MaxTarget = 1_000_000;

    /// <summary>Null when the goals can be saved, else what is wrong and where.</summary>
    public static (string Field, string Message)? CheckGoals(IReadOnlyList<ScorecardGoal> goals)
    {
        if (goals.Count > MaxGoals)
        {
            return ("goals", $"at most {MaxGoals} goals");
        }

        for (var i = 0; i < goals.Count; i++)
        {
            if (!double.IsFinite(goals[i].Target) || goals[i].Target < 0 || goals[i].Target > MaxTarget)
            {
                return ($"goals[{i}].target", $"a number from 0 to {MaxTarget:0}");
            }

            if (goals.Take(i).Any(g => g.Platform == goals[i].Platform && g.Metric == goals[i].Metric))
            {
                return ($"goals[{i}]", "the same platform and metric is set twice");
            }
        }

        return null;
    }

    /// <summary>Null when the event can be logged, else what is wrong and where.</summary>
    public static (string Field, string Message)? CheckEvent(string? title, DateTimeOffset at, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(title))
        {
            return ("title", "say what happened, e.g. \"account restricted\"");
        }

        if (title.Length > MaxTitle)
        {
            return ("title", $"at most {MaxTitle} characters");
        }

        if (title.Any(char.IsControl) || Posts.PlatformLimits.BrokenCharacterAt(title) >= 0)
        {
            return ("title", "no control characters or broken text");
        }

        return at > now.AddDays(1) ? ("at", "when it happened: not in the future") : null;
    }
}
