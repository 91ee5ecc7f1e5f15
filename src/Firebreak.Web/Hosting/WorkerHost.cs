namespace Firebreak.Web.Hosting;

using Firebreak.Messaging.RabbitMq;
using Firebreak.Storage;
using Firebreak.Web.Endpoints;
using Firebreak.Web.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

/// <summary>
/// The host of `firebreak worker`: the back half of the ingest pipeline fed by RabbitMQ and writing to the
/// shared store. Start as many as the load needs; they share the partitions between them. With
/// <see cref="FirebreakOptions.WorkerUrls"/> it also answers /metrics and /health on that address (only those).
/// </summary>
public static class WorkerHost
{
    /// <summary>Builds (and migrates the store of) a worker host.</summary>
    public static async Task<IHost> BuildAsync(FirebreakOptions options, Action<IServiceCollection>? configure = null)
    {
        var rabbit = options.RabbitMq is { Length: > 0 } uri
            ? new RabbitMqOptions { Uri = new Uri(uri), ClientName = "firebreak-worker", Prefix = options.RabbitMqPrefix }
            : throw new ArgumentException("A worker needs RabbitMQ: pass --rabbitmq amqp://… or set FIREBREAK_RABBITMQ.", nameof(options));
        IHost host;
        if (options.WorkerUrls is { Length: > 0 } urls)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls(urls);
            builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
            Configure(builder.Services, builder.Logging);
            var app = builder.Build();
            app.MapHealthEndpoints();
            app.MapMetricsEndpoint();
            host = app;
        }
        else
        {
            var builder = Host.CreateApplicationBuilder();
            Configure(builder.Services, builder.Logging);
            host = builder.Build();
        }

        // Listening starts now, not at the first scrape, so counters include everything since start.
        host.Services.GetRequiredService<PrometheusExporter>();
        await host.Services.GetRequiredService<IStoreDatabase>().MigrateAsync();
        return host;

        void Configure(IServiceCollection services, ILoggingBuilder logging)
        {
            logging.AddFilter("Microsoft", LogLevel.Warning);
            services.AddSingleton(options);
            services.AddStore(options);
            services.AddIngestWorker(rabbit);
            services.AddPrometheusMetrics();
            configure?.Invoke(services);
        }
    }
}
