namespace Firebreak.Storage.Tests.Connectors;

using Firebreak.Core.Connectors;
using Firebreak.Core.Connectors.Reddit;
using Firebreak.Core.Mentions;
using Firebreak.Core.Workspaces;

public sealed class RedditConnectorTests : IAsyncLifetime
{
    private readonly FakeReddit reddit = new();
    private readonly RedditOptions options = new() { PageSize = 10 };
    private ConnectorRig rig = null!;
    private StubServer stub = null!;
    private Source source = null!;
    private RedditConnector connector = null!;

    public async Task InitializeAsync()
    {
        rig = await ConnectorRig.OpenAsync();
        stub = await StubServer.StartAsync(reddit.HandleAsync);
        connector = new RedditConnector(rig.Http, options, TimeProvider.System);
        await rig.Connections.ConnectAsync(rig.WorkspaceId, Platform.Reddit, "brand_care", stub.BaseUri, reddit.Token, null, null, CancellationToken.None);
        source = await rig.SourceAsync(Platform.Reddit, SourceKind.Query, "r/brandsupport");
    }

    public async Task DisposeAsync()
    {
        await stub.DisposeAsync();
        await rig.DisposeAsync();
    }

    private IEnumerable<StubRequest> Listings => stub.To("/r/brandsupport/comments");

    private string CheckpointOf(int n) => $"{FakeReddit.Epoch.AddMinutes(n).ToUnixTimeSeconds()}:{FakeReddit.Name(n)}";

    [Fact]
    public async Task Pass_FromCheckpoint_WalksBackWithAfterUntilTheCheckpoint_StoresEachOnce()
    {
        reddit.Add([.. Enumerable.Range(1, 35)]);
        await rig.Connectors.SaveCheckpointAsync(rig.WorkspaceId, source.Id, CheckpointOf(12), DateTimeOffset.UnixEpoch, CancellationToken.None);

        var report = await rig.PassWithAsync(connector, source);

        Assert.Null(report.Failure);
        Assert.Equal(Enumerable.Range(13, 23).Select(FakeReddit.Name).Order(StringComparer.Ordinal), await rig.StoredIdsAsync());
        Assert.Equal(CheckpointOf(35), await rig.CheckpointAsync(source));
        Assert.Equal([null, FakeReddit.Name(26), FakeReddit.Name(16)], Listings.Select(r => r.QueryValue("after")));
        var first = Listings.First();
        Assert.Equal("server:firebreak:1.0 (by /u/brand_care)", first.Headers["User-Agent"]);
        Assert.Equal("1", first.QueryValue("raw_json"));
    }

    [Fact]
    public async Task Pass_AfterRestart_ResumesFromTheCheckpoint_AndMapsTheComment()
    {
        reddit.Add(1, 2);
        await rig.PassWithAsync(connector, source);
        reddit.Add(3, 4);

        var second = await rig.PassWithAsync(new RedditConnector(rig.Http, options, TimeProvider.System), source);

        Assert.Equal(2, second.Inserted);
        Assert.Equal(4, (await rig.StoredIdsAsync()).Count);
        var row = (await rig.Store.RowsAsync("SELECT text, author_handle, url, kind, parent_external_id, likes FROM mentions WHERE workspace_id = $w AND external_id = $id", ("$w", rig.WorkspaceId), ("$id", FakeReddit.Name(3)))).Single();
        Assert.Equal("Their app ate my refund again #3", row[0]);
        Assert.Equal("redditor3", row[1]);
        Assert.Equal("https://www.reddit.com/r/brandsupport/comments/post1/refunds/k00003/", row[2]);
        Assert.Equal("comment", row[3]);
        Assert.Equal(FakeReddit.Name(2), row[4]);
        Assert.Equal(9L, row[5]);
    }

    [Fact]
    public async Task Search_DeletedAndRemovedItems_AreSkippedOrKeptWithTheTitle()
    {
        var search = await rig.SourceAsync(Platform.Reddit, SourceKind.Query, "brand refund");
        reddit.Scripted.Enqueue((200, [], FakeReddit.Listing(
        [
            FakeReddit.Link(9, "Brand refund 😡", "[removed]"),
            FakeReddit.Comment(8, body: "[deleted]", author: "[deleted]"),
            FakeReddit.Comment(7, body: "still waiting", author: "[deleted]"),
            FakeReddit.Link(6, "Brand refund guide", "Step 1: مرحبا"),
        ], null)));

        var report = await rig.PassWithAsync(connector, search);

        Assert.Empty(report.Errors);
        Assert.Equal(["t1_k00007", "t3_p6", "t3_p9"], await rig.StoredIdsAsync());
        var call = Assert.Single(stub.To("/search"));
        Assert.Equal("brand refund", call.QueryValue("q"));
        Assert.Equal("new", call.QueryValue("sort"));
        Assert.Equal("link", call.QueryValue("type"));
        var texts = await rig.Store.RowsAsync("SELECT external_id, text, author_handle FROM mentions WHERE workspace_id = $w ORDER BY external_id", ("$w", rig.WorkspaceId));
        Assert.Equal(("still waiting", "[deleted]"), ((string)texts[0][1], (string)texts[0][2]));
        Assert.Equal("Brand refund guide\nStep 1: مرحبا", texts[1][1]);
        Assert.Equal("Brand refund 😡", texts[2][1]);
    }

