namespace Firebreak.Storage.Tests.Connectors;

using System.Globalization;
using System.Text.Json;
using Firebreak.Core.Connectors;
using Firebreak.Core.Connectors.OAuth;
using Firebreak.Core.Connectors.TikTok;
using Firebreak.Core.Mentions;
using Firebreak.Core.Workspaces;
using Microsoft.AspNetCore.Http;

/// <summary>
/// A TikTok stub speaking Display API v2 (<c>/v2/video/list/</c>, <c>/v2/research/video/query/</c>, <c>/v2/oauth/token/</c>,
/// error envelope <c>{"error": {"code", "message", "log_id"}}</c>) and TikTok API for Business v1.3
/// (<c>/business/comment/list/</c>, <c>/business/comment/reply/create/</c>, envelope <c>{code, message, request_id, data}</c>).
/// </summary>
internal sealed class FakeTikTok
{
    public string Token { get; set; } = "act.first-token";

    public string RefreshToken { get; set; } = "rft.first-refresh";

    public List<(string Id, long CommentCount)> Videos { get; } = [];

    public Dictionary<string, List<Comment>> Comments { get; } = [];

    public ScriptedFailures Scripted { get; } = new();

    public List<string> ResearchBodies { get; } = [];

    /// <summary>Runs after a reply was stored and before it is answered: a test "crashes" the sender there.</summary>
    public Func<Task>? AfterAcceptingReply { get; set; }

    /// <summary>Answers an accepted reply with this status instead of 200 once (a gateway error after the write: the answer is lost).</summary>
    public int? LoseNextReplyAnswerWith { get; set; }

    /// <summary>Comment times are offsets from this (2025-02-19): the test pipeline's clock is fixed at 2025-03-03T12:00Z and refuses later times.</summary>
    public const long T0 = 1_740_000_000;

    public sealed record Comment(string Id, long CreateTime, string Text, string User = "fan", string? Parent = null, bool Owner = false, long Likes = 0);

    public void Add(string video, long time, string? text = null, string? parent = null, bool owner = false)
    {
        if (!Comments.TryGetValue(video, out var list))
        {
            Comments[video] = list = [];
            Videos.Add((video, 0));
        }

        list.Add(new Comment($"c{time}", T0 + time, text ?? $"comment at {time}", $"user{time}", parent, owner, time % 7));
    }

    public async Task HandleAsync(HttpContext context)
    {
        if (Scripted.TryServe(context) is { } scripted)
        {
            await scripted;
            return;
        }

        var path = context.Request.Path.Value;
        if (path == "/v2/oauth/token/")
        {
            var form = await context.Request.ReadFormAsync();
            if (form["grant_type"] == "client_credentials")
            {
                await StubServer.JsonAsync(context, """{"access_token":"clt.research","expires_in":7200,"token_type":"Bearer"}""");
            }
            else if (form["grant_type"] == "refresh_token" && form["refresh_token"] == RefreshToken && form["client_key"] == "aw-key")
            {
                Token = "act.refreshed-token";
                RefreshToken = "rft.rotated-refresh";
                await StubServer.JsonAsync(context, """{"access_token":"act.refreshed-token","expires_in":86400,"open_id":"biz-1","refresh_expires_in":31536000,"refresh_token":"rft.rotated-refresh","scope":"user.info.basic,video.list","token_type":"Bearer"}""");
            }
            else
            {
                await StubServer.JsonAsync(context, """{"error":"invalid_grant","error_description":"Refresh token is invalid or expired.","log_id":"20231101"}""");
            }

            return;
        }

        if (path == "/v2/research/video/query/")
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            ResearchBodies.Add(body);
            var recent = FixedClock.Now.AddHours(-2).ToUnixTimeSeconds();
            var cursor = JsonDocument.Parse(body).RootElement.GetProperty("cursor").GetInt64();
            var json = cursor == 0
                ? $$$"""{"data":{"videos":[{"id":7301,"video_description":"lost my refund 😡 #acme","create_time":{{{recent}}},"username":"critic","like_count":12,"share_count":3,"comment_count":4,"view_count":900}],"cursor":1,"has_more":true,"search_id":"7201388"},"error":{"code":"ok","message":"","log_id":"x"}}"""
                : $$$"""{"data":{"videos":[{"id":7302,"video_description":"acme support was great","create_time":{{{recent + 100}}},"username":"fan2","like_count":1}],"cursor":2,"has_more":false,"search_id":"7201388"},"error":{"code":"ok","message":"","log_id":"y"}}""";
            await StubServer.JsonAsync(context, json);
            return;
        }

