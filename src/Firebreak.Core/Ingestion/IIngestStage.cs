namespace Firebreak.Core.Ingestion;

/// <summary>
/// One step of the ingest pipeline. The runner hands a stage a group of batches (as many as are waiting,
/// up to its limit) so stages that talk to a store can write them in one transaction. A stage that
/// throws fails only the group it was given; the pipeline keeps running.
/// </summary>
public interface IIngestStage
{
    string Name { get; }

    ValueTask ProcessAsync(IReadOnlyList<IngestBatch> batches, CancellationToken cancellationToken);
}
