namespace Firebreak.Web.Components;

using Firebreak.Core.Security;
using Firebreak.Core.Workspaces;
using Firebreak.Web.Auth;
using Firebreak.Web.Hosting;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;

/// <summary>
/// A page inside one workspace (/w/{slug}/…): resolves the workspace and the reader's role before the page loads
/// anything, so a page can never show another workspace's data. Not a member, or no such workspace: 404 (the
/// two are indistinguishable on purpose); a role below <see cref="MinimumRole"/>: 403.
/// </summary>
public abstract class WorkspacePage : ComponentBase
{
    [Parameter]
    public string Slug { get; set; } = string.Empty;

    [CascadingParameter]
    public HttpContext? HttpContext { get; set; }

    [Inject]
    public WorkspaceResolver Resolver { get; set; } = default!;

    [Inject]
    public WorkspaceAccess Access { get; set; } = default!;

    [Inject]
    public NavigationManager Navigation { get; set; } = default!;

    [Inject]
    public TimeProvider Clock { get; set; } = default!;

    /// <summary>The workspace, once the reader is known to be allowed in; null otherwise (render nothing then).</summary>
    protected Workspace? Workspace { get; private set; }

    protected WorkspaceRole Role { get; private set; }

    /// <summary>True when the reader is a member but their role is too low for this page.</summary>
    protected bool Denied { get; private set; }

    /// <summary>Why, in a sentence the reader can act on.</summary>
    protected string? DeniedBecause { get; private set; }

    protected virtual WorkspaceRole MinimumRole => WorkspaceRole.Viewer;

    protected CancellationToken Aborted => HttpContext?.RequestAborted ?? CancellationToken.None;

    protected bool Can(WorkspaceRole role) => Workspace is not null && Role >= role;

    protected sealed override async Task OnInitializedAsync()
    {
        if (HttpContext is null)
        {
            return;
        }

        var (found, role, _, why) = await UiEndpoints.AllowAsync(HttpContext, Slug, MinimumRole);
        if (found is null && why is null)
        {
            Navigation.NotFound();
            return;
        }

        if (found is null)
        {
            Denied = true;
            DeniedBecause = why;
            HttpContext.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        Workspace = found;
        Role = role;
        await LoadAsync();
    }

    /// <summary>Loads what the page shows; <see cref="Workspace"/> is set.</summary>
    protected abstract Task LoadAsync();
}
