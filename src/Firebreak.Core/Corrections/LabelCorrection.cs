namespace Firebreak.Core.Corrections;

/// <summary>
/// A person's correction of a label on a mention. The text is kept as it was when corrected, so a
/// workspace model can be retrained on it even if the mention is later edited.
/// </summary>
public sealed record LabelCorrection(long Id, long WorkspaceId, long MentionId, string Task, string Label, string Text, string Language, string? CorrectedBy, DateTimeOffset CreatedAt);

/// <summary>The label tasks users can correct, with their labels (the same names the models use).</summary>
public static class LabelTasks
{
    public static IReadOnlyDictionary<string, string[]> Labels { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["sentiment"] = ["negative", "neutral", "positive"],
        ["offensive"] = ["not-offensive", "offensive"],
        ["hate"] = ["not-hate", "hate"],
        ["emotion"] = ["anger", "joy", "optimism", "sadness"],
    };
}

public interface ICorrectionStore
{
    Task<LabelCorrection> AddAsync(long workspaceId, long mentionId, string task, string label, string text, string language, string? correctedBy, CancellationToken cancellationToken);

    Task<IReadOnlyList<LabelCorrection>> ListAsync(long workspaceId, string? task, CancellationToken cancellationToken);
}

/// <summary>Applies a corrected label to the stored mention (and, for sentiment, moves its rollups).</summary>
public interface IMentionLabelWriter
{
    /// <returns>False when the mention does not exist in the workspace.</returns>
    Task<bool> ApplyLabelAsync(long workspaceId, long mentionId, string task, string label, CancellationToken cancellationToken);
}
