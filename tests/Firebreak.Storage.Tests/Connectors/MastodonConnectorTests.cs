namespace Firebreak.Storage.Tests.Connectors;

using Firebreak.Core.Connectors;
using Firebreak.Core.Connectors.Mastodon;
using Firebreak.Core.Detection;
using Firebreak.Core.Mentions;
using Firebreak.Core.Workspaces;

public sealed class MastodonConnectorTests : IAsyncLifetime
{
    private readonly FakeMastodon mastodon = new();
    private ConnectorRig rig = null!;
    private StubServer stub = null!;
    private Source source = null!;

    public async Task InitializeAsync()
    {
        rig = await ConnectorRig.OpenAsync();
        stub = await StubServer.StartAsync(mastodon.HandleAsync);
        rig.Mastodon.UseStreaming = false;
        await rig.Connections.ConnectAsync(rig.WorkspaceId, Platform.Mastodon, "@brand@social.example", stub.BaseUri, mastodon.Token, null, null, CancellationToken.None);
        source = await rig.SourceAsync(Platform.Mastodon, SourceKind.Account, "@brand@social.example");
    }

    public async Task DisposeAsync()
    {
        await stub.DisposeAsync();
        await rig.DisposeAsync();
    }

    [Fact]
    public async Task Pass_FromCheckpoint_PagesForwardAndStoresEveryMentionOnce()
    {
        for (var n = 1; n <= 100; n++)
        {
            mastodon.AddMention(n);
        }

        await rig.Connectors.SaveCheckpointAsync(rig.WorkspaceId, source.Id, FakeMastodon.Id(10), DateTimeOffset.UnixEpoch, CancellationToken.None);

        var report = await rig.PassAsync(source);

        Assert.Null(report.Failure);
        Assert.Equal(Enumerable.Range(11, 90).Select(FakeMastodon.Id).Order(StringComparer.Ordinal), await rig.StoredIdsAsync());
        Assert.Equal(FakeMastodon.Id(100), await rig.Connectors.GetCheckpointAsync(rig.WorkspaceId, source.Id, CancellationToken.None));
        Assert.Equal(3, stub.To("/api/v1/notifications").Count());
        Assert.Equal(FakeMastodon.Id(10), stub.To("/api/v1/notifications").First().QueryValue("min_id"));
    }

    [Fact]
    public async Task Pass_MapsTheStatus_TextReachReplyLanguageUrl()
    {
        mastodon.AddMention(7, "<b>refund</b> & \"delays\" 🙃");

        await rig.PassAsync(source);

        var row = (await rig.Store.RowsAsync("SELECT text, author_handle, author_followers, language, url, kind, source_id FROM mentions WHERE workspace_id = $w", ("$w", rig.WorkspaceId))).Single();
        Assert.Equal("@brand <b>refund</b> & \"delays\" 🙃 #7", row[0]);
        Assert.Equal("user7@other.example", row[1]);
        Assert.Equal(70L, row[2]);
        Assert.Equal("en", row[3]);
        Assert.Equal($"https://social.example/@user7/{FakeMastodon.Id(7)}", row[4]);
        Assert.Equal("post", row[5]);
        Assert.Equal(source.Id, row[6]);
    }

    [Fact]
    public async Task Pass_AfterRestart_ResumesFromTheStoredCheckpointWithoutRepeats()
    {
        for (var n = 1; n <= 5; n++)
        {
            mastodon.AddMention(n);
        }

        await rig.PassAsync(source);
        for (var n = 6; n <= 8; n++)
        {
            mastodon.AddMention(n);
        }

        // A new runner over a new store object: only what the database kept carries over.
        var report = await rig.PassAsync(source);

        Assert.Equal(FakeMastodon.Id(5), stub.To("/api/v1/notifications").Last().QueryValue("min_id"));
        Assert.Equal(3, report.Received);
        Assert.Equal(3, report.Inserted);
        Assert.Equal(8, (await rig.StoredIdsAsync()).Count);
    }

    [Fact]
    public async Task Pass_429WithRetryAfter_WaitsThatLongThenSucceeds()
    {
        mastodon.AddMention(1);
        mastodon.Scripted.Enqueue((429, [("Retry-After", "1"), ("X-RateLimit-Remaining", "0")], """{"error":"Too many requests"}"""));

        var report = await rig.PassAsync(source);

        Assert.Null(report.Failure);
        var calls = stub.To("/api/v1/notifications").ToList();
        Assert.Equal(2, calls.Count);
        Assert.True(calls[1].At - calls[0].At >= TimeSpan.FromMilliseconds(950), $"retried after {(calls[1].At - calls[0].At).TotalMilliseconds} ms, before Retry-After's second");
        Assert.Single(await rig.StoredIdsAsync());
    }

