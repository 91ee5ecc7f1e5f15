namespace Firebreak.Core.RiskCues;

/// <summary>
/// A named crisis signal ("refund", "data breach") written as a topic query, so users express
/// inflections, hashtags and other languages the way they already write topics.
/// </summary>
public sealed record RiskCue(string Name, string Query, bool Enabled = true);

/// <summary>Per-workspace cue lists; a workspace that never saved one uses <see cref="DefaultRiskCues.All"/>.</summary>
public interface IRiskCueStore
{
    /// <summary>The workspace's saved list, or null when it uses the defaults.</summary>
    Task<IReadOnlyList<RiskCue>?> GetAsync(long workspaceId, CancellationToken cancellationToken);

    /// <summary>Replaces the workspace's list; null restores the defaults.</summary>
    Task SetAsync(long workspaceId, IReadOnlyList<RiskCue>? cues, CancellationToken cancellationToken);
}