    [Fact]
    public async Task Pass_429WithRetryAfter_401Revoked_403ForbiddenOnly_5xxRetried()
    {
        reddit.Add(1);
        reddit.Scripted.Enqueue((429, [("Retry-After", "1"), ("X-Ratelimit-Remaining", "0.0"), ("X-Ratelimit-Reset", "1")], """{"message": "Too Many Requests", "error": 429}"""));
        reddit.Scripted.Enqueue((502, [], "<html><body><h1>502 Bad Gateway</h1></body></html>"));
        var ok = await rig.PassWithAsync(connector, source);
        Assert.Null(ok.Failure);
        var calls = Listings.ToList();
        Assert.Equal(3, calls.Count);
        Assert.True(calls[1].At - calls[0].At >= TimeSpan.FromMilliseconds(950), $"retried after {(calls[1].At - calls[0].At).TotalMilliseconds} ms, before Retry-After");

        reddit.Scripted.Enqueue((403, [], """{"reason": "private", "message": "Forbidden", "error": 403}"""));
        var forbidden = await rig.PassWithAsync(connector, source);
        Assert.Equal(FailureKind.Forbidden, forbidden.Failure?.Kind);
        Assert.Contains("private", forbidden.Failure!.Message);
        Assert.Equal(ConnectionState.Active, await rig.ConnectionStateAsync());

        reddit.Token = "expired";
        var revoked = await rig.PassWithAsync(connector, source);
        Assert.Equal(FailureKind.Revoked, revoked.Failure?.Kind);
        Assert.Equal(ConnectionState.Revoked, await rig.ConnectionStateAsync());
    }

    [Fact]
    public async Task Pass_TruncatedAndMalformedItems_KeepTheValidOnes_DuplicatesAndDisorderAbsorbed()
    {
        await rig.Connectors.SaveCheckpointAsync(rig.WorkspaceId, source.Id, CheckpointOf(1), DateTimeOffset.UnixEpoch, CancellationToken.None);
        // Out of order (3 before 4), 4 twice, a child of an unknown kind.
        reddit.Scripted.Enqueue((200, [], FakeReddit.Listing([FakeReddit.Comment(3), FakeReddit.Comment(4), FakeReddit.Comment(4), """{"kind":"more","data":{"count":3,"children":["k1"]}}"""], null)));
        var messy = await rig.PassWithAsync(connector, source);
        Assert.Equal(2, messy.Inserted);
        Assert.Equal("page 1, item 4", Assert.Single(messy.Errors).Position);
        Assert.Equal(CheckpointOf(4), await rig.CheckpointAsync(source));

        var whole = FakeReddit.Listing([FakeReddit.Comment(7), FakeReddit.Comment(6), FakeReddit.Comment(5)], "t1_k00005");
        for (var i = 0; i < OldestFirst.BrokenPageTries; i++)
        {
            reddit.Scripted.Enqueue((200, [], whole[..(whole.LastIndexOf(FakeReddit.Name(5), StringComparison.Ordinal) - 20)]));
        }

        var truncated = await rig.PassWithAsync(connector, source);

        Assert.Equal(2, truncated.Inserted);
        Assert.StartsWith("page 1, item 3, byte ", Assert.Single(truncated.Errors).Position);
        Assert.Equal(new[] { 3, 4, 6, 7 }.Select(FakeReddit.Name), await rig.StoredIdsAsync());
        // The listing stayed cut (5 and the pages after it unknown): the checkpoint stays where it was.
        Assert.Equal(CheckpointOf(4), await rig.CheckpointAsync(source));
    }

    [Fact]
    public async Task Pass_ThreePageCatchUp_Page2CutOnce_IsReadAgain_EveryCommentOnce_AndARestartResumesWithoutRepeats()
    {
        reddit.Add([.. Enumerable.Range(1, 30)]);
        await rig.Connectors.SaveCheckpointAsync(rig.WorkspaceId, source.Id, CheckpointOf(0), DateTimeOffset.UnixEpoch, CancellationToken.None);
        reddit.Cut[FakeReddit.Name(21)] = 1;

        var first = await rig.PassWithAsync(connector, source);

        Assert.Null(first.Failure);
        Assert.Empty(first.Errors);
        Assert.Equal([null, FakeReddit.Name(21), FakeReddit.Name(21), FakeReddit.Name(11)], Listings.Select(r => r.QueryValue("after")));
        Assert.Equal(30, first.Received);
        Assert.Equal(Enumerable.Range(1, 30).Select(FakeReddit.Name), await rig.StoredIdsAsync());
        Assert.Equal(CheckpointOf(30), await rig.CheckpointAsync(source));

        reddit.Add(31);
        var second = await rig.PassWithAsync(new RedditConnector(rig.Http, options, TimeProvider.System), source);

        Assert.Equal(1, second.Received);
        Assert.Equal(Enumerable.Range(1, 31).Select(FakeReddit.Name), await rig.StoredIdsAsync());
        Assert.Equal(CheckpointOf(31), await rig.CheckpointAsync(source));
    }

