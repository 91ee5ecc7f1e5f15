namespace Firebreak.Web.Endpoints;

using Firebreak.Core.Connectors;
using Firebreak.Core.Connectors.OAuth;
using Firebreak.Core.Mentions;
using Firebreak.Core.Security;
using Firebreak.Web.Auth;
using Firebreak.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

/// <summary>A platform Firebreak can sign in to, and whether this server's operator has set it up.</summary>
public sealed record SignInPlatformDto(string Platform, string DisplayName, bool Configured, string? Setup, string CallbackUrl);

public sealed record OAuthStartDto(string AuthorizeUrl);

/// <summary>
/// "Connect with …": OAuth 2 authorization code sign-in for X, Reddit, YouTube, TikTok, LinkedIn, Pinterest and Meta
/// (<see cref="AuthorizationCodeFlow"/>). Each platform has ONE redirect URI to register, <c>/api/connections/{platform}/callback</c>;
/// it hands the person on to their workspace's callback (named in the encrypted state), which checks the Admin role,
/// the state and finishes. Mastodon keeps its own endpoints (an app per server).
/// </summary>
public static class OAuthEndpoints
{
    /// <summary>The cookie that carries a pending account pick (encrypted, workspace-bound, 15 minutes) to the picker page.</summary>
    public const string PickCookie = "firebreak_oauth_pick";

    public static RouteGroupBuilder MapOAuthEndpoints(this RouteGroupBuilder api)
    {
        var ws = api.MapGroup("/workspaces/{workspace}").WithTags("Connectors");
        ws.MapGet("/connections/sign-in", PlatformsAsync).WithName("ListSignInPlatforms").RequireWorkspaceRole(WorkspaceRole.Admin)
            .WithSummary("The platforms accounts can be connected to by signing in (OAuth), whether the operator has configured each (and what to set if not), and the redirect URI to register.");
        ws.MapPost("/connections/{platform}/start", StartAsync).WithName("StartOAuthConnection").RequireWorkspaceRole(WorkspaceRole.Admin)
            .WithSummary("Starts signing in to x, reddit, youtube, tiktok, linkedin, pinterest or facebook (Facebook Pages and Instagram): returns the platform's authorize URL to open. 400 says what to configure when the operator has not.");
        ws.MapGet("/connections/{platform}/callback", CallbackAsync).WithName("OAuthConnectionCallback").RequireWorkspaceRole(WorkspaceRole.Admin)
            .WithSummary("Finishes a sign-in (?code&state): exchanges the code, reads the account and stores its token encrypted, then returns to the Connections page (or to the account picker when the sign-in can act for several Pages, organisations or channels).");
        api.MapGet("/connections/{platform}/callback", Relay).WithName("OAuthRedirectTarget").AllowAnonymousAccess().SkipAudit()
            .WithSummary("The redirect URI to register with each platform (anonymous by design: the session cookie is SameSite=Strict and is not sent on the platform's cross-site redirect): a page that moves the browser on, same-site, to the workspace callback named in the state, which checks the Admin role.");
        return api;
    }

