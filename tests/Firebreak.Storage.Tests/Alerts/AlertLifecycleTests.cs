using Firebreak.Core.Alerts;
using Firebreak.Core.Detection;
using static Firebreak.Storage.Tests.Alerts.AlertHarness;

namespace Firebreak.Storage.Tests.Alerts;

/// <summary>
/// The alert manager on each provider with a fixed clock (12:00 UTC, 3 March 2025): one alert per episode that grows,
/// quiet gaps, escalation timing, snooze, quiet hours and their breakthrough rules, de-duplication, promotion.
/// </summary>
public abstract class AlertLifecycleTests(StoreProvider provider) : IAsyncLifetime
{
    private TestStore store = null!;
    private AlertHarness alerts = null!;
    private long ws;
    private long topic;
    private AlertContact ana = null!;
    private AlertContact ben = null!;
    private AlertContact cleo = null!;
    private ChannelTarget mail = null!;

    private DateTimeOffset Now => TestStore.Now;

    public async Task InitializeAsync()
    {
        store = await TestStore.OpenAsync(provider);
        alerts = new AlertHarness(store);
        ws = await store.AddWorkspaceAsync();
        topic = await store.AddTopicAsync(ws, "Refunds", "refund");
        ana = await alerts.ContactAsync(ws, "Ana", 0);
        ben = await alerts.ContactAsync(ws, "Ben", 1);
        cleo = await alerts.ContactAsync(ws, "Cleo", 2);
        mail = await alerts.EmailTargetAsync(ws);
    }

    public async Task DisposeAsync() => await store.DisposeAsync();

    [StoreFact]
    public async Task Defaults_BelowTheirSeverity_OpenNothing()
    {
        await alerts.ProcessAsync(
            Detection(ws, topic, DetectionSeverity.Low),
            Detection(ws, topic, DetectionSeverity.Medium, DetectionSignal.ViralItem, "mention:9"),
            Detection(ws, topic, DetectionSeverity.Medium, DetectionSignal.EmergingTerm, "#boycott"));

        Assert.Empty(await alerts.Alerts.ListAsync(ws, new AlertFilter(), None));
    }

    [StoreFact]
    public async Task FirstDetection_OpensAnAlert_PagingThePrimaryOnCallByEmailAndInApp()
    {
        await alerts.ProcessAsync(Detection(ws, topic, DetectionSeverity.Medium));

        var alert = await alerts.SingleActiveAsync(ws);
        Assert.Equal((AlertState.Open, DetectionSeverity.Medium, 1, Now, Now), (alert.State, alert.Severity, alert.DetectionCount, alert.OpenedAt, alert.LastSeenAt));
        Assert.Equal([DefaultAlertRules.SeriesRuleId], alert.RuleIds);
        var deliveries = await alerts.DeliveriesAsync(ws, alert.Id);
        Assert.Equal([(ChannelKind.InApp, (string?)null), (ChannelKind.Email, "ana@example.com")], deliveries.Select(d => (d.Channel, d.Recipient)));
        Assert.All(deliveries, d => Assert.Equal(NotificationReason.Opened, d.Notification.Reason));
        Assert.Equal(mail.Id, deliveries[1].TargetId);
        Assert.Equal("Refunds", deliveries[0].Notification.TopicName);
        Assert.Equal([new PagedPerson(ana.Id, "Ana", "ana@example.com", true)], deliveries[0].Notification.Paging);
        Assert.Equal([AlertEventKind.Opened], (await alerts.EventsAsync(ws, alert.Id)).Select(e => e.Kind));
    }

