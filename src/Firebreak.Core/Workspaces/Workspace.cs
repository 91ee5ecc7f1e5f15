namespace Firebreak.Core.Workspaces;

using Firebreak.Core.Mentions;

/// <summary>A brand or client. Every other record belongs to exactly one workspace.</summary>
public sealed record Workspace(long Id, string Slug, string Name, string TimeZone, DateTimeOffset CreatedAt);

/// <summary>Where mentions come from: a platform plus an account, a search query or a feed URL.</summary>
public sealed record Source(long Id, long WorkspaceId, Platform Platform, SourceKind Kind, string Target, string? Name, bool Enabled, DateTimeOffset CreatedAt);

public enum SourceKind
{
    Account,
    Query,
    Feed,
}
