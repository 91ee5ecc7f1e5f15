namespace Firebreak.Core.Connectors.Meta;

using System.Text.Json;
using Firebreak.Core.Connectors.OAuth;
using Firebreak.Core.Detection;
using Firebreak.Core.Mentions;

/// <summary>The operator's Meta app (configuration section <c>Connectors:Meta</c>): Facebook Login and token housekeeping need its id and secret.</summary>
public sealed class MetaAppOptions
{
    public string AppId { get; set; } = string.Empty;

    public string AppSecret { get; set; } = string.Empty;

    /// <summary>The Login dialog; tests point it at a stub.</summary>
    public Uri AuthorizeUri { get; set; } = new($"https://www.facebook.com/{GraphOptions.Version}/dialog/oauth");

    public bool Configured => AppId.Length > 0 && AppSecret.Length > 0;
}

/// <summary>
/// Facebook Login for Business (Graph <see cref="GraphOptions.Version"/>; developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow
/// and …/access-tokens/get-long-lived): the Login dialog at www.facebook.com/{version}/dialog/oauth, the code exchanged with
/// <c>GET /oauth/access_token</c>, that short-lived user token exchanged for a long-lived one (fb_exchange_token, ~60 days),
/// then <c>GET /me/accounts</c> lists the Pages (with each one's instagram_business_account) for the admin to pick. A Page
/// connection stores the Page's own token (from a long-lived user token it does not expire), never the user token, and
/// <c>/debug_token</c> must say PAGE before it is stored: a user token where a Page token belongs used to show only as
/// Graph error text at the first call. Instagram accounts are reached through their Page, with the same Page token.
/// </summary>
public static class MetaSignIn
{
    private const string Name = "meta";

    /// <summary>Pages of 100 read from /me/accounts: 1,000 Pages is more than any one person administers.</summary>
    public const int MaxPagePages = 10;

    public const string Scopes = "pages_show_list,pages_read_engagement,pages_read_user_content,pages_manage_engagement,pages_manage_posts,pages_manage_metadata,instagram_basic,instagram_manage_comments,instagram_content_publish,business_management";

    public static OAuthPlatform Facebook(MetaAppOptions app, GraphClient graph, MetaTokens tokens, TimeProvider clock) => new()
    {
        Platform = Platform.Facebook, DisplayName = "Facebook & Instagram", ConfigSection = "Connectors:Meta",
        AuthorizeUri = app.AuthorizeUri,
        TokenUri = new Uri(graph.Options.VersionedBase, "oauth/access_token"),
        ApiBase = graph.Options.BaseUri,
        ClientId = app.AppId, ClientSecret = app.AppSecret, Scopes = Scopes,
        Exchange = async (code, redirect, ct) =>
        {
            var path = $"oauth/access_token?client_id={Uri.EscapeDataString(app.AppId)}&redirect_uri={Uri.EscapeDataString(redirect.ToString())}&client_secret={Uri.EscapeDataString(app.AppSecret)}&code={Uri.EscapeDataString(code)}";
            GraphResponse response;
            try
            {
                response = await graph.GetAsync(Name, path, $"{app.AppId}|{app.AppSecret}", ct).ConfigureAwait(false);
            }
            catch (ConnectorException e) when (e.Kind is FailureKind.Rejected or FailureKind.Revoked)
            {
                throw new ConnectorException(Name, FailureKind.Revoked, "the sign-in code was refused (used already, expired, or another redirect URI); start connecting again. " + e.Message, e.Status, e);
            }

            var shortLived = RefreshTokenGrant.Parse(Name, response.Body, clock.GetUtcNow());
            var (token, expires) = await tokens.RefreshAsync(app.AppId, app.AppSecret, shortLived.AccessToken, clock.GetUtcNow(), ct).ConfigureAwait(false);
            return new OAuthTokens(token, null, expires, null);
        },
        Accounts = async (t, ct) =>
        {
            // Agencies manage many Pages: follow the "after" cursor (while paging.next is present), up to MaxPagePages pages.
            var accounts = new List<OAuthAccount>();
            string? after = null;
            for (var pageNumber = 1; pageNumber <= MaxPagePages; pageNumber++)
            {
                var path = "me/accounts?fields=id,name,instagram_business_account{id,username}&limit=100" + (after is null ? string.Empty : "&after=" + Uri.EscapeDataString(after));
                var response = await graph.GetAsync(Name, path, t.AccessToken, ct).ConfigureAwait(false);
                JsonElement root;
                try
                {
                    using var json = JsonDocument.Parse(response.Body);
                    root = json.RootElement.Clone();
                }
                catch (JsonException e)
                {
                    throw new ConnectorException(Name, FailureKind.Malformed, $"GET /me/accounts answered malformed JSON (page {pageNumber}): " + e.Message);
                }

                if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array)
                {
                    foreach (var page in data.EnumerateArray())
                    {
                        if (page.Text("id") is not { } id)
                        {
                            continue;
                        }

                        var name = page.Text("name") ?? id;
                        accounts.Add(new OAuthAccount(Platform.Facebook, id, name));
                        if (page.Child("instagram_business_account") is { } ig && ig.Text("id") is { } igId)
                        {
                            accounts.Add(new OAuthAccount(Platform.Instagram, igId, $"@{ig.Text("username") ?? igId} (through {name})", id));
                        }
                    }
                }

                if ((after = GraphClient.NextCursor(root)) is null)
                {
                    break;
                }
            }

            return accounts;
        },
        TokenFor = async (account, t, ct) =>
        {
            var pageId = account.Platform == Platform.Facebook ? account.Handle : account.Parent
                ?? throw new ConnectorException(Name, FailureKind.Malformed, $"Instagram account {account.Handle} came without its Page");
            var pageToken = await tokens.PageTokenAsync(pageId, t.AccessToken, ct).ConfigureAwait(false);
            var info = await tokens.DebugAsync(app.AppId, app.AppSecret, pageToken, ct).ConfigureAwait(false);
            if (!info.IsValid || !string.Equals(info.Type, "PAGE", StringComparison.OrdinalIgnoreCase))
            {
                throw new ConnectorException(Name, FailureKind.Rejected,
                    $"Graph gave a {info.Type ?? "unknown"} token{(info.IsValid ? string.Empty : " that is not valid")} for Page {pageId}, not a PAGE token; Firebreak stores only Page tokens for Pages. Check that the person who signed in has a task on the Page. {info.Error}".TrimEnd());
            }

            return new OAuthTokens(pageToken, null, info.ExpiresAt, null);
        },
    };
}

