namespace Firebreak.Web.Endpoints;

using System.Text.Json.Nodes;
using Firebreak.Core.Incidents;

public sealed record IncidentActorDto(long? AccountId, string Name)
{
    public static IncidentActorDto From(IncidentActor a) => new(a.AccountId, a.Name);
}

public sealed record IncidentDto(
    long Id,
    string Title,
    string Type,
    IncidentSeverity Severity,
    IncidentStatus Status,
    IReadOnlyList<long> TopicIds,
    IReadOnlyList<string> Platforms,
    IReadOnlyList<long> AlertIds,
    IncidentActorDto DeclaredBy,
    DateTimeOffset DeclaredAt,
    DateTimeOffset? ResolvedAt,
    DateTimeOffset UpdatedAt,
    long Version)
{
    public static IncidentDto From(Incident i) => new(
        i.Id, i.Title, i.Type, i.Severity, i.Status, i.TopicIds, i.Platforms, i.AlertIds, IncidentActorDto.From(i.DeclaredBy), i.DeclaredAt, i.ResolvedAt, i.UpdatedAt, i.Version);
}

/// <param name="Name">The member's display name now; null when they are no longer a member.</param>
public sealed record IncidentRoleDto(IncidentRole Role, long AccountId, string? Name, DateTimeOffset AssignedAt);

public sealed record IncidentTaskDto(long Id, string Title, long? OwnerId, DateTimeOffset? DueAt, IncidentTaskState State, string? StepId, DateTimeOffset CreatedAt, DateTimeOffset? DoneAt, string? DoneBy, long Version)
{
    public static IncidentTaskDto From(IncidentTask t) => new(t.Id, t.Title, t.OwnerId, t.DueAt, t.State, t.StepId, t.CreatedAt, t.DoneAt, t.DoneBy, t.Version);
}

public sealed record IncidentDetailDto(IncidentDto Incident, IReadOnlyList<IncidentRoleDto> Roles, IReadOnlyList<IncidentTaskDto> Tasks);

public sealed record TimelineEntryDto(long Id, DateTimeOffset At, IncidentActorDto Actor, TimelineKind Kind, string Text, JsonNode? Data)
{
    public static TimelineEntryDto From(TimelineEntry e) => new(e.Id, e.At, IncidentActorDto.From(e.Actor), e.Kind, e.Text, e.Data is null ? null : JsonNode.Parse(e.Data));
}

public sealed record TimelinePageDto(IReadOnlyList<TimelineEntryDto> Items, long? NextBefore);

/// <param name="Severity">sev1 (worst) … sev4.</param>
/// <param name="Type">offensive-post, hacked-account, viral-complaint, product-safety, executive-misconduct, data-breach, platform-outage, national-tragedy, influencer-backlash or other.</param>
public sealed record DeclareIncidentRequest(string? Title, string? Type, string? Severity, IReadOnlyList<long>? TopicIds, IReadOnlyList<string>? Platforms);

/// <summary>Fields left out stay as they are. With a version, a stale one is refused (409) instead of applied on top.</summary>
public sealed record UpdateIncidentRequest(string? Title, string? Type, string? Severity, string? Status, IReadOnlyList<long>? TopicIds, IReadOnlyList<string>? Platforms, long? Version);

/// <summary>Everyone who holds the role from now on (empty: nobody). The lead is one person.</summary>
public sealed record IncidentRoleRequest(IReadOnlyList<long>? AccountIds);

/// <param name="Reason">Given: the entry is a decision with this reason; left out: a note.</param>
/// <param name="PublicResponse">With a reason: the decision is the brand speaking in public (counts as the review's first public response).</param>
public sealed record IncidentNoteRequest(string? Text, string? Reason, bool? PublicResponse = null);

/// <param name="OwnerRole">An incident role (e.g. spokesperson): the task goes to whoever holds it now. Or give OwnerId.</param>
public sealed record IncidentTaskRequest(string? Title, long? OwnerId, string? OwnerRole, DateTimeOffset? DueAt, string? StepId);

/// <summary>The whole new state of a task, from the version read (PUT). A stale version: 409 with the current task.</summary>
public sealed record IncidentTaskUpdateRequest(long? Version, string? Title, long? OwnerId, DateTimeOffset? DueAt, string? State);
