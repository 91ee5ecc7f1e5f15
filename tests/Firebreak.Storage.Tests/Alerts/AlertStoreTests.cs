using Firebreak.Core.Alerts;
using Firebreak.Core.Detection;
using static Firebreak.Storage.Tests.Alerts.AlertHarness;

namespace Firebreak.Storage.Tests.Alerts;

/// <summary>The alert tables on each provider: configuration, optimistic saves, one active alert per episode, the outbox.</summary>
public abstract class AlertStoreTests(StoreProvider provider) : IAsyncLifetime
{
    private TestStore store = null!;
    private AlertHarness alerts = null!;
    private long workspace;
    private long other;

    public async Task InitializeAsync()
    {
        store = await TestStore.OpenAsync(provider);
        alerts = new AlertHarness(store);
        workspace = await store.AddWorkspaceAsync();
        other = await store.AddWorkspaceAsync("other");
    }

    public async Task DisposeAsync() => await store.DisposeAsync();

    [StoreFact]
    public async Task Contacts_RoundTripWithQuietHours_AndStayInTheirWorkspace()
    {
        var quiet = new QuietHours(new TimeOnly(22, 30), new TimeOnly(6, 45), "Asia/Kolkata");
        var ana = await alerts.Config.AddContactAsync(new AlertContact(0, workspace, "Ana Núñez", "ana@example.com", 0, quiet, true, default, default), None);

        Assert.Equal(ana, await alerts.Config.GetContactAsync(workspace, ana.Id, None));
        Assert.Equal(quiet, ana.QuietHours);
        Assert.Equal(TestStore.Now, ana.CreatedAt);
        Assert.Null(await alerts.Config.GetContactAsync(other, ana.Id, None));
        Assert.Null(await alerts.Config.UpdateContactAsync(ana with { WorkspaceId = other, Name = "x" }, None));
        Assert.False(await alerts.Config.DeleteContactAsync(other, ana.Id, None));

        store.Clock.Now = TestStore.Now.AddMinutes(1);
        var updated = await alerts.Config.UpdateContactAsync(ana with { Name = "Ana", OnCallOrder = null, QuietHours = null, Enabled = false }, None);
        Assert.Equal(ana with { Name = "Ana", OnCallOrder = null, QuietHours = null, Enabled = false, UpdatedAt = TestStore.Now.AddMinutes(1) }, updated);
        Assert.True(await alerts.Config.DeleteContactAsync(workspace, ana.Id, None));
        Assert.Empty(await alerts.Config.ListContactsAsync(workspace, None));
    }

