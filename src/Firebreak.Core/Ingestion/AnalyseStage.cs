namespace Firebreak.Core.Ingestion;

using Firebreak.Core.Analysis;
using Firebreak.Core.Mentions;

/// <summary>Analyse: hands the batch's mentions to the configured analyser in one call.</summary>
public sealed class AnalyseStage(IMentionAnalyser analyser) : IIngestStage
{
    private Mention[] buffer = new Mention[1024];

    public string Name => "analyse";

    public ValueTask ProcessAsync(IReadOnlyList<IngestBatch> batches, CancellationToken cancellationToken)
    {
        var count = 0;
        foreach (var batch in batches)
        {
            foreach (var item in batch.Items)
            {
                if (item.Outcome == IngestOutcome.Pending && item.Mention is { } mention)
                {
                    if (count == buffer.Length)
                    {
                        Array.Resize(ref buffer, buffer.Length * 2);
                    }

                    buffer[count++] = mention;
                }
            }
        }

        analyser.Analyse(buffer.AsSpan(0, count));
        Array.Clear(buffer, 0, count);
        return ValueTask.CompletedTask;
    }
}