    [StoreFact]
    public async Task SameEpisode_GrowsOneAlert_SeverityOnlyRises_NotifiedOnlyWhenItDoes()
    {
        await alerts.ProcessAsync(Detection(ws, topic, DetectionSeverity.Medium, score: 0.5, samples: [1, 2]));
        store.Clock.Now = Now.AddMinutes(1);
        await alerts.ProcessAsync(Detection(ws, topic, DetectionSeverity.High, score: 0.9, samples: [2, 3]));
        store.Clock.Now = Now.AddMinutes(2);
        await alerts.ProcessAsync(Detection(ws, topic, DetectionSeverity.Low, score: 0.3), Detection(ws, topic, DetectionSeverity.High, score: 0.6));

        var alert = await alerts.SingleActiveAsync(ws);
        Assert.Equal(DetectionSeverity.High, alert.Severity);
        Assert.Equal(4, alert.DetectionCount);
        Assert.Equal((0.9, 90.0), (alert.PeakScore, alert.PeakObserved));
        Assert.Equal(60.0, alert.LastObserved);
        Assert.Equal(Now.AddMinutes(2), alert.LastSeenAt);
        Assert.Equal([1L, 2, 3], alert.SampleMentionIds);
        Assert.Equal(
            [AlertEventKind.Opened, AlertEventKind.Updated],
            (await alerts.EventsAsync(ws, alert.Id)).Select(e => e.Kind));
        Assert.Contains("severity Medium → High", (await alerts.EventsAsync(ws, alert.Id))[1].Detail, StringComparison.Ordinal);
        var deliveries = await alerts.DeliveriesAsync(ws, alert.Id);
        Assert.Equal(
            [(NotificationReason.Opened, ChannelKind.InApp), (NotificationReason.Opened, ChannelKind.Email), (NotificationReason.SeverityRaised, ChannelKind.InApp), (NotificationReason.SeverityRaised, ChannelKind.Email)],
            deliveries.Select(d => (d.Notification.Reason, d.Channel)));
        Assert.Equal(DetectionSeverity.Medium, deliveries[2].Notification.PreviousSeverity);
    }

    [StoreFact]
    public async Task OtherSliceOrSignal_IsAnotherEpisode()
    {
        await alerts.ProcessAsync(
            Detection(ws, topic, DetectionSeverity.High),
            Detection(ws, topic, DetectionSeverity.High, dimension: "platform:x"),
            Detection(ws, topic, DetectionSeverity.High, DetectionSignal.Volume),
            Detection(ws, 0, DetectionSeverity.High));

        Assert.Equal(4, (await alerts.Alerts.ListAsync(ws, new AlertFilter(), None)).Count);
    }

    [StoreFact]
    public async Task QuietGap_TickResolves_AndTheNextDetectionOpensANewAlert()
    {
        await alerts.ProcessAsync(Detection(ws, topic, DetectionSeverity.High));
        var first = await alerts.SingleActiveAsync(ws);
        await alerts.Manager.AcknowledgeAsync(ws, first.Id, "ana", None);

        store.Clock.Now = Now.AddMinutes(29);
        await alerts.Manager.TickAsync(None);
        Assert.Equal(AlertState.Acknowledged, (await alerts.Alerts.GetAsync(ws, first.Id, None))!.State);

        store.Clock.Now = Now.AddMinutes(30);
        await alerts.Manager.TickAsync(None);
        var resolved = (await alerts.Alerts.GetAsync(ws, first.Id, None))!;
        Assert.Equal((AlertState.Resolved, "system", "no detection for 30 min", Now.AddMinutes(30)), (resolved.State, resolved.ResolvedBy, resolved.ResolveReason, resolved.ResolvedAt));

        await alerts.ProcessAsync(Detection(ws, topic, DetectionSeverity.High));
        var second = await alerts.SingleActiveAsync(ws);
        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(1, second.DetectionCount);
    }

    [StoreFact]
    public async Task QuietGap_BeforeTheTickerNoticed_TheNextDetectionClosesTheOldEpisodeFirst()
    {
        await alerts.ProcessAsync(Detection(ws, topic, DetectionSeverity.High));
        var first = await alerts.SingleActiveAsync(ws);

        store.Clock.Now = Now.AddMinutes(45);
        await alerts.ProcessAsync(Detection(ws, topic, DetectionSeverity.Medium));

        Assert.Equal(AlertState.Resolved, (await alerts.Alerts.GetAsync(ws, first.Id, None))!.State);
        var second = await alerts.SingleActiveAsync(ws);
        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(DetectionSeverity.Medium, second.Severity);
    }

