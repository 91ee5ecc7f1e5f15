namespace Firebreak.Web.Hosting;

using Firebreak.Core.Alerts;
using Firebreak.Core.Cluster;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

/// <summary>This process's identity in lease tables (unique per start, readable in an outage).</summary>
internal static class NodeIdentity
{
    public static string Id { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";
}

/// <summary>
/// Feeds the detections submitted through <see cref="IAlertSink"/> to the <see cref="AlertManager"/>, on every node
/// (detections are handled where they are submitted; the store keeps nodes consistent). A batch the store refuses
/// is tried again a few times, then dropped with an error in the log, so one bad batch cannot stop alerting.
/// </summary>
public sealed class AlertSinkService(AlertSink sink, AlertManager manager, TimeProvider clock, ILogger<AlertSinkService> logger) : BackgroundService
{
    private const int Attempts = 5;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var batch in sink.Reader.ReadAllAsync(stoppingToken))
            {
                for (var attempt = 1; attempt <= Attempts; attempt++)
                {
                    try
                    {
                        await manager.ProcessAsync(batch, stoppingToken);
                        break;
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        logger.LogError(e, "Alert manager failed on {Count} detections (attempt {Attempt} of {Attempts})", batch.Count, attempt, Attempts);
                        if (attempt < Attempts)
                        {
                            await Task.Delay(TimeSpan.FromSeconds(attempt * attempt), clock, stoppingToken);
                        }
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: detections still queued are not persisted (they arrive again with the next bucket's detection).
        }
    }
}

/// <summary>
/// The escalation ticker: one node at a time (lease "alerts:escalator") resolves quiet alerts, wakes snoozed ones and
/// escalates unacknowledged ones every <see cref="AlertOptions.TickInterval"/>. Each pass runs fenced: a node that
/// lost the lease (paused, cut off) cannot apply a pass after another node took over.
/// </summary>
public sealed class AlertEscalatorService(ILeaseStore leases, AlertManager manager, AlertOptions options, TimeProvider clock, ILogger<AlertEscalatorService> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        new LeaderElector(leases, "alerts:escalator", NodeIdentity.Id, options.LeaseTtl, clock).RunAsync(
            async (lease, leading) =>
            {
                while (!leading.IsCancellationRequested)
                {
                    try
                    {
                        await leases.RunFencedAsync(lease, ct => manager.TickAsync(ct), leading);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        logger.LogError(e, "Alert escalation pass failed");
                    }

                    await Task.Delay(options.TickInterval, clock, leading);
                }
            },
            stoppingToken);
}

/// <summary>
/// The delivery dispatcher: one node at a time (lease "alerts:dispatcher") sends what the outbox holds, woken at once
/// by local alert changes and otherwise polling every <see cref="AlertOptions.PollInterval"/> (changes made on other nodes).
/// </summary>
public sealed class AlertDispatcherService(ILeaseStore leases, AlertDispatcher dispatcher, DeliveryWakeup wakeup, AlertOptions options, TimeProvider clock, ILogger<AlertDispatcherService> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        new LeaderElector(leases, "alerts:dispatcher", NodeIdentity.Id, options.LeaseTtl, clock).RunAsync(
            async (_, leading) =>
            {
                while (!leading.IsCancellationRequested)
                {
                    var handled = 0;
                    try
                    {
                        handled = await dispatcher.DispatchDueAsync(leading);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        logger.LogError(e, "Alert delivery pass failed");
                    }

                    if (handled == 0)
                    {
                        await wakeup.WaitAsync(options.PollInterval, clock, leading);
                    }
                }
            },
            stoppingToken);
}
