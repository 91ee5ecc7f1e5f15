namespace Firebreak.Core.Ingestion;

/// <summary>Why one item was not accepted. Index is 0-based within the request or file (not the internal batch); Line is 1-based in a file or NDJSON body.</summary>
public sealed record IngestRejection(int Index, string Field, string Reason, long? Line = null, string? ExternalId = null);