        if (path!.StartsWith("/v2/", StringComparison.Ordinal) && context.Request.Headers.Authorization != $"Bearer {Token}")
        {
            await StubServer.JsonAsync(context, """{"error":{"code":"access_token_invalid","message":"The access token is invalid or not found in the request.","log_id":"202311"}}""", 401);
            return;
        }

        if (path.StartsWith("/business/", StringComparison.Ordinal) && context.Request.Headers["Access-Token"] != Token)
        {
            // The Business API answers HTTP 200 with its own error code.
            await StubServer.JsonAsync(context, """{"code":40105,"message":"Access token is incorrect or has been revoked.","request_id":"2023110100","data":{}}""");
            return;
        }

        switch (path)
        {
            case "/v2/video/list/":
                var videos = string.Join(",", Videos.Select(v => $$"""{"id":"{{v.Id}}","create_time":1700000000,"title":"t","video_description":"d","share_url":"https://www.tiktok.com/@brand/video/{{v.Id}}","comment_count":{{Comments[v.Id].Count}},"like_count":5,"view_count":50}"""));
                await StubServer.JsonAsync(context, $$$"""{"data":{"videos":[{{{videos}}}],"cursor":1700000000000,"has_more":false},"error":{"code":"ok","message":"","log_id":"z"}}""");
                return;
            case "/business/comment/list/":
                var video = context.Request.Query["video_id"].ToString();
                var cursor = int.Parse(context.Request.Query["cursor"]!, CultureInfo.InvariantCulture);
                var all = Comments[video].OrderByDescending(c => c.CreateTime).ToList();
                var page = all.Skip(cursor).Take(30).ToList();
                var items = string.Join(",", page.Select(c => JsonSerializer.Serialize(new
                {
                    comment_id = c.Id, video_id = video, user_id = "u" + c.User, create_time = c.CreateTime.ToString(CultureInfo.InvariantCulture),
                    text = c.Text, likes = c.Likes, replies = 0, owner = c.Owner, liked = false, pinned = false, status = "PUBLIC",
                    username = c.User, display_name = c.User.ToUpperInvariant(), parent_comment_id = c.Parent ?? c.Id,
                })));
                var more = cursor + 30 < all.Count ? "true" : "false";
                await StubServer.JsonAsync(context, $$$"""{"code":0,"message":"OK","request_id":"r{{{cursor}}}","data":{"comments":[{{{items}}}],"cursor":{{{cursor + 30}}},"has_more":{{{more}}}""" + "}}");
                return;
            case "/business/comment/reply/create/":
                using (var reader = new StreamReader(context.Request.Body))
                {
                    // The reply is a comment on the video (owner: true, parent_comment_id the comment), stamped with the platform's clock.
                    var body = JsonDocument.Parse(await reader.ReadToEndAsync()).RootElement;
                    var (videoId, commentId) = (body.GetProperty("video_id").GetString()!, body.GetProperty("comment_id").GetString()!);
                    if (!Comments.TryGetValue(videoId, out var thread))
                    {
                        Comments[videoId] = thread = [];
                        Videos.Add((videoId, 0));
                    }

                    var replyId = thread.Any(c => c.Id == $"reply-of-{commentId}") ? $"reply-of-{commentId}-{thread.Count}" : $"reply-of-{commentId}";
                    thread.Add(new Comment(replyId, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body.GetProperty("text").GetString()!, "brand", commentId, Owner: true));
                    if (AfterAcceptingReply is { } crash)
                    {
                        await crash();
                    }

                    if (LoseNextReplyAnswerWith is { } lost)
                    {
                        LoseNextReplyAnswerWith = null;
                        await StubServer.JsonAsync(context, """{"code":50000,"message":"upstream timeout"}""", lost);
                        return;
                    }

                    await StubServer.JsonAsync(context, $$$"""{"code":0,"message":"OK","request_id":"rr","data":{"comment_id":"{{{replyId}}}","video_id":"{{{videoId}}}","text":"ok"}}""");
                }

                return;
            default:
                context.Response.StatusCode = 404;
                return;
        }
    }
}

