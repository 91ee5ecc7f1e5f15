namespace Firebreak.Storage.Tests.Connectors;

using System.Globalization;
using Firebreak.Core.Connectors;
using Firebreak.Core.Connectors.X;
using Firebreak.Core.Mentions;
using Firebreak.Core.Workspaces;
using Microsoft.AspNetCore.Http;

public sealed class XConnectorTests : IAsyncLifetime
{
    private readonly FakeX x = new();
    private readonly XOptions options = new() { PageSize = 10 };
    private ConnectorRig rig = null!;
    private StubServer stub = null!;
    private Source source = null!;
    private XConnector connector = null!;

    public async Task InitializeAsync()
    {
        rig = await ConnectorRig.OpenAsync();
        stub = await StubServer.StartAsync(x.HandleAsync);
        connector = new XConnector(rig.Http, options);
        await rig.Connections.ConnectAsync(rig.WorkspaceId, Platform.X, "brand", stub.BaseUri, x.Token, null, null, CancellationToken.None);
        source = await rig.SourceAsync(Platform.X, SourceKind.Account, "@brand");
    }

    public async Task DisposeAsync()
    {
        await stub.DisposeAsync();
        await rig.DisposeAsync();
    }

    private IEnumerable<StubRequest> Searches => stub.To("/2/tweets/search/recent");

    [Fact]
    public async Task Pass_FromCheckpoint_PagesWithNextTokenAndStoresEveryTweetOnce()
    {
        x.Add([.. Enumerable.Range(1, 35)]);
        await rig.Connectors.SaveCheckpointAsync(rig.WorkspaceId, source.Id, FakeX.Id(10), DateTimeOffset.UnixEpoch, CancellationToken.None);

        var report = await rig.PassWithAsync(connector, source);

        Assert.Null(report.Failure);
        Assert.Equal(Enumerable.Range(11, 25).Select(FakeX.Id), await rig.StoredIdsAsync());
        Assert.Equal(FakeX.Id(35), await rig.CheckpointAsync(source));
        var calls = Searches.ToList();
        Assert.Equal(3, calls.Count);
        Assert.All(calls, c => Assert.Equal(FakeX.Id(10), c.QueryValue("since_id")));
        Assert.Equal([null, "t10", "t20"], calls.Select(c => c.QueryValue("next_token")));
        Assert.Equal("@brand -from:brand", calls[0].QueryValue("query"));
        Assert.Equal("author_id", calls[0].QueryValue("expansions"));
        Assert.Contains("referenced_tweets", calls[0].QueryValue("tweet.fields"));
    }

    [Fact]
    public async Task Pass_MapsTweetAuthorReachLanguageReplyAndUrl()
    {
        x.Add(1, 4);
        x.Scripted.Enqueue((200, [], $$"""{"data":[{{FakeX.Tweet(4, "@brand still broken 🙃 &lt;3 مرحبا", repliedTo: 1)}}],"includes":{"users":[{{FakeX.User(4)}}]},"meta":{"newest_id":"{{FakeX.Id(4)}}","result_count":1} }"""));

        await rig.PassWithAsync(connector, source);

        var row = (await rig.Store.RowsAsync("SELECT text, author_handle, author_followers, language, url, kind, parent_external_id, likes FROM mentions WHERE workspace_id = $w", ("$w", rig.WorkspaceId))).Single();
        Assert.Equal("@brand still broken 🙃 <3 مرحبا", row[0]);
        Assert.Equal("cust4", row[1]);
        Assert.Equal(40L, row[2]);
        Assert.Equal("en", row[3]);
        Assert.Equal($"https://x.com/cust4/status/{FakeX.Id(4)}", row[4]);
        Assert.Equal("reply", row[5]);
        Assert.Equal(FakeX.Id(1), row[6]);
        Assert.Equal(8L, row[7]);
    }

