namespace Firebreak.Storage.Tests.Publishing;

using Firebreak.Core.Detection;
using Firebreak.Core.Incidents;
using Firebreak.Core.Mentions;
using Firebreak.Core.Publishing;
using Firebreak.Core.Publishing.Holds;
using Firebreak.Core.Publishing.Outbox;
using Firebreak.Core.Security;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

/// <summary>The pause switch (atomic against claims), resume to review, event mode, the heartbeat watchdog and the rogue-post alarm, on each provider.</summary>
public abstract class OutboxHoldTests(StoreProvider provider, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private OutboxHarness h = null!;

    public async Task InitializeAsync() => h = await OutboxHarness.OpenAsync(provider);

    public async Task DisposeAsync() => await h.DisposeAsync();

    private static PauseRequest All(string reason = "breaking news", bool eventMode = false) => new(HoldScope.Workspace, null, reason, eventMode);

    [StoreFact]
    public async Task PauseCommittedBeforeTheClaim_Wins_NothingIsSent()
    {
        Assert.True(await h.EnqueueAsync(1, Platform.Mastodon, "held"));
        var pause = await h.Holds().PauseAsync(h.Workspace, All(), OutboxHarness.Ana, None);
        Assert.Empty(pause.InFlight);

        Assert.Equal(0, await h.NewSender().RunOnceAsync(None));
        Assert.Empty(h.Mastodon.Texts);
        Assert.Equal(OutboxState.Scheduled, (await h.ItemAsync(1)).State);
        var hold = Assert.Single(await h.ActiveHolds().ActiveAsync(h.Workspace, None));
        Assert.Equal(("breaking news", 7L, HoldScope.Workspace), (hold.Reason, hold.ByAccountId!.Value, hold.Scope));
    }

    [StoreFact]
    public async Task ClaimCommittedBeforeThePause_IsReportedInFlight()
    {
        Assert.True(await h.EnqueueAsync(2, Platform.Bluesky, "already on its way"));
        var atCall = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var sender = h.NewSender(fault: async (step, _) =>
        {
            if (step == SendStep.BeforeCall)
            {
                atCall.SetResult();
                await release.Task;
            }
        });
        var sending = sender.RunOnceAsync(None);
        await atCall.Task;

        var pause = await h.Holds().PauseAsync(h.Workspace, All(), OutboxHarness.Ana, None);
        Assert.Equal(2, Assert.Single(pause.InFlight).PostId);
        release.SetResult();
        await sending;
        Assert.Equal(["already on its way"], h.Bluesky.Texts);
    }

    [StoreFact]
    public async Task PauseRacingSends_NoSendStartsAfterThePauseReturns_ExceptThoseItReportsInFlight()
    {
        const int Iterations = 40;
        var pauseWon = 0;
        var claimWon = 0;
        var holds = h.Holds();
        for (var i = 0; i < Iterations; i++)
        {
            var text = $"race {i}";
            Assert.True(await h.EnqueueAsync(100 + i, Platform.Mastodon, text));
            var sender = h.NewSender();
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var sending = Task.Run(async () =>
            {
                await go.Task;
                await sender.RunOnceAsync(None);
            });
            var pausing = Task.Run(async () =>
            {
                await go.Task;
                await Task.Delay(i % 4);
                var result = await holds.PauseAsync(h.Workspace, All($"race {i}"), OutboxHarness.Ana, None);
                return (Result: result, Requests: h.Mastodon.CreateRequests, Texts: h.Mastodon.Texts);
            });
            go.SetResult();
            var (pause, requestsWhenPaused, textsWhenPaused) = await pausing;
            await sending;
            await h.NewSender().RunOnceAsync(None); // a later pass must not send anything either

            // After the pause returned, only the posts it reported in flight may still start.
            var inFlight = pause.InFlight.Select(x => x.Text).ToHashSet();
            Assert.True(h.Mastodon.CreateRequests - requestsWhenPaused <= inFlight.Count, $"iteration {i}: a send started after the pause returned");
            Assert.All(h.Mastodon.Texts, t => Assert.True(textsWhenPaused.Contains(t) || inFlight.Contains(t), $"iteration {i}: '{t}' went out after the pause"));
            if (h.Mastodon.Texts.Contains(text))
            {
                claimWon++;
            }
            else
            {
                pauseWon++;
                Assert.Equal(OutboxState.Scheduled, (await h.ItemAsync(100 + i)).State);
            }

            var resumed = await holds.ResumeAsync(h.Workspace, null, null, OutboxHarness.Ana, None);
            Assert.Single(resumed.Released);
            Assert.Equal(h.Mastodon.Texts.Contains(text) ? 0 : 1, resumed.ReturnedForReview.Count);
        }

        output.WriteLine($"{provider}: pause won {pauseWon}, claim won {claimWon} of {Iterations}");
        Assert.Equal(Iterations, pauseWon + claimWon);
        Assert.Equal(h.Mastodon.Texts.Count, h.Mastodon.Texts.Distinct().Count());
    }

    [StoreFact]
    public async Task Resume_ReturnsOverduePostsToReview_NotFiringThemAllAtOnce()
    {
        var holds = h.Holds();
        await holds.PauseAsync(h.Workspace, All("outage at the airline"), OutboxHarness.Ana, None);
        Assert.True(await h.EnqueueAsync(1, Platform.Mastodon, "overdue one", h.Clock.Now + TimeSpan.FromMinutes(10)));
        Assert.True(await h.EnqueueAsync(2, Platform.Bluesky, "overdue two", h.Clock.Now + TimeSpan.FromMinutes(20)));
        Assert.True(await h.EnqueueAsync(3, Platform.Mastodon, "tomorrow", h.Clock.Now + TimeSpan.FromDays(1)));
        h.Clock.Now += TimeSpan.FromHours(1);
        Assert.Equal(0, await h.NewSender().RunOnceAsync(None));

        var resumed = await holds.ResumeAsync(h.Workspace, null, null, new IncidentActor(8, "Manager Mo"), None);
        Assert.Equal([1L, 2L], resumed.ReturnedForReview.Select(i => i.PostId).Order());
        await h.NewSender().RunOnceAsync(None);
        Assert.Empty(h.Mastodon.Texts);
        Assert.Empty(h.Bluesky.Texts);
        Assert.Equal(OutboxState.ReturnedForReview, (await h.ItemAsync(1)).State);
        Assert.Equal(OutboxState.Scheduled, (await h.ItemAsync(3)).State);
        Assert.Equal(2, h.Outcomes.Outcomes.Count(o => o.Kind == PublishOutcomeKind.ReturnedForReview));

        // A person looks again and sends one; the tomorrow post goes on its own time.
        Assert.NotNull(await h.Outbox.RetryAsync(h.Workspace, (await h.ItemAsync(1)).Id, h.Clock.Now, None));
        await h.NewSender().RunOnceAsync(None);
        Assert.Equal(["overdue one"], h.Mastodon.Texts);
        Assert.Empty(await h.ActiveHolds().ActiveAsync(h.Workspace, None));
    }

    [StoreFact]
    public async Task PlatformAndCampaignHolds_HoldOnlyTheirScope_AndResumeReleasesOnlyThatHold()
    {
        var holds = h.Holds();
        await holds.PauseAsync(h.Workspace, new PauseRequest(HoldScope.Platform, "mastodon", "instance migration", false), OutboxHarness.Ana, None);
        await holds.PauseAsync(h.Workspace, new PauseRequest(HoldScope.Campaign, "Summer Sale", "pricing error", false), OutboxHarness.Ana, None);
        Assert.True(await h.EnqueueAsync(1, Platform.Mastodon, "mastodon post"));
        Assert.True(await h.EnqueueAsync(2, Platform.Bluesky, "sale post", campaign: "Summer Sale"));
        Assert.True(await h.EnqueueAsync(3, Platform.Bluesky, "other bluesky post"));
        await h.NewSender().RunOnceAsync(None);
        Assert.Empty(h.Mastodon.Texts);
        Assert.Equal(["other bluesky post"], h.Bluesky.Texts);

        var released = await holds.ResumeAsync(h.Workspace, HoldScope.Platform, "Mastodon", OutboxHarness.Ana, None);
        Assert.Equal("Mastodon", Assert.Single(released.Released).Target);
        Assert.Equal(1, Assert.Single(released.ReturnedForReview).PostId); // due during the hold: reviewed, not sent
        Assert.Equal("Summer Sale", Assert.Single(await h.ActiveHolds().ActiveAsync(h.Workspace, None)).Target);

        var bad = await Assert.ThrowsAsync<HoldRequestException>(() => holds.PauseAsync(h.Workspace, new PauseRequest(HoldScope.Platform, "Myspace", "x", false), OutboxHarness.Ana, None));
        Assert.Equal("target", bad.Field);
        Assert.Equal("reason", (await Assert.ThrowsAsync<HoldRequestException>(() => holds.PauseAsync(h.Workspace, All("   "), OutboxHarness.Ana, None))).Field);
    }

    [StoreFact]
    public async Task EventMode_PausesAndReturnsPlannedContentToReview()
    {
        Assert.True(await h.EnqueueAsync(1, Platform.Mastodon, "cheerful promo", h.Clock.Now + TimeSpan.FromHours(3)));
        Assert.True(await h.EnqueueAsync(2, Platform.Bluesky, "fun fact", h.Clock.Now + TimeSpan.FromDays(2)));
        var pause = await h.Holds().PauseAsync(h.Workspace, All("national tragedy", eventMode: true), OutboxHarness.Ana, None);

        Assert.True(pause.Hold.EventMode);
        Assert.Equal([1L, 2L], pause.ReturnedForReview.Select(i => i.PostId).Order());
        Assert.All(await h.Outbox.ListAsync(h.Workspace, null, 10, None), i => Assert.Equal(OutboxState.ReturnedForReview, i.State));
        Assert.Equal(2, h.Outcomes.Outcomes.Count(o => o.Kind == PublishOutcomeKind.ReturnedForReview));
    }

    [StoreFact]
    public async Task PauseAndResume_AreAudited_AndWrittenToEveryActiveIncidentsTimeline()
    {
        var incidents = h.Store.Services.GetRequiredService<IncidentService>();
        var a = await incidents.DeclareAsync(h.Workspace, new IncidentDeclaration("Outage", "platform-outage", IncidentSeverity.Sev2, [], []), OutboxHarness.Ana, None);
        var b = await incidents.DeclareAsync(h.Workspace, new IncidentDeclaration("Recall", "product-safety", IncidentSeverity.Sev1, [], []), OutboxHarness.Ana, None);
        var holds = h.Holds();
        await holds.PauseAsync(h.Workspace, All("recall announced"), OutboxHarness.Ana, None);
        await holds.ResumeAsync(h.Workspace, null, null, new IncidentActor(8, "Manager Mo"), None);

        var store = h.Store.Services.GetRequiredService<IIncidentStore>();
        foreach (var incident in new[] { a, b })
        {
            var entries = (await store.ListTimelineAsync(incident.Id, null, 20, None)).Entries.Where(e => e.Kind == TimelineKind.Publishing).ToList();
            Assert.Equal(2, entries.Count);
            Assert.Contains("Publishing paused (all platforms) by Ana: recall announced", entries[1].Text, StringComparison.Ordinal);
            Assert.Contains("Publishing resumed (all platforms) by Manager Mo", entries[0].Text, StringComparison.Ordinal);
        }

        var audit = await h.Store.Services.GetRequiredService<IAuditStore>().ListAsync(h.Workspace, null, 10, None);
        Assert.Contains(audit, e => e.Action == "publishing.pause" && e.ActorName == "Ana");
        Assert.Contains(audit, e => e.Action == "publishing.resume" && e.ActorName == "Manager Mo");
    }

    [StoreFact]
    public async Task Watchdog_AlertsWhenThePublisherStopsBeating_WhilePostsAreDue()
    {
        var watchdog = h.Watchdog();
        await h.NewSender().RunOnceAsync(None); // a beat at T
        var beat = h.Clock.Now;
        Assert.True(await h.EnqueueAsync(1, Platform.Mastodon, "due soon", beat + TimeSpan.FromMinutes(1)));

        h.Clock.Now = beat + TimeSpan.FromMinutes(2);
        Assert.Empty(await watchdog.CheckAsync(None)); // beat 2 min ago: fine
        h.Clock.Now = beat + TimeSpan.FromMinutes(4);
        var alert = Assert.Single(await watchdog.CheckAsync(None));
        Assert.Equal((h.Workspace, DetectionSignal.PublisherStalled, DetectionSeverity.Critical), (alert.WorkspaceId, alert.Signal, alert.Severity));
        Assert.Contains("has not run for 4 min", alert.Explanation, StringComparison.Ordinal);
        Assert.Contains("1 scheduled post(s) are due", alert.Explanation, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromMinutes(4), await watchdog.SilenceAsync(None));

        // Held posts are not "due": a paused workspace does not page anyone about its publisher.
        await h.Holds().PauseAsync(h.Workspace, All(), OutboxHarness.Ana, None);
        Assert.Empty(await watchdog.CheckAsync(None));
        await h.Holds().ResumeAsync(h.Workspace, null, null, OutboxHarness.Ana, None);

        // The publisher comes back: it beats, sends nothing overdue (returned to review) and the watchdog is quiet.
        await h.NewSender().RunOnceAsync(None);
        Assert.Empty(await watchdog.CheckAsync(None));
    }

    [StoreFact]
    public async Task RoguePost_RaisesOneCriticalAlert_WithTextLinkAndPlaybook_AndSurvivesARestart()
    {
        h.Mastodon.PostDirectly("an old post from before Firebreak");
        h.Bluesky.PostDirectly("an old skeet");
        Assert.Empty(await h.Rogue().ScanAsync(h.Workspace, None)); // the first read only sets the checkpoints

        Assert.True(await h.EnqueueAsync(1, Platform.Mastodon, "approved post"));
        Assert.True(await h.EnqueueAsync(2, Platform.Bluesky, "approved skeet"));
        await h.NewSender().RunOnceAsync(None);
        Assert.Empty(await h.Rogue().ScanAsync(h.Workspace, None));

        var rogueId = h.Mastodon.PostDirectly("FREE CRYPTO!!! send 1 BTC to <script>x</script>");
        h.Bluesky.PostDirectly("hacked skeet");
        var raised = await h.Rogue().ScanAsync(h.Workspace, None);
        Assert.Equal(2, raised.Count);
        var mastodon = Assert.Single(raised, d => d.Dimension == $"post:Mastodon:{rogueId}");
        Assert.Equal((DetectionSignal.RoguePost, DetectionSeverity.Critical), (mastodon.Signal, mastodon.Severity));
        Assert.Contains("FREE CRYPTO!!! send 1 BTC to <script>x</script>", mastodon.Explanation, StringComparison.Ordinal);
        Assert.Contains($"{h.Mastodon.BaseUri}@brand/{rogueId}", mastodon.Explanation, StringComparison.Ordinal);
        Assert.Contains("'hacked-account' playbook", mastodon.Explanation, StringComparison.Ordinal);
        Assert.Contains(raised, d => d.Explanation.Contains("hacked skeet", StringComparison.Ordinal) && d.Explanation.Contains("https://bsky.app/profile/brand.test/post/", StringComparison.Ordinal));

        // A restarted monitor (a new instance over the same store) neither re-alerts nor misses the next one.
        Assert.Empty(await h.Rogue().ScanAsync(h.Workspace, None));
        var elsewhere = h.Mastodon.PostDirectly("posted from the phone at the event");
        await h.Outbox.AllowAsync(h.Workspace, Platform.Mastodon, elsewhere, "live event", "Ana", h.Clock.Now, None);
        var next = h.Mastodon.PostDirectly("another rogue one");
        var again = Assert.Single(await h.Rogue().ScanAsync(h.Workspace, None));
        Assert.Equal($"post:Mastodon:{next}", again.Dimension);
        Assert.Equal(3, h.Alerts.Detections.Count);
    }

    [StoreFact]
    public async Task RoguePostAlarm_DoesNotMistakeAnUnreconciledSendForARoguePost()
    {
        Assert.Empty(await h.Rogue().ScanAsync(h.Workspace, None));
        Assert.True(await h.EnqueueAsync(1, Platform.Mastodon, "sent, then the sender died"));
        var crashing = h.NewSender(fault: (step, _) => step == SendStep.AfterCall ? throw new SimulatedCrash("after call") : ValueTask.CompletedTask);
        await Assert.ThrowsAsync<SimulatedCrash>(() => crashing.RunOnceAsync(None));

        Assert.Empty(await h.Rogue().ScanAsync(h.Workspace, None));
        Assert.Empty(h.Alerts.Detections);
    }
}

public sealed class SqliteOutboxHoldTests(ITestOutputHelper output) : OutboxHoldTests(StoreProvider.Sqlite, output);

[RequiresPostgres]
public sealed class PostgresOutboxHoldTests(ITestOutputHelper output) : OutboxHoldTests(StoreProvider.Postgres, output);
