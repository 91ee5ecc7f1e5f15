namespace Firebreak.Storage.Tests.Connectors;

using Firebreak.Core.Connectors;
using Firebreak.Core.Connectors.YouTube;
using Firebreak.Core.Mentions;
using Firebreak.Core.Workspaces;

public sealed class YouTubeConnectorTests : IAsyncLifetime
{
    private readonly FakeYouTube youtube = new();
    private readonly YouTubeOptions options = new() { PageSize = 10 };
    private ConnectorRig rig = null!;
    private StubServer stub = null!;
    private Source source = null!;
    private YouTubeConnector connector = null!;

    public async Task InitializeAsync()
    {
        rig = await ConnectorRig.OpenAsync();
        stub = await StubServer.StartAsync(youtube.HandleAsync);
        connector = new YouTubeConnector(rig.Http, options, TimeProvider.System);
        await rig.Connections.ConnectAsync(rig.WorkspaceId, Platform.YouTube, "brand", stub.BaseUri, youtube.Key, null, null, CancellationToken.None);
        source = await rig.SourceAsync(Platform.YouTube, SourceKind.Account, "UCbrand000000000000000");
    }

    public async Task DisposeAsync()
    {
        await stub.DisposeAsync();
        await rig.DisposeAsync();
    }

    private IEnumerable<StubRequest> Threads => stub.To("/youtube/v3/commentThreads");

    private static string CheckpointOf(int n) => $"{FakeYouTube.Epoch.AddMinutes(n).ToUnixTimeMilliseconds()}:{FakeYouTube.Id(n)}";

    [Fact]
    public async Task Pass_FromCheckpoint_PagesWithPageTokenToTheCheckpoint_AndRestartResumes()
    {
        youtube.Add([.. Enumerable.Range(1, 25)]);
        await rig.Connectors.SaveCheckpointAsync(rig.WorkspaceId, source.Id, CheckpointOf(8), DateTimeOffset.UnixEpoch, CancellationToken.None);

        var first = await rig.PassWithAsync(connector, source);
        youtube.Add(26, 27);
        var second = await rig.PassWithAsync(new YouTubeConnector(rig.Http, options, TimeProvider.System), source);

        Assert.Null(first.Failure);
        Assert.Equal(17, first.Inserted);
        Assert.Equal(2, second.Inserted);
        Assert.Equal(Enumerable.Range(9, 19).Select(FakeYouTube.Id).Order(StringComparer.Ordinal), await rig.StoredIdsAsync());
        Assert.Equal(CheckpointOf(27), await rig.CheckpointAsync(source));
        var calls = Threads.ToList();
        Assert.Equal([null, "p10", null], calls.Select(c => c.QueryValue("pageToken")));
        Assert.Equal("UCbrand000000000000000", calls[0].QueryValue("allThreadsRelatedToChannelId"));
        Assert.Equal("time", calls[0].QueryValue("order"));
        Assert.Equal(youtube.Key, calls[0].QueryValue("key"));
    }

