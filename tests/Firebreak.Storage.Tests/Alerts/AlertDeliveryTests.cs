using Firebreak.Core.Alerts;
using Firebreak.Core.Alerts.Channels;
using Firebreak.Core.Alerts.Channels.Email;
using Firebreak.Core.Detection;
using Firebreak.Tests.Shared;
using static Firebreak.Storage.Tests.Alerts.AlertHarness;

namespace Firebreak.Storage.Tests.Alerts;

/// <summary>
/// The dispatcher on each provider, sending to real receivers on loopback: retries with backoff and Retry-After,
/// exactly one successful delivery, the dead-letter list and retrying from it, claims of a dispatcher that died.
/// </summary>
public abstract class AlertDeliveryTests(StoreProvider provider) : IAsyncLifetime
{
    private const string Secret = "whsec-0123456789abcdef";
    private static readonly AlertOptions Fast = new() { RetryBase = TimeSpan.FromMilliseconds(200), RetryMax = TimeSpan.FromSeconds(5), MaxAttempts = 5, AttemptTimeout = TimeSpan.FromSeconds(10) };
    private readonly TestHttpReceiver receiver = new();
    private TestStore store = null!;
    private AlertHarness alerts = null!;
    private AlertHttp http = null!;
    private long ws;

    public async Task InitializeAsync()
    {
        store = await TestStore.OpenAsync(provider);
        alerts = new AlertHarness(store, Fast);
        http = new AlertHttp(TimeProvider.System);
        ws = await store.AddWorkspaceAsync();
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await receiver.DisposeAsync();
        await store.DisposeAsync();
    }

    [StoreFact]
    public async Task Webhook_500_429_500_Then200_RetriedWithBackoffAndRetryAfter_DeliveredOnce()
    {
        // The receiver checks every signature as a real one would: a bad one would be a 401 (and a dead letter).
        receiver.Respond = (n, r) => !Signed(r) ? new Answer(401) : n switch
        {
            0 => new Answer(500),
            1 => new Answer(429, new Dictionary<string, string> { ["Retry-After"] = "1" }),
            2 => new Answer(503),
            _ => Answer.Ok,
        };
        var alert = await OpenWithWebhookAsync();
        var dispatcher = Dispatcher(TimeProvider.System);

        await RunUntilAsync(dispatcher, async () => (await alerts.DeliveriesAsync(ws, alert.Id)).Single(d => d.Channel == ChannelKind.Webhook).State != DeliveryState.Pending);

        var requests = receiver.Requests.ToArray();
        Assert.Equal([500, 429, 503, 200], requests.Select(r => r.AnsweredStatus));
        Assert.All(requests, r => Assert.True(Signed(r)));
        Assert.Single(requests.Select(r => r.Headers["X-Firebreak-Delivery"]).Distinct());
        Assert.Single(requests.Select(r => Convert.ToBase64String(r.Body)).Distinct());

        // Each gap is at least the backoff (half of 200 ms · 2^(n-1), the jitter's floor), or the receiver's Retry-After.
        var schedule = new RetrySchedule(Fast, new Random(0));
        Assert.True(requests[1].At - requests[0].At >= schedule.Minimum(1), $"gap 1: {requests[1].At - requests[0].At}");
        Assert.True(requests[2].At - requests[1].At >= TimeSpan.FromSeconds(1), $"gap 2 (Retry-After: 1): {requests[2].At - requests[1].At}");
        Assert.True(requests[3].At - requests[2].At >= schedule.Minimum(3), $"gap 3: {requests[3].At - requests[2].At}");

        var delivery = (await alerts.DeliveriesAsync(ws, alert.Id)).Single(d => d.Channel == ChannelKind.Webhook);
        Assert.Equal((DeliveryState.Delivered, 4, (string?)null), (delivery.State, delivery.Attempts, delivery.LastError));
        var notified = Assert.Single(await alerts.EventsAsync(ws, alert.Id), e => e.Kind == AlertEventKind.Notified && e.Channel == ChannelKind.Webhook);
        Assert.Equal("notified via webhook 'Ops bridge' (alert.opened)", notified.Detail);
        await Task.Delay(300);
        Assert.Equal(0, await dispatcher.DispatchDueAsync(None));
        Assert.Equal(4, receiver.Requests.Count);
    }

