namespace Firebreak.Core.Security;

/// <summary>What happened, by whom, before it is chained.</summary>
public sealed record AuditRecord(long? ActorId, string ActorName, long? WorkspaceId, string Action, string Target, string Detail, string? ClientIp);

/// <summary>
/// One entry of the append-only audit log. <see cref="Hash"/> is HMAC-SHA256(key, previous hash ‖ canonical entry), so an
/// edit, a deletion or a re-ordering breaks the chain, and re-chaining needs the server's key.
/// </summary>
public sealed record AuditEntry(long Sequence, DateTimeOffset At, long? ActorId, string ActorName, long? WorkspaceId, string Action, string Target, string Detail, string? ClientIp, string Hash);

/// <summary>The outcome of checking the chain: how many entries were read and the first one that does not fit.</summary>
public sealed record AuditVerification(long Checked, long? FirstBroken, string? Problem)
{
    public bool Intact => FirstBroken is null;
}