    public static async Task<Results<Ok<SignInPlatformDto[]>, ProblemHttpResult>> PlatformsAsync(string workspace, HttpContext http, WorkspaceResolver resolver, AuthorizationCodeFlow flow, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is null)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        return TypedResults.Ok(flow.Platforms.OrderBy(p => p.DisplayName, StringComparer.Ordinal)
            .Select(p => new SignInPlatformDto(p.Platform.ToWire(), p.DisplayName, p.Configured, p.Configured ? null : p.NotConfigured, RedirectUri(http, p.Platform).ToString()))
            .ToArray());
    }

    public static async Task<Results<Ok<OAuthStartDto>, ProblemHttpResult>> StartAsync(string workspace, string platform, HttpContext http, WorkspaceResolver resolver, AuthorizationCodeFlow flow, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (!EnumNames.TryParsePlatform(platform, out var p) || flow.Find(p) is null)
        {
            return Problems.BadRequest("No sign-in for this platform", $"Signing in works for {string.Join(", ", flow.Platforms.Select(f => f.Platform.ToWire()))}; Mastodon has its own start (connections/mastodon/start); other platforms connect with a token.");
        }

        try
        {
            return TypedResults.Ok(new OAuthStartDto(flow.Start(ws.Id, ws.Slug, p, RedirectUri(http, p)).ToString()));
        }
        catch (InvalidOperationException e)
        {
            return Problems.BadRequest("Sign-in not set up", e.Message);
        }
    }

    public static async Task<Results<RedirectHttpResult, ProblemHttpResult>> CallbackAsync(string workspace, string platform, string? code, string? state, string? error, string? error_description, HttpContext http, WorkspaceResolver resolver, AuthorizationCodeFlow flow, AuditLog audit, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (!EnumNames.TryParsePlatform(platform, out var p) || flow.Find(p) is null)
        {
            return Problems.BadRequest("Not connected", $"Firebreak has no sign-in for {platform}.");
        }

        if (error is not null || string.IsNullOrEmpty(code) || string.IsNullOrEmpty(state))
        {
            return Problems.BadRequest("Not connected", error is null
                ? "The platform sent no code and state back; start connecting again."
                : $"The platform said: {error} {error_description}".TrimEnd() + ". Start connecting again if that was a mistake.");
        }

        try
        {
            var outcome = await flow.CompleteAsync(ws.Id, p, code, state, ct);
            foreach (var c in outcome.Connected)
            {
                await audit.RecordAsync(http.Actor(), ws.Id, "connection.add", c.AccountKey, new { c.Platform, c.Handle, via = "sign-in" }, ct);
            }

            var page = $"/w/{Uri.EscapeDataString(ws.Slug)}/connections";
            if (outcome.Pick is not { } pick)
            {
                return TypedResults.Redirect(page);
            }

            http.Response.Cookies.Append(PickCookie, pick, new CookieOptions
            {
                HttpOnly = true, Secure = http.Request.IsHttps, SameSite = SameSiteMode.Lax, Path = page + "/pick", MaxAge = AuthorizationCodeFlow.Lifetime,
            });
            return TypedResults.Redirect($"{page}/pick/{p.ToWire()}");
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or ConnectorException)
        {
            return Problems.BadRequest("Not connected", e.Message);
        }
    }

    /// <summary>
    /// Where the platform sends the browser back. The session cookie is SameSite=Strict, so a browser does not send it on
    /// this cross-site redirect: this page (no session needed, nothing changed, nothing secret in it that the URL did not
    /// already carry) moves the browser on with a same-site navigation, which does carry the cookie, to the workspace
    /// callback, where the role and the state are checked in full.
    /// </summary>
    /// <param name="workspace">Mastodon only: its state is MastodonOAuth's and names no slug, so the callback URL it registers carries it.</param>
    public static IResult Relay(string platform, string? code, string? state, string? error, string? error_description, string? workspace, HttpContext http, AuthorizationCodeFlow flow)
    {
        if (!EnumNames.TryParsePlatform(platform, out var p) || (flow.Find(p) is null && p != Platform.Mastodon))
        {
            return Problems.BadRequest("Not connected", $"Firebreak has no sign-in for {platform}.");
        }

        var slug = p == Platform.Mastodon ? workspace : string.IsNullOrEmpty(state) ? null : flow.WorkspaceOf(p, state);
        if (string.IsNullOrEmpty(state) || string.IsNullOrEmpty(slug))
        {
            return Problems.BadRequest("Not connected", "The sign-in state is missing or not one Firebreak issued; start connecting again from the workspace's Connections page.");
        }

        var query = new Dictionary<string, string?> { ["code"] = code, ["state"] = state, ["error"] = error, ["error_description"] = error_description }
            .Where(kv => kv.Value is not null);
        var next = Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString($"/api/workspaces/{Uri.EscapeDataString(slug)}/connections/{p.ToWire()}/callback", query);
        var encoded = System.Net.WebUtility.HtmlEncode(next);
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        return TypedResults.Content(
            $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"0;url={encoded}\"><title>Connecting…</title></head><body><p><a href=\"{encoded}\">Continue connecting the account</a></p></body></html>",
            "text/html; charset=utf-8");
    }

    /// <summary>Mastodon's callback: Firebreak registers it on each instance itself, through the same relay (for the same cookie reason).</summary>
    public static Uri MastodonRedirectUri(HttpContext http, string workspaceSlug) =>
        new($"{RedirectUri(http, Platform.Mastodon)}?workspace={Uri.EscapeDataString(workspaceSlug)}");

    /// <summary>The one redirect URI per platform that the operator registers with it.</summary>
    public static Uri RedirectUri(HttpContext http, Platform platform) => new($"{http.Request.Scheme}://{http.Request.Host}/api/connections/{platform.ToWire()}/callback");
}
