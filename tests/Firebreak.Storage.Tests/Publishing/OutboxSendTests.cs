namespace Firebreak.Storage.Tests.Publishing;

using Firebreak.Core.Mentions;
using Firebreak.Core.Publishing;
using Firebreak.Core.Publishing.Outbox;
using Microsoft.AspNetCore.Http;

/// <summary>
/// Exactly-once sending against real loopback stubs of Mastodon and Bluesky: the sender is crashed at each step of a
/// send and a new sender over the same store finishes the job; platforms time out after accepting, rate-limit, fail
/// with 5xx and refuse with 422. Each test counts the posts the stub holds.
/// </summary>
public abstract class OutboxSendTests(StoreProvider provider) : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private OutboxHarness h = null!;

    public async Task InitializeAsync() => h = await OutboxHarness.OpenAsync(provider, TimeSpan.FromSeconds(1));

    public async Task DisposeAsync() => await h.DisposeAsync();

    public static TheoryData<Platform, SendStep, bool> CrashPoints => new()
    {
        { Platform.Mastodon, SendStep.BeforeCall, true },
        { Platform.Mastodon, SendStep.AfterCall, true },
        { Platform.Mastodon, SendStep.AfterRecord, true },
        // The stub forgets Idempotency-Keys (Mastodon keeps them an hour): only reading the account back prevents a duplicate.
        { Platform.Mastodon, SendStep.AfterCall, false },
        { Platform.Bluesky, SendStep.BeforeCall, true },
        { Platform.Bluesky, SendStep.AfterCall, true },
        { Platform.Bluesky, SendStep.AfterRecord, true },
    };

    [StoreTheory]
    [MemberData(nameof(CrashPoints))]
    public async Task CrashAtEachStepOfASend_ANewSenderFinishes_AndThePostAppearsExactlyOnce(Platform platform, SendStep step, bool keysHonoured)
    {
        h.Mastodon.HonourIdempotencyKeys = keysHonoured;
        const string text = "Our new store opens Monday 🎉 — مرحبا — see you there!\nDoors at 9.";
        Assert.True(await h.EnqueueAsync(1, platform, text));

        var crashing = h.NewSender(fault: (at, _) => at == step ? throw new SimulatedCrash(at.ToString()) : ValueTask.CompletedTask);
        await Assert.ThrowsAsync<SimulatedCrash>(() => crashing.RunOnceAsync(None));
        Assert.Equal(step == SendStep.BeforeCall ? 0 : 1, h.TextsOn(platform).Count);
        var afterCrash = await h.ItemAsync(1);
        Assert.Equal(step == SendStep.AfterRecord ? OutboxState.Sent : OutboxState.Sending, afterCrash.State);

        // Within the dead sender's lease nobody touches the item; after it, a new process reconciles and finishes.
        Assert.Equal(0, await h.NewSender().RunOnceAsync(None));
        Assert.Equal(step == SendStep.AfterRecord ? OutboxState.Sent : OutboxState.Sending, (await h.ItemAsync(1)).State);
        h.Clock.Now += h.Options.Lease + TimeSpan.FromSeconds(1);
        for (var pass = 0; pass < 3; pass++)
        {
            await h.NewSender().RunOnceAsync(None);
            h.Clock.Now += TimeSpan.FromMinutes(1);
        }

        var posted = Assert.Single(h.TextsOn(platform));
        Assert.Equal(text, posted);
        var item = await h.ItemAsync(1);
        Assert.Equal(OutboxState.Sent, item.State);
        Assert.NotNull(item.RemoteId);
        Assert.NotNull(item.RemoteUrl);
        var sent = Assert.Single(h.Outcomes.Outcomes, o => o.Kind == PublishOutcomeKind.Sent);
        Assert.Equal((1L, item.RemoteId), (sent.PostId, sent.RemoteId));
        if (platform == Platform.Bluesky)
        {
            Assert.Equal(item.IdempotencyKey, Assert.Single(h.Bluesky.RecordKeys));
        }
    }

    [StoreTheory]
    [InlineData(Platform.Mastodon)]
    [InlineData(Platform.Bluesky)]
    public async Task PlatformAcceptsThenTimesOut_TheRetryReconciles_AndThePostAppearsExactlyOnce(Platform platform)
    {
        h.Mastodon.HonourIdempotencyKeys = false;
        h.Stub(platform).DelayAfterAccept = TimeSpan.FromSeconds(3); // the client gives up after 1 s
        Assert.True(await h.EnqueueAsync(2, platform, "Timeout test post"));

        await h.NewSender().RunOnceAsync(None);
        var item = await h.ItemAsync(2);
        Assert.Equal(OutboxState.Scheduled, item.State);
        Assert.Contains("did not answer", item.LastError, StringComparison.Ordinal);
        Assert.True(item.NextAttemptAt > h.Clock.Now, "a transient failure waits before the next attempt");
        Assert.Single(h.TextsOn(platform));

        h.Stub(platform).DelayAfterAccept = TimeSpan.Zero;
        h.Clock.Now = item.NextAttemptAt;
        await h.NewSender().RunOnceAsync(None);

        Assert.Single(h.TextsOn(platform));
        Assert.Equal(1, h.Stub(platform).CreateRequests);
        Assert.Equal(OutboxState.Sent, (await h.ItemAsync(2)).State);
    }

    [StoreFact]
    public async Task Mastodon429WithRetryAfter_Then503_RetriesWithBackoff_ThenSendsOnce()
    {
        h.Mastodon.Script = n => n switch
        {
            0 => new StatusWithHeaders(429, "{\"error\":\"Too many requests\"}", ("Retry-After", "120"), ("X-RateLimit-Remaining", "0")),
            1 => new StatusWithHeaders(503, "{\"error\":\"Service Unavailable\"}"),
            _ => null,
        };
        Assert.True(await h.EnqueueAsync(3, Platform.Mastodon, "Retry me"));
        var start = h.Clock.Now;

        await h.NewSender().RunOnceAsync(None);
        var first = await h.ItemAsync(3);
        Assert.Equal((OutboxState.Scheduled, 1), (first.State, first.Attempts));
        Assert.StartsWith("429", first.LastError, StringComparison.Ordinal);
        Assert.Contains("Too many requests", first.LastError, StringComparison.Ordinal);
        Assert.True(first.NextAttemptAt >= start + TimeSpan.FromSeconds(120), $"Retry-After honoured: next attempt {first.NextAttemptAt}");

        h.Clock.Now = start + TimeSpan.FromSeconds(60);
        await h.NewSender().RunOnceAsync(None);
        Assert.Equal(1, h.Mastodon.CreateRequests);

        h.Clock.Now = first.NextAttemptAt;
        await h.NewSender().RunOnceAsync(None);
        var second = await h.ItemAsync(3);
        Assert.Equal((OutboxState.Scheduled, 2), (second.State, second.Attempts));
        Assert.StartsWith("503", second.LastError, StringComparison.Ordinal);
        var wait = second.NextAttemptAt - h.Clock.Now;
        Assert.InRange(wait, TimeSpan.FromSeconds(48), TimeSpan.FromSeconds(72)); // 30 s × 2, ± 20 % jitter

        h.Clock.Now = second.NextAttemptAt;
        await h.NewSender().RunOnceAsync(None);
        Assert.Equal(["Retry me"], h.Mastodon.Texts);
        Assert.Equal(OutboxState.Sent, (await h.ItemAsync(3)).State);
    }

    [StoreFact]
    public async Task Bluesky429WithRateLimitReset_WaitsUntilTheReset()
    {
        var reset = h.Clock.Now + TimeSpan.FromMinutes(5);
        h.Bluesky.Script = n => n == 0 ? new StatusWithHeaders(429, "{\"error\":\"RateLimitExceeded\",\"message\":\"Rate Limit Exceeded\"}", ("RateLimit-Reset", reset.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture))) : null;
        Assert.True(await h.EnqueueAsync(4, Platform.Bluesky, "Rate limited"));

        await h.NewSender().RunOnceAsync(None);
        var item = await h.ItemAsync(4);
        Assert.Contains("RateLimitExceeded: Rate Limit Exceeded", item.LastError, StringComparison.Ordinal);
        Assert.True(item.NextAttemptAt >= reset, $"waits for the reset: {item.NextAttemptAt} vs {reset}");

        h.Clock.Now = item.NextAttemptAt;
        await h.NewSender().RunOnceAsync(None);
        Assert.Equal(["Rate limited"], h.Bluesky.Texts);
    }

    [StoreFact]
    public async Task Mastodon422_FailsAtOnce_WithThePlatformsMessage_AndAPersonCanRetry()
    {
        var tooLong = new string('x', 501);
        Assert.True(await h.EnqueueAsync(5, Platform.Mastodon, tooLong));

        await h.NewSender().RunOnceAsync(None);
        var item = await h.ItemAsync(5);
        Assert.Equal((OutboxState.Failed, 1), (item.State, item.Attempts));
        Assert.Contains("422", item.LastError, StringComparison.Ordinal);
        Assert.Contains("Validation failed: Text character limit of 500 exceeded", item.LastError, StringComparison.Ordinal);
        var failed = Assert.Single(h.Outcomes.Outcomes);
        Assert.Equal(PublishOutcomeKind.Failed, failed.Kind);
        Assert.Contains("character limit of 500", failed.Error, StringComparison.Ordinal);

        // Nothing retries a permanent failure by itself.
        h.Clock.Now += TimeSpan.FromHours(1);
        await h.NewSender().RunOnceAsync(None);
        Assert.Equal(1, h.Mastodon.CreateRequests);

        // A person fixes the post (a new revision replaces the failed item) and it goes.
        Assert.True(await h.EnqueueAsync(5, Platform.Mastodon, "Shorter now", revision: 2));
        await h.NewSender().RunOnceAsync(None);
        Assert.Equal(["Shorter now"], h.Mastodon.Texts);
        Assert.False(await h.EnqueueAsync(5, Platform.Mastodon, "Too late to change", revision: 3));
        Assert.False(await h.Queue.WithdrawAsync(h.Workspace, 5, None));
    }

    [StoreFact]
    public async Task PersonRetriesAFailedItem_ItIsSentOnce()
    {
        h.Accounts.Add(new PlatformAccount(h.Workspace, OutboxHarness.MastodonKey, Platform.Mastodon, h.Mastodon.BaseUri, "brand", "revoked-token", null));
        Assert.True(await h.EnqueueAsync(6, Platform.Mastodon, "After reconnecting"));
        await h.NewSender().RunOnceAsync(None);
        var failed = await h.ItemAsync(6);
        Assert.Equal(OutboxState.Failed, failed.State);
        Assert.Contains("401", failed.LastError, StringComparison.Ordinal);
        Assert.Contains("The access token is invalid", failed.LastError, StringComparison.Ordinal);

        h.Accounts.Add(new PlatformAccount(h.Workspace, OutboxHarness.MastodonKey, Platform.Mastodon, h.Mastodon.BaseUri, "brand", MastodonStub.Token, null));
        Assert.NotNull(await h.Outbox.RetryAsync(h.Workspace, failed.Id, h.Clock.Now, None));
        Assert.Null(await h.Outbox.RetryAsync(h.Workspace, failed.Id, h.Clock.Now, None)); // already scheduled
        await h.NewSender().RunOnceAsync(None);
        Assert.Equal(["After reconnecting"], h.Mastodon.Texts);
        Assert.Null(await h.Outbox.RetryAsync(h.Workspace, failed.Id, h.Clock.Now, None)); // sent: nothing to retry
    }

    [StoreFact]
    public async Task Bluesky_TooManyGraphemes_FailsWithoutCalling_ExactlyThreeHundredGoes()
    {
        var family = "👨‍👩‍👧‍👦"; // one grapheme, 11 UTF-16 units
        Assert.True(await h.EnqueueAsync(7, Platform.Bluesky, string.Concat(Enumerable.Repeat(family, 301))));
        Assert.True(await h.EnqueueAsync(8, Platform.Bluesky, string.Concat(Enumerable.Repeat(family, 300))));
        await h.NewSender().RunOnceAsync(None);

        var tooLong = await h.ItemAsync(7);
        Assert.Equal(OutboxState.Failed, tooLong.State);
        Assert.Contains("at most 300 graphemes; this one has 301", tooLong.LastError, StringComparison.Ordinal);
        Assert.Equal(OutboxState.Sent, (await h.ItemAsync(8)).State);
        Assert.Equal(1, h.Bluesky.CreateRequests);
    }

    [StoreFact]
    public async Task Bluesky_ExpiredAccessToken_IsRefreshed_AndThePostGoesOnce()
    {
        Assert.True(await h.EnqueueAsync(9, Platform.Bluesky, "first"));
        await h.NewSender().RunOnceAsync(None);
        h.Bluesky.ExpireAccessTokens();
        Assert.True(await h.EnqueueAsync(10, Platform.Bluesky, "second"));
        await h.NewSender().RunOnceAsync(None);

        Assert.Equal(["first", "second"], h.Bluesky.Texts.Order().ToArray());
        Assert.Equal(2, h.Bluesky.SessionsCreated); // one sign-in, one refresh
        Assert.Equal(OutboxState.Sent, (await h.ItemAsync(10)).State);
    }

    [StoreFact]
    public async Task PrePublishCheckBlocks_JustBeforeSending_NothingGoesOut()
    {
        Assert.True(await h.EnqueueAsync(11, Platform.Mastodon, "Big shooting star sale!"));
        await h.NewSender(check: new BlockingWordCheck("shooting")).RunOnceAsync(None);

        var item = await h.ItemAsync(11);
        Assert.Equal(OutboxState.Blocked, item.State);
        Assert.Contains("sensitive-term: contains 'shooting'", item.LastError, StringComparison.Ordinal);
        Assert.Equal(PublishOutcomeKind.Blocked, Assert.Single(h.Outcomes.Outcomes).Kind);
        Assert.Empty(h.Mastodon.Texts);
    }

    [StoreFact]
    public async Task ThreeSendersAtOnce_EachPostGoesOutExactlyOnce()
    {
        for (var post = 1; post <= 30; post++)
        {
            Assert.True(await h.EnqueueAsync(1000 + post, post % 2 == 0 ? Platform.Mastodon : Platform.Bluesky, $"post {post}"));
        }

        var senders = Enumerable.Range(0, 3).Select(_ => h.NewSender()).ToList();
        for (var round = 0; round < 3; round++)
        {
            await Task.WhenAll(senders.Select(s => Task.Run(() => s.RunOnceAsync(None))));
        }

        var all = h.Mastodon.Texts.Concat(h.Bluesky.Texts).ToList();
        Assert.Equal(30, all.Count);
        Assert.Equal(30, all.Distinct().Count());
        Assert.Equal(30, h.Mastodon.CreateRequests + h.Bluesky.CreateRequests);
        Assert.All(await h.Outbox.ListAsync(h.Workspace, null, 100, None), i => Assert.Equal(OutboxState.Sent, i.State));
    }

    [StoreFact]
    public async Task NotYetDue_IsNotSent_UnknownAccount_FailsVisibly()
    {
        Assert.True(await h.EnqueueAsync(12, Platform.Mastodon, "later", h.Clock.Now + TimeSpan.FromHours(1)));
        Assert.True(await h.Queue.EnqueueAsync(new OutboxRequest(h.Workspace, 13, 1, Platform.Mastodon, "mastodon:@nobody", "who?", [], h.Clock.Now, null), None));
        await h.NewSender().RunOnceAsync(None);

        Assert.Equal(OutboxState.Scheduled, (await h.ItemAsync(12)).State);
        var orphan = await h.ItemAsync(13);
        Assert.Equal(OutboxState.Failed, orphan.State);
        Assert.Contains("'mastodon:@nobody' is not connected", orphan.LastError, StringComparison.Ordinal);
        Assert.Empty(h.Mastodon.Texts);
        Assert.True(await h.Queue.WithdrawAsync(h.Workspace, 12, None));
    }
}

/// <summary>A JSON answer with response headers (Retry-After, RateLimit-Reset), as a platform sends it.</summary>
internal sealed class StatusWithHeaders(int status, string json, params (string Name, string Value)[] headers) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = status;
        foreach (var (name, value) in headers)
        {
            httpContext.Response.Headers[name] = value;
        }

        httpContext.Response.ContentType = "application/json";
        await httpContext.Response.WriteAsync(json);
    }
}

public sealed class SqliteOutboxSendTests() : OutboxSendTests(StoreProvider.Sqlite);

[RequiresPostgres]
public sealed class PostgresOutboxSendTests() : OutboxSendTests(StoreProvider.Postgres);