    [StoreFact]
    public async Task Webhook_AlwaysFailing_EndsInTheDeadLetterList_AndRetryingItDelivers()
    {
        receiver.Respond = (_, _) => new Answer(503);
        var alert = await OpenWithWebhookAsync();
        var dispatcher = Dispatcher(TimeProvider.System);

        await RunUntilAsync(dispatcher, async () => (await alerts.Outbox.ListDeadAsync(ws, 10, None)).Count == 1);

        var dead = Assert.Single(await alerts.Outbox.ListDeadAsync(ws, 10, None));
        Assert.Equal((Fast.MaxAttempts, ChannelKind.Webhook), (dead.Attempts, dead.Channel));
        Assert.StartsWith("HTTP 503", dead.LastError, StringComparison.Ordinal);
        Assert.Equal(Fast.MaxAttempts, receiver.Requests.Count);
        var failed = Assert.Single(await alerts.EventsAsync(ws, alert.Id), e => e.Kind == AlertEventKind.DeliveryFailed);
        Assert.Equal($"delivery via webhook 'Ops bridge' (alert.opened) failed (gave up after {Fast.MaxAttempts} attempts): HTTP 503 Service Unavailable", failed.Detail);

        receiver.Respond = (_, _) => Answer.Ok;
        Assert.NotNull(await alerts.Outbox.RetryDeadAsync(ws, dead.Id, TimeProvider.System.GetUtcNow(), None));
        await RunUntilAsync(dispatcher, async () => (await alerts.DeliveriesAsync(ws, alert.Id)).Single(d => d.Id == dead.Id).State == DeliveryState.Delivered);
        Assert.Empty(await alerts.Outbox.ListDeadAsync(ws, 10, None));
        Assert.Equal(Fast.MaxAttempts + 1, receiver.Requests.Count);
    }

    [StoreFact]
    public async Task Webhook_PermanentAnswer_DeadLettersAtOnce()
    {
        receiver.Respond = (_, _) => new Answer(410);
        await OpenWithWebhookAsync();

        await RunUntilAsync(Dispatcher(TimeProvider.System), async () => (await alerts.Outbox.ListDeadAsync(ws, 10, None)).Count == 1);

        Assert.Single(receiver.Requests);
        Assert.Equal(1, (await alerts.Outbox.ListDeadAsync(ws, 10, None))[0].Attempts);
    }

    [StoreFact]
    public async Task ClaimedByADispatcherThatDied_SentAfterTheClaimExpires_SurvivingARestart()
    {
        var alert = await OpenWithWebhookAsync();
        var claimed = await alerts.Outbox.ClaimDueAsync(store.Clock.Now, 10, Fast.ClaimFor, None);
        Assert.Equal(2, claimed.Count);

        // A new process: fresh dispatcher and channels over the same store.
        var restarted = Dispatcher(store.Clock);
        Assert.Equal(0, await restarted.DispatchDueAsync(None));
        store.Clock.Now += Fast.ClaimFor;
        using var live = alerts.Live.Subscribe(ws);
        Assert.Equal(2, await restarted.DispatchDueAsync(None));

        Assert.Single(receiver.Requests);
        Assert.All(await alerts.DeliveriesAsync(ws, alert.Id), d => Assert.Equal(DeliveryState.Delivered, d.State));
        Assert.True(live.Reader.TryRead(out var inApp));
        Assert.Equal(("notification", NotificationReason.Opened), (inApp.Type, inApp.Notification!.Reason));
    }

