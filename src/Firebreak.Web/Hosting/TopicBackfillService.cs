namespace Firebreak.Web.Hosting;

using Firebreak.Core.Topics;
using Microsoft.Extensions.Hosting;

/// <summary>Runs queued topic backfills in the background for the life of the host.</summary>
public sealed class TopicBackfillService(TopicBackfill backfill) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await backfill.RunAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; an unfinished backfill is simply run again the next time the topic is saved.
        }
    }
}
