namespace Firebreak.Web.Auth;

using System.Security.Claims;
using Firebreak.Core.Security;
using Firebreak.Core.Workspaces;

/// <summary>A workspace a person belongs to, and their role in it.</summary>
public sealed record WorkspaceGrant(Workspace Workspace, WorkspaceRole Role);

/// <summary>
/// Answers "what may this signed-in person do in this workspace" for pages and endpoints alike.
/// PROVISIONAL: until accounts land every authenticated principal is treated as Owner of every workspace;
/// the accounts work replaces the body, not the signatures.
/// </summary>
public sealed class WorkspaceAccess(IWorkspaceStore workspaces)
{
    /// <summary>The person's role in the workspace with this slug, or null when they are not a member (or it does not exist).</summary>
    public async ValueTask<WorkspaceRole?> RoleAsync(ClaimsPrincipal user, string workspaceSlug, CancellationToken cancellationToken)
    {
        var found = await workspaces.FindAsync(workspaceSlug, cancellationToken).ConfigureAwait(false);
        return found is null ? null : WorkspaceRole.Owner;
    }

    /// <summary>Every workspace the person belongs to, by name.</summary>
    public async ValueTask<IReadOnlyList<WorkspaceGrant>> WorkspacesAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var all = await workspaces.ListAsync(cancellationToken).ConfigureAwait(false);
        return [.. all.Select(w => new WorkspaceGrant(w, WorkspaceRole.Owner))];
    }
}
