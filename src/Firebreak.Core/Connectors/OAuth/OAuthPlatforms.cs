namespace Firebreak.Core.Connectors.OAuth;

using System.Net.Http.Headers;
using System.Text.Json;
using Firebreak.Core.Connectors.LinkedIn;
using Firebreak.Core.Connectors.Pinterest;
using Firebreak.Core.Connectors.TikTok;
using Firebreak.Core.Mentions;

/// <summary>
/// The operator's OAuth app on one platform (configuration section <c>Connectors:{Platform}</c>): its client id and
/// secret, and, for tests and proxies, where the platform's endpoints are (the documented ones by default).
/// </summary>
public sealed class OAuthAppOptions
{
    public string ClientId { get; set; } = string.Empty;

    public string ClientSecret { get; set; } = string.Empty;

    public Uri? AuthorizeUri { get; set; }

    public Uri? TokenUri { get; set; }

    /// <summary>The API the connection is stored with and the identity call goes to.</summary>
    public Uri? ApiBase { get; set; }
}

/// <summary>
/// Each platform's authorization code flow as documented (the version or page each value comes from is beside it). The
/// identity call decides the handle a connection is stored under, which is what that platform's connector expects:
/// X and Reddit the username, YouTube the channel id (UC…), TikTok the open_id, LinkedIn the organisation id, Pinterest
/// the username.
/// </summary>
public static class OAuthPlatforms
{
    /// <summary>
    /// X API v2, OAuth 2.0 Authorization Code Flow with PKCE (docs.x.com/fundamentals/authentication/oauth-2-0/user-access-token):
    /// authorize at x.com/i/oauth2/authorize with an S256 challenge, token at api.x.com/2/oauth2/token with HTTP Basic for a
    /// confidential client; offline.access gives a refresh token (access tokens last 2 hours; refresh tokens rotate).
    /// Identity: GET /2/users/me → data.username.
    /// </summary>
    public static OAuthPlatform X(OAuthAppOptions app, ConnectorHttp http)
    {
        var api = app.ApiBase ?? new Uri("https://api.x.com/");
        return new OAuthPlatform
        {
            Platform = Platform.X, DisplayName = "X", ConfigSection = "Connectors:X",
            AuthorizeUri = app.AuthorizeUri ?? new Uri("https://x.com/i/oauth2/authorize"),
            TokenUri = app.TokenUri ?? new Uri("https://api.x.com/2/oauth2/token"),
            ApiBase = api, ClientId = app.ClientId, ClientSecret = app.ClientSecret,
            Scopes = "tweet.read tweet.write users.read offline.access", BasicAuth = true, Pkce = true,
            Accounts = async (t, ct) =>
            {
                var me = (await GetJsonAsync(http, "x", new Uri(api, "2/users/me"), t.AccessToken, ct).ConfigureAwait(false)).Child("data");
                var username = me?.Text("username") ?? throw Malformed("x", "GET /2/users/me answered without data.username");
                return [new OAuthAccount(Platform.X, username, "@" + username)];
            },
        };
    }

    /// <summary>
    /// Reddit OAuth2 (github.com/reddit-archive/reddit/wiki/OAuth2): authorize at www.reddit.com/api/v1/authorize with
    /// duration=permanent (for a refresh token), token at www.reddit.com/api/v1/access_token with HTTP Basic; access
    /// tokens last one hour. Identity: GET https://oauth.reddit.com/api/v1/me → name (Reddit wants a descriptive User-Agent).
    /// </summary>
    public static OAuthPlatform Reddit(OAuthAppOptions app, ConnectorHttp http)
    {
        var api = app.ApiBase ?? new Uri("https://oauth.reddit.com/");
        return new OAuthPlatform
        {
            Platform = Platform.Reddit, DisplayName = "Reddit", ConfigSection = "Connectors:Reddit",
            AuthorizeUri = app.AuthorizeUri ?? new Uri("https://www.reddit.com/api/v1/authorize"),
            TokenUri = app.TokenUri ?? new Uri("https://www.reddit.com/api/v1/access_token"),
            ApiBase = api, ClientId = app.ClientId, ClientSecret = app.ClientSecret,
            Scopes = "identity read submit history", BasicAuth = true,
            ExtraAuthorize = [new("duration", "permanent")],
            Accounts = async (t, ct) =>
            {
                var me = await GetJsonAsync(http, "reddit", new Uri(api, "api/v1/me"), t.AccessToken, ct, ("User-Agent", "server:firebreak:1.0 (account sign-in)")).ConfigureAwait(false);
                var name = me.Text("name") ?? throw Malformed("reddit", "GET /api/v1/me answered without name");
                return [new OAuthAccount(Platform.Reddit, name, "u/" + name)];
            },
        };
    }

