namespace Firebreak.Web.Drills;

using System.Collections.Concurrent;
using Firebreak.Core.Drills;
using Firebreak.Core.Ingestion;
using Firebreak.Core.Scenarios;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

/// <summary>
/// Plays each drill's stream into its sandbox through the real ingest pipeline (so real detection raises real alerts and
/// the inbox fills), compressed by the drill's speed, and advances the drills it plays (prompts, the end when the incident
/// is resolved) on every <see cref="TickAsync"/>. A drill runs on the node that started it; ending it works from any node.
/// </summary>
public sealed class DrillRunner(DrillService drills, IngestPipeline pipeline, TimeProvider clock, ILogger<DrillRunner> logger) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<long, (CancellationTokenSource Stop, Task Stream)> running = new();

    /// <summary>Drills whose stream this node plays.</summary>
    public IReadOnlyCollection<long> Playing => [.. running.Keys];

    public void Launch(Drill drill)
    {
        ArgumentNullException.ThrowIfNull(drill);
        var stop = new CancellationTokenSource();
        var stream = Task.Run(() => PlayAsync(drill, stop.Token));
        running[drill.Id] = (stop, stream);
    }

    /// <summary>Advances every drill this node plays; stops the stream of those that ended.</summary>
    public async Task TickAsync(CancellationToken cancellationToken)
    {
        foreach (var id in running.Keys)
        {
            try
            {
                var drill = await drills.Store.GetByIdAsync(id, cancellationToken).ConfigureAwait(false);
                if (drill is not null && drill.State == DrillState.Running)
                {
                    drill = await drills.TickAsync(drill, cancellationToken).ConfigureAwait(false);
                }

                if (drill is null || drill.State != DrillState.Running)
                {
                    await StopAsync(id).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Drill {Drill}: advancing failed; trying again at the next tick", id);
            }
        }
    }

    public async Task StopAsync(long drillId)
    {
        if (running.TryRemove(drillId, out var entry))
        {
            await entry.Stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await entry.Stream.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopped as asked.
            }

            entry.Stop.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var id in running.Keys)
        {
            await StopAsync(id).ConfigureAwait(false);
        }
    }

    private async Task PlayAsync(Drill drill, CancellationToken cancellationToken)
    {
        try
        {
            var replayer = new ScenarioReplayer(pipeline, clock);
            var report = await replayer.RunAsync(drill.SandboxId, new ScenarioGenerator(DrillService.StreamOf(drill)), realTime: true, drill.Speed, cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Drill {Drill}: stream played ({Submitted} mentions)", drill.Id, replayer.Submitted);
            _ = report;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ended before the stream did.
        }
        catch (Exception e)
        {
            logger.LogError(e, "Drill {Drill}: the stream stopped", drill.Id);
        }
    }
}

/// <summary>Advances the drills this node plays once a second.</summary>
public sealed class DrillTicker(DrillRunner runner, TimeProvider clock) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>Streams stop before the ingest pipeline does (hosted services stop in reverse order of registration).</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await runner.DisposeAsync().ConfigureAwait(false);
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await runner.TickAsync(stoppingToken).ConfigureAwait(false);
                await Task.Delay(Interval, clock, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}

public static class DrillRegistration
{
    /// <summary>Drills: the service (sandbox copies, prompts, scores), the runner that plays their streams, its ticker.</summary>
    public static IServiceCollection AddDrills(this IServiceCollection services)
    {
        services.AddSingleton<PauseHistory>();
        services.AddSingleton<DrillService>();
        services.AddSingleton<DrillRunner>();
        services.AddHostedService<DrillTicker>();
        return services;
    }
}
