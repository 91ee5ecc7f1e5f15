using System.Numerics;

namespace Firebreak.Core.Detection.Items;

/// <summary>
/// Four ascending thresholds, one per severity (Low, Medium, High, Critical), as both detectors' options state
/// them. Shared so that both read and check them the same way.
/// </summary>
internal static class SeverityLadder
{
    /// <summary>How many steps <paramref name="value"/> reaches (0 to 4); the steps are scaled by <paramref name="scale"/>.</summary>
    public static int Level<T>(double value, IReadOnlyList<T> steps, double scale = 1)
        where T : INumber<T>
    {
        var level = 0;
        while (level < 4 && value >= double.CreateChecked(steps[level]) * scale)
        {
            level++;
        }

        return level;
    }

    /// <summary>Throws unless there are exactly four steps, none below <paramref name="min"/>, none lower than the one before.</summary>
    public static void Validate<T>(IReadOnlyList<T> steps, T min, string name)
        where T : INumber<T>
    {
        ArgumentNullException.ThrowIfNull(steps, name);
        if (steps.Count != 4)
        {
            throw new ArgumentException("needs one step per severity (Low, Medium, High, Critical)", name);
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(steps[0], min, name);
        for (var i = 1; i < steps.Count; i++)
        {
            if (steps[i] < steps[i - 1])
            {
                throw new ArgumentException("steps must not decrease", name);
            }
        }
    }
}
