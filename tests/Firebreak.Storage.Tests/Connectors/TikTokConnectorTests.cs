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
/// A TikTok stub speaking the v2 APIs (<c>/v2/research/video/query/</c>, <c>/v2/oauth/token/</c>, error envelope
/// <c>{"data": {...}, "error": {"code": "ok", "message", "log_id"}}</c>) and TikTok API for Business v1.3, Accounts API
/// (<c>GET /business/video/list/</c>, <c>GET /business/comment/list/</c>, <c>POST /business/comment/reply/create/</c>,
/// <c>Access-Token</c> header, envelope <c>{"code": 0, "message": "OK", "request_id", "data"}</c>), with the documented
/// field names (sns-sdks/python-tiktok's v1.3 models; TikTok's API reference index). Ids are 19-digit numeric strings
/// like TikTok's; times are Unix seconds.
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

    /// <summary>Two of the brand's videos (TikTok item ids).</summary>
    public const string V1 = "7301837469281750273";

    public const string V2 = "7302011553208462598";

    /// <summary>A comment id for the comment made <paramref name="time"/> seconds after <see cref="T0"/>.</summary>
    public static string C(long time) => "73046" + time.ToString("D14", CultureInfo.InvariantCulture);

    public void Add(string video, long time, string? text = null, string? parent = null, bool owner = false)
    {
        if (!Comments.TryGetValue(video, out var list))
        {
            Comments[video] = list = [];
            Videos.Add((video, 0));
        }

        list.Add(new Comment(C(time), T0 + time, text ?? $"comment at {time}", $"user{time}", parent, owner, time % 7));
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
                ? $$$"""{"data":{"videos":[{"id":7301993846532587781,"video_description":"lost my refund 😡 #acme","create_time":{{{recent}}},"username":"critic","like_count":12,"share_count":3,"comment_count":4,"view_count":900}],"cursor":1,"has_more":true,"search_id":"7201388"},"error":{"code":"ok","message":"","log_id":"x"}}"""
                : $$$"""{"data":{"videos":[{"id":7302004827364019462,"video_description":"acme support was great","create_time":{{{recent + 100}}},"username":"fan2","like_count":1}],"cursor":2,"has_more":false,"search_id":"7201388"},"error":{"code":"ok","message":"","log_id":"y"}}""";
            await StubServer.JsonAsync(context, json);
            return;
        }

        if (path!.StartsWith("/business/", StringComparison.Ordinal) && context.Request.Headers["Access-Token"] != Token)
        {
            // The Business API answers HTTP 200 with its own error code.
            await StubServer.JsonAsync(context, """{"code":40105,"message":"Access token is incorrect or has been revoked.","request_id":"2023110109150401025116319917CD1E0A","data":{}}""");
            return;
        }

        switch (path)
        {
            case "/business/video/list/":
                var fields = JsonSerializer.Deserialize<string[]>(context.Request.Query["fields"].ToString()) ?? [];
                var videos = Videos.Select(v => new Dictionary<string, object?>
                {
                    ["item_id"] = v.Id,
                    ["create_time"] = T0 - 86_400,
                    ["share_url"] = $"https://www.tiktok.com/@acme.support/video/{v.Id}",
                    ["caption"] = "Our new blender 🍓 #acme",
                    ["comments"] = Comments[v.Id].Count,
                    ["likes"] = 412,
                    ["video_views"] = 10_250,
                }.Where(f => fields.Contains(f.Key)).ToDictionary());
                await StubServer.JsonAsync(context, JsonSerializer.Serialize(new
                {
                    code = 0, message = "OK", request_id = "20231101091504010251163199", data = new { videos, cursor = T0 * 1000, has_more = false },
                }));
                return;
            case "/business/comment/list/":
                var video = context.Request.Query["video_id"].ToString();
                var cursor = int.Parse(context.Request.Query["cursor"]!, CultureInfo.InvariantCulture);
                var all = Comments[video].OrderByDescending(c => c.CreateTime).ToList();
                var page = all.Skip(cursor).Take(30).ToList();
                var items = string.Join(",", page.Select(c => JsonSerializer.Serialize(new
                {
                    comment_id = c.Id, video_id = video, user_id = "6890" + c.User.Length + "1122334455667788", unique_identifier = c.User, create_time = c.CreateTime,
                    text = c.Text, likes = c.Likes, replies = 0, owner = c.Owner, liked = false, pinned = false, status = "PUBLIC",
                    username = c.User, profile_image = $"https://p16-sign-va.tiktokcdn.com/avt/{c.User}.jpeg", parent_comment_id = c.Parent ?? c.Id,
                })));
                var more = cursor + 30 < all.Count ? "true" : "false";
                await StubServer.JsonAsync(context, $$$"""{"code":0,"message":"OK","request_id":"2023110109{{{cursor:D6}}}","data":{"comments":[{{{items}}}],"cursor":{{{cursor + 30}}},"has_more":{{{more}}}""" + "}}");
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

                    await StubServer.JsonAsync(context, $$$"""{"code":0,"message":"OK","request_id":"2023110109150401025116319911","data":{"comment_id":"{{{replyId}}}","video_id":"{{{videoId}}}","text":{{{JsonSerializer.Serialize(body.GetProperty("text").GetString())}}},"create_time":{{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}}},"likes":0,"replies":0,"owner":true,"liked":false,"pinned":false,"status":"PUBLIC","username":"acme.support","parent_comment_id":"{{{commentId}}}"}}""");
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

    private const string V1 = FakeTikTok.V1;

    private const string V2 = FakeTikTok.V2;

    /// <summary>The stored external id of a comment: video id, slash, comment id.</summary>
    private static string Id(string video, long time) => $"{video}/{FakeTikTok.C(time)}";

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
            tiktok.Add(V1, t);
        }

        for (var t = 2000; t < 2005; t++)
        {
            tiktok.Add(V2, t);
        }

        await rig.Connectors.SaveCheckpointAsync(rig.WorkspaceId, source.Id, Ms(1010), DateTimeOffset.UnixEpoch, CancellationToken.None);

        var report = await PassAsync();

        Assert.Null(report.Failure);
        var expected = Enumerable.Range(1010, 60).Select(t => Id(V1, t)).Concat(Enumerable.Range(2000, 5).Select(t => Id(V2, t))).Order(StringComparer.Ordinal);
        Assert.Equal(expected, await rig.StoredIdsAsync());
        Assert.Equal(Ms(2004), await CheckpointAsync());
        // 60 comments at or after the checkpoint on v1: pages at cursor 0 and 30, then the page at 60 holds older ones and ends the walk.
        Assert.Equal(["0", "30", "60"], stub.To("/business/comment/list/").Where(r => r.QueryValue("video_id") == V1).Select(r => r.QueryValue("cursor")));
        Assert.All(stub.To("/business/comment/list/"), r => Assert.Equal("biz-1", r.QueryValue("business_id")));
        Assert.Equal("act.first-token", stub.To("/business/video/list/").First().Headers["Access-Token"]);
        Assert.Equal("""["item_id","create_time","share_url","caption","comments"]""", stub.To("/business/video/list/").First().QueryValue("fields"));
        Assert.All(stub.To("/business/video/list/"), r => Assert.Equal("biz-1", r.QueryValue("business_id")));
    }

    [Fact]
    public async Task Pass_MapsCommentsRepliesAndSkipsTheAccountsOwn()
    {
        tiktok.Add(V1, 1000, "refund?? 🙃 <b>now</b> مرحبا");
        tiktok.Add(V1, 1001, "same here", parent: FakeTikTok.C(1000));
        tiktok.Add(V1, 1002, "thanks for reaching out", owner: true);

        await PassAsync();

        var rows = await rig.Store.RowsAsync("SELECT external_id, text, author_handle, url, kind, parent_external_id FROM mentions WHERE workspace_id = $w ORDER BY external_id", ("$w", rig.WorkspaceId));
        Assert.Equal(2, rows.Count);
        Assert.Equal([Id(V1, 1000), "refund?? 🙃 <b>now</b> مرحبا", "user1000", $"https://www.tiktok.com/@acme.support/video/{V1}", "comment", V1], rows[0]);
        Assert.Equal([Id(V1, 1001), "same here", "user1001", $"https://www.tiktok.com/@acme.support/video/{V1}", "reply", Id(V1, 1000)], rows[1]);
    }

    [Fact]
    public async Task Pass_AfterRestart_ResumesFromTheStoredCheckpointWithoutRepeats()
    {
        tiktok.Add(V1, 1000);
        tiktok.Add(V1, 1001);
        var first = await PassAsync();
        tiktok.Add(V1, 1002);
        tiktok.Add(V1, 1003);

        var second = await PassAsync();

        Assert.Equal(2, first.Inserted);
        // The comment at the checkpoint's second is read again (inclusive bound) and absorbed as unchanged.
        Assert.Equal(3, second.Received);
        Assert.Equal(2, second.Inserted);
        Assert.Equal([Id(V1, 1000), Id(V1, 1001), Id(V1, 1002), Id(V1, 1003)], await rig.StoredIdsAsync());
        Assert.Equal(Ms(1003), await CheckpointAsync());
    }

    [Fact]
    public async Task Pass_BusinessApi200WithTokenErrorCode_IsRevokedAndAlerts()
    {
        tiktok.Add(V1, 1000);
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
    public async Task Pass_TokenRotatedElsewhere_VideoListAnswers40105_IsRevoked()
    {
        tiktok.Add(V1, 1000);
        tiktok.Token = "act.rotated-elsewhere";

        var report = await PassAsync();

        Assert.Equal(FailureKind.Revoked, report.Failure?.Kind);
        Assert.Contains("40105", report.Failure!.Message);
        Assert.Empty(stub.To("/business/comment/list/"));
    }

    [Fact]
    public async Task Pass_NoPermission40001_IsForbiddenAndKeepsTheConnection()
    {
        tiktok.Add(V1, 1000);
        tiktok.Scripted.Enqueue("/business/comment/list/", 200, """{"code":40001,"message":"No permission to operate comments of this account.","request_id":"202311010915040102511631990D","data":{}}""");

        var report = await PassAsync();

        Assert.Equal(FailureKind.Forbidden, report.Failure?.Kind);
        Assert.Contains("lacks this scope", report.Failure!.Message);
        Assert.Equal(ConnectionState.Active, (await rig.Connections.ListConnectionsAsync(rig.WorkspaceId, CancellationToken.None)).Single().State);
        Assert.Empty(await rig.StoredIdsAsync());
    }

    [Fact]
    public async Task Pass_ParameterError40002_IsRejectedNotForbidden()
    {
        tiktok.Add(V1, 1000);
        tiktok.Scripted.Enqueue("/business/video/list/", 200, """{"code":40002,"message":"business_id: Invalid value.","request_id":"202311010915040102511631990C","data":{}}""");

        var report = await PassAsync();

        Assert.Equal(FailureKind.Rejected, report.Failure?.Kind);
        Assert.Contains("business_id: Invalid value.", report.Failure!.Message);
    }

    [Fact]
    public async Task Pass_200WithBusinessRateLimitCode40100_IsTransientAndKeepsTheCheckpoint()
    {
        tiktok.Add(V1, 1000);
        await PassAsync();
        tiktok.Add(V1, 1001);
        tiktok.Scripted.Enqueue("/business/video/list/", 200, """{"code":40100,"message":"Too many requests. Please retry in some time.","request_id":"202311010915040102511631990A","data":{}}""");

        var report = await PassAsync();

        Assert.Equal(FailureKind.Transient, report.Failure?.Kind);
        Assert.Equal(Ms(1000), await CheckpointAsync());
        Assert.Null((await PassAsync()).Failure);
        Assert.Equal([Id(V1, 1000), Id(V1, 1001)], await rig.StoredIdsAsync());
    }

    [Fact]
    public async Task Pass_429WithRetryAfterAnd5xx_AreWaitedOutThenRead()
    {
        tiktok.Add(V1, 1000);
        tiktok.Scripted.Enqueue("/business/video/list/", 429, """{"code":40100,"message":"Too many requests. Please retry in some time.","request_id":"202311010915040102511631990B","data":{}}""", ("Retry-After", "1"));
        tiktok.Scripted.Enqueue("/business/comment/list/", 503, "upstream unavailable");

        var report = await PassAsync();

        Assert.Null(report.Failure);
        Assert.Equal([Id(V1, 1000)], await rig.StoredIdsAsync());
        var calls = stub.To("/business/video/list/").ToList();
        Assert.Equal(2, calls.Count);
        Assert.True(calls[1].At - calls[0].At >= TimeSpan.FromMilliseconds(900), $"waited {(calls[1].At - calls[0].At).TotalMilliseconds} ms");
        Assert.Equal(2, stub.To("/business/comment/list/").Count());
    }

    [Fact]
    public async Task Pass_TruncatedCommentPage_KeepsCompleteItemsAndHoldsTheCheckpoint()
    {
        await rig.Connectors.SaveCheckpointAsync(rig.WorkspaceId, source.Id, Ms(900), DateTimeOffset.UnixEpoch, CancellationToken.None);
        tiktok.Add(V1, 1000);
        tiktok.Scripted.Enqueue("/business/comment/list/", 200,
            """{"code":0,"message":"OK","request_id":"t","data":{"comments":[{"comment_id":"7304600000000001005","video_id":"7301837469281750273","create_time":"1740001005","text":"kept","username":"a"},{"comment_id":"7304600000000001004","video_id":"7301837469281750273","create_time":"1740001004","text":"cut of""");

        var report = await PassAsync();

        Assert.Null(report.Failure);
        Assert.Equal([Id(V1, 1005)], await rig.StoredIdsAsync());
        Assert.Contains(report.Errors, e => e.Position.Contains($"video {V1} page 1", StringComparison.Ordinal));
        Assert.Equal(Ms(900), await CheckpointAsync());
        await PassAsync();
        Assert.Equal([Id(V1, 1000), Id(V1, 1005)], await rig.StoredIdsAsync());
    }

    [Fact]
    public async Task Pass_CutVideoList_HoldsTheCheckpoint_SoTheUnlistedVideosCommentsAreReadNextPass()
    {
        await rig.Connectors.SaveCheckpointAsync(rig.WorkspaceId, source.Id, Ms(900), DateTimeOffset.UnixEpoch, CancellationToken.None);
        tiktok.Add(V2, 2000);
        tiktok.Add(V1, 1000);
        // V2 is listed whole, V1 is cut off: storing V2's newest comment time would skip V1's older comment for good.
        tiktok.Scripted.Enqueue("/business/video/list/", 200,
            $$"""{"code":0,"message":"OK","request_id":"202311010915","data":{"videos":[{"item_id":"{{V2}}","create_time":1700000000,"share_url":"https://www.tiktok.com/@acme.support/video/{{V2}}","comments":1},{"item_id":"{{V1}}","create_ti""");

        var cut = await PassAsync();

        Assert.Equal([Id(V2, 2000)], await rig.StoredIdsAsync());
        Assert.Contains(cut.Errors, e => e.Position.StartsWith("video list page 1", StringComparison.Ordinal));
        Assert.Equal(Ms(900), await CheckpointAsync());

        var healed = await PassAsync();

        Assert.Equal(1, healed.Inserted);
        Assert.Equal(new[] { Id(V1, 1000), Id(V2, 2000) }.Order(StringComparer.Ordinal), await rig.StoredIdsAsync());
        Assert.Equal(Ms(2000), await CheckpointAsync());
    }

    [Fact]
    public async Task Pass_DuplicateAndOutOfOrderComments_StoredOnceCheckpointAtNewest()
    {
        tiktok.Scripted.Enqueue("/business/comment/list/", 200,
            """{"code":0,"message":"OK","request_id":"d","data":{"comments":[{"comment_id":"7304600000000000003","create_time":1740001003,"text":"three","username":"a"},{"comment_id":"7304600000000000009","create_time":1740001009,"text":"nine","username":"b"},{"comment_id":"7304600000000000003","create_time":1740001003,"text":"three","username":"a"},{"create_time":1740001004,"text":"no id"}],"cursor":4,"has_more":false}}""");
        tiktok.Add(V1, 1);

        var report = await PassAsync();

        Assert.Equal([Id(V1, 3), Id(V1, 9)], await rig.StoredIdsAsync());
        Assert.Equal(Ms(1009), await CheckpointAsync());
        Assert.Contains(report.Errors, e => e.Position.EndsWith("item 4", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Research_QueriesKeywordsWithAClientTokenAndFollowsTheSearchId()
    {
        var query = await rig.SourceAsync(Platform.TikTok, SourceKind.Query, "acme refund");

        var report = await PassAsync(query);

        Assert.Null(report.Failure);
        Assert.Equal(["7301993846532587781", "7302004827364019462"], await rig.StoredIdsAsync());
        Assert.All(stub.To("/v2/research/video/query/"), r => Assert.Equal("Bearer clt.research", r.Headers["Authorization"]));
        var first = JsonDocument.Parse(tiktok.ResearchBodies[0]).RootElement;
        Assert.Equal(["acme", "refund"], first.GetProperty("query").GetProperty("and").EnumerateArray().Select(c => c.GetProperty("field_values")[0].GetString()));
        Assert.Equal("7201388", JsonDocument.Parse(tiktok.ResearchBodies[1]).RootElement.GetProperty("search_id").GetString());
        var row = (await rig.Store.RowsAsync("SELECT url, author_handle FROM mentions WHERE external_id = '7301993846532587781'")).Single();
        Assert.Equal(["https://www.tiktok.com/@critic/video/7301993846532587781", "critic"], row);
    }

    [Fact]
    public async Task Reply_PostsToTheBusinessReplyEndpointWithBothIds()
    {
        tiktok.Add(V1, 1000);
        var account = (await rig.Connections.ListAsync(rig.WorkspaceId, CancellationToken.None)).Single();

        var result = await new TikTokReplySender(rig.Http, options).SendAsync(account, new ReplyRequest(rig.WorkspaceId, 5, Id(V1, 1000), "user1000", "We're on it 🙏", DateTimeOffset.UtcNow), CancellationToken.None);

        Assert.Equal($"{V1}/reply-of-{FakeTikTok.C(1000)}", result.RemoteId);
        var sent = JsonDocument.Parse(stub.To("/business/comment/reply/create/").Single().Body).RootElement;
        Assert.Equal(["biz-1", V1, FakeTikTok.C(1000), "We're on it 🙏"], new[] { "business_id", "video_id", "comment_id", "text" }.Select(p => sent.GetProperty(p).GetString()));
    }

    [Fact]
    public async Task Refresh_BeforeExpiry_StoresTheNewTokensEncryptedAndTheNextPassUsesThem()
    {
        tiktok.Add(V1, 1000);
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
        Assert.Equal("act.refreshed-token", stub.To("/business/video/list/").Last().Headers["Access-Token"]);
        Assert.Equal([Id(V1, 1000)], await rig.StoredIdsAsync());
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