    [Fact]
    public async Task Pass_AfterRestart_ResumesFromTheStoredCheckpoint_AndEmptyPageKeepsIt()
    {
        x.Add(1, 2, 3);
        await rig.PassWithAsync(connector, source);
        x.Add(4, 5);

        // A new connector object: only what the database kept carries over.
        var second = await rig.PassWithAsync(new XConnector(rig.Http, options), source);
        var third = await rig.PassWithAsync(connector, source);

        Assert.Null(Searches.First().QueryValue("since_id"));
        Assert.Equal(FakeX.Id(3), Searches.ElementAt(1).QueryValue("since_id"));
        Assert.Equal(2, second.Inserted);
        Assert.Equal(0, third.Received);
        Assert.Null(third.Failure);
        Assert.Empty(third.Errors);
        Assert.Equal(FakeX.Id(5), await rig.CheckpointAsync(source));
    }

    [Fact]
    public async Task Pass_429WithXRateLimitReset_WaitsUntilTheResetThenSucceeds()
    {
        x.Add(1);
        var reset = DateTimeOffset.UtcNow.AddSeconds(2).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        x.Scripted.Enqueue((429, [("x-rate-limit-remaining", "0"), ("x-rate-limit-reset", reset)], """{"title":"Too Many Requests","detail":"Too Many Requests","type":"about:blank","status":429}"""));

        var report = await rig.PassWithAsync(connector, source);

        Assert.Null(report.Failure);
        var calls = Searches.ToList();
        Assert.Equal(2, calls.Count);
        // The reset is an epoch second: the retry may only come once that second has been reached.
        Assert.True(DateTimeOffset.UtcNow >= DateTimeOffset.FromUnixTimeSeconds(long.Parse(reset, CultureInfo.InvariantCulture)), "retried before x-rate-limit-reset");
        Assert.Single(await rig.StoredIdsAsync());
    }

    [Fact]
    public async Task Pass_401IsRevoked_403IsForbiddenOnly_5xxThenOkIsRetried()
    {
        x.Scripted.Enqueue((403, [], """{"client_id":"2814","detail":"When authenticating requests to the Twitter API v2 endpoints, you must use keys and tokens from a Twitter developer App that is attached to a Project.","registration_url":"https://developer.twitter.com/en/docs/projects/overview","title":"Client Forbidden","required_enrollment":"Appropriate Level of API Access","reason":"client-not-enrolled","type":"https://api.twitter.com/2/problems/client-forbidden"}"""));
        var forbidden = await rig.PassWithAsync(connector, source);
        Assert.Equal(FailureKind.Forbidden, forbidden.Failure?.Kind);
        Assert.Contains("client-not-enrolled", forbidden.Failure!.Message);
        Assert.Equal(ConnectionState.Active, await rig.ConnectionStateAsync());

        x.Add(1);
        x.Scripted.Enqueue((503, [], """{"title":"Service Unavailable","type":"about:blank","status":503,"detail":"Service Unavailable"}"""));
        var retried = await rig.PassWithAsync(connector, source);
        Assert.Null(retried.Failure);
        Assert.Equal(1, retried.Inserted);

        x.Token = "rotated";
        var revoked = await rig.PassWithAsync(connector, source);
        Assert.Equal(FailureKind.Revoked, revoked.Failure?.Kind);
        Assert.Equal(ConnectionState.Revoked, await rig.ConnectionStateAsync());
        Assert.Single(rig.Alerts.Raised);
    }