    [Fact]
    public async Task Pass_MiddlePageStaysCut_CheckpointHeld_TheNextPassFillsTheGapExactly()
    {
        reddit.Add([.. Enumerable.Range(1, 30)]);
        await rig.Connectors.SaveCheckpointAsync(rig.WorkspaceId, source.Id, CheckpointOf(0), DateTimeOffset.UnixEpoch, CancellationToken.None);
        reddit.Cut[FakeReddit.Name(21)] = OldestFirst.BrokenPageTries;

        var broken = await rig.PassWithAsync(connector, source);

        Assert.StartsWith("page 2, item ", Assert.Single(broken.Errors).Position);
        Assert.Equal(CheckpointOf(0), await rig.CheckpointAsync(source));
        var kept = await rig.StoredIdsAsync();
        Assert.DoesNotContain(FakeReddit.Name(10), kept);

        var healed = await rig.PassWithAsync(new RedditConnector(rig.Http, options, TimeProvider.System), source);

        Assert.Null(healed.Failure);
        Assert.Equal(30 - kept.Count, healed.Inserted);
        Assert.Equal(Enumerable.Range(1, 30).Select(FakeReddit.Name), await rig.StoredIdsAsync());
        Assert.Equal(CheckpointOf(30), await rig.CheckpointAsync(source));
    }

    [Fact]
    public async Task Reply_PostsTheFormOnce_AndRateLimitRefusalIsTransient()
    {
        var account = (await rig.Connections.ListAsync(rig.WorkspaceId, CancellationToken.None)).Single();
        var sender = new RedditReplySender(rig.Http);

        var result = await sender.SendAsync(account, new ReplyRequest(rig.WorkspaceId, 3, FakeReddit.Name(4), "redditor4", "Sorry, DM us", DateTimeOffset.UtcNow), CancellationToken.None);

        var post = Assert.Single(stub.To("/api/comment"));
        Assert.Equal($"api_type=json&thing_id={FakeReddit.Name(4)}&text=Sorry%2C+DM+us", post.Body);
        Assert.Equal("t1_reply1", result.RemoteId);
        Assert.Equal("https://www.reddit.com/r/brandsupport/comments/post1/refunds/reply1/", result.RemoteUrl);

        // The read-back before the send finds nothing; then the comment itself is refused.
        reddit.Scripted.Enqueue((200, [], FakeReddit.Listing([], null)));
        reddit.Scripted.Enqueue((200, [], """{"json": {"errors": [["RATELIMIT", "Looks like you've been doing that a lot. Take a break for 5 minutes before trying again.", "ratelimit"]]}}"""));
        var refused = await Assert.ThrowsAsync<ConnectorException>(() => sender.SendAsync(account, new ReplyRequest(rig.WorkspaceId, 4, FakeReddit.Name(4), "redditor4", "again", DateTimeOffset.UtcNow), CancellationToken.None));
        Assert.Equal(FailureKind.Transient, refused.Kind);
        Assert.Contains("Take a break for 5 minutes", refused.Message);
    }

    [Fact]
    public async Task Reply_AnswerLostAfterRedditPostedIt_IsReadBack_NotPostedTwice_AndAnotherParentDoesNotCount()
    {
        var account = (await rig.Connections.ListAsync(rig.WorkspaceId, CancellationToken.None)).Single();
        var sender = new RedditReplySender(rig.Http);
        reddit.LoseNextCommentAnswerWith = 502;
        var reply = new ReplyRequest(rig.WorkspaceId, 5, FakeReddit.Name(4), "redditor4", "Sorry — DM us & we will fix it", DateTimeOffset.UtcNow);

        var result = await sender.SendAsync(account, reply, CancellationToken.None);
        var again = await sender.SendAsync(account, reply, CancellationToken.None);
        var elsewhere = await sender.SendAsync(account, reply with { ReplyId = 6, InReplyToExternalId = FakeReddit.Name(5) }, CancellationToken.None);

        Assert.Equal("t1_reply1", result.RemoteId);
        Assert.Equal("t1_reply1", again.RemoteId);
        Assert.Equal("t1_reply2", elsewhere.RemoteId);
        Assert.Equal(2, stub.To("/api/comment").Count());
        Assert.All(stub.To("/user/brand_care/comments"), r => Assert.Equal("1", r.QueryValue("raw_json")));
    }
}
