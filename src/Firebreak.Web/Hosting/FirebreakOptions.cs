namespace Firebreak.Web.Hosting;

/// <summary>How `firebreak serve` runs. Every value has a working default so a fresh machine needs no configuration.</summary>
public sealed class FirebreakOptions
{
    /// <summary>Folder of the embedded store. Default ./data.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>
    /// A PostgreSQL connection string (FIREBREAK_POSTGRES or --postgres): when set, the store is PostgreSQL
    /// and <see cref="DataDirectory"/> keeps only side files (workspace models); when empty, SQLite.
    /// </summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary>Address to listen on. Default http://127.0.0.1:5080 (loopback; to serve a network, put it behind TLS: docs/deploy.md).</summary>
    public string Urls { get; set; } = "http://127.0.0.1:5080";

    /// <summary>Create the demo workspace and stream the airline-crisis scenario into it.</summary>
    public bool Demo { get; set; }

    /// <summary>Demo: how much history to generate at start, before the live stream begins. Default 2 days.</summary>
    public TimeSpan DemoHistory { get; set; } = TimeSpan.FromDays(2);

    /// <summary>Demo: minutes after start at which the crisis burst begins. Default 3.</summary>
    public double DemoCrisisAfterMinutes { get; set; } = 3;

    /// <summary>Demo: replay speed of the live part (1 = real time).</summary>
    public double DemoSpeed { get; set; } = 1;

    /// <summary>Listen to the workspaces' sources and send queued inbox replies through the platform connectors (docs/connectors.md). Default on.</summary>
    public bool RunConnectors { get; set; } = true;

    /// <summary>Commit durability; see SqliteStoreOptions.DurableCommits.</summary>
    public bool DurableCommits { get; set; } = true;

    /// <summary>
    /// RabbitMQ URI (amqp://…). When set, this node only accepts and queues mentions; `firebreak worker`
    /// processes analyse and store them. Unset: the whole pipeline runs in this process.
    /// </summary>
    public string? RabbitMq { get; set; }

    /// <summary>Prefix of the RabbitMQ exchange and queue names (lets several clusters share one broker).</summary>
    public string RabbitMqPrefix { get; set; } = "firebreak";

    /// <summary>
    /// Bearer token a scraper must send to read <c>/metrics</c> (FIREBREAK_METRICS_TOKEN or --metrics-token).
    /// Empty: the endpoint is open, as Prometheus endpoints usually are; keep the port internal then.
    /// </summary>
    public string? MetricsToken { get; set; }

    /// <summary>Worker only: address for /metrics and /health (e.g. http://0.0.0.0:9464). Empty: no HTTP.</summary>
    public string? WorkerUrls { get; set; }
}
