namespace Firebreak.Web.Auth;

using System.Text.Json;
using Firebreak.Core.Security;
using Firebreak.Core.Workspaces;
using Firebreak.Web.Hosting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

/// <summary>
/// Enforces each /api endpoint's <see cref="AccessRequirement"/> after authentication and before the handler binds
/// anything (so a 64 MiB ingest body from a non-member is never read): token scope, anti-forgery for cookie sessions,
/// workspace role (unknown workspace and non-member both 404, so existence does not leak; too low a role 403), the
/// workspace's two-factor rule. Then records every successful change in the audit log — here, once, rather than in
/// each handler, so a new endpoint cannot forget to.
/// </summary>
public sealed class AccessMiddleware(RequestDelegate next, ILogger<AccessMiddleware> logger)
{
    /// <summary>HttpContext.Items key of the resolved workspace, for handlers that want it.</summary>
    public const string WorkspaceItem = "fbk.workspace";

    public async Task InvokeAsync(HttpContext http, WorkspaceAccess access, WorkspaceResolver resolver, IAccountStore accounts, IAntiforgery antiforgery, AuditLog audit)
    {
        var endpoint = http.GetEndpoint();
        if (endpoint is null || !http.Request.Path.StartsWithSegments("/api"))
        {
            await next(http);
            return;
        }

        var requirement = endpoint.Metadata.GetMetadata<AccessRequirement>();
        if (requirement is null)
        {
            // Fail closed: an endpoint someone forgot to classify answers nobody (the authorisation matrix test fails too).
            await Problem(http, StatusCodes.Status403Forbidden, "No access rule", "This endpoint declares no access rule, so nobody may call it.");
            return;
        }

        if (requirement is AnonymousAccess)
        {
            await next(http);
            return;
        }

        var user = http.User;
        if (user.AccountId() is not { } accountId)
        {
            await Problem(http, StatusCodes.Status401Unauthorized, "Sign in required", "Sign in, or send a personal API token as 'Authorization: Bearer fbk_…'.");
            return;
        }

        var unsafeMethod = !(HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || HttpMethods.IsOptions(http.Request.Method));
        if (user.Scopes() is { } scopes)
        {
            var ingest = requirement is WorkspaceRoleRequirement { Ingest: true };
            var allowed = !unsafeMethod ? scopes.HasFlag(TokenScopes.Read)
                : scopes.HasFlag(TokenScopes.Write) || (ingest && scopes.HasFlag(TokenScopes.Ingest));
            if (!allowed)
            {
                await Problem(http, StatusCodes.Status403Forbidden, "Token scope too narrow", $"This token has the scopes '{ApiToken.ScopeNames(scopes)}'; this request needs {(unsafeMethod ? (ingest ? "'ingest' or 'write'" : "'write'") : "'read'")}.");
                return;
            }
        }
        else if (unsafeMethod && !await antiforgery.IsRequestValidAsync(http))
        {
            // Cookies ride along on cross-site requests; the anti-forgery token (from GET /api/account/csrf) does not.
            await Problem(http, StatusCodes.Status400BadRequest, "Anti-forgery token missing or invalid", "Send the token from GET /api/account/csrf in the X-CSRF-TOKEN header.");
            return;
        }

        Workspace? workspace = null;
        switch (requirement)
        {
            case AccountRequirement { InstanceAdmin: true } when !user.IsInstanceAdmin():
                await Problem(http, StatusCodes.Status403Forbidden, "Instance administrators only", "Only the instance's administrators (the account created at setup) may do this.");
                return;
            case WorkspaceRoleRequirement needed:
                var slug = http.GetRouteValue("workspace") as string ?? string.Empty;
                workspace = await resolver.FindAsync(slug, http.RequestAborted);
                var role = workspace is null ? null : await access.RoleAsync(user, accountId, workspace, http.RequestAborted);
                if (workspace is null || role is null)
                {
                    await Problem(http, StatusCodes.Status404NotFound, "Workspace not found", $"No workspace '{slug}'. List them with GET /api/workspaces or create one with POST /api/workspaces.");
                    return;
                }

                if (role < needed.Role)
                {
                    await Problem(http, StatusCodes.Status403Forbidden, "Role too low", $"This needs the {needed.Role} role in '{slug}'; you are {role}.");
                    return;
                }

                if (!user.HasTwoFactor() && await accounts.RequiresTwoFactorAsync(workspace.Id, http.RequestAborted))
                {
                    await Problem(http, StatusCodes.Status403Forbidden, "Two-factor authentication required", $"Workspace '{slug}' requires two-factor authentication: turn it on in your profile, then sign in again.");
                    return;
                }

                http.Items[WorkspaceItem] = workspace;
                break;
        }

        await next(http);

        if (unsafeMethod && http.Response.StatusCode < 400 && endpoint.Metadata.GetMetadata<SkipAudit>() is null)
        {
            try
            {
                var target = JsonSerializer.Serialize(http.GetRouteData().Values.Where(v => v.Key != "workspace").ToDictionary(v => v.Key, v => v.Value?.ToString()));
                await audit.RecordAsync(http.Actor(), workspace?.Id, endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? http.Request.Method + " " + http.Request.Path, target, new { status = http.Response.StatusCode, token = user.FindFirst(AuthClaims.TokenId)?.Value }, CancellationToken.None);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The change is committed; losing its audit entry is serious but must not turn success into an error.
                logger.LogError(ex, "Could not write the audit entry for {Method} {Path}", http.Request.Method, http.Request.Path);
            }
        }
    }

    private static Task Problem(HttpContext http, int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail).ExecuteAsync(http);
}
