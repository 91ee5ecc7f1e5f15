namespace Firebreak.Core.Security;

/// <summary>The audit log's table: appends serialise, so each entry chains onto exactly one predecessor.</summary>
public interface IAuditStore
{
    Task<AuditEntry> AppendAsync(AuditRecord record, CancellationToken cancellationToken);

    /// <summary>Newest first, entries before <paramref name="beforeSequence"/>; a workspace's or all (null).</summary>
    Task<IReadOnlyList<AuditEntry>> ListAsync(long? workspaceId, long? beforeSequence, int limit, CancellationToken cancellationToken);

    /// <summary>Every entry in sequence order, read in pages.</summary>
    IAsyncEnumerable<AuditEntry> ReadAllAsync(CancellationToken cancellationToken);

    Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken);
}
