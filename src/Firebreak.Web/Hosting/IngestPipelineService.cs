namespace Firebreak.Web.Hosting;

using Firebreak.Core.Ingestion;
using Microsoft.Extensions.Hosting;

/// <summary>Starts the ingest pipeline with the host and drains it on shutdown, so acknowledged work is never cut off.</summary>
public sealed class IngestPipelineService(IngestPipeline pipeline) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        pipeline.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => pipeline.DrainAsync().WaitAsync(cancellationToken);
}
