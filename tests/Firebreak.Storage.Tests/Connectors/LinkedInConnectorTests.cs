namespace Firebreak.Storage.Tests.Connectors;

using System.Globalization;
using System.Text.Json;
using Firebreak.Core.Connectors;
using Firebreak.Core.Connectors.LinkedIn;
using Firebreak.Core.Connectors.OAuth;
using Firebreak.Core.Mentions;
using Firebreak.Core.Workspaces;
using Microsoft.AspNetCore.Http;

/// <summary>
/// A LinkedIn stub speaking the Community Management API (versioned REST): <c>/rest/posts?q=author</c>,
/// <c>/rest/socialActions/{urn}/comments</c> with <c>{elements, paging: {start, count, total}}</c>, 426 for a retired
/// <c>LinkedIn-Version</c>, and the OAuth <c>/oauth/v2/accessToken</c> refresh grant.
/// </summary>
internal sealed class FakeLinkedIn
{
    public const string Org = "urn:li:organization:2414183";
    public const long T0 = 1_740_000_000_000;

    public string Token { get; set; } = "AQV-first";

    public string ActiveVersion { get; set; } = "202607";

    public Dictionary<string, List<(string Urn, long Time, string Actor, string Text, string? Parent)>> Comments { get; } = [];

    public ScriptedFailures Scripted { get; } = new();

    /// <summary>Replies posted to comments (comments on comments), by the parent comment's URN.</summary>
    public Dictionary<string, List<(string Urn, long Time, string Actor, string Text, string? Parent)>> Replies { get; } = [];

    /// <summary>Runs after a reply was stored and before it is answered: a test "crashes" the sender there.</summary>
    public Func<Task>? AfterAcceptingReply { get; set; }

    public void Add(string post, long offset, string? text = null, string? actor = null, string? parent = null)
    {
        if (!Comments.TryGetValue(post, out var list))
        {
            Comments[post] = list = [];
        }

        var activity = post.Replace("urn:li:share:", "urn:li:activity:", StringComparison.Ordinal);
        list.Add(($"urn:li:comment:({activity},{offset})", T0 + offset, actor ?? $"urn:li:person:p{offset}", text ?? $"comment {offset}", parent));
    }

    public async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value!;
        if (path == "/oauth/v2/accessToken")
        {
            var form = await context.Request.ReadFormAsync();
            if (form["refresh_token"] == "AQX-refresh" && form["client_id"] == "li-app")
            {
                Token = "AQV-renewed";
                await StubServer.JsonAsync(context, """{"access_token":"AQV-renewed","expires_in":5184000,"refresh_token_expires_in":31000000,"scope":"r_organization_social,w_organization_social"}""");
            }
            else
            {
                await StubServer.JsonAsync(context, """{"error":"invalid_grant","error_description":"The provided authorization grant or refresh token is invalid, expired or revoked"}""", 400);
            }

            return;
        }

        if (context.Request.Headers.Authorization != $"Bearer {Token}")
        {
            await StubServer.JsonAsync(context, """{"status":401,"serviceErrorCode":65600,"code":"INVALID_ACCESS_TOKEN","message":"Invalid access token"}""", 401);
            return;
        }

        if (context.Request.Headers["X-Restli-Protocol-Version"] != "2.0.0")
        {
            await StubServer.JsonAsync(context, """{"status":400,"message":"Rest.li protocol 2.0.0 required"}""", 400);
            return;
        }

        if (context.Request.Headers["LinkedIn-Version"] != ActiveVersion)
        {
            await StubServer.JsonAsync(context, $$"""{"status":426,"code":"NONEXISTENT_VERSION","message":"Requested version {{context.Request.Headers["LinkedIn-Version"]}} is not active"}""", 426);
            return;
        }

        if (Scripted.TryServe(context) is { } scripted)
        {
            await scripted;
            return;
        }

        if (path == "/rest/posts")
        {
            var posts = string.Join(",", Comments.Keys.Select(p => $$"""{"id":"{{p}}","author":"{{Org}}","commentary":"our post","createdAt":{{T0}},"lifecycleState":"PUBLISHED","visibility":"PUBLIC"}"""));
            await StubServer.JsonAsync(context, $$$"""{"elements":[{{{posts}}}],"paging":{"start":0,"count":20,"links":[]}}""");
            return;
        }