    /// <summary>
    /// Google OAuth 2.0 for web server apps (developers.google.com/identity/protocols/oauth2/web-server), YouTube Data API
    /// v3: authorize at accounts.google.com/o/oauth2/v2/auth with access_type=offline and prompt=consent (without them
    /// Google gives no refresh token on a second sign-in), token at oauth2.googleapis.com/token; access tokens last one
    /// hour and refresh answers carry no new refresh token (the old one is kept). PKCE S256 is supported and used.
    /// Identity: GET /youtube/v3/channels?part=snippet&amp;mine=true → items[].id (UC…), snippet.title.
    /// </summary>
    public static OAuthPlatform YouTube(OAuthAppOptions app, ConnectorHttp http)
    {
        var api = app.ApiBase ?? new Uri("https://www.googleapis.com/");
        return new OAuthPlatform
        {
            Platform = Platform.YouTube, DisplayName = "YouTube", ConfigSection = "Connectors:YouTube",
            AuthorizeUri = app.AuthorizeUri ?? new Uri("https://accounts.google.com/o/oauth2/v2/auth"),
            TokenUri = app.TokenUri ?? new Uri("https://oauth2.googleapis.com/token"),
            ApiBase = api, ClientId = app.ClientId, ClientSecret = app.ClientSecret,
            Scopes = "https://www.googleapis.com/auth/youtube.force-ssl", Pkce = true,
            ExtraAuthorize = [new("access_type", "offline"), new("prompt", "consent")],
            Accounts = async (t, ct) =>
            {
                var channels = await GetJsonAsync(http, "youtube", new Uri(api, "youtube/v3/channels?part=snippet&mine=true"), t.AccessToken, ct).ConfigureAwait(false);
                return Items(channels, "items")
                    .Where(c => c.Text("id") is not null)
                    .Select(c => new OAuthAccount(Platform.YouTube, c.Text("id")!, c.Child("snippet")?.Text("title") ?? c.Text("id")!))
                    .ToArray();
            },
        };
    }

    /// <summary>
    /// TikTok Login Kit for Web, OAuth v2 (developers.tiktok.com/doc/oauth-user-access-token-management): authorize at
    /// www.tiktok.com/v2/auth/authorize/ with client_key and comma-separated scopes, token at open.tiktokapis.com/v2/oauth/token/
    /// (client_key and client_secret in the form; code_verifier is for mobile and desktop apps only). Access tokens last
    /// 24 hours (2 in newer docs), refresh tokens rotate and expire (refresh_expires_in: 365 days, 180 in newer docs).
    /// Identity: GET /v2/user/info/?fields=open_id,display_name,username → data.user.
    /// </summary>
    public static OAuthPlatform TikTok(TikTokOptions options, OAuthAppOptions app, ConnectorHttp http) => new()
    {
        Platform = Platform.TikTok, DisplayName = "TikTok", ConfigSection = "Connectors:TikTok",
        AuthorizeUri = app.AuthorizeUri ?? new Uri("https://www.tiktok.com/v2/auth/authorize/"),
        TokenUri = app.TokenUri ?? new Uri(options.OpenApiBase, "v2/oauth/token/"),
        ApiBase = options.OpenApiBase,
        ClientId = app.ClientId.Length > 0 ? app.ClientId : options.ClientKey,
        ClientSecret = app.ClientSecret.Length > 0 ? app.ClientSecret : options.ClientSecret,
        ClientIdField = "client_key", Scopes = "user.info.basic,user.info.profile,video.list",
        Accounts = async (t, ct) =>
        {
            var info = await GetJsonAsync(http, "tiktok", new Uri(options.OpenApiBase, "v2/user/info/?fields=open_id,display_name,username"), t.AccessToken, ct).ConfigureAwait(false);
            if (info.Child("error") is { } error && error.Text("code") is { } code && code != "ok")
            {
                throw new ConnectorException("tiktok", FailureKind.Rejected, $"user/info refused: {code} {error.Text("message")}".TrimEnd());
            }

            var user = info.Child("data")?.Child("user");
            var openId = user?.Text("open_id") ?? throw Malformed("tiktok", "user/info answered without data.user.open_id");
            return [new OAuthAccount(Platform.TikTok, openId, user?.Text("username") is { } u ? "@" + u : user?.Text("display_name") ?? openId)];
        },
    };

