namespace Firebreak.Storage.Tests.Connectors;

using Firebreak.Core.Connectors;
using Firebreak.Core.Connectors.LinkedIn;
using Firebreak.Core.Connectors.TikTok;
using Firebreak.Core.Inbox;
using Firebreak.Core.Mentions;

/// <summary>
/// TikTok and LinkedIn take no idempotency key: a reply the platform accepted but Firebreak never recorded (the process
/// died, or the answer was lost) must be found by reading the comment's replies back, not posted a second time.
/// The real dispatcher and senders run against the loopback stubs, which keep every reply they accept.
/// </summary>
public sealed class ReplyReconciliationTests : IAsyncLifetime
{
    private const string Text = "Sorry — we are on it.";
    private const string Comment = "urn:li:comment:(urn:li:activity:7130000000000000001,5)";
    private readonly FakeTikTok tiktok = new();
    private readonly FakeLinkedIn linkedin = new();
    private ConnectorRig rig = null!;
    private StubServer tiktokStub = null!;
    private StubServer linkedinStub = null!;
    private TikTokOptions tiktokOptions = null!;
    private LinkedInOptions linkedinOptions = null!;

    public async Task InitializeAsync()
    {
        rig = await ConnectorRig.OpenAsync();
        tiktokStub = await StubServer.StartAsync(tiktok.HandleAsync);
        linkedinStub = await StubServer.StartAsync(linkedin.HandleAsync);
        tiktokOptions = new TikTokOptions { OpenApiBase = tiktokStub.BaseUri, BusinessApiBase = tiktokStub.BaseUri };
        linkedinOptions = new LinkedInOptions { ApiBase = linkedinStub.BaseUri };
        await rig.Connections.ConnectAsync(rig.WorkspaceId, Platform.TikTok, "biz-1", tiktokStub.BaseUri, tiktok.Token, null, null, CancellationToken.None);
        await rig.Connections.ConnectAsync(rig.WorkspaceId, Platform.LinkedIn, "2414183", linkedinStub.BaseUri, linkedin.Token, null, null, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await tiktokStub.DisposeAsync();
        await linkedinStub.DisposeAsync();
        await rig.DisposeAsync();
    }

    /// <summary>A new dispatcher each time, as after a restart: only the database and the platform carry over.</summary>
    private ReplyDispatcher Dispatcher() => new(
        [new TikTokReplySender(rig.Http, tiktokOptions), new LinkedInReplySender(rig.Http, linkedinOptions)],
        rig.Connectors,
        rig.Inbox(),
        rig.Store.Reader,
        rig.Connections,
        TimeProvider.System);

    private int OurTikTokReplies => tiktok.Comments["v1"].Count(c => c.Owner && c.Parent == "c1000" && c.CreateTime > FakeTikTok.T0 + 86_400 * 30);

    [Fact]
    public async Task TikTok_CrashAfterThePlatformAccepted_TheReRunFindsTheReply_ExactlyOneOnThePlatform()
    {
        tiktok.Add("v1", 1000);
        // Our identical reply from long before this one was written (a canned answer used last month) does not count.
        tiktok.Comments["v1"].Add(new FakeTikTok.Comment("old-reply", FakeTikTok.T0 + 1001, Text, "brand", "c1000", Owner: true));
        var (_, reply) = await rig.QueueReplyAsync(Platform.TikTok, "v1/c1000", "user1000", Text);
        using var crash = new CancellationTokenSource();
        tiktok.AfterAcceptingReply = async () =>
        {
            await crash.CancelAsync();
            await Task.Delay(200);
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Dispatcher().SendQueuedAsync(10, crash.Token));

        Assert.Equal(ReplyState.Queued, (await rig.Inbox().GetReplyAsync(rig.WorkspaceId, reply.Id, CancellationToken.None))!.State);
        Assert.Equal(1, OurTikTokReplies);

        tiktok.AfterAcceptingReply = null;
        Assert.Equal(1, await Dispatcher().SendQueuedAsync(10, CancellationToken.None));

        Assert.Equal(1, OurTikTokReplies);
        Assert.Single(tiktokStub.To("/business/comment/reply/create/"));
        Assert.Equal(ReplyState.Sent, (await rig.Inbox().GetReplyAsync(rig.WorkspaceId, reply.Id, CancellationToken.None))!.State);
        Assert.Equal("v1/reply-of-c1000", (await rig.Connectors.GetReplySentAsync(rig.WorkspaceId, reply.Id, CancellationToken.None))!.Value.RemoteId);
        // Each send was preceded by a read-back of the video's comments.
        Assert.Equal(2, tiktokStub.To("/business/comment/list/").Count());
    }

    [Fact]
    public async Task TikTok_AnswerLostAfterTheWrite_IsReadBackInsteadOfResent()
    {
        tiktok.Add("v1", 1000);
        var (_, reply) = await rig.QueueReplyAsync(Platform.TikTok, "v1/c1000", "user1000", Text);
        tiktok.LoseNextReplyAnswerWith = 502;

        Assert.Equal(1, await Dispatcher().SendQueuedAsync(10, CancellationToken.None));

        Assert.Equal(1, OurTikTokReplies);
        Assert.Single(tiktokStub.To("/business/comment/reply/create/"));
        Assert.Equal(ReplyState.Sent, (await rig.Inbox().GetReplyAsync(rig.WorkspaceId, reply.Id, CancellationToken.None))!.State);
    }

    [Fact]
    public async Task TikTok_ReadBackThatCannotBeRead_SendsNothingAndSaysWhy()
    {
        tiktok.Add("v1", 1000);
        var (_, reply) = await rig.QueueReplyAsync(Platform.TikTok, "v1/c1000", "user1000", Text);
        tiktok.Scripted.Enqueue("/business/comment/list/", 200, """{"code":0,"message":"OK","data":{"comments":[{"comment_id":"c9","create_ti""");

        Assert.Equal(1, await Dispatcher().SendQueuedAsync(10, CancellationToken.None));

        var failed = (await rig.Inbox().GetReplyAsync(rig.WorkspaceId, reply.Id, CancellationToken.None))!;
        Assert.Equal(ReplyState.Failed, failed.State);
        Assert.Contains("could not check whether an earlier try already posted this reply", failed.Error);
        Assert.Empty(tiktokStub.To("/business/comment/reply/create/"));
    }

    [Fact]
    public async Task LinkedIn_CrashAfterThePlatformAccepted_TheReRunFindsTheReply_ExactlyOneOnThePlatform()
    {
        var (_, reply) = await rig.QueueReplyAsync(Platform.LinkedIn, Comment, "urn:li:person:p5", Text);
        using var crash = new CancellationTokenSource();
        linkedin.AfterAcceptingReply = async () =>
        {
            await crash.CancelAsync();
            await Task.Delay(200);
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Dispatcher().SendQueuedAsync(10, crash.Token));
        Assert.Equal(ReplyState.Queued, (await rig.Inbox().GetReplyAsync(rig.WorkspaceId, reply.Id, CancellationToken.None))!.State);

        linkedin.AfterAcceptingReply = null;
        Assert.Equal(1, await Dispatcher().SendQueuedAsync(10, CancellationToken.None));

        var onPlatform = Assert.Single(linkedin.Replies[Comment]);
        Assert.Equal(FakeLinkedIn.Org, onPlatform.Actor);
        Assert.Single(linkedinStub.Requests, r => r.Method == "POST");
        Assert.Equal(ReplyState.Sent, (await rig.Inbox().GetReplyAsync(rig.WorkspaceId, reply.Id, CancellationToken.None))!.State);
        Assert.Equal(onPlatform.Urn, (await rig.Connectors.GetReplySentAsync(rig.WorkspaceId, reply.Id, CancellationToken.None))!.Value.RemoteId);
    }

    [Fact]
    public async Task LinkedIn_AnotherReplyOfOursWithOtherText_DoesNotCount_TheReplyIsSent()
    {
        linkedin.Replies[Comment] = [("urn:li:comment:(urn:li:activity:1,500)", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), FakeLinkedIn.Org, "Thanks for your patience", Comment)];
        var (_, reply) = await rig.QueueReplyAsync(Platform.LinkedIn, Comment, "urn:li:person:p5", Text);

        Assert.Equal(1, await Dispatcher().SendQueuedAsync(10, CancellationToken.None));

        Assert.Equal(2, linkedin.Replies[Comment].Count);
        Assert.Equal(ReplyState.Sent, (await rig.Inbox().GetReplyAsync(rig.WorkspaceId, reply.Id, CancellationToken.None))!.State);
    }

    [Theory]
    [InlineData("Sorry —  we are\non it. ", true)]
    [InlineData("Sorry — we are on it!", false)]
    [InlineData(null, false)]
    public void SameText_IgnoresWhitespaceRunsOnly(string? found, bool same) => Assert.Equal(same, ReconciledReply.SameText(Text, found));
}
