namespace Firebreak.Web.Components.Connectors;

using Firebreak.Core.Connectors;
using Firebreak.Core.Security;
using Firebreak.Web.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

/// <summary>The Connections page's form actions. Disconnecting is Admin work, like connecting, and is audited by the UI filter.</summary>
internal static class ConnectionUiEndpoints
{
    public static void MapConnectionUi(this RouteGroupBuilder ui) =>
        ui.MapPost("/connections/{id:long}/disconnect", DisconnectAsync).RequireWorkspaceRole(WorkspaceRole.Admin);

    /// <summary>
    /// Forgets the account's credential (the ciphertext is deleted). Sources and scheduled posts that name the account stay:
    /// listening falls back to another connection on the platform, and a post for the account fails visibly at its time
    /// ("not connected") instead of disappearing, so reconnecting the same handle picks everything up again.
    /// </summary>
    private static async Task<IResult> DisconnectAsync(string workspace, long id, HttpContext http, ConnectionService connections)
    {
        var (ws, _, refusal, _) = await UiEndpoints.AllowAsync(http, workspace);
        if (ws is null)
        {
            return refusal!;
        }

        var removed = await connections.DisconnectAsync(ws.Id, id, http.RequestAborted);
        return TypedResults.Redirect($"/w/{ws.Slug}/connections?done={(removed ? "disconnected" : "error-notfound")}");
    }
}
