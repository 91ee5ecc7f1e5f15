namespace Firebreak.Storage.Tests.Connectors;

using System.Security.Cryptography;
using System.Text;
using Firebreak.Core.Connectors;
using Firebreak.Core.Connectors.Meta;
using Firebreak.Core.Detection;
using Firebreak.Core.Mentions;
using Firebreak.Core.Workspaces;

/// <summary>Facebook Pages and Instagram over a loopback Graph v21.0 stub, through the real runner, store and pipeline.</summary>
public sealed class MetaConnectorTests : IAsyncLifetime
{
    private readonly FakeGraph graph = new();
    private readonly MetaWebhookActivity activity = new();
    private ConnectorRig rig = null!;
    private StubServer stub = null!;
    private GraphClient client = null!;
    private Source page = null!;

    public async Task InitializeAsync()
    {
        rig = await ConnectorRig.OpenAsync();
        stub = await StubServer.StartAsync(graph.HandleAsync);
        client = new GraphClient(new HttpClient { Timeout = Timeout.InfiniteTimeSpan }, rig.HttpOptions, new GraphOptions { BaseUri = stub.BaseUri, PageLimit = 25, ContainerPollInterval = TimeSpan.FromMilliseconds(20), ContainerPollAttempts = 4 }, TimeProvider.System);
        await rig.Connections.ConnectAsync(rig.WorkspaceId, Platform.Facebook, FakeGraph.PageId, stub.BaseUri, graph.Token, null, null, CancellationToken.None);
        page = await rig.SourceAsync(Platform.Facebook, SourceKind.Account, FakeGraph.PageId);
    }

    public async Task DisposeAsync()
    {
        await stub.DisposeAsync();
        await rig.DisposeAsync();
    }

    [Fact]
    public async Task Facebook_Pass_PagesTheFeedByCursorAndStoresEveryPostAndComment()
    {
        for (var n = 1; n <= 60; n++)
        {
            graph.AddPost(n, $"post {n} 🙃 عربى");
        }

        var report = await PassAsync(page);

        Assert.Null(report.Failure);
        Assert.Equal(120, (await rig.StoredIdsAsync()).Count);
        var feed = Requests("feed");
        Assert.Equal(3, feed.Count);
        Assert.Null(feed[0].QueryValue("after"));
        Assert.NotNull(feed[1].QueryValue("after"));
        Assert.All(stub.Requests, r => Assert.Equal(graph.Token, r.QueryValue("access_token")));
        Assert.Equal(FacebookConnector.FeedFields, feed[0].QueryValue("fields"));
        var newest = FakeGraph.Epoch.AddMinutes(60).AddSeconds(1).ToUnixTimeSeconds();
        Assert.Equal($"{newest}|900060_1", await Checkpoint(page));
        var comment = (await rig.Store.RowsAsync("SELECT kind, parent_external_id, text, platform, author_handle, author_name, replies, likes FROM mentions WHERE workspace_id = $w AND external_id = '900007_1'", ("$w", rig.WorkspaceId))).Single();
        Assert.Equal("comment", comment[0]);
        Assert.Equal(FakeGraph.PostId(7), comment[1]);
        Assert.Equal("comment 1 on 7", comment[2]);
        Assert.Equal("facebook", comment[3]);
        Assert.Equal(["77311", "Noor Haddad", 1L, 2L], comment[4..]);
    }

    [Fact]
    public async Task Facebook_Restart_AsksSinceTheCheckpointAndStoresOnlyTheNewItems()
    {
        for (var n = 1; n <= 5; n++)
        {
            graph.AddPost(n, "first " + n);
        }

        await PassAsync(page);
        var checkpoint = await Checkpoint(page);
        for (var n = 6; n <= 8; n++)
        {
            graph.AddPost(n, "later " + n);
        }

        var report = await PassAsync(page);

        Assert.Equal(checkpoint!.Split('|')[0], Requests("feed").Last().QueryValue("since"));
        Assert.Equal(6, report.Inserted);
        Assert.Equal(6, report.Received);
        Assert.Equal(16, (await rig.StoredIdsAsync()).Count);
    }

    [Fact]
    public async Task Facebook_Code190Expired_MarksTheConnectionRevokedAndAlerts()
    {
        graph.AddPost(1, "hello");
        graph.Scripted.Enqueue((400, [("WWW-Authenticate", "OAuth \"Facebook Platform\" \"invalid_token\"")],
            FakeGraph.GraphError(190, "Error validating access token: Session has expired on Friday, 07-Mar-25 10:00:00 PST.", 463)));

        var report = await PassAsync(page);

        Assert.Equal(FailureKind.Revoked, report.Failure?.Kind);
        Assert.Contains("expired", report.Failure!.Message);
        Assert.Contains("463", report.Failure.Message);
        var connection = (await rig.Connections.ListConnectionsAsync(rig.WorkspaceId, CancellationToken.None)).Single();
        Assert.Equal(ConnectionState.Revoked, connection.State);
        Assert.Contains(rig.Alerts.Raised, d => d.Signal == DetectionSignal.ConnectorHealth && d.Explanation.Contains(FakeGraph.PageId));
        Assert.Empty(await rig.StoredIdsAsync());
    }

