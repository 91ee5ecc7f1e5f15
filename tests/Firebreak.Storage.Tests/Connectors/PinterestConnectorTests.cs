namespace Firebreak.Storage.Tests.Connectors;

using System.Globalization;
using System.Text;
using Firebreak.Core.Connectors;
using Firebreak.Core.Connectors.OAuth;
using Firebreak.Core.Connectors.Pinterest;
using Firebreak.Core.Mentions;
using Firebreak.Core.Workspaces;
using Microsoft.AspNetCore.Http;

/// <summary>
/// A Pinterest API v5 stub: <c>/v5/boards/{id}/pins</c> and <c>/v5/search/pins</c> answering <c>{items, bookmark}</c>,
/// <c>x-ratelimit-remaining</c>/<c>x-ratelimit-reset</c> headers, and <c>/v5/oauth/token</c> with HTTP Basic client auth.
/// </summary>
internal sealed class FakePinterest
{
    public static readonly DateTimeOffset T0 = new(2025, 2, 20, 9, 0, 0, TimeSpan.Zero);

    public string Token { get; set; } = "pina_first";

    public List<(string Id, DateTimeOffset Created, string Title)> Pins { get; } = [];

    public ScriptedFailures Scripted { get; } = new();

    /// <summary>Remaining calls announced on each answer (null: no header).</summary>
    public int? Remaining { get; set; }

    public void Add(int n, string? title = null) => Pins.Add(($"10{n:D4}", T0.AddMinutes(n), title ?? $"pin {n}"));

    public async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value!;
        if (path == "/v5/oauth/token")
        {
            var form = await context.Request.ReadFormAsync();
            var basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("pin-app:pin-secret"));
            if (context.Request.Headers.Authorization == basic && form["refresh_token"] == "pinr_refresh")
            {
                Token = "pina_renewed";
                await StubServer.JsonAsync(context, """{"access_token":"pina_renewed","token_type":"bearer","expires_in":2592000,"scope":"boards:read,pins:read","refresh_token":"pinr_rotated","refresh_token_expires_in":31536000}""");
            }
            else
            {
                await StubServer.JsonAsync(context, """{"error":"invalid_grant","error_description":"Invalid refresh token"}""", 400);
            }

            return;
        }

        if (context.Request.Headers.Authorization != $"Bearer {Token}")
        {
            await StubServer.JsonAsync(context, """{"code":2,"message":"Authentication failed."}""", 401);
            return;
        }

        if (Scripted.TryServe(context) is { } scripted)
        {
            await scripted;
            return;
        }

        var start = int.TryParse(context.Request.Query["bookmark"], NumberStyles.None, CultureInfo.InvariantCulture, out var b) ? b : 0;
        var source = path == "/v5/search/pins" ? Pins.Where(p => p.Title.Contains(context.Request.Query["query"]!, StringComparison.OrdinalIgnoreCase)).ToList() : Pins;
        var page = source.OrderByDescending(p => p.Created).Skip(start).Take(100).ToList();
        var items = string.Join(",", page.Select(p => $$$"""{"id":"{{{p.Id}}}","created_at":"{{{p.Created:yyyy-MM-ddTHH:mm:ss}}}-00:00","link":"https://acme.example/p","title":"{{{p.Title}}}","description":"desc of {{{p.Title}}}","alt_text":null,"board_id":"549755885175","board_owner":{"username":"acmehome"},"media":{"media_type":"image"},"pin_metrics":{"90d":{"pin_click":7,"impression":120,"clickthrough":3},"lifetime_metrics":{"pin_click":31,"impression":500,"clickthrough":9,"reaction":2,"comment":1}}""" + "}"));
        var bookmark = start + 100 < source.Count ? $"\"{start + 100}\"" : "null";
        var headers = Remaining is { } r ? new[] { ("x-ratelimit-remaining", r.ToString(CultureInfo.InvariantCulture)), ("x-ratelimit-reset", "1") } : [];
        await StubServer.JsonAsync(context, $$"""{"items":[{{items}}],"bookmark":{{bookmark}}}""", 200, headers);
    }
}

public sealed class PinterestConnectorTests : IAsyncLifetime
{
    private readonly FakePinterest pinterest = new();
    private ConnectorRig rig = null!;
    private StubServer stub = null!;
    private Source board = null!;
    private PinterestOptions options = null!;

    public async Task InitializeAsync()
    {
        rig = await ConnectorRig.OpenAsync();
        stub = await StubServer.StartAsync(pinterest.HandleAsync);
        options = new PinterestOptions { ApiBase = new Uri(stub.BaseUri, "v5/"), ClientId = "pin-app", ClientSecret = "pin-secret" };
        await rig.Connections.ConnectAsync(rig.WorkspaceId, Platform.Pinterest, "acmehome", stub.BaseUri, pinterest.Token, "pinr_refresh", DateTimeOffset.UtcNow.AddDays(25), CancellationToken.None);
        board = await rig.SourceAsync(Platform.Pinterest, SourceKind.Account, "549755885175");
    }

    public async Task DisposeAsync()
    {
        await stub.DisposeAsync();
        await rig.DisposeAsync();
    }

    private async Task<ListenReport> PassAsync(Source? source = null)
    {
        source ??= board;
        var runner = new ConnectorRunner([new PinterestConnector(rig.Http, options)], rig.Connectors, rig.Connections, rig.Store.Pipeline, rig.RunnerOptions, TimeProvider.System);
        return await runner.PassAsync(source, runner.ConnectorFor(Platform.Pinterest)!, rig.Health(source), CancellationToken.None);
    }