    [Fact]
    public async Task Pass_429WithResetTooFar_FailsTransientlyAndKeepsTheCheckpoint()
    {
        mastodon.AddMention(1);
        var reset = DateTimeOffset.UtcNow.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ss.fffZ");
        mastodon.Scripted.Enqueue((429, [("X-RateLimit-Reset", reset)], """{"error":"Too many requests"}"""));

        var health = rig.Health(source);
        var report = await rig.PassAsync(source, health);

        Assert.Equal(FailureKind.Transient, report.Failure?.Kind);
        Assert.Contains("429", report.Failure!.Message);
        Assert.Single(stub.Requests);
        Assert.Null(await rig.Connectors.GetCheckpointAsync(rig.WorkspaceId, source.Id, CancellationToken.None));
        var saved = (await rig.Connectors.ListHealthAsync(rig.WorkspaceId, CancellationToken.None)).Single();
        Assert.Equal(1.0, saved.ErrorRate);
        Assert.Contains("429", saved.LastError);
    }

    [Fact]
    public async Task Pass_5xxThenOk_RetriesWithBackoff_AndAlways5xx_GivesUpTransient()
    {
        mastodon.AddMention(1);
        mastodon.Scripted.Enqueue((503, [], "<html>Service Unavailable</html>"));
        mastodon.Scripted.Enqueue((502, [], "Bad gateway"));

        var ok = await rig.PassAsync(source);
        Assert.Null(ok.Failure);
        Assert.Equal(3, stub.To("/api/v1/notifications").Count());

        mastodon.AddMention(2);
        for (var i = 0; i < 3; i++)
        {
            mastodon.Scripted.Enqueue((500, [], "oops"));
        }

        var failed = await rig.PassAsync(source);
        Assert.Equal(FailureKind.Transient, failed.Failure?.Kind);
        Assert.Equal(FakeMastodon.Id(1), await rig.Connectors.GetCheckpointAsync(rig.WorkspaceId, source.Id, CancellationToken.None));
    }

    [Fact]
    public async Task Pass_401_MarksTheConnectionRevokedAndAlertsAdmins()
    {
        mastodon.Token = "rotated-elsewhere";

        var report = await rig.PassAsync(source);

        Assert.Equal(FailureKind.Revoked, report.Failure?.Kind);
        var connection = (await rig.Connections.ListConnectionsAsync(rig.WorkspaceId, CancellationToken.None)).Single();
        Assert.Equal(ConnectionState.Revoked, connection.State);
        Assert.Contains("The access token is invalid", connection.LastError);
        var alert = Assert.Single(rig.Alerts.Raised);
        Assert.Equal(DetectionSignal.ConnectorHealth, alert.Signal);
        Assert.Equal($"connection:{connection.Id}", alert.Dimension);
        Assert.Empty(await rig.Connections.ListAsync(rig.WorkspaceId, CancellationToken.None));
    }

    [Fact]
    public async Task Pass_403_IsForbiddenNotRevoked()
    {
        mastodon.Scripted.Enqueue((403, [], """{"error":"This action is not allowed"}"""));

        var report = await rig.PassAsync(source);

        Assert.Equal(FailureKind.Forbidden, report.Failure?.Kind);
        Assert.Equal(ConnectionState.Active, (await rig.Connections.ListConnectionsAsync(rig.WorkspaceId, CancellationToken.None)).Single().State);
        Assert.Empty(rig.Alerts.Raised);
    }

    [Fact]
    public async Task Pass_TruncatedPage_KeepsTheCompleteItemsAndNamesWhereItBroke()
    {
        var whole = "[" + string.Join(",", new[] { 3, 2, 1 }.Select(n => FakeMastodon.Notification(n, FakeMastodon.Status(n, "late again")))) + "]";
        mastodon.Scripted.Enqueue((200, [], whole[..(whole.Length - 40)]));

        var report = await rig.PassAsync(source);

        Assert.Equal(2, report.Inserted);
        var error = Assert.Single(report.Errors);
        Assert.Equal("mastodon", error.Connector);
        Assert.StartsWith("item 3, byte ", error.Position);
        Assert.Equal([FakeMastodon.Id(2), FakeMastodon.Id(3)], await rig.StoredIdsAsync());
    }

    [Fact]
    public async Task Pass_ItemWithoutAccount_IsRecordedAndTheOthersKept()
    {
        var bad = """{"id":"5","type":"mention","status":{"id":"5","content":"<p>no account</p>"}}""";
        mastodon.Scripted.Enqueue((200, [], $"[{FakeMastodon.Notification(2, FakeMastodon.Status(2, "ok"))},{bad},{FakeMastodon.Notification(1, FakeMastodon.Status(1, "ok"))}]"));

        var report = await rig.PassAsync(source);

        Assert.Equal(2, report.Inserted);
        Assert.Equal("item 2.status", Assert.Single(report.Errors).Position);
    }

