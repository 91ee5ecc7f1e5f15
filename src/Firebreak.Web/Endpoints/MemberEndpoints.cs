namespace Firebreak.Web.Endpoints;

using Firebreak.Core.Security;
using Firebreak.Web.Auth;
using Firebreak.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

public sealed record AddMemberRequest(string? Email, string? Role);

public sealed record RoleRequest(string? Role);

public sealed record MemberDto(long AccountId, string Email, string DisplayName, string Role, bool TwoFactorEnabled, bool Invited);

public sealed record AddedMemberDto(MemberDto Member, string? InvitationUrl);

public sealed record WorkspaceSecurityDto(bool RequireTwoFactor);

public sealed record AuditEntryDto(long Sequence, DateTimeOffset At, long? ActorId, string ActorName, long? WorkspaceId, string Action, string Target, string Detail, string? ClientIp);

/// <summary>Members of a workspace, its security settings, and the audit log.</summary>
public static class MemberEndpoints
{
    public static RouteGroupBuilder MapMemberEndpoints(this RouteGroupBuilder api)
    {
        var ws = api.MapGroup("/workspaces/{workspace}");
        var members = ws.MapGroup("/members").WithTags("Members");
        members.MapGet("/", ListAsync).WithName("ListMembers").RequireWorkspaceRole(WorkspaceRole.Admin);
        members.MapPost("/", AddAsync).WithName("AddMember").RequireWorkspaceRole(WorkspaceRole.Admin).SkipAudit()
            .WithSummary("Adds a member by e-mail; an address without an account gets an invitation link to set a password.");
        members.MapPut("/{accountId:long}", ChangeRoleAsync).WithName("ChangeMemberRole").RequireWorkspaceRole(WorkspaceRole.Admin).SkipAudit();
        members.MapDelete("/{accountId:long}", RemoveAsync).WithName("RemoveMember").RequireWorkspaceRole(WorkspaceRole.Admin).SkipAudit();
        ws.MapGet("/security", GetSecurityAsync).WithName("GetWorkspaceSecurity").WithTags("Members").RequireWorkspaceRole(WorkspaceRole.Admin);
        ws.MapPut("/security", SetSecurityAsync).WithName("SetWorkspaceSecurity").WithTags("Members").RequireWorkspaceRole(WorkspaceRole.Admin).SkipAudit();
        ws.MapGet("/audit", WorkspaceAuditAsync).WithName("WorkspaceAudit").WithTags("Audit").RequireWorkspaceRole(WorkspaceRole.Admin)
            .WithSummary("The workspace's audit entries, newest first; page with ?before=<sequence>.");
        api.MapGet("/audit", AllAuditAsync).WithName("InstanceAudit").WithTags("Audit").RequireAccount(instanceAdmin: true);
        api.MapGet("/audit/verify", VerifyAsync).WithName("VerifyAudit").WithTags("Audit").RequireAccount(instanceAdmin: true)
            .WithSummary("Checks the whole hash chain and reports the first entry that was altered, removed or re-chained.");
        return api;
    }

    public static async Task<Ok<MemberDto[]>> ListAsync(HttpContext http, AccountService service, CancellationToken ct) =>
        TypedResults.Ok((await service.ListMembersAsync(Workspace(http).Id, ct)).Select(ToDto).ToArray());