    [Fact]
    public async Task Facebook_UserTokenWherePageTokenNeeded_SaysSoAndDoesNotRevoke()
    {
        graph.Scripted.Enqueue((400, [], FakeGraph.GraphError(190, "(#190) This method must be called with a Page Access Token")));

        var report = await PassAsync(page);

        Assert.Equal(FailureKind.Forbidden, report.Failure?.Kind);
        Assert.Contains("USER access token", report.Failure!.Message);
        Assert.Contains("PAGE access token", report.Failure.Message);
        Assert.Equal(ConnectionState.Active, (await rig.Connections.ListConnectionsAsync(rig.WorkspaceId, CancellationToken.None)).Single().State);
    }

    [Fact]
    public async Task Facebook_Code17WithRetryAfter_WaitsThenSucceeds()
    {
        graph.AddPost(1, "hello");
        graph.Scripted.Enqueue((400, [("Retry-After", "1"), ("X-App-Usage", """{"call_count":100,"total_cputime":20,"total_time":30}""")], FakeGraph.GraphError(17, "(#17) User request limit reached", type: "OAuthException")));

        var report = await PassAsync(page);

        Assert.Null(report.Failure);
        var feed = Requests("feed");
        Assert.Equal(2, feed.Count);
        Assert.True(feed[1].At - feed[0].At >= TimeSpan.FromMilliseconds(950), $"retried after {(feed[1].At - feed[0].At).TotalMilliseconds} ms");
        Assert.Equal(2, (await rig.StoredIdsAsync()).Count);
    }

    [Fact]
    public async Task Facebook_BusinessUseCaseLimitFarAway_FailsTransientlyAndKeepsTheCheckpoint()
    {
        graph.AddPost(1, "hello");
        var usage = $$"""{"{{FakeGraph.PageId}}":[{"type":"pages","call_count":100,"total_cputime":12,"total_time":14,"estimated_time_to_regain_access":5}]}""";
        graph.Scripted.Enqueue((400, [("X-Business-Use-Case-Usage", usage), ("X-App-Usage", """{"call_count":97}""")], FakeGraph.GraphError(80001, "There have been too many calls to this Page account.", type: "OAuthException")));

        var report = await PassAsync(page);

        Assert.Equal(FailureKind.Transient, report.Failure?.Kind);
        Assert.Contains("5 min", report.Failure!.Message);
        Assert.Contains("call_count\":97", report.Failure.Message);
        Assert.Single(stub.Requests);
        Assert.Null(await Checkpoint(page));
    }

    [Fact]
    public async Task Facebook_ServerErrorThenSuccess_Retries()
    {
        graph.AddPost(1, "hello");
        graph.Scripted.Enqueue((500, [], FakeGraph.GraphError(2, "An unexpected error has occurred. Please retry your request later.", type: "OAuthException")));

        var report = await PassAsync(page);

        Assert.Null(report.Failure);
        Assert.Equal(2, Requests("feed").Count);
        Assert.Equal(2, (await rig.StoredIdsAsync()).Count);
    }

    [Fact]
    public async Task Facebook_TruncatedFeedPage_KeepsTheCompletePostsAndNamesTheBreak()
    {
        var t = FakeGraph.Time(FakeGraph.Epoch);
        graph.RawFeed = $$$"""{"data":[{"id":"{{{FakeGraph.PostId(1)}}}","message":"kept one","created_time":"{{{t}}}","from":{"name":"A","id":"1"}},{"id":"{{{FakeGraph.PostId(2)}}}","message":"kept two","created_time":"{{{t}}}"},{"id":"{{{FakeGraph.PostId(3)}}}","message":"cut o""";
        graph.Tagged.Add(("104967392211045_55", FakeGraph.Epoch.AddMinutes(1), "tagged @brand"));

        var report = await PassAsync(page);

        Assert.Null(report.Failure);
        Assert.Equal(["104967392211045_55", FakeGraph.PostId(1), FakeGraph.PostId(2)], await rig.StoredIdsAsync());
        var error = Assert.Single(report.Errors);
        Assert.Contains("feed page 1", error.Position);
        Assert.Contains("truncated", error.Reason);
    }

