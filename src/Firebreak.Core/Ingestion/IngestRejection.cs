namespace Firebreak.Core.Ingestion;

/// <summary>Why one item of a batch was not accepted. Index is 0-based within the batch; Line is 1-based in a file.</summary>
public sealed record IngestRejection(int Index, string Field, string Reason, long? Line = null, string? ExternalId = null);