    [Fact]
    public async Task Pass_TruncatedPage_KeepsCompleteTweets_PartialErrorsRecorded_DuplicatesAndDisorderAbsorbed()
    {
        await rig.Connectors.SaveCheckpointAsync(rig.WorkspaceId, source.Id, FakeX.Id(1), DateTimeOffset.UnixEpoch, CancellationToken.None);
        var whole = FakeX.Page([4, 3, 2], null);
        for (var i = 0; i < OldestFirst.BrokenPageTries; i++)
        {
            x.Scripted.Enqueue((200, [], whole[..(whole.IndexOf(FakeX.Id(2), StringComparison.Ordinal) + 30)]));
        }

        var truncated = await rig.PassWithAsync(connector, source);

        Assert.Equal(OldestFirst.BrokenPageTries, Searches.Count());
        Assert.Equal(2, truncated.Inserted);
        var error = Assert.Single(truncated.Errors);
        Assert.StartsWith("page 1, item 3, byte ", error.Position);
        // The page stayed cut: tweet 2 (and any page after it) is unknown, so the checkpoint does not move.
        Assert.Equal(FakeX.Id(1), await rig.CheckpointAsync(source));

        // Out of order and a duplicate inside one page, plus a v2 partial error beside the data.
        var page = $$"""{"data":[{{FakeX.Tweet(6)}},{{FakeX.Tweet(5)}},{{FakeX.Tweet(7)}},{{FakeX.Tweet(6)}}],"includes":{"users":[{{FakeX.User(5)}}]},"errors":[{"value":"99","detail":"Could not find user with id: [99].","title":"Not Found Error","resource_type":"user","type":"https://api.twitter.com/2/problems/resource-not-found"}],"meta":{"newest_id":"{{FakeX.Id(7)}}","result_count":4} }""";
        x.Scripted.Enqueue((200, [], page));
        var messy = await rig.PassWithAsync(connector, source);

        Assert.Equal(3, messy.Inserted);
        Assert.Contains(messy.Errors, e => e.Reason.StartsWith("Not Found Error: Could not find user", StringComparison.Ordinal));
        Assert.Equal(new[] { 3, 4, 5, 6, 7 }.Select(FakeX.Id), await rig.StoredIdsAsync());
        Assert.Equal(FakeX.Id(7), await rig.CheckpointAsync(source));
    }

    [Fact]
    public async Task Pass_ThreePageCatchUp_Page2CutOnce_IsReadAgain_EveryTweetOnce_AndARestartResumesWithoutRepeats()
    {
        x.Add([.. Enumerable.Range(1, 30)]);
        await rig.Connectors.SaveCheckpointAsync(rig.WorkspaceId, source.Id, FakeX.Id(0), DateTimeOffset.UnixEpoch, CancellationToken.None);
        x.Cut["t10"] = 1;

        var first = await rig.PassWithAsync(connector, source);

        Assert.Null(first.Failure);
        Assert.Empty(first.Errors);
        Assert.Equal([null, "t10", "t10", "t20"], Searches.Select(c => c.QueryValue("next_token")));
        Assert.Equal(30, first.Received);
        Assert.Equal(30, first.Inserted);
        Assert.Equal(Enumerable.Range(1, 30).Select(FakeX.Id), await rig.StoredIdsAsync());
        Assert.Equal(FakeX.Id(30), await rig.CheckpointAsync(source));

        // A restart: a new connector object from the stored checkpoint delivers only what is new.
        x.Add(31, 32);
        var second = await rig.PassWithAsync(new XConnector(rig.Http, options), source);

        Assert.Equal(FakeX.Id(30), Searches.Last().QueryValue("since_id"));
        Assert.Equal(2, second.Received);
        Assert.Equal(Enumerable.Range(1, 32).Select(FakeX.Id), await rig.StoredIdsAsync());
        Assert.Equal(FakeX.Id(32), await rig.CheckpointAsync(source));
    }

