namespace Firebreak.Web.Auth;

using System.Security.Claims;
using Firebreak.Core.Security;
using Firebreak.Core.Workspaces;
using Firebreak.Web.Hosting;

/// <summary>A workspace a person belongs to, and their role in it.</summary>
public sealed record WorkspaceGrant(Workspace Workspace, WorkspaceRole Role);

/// <summary>
/// Answers "what may this signed-in person do in this workspace" for pages and endpoints alike, from the memberships
/// table at each call (so a changed role applies at once). A token restricted to one workspace sees only that one; a
/// token never exceeds its owner's current role, because the role is always its owner's membership.
/// </summary>
public sealed class WorkspaceAccess(WorkspaceResolver resolver, IWorkspaceStore workspaces, IAccountStore accounts)
{
    /// <summary>The person's role in the workspace with this slug, or null when they are not a member (or it does not exist).</summary>
    public async ValueTask<WorkspaceRole?> RoleAsync(ClaimsPrincipal user, string workspaceSlug, CancellationToken cancellationToken)
    {
        if (user.AccountId() is not { } accountId || await resolver.FindAsync(workspaceSlug, cancellationToken).ConfigureAwait(false) is not { } workspace)
        {
            return null;
        }

        return await RoleAsync(user, accountId, workspace, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every workspace the person belongs to, by name.</summary>
    public async ValueTask<IReadOnlyList<WorkspaceGrant>> WorkspacesAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (user.AccountId() is not { } accountId)
        {
            return [];
        }

        var roles = (await accounts.ListMembershipsAsync(accountId, cancellationToken).ConfigureAwait(false)).ToDictionary(m => m.WorkspaceId, m => m.Role);
        var restricted = user.TokenWorkspaceId();
        return [.. (await workspaces.ListAsync(cancellationToken).ConfigureAwait(false))
            .Where(w => roles.ContainsKey(w.Id) && (restricted is null || restricted == w.Id))
            .OrderBy(w => w.Name, StringComparer.CurrentCultureIgnoreCase)
            .Select(w => new WorkspaceGrant(w, roles[w.Id]))];
    }

    internal async ValueTask<WorkspaceRole?> RoleAsync(ClaimsPrincipal user, long accountId, Workspace workspace, CancellationToken cancellationToken)
    {
        if (user.TokenWorkspaceId() is { } restricted && restricted != workspace.Id)
        {
            return null;
        }

        return await accounts.GetRoleAsync(workspace.Id, accountId, cancellationToken).ConfigureAwait(false);
    }
}
