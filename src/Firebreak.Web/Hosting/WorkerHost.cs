namespace Firebreak.Web.Hosting;

using Firebreak.Messaging.RabbitMq;
using Firebreak.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

/// <summary>
/// The host of `firebreak worker`: no HTTP, just the back half of the ingest pipeline fed by RabbitMQ and
/// writing to the shared store. Start as many as the load needs; they share the partitions between them.
/// </summary>
public static class WorkerHost
{
    /// <summary>Builds (and migrates the store of) a worker host.</summary>
    public static async Task<IHost> BuildAsync(FirebreakOptions options, Action<IServiceCollection>? configure = null)
    {
        var rabbit = options.RabbitMq is { Length: > 0 } uri
            ? new RabbitMqOptions { Uri = new Uri(uri), ClientName = "firebreak-worker", Prefix = options.RabbitMqPrefix }
            : throw new ArgumentException("A worker needs RabbitMQ: pass --rabbitmq amqp://… or set FIREBREAK_RABBITMQ.", nameof(options));
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Services.AddSingleton(options);
        builder.Services.AddStore(options);
        builder.Services.AddIngestWorker(rabbit);
        configure?.Invoke(builder.Services);
        var host = builder.Build();
        await host.Services.GetRequiredService<IStoreDatabase>().MigrateAsync();
        return host;
    }
}
