namespace Firebreak.Web.Endpoints;

using Firebreak.Core.Connectors;
using Firebreak.Core.Connectors.Meta;
using Firebreak.Core.Connectors.Mastodon;
using Firebreak.Core.Mentions;
using Firebreak.Core.Security;
using Firebreak.Core.Workspaces;
using Firebreak.Web.Auth;
using Firebreak.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

/// <summary>A connection as the API shows it: never the credential, only whether it still works and when it expires.</summary>
/// <param name="RefreshExpiresAt">When the sign-in behind the connection ends (the refresh token's own expiry), where the platform says.</param>
public sealed record ConnectionDto(long Id, string Platform, string AccountKey, string Handle, string BaseUri, DateTimeOffset? ExpiresAt, string State, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? RefreshExpiresAt)
{
    public static ConnectionDto From(Connection c) => new(c.Id, c.Platform.ToWire(), c.AccountKey, c.Handle, c.BaseUri.ToString(), c.ExpiresAt, c.State.ToString().ToLowerInvariant(), c.LastError, c.CreatedAt, c.UpdatedAt, c.RefreshExpiresAt);
}

/// <param name="Token">The access token (Mastodon, X, Meta…) or app password (Bluesky); stored encrypted, never returned.</param>
public sealed record CreateConnectionRequest(string? Platform, string? Handle, string? BaseUri, string? Token, string? RefreshToken, DateTimeOffset? ExpiresAt);

public sealed record MastodonStartRequest(string? Instance);

public sealed record MastodonStartDto(string AuthorizeUrl);

public sealed record ConnectorHealthDto(long SourceId, string Platform, DateTimeOffset? LastSuccessAt, DateTimeOffset? LastErrorAt, string? LastError, double ErrorRate, DateTimeOffset? NewestItemAt, double? LagSeconds, long ItemsTotal, double ItemsPerMinute, DateTimeOffset UpdatedAt)
{
    public static ConnectorHealthDto From(ConnectorHealth h, DateTimeOffset now) =>
        new(h.SourceId, h.Platform.ToWire(), h.LastSuccessAt, h.LastErrorAt, h.LastError, h.ErrorRate, h.NewestItemAt, h.Lag(now)?.TotalSeconds, h.ItemsTotal, h.ItemsPerMinute, h.UpdatedAt);
}

public sealed record BackfillRequest(DateTimeOffset? From, DateTimeOffset? To);

public sealed record BackfillDto(int Pages, int Received, int Inserted, int Rejected, IReadOnlyList<ItemError> Errors, string? Failure);

/// <summary>Owned accounts (connections), Mastodon's OAuth flow, connector health, and backfill of a source.</summary>
public static class ConnectorEndpoints
{
    public const int MaxBackfillDays = 31;

    public static RouteGroupBuilder MapConnectorEndpoints(this RouteGroupBuilder api)
    {
        var ws = api.MapGroup("/workspaces/{workspace}").WithTags("Connectors");
        ws.MapGet("/connections", ListAsync).WithName("ListConnections").RequireWorkspaceRole(WorkspaceRole.Admin)
            .WithSummary("The workspace's owned accounts: platform, handle, API base, expiry and state (active, revoked, expired); never the credential.");
        ws.MapPost("/connections", ConnectAsync).WithName("AddConnection").RequireWorkspaceRole(WorkspaceRole.Admin)
            .WithSummary("Connects an account with a token or app password: {platform, handle, baseUri, token, refreshToken?, expiresAt?}; the credential is encrypted at rest. Same platform and handle again replaces it.");
        ws.MapDelete("/connections/{id:long}", DisconnectAsync).WithName("DeleteConnection").RequireWorkspaceRole(WorkspaceRole.Admin)
            .WithSummary("Forgets a connection and its credential.");
        ws.MapPost("/connections/mastodon/start", MastodonStartAsync).WithName("StartMastodonConnection").RequireWorkspaceRole(WorkspaceRole.Admin)
            .WithSummary("Starts Mastodon OAuth: {instance} → registers the app there and returns the authorize URL to open.");
        ws.MapGet("/connections/mastodon/callback", MastodonCallbackAsync).WithName("MastodonConnectionCallback").RequireWorkspaceRole(WorkspaceRole.Admin)
            .WithSummary("Where the instance sends the person back (?code&state): exchanges the code, stores the token encrypted and returns to the Connections page.");
        ws.MapGet("/connectors/health", HealthAsync).WithName("ConnectorHealth").RequireWorkspaceRole(WorkspaceRole.Viewer)
            .WithSummary("Per listening source: last success, last error, error rate over the recent calls, newest item and lag, items per minute.");
        ws.MapPost("/sources/{id:long}/backfill", BackfillAsync).WithName("BackfillSource").RequireWorkspaceRole(WorkspaceRole.Admin)
            .WithSummary($"Ingests what the source's platform has for {{from, to}} (at most {MaxBackfillDays} days) without moving its live checkpoint; answers when done.");
        return api.MapOAuthEndpoints();
    }

    public static async Task<Results<Ok<ConnectionDto[]>, ProblemHttpResult>> ListAsync(string workspace, WorkspaceResolver resolver, ConnectionService connections, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        return TypedResults.Ok((await connections.ListConnectionsAsync(ws.Id, ct)).Select(ConnectionDto.From).ToArray());
    }