        const string Prefix = "/rest/socialActions/";
        if (path.StartsWith(Prefix, StringComparison.Ordinal) && path.EndsWith("/comments", StringComparison.Ordinal))
        {
            var urn = Uri.UnescapeDataString(path[Prefix.Length..^"/comments".Length]);
            if (context.Request.Method == "POST")
            {
                var sent = (await JsonDocument.ParseAsync(context.Request.Body)).RootElement;
                if (!Replies.TryGetValue(urn, out var replies))
                {
                    Replies[urn] = replies = [];
                }

                var created = $"urn:li:comment:(urn:li:activity:1,{999 + Replies.Values.Sum(r => r.Count)})";
                replies.Add((created, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), sent.GetProperty("actor").GetString()!, sent.GetProperty("message").GetProperty("text").GetString()!, urn));
                if (AfterAcceptingReply is { } crash)
                {
                    await crash();
                }

                context.Response.Headers["x-restli-id"] = created;
                context.Response.StatusCode = 201;
                return;
            }

            var all = Comments.TryGetValue(urn, out var onPost) ? onPost : Replies.GetValueOrDefault(urn, []);
            var start = int.Parse(context.Request.Query["start"]!, CultureInfo.InvariantCulture);
            var count = int.Parse(context.Request.Query["count"]!, CultureInfo.InvariantCulture);
            var page = all.Skip(start).Take(count).Select(c => JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["actor"] = c.Actor,
                ["commentUrn"] = c.Urn,
                ["created"] = new { actor = c.Actor, time = c.Time },
                ["id"] = c.Urn.Split(',')[^1].TrimEnd(')'),
                ["message"] = new { text = c.Text },
                ["object"] = urn.Replace("urn:li:share:", "urn:li:activity:", StringComparison.Ordinal),
                ["likesSummary"] = new { totalLikes = 3, likedByCurrentUser = false },
                ["parentComment"] = c.Parent,
            }));
            await StubServer.JsonAsync(context, $$$"""{"elements":[{{{string.Join(",", page)}}}],"paging":{"start":{{{start}}},"count":{{{count}}},"total":{{{all.Count}}},"links":[]}}""");
            return;
        }

        context.Response.StatusCode = 404;
    }
}

public sealed class LinkedInConnectorTests : IAsyncLifetime
{
    private const string Post = "urn:li:share:7130000000000000001";
    private readonly FakeLinkedIn linkedin = new();
    private ConnectorRig rig = null!;
    private StubServer stub = null!;
    private Source source = null!;
    private LinkedInOptions options = null!;

    public async Task InitializeAsync()
    {
        rig = await ConnectorRig.OpenAsync();
        stub = await StubServer.StartAsync(linkedin.HandleAsync);
        options = new LinkedInOptions { ApiBase = stub.BaseUri, TokenUri = new Uri(stub.BaseUri, "oauth/v2/accessToken"), ClientId = "li-app", ClientSecret = "li-secret" };
        await rig.Connections.ConnectAsync(rig.WorkspaceId, Platform.LinkedIn, "2414183", stub.BaseUri, linkedin.Token, "AQX-refresh", DateTimeOffset.UtcNow.AddDays(50), CancellationToken.None);
        source = await rig.SourceAsync(Platform.LinkedIn, SourceKind.Account, "2414183");
    }

    public async Task DisposeAsync()
    {
        await stub.DisposeAsync();
        await rig.DisposeAsync();
    }

    private async Task<ListenReport> PassAsync()
    {
        var runner = new ConnectorRunner([new LinkedInConnector(rig.Http, options)], rig.Connectors, rig.Connections, rig.Store.Pipeline, rig.RunnerOptions, TimeProvider.System);
        return await runner.PassAsync(source, runner.ConnectorFor(Platform.LinkedIn)!, rig.Health(source), CancellationToken.None);
    }

    private static string Urn(long offset) => $"urn:li:comment:(urn:li:activity:7130000000000000001,{offset})";

