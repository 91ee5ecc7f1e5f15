namespace Firebreak.Core.Ingestion;

using Firebreak.Core.Analysis;
using Firebreak.Core.Mentions;

/// <summary>Analyse: hands each batch's pending mentions to the configured analyser in one call.</summary>
public sealed class AnalyseStage(IMentionAnalyser analyser) : IIngestStage
{
    private Mention[] buffer = new Mention[1024];

    public string Name => "analyse";

    public async ValueTask ProcessAsync(IReadOnlyList<IngestBatch> batches, CancellationToken cancellationToken)
    {
        foreach (var batch in batches)
        {
            var count = 0;
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

            if (count == 0)
            {
                continue;
            }

            await analyser.PrepareAsync(batch.WorkspaceId, cancellationToken).ConfigureAwait(false);
            analyser.Analyse(buffer.AsSpan(0, count));
            Array.Clear(buffer, 0, count);
        }
    }
}