/// <summary>
/// Renews Meta user tokens before they expire. Meta issues no refresh tokens: a long-lived user token (~60 days) is
/// exchanged for a fresh one with fb_exchange_token while it is still valid (an expired one cannot be). Page tokens got
/// through Facebook sign-in do not expire and are left alone; what this renews is any Facebook or Instagram connection
/// whose token has an expiry (a user token pasted in, e.g. Instagram used with a user token). Run by the supervisor
/// through <see cref="TokenRefresher.RefreshDueAsync"/>, with the same timing rule.
/// </summary>
public sealed class MetaTokenRefresher(IConnectorStore store, ConnectionService connections, MetaTokens tokens, MetaAppOptions app, TimeProvider clock)
{
    public static bool Due(Connection c, DateTimeOffset now) =>
        c.Platform is Platform.Facebook or Platform.Instagram && c.State == ConnectionState.Active && c.ExpiresAt is { } expires && expires > now
        && TokenRefresher.DueIn(expires, c.UpdatedAt, now);

    /// <summary>Renews every due Meta user token; returns how many were renewed. Nothing happens until the Meta app is configured.</summary>
    public async Task<int> RefreshDueAsync(CancellationToken cancellationToken)
    {
        if (!app.Configured)
        {
            return 0;
        }

        var renewed = 0;
        var now = clock.GetUtcNow();
        foreach (var c in await store.ListAllConnectionsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!Due(c, now))
            {
                continue;
            }

            try
            {
                var (token, expires) = await tokens.RefreshAsync(app.AppId, app.AppSecret, connections.Open(c).Secret, now, cancellationToken).ConfigureAwait(false);
                await connections.ConnectAsync(c.WorkspaceId, c.Platform, c.Handle, c.BaseUri, token, null, expires, cancellationToken).ConfigureAwait(false);
                renewed++;
            }
            catch (ConnectorException e) when (e.Kind == FailureKind.Revoked)
            {
                await connections.RevokedAsync(c, e.Message, cancellationToken).ConfigureAwait(false);
            }
            catch (ConnectorException e)
            {
                await connections.RaiseAsync(c.WorkspaceId, $"connection:{c.Id}:refresh", DetectionSeverity.Medium,
                    $"{c.Platform} account {c.Handle}: renewing its user token failed ({e.Message}); it is tried again every 30 s until it expires at {c.ExpiresAt:u}.", cancellationToken).ConfigureAwait(false);
            }
        }

        return renewed;
    }
}
