namespace Firebreak.Cli;

using System.CommandLine;
using Firebreak.Messaging.RabbitMq;
using Firebreak.Web.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

/// <summary>`firebreak worker`: one ingest worker of a distributed deployment.</summary>
internal static class WorkerCommand
{
    public static Command Create()
    {
        var urls = new Option<string?>("--urls") { Description = "Serve /metrics and /health on this address (e.g. http://0.0.0.0:9464); default: no HTTP", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("FIREBREAK_WORKER_URLS") };
        var command = new Command("worker", "Analyse and store mentions queued in RabbitMQ by the web nodes (run one or more).") { urls };
        command.SetAction(async (result, ct) =>
        {
            var options = new FirebreakOptions
            {
                DataDirectory = result.GetValue(FirebreakCli.Data)!,
                PostgresConnectionString = result.GetValue(FirebreakCli.Postgres),
                RabbitMq = result.GetValue(FirebreakCli.RabbitMq),
                RabbitMqPrefix = result.GetValue(FirebreakCli.RabbitMqPrefix)!,
                MetricsToken = result.GetValue(FirebreakCli.MetricsToken),
                WorkerUrls = result.GetValue(urls),
            };
            if (options.RabbitMq is null)
            {
                throw new CliException("A worker needs RabbitMQ: pass --rabbitmq amqp://user:password@host:5672/ or set FIREBREAK_RABBITMQ.");
            }

            using var host = await WorkerHost.BuildAsync(options);
            await host.StartAsync(ct);
            var worker = host.Services.GetRequiredService<IngestWorker>();
            var http = options.WorkerUrls is { Length: > 0 } at ? $" Metrics: {at.TrimEnd('/')}/metrics." : string.Empty;
            Console.WriteLine($"Firebreak worker {worker.Id} is consuming from {new Uri(options.RabbitMq).Host}.{http} Press Ctrl+C to stop.");
            await host.WaitForShutdownAsync(ct);
            return 0;
        });
        return command;
    }
}
