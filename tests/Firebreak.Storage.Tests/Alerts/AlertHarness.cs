using Firebreak.Core.Alerts;
using Firebreak.Core.Alerts.Channels;
using Firebreak.Core.Detection;
using Firebreak.Core.Secrets;
using Firebreak.Core.Topics;
using Firebreak.Core.Workspaces;
using Microsoft.Extensions.DependencyInjection;

namespace Firebreak.Storage.Tests.Alerts;

/// <summary>
/// The alerting parts wired over a <see cref="TestStore"/> (its real stores, its fixed clock): a manager, and a
/// dispatcher whose clock and channels a test chooses.
/// </summary>
internal sealed class AlertHarness
{
    public AlertHarness(TestStore store, AlertOptions? options = null, IIncidentOpener? incidents = null)
    {
        Store = store;
        Options = options ?? new AlertOptions();
        Incidents = incidents ?? new RecordingIncidentOpener();
        Protector = new AesGcmSecretProtector(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        Manager = NewManager();
    }

    public TestStore Store { get; }

    public AlertOptions Options { get; }

    public IIncidentOpener Incidents { get; }

    public ISecretProtector Protector { get; }

    public AlertManager Manager { get; }

    public AlertLiveHub Live { get; } = new();

    public DeliveryWakeup Wakeup { get; } = new();

    public IAlertStore Alerts => Store.Services.GetRequiredService<IAlertStore>();

    public IAlertConfigStore Config => Store.Services.GetRequiredService<IAlertConfigStore>();

    public IAlertOutbox Outbox => Store.Services.GetRequiredService<IAlertOutbox>();

    public FixedClock Clock => Store.Clock;

    public static CancellationToken None => CancellationToken.None;

    /// <summary>Another manager over the same store, as another node would have.</summary>
    public AlertManager NewManager() => new(Alerts, Config, Store.Services.GetRequiredService<IWorkspaceStore>(), Store.Services.GetRequiredService<ITopicStore>(),
        Incidents, Live, Wakeup, Options, Clock);

    public AlertDispatcher Dispatcher(TimeProvider clock, params IAlertChannel[] channels) =>
        new(Outbox, Config, channels, Protector, new RetrySchedule(Options, new Random(7)), Options, clock);

    /// <summary>Records holding lists compare their lists by reference; this compares what they hold.</summary>
    public static void Same<T>(T expected, T actual) =>
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(expected), System.Text.Json.JsonSerializer.Serialize(actual));

    public static Detection Detection(long workspace, long topic, DetectionSeverity severity, DetectionSignal signal = DetectionSignal.NegativeVolume, string dimension = "", double score = 0.8, long[]? samples = null) =>
        new(workspace, topic, signal, dimension, TestStore.Now, TestStore.Now, severity, score, score * 100, 10, $"{signal} at {severity}", ["refund"], samples ?? [1]);

    public Task ProcessAsync(params Detection[] detections) => Manager.ProcessAsync(detections, None);

    public async Task<Alert> SingleActiveAsync(long workspace) =>
        Assert.Single(await Alerts.ListAsync(workspace, new AlertFilter(States: [AlertState.Open, AlertState.Acknowledged]), None));

    public async Task<List<AlertDelivery>> DeliveriesAsync(long workspace, long alertId) => [.. await Outbox.ListForAlertAsync(workspace, alertId, None)];

    public async Task<List<AlertEvent>> EventsAsync(long workspace, long alertId) => [.. await Alerts.ListEventsAsync(workspace, alertId, None)];

    public Task<AlertContact> ContactAsync(long workspace, string name, int? onCallOrder = null, QuietHours? quiet = null) =>
        Config.AddContactAsync(new AlertContact(0, workspace, name, name.ToLowerInvariant() + "@example.com", onCallOrder, quiet, true, default, default), None);

    public Task<ChannelTarget> EmailTargetAsync(long workspace, string host = "smtp.example.com", int port = 587, SmtpSecurity security = SmtpSecurity.StartTls) =>
        Config.AddChannelAsync(new ChannelTarget(0, workspace, ChannelKind.Email, "Ops mail", new ChannelSettings(Host: host, Port: port, Security: security, From: "alerts@example.com"), null, true, default, default), None);

    public Task<ChannelTarget> WebhookTargetAsync(long workspace, string url, string secret = "whsec-0123456789abcdef") =>
        Config.AddChannelAsync(new ChannelTarget(0, workspace, ChannelKind.Webhook, "Ops bridge", new ChannelSettings(Url: url), Protector.Protect(secret, ChannelTarget.SecretPurpose(workspace)), true, default, default), None);

    public Task<AlertRule> RuleAsync(long workspace, long? topic = null, IReadOnlyList<DetectionSignal>? signals = null, DetectionSeverity min = DetectionSeverity.Medium, bool onCall = true, long[]? contacts = null, long[]? channels = null, TimeSpan? escalateAfter = null, bool inApp = true) =>
        Config.AddRuleAsync(new AlertRule(0, workspace, topic, "rule", signals ?? DefaultAlertRules.SeriesSignals, min, onCall, contacts ?? [], [], inApp, channels ?? [], escalateAfter ?? AlertRule.DefaultEscalateAfter, true), None);
}