    [Fact]
    public async Task Pass_MiddlePageStaysCut_CheckpointHeld_NoStream_TheNextPassFillsTheGapExactly()
    {
        options.UseFilteredStream = true;
        x.Add([.. Enumerable.Range(1, 30)]);
        await rig.Connectors.SaveCheckpointAsync(rig.WorkspaceId, source.Id, FakeX.Id(0), DateTimeOffset.UnixEpoch, CancellationToken.None);
        x.Cut["t10"] = OldestFirst.BrokenPageTries;

        var broken = await rig.PassWithAsync(connector, source);

        // Page 3 (tweets 1–10) was never reached: storing 30 as the checkpoint would lose them for good.
        Assert.StartsWith("page 2, item ", Assert.Single(broken.Errors).Position);
        Assert.Equal(FakeX.Id(0), await rig.CheckpointAsync(source));
        var kept = await rig.StoredIdsAsync();
        Assert.Contains(FakeX.Id(30), kept);
        Assert.DoesNotContain(FakeX.Id(10), kept);
        // The stream would move the checkpoint past the gap with its first event, so it is not opened.
        Assert.Empty(stub.To("/2/tweets/search/stream"));

        options.UseFilteredStream = false;
        var healed = await rig.PassWithAsync(new XConnector(rig.Http, options), source);

        Assert.Null(healed.Failure);
        Assert.Equal(30 - kept.Count, healed.Inserted);
        Assert.Equal(Enumerable.Range(1, 30).Select(FakeX.Id), await rig.StoredIdsAsync());
        Assert.Equal(FakeX.Id(30), await rig.CheckpointAsync(source));
    }

    [Fact]
    public async Task Stream_DroppedAndResumed_FillsTheGapWithRecentSearch_NoGapsNoDuplicates()
    {
        options.UseFilteredStream = true;
        x.Add(1, 2);
        var tag = XConnector.RuleTag(source);
        var streams = 0;
        stub.Handler = async context =>
        {
            if (context.Request.Path != "/2/tweets/search/stream")
            {
                await x.HandleAsync(context);
                return;
            }

            streams++;
            context.Response.ContentType = "application/json";
            if (streams == 1)
            {
                // Live: 3, a keep-alive, 4 twice, another source's tweet, then the connection drops; 5 and 6 are posted while down.
                x.Add(3, 4);
                await WriteLinesAsync(context, FakeX.StreamLine(3, tag), "", FakeX.StreamLine(4, tag), FakeX.StreamLine(4, tag), FakeX.StreamLine(50, "firebreak:other"));
                x.Add(5, 6);
            }
            else
            {
                // After reconnecting: 6 again (caught up already), 8 before 7, a malformed line, then X closes the stream.
                x.Add(7, 8);
                await WriteLinesAsync(context, FakeX.StreamLine(6, tag), FakeX.StreamLine(8, tag), "{\"data\":{\"id\":", FakeX.StreamLine(7, tag), """{"errors":[{"title":"operational-disconnect","disconnect_type":"UpstreamOperationalDisconnect","detail":"This stream has been disconnected upstream for operational reasons.","type":"https://api.twitter.com/2/problems/operational-disconnect"}]}""");
            }
        };

        var first = await rig.PassWithAsync(connector, source);
        var second = await rig.PassWithAsync(connector, source);

        Assert.Equal(FailureKind.Transient, first.Failure?.Kind);
        Assert.Contains("stream ended", first.Failure!.Message);
        Assert.Equal(FakeX.Id(4), Searches.ElementAt(1).QueryValue("since_id"));
        Assert.Equal(Enumerable.Range(1, 8).Select(FakeX.Id), await rig.StoredIdsAsync());
        Assert.Equal(4, first.Inserted);
        Assert.Equal(4, second.Inserted);
        Assert.Equal("stream event 3", Assert.Single(second.Errors).Position);
        Assert.Contains("operational-disconnect", second.Failure!.Message);
        Assert.Equal(FakeX.Id(8), await rig.CheckpointAsync(source));
        Assert.Contains(tag, stub.To("/2/tweets/search/stream/rules").First(r => r.Method == "POST").Body);
    }