    [Fact]
    public async Task Facebook_DuplicateAndOutOfOrderPosts_StoredOnceCheckpointAtTheNewest()
    {
        string Post(int n, int minutes, string message) => $$$"""{"id":"{{{FakeGraph.PostId(n)}}}","message":"{{{message}}}","created_time":"{{{FakeGraph.Time(FakeGraph.Epoch.AddMinutes(minutes))}}}","from":{"name":"Visitor","id":"5230{{{n}}}"}}""";
        graph.RawFeed = $$$"""{"data":[{{{Post(3, 3, "three")}}},{{{Post(9, 9, "nine")}}},{{{Post(3, 3, "three")}}},{"message":"no id","created_time":"{{{FakeGraph.Time(FakeGraph.Epoch)}}}"},{{{Post(5, 5, "five")}}}],"paging":{"cursors":{"before":"QVFIUjNm","after":"QVFIUkx4"}""" + "}}";

        var report = await PassAsync(page);

        Assert.Null(report.Failure);
        Assert.Equal([FakeGraph.PostId(3), FakeGraph.PostId(5), FakeGraph.PostId(9)], await rig.StoredIdsAsync());
        Assert.Equal($"{FakeGraph.Epoch.AddMinutes(9).ToUnixTimeSeconds()}|{FakeGraph.PostId(9)}", await Checkpoint(page));
        Assert.Contains(report.Errors, e => e.Position.EndsWith("item 4", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Facebook_WebhookQuietWhilePollingFindsItems_WarnsInHealth()
    {
        activity.Record(rig.WorkspaceId, Platform.Facebook, FakeGraph.Epoch.AddHours(-2));
        graph.AddPost(1, "only polling saw this");

        var report = await PassAsync(page);

        Assert.Contains(report.Errors, e => e.Reason.StartsWith("webhook stopped", StringComparison.Ordinal));
        var health = (await rig.Connectors.ListHealthAsync(rig.WorkspaceId, CancellationToken.None)).Single();
        Assert.StartsWith("webhook stopped", health.LastError);
    }

    [Fact]
    public async Task Instagram_Account_ReadsCommentsWithRepliesAndTags()
    {
        await rig.Connections.ConnectAsync(rig.WorkspaceId, Platform.Instagram, FakeGraph.IgUserId, stub.BaseUri, graph.Token, null, null, CancellationToken.None);
        var ig = await rig.SourceAsync(Platform.Instagram, SourceKind.Account, FakeGraph.IgUserId);
        var at = FakeGraph.Epoch;
        graph.Media.Add(("17895695668004550", at, [("17858893269000001", at.AddMinutes(1), "where is my refund", [("17858893269000002", at.AddMinutes(2), "DM us please")]), ("17858893269000003", at.AddMinutes(3), "same here", [])]));
        graph.Media.Add(("17895695668004551", at.AddMinutes(5), []));
        graph.IgTags.Add(("17899305691014000", at.AddMinutes(4), "@brand ruined my trip"));

        var report = await PassAsync(ig);

        Assert.Null(report.Failure);
        Assert.Equal(["17858893269000001", "17858893269000002", "17858893269000003", "17899305691014000"], await rig.StoredIdsAsync());
        var reply = (await rig.Store.RowsAsync("SELECT parent_external_id, author_handle, platform FROM mentions WHERE external_id = '17858893269000002'")).Single();
        Assert.Equal("17858893269000001", reply[0]);
        Assert.Equal("replier", reply[1]);
        Assert.Equal("instagram", reply[2]);
        // Media without comments are not asked for comments (one call saved per quiet post).
        Assert.DoesNotContain(stub.Requests, r => r.Path.Contains("17895695668004551", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Instagram_CommentsOverSeveralGraphPages_FollowTheAfterCursorUntilNoNext()
    {
        await rig.Connections.ConnectAsync(rig.WorkspaceId, Platform.Instagram, FakeGraph.IgUserId, stub.BaseUri, graph.Token, null, null, CancellationToken.None);
        var ig = await rig.SourceAsync(Platform.Instagram, SourceKind.Account, FakeGraph.IgUserId);
        var at = FakeGraph.Epoch;
        graph.Media.Add(("17895695668004560", at, [.. Enumerable.Range(1, 60).Select(i => ($"178588932691{i:D5}", at.AddSeconds(i), $"comment {i} ✨", new List<(string, DateTimeOffset, string)>()))]));

        var report = await PassAsync(ig);

        Assert.Null(report.Failure);
        Assert.Equal(60, (await rig.StoredIdsAsync()).Count);
        var pages = stub.To($"/{GraphOptions.Version}/17895695668004560/comments").ToList();
        Assert.Equal(3, pages.Count);
        Assert.Null(pages[0].QueryValue("after"));
        Assert.Equal(["25", "25", "25"], pages.Select(p => p.QueryValue("limit")));
        Assert.NotEqual(pages[1].QueryValue("after"), pages[2].QueryValue("after"));
        Assert.All(pages, p => Assert.Equal(InstagramConnector.CommentFields, p.QueryValue("fields")));
    }

    [Fact]
    public async Task Instagram_Hashtag_SearchesTheIdThenReadsRecentMedia()
    {
        await rig.Connections.ConnectAsync(rig.WorkspaceId, Platform.Instagram, FakeGraph.IgUserId, stub.BaseUri, graph.Token, null, null, CancellationToken.None);
        var tag = await rig.SourceAsync(Platform.Instagram, SourceKind.Query, "#brandfail");
        graph.HashtagMedia.Add(("17900000000000001", FakeGraph.Epoch.AddMinutes(1), "#brandfail again"));
        graph.HashtagMedia.Add(("17900000000000002", FakeGraph.Epoch.AddMinutes(2), "#brandfail 😡"));

        var report = await PassAsync(tag);

        Assert.Null(report.Failure);
        Assert.Equal(2, report.Inserted);
        Assert.Equal(FakeGraph.IgUserId, stub.To($"/{GraphOptions.Version}/ig_hashtag_search").Single().QueryValue("user_id"));
        Assert.Equal(FakeGraph.IgUserId, stub.To($"/{GraphOptions.Version}/17843853986012965/recent_media").Single().QueryValue("user_id"));

        var unknown = await rig.SourceAsync(Platform.Instagram, SourceKind.Query, "#nosuchtag");
        var failed = await PassAsync(unknown);
        Assert.Equal(FailureKind.Rejected, failed.Failure?.Kind);
        Assert.Contains("#nosuchtag", failed.Failure!.Message);
    }

    [Fact]
    public async Task Replies_PostToTheDocumentedEdges()
    {
        var account = (await rig.Connections.ListAsync(rig.WorkspaceId, CancellationToken.None)).Single();
        var fb = await new FacebookReplySender(client).SendAsync(account, new ReplyRequest(rig.WorkspaceId, 1, "900007_1", "77", "Sorry — we're on it", DateTimeOffset.UtcNow), CancellationToken.None);
        var ig = await new InstagramReplySender(client).SendAsync(account, new ReplyRequest(rig.WorkspaceId, 2, "17858893269000001", "fan", "Please DM us", DateTimeOffset.UtcNow), CancellationToken.None);

        var fbCall = stub.To($"/{GraphOptions.Version}/900007_1/comments").Single(r => r.Method == "POST");
        Assert.Contains("message=Sorry", fbCall.Body);
        Assert.Matches(@"^900007_\d{16}$", fb.RemoteId);
        Assert.Single(stub.To($"/{GraphOptions.Version}/17858893269000001/replies"), r => r.Method == "POST");
        Assert.Matches(@"^17\d{15}$", ig.RemoteId);
        // Each send was preceded by a read-back of the replies already there.
        Assert.Equal("reverse_chronological", stub.To($"/{GraphOptions.Version}/900007_1/comments").Single(r => r.Method == "GET").QueryValue("order"));
    }

    [Fact]
    public async Task Replies_AnswerLostAfterGraphPostedThem_AreReadBack_NotPostedTwice()
    {
        var page = new Firebreak.Core.Publishing.PlatformAccount(rig.WorkspaceId, "facebook:" + FakeGraph.PageId, Platform.Facebook, stub.BaseUri, FakeGraph.PageId, graph.Token, null);
        var ig = new Firebreak.Core.Publishing.PlatformAccount(rig.WorkspaceId, "instagram:" + FakeGraph.IgUserId, Platform.Instagram, stub.BaseUri, FakeGraph.IgUserId, graph.Token, null);
        var fbReply = new ReplyRequest(rig.WorkspaceId, 3, "900008_1", "77", "Sorry — we're on it 🙏", DateTimeOffset.UtcNow.AddSeconds(-1));
        var igReply = new ReplyRequest(rig.WorkspaceId, 4, "17858893269000002", "fan", "Please DM us", DateTimeOffset.UtcNow.AddSeconds(-1));

        graph.LoseNextReplyAnswerWith = 500;
        var fb = await new FacebookReplySender(client).SendAsync(page, fbReply, CancellationToken.None);
        graph.LoseNextReplyAnswerWith = 500;
        var igResult = await new InstagramReplySender(client).SendAsync(ig, igReply, CancellationToken.None);
        var fbAgain = await new FacebookReplySender(client).SendAsync(page, fbReply, CancellationToken.None);
        var fbOther = await new FacebookReplySender(client).SendAsync(page, fbReply with { ReplyId = 5, Text = "Another answer" }, CancellationToken.None);

        Assert.Equal(graph.Made["900008_1"][0].Id, fb.RemoteId);
        Assert.Equal(fb.RemoteId, fbAgain.RemoteId);
        Assert.Equal(graph.Made["17858893269000002"].Single().Id, igResult.RemoteId);
        Assert.Equal(2, graph.Made["900008_1"].Count);
        Assert.Equal(fbOther.RemoteId, graph.Made["900008_1"][1].Id);
        Assert.Equal(2, stub.To($"/{GraphOptions.Version}/900008_1/comments").Count(r => r.Method == "POST"));
    }

    [Fact]
    public void Version_IsOneConstantAndRetirementShowsAsAWarning()
    {
        Assert.Equal("v21.0", GraphOptions.Version);
        Assert.Null(new GraphResponse([], "v21.0").VersionWarning("facebook"));
        Assert.Contains("v23.0", new GraphResponse([], "v23.0").VersionWarning("facebook")!.Reason);
    }

    [Fact]
    public async Task Instagram_Publish_CreatesTheContainerThenPublishesIt_AndRefusesTextOnly()
    {
        var account = new Firebreak.Core.Publishing.PlatformAccount(rig.WorkspaceId, "instagram:" + FakeGraph.IgUserId, Platform.Instagram, stub.BaseUri, FakeGraph.IgUserId, graph.Token, null);
        var publisher = new InstagramPublisher(client);
        var request = new Firebreak.Core.Publishing.Platforms.PublishRequest("Our statement on today's outage 🙏", ["https://cdn.example/statement.jpg"], "k1", FakeGraph.Epoch);

        var attempt = await publisher.PublishAsync(account, request, CancellationToken.None);
        var textOnly = await publisher.PublishAsync(account, request with { MediaUrls = [] }, CancellationToken.None);

        Assert.Equal(Firebreak.Core.Publishing.Platforms.PublishStatus.Published, attempt.Status);
        var create = stub.To($"/{GraphOptions.Version}/{FakeGraph.IgUserId}/media").Single(r => r.Method == "POST");
        var publish = stub.To($"/{GraphOptions.Version}/{FakeGraph.IgUserId}/media_publish").Single();
        Assert.Contains("image_url=https%3A%2F%2Fcdn.example%2Fstatement.jpg", create.Body);
        Assert.Contains("creation_id=" + graph.Containers.Keys.Single(), publish.Body);
        Assert.True(create.At <= publish.At);
        Assert.Equal(graph.Published.Single(), attempt.RemoteId);
        Assert.Equal(Firebreak.Core.Publishing.Platforms.PublishStatus.Permanent, textOnly.Status);
        Assert.Contains("image", textOnly.Error);
    }

    [Fact]
    public async Task Instagram_Publish_WaitsUntilTheContainerIsFinished()
    {
        var account = new Firebreak.Core.Publishing.PlatformAccount(rig.WorkspaceId, "instagram:" + FakeGraph.IgUserId, Platform.Instagram, stub.BaseUri, FakeGraph.IgUserId, graph.Token, null);
        graph.ContainerStatuses.Enqueue("IN_PROGRESS");
        graph.ContainerStatuses.Enqueue("IN_PROGRESS");

        var attempt = await new InstagramPublisher(client).PublishAsync(account, new("Update 2 on the outage", ["https://cdn.example/update2.jpg"], "k2", FakeGraph.Epoch), CancellationToken.None);

        Assert.Equal(Firebreak.Core.Publishing.Platforms.PublishStatus.Published, attempt.Status);
        var container = graph.Containers.Keys.Single();
        var reads = stub.To($"/{GraphOptions.Version}/{container}").ToList();
        Assert.Equal(3, reads.Count);
        Assert.All(reads, r => Assert.Equal("status_code,status", r.QueryValue("fields")));
        Assert.True(reads[^1].At <= stub.To($"/{GraphOptions.Version}/{FakeGraph.IgUserId}/media_publish").Single().At);
    }

    [Fact]
    public async Task Instagram_Publish_TransientInstagramErrorIsRetried_ThePermanentOneIsNot()
    {
        var account = new Firebreak.Core.Publishing.PlatformAccount(rig.WorkspaceId, "instagram:" + FakeGraph.IgUserId, Platform.Instagram, stub.BaseUri, FakeGraph.IgUserId, graph.Token, null);
        // Instagram Platform "Error Codes": -2/2207003 "It takes too long to download the media" (try again), 36000/2207004 image too large.
        graph.Scripted.Enqueue((400, [], """{"error":{"message":"It takes too long to download the media.","type":"OAuthException","code":-2,"error_subcode":2207003,"is_transient":true,"error_user_title":"Media download timed out","error_user_msg":"It takes too long to download the media.","fbtrace_id":"A6LJylpZRKw2xKLFsAP-cJh"}}"""));

        var attempt = await new InstagramPublisher(client).PublishAsync(account, new("Update 4", ["https://cdn.example/update4.jpg"], "k4", FakeGraph.Epoch), CancellationToken.None);

        Assert.Equal(Firebreak.Core.Publishing.Platforms.PublishStatus.Published, attempt.Status);
        Assert.Equal(2, stub.To($"/{GraphOptions.Version}/{FakeGraph.IgUserId}/media").Count(r => r.Method == "POST"));

        graph.Scripted.Enqueue((400, [], """{"error":{"message":"The image size is too large.","type":"OAuthException","code":36000,"error_subcode":2207004,"is_transient":false,"error_user_title":"Image size too large","error_user_msg":"The image is too large to download. It should be less than 8 MiB.","fbtrace_id":"A6LJylpZRKw2xKLFsAP-cJh"}}"""));
        var tooLarge = await new InstagramPublisher(client).PublishAsync(account, new("Update 5", ["https://cdn.example/huge.jpg"], "k5", FakeGraph.Epoch), CancellationToken.None);

        Assert.Equal(Firebreak.Core.Publishing.Platforms.PublishStatus.Permanent, tooLarge.Status);
        Assert.Contains("2207004", tooLarge.Error);
        Assert.Equal(3, stub.To($"/{GraphOptions.Version}/{FakeGraph.IgUserId}/media").Count(r => r.Method == "POST"));
    }

    [Theory]
    [InlineData("ERROR", Firebreak.Core.Publishing.Platforms.PublishStatus.Permanent)]
    [InlineData("EXPIRED", Firebreak.Core.Publishing.Platforms.PublishStatus.Permanent)]
    [InlineData("IN_PROGRESS", Firebreak.Core.Publishing.Platforms.PublishStatus.Transient)]
    public async Task Instagram_Publish_ContainerNeverFinished_IsNotPublished(string status, Firebreak.Core.Publishing.Platforms.PublishStatus expected)
    {
        var account = new Firebreak.Core.Publishing.PlatformAccount(rig.WorkspaceId, "instagram:" + FakeGraph.IgUserId, Platform.Instagram, stub.BaseUri, FakeGraph.IgUserId, graph.Token, null);
        for (var i = 0; i < 4; i++)
        {
            graph.ContainerStatuses.Enqueue(status);
        }

        var attempt = await new InstagramPublisher(client).PublishAsync(account, new("Update 3", ["https://cdn.example/update3.jpg"], "k3", FakeGraph.Epoch), CancellationToken.None);

        Assert.Equal(expected, attempt.Status);
        Assert.Contains(status, attempt.Error);
        Assert.Empty(stub.To($"/{GraphOptions.Version}/{FakeGraph.IgUserId}/media_publish"));
        Assert.Empty(graph.Published);
    }

    [Fact]
    public async Task Facebook_Publish_ThenReconcileFindsThePostByItsText()
    {
        var account = (await rig.Connections.ListAsync(rig.WorkspaceId, CancellationToken.None)).Single();
        var publisher = new FacebookPublisher(client);
        var request = new Firebreak.Core.Publishing.Platforms.PublishRequest("We hear you. Refunds go out today.", [], "k2", FakeGraph.Epoch);
        var sentAt = DateTimeOffset.UtcNow;

        var attempt = await publisher.PublishAsync(account, request, CancellationToken.None);
        var found = await publisher.FindAsync(account, request, sentAt, CancellationToken.None);
        var other = await publisher.FindAsync(account, request with { Text = "never posted" }, sentAt, CancellationToken.None);

        Assert.Equal(Firebreak.Core.Publishing.Platforms.PublishStatus.Published, attempt.Status);
        Assert.Equal(attempt.RemoteId, found?.RemoteId);
        Assert.Null(other);
    }

    [Fact]
    public async Task PastedToken_OnlyAValidPageTokenIsAcceptedAsAFacebookConnection()
    {
        var tokens = new MetaTokens(client);

        var page = await tokens.WhyNotAPageTokenAsync("138483919580948", "app-secret", "EAApageTokenFor104967392211045", CancellationToken.None);
        var user = await tokens.WhyNotAPageTokenAsync("138483919580948", "app-secret", graph.Token, CancellationToken.None);
        var dead = await tokens.WhyNotAPageTokenAsync("138483919580948", "app-secret", "EAAold", CancellationToken.None);

        Assert.Null(page);
        Assert.Contains("USER token, not a Page token", user);
        Assert.Contains("not valid", dead);
        Assert.Contains("not authorized", dead);
    }

    [Fact]
    public async Task Tokens_DebugRefreshAndPageExchange()
    {
        var tokens = new MetaTokens(client);

        var info = await tokens.DebugAsync("138483919580948", "app-secret", graph.Token, CancellationToken.None);
        var refreshed = await tokens.RefreshAsync("138483919580948", "app-secret", graph.Token, FakeGraph.Epoch, CancellationToken.None);
        var pageToken = await tokens.PageTokenAsync(FakeGraph.PageId, graph.Token, CancellationToken.None);
        var revoked = await tokens.DebugAsync("138483919580948", "app-secret", "EAAold", CancellationToken.None);

        Assert.True(info.IsValid);
        Assert.Equal("USER", info.Type);
        Assert.Equal(FakeGraph.Epoch.AddDays(5), info.ExpiresAt);
        Assert.Contains("pages_read_engagement", info.Scopes);
        Assert.Equal("EAAGm0PX4ZCpsBAFreshToken", refreshed.Token);
        Assert.Equal(FakeGraph.Epoch.AddSeconds(5183944), refreshed.ExpiresAt);
        Assert.Equal("EAAGm0PX4ZCpsBAPageTokenFromUser", pageToken);
        Assert.False(revoked.IsValid);
        Assert.Contains("not authorized", revoked.Error);
    }

    // ---- webhooks (the receiver over the real store and pipeline; the HTTP endpoint is tested in Web.Tests) ----

    private const string AppSecret = "5f1e7c0d9a8b4c3d2e1f0a9b8c7d6e5f";

    private async Task<MetaWebhook> WebhookAsync()
    {
        await rig.Connections.ConnectAsync(rig.WorkspaceId, Platform.Other, MetaWebhook.AppHandle, stub.BaseUri, AppSecret, "verify-me-7731", null, CancellationToken.None);
        return new MetaWebhook(rig.Connectors, rig.Protector, rig.Store.Pipeline, rig.Store.Workspaces, activity, rig.Store.Clock, new InstagramMentions(client));
    }

    public static string Sign(string secret, byte[] body) => "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public static byte[] PageFeedDelivery(string pageId, string commentId, string message) => Encoding.UTF8.GetBytes($$$"""
        {"object":"page","entry":[{"id":"{{{pageId}}}","time":{{{FakeGraph.Epoch.AddMinutes(30).ToUnixTimeSeconds()}}},"changes":[{"field":"feed","value":{"from":{"id":"6098","name":"Ana Ruiz"},"post":{"status_type":"mobile_status_update","is_published":true,"updated_time":"2025-03-03T09:00:00+0000","permalink_url":"https://www.facebook.com/{{{pageId}}}/posts/900001","promotion_status":"inactive","id":"{{{pageId}}}_900001"},"message":"{{{message}}}","post_id":"{{{pageId}}}_900001","comment_id":"{{{commentId}}}","created_time":{{{FakeGraph.Epoch.AddMinutes(30).ToUnixTimeSeconds()}}},"item":"comment","parent_id":"{{{pageId}}}_900001","verb":"add"}}]}]}
        """);

    [Fact]
    public async Task Webhook_SignedDeliveryIngestedOnceEvenWhenRetried()
    {
        var webhook = await WebhookAsync();
        var body = PageFeedDelivery(FakeGraph.PageId, "900001_4242", "my order never came");

        var first = await webhook.ReceiveAsync(body, Sign(AppSecret, body), CancellationToken.None);
        var retry = await webhook.ReceiveAsync(body, Sign(AppSecret, body), CancellationToken.None);

        Assert.Equal(WebhookVerdict.Accepted, first.Verdict);
        Assert.Equal(1, first.Inserted);
        Assert.Equal(WebhookVerdict.Accepted, retry.Verdict);
        Assert.Equal(0, retry.Inserted);
        Assert.Equal(["900001_4242"], await rig.StoredIdsAsync());
        var row = (await rig.Store.RowsAsync("SELECT text, kind, parent_external_id, source_id FROM mentions WHERE workspace_id = $w", ("$w", rig.WorkspaceId))).Single();
        Assert.Equal("my order never came", row[0]);
        Assert.Equal("comment", row[1]);
        Assert.Equal(FakeGraph.PageId + "_900001", row[2]);
        Assert.Equal(page.Id, row[3]);
        Assert.NotNull(activity.Last(rig.WorkspaceId, Platform.Facebook));
    }

    [Fact]
    public async Task Webhook_MissingOrWrongSignature_IsRefusedAndNothingStored()
    {
        var webhook = await WebhookAsync();
        var body = PageFeedDelivery(FakeGraph.PageId, "900001_1", "forged");
        var tampered = PageFeedDelivery(FakeGraph.PageId, "900001_1", "forgeD");

        Assert.Equal(WebhookVerdict.MissingSignature, (await webhook.ReceiveAsync(body, null, CancellationToken.None)).Verdict);
        Assert.Equal(WebhookVerdict.BadSignature, (await webhook.ReceiveAsync(body, Sign("another-secret", body), CancellationToken.None)).Verdict);
        Assert.Equal(WebhookVerdict.BadSignature, (await webhook.ReceiveAsync(tampered, Sign(AppSecret, body), CancellationToken.None)).Verdict);
        Assert.Equal(WebhookVerdict.BadSignature, (await webhook.ReceiveAsync(body, "sha256=zz", CancellationToken.None)).Verdict);
        Assert.Empty(await rig.StoredIdsAsync());
    }

    [Fact]
    public async Task Webhook_EntryForAPageNoWorkspaceConnected_IsNotIngested()
    {
        var webhook = await WebhookAsync();
        var body = PageFeedDelivery("999999999", "1_1", "someone else's page");

        var result = await webhook.ReceiveAsync(body, Sign(AppSecret, body), CancellationToken.None);

        Assert.Equal(WebhookVerdict.Accepted, result.Verdict);
        Assert.Equal(0, result.Received);
        Assert.Empty(await rig.StoredIdsAsync());
    }

    [Fact]
    public async Task Webhook_InstagramComment_AndHandshake()
    {
        var webhook = await WebhookAsync();
        await rig.Connections.ConnectAsync(rig.WorkspaceId, Platform.Instagram, FakeGraph.IgUserId, stub.BaseUri, graph.Token, null, null, CancellationToken.None);
        var body = Encoding.UTF8.GetBytes($$$"""{"object":"instagram","entry":[{"id":"{{{FakeGraph.IgUserId}}}","time":1741000000,"changes":[{"field":"comments","value":{"from":{"id":"232323","username":"test_user"},"media":{"id":"123123","media_product_type":"FEED"},"id":"17865799348089039","text":"This is an example. 🔥"}}]}]}""");

        var result = await webhook.ReceiveAsync(body, Sign(AppSecret, body), CancellationToken.None);

        Assert.Equal(1, result.Inserted);
        Assert.Equal(["17865799348089039"], await rig.StoredIdsAsync());
        Assert.Equal("ch4ll", await webhook.HandshakeAsync("subscribe", "verify-me-7731", "ch4ll", CancellationToken.None));
        Assert.Null(await webhook.HandshakeAsync("subscribe", "wrong", "ch4ll", CancellationToken.None));
        Assert.Null(await webhook.HandshakeAsync("unsubscribe", "verify-me-7731", "ch4ll", CancellationToken.None));
    }

    public static byte[] InstagramMentionsDelivery(params (string MediaId, string? CommentId)[] mentions) => Encoding.UTF8.GetBytes(
        $$"""{"object":"instagram","entry":[{"id":"{{FakeGraph.IgUserId}}","time":{{FakeGraph.Epoch.AddMinutes(40).ToUnixTimeSeconds()}},"changes":[{{string.Join(",", mentions.Select(m =>
            m.CommentId is null ? $$$"""{"field":"mentions","value":{"media_id":"{{{m.MediaId}}}"}}""" : $$$"""{"field":"mentions","value":{"media_id":"{{{m.MediaId}}}","comment_id":"{{{m.CommentId}}}"}}"""))}}]}]}""");

    [Fact]
    public async Task Webhook_InstagramMentions_AreFetchedWithTheAccountsTokenAndStoredOnce()
    {
        var webhook = await WebhookAsync();
        await rig.Connections.ConnectAsync(rig.WorkspaceId, Platform.Instagram, FakeGraph.IgUserId, stub.BaseUri, graph.Token, null, null, CancellationToken.None);
        graph.MentionedComments["17895695668004550"] = (FakeGraph.Epoch.AddMinutes(39), "@acme.support قيد الانتظار منذ أسبوع 😤", "17918195224117851");
        graph.MentionedMedia["17887498072083520"] = (FakeGraph.Epoch.AddMinutes(38), "unboxing the new blender, thanks @acme.support ✨", "kitchen_marta");
        var body = InstagramMentionsDelivery(("17918195224117851", "17895695668004550"), ("17887498072083520", null));

        var first = await webhook.ReceiveAsync(body, Sign(AppSecret, body), CancellationToken.None);
        var again = await webhook.ReceiveAsync(body, Sign(AppSecret, body), CancellationToken.None);

        Assert.Equal(WebhookVerdict.Accepted, first.Verdict);
        Assert.Equal(2, first.Inserted);
        Assert.Equal(0, again.Inserted);
        var rows = await rig.Store.RowsAsync("SELECT external_id, kind, text, author_handle, coalesce(parent_external_id, '-') FROM mentions WHERE workspace_id = $w ORDER BY external_id", ("$w", rig.WorkspaceId));
        Assert.Equal(["17887498072083520", "post", "unboxing the new blender, thanks @acme.support ✨", "kitchen_marta", "-"], rows[0]);
        Assert.Equal(["17895695668004550", "comment", "@acme.support قيد الانتظار منذ أسبوع 😤", "unknown", "17918195224117851"], rows[1]);
        var lookups = stub.Requests.Where(r => r.Path == $"/{GraphOptions.Version}/{FakeGraph.IgUserId}").Select(r => r.QueryValue("fields")).ToList();
        Assert.Contains($"mentioned_comment.comment_id(17895695668004550){{{InstagramMentions.CommentFields}}}", lookups);
        Assert.Contains($"mentioned_media.media_id(17887498072083520){{{InstagramMentions.MediaFields}}}", lookups);
        Assert.All(stub.Requests.Where(r => r.Path == $"/{GraphOptions.Version}/{FakeGraph.IgUserId}"), r => Assert.Equal(graph.Token, r.QueryValue("access_token")));
    }

    [Fact]
    public async Task Webhook_InstagramMentionGraphCannotReturn_AsksMetaToRedeliverAndKeepsTheRest()
    {
        var webhook = await WebhookAsync();
        await rig.Connections.ConnectAsync(rig.WorkspaceId, Platform.Instagram, FakeGraph.IgUserId, stub.BaseUri, graph.Token, null, null, CancellationToken.None);
        graph.MentionedMedia["17887498072083520"] = (FakeGraph.Epoch.AddMinutes(38), "thanks @acme.support", "kitchen_marta");
        var body = InstagramMentionsDelivery(("17887498072083520", null), ("17918195224117851", "17895695668009999"));

        var result = await webhook.ReceiveAsync(body, Sign(AppSecret, body), CancellationToken.None);

        Assert.Equal(WebhookVerdict.RetryLater, result.Verdict);
        Assert.Equal(1, result.Inserted);
        Assert.Contains("17895695668009999", result.Detail);
        Assert.Equal(["17887498072083520"], await rig.StoredIdsAsync());
    }

    [Fact]
    public async Task Webhook_MalformedPayloadWithAValidSignature_IsAClearError()
    {
        var webhook = await WebhookAsync();
        var body = Encoding.UTF8.GetBytes("""{"object":"page","entry":[{"id":"1","chan""");

        var result = await webhook.ReceiveAsync(body, Sign(AppSecret, body), CancellationToken.None);

        Assert.Equal(WebhookVerdict.Malformed, result.Verdict);
        Assert.Empty(await rig.StoredIdsAsync());
    }

    private ConnectorRunner Runner() => new(
        [new FacebookConnector(client, activity, rig.Store.Clock), new InstagramConnector(client, activity, rig.Store.Clock)],
        rig.Connectors, rig.Connections, rig.Store.Pipeline, rig.RunnerOptions, TimeProvider.System);

    private Task<ListenReport> PassAsync(Source source)
    {
        var runner = Runner();
        return runner.PassAsync(source, runner.ConnectorFor(source.Platform)!, rig.Health(source), CancellationToken.None);
    }

    private List<StubRequest> Requests(string edge) => stub.Requests.Where(r => r.Path.EndsWith("/" + edge, StringComparison.Ordinal)).ToList();

    private Task<string?> Checkpoint(Source source) => rig.Connectors.GetCheckpointAsync(rig.WorkspaceId, source.Id, CancellationToken.None);
}