    public static async Task<Results<Created<ConnectionDto>, ValidationProblem, ProblemHttpResult>> ConnectAsync(string workspace, CreateConnectionRequest request, WorkspaceResolver resolver, ConnectionService connections, MetaAppOptions metaApp, MetaTokens metaTokens, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (!EnumNames.TryParsePlatform(request.Platform, out var platform))
        {
            return Problems.Validation("platform", "use one of " + string.Join(", ", EnumNames.PlatformWireNames));
        }

        if (string.IsNullOrWhiteSpace(request.Handle) || request.Handle.Length > 300)
        {
            return Problems.Validation("handle", "is required (e.g. @brand@example.social, brand.bsky.social) and at most 300 characters");
        }

        if (!Uri.TryCreate(request.BaseUri, UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("https" or "http"))
        {
            return Problems.Validation("baseUri", "is required: the API's base, e.g. https://mastodon.social/ or https://bsky.social/");
        }

        if (string.IsNullOrWhiteSpace(request.Token) || request.Token.Length > 8_000)
        {
            return Problems.Validation("token", "is required: the access token or app password (at most 8,000 characters)");
        }

        if (platform == Platform.Facebook && metaApp.Configured)
        {
            // With the operator's Meta app known, a pasted token is checked now: a user token where a Page token belongs fails later, silently.
            try
            {
                if (await metaTokens.WhyNotAPageTokenAsync(metaApp.AppId, metaApp.AppSecret, request.Token.Trim(), ct) is { } why)
                {
                    return Problems.Validation("token", why);
                }
            }
            catch (ConnectorException e)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway, title: "Could not check the token with Meta", detail: e.Message + " Try again, or use Connect with Facebook.");
            }
        }

        var normalised = new Uri(baseUri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/");
        var saved = await connections.ConnectAsync(ws.Id, platform, request.Handle, normalised, request.Token.Trim(), request.RefreshToken?.Trim(), request.ExpiresAt, ct);
        return TypedResults.Created($"/api/workspaces/{workspace}/connections/{saved.Id}", ConnectionDto.From(saved));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DisconnectAsync(string workspace, long id, WorkspaceResolver resolver, ConnectionService connections, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        return await connections.DisconnectAsync(ws.Id, id, ct) ? TypedResults.NoContent() : Problems.NotFound("Connection", id);
    }

    public static async Task<Results<Ok<MastodonStartDto>, ValidationProblem, ProblemHttpResult>> MastodonStartAsync(string workspace, MastodonStartRequest request, HttpContext http, WorkspaceResolver resolver, MastodonOAuth oauth, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        var text = request.Instance?.Trim() ?? string.Empty;
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            text = "https://" + text;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var instance) || instance.Scheme is not ("https" or "http") || instance.Host.Length == 0)
        {
            return Problems.Validation("instance", "is required: the Mastodon server, e.g. mastodon.social");
        }

        var callback = OAuthEndpoints.MastodonRedirectUri(http, ws.Slug);
        try
        {
            var url = await oauth.StartAsync(ws.Id, new Uri(instance.GetLeftPart(UriPartial.Authority) + "/"), callback, ct);
            return TypedResults.Ok(new MastodonStartDto(url.ToString()));
        }
        catch (ConnectorException e)
        {
            return Problems.BadRequest("The instance refused to register Firebreak", e.Message);
        }
    }

    public static async Task<Results<RedirectHttpResult, ProblemHttpResult>> MastodonCallbackAsync(string workspace, string? code, string? state, string? error, WorkspaceResolver resolver, MastodonOAuth oauth, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (error is not null || string.IsNullOrEmpty(code) || string.IsNullOrEmpty(state))
        {
            return Problems.BadRequest("Not connected", error is null ? "The instance sent no code and state back; start connecting again." : $"The instance said: {error}. Start connecting again if that was a mistake.");
        }

        try
        {
            await oauth.CompleteAsync(ws.Id, code, state, ct);
            return TypedResults.Redirect($"/w/{Uri.EscapeDataString(workspace)}/connections");
        }
        catch (ArgumentException e)
        {
            return Problems.BadRequest("Not connected", e.Message);
        }
        catch (ConnectorException e)
        {
            return Problems.BadRequest("Not connected", e.Message);
        }
    }

    public static async Task<Results<Ok<ConnectorHealthDto[]>, ProblemHttpResult>> HealthAsync(string workspace, WorkspaceResolver resolver, IConnectorStore store, TimeProvider clock, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        var now = clock.GetUtcNow();
        return TypedResults.Ok((await store.ListHealthAsync(ws.Id, ct)).Select(h => ConnectorHealthDto.From(h, now)).ToArray());
    }

    public static async Task<Results<Ok<BackfillDto>, ValidationProblem, ProblemHttpResult>> BackfillAsync(string workspace, long id, BackfillRequest request, WorkspaceResolver resolver, IWorkspaceStore workspaces, ConnectorRunner runner, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if ((await workspaces.ListSourcesAsync(ws.Id, ct)).FirstOrDefault(s => s.Id == id) is not { } source)
        {
            return Problems.NotFound("Source", id);
        }

        if (request.From is not { } from || request.To is not { } to || to <= from || to - from > TimeSpan.FromDays(MaxBackfillDays))
        {
            return Problems.Validation("from", $"give from < to, at most {MaxBackfillDays} days apart (ISO 8601 times)");
        }

        if (runner.ConnectorFor(source.Platform) is not { } connector || connector.Unsupported(source) is { } why && why.Length > 0)
        {
            return Problems.BadRequest("No connector for this source", runner.ConnectorFor(source.Platform)?.Unsupported(source) ?? $"Firebreak cannot listen to {source.Platform.ToWire()} yet.");
        }

        var report = await runner.BackfillAsync(source, from, to, null, ct);
        return TypedResults.Ok(new BackfillDto(report.Pages, report.Received, report.Inserted, report.Rejected, report.Errors, report.Failure?.Message));
    }
}
