namespace Firebreak.Core.Diagnostics;

using System.Diagnostics.Metrics;

/// <summary>
/// Firebreak's own instruments, on the standard <see cref="Meter"/> API so any .NET metrics listener (the
/// built-in Prometheus endpoint, dotnet-counters, OpenTelemetry) can read them. Recording with no listener
/// costs a branch; every instrument is recorded per batch, message or lease change, never per mention.
/// Names follow OpenTelemetry conventions (dots, a unit); the Prometheus exporter turns
/// <c>firebreak.ingest.items</c> into <c>firebreak_ingest_items_total</c>.
/// </summary>
public static class FirebreakMetrics
{
    public const string MeterName = "Firebreak";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Items through the pipeline, by outcome (inserted, updated, unchanged, queued, rejected).</summary>
    public static readonly Counter<long> IngestItems = Meter.CreateCounter<long>(
        "firebreak.ingest.items", "{item}", "Items finished by the ingest pipeline, by outcome");

    /// <summary>Batches a stage failed (their senders were told to retry), by stage.</summary>
    public static readonly Counter<long> IngestFailedBatches = Meter.CreateCounter<long>(
        "firebreak.ingest.failed_batches", "{batch}", "Batches failed by a pipeline stage, by stage");

    /// <summary>From a batch entering the pipeline to its acknowledgement (stored, or queued on the broker).</summary>
    public static readonly Histogram<double> IngestBatchDuration = Meter.CreateHistogram<double>(
        "firebreak.ingest.batch.duration", "s", "Time from a batch entering the pipeline to its acknowledgement");

    /// <summary>Time each stage spends working; its rate is the stage's utilisation (1.0 = always busy).</summary>
    public static readonly Counter<double> StageBusy = Meter.CreateCounter<double>(
        "firebreak.ingest.stage.busy", "s", "Time each pipeline stage spent working, by stage");

    /// <summary>Items inside the pipeline (entered, not yet acknowledged or failed).</summary>
    public static readonly UpDownCounter<long> IngestInFlight = Meter.CreateUpDownCounter<long>(
        "firebreak.ingest.in_flight", "{item}", "Items inside the ingest pipeline");

    /// <summary>Broker messages a worker finished, by result (stored, dead_lettered).</summary>
    public static readonly Counter<long> WorkerMessages = Meter.CreateCounter<long>(
        "firebreak.worker.messages", "{message}", "Broker messages finished by this worker, by result");

    /// <summary>Worker sessions (broker connections) opened; more than one means it recovered from failures.</summary>
    public static readonly Counter<long> WorkerSessions = Meter.CreateCounter<long>(
        "firebreak.worker.sessions", "{session}", "Broker sessions opened by this worker");

    /// <summary>1 while this process leads the named role, else 0.</summary>
    public static readonly UpDownCounter<long> Leader = Meter.CreateUpDownCounter<long>(
        "firebreak.cluster.leader", "{lease}", "1 while this process holds the named lease");

    /// <summary>Outbox sender passes (each one is a heartbeat); a rate of 0 while posts are scheduled means nothing is going out.</summary>
    public static readonly Counter<long> PublisherPasses = Meter.CreateCounter<long>(
        "firebreak.publisher.passes", "{pass}", "Publishing outbox sender passes (heartbeats)");

    /// <summary>Outbox items finished, by outcome (sent, failed, blocked) and platform.</summary>
    public static readonly Counter<long> PublishOutcomes = Meter.CreateCounter<long>(
        "firebreak.publish.outcomes", "{post}", "Publishing outbox items finished, by outcome and platform");
}
