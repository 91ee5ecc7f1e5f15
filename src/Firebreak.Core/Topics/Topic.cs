namespace Firebreak.Core.Topics;

/// <summary>A named boolean query over a workspace's mentions (see docs/query-language.md).</summary>
public sealed record Topic(long Id, long WorkspaceId, string Name, string Query, bool Enabled, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