    [StoreFact]
    public async Task ResolvedByAPerson_TheNextDetectionOpensANewAlert_AndTeamChannelsHearEachStepOnce()
    {
        var hook = await alerts.WebhookTargetAsync(ws, "https://hooks.example.com/ops");
        await alerts.RuleAsync(ws, topic, channels: [hook.Id]);
        await alerts.ProcessAsync(Detection(ws, topic, DetectionSeverity.High));
        var first = await alerts.SingleActiveAsync(ws);

        Assert.Equal(AlertActionStatus.Done, (await alerts.Manager.AcknowledgeAsync(ws, first.Id, "ana", None)).Status);
        Assert.Equal(AlertActionStatus.Unchanged, (await alerts.Manager.AcknowledgeAsync(ws, first.Id, "ben", None)).Status);
        var resolved = await alerts.Manager.ResolveAsync(ws, first.Id, "ana", "handled: statement posted", None);
        Assert.Equal(AlertActionStatus.Done, resolved.Status);
        Assert.Equal(AlertActionStatus.Conflict, (await alerts.Manager.AcknowledgeAsync(ws, first.Id, "ben", None)).Status);

        await alerts.ProcessAsync(Detection(ws, topic, DetectionSeverity.High));
        Assert.NotEqual(first.Id, (await alerts.SingleActiveAsync(ws)).Id);
        var hooks = (await alerts.DeliveriesAsync(ws, first.Id)).Where(d => d.Channel == ChannelKind.Webhook).ToList();
        Assert.Equal([NotificationReason.Opened, NotificationReason.Acknowledged, NotificationReason.Resolved], hooks.Select(d => d.Notification.Reason));
        Assert.Equal(["ana", "ana"], hooks.Skip(1).Select(d => d.Notification.Actor));
        Assert.Equal(
            [AlertEventKind.Opened, AlertEventKind.Acknowledged, AlertEventKind.Resolved],
            (await alerts.EventsAsync(ws, first.Id)).Select(e => e.Kind));
        Assert.Equal("resolved by ana: handled: statement posted", (await alerts.EventsAsync(ws, first.Id))[2].Detail);
    }

    [StoreFact]
    public async Task Escalation_NotAcknowledged_PagesDownTheRotationEveryFiveMinutes()
    {
        await alerts.ProcessAsync(Detection(ws, topic, DetectionSeverity.High));
        var alert = await alerts.SingleActiveAsync(ws);

        async Task<string[]> EmailsAt(TimeSpan after)
        {
            store.Clock.Now = Now + after;
            await alerts.Manager.TickAsync(None);
            return [.. (await alerts.DeliveriesAsync(ws, alert.Id)).Where(d => d.Channel == ChannelKind.Email).Select(d => d.Recipient!)];
        }

        Assert.Equal(["ana@example.com"], await EmailsAt(TimeSpan.FromSeconds(299)));
        Assert.Equal(["ana@example.com", "ben@example.com"], await EmailsAt(TimeSpan.FromMinutes(5)));
        Assert.Equal(["ana@example.com", "ben@example.com"], await EmailsAt(TimeSpan.FromSeconds(599)));
        Assert.Equal(["ana@example.com", "ben@example.com", "cleo@example.com"], await EmailsAt(TimeSpan.FromMinutes(10)));
        Assert.Equal(3, (await EmailsAt(TimeSpan.FromMinutes(20))).Length);

        var escalated = (await alerts.Alerts.GetAsync(ws, alert.Id, None))!;
        Assert.Equal(2, escalated.EscalationLevel);
        var events = await alerts.EventsAsync(ws, alert.Id);
        Assert.Equal(["escalated to Ben (on-call #2): not acknowledged within 5 min", "escalated to Cleo (on-call #3): not acknowledged within 5 min"],
            events.Where(e => e.Kind == AlertEventKind.Escalated).Select(e => e.Detail));
        var inApp = (await alerts.DeliveriesAsync(ws, alert.Id)).Where(d => d.Channel == ChannelKind.InApp).Select(d => d.Notification).ToList();
        Assert.Equal([NotificationReason.Opened, NotificationReason.Escalated, NotificationReason.Escalated], inApp.Select(n => n.Reason));
        Assert.Equal("Cleo", Assert.Single(inApp[2].Paging).Name);
    }

