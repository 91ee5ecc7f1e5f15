namespace Firebreak.Core.Ingestion;

/// <summary>Normalise: validates each input and builds the domain mention, rejecting with field and reason.</summary>
public sealed class NormaliseStage(MentionNormaliser normaliser) : IIngestStage
{
    public string Name => "normalise";

    public ValueTask ProcessAsync(IReadOnlyList<IngestBatch> batches, CancellationToken cancellationToken)
    {
        foreach (var batch in batches)
        {
            foreach (var item in batch.Items)
            {
                if (item.Outcome != IngestOutcome.Pending)
                {
                    continue;
                }

                if (item.Input is null)
                {
                    batch.Reject(item, "$", "empty item");
                    continue;
                }

                if (normaliser.TryNormalise(batch.WorkspaceId, item.Input, item.RawPayload, out var mention, out var error))
                {
                    item.Mention = mention;
                }
                else
                {
                    batch.Reject(item, error.Field, error.Reason);
                }
            }
        }

        return ValueTask.CompletedTask;
    }
}