    [Fact]
    public async Task Pass_FollowsTheBookmarkFromTheCheckpoint_AndMapsLifetimeMetricsAsEngagement()
    {
        for (var n = 1; n <= 250; n++)
        {
            pinterest.Add(n);
        }

        await rig.Connectors.SaveCheckpointAsync(rig.WorkspaceId, board.Id, TimeCheckpoint.Format(FakePinterest.T0.AddMinutes(20))!, DateTimeOffset.UnixEpoch, CancellationToken.None);

        var report = await PassAsync();

        Assert.Null(report.Failure);
        Assert.Equal(231, (await rig.StoredIdsAsync()).Count);
        Assert.Equal([null, "100", "200"], stub.To("/v5/boards/549755885175/pins").Select(r => r.QueryValue("bookmark")));
        Assert.Equal(TimeCheckpoint.Format(FakePinterest.T0.AddMinutes(250)), await rig.Connectors.GetCheckpointAsync(rig.WorkspaceId, board.Id, CancellationToken.None));
        var row = (await rig.Store.RowsAsync("SELECT text, author_handle, url, shares, likes, views, replies FROM mentions WHERE external_id = '100250'")).Single();
        Assert.Equal(["pin 250\ndesc of pin 250", "acmehome", "https://www.pinterest.com/pin/100250/", 0L, 2L, 500L, 1L], row);
    }

    [Fact]
    public async Task Pass_FirstRunTakesTheNewestPage_ThenOnlyNewPinsAfterRestart()
    {
        for (var n = 1; n <= 3; n++)
        {
            pinterest.Add(n);
        }

        await PassAsync();
        pinterest.Add(4);

        var second = await PassAsync();

        Assert.Equal(1, second.Inserted);
        Assert.Equal(["100001", "100002", "100003", "100004"], await rig.StoredIdsAsync());
    }

    [Fact]
    public async Task Pass_RemainingZero_WaitsForTheResetBeforeTheNextCall()
    {
        for (var n = 1; n <= 150; n++)
        {
            pinterest.Add(n);
        }

        await rig.Connectors.SaveCheckpointAsync(rig.WorkspaceId, board.Id, TimeCheckpoint.Format(FakePinterest.T0)!, DateTimeOffset.UnixEpoch, CancellationToken.None);
        pinterest.Remaining = 0;

        Assert.Null((await PassAsync()).Failure);

        var calls = stub.To("/v5/boards/549755885175/pins").ToList();
        Assert.Equal(2, calls.Count);
        Assert.True(calls[1].At - calls[0].At >= TimeSpan.FromMilliseconds(900), $"the second call came after {(calls[1].At - calls[0].At).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task Pass_429_5xx_MalformedAndDuplicates()
    {
        pinterest.Scripted.Enqueue("/v5/boards/549755885175/pins", 429, """{"code":8,"message":"Rate limit exceeded."}""", ("Retry-After", "1"));
        pinterest.Scripted.Enqueue("/v5/boards/549755885175/pins", 502, "<html>bad gateway</html>");
        pinterest.Scripted.Enqueue("/v5/boards/549755885175/pins", 200,
            """{"items":[{"id":"7","created_at":"2025-02-21T10:00:00-00:00","title":"b","board_owner":{"username":"x"}},{"id":"3","created_at":"2025-02-21T09:00:00-00:00","title":"a"},{"id":"7","created_at":"2025-02-21T10:00:00-00:00","title":"b"},{"id":"9","created_at":"not a date"},{"id":"8","creat""");

        var report = await PassAsync();

        Assert.Null(report.Failure);
        Assert.Equal(["3", "7"], await rig.StoredIdsAsync());
        Assert.Equal(2, report.Errors.Count);
        Assert.Contains(report.Errors, e => e.Position == "page 1 item 4");
        Assert.Null(await rig.Connectors.GetCheckpointAsync(rig.WorkspaceId, board.Id, CancellationToken.None));
    }

    [Fact]
    public async Task Query_SearchesTheAccountsOwnPins()
    {
        pinterest.Add(1, "Acme recall notice");
        pinterest.Add(2, "garden ideas");
        var query = await rig.SourceAsync(Platform.Pinterest, SourceKind.Query, "recall");

        await PassAsync(query);

        Assert.Equal(["100001"], await rig.StoredIdsAsync());
        Assert.Equal("recall", stub.To("/v5/search/pins").Single().QueryValue("query"));
    }

    [Fact]
    public async Task Refresh_UsesBasicAuth_RotatesTheRefreshToken_AndA401Revokes()
    {
        pinterest.Add(1);
        var refresher = new TokenRefresher(rig.Connectors, rig.Connections, rig.Protector, rig.Http,
            [new RefreshTokenGrant(Platform.Pinterest, new Uri(options.ApiBase, "oauth/token"), "pin-app", "pin-secret", BasicAuth: true)], TimeProvider.System);

        // 25 of 30 days left is not due; inside the warning week it is.
        Assert.Equal(0, await refresher.RefreshDueAsync(CancellationToken.None));
        var c = (await rig.Connections.ListConnectionsAsync(rig.WorkspaceId, CancellationToken.None)).Single();
        await rig.Connectors.UpsertConnectionAsync(c with { UpdatedAt = DateTimeOffset.UtcNow.AddDays(-24), ExpiresAt = DateTimeOffset.UtcNow.AddDays(6) }, CancellationToken.None);
        Assert.Equal(1, await refresher.RefreshDueAsync(CancellationToken.None));

        Assert.DoesNotContain("client_secret", stub.To("/v5/oauth/token").Single().Body);
        Assert.Null((await PassAsync()).Failure);
        Assert.Equal("Bearer pina_renewed", stub.To("/v5/boards/549755885175/pins").Last().Headers["Authorization"]);

        pinterest.Token = "pina_gone";
        Assert.Equal(FailureKind.Revoked, (await PassAsync()).Failure?.Kind);
    }
}
