namespace Firebreak.Core.Detection.Nab;

/// <summary>
/// A NAB application profile: how much a detected window earns and what a missed window and a false
/// positive cost. The three are NAB's config/profiles.json.
/// </summary>
public sealed record NabProfile(string Name, double TruePositiveWeight, double FalseNegativeWeight, double FalsePositiveWeight)
{
    public static readonly NabProfile Standard = new("standard", 1, 1, 0.11);

    public static readonly NabProfile RewardLowFalsePositives = new("reward_low_FP_rate", 1, 1, 0.22);

    public static readonly NabProfile RewardLowFalseNegatives = new("reward_low_FN_rate", 1, 2, 0.11);

    public static IReadOnlyList<NabProfile> All { get; } = [Standard, RewardLowFalsePositives, RewardLowFalseNegatives];

    /// <summary>The profile of that NAB name, or null.</summary>
    public static NabProfile? Find(string name) => All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
}