    [Fact]
    public async Task Pass_MiddlePageCutOnceThenForAWholePass_NothingSkipped_EveryCommentOnce()
    {
        youtube.Add([.. Enumerable.Range(1, 30)]);
        await rig.Connectors.SaveCheckpointAsync(rig.WorkspaceId, source.Id, CheckpointOf(0), DateTimeOffset.UnixEpoch, CancellationToken.None);
        youtube.Cut["p10"] = 1;

        var once = await rig.PassWithAsync(connector, source);

        Assert.Empty(once.Errors);
        Assert.Equal(30, once.Received);
        Assert.Equal([null, "p10", "p10", "p20"], Threads.Select(c => c.QueryValue("pageToken")));
        Assert.Equal(Enumerable.Range(1, 30).Select(FakeYouTube.Id).Order(StringComparer.Ordinal), await rig.StoredIdsAsync());
        Assert.Equal(CheckpointOf(30), await rig.CheckpointAsync(source));

        youtube.Add([.. Enumerable.Range(31, 30)]);
        youtube.Cut["p10"] = OldestFirst.BrokenPageTries;
        var broken = await rig.PassWithAsync(new YouTubeConnector(rig.Http, options, TimeProvider.System), source);
        Assert.StartsWith("page 2, item ", Assert.Single(broken.Errors).Position);
        Assert.Equal(CheckpointOf(30), await rig.CheckpointAsync(source));
        Assert.DoesNotContain(FakeYouTube.Id(40), await rig.StoredIdsAsync());

        var healed = await rig.PassWithAsync(new YouTubeConnector(rig.Http, options, TimeProvider.System), source);
        Assert.Empty(healed.Errors);
        Assert.Equal(Enumerable.Range(1, 60).Select(FakeYouTube.Id).Order(StringComparer.Ordinal), await rig.StoredIdsAsync());
        Assert.Equal(CheckpointOf(60), await rig.CheckpointAsync(source));
    }

    [Fact]
    public async Task Pass_MapsTheTopLevelComment()
    {
        youtube.Scripted.Enqueue((200, [], FakeYouTube.List("commentThreadListResponse", [FakeYouTube.Thread(5, "<b>not</b> refunded 😡 & \"late\"")], null)));

        await rig.PassWithAsync(connector, source);

        var row = (await rig.Store.RowsAsync("SELECT external_id, text, author_handle, url, kind, parent_external_id, likes FROM mentions WHERE workspace_id = $w", ("$w", rig.WorkspaceId))).Single();
        Assert.Equal(FakeYouTube.Id(5), row[0]);
        Assert.Equal("<b>not</b> refunded 😡 & \"late\"", row[1]);
        Assert.Equal("viewer5", row[2]); // the pipeline stores handles without the leading @
        Assert.Equal($"https://www.youtube.com/watch?v=dQw4w9WgXcQ&lc={FakeYouTube.Id(5)}", row[3]);
        Assert.Equal("comment", row[4]);
        Assert.Equal("dQw4w9WgXcQ", row[5]);
        Assert.Equal(5L, row[6]);
    }

    [Fact]
    public async Task QuotaExceeded_IsAWaitUntilMidnightPacific_NotARevocation_AndNoFurtherCallsAreSpent()
    {
        youtube.Add(1);
        youtube.Scripted.Enqueue((403, [], FakeYouTube.Error(403, "quotaExceeded", "youtube.quota", "The request cannot be completed because you have exceeded your quota.")));

        var first = await rig.PassWithAsync(connector, source);
        var second = await rig.PassWithAsync(connector, source);

        Assert.Equal(FailureKind.Transient, first.Failure?.Kind);
        Assert.Contains("midnight Pacific", first.Failure!.Message);
        Assert.Equal(FailureKind.Transient, second.Failure?.Kind);
        Assert.Single(Threads);
        Assert.Equal(ConnectionState.Active, await rig.ConnectionStateAsync());
        Assert.Empty(rig.Alerts.Raised);
    }

