namespace Firebreak.Core.Inbox;

using Firebreak.Core.Incidents;
using Firebreak.Core.Mentions;

/// <summary>Someone answering a mention. Expires unless renewed, so a person who walked away never blocks it for long.</summary>
public sealed record MentionClaim(long WorkspaceId, long MentionId, long IncidentId, long AccountId, string Name, DateTimeOffset ClaimedAt, DateTimeOffset ExpiresAt)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    public bool IsActive(DateTimeOffset now) => ExpiresAt > now;
}

/// <summary>The claim asked for (<see cref="Won"/>), or the other person's active claim that stood in the way.</summary>
public sealed record ClaimResult(bool Won, MentionClaim Claim);

/// <summary>Where a reply is. No platform connector sends yet: queued replies wait for one (the connectors issue).</summary>
public enum ReplyState
{
    /// <summary>The incident has an approver: someone other than the author approves before it is queued.</summary>
    PendingApproval = 1,
    Queued = 2,
    Sent = 3,
    Failed = 4,

    /// <summary>Composed in a drill sandbox: kept as the team's answer, never sent (<see cref="Drills.IDrillSandboxes"/>).</summary>
    Drill = 5,
}

/// <summary>A reply in the outbox.</summary>
public sealed record OutboxReply
{
    public long Id { get; init; }

    public long WorkspaceId { get; init; }

    public long IncidentId { get; init; }

    public long MentionId { get; init; }

    public Platform Platform { get; init; }

    public string Text { get; init; } = string.Empty;

    public long? TemplateId { get; init; }

    public IncidentActor Author { get; init; } = IncidentActor.System;

    public bool NeedsApproval { get; init; }

    public IncidentActor? ApprovedBy { get; init; }

    public DateTimeOffset? ApprovedAt { get; init; }

    public ReplyState State { get; init; }

    /// <summary>The platform's error when it failed.</summary>
    public string? Error { get; init; }

    public int Attempts { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>How fast a workspace means to answer: high-risk mentions (<see cref="RiskScore.HighRisk"/>) and the rest.</summary>
public sealed record ResponseTargets(int HighRiskMinutes = 60, int OtherMinutes = 240)
{
    public TimeSpan For(RiskScore risk) => TimeSpan.FromMinutes(risk.IsHighRisk ? HighRiskMinutes : OtherMinutes);
}

/// <summary>Claims, templates, the replies outbox and response targets; one implementation for both providers.</summary>
public interface IInboxStore
{
    /// <summary>
    /// Takes the mention for <paramref name="claim"/>'s account when nobody else holds an active claim (renewing one's own);
    /// with <paramref name="force"/> (a manager assigning) it replaces whoever holds it. One statement, so of two people
    /// claiming at once exactly one wins and the other gets the winner's claim.
    /// </summary>
    Task<ClaimResult> ClaimAsync(MentionClaim claim, bool force, CancellationToken cancellationToken);

    /// <summary>Removes the claim; only <paramref name="accountId"/>'s unless null (anyone's). False when there was none.</summary>
    Task<bool> ReleaseAsync(long workspaceId, long mentionId, long? accountId, CancellationToken cancellationToken);

    Task<MentionClaim?> GetClaimAsync(long workspaceId, long mentionId, DateTimeOffset now, CancellationToken cancellationToken);

    Task<IReadOnlyList<MentionClaim>> ListClaimsAsync(long workspaceId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>By name then language. Seeds <see cref="ReplyTemplates.Shipped"/> while the workspace has none.</summary>
    Task<IReadOnlyList<ReplyTemplate>> ListTemplatesAsync(long workspaceId, DateTimeOffset now, CancellationToken cancellationToken);

    Task<ReplyTemplate?> GetTemplateAsync(long workspaceId, long id, CancellationToken cancellationToken);

    /// <summary>Creates or replaces the template with this name and language.</summary>
    Task<ReplyTemplate> SaveTemplateAsync(long workspaceId, string name, string language, string text, DateTimeOffset now, CancellationToken cancellationToken);

    Task<bool> DeleteTemplateAsync(long workspaceId, long id, CancellationToken cancellationToken);

    /// <summary>Stores the reply and its timeline entry in one transaction.</summary>
    Task<OutboxReply> AddReplyAsync(OutboxReply reply, TimelineDraft entry, CancellationToken cancellationToken);

    Task<OutboxReply?> GetReplyAsync(long workspaceId, long id, CancellationToken cancellationToken);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<OutboxReply>> ListRepliesAsync(long workspaceId, long incidentId, CancellationToken cancellationToken);

    /// <summary>Saves <paramref name="reply"/> if its stored state is still <paramref name="expected"/>, with the entry; null when it moved on.</summary>
    Task<OutboxReply?> UpdateReplyAsync(OutboxReply reply, ReplyState expected, TimelineDraft? entry, CancellationToken cancellationToken);

    Task<ResponseTargets> GetTargetsAsync(long workspaceId, CancellationToken cancellationToken);

    Task SetTargetsAsync(long workspaceId, ResponseTargets targets, CancellationToken cancellationToken);
}
