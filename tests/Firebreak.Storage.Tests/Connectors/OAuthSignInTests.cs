namespace Firebreak.Storage.Tests.Connectors;

using System.Net;
using System.Text.Json;
using Firebreak.Core.Connectors;
using Firebreak.Core.Connectors.LinkedIn;
using Firebreak.Core.Connectors.OAuth;
using Firebreak.Core.Connectors.Pinterest;
using Firebreak.Core.Connectors.TikTok;
using Firebreak.Core.Mentions;
using Microsoft.AspNetCore.WebUtilities;
using Xunit;
using SettableClock = Firebreak.Storage.Tests.FixedClock;

/// <summary>
/// "Connect with …" for X, Reddit, YouTube, TikTok, LinkedIn and Pinterest against loopback authorization servers that
/// check what each platform checks (<see cref="FakeOAuthServer"/>): the whole flow from the authorize redirect to a
/// stored, encrypted connection, every way a state can be wrong, the token endpoint's failures, and refresh.
/// </summary>
public sealed class OAuthSignInTests : IAsyncLifetime
{
    private static readonly Uri Redirect = new("https://firebreak.example/api/connections/x/callback");
    private readonly SettableClock clock = new(DateTimeOffset.UtcNow);
    private ConnectorRig rig = null!;
    private StubServer stub = null!;
    private ConnectionService connections = null!;

    public static TheoryData<Platform> Platforms => new() { Platform.X, Platform.Reddit, Platform.YouTube, Platform.TikTok, Platform.LinkedIn, Platform.Pinterest };

    public async Task InitializeAsync()
    {
        rig = await ConnectorRig.OpenAsync();
        stub = await StubServer.StartAsync();
        connections = new ConnectionService(rig.Connectors, rig.Protector, clock, rig.Alerts);
    }

    public async Task DisposeAsync()
    {
        await stub.DisposeAsync();
        await rig.DisposeAsync();
    }

    [Theory]
    [MemberData(nameof(Platforms))]
    public async Task SignIn_StoresTheAccountWithItsTokenEncrypted(Platform platform)
    {
        var (server, p, handle) = Arrange(platform);
        var flow = Flow(p);

        var authorize = flow.Start(rig.WorkspaceId, "acme", platform, Redirect);
        var (code, state) = await ConsentAsync(authorize);
        var outcome = await flow.CompleteAsync(rig.WorkspaceId, platform, code, state, CancellationToken.None);

        Assert.True(server.Refusals.IsEmpty, string.Join("; ", server.Refusals));
        var c = Assert.Single(outcome.Connected);
        Assert.Equal(handle, c.Handle);
        Assert.Equal(platform, c.Platform);
        Assert.DoesNotContain(server.Access!, c.ProtectedSecret, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Refresh!, c.ProtectedRefresh!, StringComparison.Ordinal);
        var stored = (await rig.Connectors.ListConnectionsAsync(rig.WorkspaceId, CancellationToken.None)).Single();
        Assert.Equal(server.Access, connections.Open(stored).Secret);
        Assert.NotNull(stored.ProtectedRefresh);
        Assert.Equal(clock.Now.AddSeconds(3600), stored.ExpiresAt!.Value, TimeSpan.FromSeconds(1));
        // The refresh token's own lifetime is kept where the platform says it (LinkedIn, TikTok, Pinterest).
        if (platform is Platform.LinkedIn or Platform.TikTok or Platform.Pinterest)
        {
            Assert.Equal(clock.Now.AddDays(365), stored.RefreshExpiresAt!.Value, TimeSpan.FromSeconds(1));
        }
        else
        {
            Assert.Null(stored.RefreshExpiresAt);
        }

        // What each platform's authorize request must carry.
        var query = QueryHelpers.ParseQuery(new Uri(authorize.ToString()).Query);
        Assert.Equal(Redirect.ToString(), query["redirect_uri"].ToString());
        Assert.Equal(platform is Platform.X or Platform.YouTube, query.ContainsKey("code_challenge"));
        switch (platform)
        {
            case Platform.X:
                Assert.Equal("S256", query["code_challenge_method"].ToString());
                Assert.Contains("offline.access", query["scope"].ToString(), StringComparison.Ordinal);
                break;
            case Platform.Reddit:
                Assert.Equal("permanent", query["duration"].ToString());
                break;
            case Platform.YouTube:
                Assert.Equal("offline", query["access_type"].ToString());
                Assert.Equal("consent", query["prompt"].ToString());
                break;
            case Platform.TikTok:
                Assert.Equal("tt-client-key", query["client_key"].ToString());
                Assert.False(query.ContainsKey("client_id"));
                break;
        }
    }

