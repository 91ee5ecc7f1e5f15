namespace Firebreak.Cli;

using System.CommandLine;
using Spectre.Console;

/// <summary>`firebreak` and its verbs. Each verb lives in its own class; this file only wires them up.</summary>
internal static class FirebreakCli
{
    public static readonly Option<string> Data = new("--data", "-d")
    {
        Description = "Data folder of the embedded store",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("FIREBREAK_DATA") ?? "data",
        Recursive = true,
    };

    /// <summary>PostgreSQL connection string; the embedded SQLite store is used when absent.</summary>
    public static readonly Option<string?> Postgres = new("--postgres")
    {
        Description = "PostgreSQL connection string: store data there instead of the embedded SQLite file (default: FIREBREAK_POSTGRES)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("FIREBREAK_POSTGRES"),
        Recursive = true,
    };

    /// <summary>RabbitMQ URI of a distributed deployment (serve: queue only; worker: consume).</summary>
    public static readonly Option<string?> RabbitMq = new("--rabbitmq")
    {
        Description = "RabbitMQ URI (amqp://user:password@host:5672/); web nodes then queue mentions for `firebreak worker` processes",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("FIREBREAK_RABBITMQ"),
        Recursive = true,
    };

    /// <summary>Prefix of the RabbitMQ names, so several clusters can share one broker.</summary>
    public static readonly Option<string> RabbitMqPrefix = new("--rabbitmq-prefix")
    {
        Description = "Prefix of Firebreak's RabbitMQ exchanges and queues",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("FIREBREAK_RABBITMQ_PREFIX") ?? "firebreak",
        Recursive = true,
    };

    /// <summary>Bearer token protecting /metrics (serve and worker).</summary>
    public static readonly Option<string?> MetricsToken = new("--metrics-token")
    {
        Description = "Bearer token Prometheus must send to read /metrics (default: FIREBREAK_METRICS_TOKEN; none: open)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("FIREBREAK_METRICS_TOKEN"),
        Recursive = true,
    };

    public static readonly Option<string> Workspace = new("--workspace", "-w")
    {
        Description = "Workspace slug",
        DefaultValueFactory = _ => "demo",
    };

    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("Firebreak — a self-hosted social media crisis command center.");
        root.Options.Add(Data);
        root.Options.Add(Postgres);
        root.Options.Add(RabbitMq);
        root.Options.Add(RabbitMqPrefix);
        root.Options.Add(MetricsToken);
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(WorkerCommand.Create());
        root.Subcommands.Add(ImportCommand.Create());
        root.Subcommands.Add(ReplayCommand.Create());
        root.Subcommands.Add(TopicsCommand.Create());
        root.Subcommands.Add(PlaybooksCommand.Create());
        root.Subcommands.Add(WorkspacesCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(TokensCommand.Create());
        root.Subcommands.Add(AuditCommand.Create());
        root.Subcommands.Add(PublishingCommand.Create());
        root.Subcommands.Add(ConnectorsCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(TrainCommand.CreateTrain());
        var eval = TrainCommand.CreateEval();
        eval.Subcommands.Add(EvalAnomaliesCommand.Create());
        root.Subcommands.Add(eval);
        try
        {
            // Without the default handler a CliException reaches the catch below: one red line that says what to do, no stack trace.
            return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (CliException ex)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
            return 1;
        }
    }
}