    public static async Task<Results<Created<AddedMemberDto>, ProblemHttpResult>> AddAsync(string workspace, AddMemberRequest request, HttpContext http, AccountService service, CancellationToken ct)
    {
        if (!TryRole(request.Role, out var role))
        {
            return BadRole();
        }

        var added = await service.AddMemberAsync(http.Actor(), Workspace(http).Id, request.Email ?? string.Empty, role, ct);
        if (added.Outcome != MemberOutcome.Done)
        {
            return TypedResults.Problem(statusCode: added.Outcome == MemberOutcome.NotAllowed ? StatusCodes.Status403Forbidden : StatusCodes.Status400BadRequest, title: "Member not added", detail: added.Problem);
        }

        var link = added.InvitationToken is { } token ? $"{http.Request.Scheme}://{http.Request.Host}/invite?token={token}" : null;
        return TypedResults.Created($"/api/workspaces/{workspace}/members/{added.Member!.AccountId}", new AddedMemberDto(ToDto(added.Member), link));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> ChangeRoleAsync(long accountId, RoleRequest request, HttpContext http, AccountService service, CancellationToken ct) =>
        !TryRole(request.Role, out var role) ? BadRole() : Answer(await service.ChangeRoleAsync(http.Actor(), Workspace(http).Id, accountId, role, ct), accountId);

    public static async Task<Results<NoContent, ProblemHttpResult>> RemoveAsync(long accountId, HttpContext http, AccountService service, CancellationToken ct) =>
        Answer(await service.RemoveMemberAsync(http.Actor(), Workspace(http).Id, accountId, ct), accountId);

    public static async Task<Ok<WorkspaceSecurityDto>> GetSecurityAsync(HttpContext http, IAccountStore accounts, CancellationToken ct) =>
        TypedResults.Ok(new WorkspaceSecurityDto(await accounts.RequiresTwoFactorAsync(Workspace(http).Id, ct)));

    public static async Task<Results<Ok<WorkspaceSecurityDto>, ProblemHttpResult>> SetSecurityAsync(WorkspaceSecurityDto request, HttpContext http, AccountService service, CancellationToken ct)
    {
        // Whoever turns the rule on must already comply, or they would lock themselves out of the setting.
        if (request.RequireTwoFactor && !http.User.HasTwoFactor())
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Turn on two-factor first", detail: "Turn on two-factor authentication for your own account before requiring it of the workspace.");
        }

        await service.SetRequireTwoFactorAsync(http.Actor(), Workspace(http).Id, request.RequireTwoFactor, ct);
        return TypedResults.Ok(request);
    }

    public static async Task<Ok<AuditEntryDto[]>> WorkspaceAuditAsync(HttpContext http, IAuditStore audit, long? before, int? limit, CancellationToken ct) =>
        TypedResults.Ok((await audit.ListAsync(Workspace(http).Id, before, limit ?? 100, ct)).Select(ToDto).ToArray());

    public static async Task<Ok<AuditEntryDto[]>> AllAuditAsync(IAuditStore audit, long? before, int? limit, CancellationToken ct) =>
        TypedResults.Ok((await audit.ListAsync(null, before, limit ?? 100, ct)).Select(ToDto).ToArray());

    public static async Task<Ok<AuditVerification>> VerifyAsync(IAuditStore audit, CancellationToken ct) => TypedResults.Ok(await audit.VerifyAsync(ct));

    private static Core.Workspaces.Workspace Workspace(HttpContext http) => (Core.Workspaces.Workspace)http.Items[AccessMiddleware.WorkspaceItem]!;

    private static bool TryRole(string? text, out WorkspaceRole role) =>
        Enum.TryParse(text, ignoreCase: true, out role) && Enum.IsDefined(role) && !int.TryParse(text, out _);

    private static ProblemHttpResult BadRole() =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid role", detail: "Use one of viewer, responder, manager, admin, owner.");

    private static Results<NoContent, ProblemHttpResult> Answer(MemberOutcome outcome, long accountId) => outcome switch
    {
        MemberOutcome.Done => TypedResults.NoContent(),
        MemberOutcome.NotFound => Problems.NotFound("Member", accountId),
        MemberOutcome.OwnRole => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not your own role", detail: "Nobody changes their own role; ask another owner or admin."),
        MemberOutcome.LastOwner => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Last owner", detail: "A workspace keeps at least one owner: make someone else owner first."),
        MemberOutcome.NotAllowed => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed", detail: "Only an owner grants Owner or manages admins and owners."),
        _ => BadRole(),
    };

    private static MemberDto ToDto(Member m) => new(m.AccountId, m.Email, m.DisplayName, m.Role.ToString().ToLowerInvariant(), m.TwoFactorEnabled, !m.HasPassword);

    private static AuditEntryDto ToDto(AuditEntry e) => new(e.Sequence, e.At, e.ActorId, e.ActorName, e.WorkspaceId, e.Action, e.Target, e.Detail, e.ClientIp);
}
