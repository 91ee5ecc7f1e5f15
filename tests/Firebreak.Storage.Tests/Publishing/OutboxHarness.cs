namespace Firebreak.Storage.Tests.Publishing;

using Firebreak.Core.Incidents;
using Firebreak.Core.Mentions;
using Firebreak.Core.Publishing;
using Firebreak.Core.Publishing.Holds;
using Firebreak.Core.Publishing.Outbox;
using Firebreak.Core.Publishing.Platforms;
using Firebreak.Core.Security;
using Microsoft.Extensions.DependencyInjection;

/// <summary>
/// A real store (SQLite or PostgreSQL, migrated as the app does), real Mastodon and Bluesky stubs on loopback, the real
/// publish clients over HTTP, and senders created on demand: a new sender over the same store is a restarted process.
/// </summary>
internal sealed class OutboxHarness : IAsyncDisposable
{
    public const string MastodonKey = "mastodon:@brand@stub";
    public const string BlueskyKey = "bluesky:brand.test";

    private int senders;

    private OutboxHarness(TestStore store, long workspace, MastodonStub mastodon, BlueskyStub bluesky, TimeSpan clientTimeout)
    {
        Store = store;
        Workspace = workspace;
        Mastodon = mastodon;
        Bluesky = bluesky;
        Http = new HttpClient { Timeout = clientTimeout };
        Accounts.Add(new PlatformAccount(workspace, MastodonKey, Platform.Mastodon, mastodon.BaseUri, "brand", MastodonStub.Token, null));
        Accounts.Add(new PlatformAccount(workspace, BlueskyKey, Platform.Bluesky, bluesky.BaseUri, BlueskyStub.Handle, BlueskyStub.AppPassword, null));
        Publishers = [new MastodonPublisher(Http, store.Clock), new BlueskyPublisher(Http, store.Clock)];
    }

    public TestStore Store { get; }

    public long Workspace { get; }

    public MastodonStub Mastodon { get; }

    public BlueskyStub Bluesky { get; }

    public HttpClient Http { get; }

    public FixedClock Clock => Store.Clock;

    public InMemoryAccounts Accounts { get; } = new();

    public RecordingOutcomes Outcomes { get; } = new();

    public RecordingAlertSink Alerts { get; } = new();

    public IReadOnlyList<IPlatformPublisher> Publishers { get; }

    public IOutboxStore Outbox => Store.Services.GetRequiredService<IOutboxStore>();

    public IPublishQueue Queue => Store.Services.GetRequiredService<IPublishQueue>();

    public OutboxOptions Options { get; } = new() { Lease = TimeSpan.FromMinutes(2), FirstBackoff = TimeSpan.FromSeconds(30), MaxBackoff = TimeSpan.FromMinutes(30) };

    public static async Task<OutboxHarness> OpenAsync(StoreProvider provider, TimeSpan? clientTimeout = null)
    {
        var store = await TestStore.OpenAsync(provider);
        var workspace = await store.AddWorkspaceAsync();
        var mastodon = new MastodonStub();
        await mastodon.StartAsync();
        var bluesky = new BlueskyStub();
        await bluesky.StartAsync();
        return new OutboxHarness(store, workspace, mastodon, bluesky, clientTimeout ?? TimeSpan.FromSeconds(10));
    }

    /// <summary>A fresh sender (a new process, as far as the store can tell), optionally with a fault hook and a pre-publish check.</summary>
    public OutboxSender NewSender(Func<SendStep, OutboxItem, ValueTask>? fault = null, IPrePublishCheck? check = null)
    {
        var n = Interlocked.Increment(ref senders);
        var options = new OutboxOptions
        {
            Node = $"sender-{n}",
            Lease = Options.Lease,
            FirstBackoff = Options.FirstBackoff,
            MaxBackoff = Options.MaxBackoff,
            MaxAttempts = Options.MaxAttempts,
            Fault = fault,
        };
        return new OutboxSender(Outbox, Publishers, [Accounts], check is null ? [] : [check], [Outcomes], options, Clock);
    }

    public ActiveHolds ActiveHolds() => new(Outbox);

    public PublishHoldService Holds() => new(Outbox, Store.Services.GetRequiredService<IIncidentStore>(), Store.Services.GetRequiredService<IAuditStore>(), [Outcomes], Clock);

    public PublisherWatchdog Watchdog(TimeSpan? stallAfter = null) => new(Outbox, Alerts, new OutboxOptions { StallAfter = stallAfter ?? TimeSpan.FromMinutes(3) }, Clock);

    public RoguePostMonitor Rogue() => new(Outbox, [Accounts], Publishers, Alerts, Clock);

    public static IncidentActor Ana { get; } = new(7, "Ana");

    public Task<bool> EnqueueAsync(long postId, Platform platform, string text, DateTimeOffset? dueAt = null, string? campaign = null, int revision = 1) =>
        Queue.EnqueueAsync(new OutboxRequest(Workspace, postId, revision, platform, platform == Platform.Mastodon ? MastodonKey : BlueskyKey, text, [], dueAt ?? Clock.Now, campaign), CancellationToken.None);

    public async Task<OutboxItem> ItemAsync(long postId) =>
        (await Outbox.ListAsync(Workspace, null, 1000, CancellationToken.None)).Single(i => i.PostId == postId);

    public IReadOnlyList<string> TextsOn(Platform platform) => platform == Platform.Mastodon ? Mastodon.Texts : Bluesky.Texts;

    public LoopbackServer Stub(Platform platform) => platform == Platform.Mastodon ? Mastodon : Bluesky;

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Mastodon.DisposeAsync();
        await Bluesky.DisposeAsync();
        await Store.DisposeAsync();
    }
}