    [Fact]
    public void NextQuotaReset_IsTheNextMidnightInLosAngeles_AcrossDaylightSaving()
    {
        // 2025-03-09 is the spring-forward day: midnight before it is UTC−8, the one after it UTC−7.
        Assert.Equal(new DateTimeOffset(2025, 3, 9, 8, 0, 0, TimeSpan.Zero), YouTubeMapper.NextQuotaReset(new DateTimeOffset(2025, 3, 8, 20, 0, 0, TimeSpan.Zero)));
        Assert.Equal(new DateTimeOffset(2025, 3, 10, 7, 0, 0, TimeSpan.Zero), YouTubeMapper.NextQuotaReset(new DateTimeOffset(2025, 3, 9, 12, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public async Task RateLimitExceededIsTransient_CommentsDisabledIsForbidden_5xxRetried_KeyInvalidIsRevoked()
    {
        youtube.Add(1);
        youtube.Scripted.Enqueue((403, [], FakeYouTube.Error(403, "rateLimitExceeded", "youtube.quota", "The request cannot be completed because you have exceeded your rate limit.")));
        Assert.Equal(FailureKind.Transient, (await rig.PassWithAsync(connector, source)).Failure?.Kind);

        youtube.Scripted.Enqueue((403, [], FakeYouTube.Error(403, "commentsDisabled", "youtube.commentThread", "The video identified by the videoId parameter has disabled comments.")));
        var forbidden = await rig.PassWithAsync(connector, source);
        Assert.Equal(FailureKind.Forbidden, forbidden.Failure?.Kind);
        Assert.Contains("commentsDisabled", forbidden.Failure!.Message);

        youtube.Scripted.Enqueue((503, [], FakeYouTube.Error(503, "backendError", "global", "Backend Error")));
        var retried = await rig.PassWithAsync(connector, source);
        Assert.Null(retried.Failure);
        Assert.Equal(1, retried.Inserted);
        Assert.Equal(ConnectionState.Active, await rig.ConnectionStateAsync());

        youtube.Key = "AIzaSy-rotated";
        var revoked = await rig.PassWithAsync(connector, source);
        Assert.Equal(FailureKind.Revoked, revoked.Failure?.Kind);
        Assert.Equal(ConnectionState.Revoked, await rig.ConnectionStateAsync());
    }

    [Fact]
    public async Task Pass_TruncatedAndMalformed_KeepValidItems_DuplicatesAndDisorderAbsorbed()
    {
        await rig.Connectors.SaveCheckpointAsync(rig.WorkspaceId, source.Id, CheckpointOf(1), DateTimeOffset.UnixEpoch, CancellationToken.None);
        youtube.Scripted.Enqueue((200, [], FakeYouTube.List("commentThreadListResponse", [FakeYouTube.Thread(3), FakeYouTube.Thread(4), FakeYouTube.Thread(3), """{"kind":"youtube#commentThread","id":"Ugbroken","snippet":{}}"""], null)));
        var messy = await rig.PassWithAsync(connector, source);
        Assert.Equal(2, messy.Inserted);
        Assert.Equal("page 1, item 4", Assert.Single(messy.Errors).Position);
        Assert.Equal(CheckpointOf(4), await rig.CheckpointAsync(source));

        var whole = FakeYouTube.List("commentThreadListResponse", [FakeYouTube.Thread(7), FakeYouTube.Thread(6), FakeYouTube.Thread(5)], null);
        for (var i = 0; i < OldestFirst.BrokenPageTries; i++)
        {
            youtube.Scripted.Enqueue((200, [], whole[..(whole.Length - 50)]));
        }

        var truncated = await rig.PassWithAsync(connector, source);
        Assert.Equal(2, truncated.Inserted);
        Assert.StartsWith("page 1, item 3, byte ", Assert.Single(truncated.Errors).Position);
        Assert.Equal(new[] { 3, 4, 6, 7 }.Select(FakeYouTube.Id).Order(StringComparer.Ordinal), await rig.StoredIdsAsync());
        // The page stayed cut (its nextPageToken lost, 5 unknown): the checkpoint is held for the next pass.
        Assert.Equal(CheckpointOf(4), await rig.CheckpointAsync(source));
    }

    [Fact]
    public async Task Search_AsksForVideosPublishedAfterTheCheckpoint()
    {
        var search = await rig.SourceAsync(Platform.YouTube, SourceKind.Query, "brand phone fire");
        await rig.Connectors.SaveCheckpointAsync(rig.WorkspaceId, search.Id, $"{FakeYouTube.Epoch.AddMinutes(2).ToUnixTimeMilliseconds()}:vid00000002", DateTimeOffset.UnixEpoch, CancellationToken.None);
        youtube.Scripted.Enqueue((200, [], FakeYouTube.List("searchListResponse", [FakeYouTube.Video(4, "Brand phone caught fire?! &#39;not again&#39;"), FakeYouTube.Video(3, "Brand phone review")], null)));

        var report = await rig.PassWithAsync(connector, search);

        Assert.Equal(2, report.Inserted);
        var call = Assert.Single(stub.To("/youtube/v3/search"));
        Assert.Equal("video", call.QueryValue("type"));
        Assert.Equal("brand phone fire", call.QueryValue("q"));
        Assert.Equal("2025-03-03T09:02:00Z", call.QueryValue("publishedAfter"));
        var text = (await rig.Store.RowsAsync("SELECT text FROM mentions WHERE external_id = 'vid00000004'")).Single()[0];
        Assert.Equal("Brand phone caught fire?! 'not again'\nUnboxing & review", text);
    }

    [Fact]
    public async Task Reply_WithOAuth_PostsOnceWithParentId_AndAnApiKeyCannotReply()
    {
        var keyAccount = (await rig.Connections.ListAsync(rig.WorkspaceId, CancellationToken.None)).Single();
        var sender = new YouTubeReplySender(rig.Http, TimeProvider.System);
        var reply = new ReplyRequest(rig.WorkspaceId, 9, FakeYouTube.Id(5), "@viewer5", "Sorry! DM us", DateTimeOffset.UtcNow);

        var refused = await Assert.ThrowsAsync<ConnectorException>(() => sender.SendAsync(keyAccount, reply, CancellationToken.None));
        Assert.Equal(FailureKind.Forbidden, refused.Kind);
        Assert.Empty(stub.Requests);

        var result = await sender.SendAsync(keyAccount with { Secret = youtube.OAuth }, reply, CancellationToken.None);

        var post = Assert.Single(stub.To("/youtube/v3/comments"), r => r.Method == "POST");
        Assert.Equal("snippet", post.QueryValue("part"));
        Assert.Equal($"Bearer {youtube.OAuth}", post.Headers["Authorization"]);
        var snippet = System.Text.Json.JsonDocument.Parse(post.Body).RootElement.GetProperty("snippet");
        Assert.Equal(FakeYouTube.Id(5), snippet.GetProperty("parentId").GetString());
        Assert.Equal("Sorry! DM us", snippet.GetProperty("textOriginal").GetString());
        Assert.Equal("UgzReply1.AbC", result.RemoteId);
    }

    [Fact]
    public async Task Reply_AnswerLostAfterYouTubePostedIt_IsReadBack_NotPostedTwice()
    {
        var account = (await rig.Connections.ListAsync(rig.WorkspaceId, CancellationToken.None)).Single() with { Secret = youtube.OAuth };
        var sender = new YouTubeReplySender(rig.Http, TimeProvider.System);
        var reply = new ReplyRequest(rig.WorkspaceId, 10, FakeYouTube.Id(6), "@viewer6", "Sorry — we're on it 🙏", DateTimeOffset.UtcNow.AddSeconds(-1));
        youtube.LoseNextInsertAnswerWith = 503;

        var result = await sender.SendAsync(account, reply, CancellationToken.None);
        var again = await sender.SendAsync(account, reply, CancellationToken.None);
        var other = await sender.SendAsync(account, reply with { ReplyId = 11, Text = "A different answer" }, CancellationToken.None);

        Assert.Equal("UgzReply1.AbC", result.RemoteId);
        Assert.Equal("UgzReply1.AbC", again.RemoteId);
        Assert.Equal("UgzReply2.AbC", other.RemoteId);
        Assert.Equal(2, stub.To("/youtube/v3/comments").Count(r => r.Method == "POST"));
        Assert.All(stub.To("/youtube/v3/channels"), r => Assert.Equal("true", r.QueryValue("mine")));
    }
}