public sealed class TikTokConnectorTests : IAsyncLifetime
{
    private readonly FakeTikTok tiktok = new();
    private ConnectorRig rig = null!;
    private StubServer stub = null!;
    private Source source = null!;
    private TikTokOptions options = null!;

    public async Task InitializeAsync()
    {
        rig = await ConnectorRig.OpenAsync();
        stub = await StubServer.StartAsync(tiktok.HandleAsync);
        options = new TikTokOptions { OpenApiBase = stub.BaseUri, BusinessApiBase = stub.BaseUri, ClientKey = "aw-key", ClientSecret = "aw-secret" };
        await rig.Connections.ConnectAsync(rig.WorkspaceId, Platform.TikTok, "biz-1", stub.BaseUri, tiktok.Token, tiktok.RefreshToken, DateTimeOffset.UtcNow.AddHours(20), CancellationToken.None);
        source = await rig.SourceAsync(Platform.TikTok, SourceKind.Account, "biz-1");
    }

    public async Task DisposeAsync()
    {
        await stub.DisposeAsync();
        await rig.DisposeAsync();
    }

    private static string Ms(long offset) => ((FakeTikTok.T0 + offset) * 1000).ToString(CultureInfo.InvariantCulture);

    private async Task<ListenReport> PassAsync(Source? s = null)
    {
        s ??= source;
        var runner = new ConnectorRunner([new TikTokConnector(rig.Http, options, new FixedClock())], rig.Connectors, rig.Connections, rig.Store.Pipeline, rig.RunnerOptions, TimeProvider.System);
        return await runner.PassAsync(s, runner.ConnectorFor(Platform.TikTok)!, rig.Health(s), CancellationToken.None);
    }

    private Task<string?> CheckpointAsync() => rig.Connectors.GetCheckpointAsync(rig.WorkspaceId, source.Id, CancellationToken.None);

    [Fact]
    public async Task Pass_ReadsCommentsOfOwnedVideos_PagingBackToTheCheckpoint()
    {
        for (var t = 1000; t < 1070; t++)
        {
            tiktok.Add("v1", t);
        }

        for (var t = 2000; t < 2005; t++)
        {
            tiktok.Add("v2", t);
        }

        await rig.Connectors.SaveCheckpointAsync(rig.WorkspaceId, source.Id, Ms(1010), DateTimeOffset.UnixEpoch, CancellationToken.None);

        var report = await PassAsync();

        Assert.Null(report.Failure);
        var expected = Enumerable.Range(1010, 60).Select(t => $"v1/c{t}").Concat(Enumerable.Range(2000, 5).Select(t => $"v2/c{t}")).Order(StringComparer.Ordinal);
        Assert.Equal(expected, await rig.StoredIdsAsync());
        Assert.Equal(Ms(2004), await CheckpointAsync());
        // 60 comments at or after the checkpoint on v1: pages at cursor 0 and 30, then the page at 60 holds older ones and ends the walk.
        Assert.Equal(["0", "30", "60"], stub.To("/business/comment/list/").Where(r => r.QueryValue("video_id") == "v1").Select(r => r.QueryValue("cursor")));
        Assert.All(stub.To("/business/comment/list/"), r => Assert.Equal("biz-1", r.QueryValue("business_id")));
        Assert.Equal("Bearer act.first-token", stub.To("/v2/video/list/").First().Headers["Authorization"]);
    }