    [Fact]
    public async Task Backfill_UsesStartAndEndTime_AndSaysWhatIsOutsideTheSevenDayWindow()
    {
        x.Add(1, 2);
        var to = DateTimeOffset.UtcNow;

        var report = await rig.RunnerWith(connector).BackfillAsync(source, to.AddDays(-10), to, null, CancellationToken.None);

        Assert.Null(report.Failure);
        Assert.Equal(2, report.Inserted);
        Assert.Contains(report.Errors, e => e.Reason.Contains("last 7 days", StringComparison.Ordinal));
        var call = Searches.Single();
        Assert.NotNull(call.QueryValue("start_time"));
        Assert.Equal(to.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), call.QueryValue("end_time"));
        Assert.Null(await rig.CheckpointAsync(source));
    }

    [Fact]
    public async Task Reply_PostsOnceWithInReplyToTweetId()
    {
        var account = (await rig.Connections.ListAsync(rig.WorkspaceId, CancellationToken.None)).Single();

        var result = await new XReplySender(rig.Http).SendAsync(account, new ReplyRequest(rig.WorkspaceId, 7, FakeX.Id(3), "cust3", "Sorry — DM us 🙏", DateTimeOffset.UtcNow), CancellationToken.None);

        var post = Assert.Single(stub.To("/2/tweets"));
        var sent = System.Text.Json.JsonDocument.Parse(post.Body).RootElement;
        Assert.Equal("Sorry — DM us 🙏", sent.GetProperty("text").GetString());
        Assert.Equal(FakeX.Id(3), sent.GetProperty("reply").GetProperty("in_reply_to_tweet_id").GetString());
        Assert.Equal(FakeX.Id(901), result.RemoteId);
        Assert.Equal($"https://x.com/brand/status/{FakeX.Id(901)}", result.RemoteUrl);
    }

    [Fact]
    public async Task Reply_AnswerLostAfterXPostedIt_IsReadBackFromTheTimeline_NotPostedTwice()
    {
        var account = (await rig.Connections.ListAsync(rig.WorkspaceId, CancellationToken.None)).Single();
        x.LoseNextPostAnswerWith = 503;
        var reply = new ReplyRequest(rig.WorkspaceId, 8, FakeX.Id(3), "cust3", "Sorry & thanks — DM us 🙏", DateTimeOffset.UtcNow);

        var result = await new XReplySender(rig.Http).SendAsync(account, reply, CancellationToken.None);

        Assert.Single(stub.To("/2/tweets"));
        Assert.Equal(FakeX.Id(901), result.RemoteId);
        // Read back before the send, and again after the unanswered send.
        Assert.Equal(2, stub.To($"/2/users/{FakeX.OwnId}/tweets").Count());
    }

    [Fact]
    public async Task Reply_CrashAfterXPostedIt_TheRetryFindsIt_AndAnotherTextOrTweetDoesNotCount()
    {
        var account = (await rig.Connections.ListAsync(rig.WorkspaceId, CancellationToken.None)).Single();
        using var crash = new CancellationTokenSource();
        x.AfterAcceptingPost = async () =>
        {
            await crash.CancelAsync();
            await Task.Delay(200);
        };
        var reply = new ReplyRequest(rig.WorkspaceId, 9, FakeX.Id(3), "cust3", "We are on it.", DateTimeOffset.UtcNow);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new XReplySender(rig.Http).SendAsync(account, reply, crash.Token));
        x.AfterAcceptingPost = null;
        var again = await new XReplySender(rig.Http).SendAsync(account, reply, CancellationToken.None);
        var otherText = await new XReplySender(rig.Http).SendAsync(account, reply with { ReplyId = 10, Text = "We are still on it." }, CancellationToken.None);
        var otherTweet = await new XReplySender(rig.Http).SendAsync(account, reply with { ReplyId = 11, InReplyToExternalId = FakeX.Id(4) }, CancellationToken.None);

        Assert.Equal(FakeX.Id(901), again.RemoteId);
        Assert.Equal(3, stub.To("/2/tweets").Count());
        Assert.Equal([FakeX.Id(901), FakeX.Id(902), FakeX.Id(903)], new[] { again.RemoteId, otherText.RemoteId, otherTweet.RemoteId });
    }

    private static async Task WriteLinesAsync(HttpContext context, params string[] lines)
    {
        foreach (var line in lines)
        {
            await context.Response.WriteAsync(line + "\r\n");
            await context.Response.Body.FlushAsync();
        }
    }
}