    [StoreFact]
    public async Task Channels_SecretKeptWhenAnUpdateLeavesItOut()
    {
        var hook = await alerts.WebhookTargetAsync(workspace, "https://hooks.example.com/a", "first-secret-0123456");

        var renamed = await alerts.Config.UpdateChannelAsync(hook with { Name = "Renamed", Secret = null, Settings = new ChannelSettings(Url: "https://hooks.example.com/b") }, None);
        var rekeyed = await alerts.Config.UpdateChannelAsync(hook with { Secret = alerts.Protector.Protect("second-secret-01234", ChannelTarget.SecretPurpose(workspace)) }, None);

        Assert.Equal(hook.Secret, renamed!.Secret);
        Assert.Equal("https://hooks.example.com/b", renamed.Settings.Url);
        Assert.Equal("second-secret-01234", alerts.Protector.Unprotect(rekeyed!.Secret!, ChannelTarget.SecretPurpose(workspace)));
        Assert.Null(await alerts.Config.GetChannelAsync(other, hook.Id, None));
        Assert.DoesNotContain("first-secret", await store.TextAsync("SELECT secret FROM alert_channels") ?? string.Empty, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task Rules_RoundTripListsAndNullTopic()
    {
        var rule = new AlertRule(0, workspace, null, "Everything", [DetectionSignal.ViralItem, DetectionSignal.Volume], DetectionSeverity.High, true, [3, 4], ["ops@example.com"], false, [9], TimeSpan.FromMinutes(2.5), true);

        var added = await alerts.Config.AddRuleAsync(rule, None);
        var moved = await alerts.Config.UpdateRuleAsync(added with { TopicId = 0, Enabled = false }, None);

        Same(rule with { Id = added.Id }, added);
        Assert.Equal(0, moved!.TopicId);
        Assert.False(moved.Enabled);
        Same<IReadOnlyList<AlertRule>>([moved], await alerts.Config.ListRulesAsync(workspace, None));
        Assert.Empty(await alerts.Config.ListRulesAsync(other, None));
    }

    [StoreFact]
    public async Task Save_InsertThenUpdate_RefusesStaleVersionsAndASecondActiveAlertPerEpisode()
    {
        var first = Alert.Open(Detection(workspace, 3, DetectionSeverity.High), [-1], TestStore.Now);
        var saved = await alerts.Alerts.SaveAsync(new AlertChange(first, [new AlertEventDraft(AlertEventKind.Opened, TestStore.Now, "system", "opened", DetectionSeverity.High)], []), None);

        Assert.NotNull(saved);
        Assert.Equal(1, saved.Version);
        Same(saved, await alerts.Alerts.GetAsync(workspace, saved.Id, None));
        Assert.Null(await alerts.Alerts.SaveAsync(new AlertChange(first, [], []), None));
        Same(saved, await alerts.Alerts.FindActiveAsync(workspace, 3, DetectionSignal.NegativeVolume, "", None));

        var grown = await alerts.Alerts.SaveAsync(new AlertChange(saved with { DetectionCount = 2 }, [], []), None);
        Assert.Equal(2, grown!.Version);
        Assert.Null(await alerts.Alerts.SaveAsync(new AlertChange(saved with { DetectionCount = 5 }, [], []), None));
        Assert.Equal(2, (await alerts.Alerts.GetAsync(workspace, saved.Id, None))!.DetectionCount);

        var resolved = await alerts.Alerts.SaveAsync(new AlertChange(grown with { State = AlertState.Resolved }, [], []), None);
        var next = await alerts.Alerts.SaveAsync(new AlertChange(first, [], []), None);
        Assert.NotNull(resolved);
        Assert.NotNull(next);
        Assert.NotEqual(saved.Id, next.Id);
        Assert.Null(await alerts.Alerts.GetAsync(other, saved.Id, None));
    }

    [StoreFact]
    public async Task Save_EventsAndDeliveriesBelongToTheSavedAlert()
    {
        var opened = Alert.Open(Detection(workspace, 3, DetectionSeverity.High), [-1], TestStore.Now);
        var notification = new AlertNotification(NotificationReason.Opened, 0, 0, workspace, "acme", "acme", 3, "Refunds", DetectionSignal.NegativeVolume, "", AlertState.Open,
            DetectionSeverity.High, null, 0.8, 80, 10, 1, "why", ["refund"], [1], TestStore.Now, TestStore.Now, TestStore.Now, null, [new PagedPerson(1, "Ana", "ana@example.com", true)]);

        var saved = await alerts.Alerts.SaveAsync(new AlertChange(opened, [new AlertEventDraft(AlertEventKind.Opened, TestStore.Now, "system", "opened", DetectionSeverity.High)],
            [new DeliveryDraft(ChannelKind.InApp, null, null, null, notification), new DeliveryDraft(ChannelKind.Email, 5, "ana@example.com", "Ana", notification)]), None);

        var events = await alerts.EventsAsync(workspace, saved!.Id);
        var deliveries = await alerts.DeliveriesAsync(workspace, saved.Id);
        Assert.Equal([AlertEventKind.Opened], events.Select(e => e.Kind));
        Assert.Equal([ChannelKind.InApp, ChannelKind.Email], deliveries.Select(d => d.Channel));
        Assert.All(deliveries, d => Assert.Equal((saved.Id, 1L, DeliveryState.Pending, 0), (d.Notification.AlertId, d.Notification.Sequence, d.State, d.Attempts)));
        Same(notification with { AlertId = saved.Id, Sequence = 1 }, deliveries[1].Notification);
        Assert.Equal(("ana@example.com", "Ana", 5L), (deliveries[1].Recipient, deliveries[1].RecipientName, deliveries[1].TargetId));
        Assert.Empty(await alerts.Alerts.ListEventsAsync(other, saved.Id, None));
    }

    [StoreFact]
    public async Task List_FiltersAndPagesNewestFirst()
    {
        var ids = new List<long>();
        foreach (var (topic, severity, signal) in new[] { (1L, DetectionSeverity.Low, DetectionSignal.Volume), (1L, DetectionSeverity.High, DetectionSignal.NegativeShare), (2L, DetectionSeverity.Critical, DetectionSignal.ViralItem), (2L, DetectionSeverity.Medium, DetectionSignal.Volume) })
        {
            ids.Add((await alerts.Alerts.SaveAsync(new AlertChange(Alert.Open(Detection(workspace, topic, severity, signal), [-1], TestStore.Now), [], []), None))!.Id);
        }

        var resolved = (await alerts.Alerts.GetAsync(workspace, ids[1], None))!;
        await alerts.Alerts.SaveAsync(new AlertChange(resolved with { State = AlertState.Resolved }, [], []), None);

        async Task<long[]> List(AlertFilter filter) => [.. (await alerts.Alerts.ListAsync(workspace, filter, None)).Select(a => a.Id)];
        Assert.Equal(ids.AsEnumerable().Reverse(), await List(new AlertFilter()));
        Assert.Equal([ids[3], ids[2], ids[0]], await List(new AlertFilter(States: [AlertState.Open])));
        Assert.Equal([ids[1], ids[0]], await List(new AlertFilter(TopicId: 1)));
        Assert.Equal([ids[2], ids[1]], await List(new AlertFilter(MinSeverity: DetectionSeverity.High)));
        Assert.Equal([ids[3], ids[0]], await List(new AlertFilter(Signal: DetectionSignal.Volume)));
        Assert.Equal([ids[3], ids[2]], await List(new AlertFilter(Limit: 2)));
        Assert.Equal([ids[1], ids[0]], await List(new AlertFilter(BeforeId: ids[2], Limit: 2)));
        Assert.Empty(await alerts.Alerts.ListAsync(other, new AlertFilter(), None));
        Assert.Equal([ids[0], ids[2], ids[3]], (await alerts.Alerts.ListActiveAsync(100, None)).Select(a => a.Id));
    }

    [StoreFact]
    public async Task Outbox_ClaimCompleteRescheduleDeadLetterRetry()
    {
        var saved = await SaveWithDeliveriesAsync(3);
        var now = TestStore.Now;

        var claimed = await alerts.Outbox.ClaimDueAsync(now, 2, TimeSpan.FromMinutes(2), None);
        Assert.Equal(2, claimed.Count);
        Assert.Single(await alerts.Outbox.ClaimDueAsync(now, 10, TimeSpan.FromMinutes(2), None));
        Assert.Empty(await alerts.Outbox.ClaimDueAsync(now.AddMinutes(1), 10, TimeSpan.FromMinutes(2), None));

        await alerts.Outbox.CompleteAsync(claimed[0], now, new AlertEventDraft(AlertEventKind.Notified, now, "system", "notified in-app", DetectionSeverity.High, ChannelKind.InApp), None);
        await alerts.Outbox.RescheduleAsync(claimed[1], now.AddSeconds(30), "HTTP 503", now, None);

        // The third was claimed by a dispatcher that never came back: after its claim it is due again.
        var again = await alerts.Outbox.ClaimDueAsync(now.AddMinutes(3), 10, TimeSpan.FromMinutes(2), None);
        Assert.Equal(2, again.Count);
        var rescheduled = again.Single(d => d.Id == claimed[1].Id);
        Assert.Equal((1, "HTTP 503", now.AddSeconds(30)), (rescheduled.Attempts, rescheduled.LastError, rescheduled.NextAttemptAt));

        await alerts.Outbox.DeadLetterAsync(rescheduled, "HTTP 503 again", now.AddMinutes(3), new AlertEventDraft(AlertEventKind.DeliveryFailed, now, "system", "gave up", DetectionSeverity.High), None);
        var dead = Assert.Single(await alerts.Outbox.ListDeadAsync(workspace, 10, None));
        Assert.Equal((DeliveryState.Dead, 2, "HTTP 503 again"), (dead.State, dead.Attempts, dead.LastError));
        Assert.Empty(await alerts.Outbox.ListDeadAsync(other, 10, None));
        Assert.Null(await alerts.Outbox.RetryDeadAsync(other, dead.Id, now, None));
        Assert.Null(await alerts.Outbox.RetryDeadAsync(workspace, claimed[0].Id, now, None));

        var retried = await alerts.Outbox.RetryDeadAsync(workspace, dead.Id, now.AddMinutes(5), None);
        Assert.Equal((DeliveryState.Pending, 0, now.AddMinutes(5)), (retried!.State, retried.Attempts, retried.NextAttemptAt));
        Assert.Contains(await alerts.Outbox.ClaimDueAsync(now.AddMinutes(5), 10, TimeSpan.FromMinutes(2), None), d => d.Id == dead.Id);

        var all = await alerts.DeliveriesAsync(workspace, saved.Id);
        Assert.Equal(DeliveryState.Delivered, all.Single(d => d.Id == claimed[0].Id).State);
        Assert.Equal([AlertEventKind.Notified, AlertEventKind.DeliveryFailed], (await alerts.EventsAsync(workspace, saved.Id)).Select(e => e.Kind));
    }

    private async Task<Alert> SaveWithDeliveriesAsync(int count)
    {
        var opened = Alert.Open(Detection(workspace, 3, DetectionSeverity.High), [-1], TestStore.Now);
        var notification = new AlertNotification(NotificationReason.Opened, 0, 0, workspace, "acme", "acme", 3, "Refunds", DetectionSignal.NegativeVolume, "", AlertState.Open,
            DetectionSeverity.High, null, 0.8, 80, 10, 1, "why", [], [], TestStore.Now, TestStore.Now, TestStore.Now, null, []);
        return (await alerts.Alerts.SaveAsync(new AlertChange(opened, [], [.. Enumerable.Range(0, count).Select(_ => new DeliveryDraft(ChannelKind.InApp, null, null, null, notification))]), None))!;
    }
}

public sealed class SqliteAlertStoreTests() : AlertStoreTests(StoreProvider.Sqlite);

[RequiresPostgres]
public sealed class PostgresAlertStoreTests() : AlertStoreTests(StoreProvider.Postgres);