    [StoreFact]
    public async Task Escalation_Acknowledged_Stops_AndTheRulesDelayApplies()
    {
        await alerts.RuleAsync(ws, topic, escalateAfter: TimeSpan.FromMinutes(2), channels: [mail.Id]);
        await alerts.ProcessAsync(Detection(ws, topic, DetectionSeverity.High), Detection(ws, topic, DetectionSeverity.High, dimension: "language:fr"));
        var both = await alerts.Alerts.ListAsync(ws, new AlertFilter(), None);
        await alerts.Manager.AcknowledgeAsync(ws, both[0].Id, "ana", None);

        store.Clock.Now = Now.AddMinutes(2);
        await alerts.Manager.TickAsync(None);

        Assert.Equal(["ana@example.com"], (await alerts.DeliveriesAsync(ws, both[0].Id)).Where(d => d.Channel == ChannelKind.Email).Select(d => d.Recipient));
        Assert.Equal(["ana@example.com", "ben@example.com"], (await alerts.DeliveriesAsync(ws, both[1].Id)).Where(d => d.Channel == ChannelKind.Email).Select(d => d.Recipient));
    }

    [StoreFact]
    public async Task Snooze_HoldsNotificationsAndEscalation_WakingReNotifiesBecauseSeverityRose()
    {
        await alerts.ProcessAsync(Detection(ws, topic, DetectionSeverity.Medium));
        var alert = await alerts.SingleActiveAsync(ws);
        var snoozed = await alerts.Manager.SnoozeAsync(ws, alert.Id, Now.AddMinutes(20), "ana", None);
        Assert.Equal(Now.AddMinutes(20), snoozed.Alert!.SnoozedUntil);

        store.Clock.Now = Now.AddMinutes(10);
        await alerts.ProcessAsync(Detection(ws, topic, DetectionSeverity.Critical));
        store.Clock.Now = Now.AddMinutes(15);
        await alerts.Manager.TickAsync(None);
        var during = await alerts.DeliveriesAsync(ws, alert.Id);
        Assert.Equal(2, during.Count);
        Assert.Equal(DetectionSeverity.Critical, (await alerts.Alerts.GetAsync(ws, alert.Id, None))!.Severity);

        store.Clock.Now = Now.AddMinutes(20);
        await alerts.Manager.TickAsync(None);
        var woke = await alerts.DeliveriesAsync(ws, alert.Id);
        Assert.Equal([(NotificationReason.SeverityRaised, ChannelKind.InApp), (NotificationReason.SeverityRaised, ChannelKind.Email)], woke.Skip(2).Select(d => (d.Notification.Reason, d.Channel)));
        Assert.Equal(DetectionSeverity.Medium, woke[2].Notification.PreviousSeverity);
        var after = (await alerts.Alerts.GetAsync(ws, alert.Id, None))!;
        Assert.Null(after.SnoozedUntil);
        Assert.Equal(Now.AddMinutes(20), after.EscalationFrom);

        // Escalation starts over from the wake-up, not from the opening.
        store.Clock.Now = Now.AddMinutes(24);
        await alerts.Manager.TickAsync(None);
        Assert.Equal(4, (await alerts.DeliveriesAsync(ws, alert.Id)).Count);
        store.Clock.Now = Now.AddMinutes(25);
        await alerts.Manager.TickAsync(None);
        Assert.Equal("ben@example.com", (await alerts.DeliveriesAsync(ws, alert.Id)).Last(d => d.Channel == ChannelKind.Email).Recipient);
        Assert.Equal(
            [AlertEventKind.Opened, AlertEventKind.Snoozed, AlertEventKind.Updated, AlertEventKind.Woke, AlertEventKind.Escalated],
            (await alerts.EventsAsync(ws, alert.Id)).Select(e => e.Kind));
    }