    /// <summary>
    /// LinkedIn OAuth 2.0 authorization code flow (learn.microsoft.com/linkedin/shared/authentication/authorization-code-flow):
    /// authorize at www.linkedin.com/oauth/v2/authorization, token at www.linkedin.com/oauth/v2/accessToken (client id and
    /// secret in the form); access tokens last 60 days, programmatic refresh tokens 365 days from the first sign-in
    /// (refresh_token_expires_in). The connection acts for an organisation: identity is GET /rest/organizationAcls?q=roleAssignee
    /// (Community Management API, LinkedIn-Version header) → the organisations this person administers.
    /// </summary>
    public static OAuthPlatform LinkedIn(LinkedInOptions options, OAuthAppOptions app, ConnectorHttp http) => new()
    {
        Platform = Platform.LinkedIn, DisplayName = "LinkedIn", ConfigSection = "Connectors:LinkedIn",
        AuthorizeUri = app.AuthorizeUri ?? new Uri("https://www.linkedin.com/oauth/v2/authorization"),
        TokenUri = app.TokenUri ?? options.TokenUri,
        ApiBase = options.ApiBase,
        ClientId = app.ClientId.Length > 0 ? app.ClientId : options.ClientId,
        ClientSecret = app.ClientSecret.Length > 0 ? app.ClientSecret : options.ClientSecret,
        Scopes = "r_organization_social w_organization_social rw_organization_admin",
        Accounts = async (t, ct) =>
        {
            var acls = await GetJsonAsync(http, "linkedin", new Uri(options.ApiBase, "rest/organizationAcls?q=roleAssignee&role=ADMINISTRATOR&state=APPROVED"), t.AccessToken, ct,
                ("LinkedIn-Version", options.Version), ("X-Restli-Protocol-Version", "2.0.0")).ConfigureAwait(false);
            return Items(acls, "elements")
                .Select(e => e.Text("organization"))
                .OfType<string>()
                .Distinct(StringComparer.Ordinal)
                .Select(urn => new OAuthAccount(Platform.LinkedIn, urn[(urn.LastIndexOf(':') + 1)..], urn))
                .ToArray();
        },
    };

    /// <summary>
    /// Pinterest API v5 OAuth (developers.pinterest.com/docs/getting-started/set-up-authentication-and-authorization/):
    /// authorize at www.pinterest.com/oauth/ with comma-separated scopes, token at api.pinterest.com/v5/oauth/token with
    /// HTTP Basic; access tokens last 30 days, refresh tokens about a year (refresh_token_expires_in).
    /// Identity: GET /v5/user_account → username.
    /// </summary>
    public static OAuthPlatform Pinterest(PinterestOptions options, OAuthAppOptions app, ConnectorHttp http) => new()
    {
        Platform = Platform.Pinterest, DisplayName = "Pinterest", ConfigSection = "Connectors:Pinterest",
        AuthorizeUri = app.AuthorizeUri ?? new Uri("https://www.pinterest.com/oauth/"),
        TokenUri = app.TokenUri ?? new Uri(options.ApiBase, "oauth/token"),
        ApiBase = options.ApiBase,
        ClientId = app.ClientId.Length > 0 ? app.ClientId : options.ClientId,
        ClientSecret = app.ClientSecret.Length > 0 ? app.ClientSecret : options.ClientSecret,
        Scopes = "boards:read,pins:read,user_accounts:read", BasicAuth = true,
        Accounts = async (t, ct) =>
        {
            var account = await GetJsonAsync(http, "pinterest", new Uri(options.ApiBase, "user_account"), t.AccessToken, ct).ConfigureAwait(false);
            var username = account.Text("username") ?? throw Malformed("pinterest", "GET /v5/user_account answered without username");
            return [new OAuthAccount(Platform.Pinterest, username, username)];
        },
    };

    /// <summary>GET a JSON object with the bearer token (and any headers the platform wants); errors are <see cref="ConnectorHttp"/>'s.</summary>
    public static async Task<JsonElement> GetJsonAsync(ConnectorHttp http, string connector, Uri uri, string token, CancellationToken cancellationToken, params (string Name, string Value)[] headers)
    {
        var response = await http.SendAsync(connector, () =>
        {
            var message = new HttpRequestMessage(HttpMethod.Get, uri);
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            foreach (var (name, value) in headers)
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }

            return message;
        }, cancellationToken).ConfigureAwait(false);
        using (response.Message)
        {
            try
            {
                using var document = JsonDocument.Parse(response.Body);
                return document.RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw Malformed(connector, $"malformed JSON from {uri.AbsolutePath} ({e.Message})");
            }
        }
    }

    private static IEnumerable<JsonElement> Items(JsonElement root, string array) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(array, out var items) && items.ValueKind == JsonValueKind.Array ? items.EnumerateArray() : [];

    private static ConnectorException Malformed(string connector, string message) => new(connector, FailureKind.Malformed, message);
}
