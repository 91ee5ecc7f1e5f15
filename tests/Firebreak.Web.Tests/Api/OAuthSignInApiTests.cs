namespace Firebreak.Web.Tests.Api;

using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Firebreak.Core.Connectors;
using Firebreak.Core.Mentions;
using Firebreak.Core.Workspaces;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Firebreak.Core.Connectors.OAuth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

/// <summary>
/// The real host configured (through ordinary configuration, Connectors:X) with an X app whose endpoints are a loopback
/// stub of X's OAuth 2.0 with PKCE: start → the authorize redirect → the one registered callback → the workspace callback
/// → a stored, encrypted connection. The stub checks Basic client auth, the redirect URI and the PKCE verifier.
/// </summary>
public sealed class OAuthSignInApiTests(OAuthSignInApiTests.XStubHost host) : IClassFixture<OAuthSignInApiTests.XStubHost>
{
    [Fact]
    public async Task ConnectWithX_ThroughTheHost_StoresTheAccountEncrypted()
    {
        var ws = await host.NewWorkspaceAsync();
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(host.BaseAddress) };
        browser.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", host.OwnerToken);

        var platforms = await host.Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/connections/sign-in");
        var x = platforms.EnumerateArray().Single(p => p.GetProperty("platform").GetString() == "x");
        Assert.True(x.GetProperty("configured").GetBoolean());
        var reddit = platforms.EnumerateArray().Single(p => p.GetProperty("platform").GetString() == "reddit");
        Assert.False(reddit.GetProperty("configured").GetBoolean());
        Assert.Contains("Connectors:Reddit:ClientId", reddit.GetProperty("setup").GetString(), StringComparison.Ordinal);
        var notSetUp = await host.Client.PostAsync($"/api/workspaces/{ws}/connections/reddit/start", null);
        Assert.Equal(HttpStatusCode.BadRequest, notSetUp.StatusCode);
        Assert.Contains("Connectors:Reddit:ClientId", await notSetUp.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var start = await host.Client.PostAsync($"/api/workspaces/{ws}/connections/x/start", null);
        Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        var authorize = new Uri((await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("authorizeUrl").GetString()!);
        Assert.Equal(host.Stub!.ToString(), authorize.GetLeftPart(UriPartial.Authority) + "/");

        // The platform sends the browser to the one registered callback…
        using var consent = await browser.GetAsync(authorize);
        Assert.Equal(HttpStatusCode.Found, consent.StatusCode);
        var registered = consent.Headers.Location!;
        Assert.Equal($"{host.BaseAddress.TrimEnd('/')}/api/connections/x/callback", registered.GetLeftPart(UriPartial.Path));
        // …which, without the (SameSite=Strict) session, moves the browser on, same-site, to the workspace's callback…
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(host.BaseAddress) };
        using var relay = await anonymous.GetAsync(registered);
        Assert.Equal(HttpStatusCode.OK, relay.StatusCode);
        var next = WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(await relay.Content.ReadAsStringAsync(), "url=([^\"]+)\"").Groups[1].Value);
        Assert.StartsWith($"/api/workspaces/{ws}/connections/x/callback?", next, StringComparison.Ordinal);
        Assert.Equal(QueryHelpers.ParseQuery(registered.Query)["state"], QueryHelpers.ParseQuery(next[next.IndexOf('?', StringComparison.Ordinal)..])["state"]);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(next)).StatusCode);
        // …which finishes and returns to the Connections page.
        using var done = await browser.GetAsync(next);
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal($"/w/{ws}/connections", done.Headers.Location!.OriginalString);

        Assert.True(host.Refusals.IsEmpty, string.Join("; ", host.Refusals));
        var workspace = (await host.Services.GetRequiredService<IWorkspaceStore>().FindAsync(ws, CancellationToken.None))!;
        var stored = (await host.Services.GetRequiredService<IConnectorStore>().ListConnectionsAsync(workspace.Id, CancellationToken.None)).Single();
        Assert.Equal((Platform.X, "brand"), (stored.Platform, stored.Handle));
        Assert.DoesNotContain(XStubHost.AccessToken, stored.ProtectedSecret, StringComparison.Ordinal);
        Assert.Equal(XStubHost.AccessToken, (await host.Services.GetRequiredService<ConnectionService>().FindAsync(workspace.Id, stored.AccountKey, CancellationToken.None))!.Secret);
        Assert.NotNull(stored.ProtectedRefresh);

        // The same code and state again: X refuses the used code, and the host says so instead of storing anything.
        using var replay = await browser.GetAsync(next);
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Contains("start connecting again", await replay.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectionsPage_OffersConfiguredPlatforms_AndSaysWhatToSetForTheOthers()
    {
        var ws = await host.NewWorkspaceAsync();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(host.BaseAddress) };
        browser.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", host.OwnerToken);

        var page = await browser.GetStringAsync($"/w/{ws}/connections");

        Assert.Contains("Connect with X</button>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Connect with Reddit</button>", page, StringComparison.Ordinal);
        Assert.Contains("Reddit: not set up", page, StringComparison.Ordinal);
        Assert.Contains("Connectors:Reddit:ClientId", page, StringComparison.Ordinal);
        var csrf = WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value);
        var started = await browser.PostAsync($"/w/{ws}/connections", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = csrf, ["_handler"] = "oauth-x" }));

        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        Assert.StartsWith(new Uri(host.Stub!, "i/oauth2/authorize?").ToString(), started.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task YouTube_TwoChannels_ThePickerStoresOnlyTheTickedOne()
    {
        var ws = await host.NewWorkspaceAsync();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(host.BaseAddress) };
        browser.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", host.OwnerToken);
        var start = await browser.PostAsync($"/api/workspaces/{ws}/connections/youtube/start", null);
        using var consent = await browser.GetAsync((await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("authorizeUrl").GetString());

        using var callback = await browser.GetAsync($"/api/workspaces/{ws}/connections/youtube/callback{consent.Headers.Location!.Query}");

        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Equal($"/w/{ws}/connections/pick/youtube", callback.Headers.Location!.OriginalString);
        var cookie = callback.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("firebreak_oauth_pick=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(XStubHost.YouTubeToken, cookie, StringComparison.Ordinal);
        var page = await browser.GetStringAsync($"/w/{ws}/connections/pick/youtube");
        Assert.Contains("value=\"youtube:UCsupport00000000000000002\"", page, StringComparison.Ordinal);
        Assert.Contains("Brand &lt;Support&gt;", page, StringComparison.Ordinal); // the platform's text, encoded
        var csrf = WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value);

        var picked = await browser.PostAsync($"/w/{ws}/connections/pick/youtube", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = csrf, ["_handler"] = "pick", ["choice"] = "youtube:UCsupport00000000000000002",
        }));

        Assert.Equal(HttpStatusCode.Redirect, picked.StatusCode);
        Assert.Equal($"/w/{ws}/connections", picked.Headers.Location!.AbsolutePath);
        var workspace = (await host.Services.GetRequiredService<IWorkspaceStore>().FindAsync(ws, CancellationToken.None))!;
        var stored = (await host.Services.GetRequiredService<IConnectorStore>().ListConnectionsAsync(workspace.Id, CancellationToken.None)).Single();
        Assert.Equal((Platform.YouTube, "UCsupport00000000000000002"), (stored.Platform, stored.Handle));
        Assert.Equal(XStubHost.YouTubeToken, (await host.Services.GetRequiredService<ConnectionService>().FindAsync(workspace.Id, stored.AccountKey, CancellationToken.None))!.Secret);
    }

    [Fact]
    public async Task Mastodon_GoesThroughTheSameSiteRelayToo()
    {
        var ws = await host.NewWorkspaceAsync();
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(host.BaseAddress) };
        browser.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", host.OwnerToken);
        var start = await host.Client.PostAsJsonAsync($"/api/workspaces/{ws}/connections/mastodon/start", new { instance = host.Stub!.ToString() });
        using var consent = await browser.GetAsync((await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("authorizeUrl").GetString());
        var registered = consent.Headers.Location!;
        Assert.Equal($"{host.BaseAddress.TrimEnd('/')}/api/connections/mastodon/callback", registered.GetLeftPart(UriPartial.Path));

        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(host.BaseAddress) };
        var relay = await anonymous.GetStringAsync(registered);
        var next = WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(relay, "url=([^\"]+)\"").Groups[1].Value);
        Assert.StartsWith($"/api/workspaces/{ws}/connections/mastodon/callback?", next, StringComparison.Ordinal);
        using var done = await browser.GetAsync(next);

        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.True(host.Refusals.IsEmpty, string.Join("; ", host.Refusals));
        var workspace = (await host.Services.GetRequiredService<IWorkspaceStore>().FindAsync(ws, CancellationToken.None))!;
        var stored = (await host.Services.GetRequiredService<IConnectorStore>().ListConnectionsAsync(workspace.Id, CancellationToken.None)).Single();
        Assert.Equal(Platform.Mastodon, stored.Platform);
        Assert.Equal(XStubHost.MastodonToken, (await host.Services.GetRequiredService<ConnectionService>().FindAsync(workspace.Id, stored.AccountKey, CancellationToken.None))!.Secret);
    }

    [Fact]
    public async Task Callback_WithAStateFromAnotherWorkspace_IsRefused()
    {
        var mine = await host.NewWorkspaceAsync();
        var theirs = await host.NewWorkspaceAsync();
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(host.BaseAddress) };
        browser.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", host.OwnerToken);
        var start = await host.Client.PostAsync($"/api/workspaces/{theirs}/connections/x/start", null);
        using var consent = await browser.GetAsync((await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("authorizeUrl").GetString());
        var query = consent.Headers.Location!.Query;

        using var refused = await browser.GetAsync($"/api/workspaces/{mine}/connections/x/callback{query}");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("another workspace", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>The API host with an X app configured to a loopback stub of X's OAuth 2.0 endpoints.</summary>
    public sealed class XStubHost : ApiHost, IAsyncLifetime
    {
        public const string AccessToken = "x-access-CLEAR-5521";
        public const string YouTubeToken = "ya29.youtube-CLEAR-7731";
        public const string MastodonToken = "masto-CLEAR-9913";
        private string? mastodonRedirect;
        private const string YouTubeClient = "123-web.apps.googleusercontent.com";
        private const string YouTubeSecret = "GOCSPX-web";
        private const string ClientId = "x-web-client";
        private const string ClientSecret = "x-web-secret";
        private readonly ConcurrentDictionary<string, (string Redirect, string Challenge)> codes = new();
        private WebApplication? stub;

        public Uri? Stub { get; private set; }

        public ConcurrentQueue<string> Refusals { get; } = new();

        public new async Task InitializeAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
            builder.Logging.ClearProviders();
            stub = builder.Build();
            stub.Run(HandleAsync);
            await stub.StartAsync();
            Stub = new Uri(stub.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");
            await base.InitializeAsync();
        }

        public new async Task DisposeAsync()
        {
            await base.DisposeAsync();
            if (stub is not null)
            {
                await stub.DisposeAsync();
            }
        }

        protected override void Configure(IServiceCollection services)
        {
            // The operator's X app, with X's endpoints moved to the stub (what Connectors:X in appsettings binds to).
            services.AddKeyedSingleton("X", new OAuthAppOptions
            {
                ClientId = ClientId,
                ClientSecret = ClientSecret,
                AuthorizeUri = new Uri(Stub!, "i/oauth2/authorize"),
                TokenUri = new Uri(Stub!, "2/oauth2/token"),
                ApiBase = Stub,
            });
            services.AddKeyedSingleton("YouTube", new OAuthAppOptions
            {
                ClientId = YouTubeClient,
                ClientSecret = YouTubeSecret,
                AuthorizeUri = new Uri(Stub!, "o/oauth2/v2/auth"),
                TokenUri = new Uri(Stub!, "token"),
                ApiBase = Stub,
            });
        }

        private async Task HandleAsync(HttpContext context)
        {
            var q = context.Request.Query;
            switch (context.Request.Path.Value)
            {
                case "/i/oauth2/authorize" when q["client_id"] == ClientId && q["code_challenge_method"] == "S256" && q["response_type"] == "code":
                case "/o/oauth2/v2/auth" when q["client_id"] == YouTubeClient && q["code_challenge_method"] == "S256" && q["access_type"] == "offline":
                    var code = "code-" + Guid.NewGuid().ToString("N");
                    codes[code] = (q["redirect_uri"]!, q["code_challenge"]!);
                    context.Response.StatusCode = 302;
                    context.Response.Headers.Location = QueryHelpers.AddQueryString(q["redirect_uri"]!, new Dictionary<string, string?> { ["state"] = q["state"], ["code"] = code });
                    return;
                case "/2/oauth2/token":
                    // X, confidential client: HTTP Basic.
                    var basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ClientId}:{ClientSecret}"));
                    await TokenAsync(context, context.Request.Headers.Authorization == basic, AccessToken);
                    return;
                case "/token":
                    // Google: client id and secret in the form.
                    var fields = await context.Request.ReadFormAsync();
                    await TokenAsync(context, fields["client_id"] == YouTubeClient && fields["client_secret"] == YouTubeSecret, YouTubeToken);
                    return;
                // Mastodon 4.x: app registration, authorize, token, verify_credentials.
                case "/api/v1/apps":
                    var app = await context.Request.ReadFromJsonAsync<JsonElement>();
                    mastodonRedirect = app.GetProperty("redirect_uris").GetString();
                    await context.Response.WriteAsJsonAsync(new { id = "563419", name = "Firebreak", client_id = "masto-client", client_secret = "masto-secret", redirect_uri = mastodonRedirect });
                    return;
                case "/oauth/authorize" when q["client_id"] == "masto-client" && q["redirect_uri"] == mastodonRedirect:
                    var mastodonCode = "code-" + Guid.NewGuid().ToString("N");
                    codes[mastodonCode] = (q["redirect_uri"]!, string.Empty);
                    context.Response.StatusCode = 302;
                    context.Response.Headers.Location = QueryHelpers.AddQueryString(q["redirect_uri"]!, new Dictionary<string, string?> { ["code"] = mastodonCode, ["state"] = q["state"] });
                    return;
                case "/oauth/token":
                    var mastodonForm = await context.Request.ReadFormAsync();
                    if (mastodonForm["client_secret"] != "masto-secret" || !codes.TryRemove(mastodonForm["code"].ToString(), out var mastodonIssued) || mastodonIssued.Redirect != mastodonForm["redirect_uri"])
                    {
                        Refusals.Enqueue("mastodon token refused");
                        context.Response.StatusCode = 400;
                        await context.Response.WriteAsJsonAsync(new { error = "invalid_grant" });
                        return;
                    }

                    await context.Response.WriteAsJsonAsync(new { access_token = MastodonToken, token_type = "Bearer", scope = "read write", created_at = 1741000000 });
                    return;
                case "/api/v1/accounts/verify_credentials" when context.Request.Headers.Authorization == "Bearer " + MastodonToken:
                    await context.Response.WriteAsJsonAsync(new { id = "109", username = "brand", acct = "brand" });
                    return;
                case "/2/users/me" when context.Request.Headers.Authorization == "Bearer " + AccessToken:
                    await context.Response.WriteAsJsonAsync(new { data = new { id = "2244994945", name = "Brand", username = "brand" } });
                    return;
                case "/youtube/v3/channels" when context.Request.Headers.Authorization == "Bearer " + YouTubeToken && q["mine"] == "true":
                    await context.Response.WriteAsJsonAsync(new
                    {
                        kind = "youtube#channelListResponse",
                        items = new[] { new { id = "UCbrand000000000000000001", snippet = new { title = "Brand" } }, new { id = "UCsupport00000000000000002", snippet = new { title = "Brand <Support>" } } },
                    });
                    return;
                default:
                    context.Response.StatusCode = 404;
                    return;
            }
        }

        private async Task TokenAsync(HttpContext context, bool clientAuthenticated, string token)
        {
            var form = await context.Request.ReadFormAsync();
            var challenge = codes.TryRemove(form["code"].ToString(), out var issued) ? issued.Challenge : null;
            var verifier = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(form["code_verifier"].ToString()))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            if (!clientAuthenticated || challenge is null || issued.Redirect != form["redirect_uri"] || verifier != challenge)
            {
                Refusals.Enqueue($"token: client {clientAuthenticated}, code {challenge is not null}, redirect {issued.Redirect == form["redirect_uri"]}, pkce {verifier == challenge}");
                context.Response.StatusCode = 400;
                await context.Response.WriteAsJsonAsync(new { error = "invalid_grant", error_description = "Value passed for the authorization code was invalid." });
                return;
            }

            await context.Response.WriteAsJsonAsync(new { token_type = "bearer", expires_in = 3600, access_token = token, refresh_token = token + "-refresh" });
        }
    }
}