    [StoreFact]
    public async Task Snooze_WakingWithoutARise_StaysQuiet()
    {
        await alerts.ProcessAsync(Detection(ws, topic, DetectionSeverity.High));
        var alert = await alerts.SingleActiveAsync(ws);
        await alerts.Manager.SnoozeAsync(ws, alert.Id, Now.AddMinutes(10), "ana", None);

        store.Clock.Now = Now.AddMinutes(10);
        await alerts.Manager.TickAsync(None);

        Assert.Equal(2, (await alerts.DeliveriesAsync(ws, alert.Id)).Count);
        Assert.Equal(AlertEventKind.Woke, (await alerts.EventsAsync(ws, alert.Id)).Last().Kind);
        Assert.Equal(AlertActionStatus.Conflict, (await alerts.Manager.SnoozeAsync(ws, alert.Id, Now, "ana", None)).Status);
    }

    [StoreFact]
    public async Task QuietHours_DirectContactHeldUntilCritical_OnCallPrimaryAlwaysPaged()
    {
        // 12:00 UTC is 21:00 in Tokyo (Dana's quiet hours 20:00–08:00) and 07:00 in New York (Ana's 06:00–08:00, EST).
        var dana = await alerts.ContactAsync(ws, "Dana", quiet: new QuietHours(new TimeOnly(20, 0), new TimeOnly(8, 0), "Asia/Tokyo"));
        await alerts.Config.UpdateContactAsync(ana with { QuietHours = new QuietHours(new TimeOnly(6, 0), new TimeOnly(8, 0), "America/New_York") }, None);
        await alerts.RuleAsync(ws, topic, contacts: [dana.Id], channels: [mail.Id]);

        await alerts.ProcessAsync(Detection(ws, topic, DetectionSeverity.High));
        var alert = await alerts.SingleActiveAsync(ws);
        Assert.Equal(["ana@example.com"], (await alerts.DeliveriesAsync(ws, alert.Id)).Where(d => d.Channel == ChannelKind.Email).Select(d => d.Recipient));
        var suppressed = Assert.Single(await alerts.EventsAsync(ws, alert.Id), e => e.Kind == AlertEventKind.Suppressed);
        Assert.Equal("Dana not notified: quiet hours (20:00–08:00 Asia/Tokyo)", suppressed.Detail);

        store.Clock.Now = Now.AddMinutes(1);
        await alerts.ProcessAsync(Detection(ws, topic, DetectionSeverity.Critical));
        Assert.Equal(["ana@example.com", "ana@example.com", "dana@example.com"], (await alerts.DeliveriesAsync(ws, alert.Id)).Where(d => d.Channel == ChannelKind.Email).Select(d => d.Recipient));
    }

    [StoreFact]
    public async Task QuietHours_EscalationSkipsABackupAsleep_UnlessCritical()
    {
        await alerts.Config.UpdateContactAsync(ben with { QuietHours = new QuietHours(new TimeOnly(20, 0), new TimeOnly(8, 0), "Asia/Tokyo") }, None);
        await alerts.ProcessAsync(Detection(ws, topic, DetectionSeverity.High), Detection(ws, 0, DetectionSeverity.Critical));
        var list = await alerts.Alerts.ListAsync(ws, new AlertFilter(), None);

        store.Clock.Now = Now.AddMinutes(5);
        await alerts.Manager.TickAsync(None);

        Assert.Equal("cleo@example.com", (await alerts.DeliveriesAsync(ws, list.Single(a => a.TopicId == topic).Id)).Last(d => d.Channel == ChannelKind.Email).Recipient);
        Assert.Equal("ben@example.com", (await alerts.DeliveriesAsync(ws, list.Single(a => a.TopicId == 0).Id)).Last(d => d.Channel == ChannelKind.Email).Recipient);
        Assert.Contains(await alerts.EventsAsync(ws, list.Single(a => a.TopicId == topic).Id), e => e.Detail == "escalation skipped Ben: quiet hours (20:00–08:00 Asia/Tokyo)");
    }