    [Fact]
    public async Task Pass_MapsCommentsRepliesAndSkipsTheAccountsOwn()
    {
        tiktok.Add("v1", 1000, "refund?? 🙃 <b>now</b> مرحبا");
        tiktok.Add("v1", 1001, "same here", parent: "c1000");
        tiktok.Add("v1", 1002, "thanks for reaching out", owner: true);

        await PassAsync();

        var rows = await rig.Store.RowsAsync("SELECT external_id, text, author_handle, url, kind, parent_external_id FROM mentions WHERE workspace_id = $w ORDER BY external_id", ("$w", rig.WorkspaceId));
        Assert.Equal(2, rows.Count);
        Assert.Equal(["v1/c1000", "refund?? 🙃 <b>now</b> مرحبا", "user1000", "https://www.tiktok.com/@brand/video/v1", "comment", "v1"], rows[0]);
        Assert.Equal(["v1/c1001", "same here", "user1001", "https://www.tiktok.com/@brand/video/v1", "reply", "v1/c1000"], rows[1]);
    }

    [Fact]
    public async Task Pass_AfterRestart_ResumesFromTheStoredCheckpointWithoutRepeats()
    {
        tiktok.Add("v1", 1000);
        tiktok.Add("v1", 1001);
        var first = await PassAsync();
        tiktok.Add("v1", 1002);
        tiktok.Add("v1", 1003);

        var second = await PassAsync();

        Assert.Equal(2, first.Inserted);
        // The comment at the checkpoint's second is read again (inclusive bound) and absorbed as unchanged.
        Assert.Equal(3, second.Received);
        Assert.Equal(2, second.Inserted);
        Assert.Equal(["v1/c1000", "v1/c1001", "v1/c1002", "v1/c1003"], await rig.StoredIdsAsync());
        Assert.Equal(Ms(1003), await CheckpointAsync());
    }

    [Fact]
    public async Task Pass_BusinessApi200WithTokenErrorCode_IsRevokedAndAlerts()
    {
        tiktok.Add("v1", 1000);
        tiktok.Scripted.Enqueue("/business/comment/list/", 200, """{"code":40105,"message":"Access token is incorrect or has been revoked.","request_id":"202311","data":{}}""");

        var report = await PassAsync();

        Assert.Equal(FailureKind.Revoked, report.Failure?.Kind);
        Assert.Contains("40105", report.Failure!.Message);
        var connection = (await rig.Connections.ListConnectionsAsync(rig.WorkspaceId, CancellationToken.None)).Single();
        Assert.Equal(ConnectionState.Revoked, connection.State);
        Assert.Equal($"connection:{connection.Id}", Assert.Single(rig.Alerts.Raised).Dimension);
        Assert.Empty(await rig.StoredIdsAsync());
    }

    [Fact]
    public async Task Pass_DisplayApi401_IsRevoked()
    {
        tiktok.Add("v1", 1000);
        tiktok.Token = "act.rotated-elsewhere";

        var report = await PassAsync();

        Assert.Equal(FailureKind.Revoked, report.Failure?.Kind);
        Assert.Contains("access_token_invalid", report.Failure!.Message);
    }

    [Fact]
    public async Task Pass_200WithRateLimitCode_IsTransientAndKeepsTheCheckpoint()
    {
        tiktok.Add("v1", 1000);
        await PassAsync();
        tiktok.Add("v1", 1001);
        tiktok.Scripted.Enqueue("/v2/video/list/", 200, """{"data":{},"error":{"code":"rate_limit_exceeded","message":"API rate limit was exceeded.","log_id":"q"}}""");

        var report = await PassAsync();

        Assert.Equal(FailureKind.Transient, report.Failure?.Kind);
        Assert.Equal(Ms(1000), await CheckpointAsync());
        Assert.Null((await PassAsync()).Failure);
        Assert.Equal(["v1/c1000", "v1/c1001"], await rig.StoredIdsAsync());
    }

