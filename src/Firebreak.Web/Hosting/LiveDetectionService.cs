namespace Firebreak.Web.Hosting;

using Firebreak.Core.Alerts;
using Firebreak.Core.Detection.Live;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

/// <summary>
/// Once a second: closes the minutes that are due, judges them, and hands every finding (series, viral items,
/// emerging terms) to alerting. A second is the delay a burst can wait between the minute that reveals it and
/// its alert, well inside the 5 s the early-warning promise allows.
/// </summary>
internal sealed class LiveDetectionService(LiveDetector detector, IAlertSink sink, TimeProvider clock, ILogger<LiveDetectionService> log) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    detector.CloseDueMinutes();
                    var found = detector.Drain();
                    if (found.Count > 0)
                    {
                        await sink.SubmitAsync(found, stoppingToken).ConfigureAwait(false);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A detector bug must not stop detection for everyone; the next tick tries again.
                    log.LogError(ex, "Live detection tick failed");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
