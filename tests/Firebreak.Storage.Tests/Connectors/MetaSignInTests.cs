namespace Firebreak.Storage.Tests.Connectors;

using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Firebreak.Core.Connectors;
using Firebreak.Core.Connectors.Meta;
using Firebreak.Core.Connectors.OAuth;
using Firebreak.Core.Mentions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Xunit;
using SettableClock = Firebreak.Storage.Tests.FixedClock;

/// <summary>
/// Facebook Login for Pages and Instagram (Graph v21.0) against a loopback Graph that does what Meta documents: the Login
/// dialog redirects with a code; <c>GET /oauth/access_token</c> exchanges it once (same redirect_uri, app id and secret)
/// for a short-lived user token, and with <c>grant_type=fb_exchange_token</c> a user token for a long-lived one;
/// <c>/me/accounts</c> lists the Pages; <c>/{page-id}?fields=access_token</c> gives a Page token; <c>/debug_token</c>
/// (app token) says each token's type. Errors are Graph's error object.
/// </summary>
public sealed class MetaSignInTests : IAsyncLifetime
{
    private const string AppId = "138483919580948";
    private const string AppSecret = "meta-app-secret";
    private static readonly Uri Redirect = new("https://firebreak.example/api/connections/facebook/callback");
    private readonly SettableClock clock = new(DateTimeOffset.UtcNow);
    private readonly FakeMetaLogin meta = new();
    private ConnectorRig rig = null!;
    private StubServer stub = null!;
    private ConnectionService connections = null!;
    private MetaTokens tokens = null!;
    private MetaAppOptions app = null!;

    public async Task InitializeAsync()
    {
        rig = await ConnectorRig.OpenAsync();
        stub = await StubServer.StartAsync(meta.HandleAsync);
        connections = new ConnectionService(rig.Connectors, rig.Protector, clock, rig.Alerts);
        var graph = new GraphClient(new HttpClient(), rig.HttpOptions, new GraphOptions { BaseUri = stub.BaseUri }, TimeProvider.System);
        tokens = new MetaTokens(graph);
        app = new MetaAppOptions { AppId = AppId, AppSecret = AppSecret, AuthorizeUri = new Uri(stub.BaseUri, $"{GraphOptions.Version}/dialog/oauth") };
        Flow = new AuthorizationCodeFlow([MetaSignIn.Facebook(app, graph, tokens, clock)], rig.Http, rig.Protector, connections, clock);
    }

    private AuthorizationCodeFlow Flow { get; set; } = null!;

    public async Task DisposeAsync()
    {
        await stub.DisposeAsync();
        await rig.DisposeAsync();
    }

    [Fact]
    public async Task SignIn_OffersPagesAndTheirInstagram_AndStoresThePageToken_NeverTheUserToken()
    {
        var (code, state) = await ConsentAsync();
        var outcome = await Flow.CompleteAsync(rig.WorkspaceId, Platform.Facebook, code, state, CancellationToken.None);

        Assert.Empty(outcome.Connected);
        // Two pages of /me/accounts, the second reached by the "after" cursor.
        Assert.Equal(["facebook:111", "instagram:17841400000000111", "facebook:222", "facebook:333"], outcome.Choices.Select(AuthorizationCodeFlow.Choice));
        Assert.Equal("@brand (through Brand ✨)", outcome.Choices[1].Label);
        // The long-lived user token went into the pick, encrypted: not readable in it.
        Assert.DoesNotContain(FakeMetaLogin.LongLived, outcome.Pick!, StringComparison.Ordinal);

        var saved = await Flow.PickAsync(rig.WorkspaceId, Platform.Facebook, outcome.Pick!, ["facebook:111", "instagram:17841400000000111"], CancellationToken.None);

        Assert.Equal([(Platform.Facebook, "111"), (Platform.Instagram, "17841400000000111")], saved.Select(c => (c.Platform, c.Handle)));
        foreach (var c in await rig.Connectors.ListConnectionsAsync(rig.WorkspaceId, CancellationToken.None))
        {
            Assert.Equal(FakeMetaLogin.PageToken("111"), connections.Open(c).Secret);
            Assert.DoesNotContain(FakeMetaLogin.PageToken("111"), c.ProtectedSecret, StringComparison.Ordinal);
            Assert.Null(c.ExpiresAt); // a Page token from a long-lived user token does not expire
            Assert.Null(c.ProtectedRefresh);
        }

        Assert.Contains(meta.DebugChecked, t => t == FakeMetaLogin.PageToken("111"));
        Assert.True(meta.Refusals.IsEmpty, string.Join("; ", meta.Refusals));
    }

    [Fact]
    public async Task APageWhoseTokenIsAUserToken_IsRefused_AndNothingIsStored()
    {
        var (code, state) = await ConsentAsync();
        var outcome = await Flow.CompleteAsync(rig.WorkspaceId, Platform.Facebook, code, state, CancellationToken.None);

        var refused = await Assert.ThrowsAsync<ConnectorException>(() => Flow.PickAsync(rig.WorkspaceId, Platform.Facebook, outcome.Pick!, ["facebook:222"], CancellationToken.None));

        Assert.Contains("USER token", refused.Message, StringComparison.Ordinal);
        Assert.Contains("not a PAGE token", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await rig.Connectors.ListConnectionsAsync(rig.WorkspaceId, CancellationToken.None));
    }