    [Fact]
    public async Task Pass_PageOver10MB_RefusedCleanly()
    {
        rig.HttpOptions.MaxResponseBytes = 64 * 1024;
        mastodon.Scripted.Enqueue((200, [], "[" + new string(' ', 100_000) + "]"));

        var report = await rig.PassAsync(source);

        Assert.Equal(FailureKind.Malformed, report.Failure?.Kind);
        Assert.Contains("bound", report.Failure!.Message);
        Assert.Empty(await rig.StoredIdsAsync());
    }

    [Fact]
    public async Task Stream_DroppedAndResumed_NoGapsNoDuplicates()
    {
        rig.Mastodon.UseStreaming = true;
        for (var n = 1; n <= 3; n++)
        {
            mastodon.AddMention(n);
        }

        var streams = 0;
        var inner = stub.Handler;
        stub.Handler = async context =>
        {
            if (context.Request.Path != "/api/v1/streaming/user/notification")
            {
                await inner(context);
                return;
            }

            streams++;
            if (streams == 1)
            {
                // Live: 4 and 5, 5 twice (a duplicate), then the connection drops. 6 and 7 arrive while it is down.
                mastodon.AddMention(4);
                mastodon.AddMention(5);
                await StubServer.SseAsync(context, [("notification", mastodon.NotificationJson(4)), ("notification", mastodon.NotificationJson(5)), ("notification", mastodon.NotificationJson(5)), ("delete", FakeMastodon.Id(2))]);
                mastodon.AddMention(6);
                mastodon.AddMention(7);
            }
            else
            {
                // After reconnecting: 7 again (already caught up over REST), 9 before 8 (out of order), a malformed event.
                mastodon.AddMention(8);
                mastodon.AddMention(9);
                await StubServer.SseAsync(context, [("notification", mastodon.NotificationJson(7)), ("notification", mastodon.NotificationJson(9)), ("notification", "{\"id\":"), ("notification", mastodon.NotificationJson(8))]);
            }
        };

        var first = await rig.PassAsync(source);
        var second = await rig.PassAsync(source);

        Assert.Equal(FailureKind.Transient, first.Failure?.Kind);
        Assert.Contains("stream ended", first.Failure!.Message);
        Assert.Equal(FakeMastodon.Id(5), stub.To("/api/v1/notifications").ElementAt(1).QueryValue("min_id"));
        Assert.Equal(Enumerable.Range(1, 9).Select(FakeMastodon.Id).Order(StringComparer.Ordinal), await rig.StoredIdsAsync());
        Assert.Equal(5, first.Inserted);
        Assert.Equal(4, second.Inserted);
        Assert.Equal(second.Received, second.Inserted);
        Assert.Equal("stream event 3 (notification)", Assert.Single(second.Errors).Position);
        Assert.Equal(FakeMastodon.Id(9), await rig.Connectors.GetCheckpointAsync(rig.WorkspaceId, source.Id, CancellationToken.None));
    }

    [Fact]
    public async Task Hashtag_ReadsTheTagTimeline_AndBackfillWalksBackByTime()
    {
        for (var n = 1; n <= 50; n++)
        {
            mastodon.AddTagged(n);
        }

        var tag = await rig.SourceAsync(Platform.Mastodon, SourceKind.Query, "#aurora");
        var runner = rig.Runner();

        var report = await runner.BackfillAsync(tag, new DateTimeOffset(2025, 3, 3, 9, 5, 0, TimeSpan.Zero), new DateTimeOffset(2025, 3, 3, 9, 45, 0, TimeSpan.Zero), null, CancellationToken.None);

        Assert.Null(report.Failure);
        Assert.Equal(Enumerable.Range(5, 40).Select(FakeMastodon.Id).Order(StringComparer.Ordinal), await rig.StoredIdsAsync());
        Assert.All(stub.Requests, r => Assert.Equal("/api/v1/timelines/tag/aurora", r.Path));
        Assert.Null(await rig.Connectors.GetCheckpointAsync(rig.WorkspaceId, tag.Id, CancellationToken.None));
    }

    [Fact]
    public async Task Run_NoSuccessForTheStallTime_RaisesOneStoppedReceivingAlert()
    {
        rig.RunnerOptions.StallAfter = TimeSpan.FromMilliseconds(300);
        stub.Handler = context => StubServer.JsonAsync(context, "upstream down", 502);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => rig.Runner().RunAsync(source, stop.Token));

        Assert.True(stub.Requests.Count >= 6, $"only {stub.Requests.Count} calls: the runner should keep retrying");
        var alert = Assert.Single(rig.Alerts.Raised);
        Assert.Equal($"source:{source.Id}", alert.Dimension);
        Assert.Contains("has received nothing for", alert.Explanation);
        Assert.Contains("502", alert.Explanation);
        var health = Assert.Single(await rig.Connectors.ListHealthAsync(rig.WorkspaceId, CancellationToken.None));
        Assert.Null(health.LastSuccessAt);
        Assert.Equal(1.0, health.ErrorRate);
    }
}
