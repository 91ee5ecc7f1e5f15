namespace Firebreak.Core.Alerts;

using System.Security.Cryptography;
using Firebreak.Core.Alerts.Channels;
using Firebreak.Core.Secrets;

/// <summary>
/// Sends what the outbox holds. Each pass claims the due deliveries, sends them in parallel (bounded) through their
/// channel, and records the outcome: delivered (history says "notified … via …"), tried again later (backoff with
/// jitter, or the receiver's Retry-After), or, after <see cref="AlertOptions.MaxAttempts"/> attempts or an error
/// that retrying cannot fix, the dead-letter list with the last error. Runs on one node at a time (a lease).
/// Delivery is at-least-once: a node dying mid-request sends that delivery again after its claim expires.
/// </summary>
public sealed class AlertDispatcher(
    IAlertOutbox outbox,
    IAlertConfigStore config,
    IEnumerable<IAlertChannel> channels,
    ISecretProtector secrets,
    RetrySchedule schedule,
    AlertOptions options,
    TimeProvider clock)
{
    private readonly Dictionary<ChannelKind, IAlertChannel> byKind = channels.ToDictionary(c => c.Kind);

    /// <summary>One pass; returns how many deliveries it handled (0: nothing was due).</summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken)
    {
        var due = await outbox.ClaimDueAsync(clock.GetUtcNow(), options.DispatchBatch, options.ClaimFor, cancellationToken).ConfigureAwait(false);
        await Parallel.ForEachAsync(
            due,
            new ParallelOptions { MaxDegreeOfParallelism = options.MaxParallelDeliveries, CancellationToken = cancellationToken },
            async (delivery, ct) => await DeliverAsync(delivery, ct).ConfigureAwait(false)).ConfigureAwait(false);
        return due.Count;
    }

    private async Task DeliverAsync(AlertDelivery delivery, CancellationToken cancellationToken)
    {
        var target = delivery.TargetId is { } targetId ? await config.GetChannelAsync(delivery.WorkspaceId, targetId, cancellationToken).ConfigureAwait(false) : null;
        var outcome = await AttemptAsync(delivery, target, cancellationToken).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        var how = Describe(delivery, target);
        if (outcome.Delivered)
        {
            await outbox.CompleteAsync(delivery, now, Event(AlertEventKind.Notified, now, delivery, target, $"notified {how}"), cancellationToken).ConfigureAwait(false);
            return;
        }

        var attempt = delivery.Attempts + 1;
        var error = outcome.Error ?? "unknown error";
        if (outcome.Permanent || attempt >= options.MaxAttempts)
        {
            var why = outcome.Permanent ? "cannot succeed" : $"gave up after {attempt} attempts";
            await outbox.DeadLetterAsync(delivery, error, now, Event(AlertEventKind.DeliveryFailed, now, delivery, target, $"delivery {how} failed ({why}): {error}"), cancellationToken).ConfigureAwait(false);
            return;
        }

        await outbox.RescheduleAsync(delivery, now + schedule.After(attempt, outcome.RetryAfter), error, now, cancellationToken).ConfigureAwait(false);
    }

    private async Task<DeliveryOutcome> AttemptAsync(AlertDelivery delivery, ChannelTarget? target, CancellationToken cancellationToken)
    {
        if (!byKind.TryGetValue(delivery.Channel, out var channel))
        {
            return DeliveryOutcome.Fail($"no {delivery.Channel} channel on this node");
        }

        if (delivery.TargetId is not null && target is not { Enabled: true })
        {
            return DeliveryOutcome.Fail(target is null ? "the channel target was deleted" : "the channel target is disabled");
        }

        string? secret = null;
        if (target?.Secret is { } sealedSecret)
        {
            try
            {
                secret = secrets.Unprotect(sealedSecret, ChannelTarget.SecretPurpose(target.WorkspaceId));
            }
            catch (CryptographicException e)
            {
                return DeliveryOutcome.Fail("cannot decrypt the target's secret: " + e.Message);
            }
        }

        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(options.AttemptTimeout);
        try
        {
            return await channel.DeliverAsync(delivery, target, secret, attempt.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return DeliveryOutcome.Retry($"timed out after {options.AttemptTimeout.TotalSeconds:0} s");
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or HttpRequestException)
        {
            return DeliveryOutcome.Retry("network error: " + e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever else a channel throws is counted as a failed attempt: one bad delivery must not stall the
            // pass, and it ends in the dead-letter list with the error instead of being retried for ever.
            return DeliveryOutcome.Retry($"unexpected {e.GetType().Name}: {e.Message}");
        }
    }

    private static string Describe(AlertDelivery delivery, ChannelTarget? target) => delivery.Channel switch
    {
        ChannelKind.InApp => "in-app" + (delivery.Notification.Paging.Count > 0 ? $" (paging {string.Join(", ", delivery.Notification.Paging.Select(p => p.Name))})" : string.Empty),
        ChannelKind.Email => $"{delivery.RecipientName ?? delivery.Recipient} <{delivery.Recipient}> via {target?.Label ?? "e-mail"}",
        _ => "via " + (target?.Label ?? delivery.Channel.ToString().ToLowerInvariant()),
    } + $" ({AlertText.EventName(delivery.Notification.Reason)})";

    private static AlertEventDraft Event(AlertEventKind kind, DateTimeOffset now, AlertDelivery delivery, ChannelTarget? target, string detail) =>
        new(kind, now, AlertManager.SystemActor, detail, delivery.Notification.Severity, delivery.Channel, delivery.Recipient ?? target?.Name);
}
