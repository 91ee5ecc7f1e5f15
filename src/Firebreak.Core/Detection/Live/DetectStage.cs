namespace Firebreak.Core.Detection.Live;

using Firebreak.Core.Ingestion;

/// <summary>
/// The pipeline stage after persist: hands every stored mention to the live detectors. It only tallies and
/// updates detector state in memory (microseconds a mention); judging closed minutes and alerting happen on
/// the detection service's timer, never on the ingest path.
/// </summary>
public sealed class DetectStage(LiveDetector detector) : IIngestStage
{
    public string Name => "detect";

    public ValueTask ProcessAsync(IReadOnlyList<IngestBatch> batches, CancellationToken cancellationToken)
    {
        foreach (var batch in batches)
        {
            foreach (var item in batch.Items)
            {
                if (item.Mention is { } mention)
                {
                    detector.Observe(mention, item.TopicIds, item.Outcome);
                }
            }
        }

        return ValueTask.CompletedTask;
    }
}