    [Fact]
    public async Task Pass_429WithRetryAfterAnd5xx_AreWaitedOutThenRead()
    {
        tiktok.Add("v1", 1000);
        tiktok.Scripted.Enqueue("/v2/video/list/", 429, """{"error":{"code":"rate_limit_exceeded","message":"slow down","log_id":"a"}}""", ("Retry-After", "1"));
        tiktok.Scripted.Enqueue("/business/comment/list/", 503, "upstream unavailable");

        var report = await PassAsync();

        Assert.Null(report.Failure);
        Assert.Equal(["v1/c1000"], await rig.StoredIdsAsync());
        var calls = stub.To("/v2/video/list/").ToList();
        Assert.Equal(2, calls.Count);
        Assert.True(calls[1].At - calls[0].At >= TimeSpan.FromMilliseconds(900), $"waited {(calls[1].At - calls[0].At).TotalMilliseconds} ms");
        Assert.Equal(2, stub.To("/business/comment/list/").Count());
    }

    [Fact]
    public async Task Pass_TruncatedCommentPage_KeepsCompleteItemsAndHoldsTheCheckpoint()
    {
        await rig.Connectors.SaveCheckpointAsync(rig.WorkspaceId, source.Id, Ms(900), DateTimeOffset.UnixEpoch, CancellationToken.None);
        tiktok.Add("v1", 1000);
        tiktok.Scripted.Enqueue("/business/comment/list/", 200,
            """{"code":0,"message":"OK","request_id":"t","data":{"comments":[{"comment_id":"c1005","video_id":"v1","create_time":"1740001005","text":"kept","username":"a"},{"comment_id":"c1004","video_id":"v1","create_time":"1740001004","text":"cut of""");

        var report = await PassAsync();

        Assert.Null(report.Failure);
        Assert.Equal(["v1/c1005"], await rig.StoredIdsAsync());
        Assert.Contains(report.Errors, e => e.Position.Contains("video v1 page 1", StringComparison.Ordinal));
        Assert.Equal(Ms(900), await CheckpointAsync());
        await PassAsync();
        Assert.Equal(["v1/c1000", "v1/c1005"], await rig.StoredIdsAsync());
    }

    [Fact]
    public async Task Pass_CutVideoList_HoldsTheCheckpoint_SoTheUnlistedVideosCommentsAreReadNextPass()
    {
        await rig.Connectors.SaveCheckpointAsync(rig.WorkspaceId, source.Id, Ms(900), DateTimeOffset.UnixEpoch, CancellationToken.None);
        tiktok.Add("v2", 2000);
        tiktok.Add("v1", 1000);
        // v2 is listed whole, v1 is cut off: storing v2's newest comment time would skip v1's older comment for good.
        tiktok.Scripted.Enqueue("/v2/video/list/", 200,
            """{"data":{"videos":[{"id":"v2","create_time":1700000000,"share_url":"https://www.tiktok.com/@brand/video/v2","comment_count":1},{"id":"v1","create_ti""");

        var cut = await PassAsync();

        Assert.Equal(["v2/c2000"], await rig.StoredIdsAsync());
        Assert.Contains(cut.Errors, e => e.Position.StartsWith("video list page 1", StringComparison.Ordinal));
        Assert.Equal(Ms(900), await CheckpointAsync());

        var healed = await PassAsync();

        Assert.Equal(1, healed.Inserted);
        Assert.Equal(["v1/c1000", "v2/c2000"], await rig.StoredIdsAsync());
        Assert.Equal(Ms(2000), await CheckpointAsync());
    }