    [Fact]
    public async Task Pass_MoreCommentsThanThePageCap_SaysHowManyWereNotRead()
    {
        for (var n = 1; n <= 120; n++)
        {
            linkedin.Add(Post, n);
        }

        options.MaxCommentPages = 2;
        var report = await PassAsync();

        Assert.Equal(100, report.Inserted);
        var error = Assert.Single(report.Errors);
        Assert.Equal($"comments of {Post}", error.Position);
        Assert.StartsWith("20 comments past page 2 were not read", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pass_PagesCommentsByStartAndTotal_MapsUrnsAndSkipsTheOrganisationsOwn()
    {
        for (var n = 1; n <= 120; n++)
        {
            linkedin.Add(Post, n);
        }

        linkedin.Add(Post, 121, "thanks, we're on it", actor: FakeLinkedIn.Org);
        linkedin.Add(Post, 122, "still broken 😤", parent: Urn(5));

        var report = await PassAsync();

        Assert.Null(report.Failure);
        Assert.Equal(121, (await rig.StoredIdsAsync()).Count);
        Assert.Equal(["0", "50", "100"], stub.To($"/rest/socialActions/{Post}/comments").Select(r => r.QueryValue("start")));
        Assert.Equal(FakeLinkedIn.Org, stub.To("/rest/posts").Single().QueryValue("author"));
        Assert.Equal("author", stub.To("/rest/posts").Single().QueryValue("q"));
        var row = (await rig.Store.RowsAsync("SELECT kind, parent_external_id, author_handle, text, url FROM mentions WHERE external_id = $e", ("$e", Urn(122)))).Single();
        Assert.Equal(["reply", Urn(5), "urn:li:person:p122", "still broken 😤", $"https://www.linkedin.com/feed/update/{Post}?commentUrn={Uri.EscapeDataString(Urn(122))}"], row);
        Assert.Equal((FakeLinkedIn.T0 + 122).ToString(CultureInfo.InvariantCulture), await rig.Connectors.GetCheckpointAsync(rig.WorkspaceId, source.Id, CancellationToken.None));
    }

    [Fact]
    public async Task Pass_AfterRestart_ReadsOnlyNewCommentsEvenOutOfOrder()
    {
        linkedin.Add(Post, 10);
        linkedin.Add(Post, 5);
        await PassAsync();
        linkedin.Add(Post, 20);
        linkedin.Add(Post, 1); // older than the checkpoint: edited history, not new

        var second = await PassAsync();

        Assert.Equal(1, second.Inserted);
        Assert.Equal([Urn(10), Urn(20), Urn(5)], await rig.StoredIdsAsync());
    }

    [Fact]
    public async Task Pass_RetiredVersion_SaysWhichSettingToChangeInHealth()
    {
        linkedin.Add(Post, 1);
        linkedin.ActiveVersion = "202611";

        var health = rig.Health(source);
        var runner = new ConnectorRunner([new LinkedInConnector(rig.Http, options)], rig.Connectors, rig.Connections, rig.Store.Pipeline, rig.RunnerOptions, TimeProvider.System);
        var report = await runner.PassAsync(source, runner.ConnectorFor(Platform.LinkedIn)!, health, CancellationToken.None);

        Assert.Equal(FailureKind.Rejected, report.Failure?.Kind);
        Assert.Equal(426, report.Failure!.Status);
        var stored = (await rig.Connectors.ListHealthAsync(rig.WorkspaceId, CancellationToken.None)).Single();
        Assert.Contains("LinkedIn API version 202607 is no longer supported", stored.LastError);
        Assert.Contains("Connectors:LinkedIn:Version", stored.LastError);
        Assert.Equal(ConnectionState.Active, (await rig.Connections.ListConnectionsAsync(rig.WorkspaceId, CancellationToken.None)).Single().State);
    }

    [Fact]
    public async Task Pass_429RetryAfter_5xx_AndTruncatedPage()
    {
        linkedin.Add(Post, 1);
        linkedin.Add(Post, 2);
        linkedin.Scripted.Enqueue("/rest/posts", 429, """{"status":429,"message":"Resource level throttle limit for calls to this resource is reached."}""", ("Retry-After", "1"));
        var comments = $"/rest/socialActions/{Post}/comments";
        linkedin.Scripted.Enqueue(comments, 500, """{"status":500,"message":"Internal Server Error"}""");
        linkedin.Scripted.Enqueue(comments, 200, $$$"""{"elements":[{"actor":"urn:li:person:a","commentUrn":"{{{Urn(1)}}}","created":{"actor":"urn:li:person:a","time":{{{FakeLinkedIn.T0 + 1}}}},"message":{"text":"kept"}},{"actor":"urn:li:person:b","commentUrn":"{{{Urn(2)}}}","crea""");

        var report = await PassAsync();

        Assert.Null(report.Failure);
        Assert.Equal([Urn(1)], await rig.StoredIdsAsync());
        Assert.Single(report.Errors);
        Assert.Equal(2, stub.To("/rest/posts").Count());
        Assert.Null(await rig.Connectors.GetCheckpointAsync(rig.WorkspaceId, source.Id, CancellationToken.None));
        await PassAsync();
        Assert.Equal([Urn(1), Urn(2)], await rig.StoredIdsAsync());
    }

    [Fact]
    public async Task Pass_401_RevokesTheConnection()
    {
        linkedin.Add(Post, 1);
        linkedin.Token = "AQV-elsewhere";

        Assert.Equal(FailureKind.Revoked, (await PassAsync()).Failure?.Kind);
        Assert.Equal(ConnectionState.Revoked, (await rig.Connections.ListConnectionsAsync(rig.WorkspaceId, CancellationToken.None)).Single().State);
    }

    [Fact]
    public async Task Reply_PostsAsTheOrganisationWithParentCommentAndActivity()
    {
        var account = (await rig.Connections.ListAsync(rig.WorkspaceId, CancellationToken.None)).Single();

        var result = await new LinkedInReplySender(rig.Http, options).SendAsync(account, new ReplyRequest(rig.WorkspaceId, 3, Urn(5), null, "Sorry — DM us", DateTimeOffset.UtcNow), CancellationToken.None);

        Assert.Equal("urn:li:comment:(urn:li:activity:1,999)", result.RemoteId);
        var sent = stub.Requests.Single(r => r.Method == "POST");
        Assert.Equal(Urn(5), Uri.UnescapeDataString(sent.Path["/rest/socialActions/".Length..^"/comments".Length]));
        var body = JsonDocument.Parse(sent.Body).RootElement;
        Assert.Equal(FakeLinkedIn.Org, body.GetProperty("actor").GetString());
        Assert.Equal("urn:li:activity:7130000000000000001", body.GetProperty("object").GetString());
        Assert.Equal(Urn(5), body.GetProperty("parentComment").GetString());
        Assert.Equal("Sorry — DM us", body.GetProperty("message").GetProperty("text").GetString());
        Assert.Equal("202607", sent.Headers["LinkedIn-Version"]);
    }

    [Fact]
    public async Task Refresh_KeepsTheRefreshTokenLinkedInDoesNotRotate_AndInvalidGrantRevokes()
    {
        var c = (await rig.Connections.ListConnectionsAsync(rig.WorkspaceId, CancellationToken.None)).Single();
        var refresher = new TokenRefresher(rig.Connectors, rig.Connections, rig.Protector, rig.Http,
            [new RefreshTokenGrant(Platform.LinkedIn, options.TokenUri, options.ClientId, options.ClientSecret)], TimeProvider.System);

        Assert.True(await refresher.RefreshAsync(c, CancellationToken.None));
        var renewed = (await rig.Connections.ListAsync(rig.WorkspaceId, CancellationToken.None)).Single();
        Assert.Equal("AQV-renewed", renewed.Secret);
        Assert.True(renewed.ExpiresAt > DateTimeOffset.UtcNow.AddDays(59));
        // LinkedIn answered without a refresh_token: the old one is kept and still works.
        Assert.True(await refresher.RefreshAsync((await rig.Connections.ListConnectionsAsync(rig.WorkspaceId, CancellationToken.None)).Single(), CancellationToken.None));

        var bad = new TokenRefresher(rig.Connectors, rig.Connections, rig.Protector, rig.Http,
            [new RefreshTokenGrant(Platform.LinkedIn, options.TokenUri, "other-app", "x")], TimeProvider.System);
        Assert.False(await bad.RefreshAsync((await rig.Connections.ListConnectionsAsync(rig.WorkspaceId, CancellationToken.None)).Single(), CancellationToken.None));
        Assert.Equal(ConnectionState.Revoked, (await rig.Connections.ListConnectionsAsync(rig.WorkspaceId, CancellationToken.None)).Single().State);
        Assert.Single(rig.Alerts.Raised);
    }
}