    [Fact]
    public async Task PageList_CutOff_IsAClearError_AndNothingIsStored()
    {
        meta.BrokenAccounts = true;
        var (code, state) = await ConsentAsync();

        var broken = await Assert.ThrowsAsync<ConnectorException>(() => Flow.CompleteAsync(rig.WorkspaceId, Platform.Facebook, code, state, CancellationToken.None));

        Assert.Equal(FailureKind.Malformed, broken.Kind);
        Assert.Contains("/me/accounts answered malformed JSON", broken.Message, StringComparison.Ordinal);
        Assert.Empty(await rig.Connectors.ListConnectionsAsync(rig.WorkspaceId, CancellationToken.None));
    }

    [Fact]
    public async Task Code_WorksOnce_WithTheSameRedirectUri()
    {
        var (code, state) = await ConsentAsync();
        await Flow.CompleteAsync(rig.WorkspaceId, Platform.Facebook, code, state, CancellationToken.None);

        var again = await Assert.ThrowsAsync<ConnectorException>(() => Flow.CompleteAsync(rig.WorkspaceId, Platform.Facebook, code, state, CancellationToken.None));

        Assert.Equal(FailureKind.Revoked, again.Kind);
        Assert.Contains("start connecting again", again.Message, StringComparison.Ordinal);
        Assert.Contains("This authorization code has been used", again.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LongLivedUserToken_IsRenewedWhenDue_PageTokensAreLeftAlone()
    {
        var issued = clock.Now;
        await connections.ConnectAsync(rig.WorkspaceId, Platform.Instagram, "17841400000000111", stub.BaseUri, FakeMetaLogin.LongLived, null, issued.AddDays(60), CancellationToken.None);
        await connections.ConnectAsync(rig.WorkspaceId, Platform.Facebook, "111", stub.BaseUri, FakeMetaLogin.PageToken("111"), null, null, CancellationToken.None);
        var refresher = new MetaTokenRefresher(rig.Connectors, connections, tokens, app, clock);
        // Run as the supervisor runs it: through TokenRefresher's pass.
        var pass = new TokenRefresher(rig.Connectors, connections, rig.Protector, rig.Http, [], clock, refresher);

        clock.Now = issued.AddDays(40);
        Assert.Equal(0, await pass.RefreshDueAsync(CancellationToken.None));
        clock.Now = issued.AddDays(54);
        Assert.Equal(1, await pass.RefreshDueAsync(CancellationToken.None));

        var all = await rig.Connectors.ListConnectionsAsync(rig.WorkspaceId, CancellationToken.None);
        var ig = all.Single(c => c.Platform == Platform.Instagram);
        Assert.Equal(FakeMetaLogin.Renewed, connections.Open(ig).Secret);
        Assert.Equal(clock.Now.AddSeconds(5183944), ig.ExpiresAt!.Value, TimeSpan.FromSeconds(1));
        Assert.Equal(FakeMetaLogin.PageToken("111"), connections.Open(all.Single(c => c.Platform == Platform.Facebook)).Secret);
        Assert.Equal(1, meta.Exchanges);
        // Renewed: not due again until the new token nears its end.
        Assert.Equal(0, await pass.RefreshDueAsync(CancellationToken.None));
        Assert.Equal(0, await connections.CheckExpiryAsync(CancellationToken.None));
    }

    private async Task<(string Code, string State)> ConsentAsync()
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var response = await browser.GetAsync(Flow.Start(rig.WorkspaceId, "acme", Platform.Facebook, Redirect));
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        var query = QueryHelpers.ParseQuery(response.Headers.Location!.Query);
        return (query["code"].ToString(), query["state"].ToString());
    }

    /// <summary>The Graph endpoints of Facebook Login, as documented for v21.0.</summary>
    private sealed class FakeMetaLogin
    {
        public const string ShortLived = "EAAshortLivedUserToken";
        public const string LongLived = "EAAlongLivedUserToken";
        public const string Renewed = "EAArenewedLongLivedUserToken";
        private readonly ConcurrentDictionary<string, string> codes = new();

        public ConcurrentQueue<string> Refusals { get; } = new();

        public ConcurrentQueue<string> DebugChecked { get; } = new();

        public int Exchanges { get; private set; }

        /// <summary>/me/accounts answers a body cut off mid-way.</summary>
        public bool BrokenAccounts { get; set; }

        public static string PageToken(string page) => "EAApageToken" + page;

        public Task HandleAsync(HttpContext context)
        {
            var q = context.Request.Query;
            var path = context.Request.Path.Value!.Trim('/');
            var token = q["access_token"].ToString();
            switch (path)
            {
                case $"{GraphOptions.Version}/dialog/oauth":
                    if (q["client_id"] != AppId || q["response_type"] != "code" || !q["scope"].ToString().Split(',').Contains("pages_show_list"))
                    {
                        return Refuse(context, 100, "Invalid dialog parameters");
                    }

                    var code = "AQD" + Guid.NewGuid().ToString("N");
                    codes[code] = q["redirect_uri"]!;
                    context.Response.StatusCode = 302;
                    context.Response.Headers.Location = QueryHelpers.AddQueryString(q["redirect_uri"]!, new Dictionary<string, string?> { ["code"] = code, ["state"] = q["state"] });
                    return Task.CompletedTask;
                case $"{GraphOptions.Version}/oauth/access_token" when q["client_id"] != AppId || q["client_secret"] != AppSecret:
                    return Refuse(context, 1, "Error validating client secret.");
                case $"{GraphOptions.Version}/oauth/access_token" when q["grant_type"] == "fb_exchange_token":
                    if (q["fb_exchange_token"] == ShortLived)
                    {
                        return Token(context, LongLived, 5183944);
                    }

                    if (q["fb_exchange_token"] == LongLived)
                    {
                        Exchanges++;
                        return Token(context, Renewed, 5183944);
                    }

                    return Refuse(context, 190, "Invalid OAuth access token - Cannot parse access token");
                case $"{GraphOptions.Version}/oauth/access_token":
                    if (!codes.TryRemove(q["code"].ToString(), out var redirect))
                    {
                        return Refuse(context, 100, "This authorization code has been used.", 36009);
                    }

                    return redirect == q["redirect_uri"] ? Token(context, ShortLived, 5400) : Refuse(context, 100, "Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request", 36008);
                case $"{GraphOptions.Version}/me/accounts" when token == LongLived && BrokenAccounts:
                    return StubServer.JsonAsync(context, """{"data":[{"id":"111","name":"Brand ✨","instagram_bus""");
                case $"{GraphOptions.Version}/me/accounts" when token == LongLived && q["after"] == "QVFIUmy":
                    // The second and last page: no paging.next.
                    return StubServer.JsonAsync(context, """
                        {"data":[
                          {"id":"333","name":"Brand Outlet Deutschland","category":"Shopping & retail","tasks":["MODERATE"]}
                        ],"paging":{"cursors":{"before":"QVFIUmz","after":"QVFIUm0"}}}
                        """);
                case $"{GraphOptions.Version}/me/accounts" when token == LongLived:
                    return StubServer.JsonAsync(context, $$$"""
                        {"data":[
                          {"id":"111","name":"Brand ✨","category":"Brand","tasks":["MODERATE","CREATE_CONTENT"],"instagram_business_account":{"id":"17841400000000111","username":"brand"}},
                          {"id":"222","name":"Brand Outlet","category":"Shopping & retail","tasks":["ANALYZE"]}
                        ],"paging":{"cursors":{"before":"QVFIUmx","after":"QVFIUmy"},"next":"https://graph.facebook.com/{{{GraphOptions.Version}}}/me/accounts?limit=100&after=QVFIUmy"}}
                        """);
                case $"{GraphOptions.Version}/111" when token == LongLived && q["fields"].ToString().Contains("access_token", StringComparison.Ordinal):
                    return StubServer.JsonAsync(context, $$"""{"access_token":"{{PageToken("111")}}","name":"Brand ✨","id":"111"}""");
                case $"{GraphOptions.Version}/222" when token == LongLived:
                    // The classic mix-up: what comes back is a user token, not the Page's.
                    return StubServer.JsonAsync(context, $$"""{"access_token":"{{LongLived}}","name":"Brand Outlet","id":"222"}""");
                case $"{GraphOptions.Version}/debug_token" when token == $"{AppId}|{AppSecret}":
                    var input = q["input_token"].ToString();
                    DebugChecked.Enqueue(input);
                    var type = input.StartsWith("EAApageToken", StringComparison.Ordinal) ? "PAGE" : "USER";
                    return StubServer.JsonAsync(context, JsonSerializer.Serialize(new { data = new { app_id = AppId, type, application = "Firebreak", is_valid = true, expires_at = type == "PAGE" ? 0 : 1_800_000_000, scopes = new[] { "pages_show_list", "pages_read_engagement" } } }));
                default:
                    return Refuse(context, 190, $"Invalid OAuth access token or unknown path {path}", status: 401);
            }
        }

        private static Task Token(HttpContext context, string token, int expiresIn) =>
            StubServer.JsonAsync(context, JsonSerializer.Serialize(new { access_token = token, token_type = "bearer", expires_in = expiresIn }));

        private Task Refuse(HttpContext context, int code, string message, int? subcode = null, int status = 400)
        {
            Refusals.Enqueue(message);
            return StubServer.JsonAsync(context, JsonSerializer.Serialize(new { error = new { message, type = "OAuthException", code, error_subcode = subcode, fbtrace_id = "AbC123" } }), status);
        }
    }
}
