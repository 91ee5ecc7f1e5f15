namespace Firebreak.Core.Ingestion;

using Firebreak.Core.Mentions;

/// <summary>
/// Dedupe: within a batch only the last delivery of a (platform, external id) goes on, so the store sees
/// one write per key. Duplicates across batches are resolved by the store's natural-key upsert, which is
/// the only place that can be authoritative after a crash.
/// </summary>
public sealed class DedupeStage : IIngestStage
{
    private readonly Dictionary<(Platform, string), IngestItem> latest = [];

    public string Name => "dedupe";

    public ValueTask ProcessAsync(IReadOnlyList<IngestBatch> batches, CancellationToken cancellationToken)
    {
        foreach (var batch in batches)
        {
            latest.Clear();
            foreach (var item in batch.Items)
            {
                if (item.Mention is not { } mention || item.Outcome != IngestOutcome.Pending)
                {
                    continue;
                }

                var key = (mention.Platform, mention.ExternalId);
                if (latest.TryGetValue(key, out var earlier))
                {
                    earlier.Outcome = IngestOutcome.Superseded;
                }

                latest[key] = item;
            }
        }

        latest.Clear();
        return ValueTask.CompletedTask;
    }
}
