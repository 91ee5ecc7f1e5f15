namespace Firebreak.Core.Publishing.Outbox;

using Firebreak.Core.Publishing.Platforms;

/// <summary>
/// Sends due outbox items exactly once. Each pass: beat; take over items whose sender died mid-send and reconcile them
/// (read the platform back: there → Sent, not there → back to Scheduled, so the hold check applies again); claim due items
/// (the store checks the holds in the same transaction); for each, record nothing new until the platform answers:
/// "sending" was recorded by the claim, BEFORE the call. An item that already had an attempt is reconciled first, so a
/// timeout after the platform accepted never becomes a second post.
/// </summary>
public sealed class OutboxSender(
    IOutboxStore store,
    IEnumerable<IPlatformPublisher> publishers,
    IEnumerable<IPlatformAccounts> accounts,
    IEnumerable<IPrePublishCheck> checks,
    IEnumerable<IPublishOutcomeSink> sinks,
    OutboxOptions options,
    TimeProvider clock)
{
    private readonly Dictionary<Mentions.Platform, IPlatformPublisher> byPlatform = publishers.ToDictionary(p => p.Platform);
    private readonly IPlatformAccounts? accountSource = accounts.FirstOrDefault();
    private readonly IPrePublishCheck? check = checks.FirstOrDefault();
    private readonly IReadOnlyList<IPublishOutcomeSink> outcomeSinks = [.. sinks];
    private readonly Random random = new();

    /// <summary>One pass; returns how many items it handled.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await store.BeatAsync(options.Node, now, cancellationToken).ConfigureAwait(false);
        Diagnostics.FirebreakMetrics.PublisherPasses.Add(1);
        var handled = 0;
        foreach (var orphan in await store.ClaimOrphansAsync(options.Node, now, now + options.Lease, options.BatchSize, cancellationToken).ConfigureAwait(false))
        {
            await ReconcileOrphanAsync(orphan, cancellationToken).ConfigureAwait(false);
            handled++;
        }

        now = clock.GetUtcNow();
        foreach (var item in await store.ClaimDueAsync(options.Node, now, now + options.Lease, options.BatchSize, cancellationToken).ConfigureAwait(false))
        {
            // A slow batch must not start a call so late that the lease could expire during it (another node would then
            // reconcile the item while this call is still on its way): such items are left to that reconciliation.
            if (clock.GetUtcNow() < item.LeaseUntil - (options.Lease / 2))
            {
                await SendAsync(item, cancellationToken).ConfigureAwait(false);
            }

            handled++;
        }

        return handled;
    }

    private async Task ReconcileOrphanAsync(OutboxItem item, CancellationToken cancellationToken)
    {
        if (await ResolveAsync(item, cancellationToken).ConfigureAwait(false) is not { } target)
        {
            return;
        }

        try
        {
            if (await target.Publisher.FindAsync(target.Account, RequestOf(item), item.SendingSince ?? item.UpdatedAt, cancellationToken).ConfigureAwait(false) is { } found)
            {
                await SentAsync(item, found.RemoteId, found.Url, cancellationToken).ConfigureAwait(false);
                return;
            }

            // Not on the platform: the crash came before the call got through. Back to Scheduled, due now, so the next claim
            // (which checks the holds) decides whether it may go.
            await store.MarkRetryAsync(item.Id, options.Node, "The sender stopped mid-send; the platform does not have the post, so it will be sent again.", clock.GetUtcNow(), clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await RetryOrFailAsync(item, $"Could not check whether the post is already on {item.Platform}: {ex.Message}", (ex as PlatformUnavailableException)?.RetryAfter, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task SendAsync(OutboxItem item, CancellationToken cancellationToken)
    {
        if (await ResolveAsync(item, cancellationToken).ConfigureAwait(false) is not { } target)
        {
            return;
        }

        var request = RequestOf(item);
        if (item.Attempts > 1)
        {
            // An earlier attempt may have reached the platform (a timeout after it accepted): look before sending again.
            try
            {
                if (await target.Publisher.FindAsync(target.Account, request, item.CreatedAt, cancellationToken).ConfigureAwait(false) is { } found)
                {
                    await SentAsync(item, found.RemoteId, found.Url, cancellationToken).ConfigureAwait(false);
                    return;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                await RetryOrFailAsync(item, $"Could not check whether an earlier attempt reached {item.Platform}: {ex.Message}", (ex as PlatformUnavailableException)?.RetryAfter, cancellationToken).ConfigureAwait(false);
                return;
            }
        }

        if (check is not null)
        {
            var verdict = await check.CheckAsync(item.WorkspaceId, item.Platform, item.Text, item.MediaUrls, cancellationToken).ConfigureAwait(false);
            if (verdict.Level == PrePublishLevel.Block)
            {
                var reasons = string.Join("; ", verdict.Findings.Where(f => f.Level == PrePublishLevel.Block).Select(f => $"{f.Code}: {f.Reason}"));
                await FinalAsync(item, OutboxState.Blocked, PublishOutcomeKind.Blocked, "Blocked by the pre-publish check just before sending: " + reasons, cancellationToken).ConfigureAwait(false);
                return;
            }
        }

        await FaultAsync(SendStep.BeforeCall, item).ConfigureAwait(false);
        var attempt = await target.Publisher.PublishAsync(target.Account, request, cancellationToken).ConfigureAwait(false);
        switch (attempt.Status)
        {
            case PublishStatus.Published:
                await FaultAsync(SendStep.AfterCall, item).ConfigureAwait(false);
                await SentAsync(item, attempt.RemoteId!, attempt.RemoteUrl, cancellationToken).ConfigureAwait(false);
                await FaultAsync(SendStep.AfterRecord, item).ConfigureAwait(false);
                break;
            case PublishStatus.Transient:
                await RetryOrFailAsync(item, attempt.Error ?? "transient error", attempt.RetryAfter, cancellationToken).ConfigureAwait(false);
                break;
            default:
                await FinalAsync(item, OutboxState.Failed, PublishOutcomeKind.Failed, $"{item.Platform} refused the post: {attempt.Error}", cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    private async Task<Target?> ResolveAsync(OutboxItem item, CancellationToken cancellationToken)
    {
        if (!byPlatform.TryGetValue(item.Platform, out var publisher))
        {
            await FinalAsync(item, OutboxState.Failed, PublishOutcomeKind.Failed, $"Firebreak cannot publish to {item.Platform} (only {string.Join(", ", byPlatform.Keys)}).", cancellationToken).ConfigureAwait(false);
            return null;
        }

        var account = accountSource is null ? null : await accountSource.FindAsync(item.WorkspaceId, item.AccountKey, cancellationToken).ConfigureAwait(false);
        if (account is null)
        {
            await FinalAsync(item, OutboxState.Failed, PublishOutcomeKind.Failed, $"The owned account '{item.AccountKey}' is not connected in this workspace; connect it, then retry the post.", cancellationToken).ConfigureAwait(false);
            return null;
        }

        return new Target(publisher, account);
    }

    private async Task RetryOrFailAsync(OutboxItem item, string error, TimeSpan? platformAsked, CancellationToken cancellationToken)
    {
        if (item.Attempts >= options.MaxAttempts)
        {
            await FinalAsync(item, OutboxState.Failed, PublishOutcomeKind.Failed, $"Gave up after {item.Attempts} attempts; last error: {error}", cancellationToken).ConfigureAwait(false);
            return;
        }

        var now = clock.GetUtcNow();
        var wait = Backoff.Next(item.Attempts, options.FirstBackoff, options.MaxBackoff, platformAsked, random);
        await store.MarkRetryAsync(item.Id, options.Node, error, now + wait, now, cancellationToken).ConfigureAwait(false);
    }

    private async Task SentAsync(OutboxItem item, string remoteId, string? url, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (await store.MarkSentAsync(item.Id, options.Node, remoteId, url, now, cancellationToken).ConfigureAwait(false))
        {
            Count(PublishOutcomeKind.Sent, item);
            await TellAsync(new PublishOutcome(item.WorkspaceId, item.PostId, item.Revision, PublishOutcomeKind.Sent, now, remoteId, url, null), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task FinalAsync(OutboxItem item, OutboxState state, PublishOutcomeKind kind, string error, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (await store.MarkFinalAsync(item.Id, options.Node, state, error, now, cancellationToken).ConfigureAwait(false))
        {
            Count(kind, item);
            await TellAsync(new PublishOutcome(item.WorkspaceId, item.PostId, item.Revision, kind, now, null, null, error), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task TellAsync(PublishOutcome outcome, CancellationToken cancellationToken)
    {
        foreach (var sink in outcomeSinks)
        {
            await sink.OnOutcomeAsync(outcome, cancellationToken).ConfigureAwait(false);
        }
    }

    private static void Count(PublishOutcomeKind kind, OutboxItem item) =>
        Diagnostics.FirebreakMetrics.PublishOutcomes.Add(1, new KeyValuePair<string, object?>("outcome", kind.ToString().ToLowerInvariant()), new KeyValuePair<string, object?>("platform", item.Platform.ToString().ToLowerInvariant()));

    private ValueTask FaultAsync(SendStep step, OutboxItem item) => options.Fault?.Invoke(step, item) ?? ValueTask.CompletedTask;

    private static PublishRequest RequestOf(OutboxItem item) => new(item.Text, item.MediaUrls, item.IdempotencyKey, item.CreatedAt);

    private sealed record Target(IPlatformPublisher Publisher, PlatformAccount Account);
}