    [Fact]
    public async Task Pass_DuplicateAndOutOfOrderComments_StoredOnceCheckpointAtNewest()
    {
        tiktok.Scripted.Enqueue("/business/comment/list/", 200,
            """{"code":0,"message":"OK","request_id":"d","data":{"comments":[{"comment_id":"c3","create_time":1740001003,"text":"three","username":"a"},{"comment_id":"c9","create_time":1740001009,"text":"nine","username":"b"},{"comment_id":"c3","create_time":1740001003,"text":"three","username":"a"},{"create_time":1740001004,"text":"no id"}],"cursor":4,"has_more":false}}""");
        tiktok.Add("v1", 1);

        var report = await PassAsync();

        Assert.Equal(["v1/c3", "v1/c9"], await rig.StoredIdsAsync());
        Assert.Equal(Ms(1009), await CheckpointAsync());
        Assert.Contains(report.Errors, e => e.Position.EndsWith("item 4", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Research_QueriesKeywordsWithAClientTokenAndFollowsTheSearchId()
    {
        var query = await rig.SourceAsync(Platform.TikTok, SourceKind.Query, "acme refund");

        var report = await PassAsync(query);

        Assert.Null(report.Failure);
        Assert.Equal(["7301", "7302"], await rig.StoredIdsAsync());
        Assert.All(stub.To("/v2/research/video/query/"), r => Assert.Equal("Bearer clt.research", r.Headers["Authorization"]));
        var first = JsonDocument.Parse(tiktok.ResearchBodies[0]).RootElement;
        Assert.Equal(["acme", "refund"], first.GetProperty("query").GetProperty("and").EnumerateArray().Select(c => c.GetProperty("field_values")[0].GetString()));
        Assert.Equal("7201388", JsonDocument.Parse(tiktok.ResearchBodies[1]).RootElement.GetProperty("search_id").GetString());
        var row = (await rig.Store.RowsAsync("SELECT url, author_handle FROM mentions WHERE external_id = '7301'")).Single();
        Assert.Equal(["https://www.tiktok.com/@critic/video/7301", "critic"], row);
    }

    [Fact]
    public async Task Reply_PostsToTheBusinessReplyEndpointWithBothIds()
    {
        tiktok.Add("v1", 1000);
        var account = (await rig.Connections.ListAsync(rig.WorkspaceId, CancellationToken.None)).Single();

        var result = await new TikTokReplySender(rig.Http, options).SendAsync(account, new ReplyRequest(rig.WorkspaceId, 5, "v1/c1000", "user1000", "We're on it 🙏", DateTimeOffset.UtcNow), CancellationToken.None);

        Assert.Equal("v1/reply-of-c1000", result.RemoteId);
        var sent = JsonDocument.Parse(stub.To("/business/comment/reply/create/").Single().Body).RootElement;
        Assert.Equal(["biz-1", "v1", "c1000", "We're on it 🙏"], new[] { "business_id", "video_id", "comment_id", "text" }.Select(p => sent.GetProperty(p).GetString()));
    }

    [Fact]
    public async Task Refresh_BeforeExpiry_StoresTheNewTokensEncryptedAndTheNextPassUsesThem()
    {
        tiktok.Add("v1", 1000);
        // Stored 20 h ago with 4 h left: under half of a 24-hour lifetime remains, so it is due.
        var c = (await rig.Connections.ListConnectionsAsync(rig.WorkspaceId, CancellationToken.None)).Single();
        await rig.Connectors.UpsertConnectionAsync(c with { UpdatedAt = DateTimeOffset.UtcNow.AddHours(-20), ExpiresAt = DateTimeOffset.UtcNow.AddHours(4) }, CancellationToken.None);
        var refresher = Refresher();

        Assert.Equal(1, await refresher.RefreshDueAsync(CancellationToken.None));

        var form = stub.To("/v2/oauth/token/").Single().Body;
        Assert.Contains("grant_type=refresh_token", form);
        Assert.Contains("refresh_token=rft.first-refresh", form);
        var stored = await rig.Store.RowsAsync("SELECT secret, refresh_secret, expires_at FROM connector_connections");
        Assert.DoesNotContain("refreshed-token", (string)stored[0][0]);
        Assert.DoesNotContain("rotated-refresh", (string)stored[0][1]);
        var updated = (await rig.Connections.ListConnectionsAsync(rig.WorkspaceId, CancellationToken.None)).Single();
        Assert.True(updated.ExpiresAt > DateTimeOffset.UtcNow.AddHours(23));
        Assert.Equal(0, await refresher.RefreshDueAsync(CancellationToken.None));

        Assert.Null((await PassAsync()).Failure);
        Assert.Equal("Bearer act.refreshed-token", stub.To("/v2/video/list/").Last().Headers["Authorization"]);
        Assert.Equal(["v1/c1000"], await rig.StoredIdsAsync());
    }

    [Fact]
    public async Task Refresh_InvalidGrant_RevokesTheConnectionAndAlerts()
    {
        tiktok.RefreshToken = "rft.revoked-on-tiktok";
        var c = (await rig.Connections.ListConnectionsAsync(rig.WorkspaceId, CancellationToken.None)).Single();

        Assert.False(await Refresher().RefreshAsync(c, CancellationToken.None));

        var after = (await rig.Connections.ListConnectionsAsync(rig.WorkspaceId, CancellationToken.None)).Single();
        Assert.Equal(ConnectionState.Revoked, after.State);
        Assert.Contains("invalid_grant", after.LastError);
        Assert.Contains("reconnect", Assert.Single(rig.Alerts.Raised).Explanation, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Refresh_ServerErrors_KeepTheConnectionActiveWithTheOldTokenAndSayWhy()
    {
        for (var i = 0; i < 3; i++)
        {
            tiktok.Scripted.Enqueue("/v2/oauth/token/", 503, """{"error":"server_error","error_description":"try later"}""");
        }

        var before = (await rig.Connections.ListConnectionsAsync(rig.WorkspaceId, CancellationToken.None)).Single();

        Assert.False(await Refresher().RefreshAsync(before, CancellationToken.None));

        var after = (await rig.Connections.ListConnectionsAsync(rig.WorkspaceId, CancellationToken.None)).Single();
        Assert.Equal(ConnectionState.Active, after.State);
        Assert.Contains("token refresh failed", after.LastError);
        Assert.Equal(before.ExpiresAt, after.ExpiresAt);
        Assert.Equal(before.UpdatedAt, after.UpdatedAt);
        Assert.Equal("act.first-token", (await rig.Connections.ListAsync(rig.WorkspaceId, CancellationToken.None)).Single().Secret);
    }

    [Theory]
    [InlineData(24 * 60, 23 * 60, false)] // TikTok: one hour old
    [InlineData(24 * 60, 11 * 60, true)] // TikTok: half its life gone
    [InlineData(60 * 24 * 60, 50 * 24 * 60, false)] // LinkedIn: 50 of 60 days left
    [InlineData(60 * 24 * 60, 7 * 24 * 60 - 1, true)] // LinkedIn: inside the expiry-warning week
    public void Due_RefreshesLateInTheLifetimeButBeforeTheWarning(int lifetimeMinutes, int remainingMinutes, bool due)
    {
        var now = DateTimeOffset.UtcNow;
        var c = new Connection(1, 1, Platform.TikTok, "k", "h", new Uri("https://x/"), "s", "r", now.AddMinutes(remainingMinutes), ConnectionState.Active, null, null, now, now.AddMinutes(remainingMinutes - lifetimeMinutes));
        Assert.Equal(due, TokenRefresher.Due(c, now));
    }

    private TokenRefresher Refresher() => new(rig.Connectors, rig.Connections, rig.Protector, rig.Http,
        [new RefreshTokenGrant(Platform.TikTok, new Uri(stub.BaseUri, "v2/oauth/token/"), "aw-key", "aw-secret", "client_key")], TimeProvider.System);
}

/// <summary>The test pipeline's clock (2025-03-03T12:00Z): connectors that reason about "now" must agree with it.</summary>
internal sealed class FixedClock : TimeProvider
{
    public static readonly DateTimeOffset Now = new(2025, 3, 3, 12, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => Now;
}