    [StoreFact]
    public async Task Promote_MarksOnce_AndKeepsTheIncidentIdTheOpenerReturns()
    {
        var opener = new CountingOpener();
        var harness = new AlertHarness(store, incidents: opener);
        await harness.ProcessAsync(Detection(ws, topic, DetectionSeverity.High));
        var alert = await harness.SingleActiveAsync(ws);

        store.Clock.Now = Now.AddMinutes(3);
        var promoted = await harness.Manager.PromoteAsync(ws, alert.Id, "ana", "board wants a war room", None);
        var again = await harness.Manager.PromoteAsync(ws, alert.Id, "ben", null, None);

        Assert.Equal(AlertActionStatus.Done, promoted.Status);
        Assert.Equal(("INC-1", Now.AddMinutes(3), "ana"), (promoted.Alert!.IncidentId, promoted.Alert.PromotedAt, promoted.Alert.PromotedBy));
        Assert.Equal(AlertActionStatus.Unchanged, again.Status);
        Assert.Equal(1, opener.Calls);
        Assert.Equal((AlertState.Acknowledged, Now.AddMinutes(3), "ana"), (promoted.Alert.State, promoted.Alert.AcknowledgedAt, promoted.Alert.AcknowledgedBy)); // opening an incident acknowledges
        Assert.Equal(["promoted to an incident by ana: board wants a war room", "incident INC-1 opened"],
            (await harness.EventsAsync(ws, alert.Id)).Where(e => e.Kind == AlertEventKind.Promoted).Select(e => e.Detail));

        var recording = await alerts.Manager.PromoteAsync(ws, (await alerts.Alerts.SaveAsync(new AlertChange(Alert.Open(Detection(ws, 9, DetectionSeverity.High), [-1], Now), [], []), None))!.Id, "ana", null, None);
        Assert.Null(recording.Alert!.IncidentId);
        Assert.NotNull(recording.Alert.PromotedAt);
        Assert.Single(((RecordingIncidentOpener)alerts.Incidents).Requests);
    }

    [StoreFact]
    public async Task Actions_OnAnotherWorkspacesAlert_AreNotFound()
    {
        var other = await store.AddWorkspaceAsync("other");
        await alerts.ProcessAsync(Detection(ws, topic, DetectionSeverity.High));
        var alert = await alerts.SingleActiveAsync(ws);

        Assert.Equal(AlertActionStatus.NotFound, (await alerts.Manager.AcknowledgeAsync(other, alert.Id, "x", None)).Status);
        Assert.Equal(AlertActionStatus.NotFound, (await alerts.Manager.ResolveAsync(other, alert.Id, "x", null, None)).Status);
        Assert.Equal(AlertActionStatus.NotFound, (await alerts.Manager.SnoozeAsync(other, alert.Id, Now.AddHours(1), "x", None)).Status);
        Assert.Equal(AlertActionStatus.NotFound, (await alerts.Manager.PromoteAsync(other, alert.Id, "x", null, None)).Status);
        Assert.Equal(AlertState.Open, (await alerts.Alerts.GetAsync(ws, alert.Id, None))!.State);
    }

    [StoreFact]
    public async Task TwoNodes_SameEpisodeAtOnce_StillOneAlertHoldingEveryDetection()
    {
        var second = alerts.NewManager();
        var batches = Enumerable.Range(0, 10).Select(i => new[] { Detection(ws, topic, i % 3 == 0 ? DetectionSeverity.High : DetectionSeverity.Medium) }).ToList();

        await Task.WhenAll(batches.Select((batch, i) => Task.Run(() => (i % 2 == 0 ? alerts.Manager : second).ProcessAsync(batch, None))));

        var alert = await alerts.SingleActiveAsync(ws);
        Assert.Equal(10, alert.DetectionCount);
        Assert.Equal(DetectionSeverity.High, alert.Severity);
        Assert.Equal(1, await store.ScalarAsync("SELECT count(*) FROM alerts"));
    }

    private sealed class CountingOpener : IIncidentOpener
    {
        public int Calls { get; private set; }

        public Task<string?> OpenAsync(IncidentRequest request, CancellationToken cancellationToken) => Task.FromResult<string?>("INC-" + ++Calls);
    }
}

public sealed class SqliteAlertLifecycleTests() : AlertLifecycleTests(StoreProvider.Sqlite);

[RequiresPostgres]
public sealed class PostgresAlertLifecycleTests() : AlertLifecycleTests(StoreProvider.Postgres);