    [StoreFact]
    public async Task TargetDeletedOrUndecryptable_DeadLettersWithTheReason()
    {
        var alert = await OpenWithWebhookAsync();
        var hook = (await alerts.Config.ListChannelsAsync(ws, None)).Single();
        await alerts.Config.DeleteChannelAsync(ws, hook.Id, None);

        await Dispatcher(store.Clock).DispatchDueAsync(None);

        var dead = Assert.Single(await alerts.Outbox.ListDeadAsync(ws, 10, None));
        Assert.Equal("the channel target was deleted", dead.LastError);
        Assert.Empty(receiver.Requests);
        Assert.Equal(DeliveryState.Delivered, (await alerts.DeliveriesAsync(ws, alert.Id)).Single(d => d.Channel == ChannelKind.InApp).State);

        var stranger = await alerts.Config.AddChannelAsync(hook with { Secret = new Core.Secrets.AesGcmSecretProtector(new byte[32]).Protect(Secret, ChannelTarget.SecretPurpose(ws)) }, None);
        await alerts.RuleAsync(ws, 0, channels: [stranger.Id]);
        await alerts.ProcessAsync(Detection(ws, 0, DetectionSeverity.High, dimension: "language:fr"));
        await Dispatcher(store.Clock).DispatchDueAsync(None);
        Assert.Contains(await alerts.Outbox.ListDeadAsync(ws, 10, None), d => d.LastError!.StartsWith("cannot decrypt the target's secret: This secret was encrypted with key", StringComparison.Ordinal));
    }

    [StoreFact]
    public async Task Email_ThroughTheDispatcher_ReachesThePersonOnCall()
    {
        await using var smtp = new TestSmtpServer();
        await alerts.ContactAsync(ws, "Ana", 0);
        await alerts.EmailTargetAsync(ws, "127.0.0.1", smtp.Port, SmtpSecurity.None);
        await alerts.ProcessAsync(Detection(ws, 0, DetectionSeverity.High));
        var alert = await alerts.SingleActiveAsync(ws);

        await alerts.Dispatcher(store.Clock, new EmailChannel(new SmtpSender(), store.Clock), new InAppChannel(alerts.Live)).DispatchDueAsync(None);

        var mail = Assert.Single(await smtp.WaitForAsync(1));
        Assert.Equal(["ana@example.com"], mail.Recipients);
        Assert.Equal("[High] Negative volume · Whole stream — New alert", MimeParts.DecodeWords(MimeParts.Parse(mail.Data).Headers["Subject"]));
        Assert.Contains(await alerts.EventsAsync(ws, alert.Id), e => e.Detail == "notified Ana <ana@example.com> via email 'Ops mail' (alert.opened)");
    }

    private static bool Signed(ReceivedRequest request) =>
        WebhookSignature.Verify(Secret, request.Headers.GetValueOrDefault("X-Firebreak-Timestamp"), request.Headers.GetValueOrDefault("X-Firebreak-Signature"), request.Body, TimeProvider.System.GetUtcNow(), TimeSpan.FromMinutes(5));

    private AlertDispatcher Dispatcher(TimeProvider clock) => alerts.Dispatcher(clock, new WebhookChannel(http, clock), new InAppChannel(alerts.Live));

    private async Task<Alert> OpenWithWebhookAsync()
    {
        var hook = await alerts.WebhookTargetAsync(ws, receiver.Url(), Secret);
        await alerts.RuleAsync(ws, 0, channels: [hook.Id], onCall: false);
        await alerts.ProcessAsync(Detection(ws, 0, DetectionSeverity.High));
        return await alerts.SingleActiveAsync(ws);
    }

    private static async Task RunUntilAsync(AlertDispatcher dispatcher, Func<Task<bool>> done) =>
        await Poll.UntilAsync(
            async () =>
            {
                await dispatcher.DispatchDueAsync(None);
                return await done();
            },
            TimeSpan.FromSeconds(40),
            () => "the deliveries did not settle");
}

public sealed class SqliteAlertDeliveryTests() : AlertDeliveryTests(StoreProvider.Sqlite);

[RequiresPostgres]
public sealed class PostgresAlertDeliveryTests() : AlertDeliveryTests(StoreProvider.Postgres);
