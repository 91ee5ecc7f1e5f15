namespace Firebreak.Core.Analysis;

using Firebreak.Core.Mentions;

/// <summary>
/// The seam where text intelligence plugs into ingestion. The analyse stage calls it one batch at a time,
/// on one thread, and every mention of a batch belongs to one workspace: first <see cref="PrepareAsync"/>
/// (load that workspace's cues or model, usually cached), then <see cref="Analyse"/> (synchronous, so an
/// implementation can keep reusable scratch buffers). It sets <see cref="Mention.Analysis"/> and, when
/// the platform gave none, <see cref="Mention.Language"/>.
/// </summary>
public interface IMentionAnalyser
{
    /// <summary>Name and model version, stored with every result so a label can be traced.</summary>
    string Name { get; }

    ValueTask PrepareAsync(long workspaceId, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    void Analyse(ReadOnlySpan<Mention> mentions);
}

/// <summary>Leaves mentions unanalysed (sentiment Unknown). Used when analysis is switched off.</summary>
public sealed class NoAnalysis : IMentionAnalyser
{
    public string Name => "none";

    public void Analyse(ReadOnlySpan<Mention> mentions)
    {
    }
}
