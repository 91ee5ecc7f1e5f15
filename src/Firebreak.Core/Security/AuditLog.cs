namespace Firebreak.Core.Security;

/// <summary>Appends to the audit log. A failure to audit is logged by the caller, never swallowed silently.</summary>
public sealed class AuditLog(IAuditStore store)
{
    public Task<AuditEntry> RecordAsync(Actor actor, long? workspaceId, string action, string target, object? detail = null, CancellationToken cancellationToken = default) =>
        store.AppendAsync(
            new AuditRecord(actor.AccountId, actor.Name, workspaceId, action, target, detail is null ? "{}" : System.Text.Json.JsonSerializer.Serialize(detail), actor.ClientIp),
            cancellationToken);
}