    [Fact]
    public async Task Code_WorksOnce()
    {
        var (server, p, _) = Arrange(Platform.X);
        var flow = Flow(p);
        var (code, state) = await ConsentAsync(flow.Start(rig.WorkspaceId, "acme", Platform.X, Redirect));
        await flow.CompleteAsync(rig.WorkspaceId, Platform.X, code, state, CancellationToken.None);

        var again = await Assert.ThrowsAsync<ConnectorException>(() => flow.CompleteAsync(rig.WorkspaceId, Platform.X, code, state, CancellationToken.None));

        Assert.Equal(FailureKind.Revoked, again.Kind);
        Assert.Contains("start connecting again", again.Message, StringComparison.Ordinal);
        Assert.Contains("used already", server.Refusals.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pkce_ACodeFinishedWithAnotherFlowsVerifier_IsRefused()
    {
        var (server, p, _) = Arrange(Platform.X);
        var flow = Flow(p);
        var (code, _) = await ConsentAsync(flow.Start(rig.WorkspaceId, "acme", Platform.X, Redirect));
        var (_, otherState) = await ConsentAsync(flow.Start(rig.WorkspaceId, "acme", Platform.X, Redirect));

        var refused = await Assert.ThrowsAsync<ConnectorException>(() => flow.CompleteAsync(rig.WorkspaceId, Platform.X, code, otherState, CancellationToken.None));

        Assert.Contains("code_verifier does not match", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await rig.Connectors.ListConnectionsAsync(rig.WorkspaceId, CancellationToken.None));
    }

    [Fact]
    public async Task State_Tampered_OtherWorkspace_OtherPlatform_Expired_AreRefused()
    {
        var reddit = Arrange(Platform.Reddit).Platform;
        var (_, x, _) = Arrange(Platform.X); // the stub now speaks X
        var flow = new AuthorizationCodeFlow([x, reddit], rig.Http, rig.Protector, connections, clock);
        var (code, state) = await ConsentAsync(flow.Start(rig.WorkspaceId, "acme", Platform.X, Redirect));
        var other = await rig.Store.AddWorkspaceAsync("other");

        var tampered = state[..^4] + (state[^4] == 'A' ? "B" : "A") + state[^3..];
        Assert.Contains("not one Firebreak issued", (await Assert.ThrowsAsync<ArgumentException>(() => flow.CompleteAsync(rig.WorkspaceId, Platform.X, code, tampered, CancellationToken.None))).Message, StringComparison.Ordinal);
        Assert.Contains("another workspace", (await Assert.ThrowsAsync<ArgumentException>(() => flow.CompleteAsync(other, Platform.X, code, state, CancellationToken.None))).Message, StringComparison.Ordinal);
        Assert.Contains("not one Firebreak issued", (await Assert.ThrowsAsync<ArgumentException>(() => flow.CompleteAsync(rig.WorkspaceId, Platform.Reddit, code, state, CancellationToken.None))).Message, StringComparison.Ordinal);
        clock.Now = clock.Now.AddMinutes(16);
        Assert.Contains("longer than 15 minutes", (await Assert.ThrowsAsync<ArgumentException>(() => flow.CompleteAsync(rig.WorkspaceId, Platform.X, code, state, CancellationToken.None))).Message, StringComparison.Ordinal);

        Assert.Empty(await rig.Connectors.ListConnectionsAsync(rig.WorkspaceId, CancellationToken.None));
        Assert.Empty(await rig.Connectors.ListConnectionsAsync(other, CancellationToken.None));
        // Within the 15 minutes and in its own workspace the same state still works: the refusals above were for cause.
        clock.Now = clock.Now.AddMinutes(-16);
        Assert.Single((await flow.CompleteAsync(rig.WorkspaceId, Platform.X, code, state, CancellationToken.None)).Connected);
    }

    [Fact]
    public async Task TokenEndpoint_Failures_SayWhatHappened()
    {
        var (server, p, _) = Arrange(Platform.Reddit);
        var flow = Flow(p);
        server.ScriptedToken.Enqueue((400, """{"error":"invalid_grant"}"""));
        var (code, state) = await ConsentAsync(flow.Start(rig.WorkspaceId, "acme", Platform.Reddit, Redirect));
        var invalid = await Assert.ThrowsAsync<ConnectorException>(() => flow.CompleteAsync(rig.WorkspaceId, Platform.Reddit, code, state, CancellationToken.None));
        Assert.Equal(FailureKind.Revoked, invalid.Kind);
        Assert.Contains("sign-in code was refused", invalid.Message, StringComparison.Ordinal);

        // A 503 to the code exchange (a POST) is not sent again blind: the platform may have used the single-use code.
        server.ScriptedToken.Enqueue((503, """{"message":"upstream busy"}"""));

        var down = await Assert.ThrowsAsync<ConnectorException>(() => flow.CompleteAsync(rig.WorkspaceId, Platform.Reddit, code, state, CancellationToken.None));
        Assert.Equal(FailureKind.Transient, down.Kind);
        Assert.Contains("server error 503", down.Message, StringComparison.Ordinal);
        Assert.True(down.Uncertain);

        server.ScriptedToken.Enqueue((400, """{"error":"unauthorized_client","error_description":"redirect not registered"}"""));
        var other = await Assert.ThrowsAsync<ConnectorException>(() => flow.CompleteAsync(rig.WorkspaceId, Platform.Reddit, code, state, CancellationToken.None));
        Assert.Equal(FailureKind.Rejected, other.Kind);
        Assert.Contains("redirect not registered", other.Message, StringComparison.Ordinal);
        Assert.Empty(await rig.Connectors.ListConnectionsAsync(rig.WorkspaceId, CancellationToken.None));
    }

    [Fact]
    public async Task TikTok_ErrorInA200Body_IsAnError()
    {
        var (server, p, _) = Arrange(Platform.TikTok);
        var flow = Flow(p);
        server.ScriptedToken.Enqueue((200, """{"error":"invalid_request","error_description":"Code verifier or code challenge is invalid.","log_id":"20250303"}"""));
        var (code, state) = await ConsentAsync(flow.Start(rig.WorkspaceId, "acme", Platform.TikTok, Redirect));

        var refused = await Assert.ThrowsAsync<ConnectorException>(() => flow.CompleteAsync(rig.WorkspaceId, Platform.TikTok, code, state, CancellationToken.None));

        Assert.Contains("invalid_request", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await rig.Connectors.ListConnectionsAsync(rig.WorkspaceId, CancellationToken.None));
    }

    [Fact]
    public void NotConfigured_SaysWhatToSet()
    {
        var p = OAuthPlatforms.X(new OAuthAppOptions(), rig.Http);
        var flow = Flow(p);

        var e = Assert.Throws<InvalidOperationException>(() => flow.Start(rig.WorkspaceId, "acme", Platform.X, Redirect));

        Assert.False(p.Configured);
        Assert.Contains("Connectors:X:ClientId", e.Message, StringComparison.Ordinal);
        Assert.Contains("Connectors__X__ClientSecret", e.Message.Replace("…__ClientSecret", "Connectors__X__ClientSecret", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task YouTube_SeveralChannels_EndInAPick_ThatStoresOnlyTheChosen()
    {
        var (server, p, _) = Arrange(Platform.YouTube);
        server.Routes["/youtube/v3/channels"] = """{"kind":"youtube#channelListResponse","items":[{"kind":"youtube#channel","id":"UCbrand000000000000000001","snippet":{"title":"Brand"}},{"kind":"youtube#channel","id":"UCsupport00000000000000002","snippet":{"title":"Brand Support ✨"}}]}""";
        var flow = Flow(p);
        var (code, state) = await ConsentAsync(flow.Start(rig.WorkspaceId, "acme", Platform.YouTube, Redirect));

        var outcome = await flow.CompleteAsync(rig.WorkspaceId, Platform.YouTube, code, state, CancellationToken.None);

        Assert.Empty(outcome.Connected);
        Assert.Equal(2, outcome.Choices.Count);
        Assert.DoesNotContain(server.Access!, outcome.Pick!, StringComparison.Ordinal);
        Assert.Equal(["youtube:UCbrand000000000000000001", "youtube:UCsupport00000000000000002"], flow.Choices(rig.WorkspaceId, Platform.YouTube, outcome.Pick!).Select(AuthorizationCodeFlow.Choice));
        await Assert.ThrowsAsync<ArgumentException>(() => flow.PickAsync(rig.WorkspaceId, Platform.YouTube, outcome.Pick!, ["youtube:UCsomeoneelse"], CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => flow.PickAsync(rig.WorkspaceId + 1, Platform.YouTube, outcome.Pick!, ["youtube:UCsupport00000000000000002"], CancellationToken.None));

        var saved = await flow.PickAsync(rig.WorkspaceId, Platform.YouTube, outcome.Pick!, ["youtube:UCsupport00000000000000002"], CancellationToken.None);

        var c = Assert.Single(saved);
        Assert.Equal("UCsupport00000000000000002", c.Handle);
        Assert.Equal(server.Access, connections.Open(c).Secret);
        Assert.Single(await rig.Connectors.ListConnectionsAsync(rig.WorkspaceId, CancellationToken.None));
    }

    [Theory]
    [InlineData(Platform.X, true)]
    [InlineData(Platform.Reddit, false)]
    [InlineData(Platform.YouTube, false)]
    public async Task Refresh_IsScheduled_AndRotatesTokens(Platform platform, bool rotates)
    {
        var (server, p, _) = Arrange(platform);
        var flow = Flow(p);
        var (code, state) = await ConsentAsync(flow.Start(rig.WorkspaceId, "acme", platform, Redirect));
        await flow.CompleteAsync(rig.WorkspaceId, platform, code, state, CancellationToken.None);
        var firstAccess = server.Access;
        var firstRefresh = server.Refresh;
        var refresher = new TokenRefresher(rig.Connectors, connections, rig.Protector, rig.Http, [p.Grant], clock);

        Assert.Equal(0, await refresher.RefreshDueAsync(CancellationToken.None));
        clock.Now = clock.Now.AddMinutes(55);
        Assert.Equal(1, await refresher.RefreshDueAsync(CancellationToken.None));

        Assert.True(server.Refusals.IsEmpty, string.Join("; ", server.Refusals));
        var c = (await rig.Connectors.ListConnectionsAsync(rig.WorkspaceId, CancellationToken.None)).Single();
        Assert.NotEqual(firstAccess, server.Access);
        Assert.Equal(server.Access, connections.Open(c).Secret);
        Assert.Equal(clock.Now.AddSeconds(3600), c.ExpiresAt!.Value, TimeSpan.FromSeconds(1));
        Assert.Equal(rotates, firstRefresh != server.Refresh);
        // The stored refresh token is the one the server now accepts: the next refresh works too.
        clock.Now = clock.Now.AddMinutes(55);
        Assert.Equal(1, await refresher.RefreshDueAsync(CancellationToken.None));
        Assert.Equal(ConnectionState.Active, (await rig.Connectors.ListConnectionsAsync(rig.WorkspaceId, CancellationToken.None)).Single().State);
    }

    [Theory]
    [InlineData(StoreProvider.Sqlite)]
    [InlineData(StoreProvider.Postgres)]
    public async Task RefreshTokenExpiry_WarnsOnce_AndAgainOnlyForANewSignIn(StoreProvider provider)
    {
        if (provider != StoreProvider.Sqlite)
        {
            await rig.DisposeAsync();
            rig = await ConnectorRig.OpenAsync(provider);
            connections = new ConnectionService(rig.Connectors, rig.Protector, clock, rig.Alerts);
        }

        var (_, p, _) = Arrange(Platform.LinkedIn);
        var flow = Flow(p);
        var (code, state) = await ConsentAsync(flow.Start(rig.WorkspaceId, "acme", Platform.LinkedIn, Redirect));
        await flow.CompleteAsync(rig.WorkspaceId, Platform.LinkedIn, code, state, CancellationToken.None);
        // Keep the access token fresh so only the refresh token's own end is near.
        var refresher = new TokenRefresher(rig.Connectors, connections, rig.Protector, rig.Http, [p.Grant], clock);

        clock.Now = clock.Now.AddDays(340);
        Assert.Equal(1, await refresher.RefreshDueAsync(CancellationToken.None));
        Assert.Equal(0, await connections.CheckExpiryAsync(CancellationToken.None));
        clock.Now = clock.Now.AddDays(12);
        Assert.Equal(1, await refresher.RefreshDueAsync(CancellationToken.None));
        Assert.Equal(1, await connections.CheckExpiryAsync(CancellationToken.None));
        Assert.Equal(0, await connections.CheckExpiryAsync(CancellationToken.None));
        // A refresh keeps the refresh token (and its end): the warning is not repeated after it.
        clock.Now = clock.Now.AddMinutes(55);
        Assert.Equal(1, await refresher.RefreshDueAsync(CancellationToken.None));
        Assert.Equal(0, await connections.CheckExpiryAsync(CancellationToken.None));

        var alert = Assert.Single(rig.Alerts.Raised, d => d.Dimension.EndsWith(":refresh-expiry", StringComparison.Ordinal));
        Assert.Contains("must use \"Connect with LinkedIn\"", alert.Explanation, StringComparison.Ordinal);
        Assert.NotNull((await rig.Connectors.ListConnectionsAsync(rig.WorkspaceId, CancellationToken.None)).Single().RefreshWarnedAt);

        // A new sign-in is a new refresh token with a new end: the warning is cleared, and comes again only near that end.
        var (code2, state2) = await ConsentAsync(flow.Start(rig.WorkspaceId, "acme", Platform.LinkedIn, Redirect));
        await flow.CompleteAsync(rig.WorkspaceId, Platform.LinkedIn, code2, state2, CancellationToken.None);
        var renewed = (await rig.Connectors.ListConnectionsAsync(rig.WorkspaceId, CancellationToken.None)).Single();
        Assert.Null(renewed.RefreshWarnedAt);
        Assert.Equal(clock.Now.AddDays(365), renewed.RefreshExpiresAt!.Value, TimeSpan.FromSeconds(1));
        Assert.Equal(0, await connections.CheckExpiryAsync(CancellationToken.None));
    }

    private AuthorizationCodeFlow Flow(OAuthPlatform p) => new([p], rig.Http, rig.Protector, connections, clock);

    /// <summary>The person's browser: opens the authorize URL, consents, and reads the code and state off the redirect.</summary>
    private static async Task<(string Code, string State)> ConsentAsync(Uri authorize)
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var response = await browser.GetAsync(authorize);
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        var back = response.Headers.Location!;
        Assert.StartsWith(Redirect.ToString(), back.ToString(), StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(back.Query);
        return (query["code"].ToString(), query["state"].ToString());
    }

    private static string Token(string access, string? refresh, params (string Name, object Value)[] extra)
    {
        var body = new Dictionary<string, object?> { ["access_token"] = access, ["token_type"] = "bearer", ["expires_in"] = 3600 };
        if (refresh is not null)
        {
            body["refresh_token"] = refresh;
        }

        foreach (var (name, value) in extra)
        {
            body[name] = value;
        }

        return JsonSerializer.Serialize(body);
    }

    /// <summary>A stub server speaking <paramref name="platform"/>'s documented paths and shapes, and the flow pointed at it.</summary>
    private (FakeOAuthServer Server, OAuthPlatform Platform, string Handle) Arrange(Platform platform)
    {
        var year = 365 * 24 * 3600;
        var b = stub.BaseUri;
        (FakeOAuthServer server, OAuthPlatform p, string handle) = platform switch
        {
            // docs.x.com OAuth 2.0 with PKCE: confidential client → Basic; refresh tokens rotate.
            Platform.X => (new FakeOAuthServer
            {
                AuthorizePath = "/i/oauth2/authorize", TokenPath = "/2/oauth2/token", ClientId = "x-client", ClientSecret = "x-secret", BasicAuth = true,
                TokenJson = (a, r, _) => Token(a, r, ("scope", "tweet.read tweet.write users.read offline.access")),
                Routes = { ["/2/users/me"] = """{"data":{"id":"2244994945","name":"Brand ✨","username":"brand"}}""" },
            }, OAuthPlatforms.X(App(b, "i/oauth2/authorize", "2/oauth2/token", "x-client", "x-secret"), rig.Http), "brand"),
            // Reddit OAuth2: Basic; duration=permanent; refresh answers keep the refresh token.
            Platform.Reddit => (new FakeOAuthServer
            {
                AuthorizePath = "/api/v1/authorize", TokenPath = "/api/v1/access_token", ClientId = "rd-client", ClientSecret = "rd-secret", BasicAuth = true, Rotates = false,
                TokenJson = (a, r, _) => Token(a, r, ("scope", "identity read submit history")),
                Routes = { ["/api/v1/me"] = """{"name":"brand_care","id":"1w72","is_employee":false}""" },
            }, OAuthPlatforms.Reddit(App(b, "api/v1/authorize", "api/v1/access_token", "rd-client", "rd-secret"), rig.Http), "brand_care"),
            // Google: client credentials in the form; refresh answers carry no refresh_token.
            Platform.YouTube => (new FakeOAuthServer
            {
                AuthorizePath = "/o/oauth2/v2/auth", TokenPath = "/token", ClientId = "123-abc.apps.googleusercontent.com", ClientSecret = "GOCSPX-secret", Rotates = false,
                TokenJson = (a, r, _) => Token(a, r, ("scope", "https://www.googleapis.com/auth/youtube.force-ssl")),
                Routes = { ["/youtube/v3/channels"] = """{"kind":"youtube#channelListResponse","items":[{"kind":"youtube#channel","id":"UCbrand000000000000000001","snippet":{"title":"Brand"}}]}""" },
            }, OAuthPlatforms.YouTube(App(b, "o/oauth2/v2/auth", "token", "123-abc.apps.googleusercontent.com", "GOCSPX-secret"), rig.Http), "UCbrand000000000000000001"),
            // TikTok Login Kit v2: client_key in the form; open_id and refresh_expires_in in the answer.
            Platform.TikTok => (new FakeOAuthServer
            {
                AuthorizePath = "/v2/auth/authorize/", TokenPath = "/v2/oauth/token/", ClientId = "tt-client-key", ClientSecret = "tt-secret", ClientIdField = "client_key",
                TokenJson = (a, r, _) => Token(a, r, ("open_id", "723f24d7-e717-40f8-a2b6-cb8464cd23b4"), ("refresh_expires_in", year), ("scope", "user.info.basic,video.list")),
                Routes = { ["/v2/user/info/"] = """{"data":{"user":{"open_id":"723f24d7-e717-40f8-a2b6-cb8464cd23b4","display_name":"Brand","username":"brand.official"}},"error":{"code":"ok","message":"","log_id":"2025"}}""" },
            }, OAuthPlatforms.TikTok(new TikTokOptions { OpenApiBase = b }, App(b, "v2/auth/authorize/", null, "tt-client-key", "tt-secret"), rig.Http), "723f24d7-e717-40f8-a2b6-cb8464cd23b4"),
            // LinkedIn: form credentials; refresh_token_expires_in counts down from the first sign-in.
            Platform.LinkedIn => (new FakeOAuthServer
            {
                AuthorizePath = "/oauth/v2/authorization", TokenPath = "/oauth/v2/accessToken", ClientId = "li-client", ClientSecret = "li-secret", Rotates = false,
                TokenJson = (a, r, refresh) => Token(a, r, ("refresh_token_expires_in", RemainingOfYear(refresh)), ("scope", "r_organization_social,w_organization_social,rw_organization_admin")),
                Routes = { ["/rest/organizationAcls"] = """{"paging":{"count":10,"start":0},"elements":[{"role":"ADMINISTRATOR","organization":"urn:li:organization:2414183","state":"APPROVED","roleAssignee":"urn:li:person:abc"}]}""" },
            }, OAuthPlatforms.LinkedIn(new LinkedInOptions { ApiBase = b, TokenUri = new Uri(b, "oauth/v2/accessToken"), ClientId = "li-client", ClientSecret = "li-secret" }, App(b, "oauth/v2/authorization", null, string.Empty, string.Empty), rig.Http), "2414183"),
            // Pinterest v5: Basic; refresh_token_expires_in.
            Platform.Pinterest => (new FakeOAuthServer
            {
                AuthorizePath = "/oauth/", TokenPath = "/v5/oauth/token", ClientId = "1234567", ClientSecret = "pin-secret", BasicAuth = true,
                TokenJson = (a, r, _) => Token(a, r, ("refresh_token_expires_in", year), ("response_type", "authorization_code"), ("scope", "boards:read,pins:read,user_accounts:read")),
                Routes = { ["/v5/user_account"] = """{"account_type":"BUSINESS","username":"acmehome","id":"549755885175"}""" },
            }, OAuthPlatforms.Pinterest(new PinterestOptions { ApiBase = new Uri(b, "v5/"), ClientId = "1234567", ClientSecret = "pin-secret" }, App(b, "oauth/", null, string.Empty, string.Empty), rig.Http), "acmehome"),
            _ => throw new ArgumentOutOfRangeException(nameof(platform)),
        };
        stub.Handler = server.HandleAsync;
        return (server, p, handle);
    }

    private long signedInAtSeconds;

    private long RemainingOfYear(bool refresh)
    {
        // LinkedIn's refresh token lives 365 days from the sign-in: a refresh answers what is left of it, not a new year.
        var now = clock.Now.ToUnixTimeSeconds();
        signedInAtSeconds = refresh ? signedInAtSeconds : now;
        return (365 * 24 * 3600) - (now - signedInAtSeconds);
    }

    private static OAuthAppOptions App(Uri b, string authorize, string? token, string id, string secret) =>
        new() { AuthorizeUri = new Uri(b, authorize), TokenUri = token is null ? null : new Uri(b, token), ApiBase = b, ClientId = id, ClientSecret = secret };
}
