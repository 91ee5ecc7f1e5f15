namespace Firebreak.Core.Ingestion;

/// <summary>
/// The store's bulk write path (SQLite embedded; PostgreSQL later). For each pending item it upserts on
/// (workspace, platform, external id), keeps the previous version when the text changed, records topic
/// matches and applies rollup deltas — all in one transaction per call, so a crash leaves either all of a
/// group or none of it. It sets each item's <see cref="IngestItem.Outcome"/> and the mention's id.
/// </summary>
public interface IMentionWriter
{
    ValueTask WriteAsync(IReadOnlyList<IngestBatch> batches, CancellationToken cancellationToken);
}

/// <summary>Persist + roll up: one transaction for the whole group of batches.</summary>
public sealed class PersistStage(IMentionWriter writer) : IIngestStage
{
    public string Name => "persist";

    public ValueTask ProcessAsync(IReadOnlyList<IngestBatch> batches, CancellationToken cancellationToken) =>
        writer.WriteAsync(batches, cancellationToken);
}
