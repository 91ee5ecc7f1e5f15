namespace Firebreak.Core.Ingestion;

using System.Diagnostics;
using System.Threading.Channels;
using Firebreak.Core.Diagnostics;

/// <summary>Sizing of the in-process pipeline.</summary>
public sealed class IngestPipelineOptions
{
    /// <summary>Groups waiting between two stages before the upstream stage waits (back-pressure). Default 4.</summary>
    public int QueueCapacity { get; set; } = 4;

    /// <summary>Most items a stage takes in one go; the persist stage commits them in one transaction. Default 8,192.</summary>
    public int MaxGroupItems { get; set; } = 8_192;
}

/// <summary>
/// Runs the ingest stages in order, each on its own loop, joined by bounded channels: when the store is
/// slow the queues fill and submitters wait, so memory stays bounded under any load. Submitters get an
/// acknowledgement only after their batch is committed (at-least-once in, idempotent store).
/// </summary>
public sealed class IngestPipeline : IAsyncDisposable
{
    private readonly IIngestStage[] stages;
    private readonly IngestPipelineOptions options;
    private readonly Channel<IngestBatch>[] queues;
    private readonly long[] stageTicks;
    private readonly CancellationTokenSource stopping = new();
    private Task[] loops = [];
    private long submittedItems;

    public IngestPipeline(IEnumerable<IIngestStage> stages, IngestPipelineOptions? options = null)
    {
        this.stages = [.. stages];
        this.options = options ?? new IngestPipelineOptions();
        queues = new Channel<IngestBatch>[this.stages.Length];
        for (var i = 0; i < queues.Length; i++)
        {
            queues[i] = Channel.CreateBounded<IngestBatch>(new BoundedChannelOptions(this.options.QueueCapacity)
            {
                SingleReader = true,
                SingleWriter = i > 0,
                FullMode = BoundedChannelFullMode.Wait,
            });
        }

        stageTicks = new long[this.stages.Length];
    }

    public IReadOnlyList<string> StageNames => stages.Select(s => s.Name).ToArray();

    public long SubmittedItems => Interlocked.Read(ref submittedItems);

    /// <summary>Time each stage has spent working, for benchmarks and diagnostics.</summary>
    public IReadOnlyList<(string Stage, TimeSpan Busy)> StageBusyTime() =>
        stages.Select((s, i) => (s.Name, Stopwatch.GetElapsedTime(0, Interlocked.Read(ref stageTicks[i])))).ToArray();

    public void Start()
    {
        if (loops.Length > 0)
        {
            return;
        }

        loops = new Task[stages.Length];
        for (var i = 0; i < stages.Length; i++)
        {
            var index = i;
            loops[i] = Task.Run(() => RunStageAsync(index));
        }
    }

    /// <summary>
    /// Queues a batch (waiting while the pipeline is full) and returns the task that completes with the
    /// report once the batch is committed, or faults if it could not be.
    /// </summary>
    public async ValueTask<Task<IngestReport>> EnqueueAsync(IngestBatch batch, CancellationToken cancellationToken = default)
    {
        if (batch.Items.Count == 0)
        {
            batch.Completion.TrySetResult(batch.BuildReport());
            return batch.Completion.Task;
        }

        batch.EnqueuedAt = Stopwatch.GetTimestamp();
        await queues[0].Writer.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
        Interlocked.Add(ref submittedItems, batch.Items.Count);
        FirebreakMetrics.IngestInFlight.Add(batch.Items.Count);
        return batch.Completion.Task;
    }

    /// <summary>
    /// Completes when everything queued before the call has been committed and published. Stages keep
    /// FIFO order, so an empty batch sent through all of them is a barrier; a topic backfill uses it so
    /// no mention matched with the previous topic index can land after the backfill has looked.
    /// </summary>
    public async Task BarrierAsync(CancellationToken cancellationToken = default)
    {
        var marker = new IngestBatch(0, []);
        await queues[0].Writer.WriteAsync(marker, cancellationToken).ConfigureAwait(false);
        await marker.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Queues a batch and waits for its commit.</summary>
    public async Task<IngestReport> IngestAsync(IngestBatch batch, CancellationToken cancellationToken = default)
    {
        var done = await EnqueueAsync(batch, cancellationToken).ConfigureAwait(false);
        return await done.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops taking work, lets everything queued finish, then returns.</summary>
    public async Task DrainAsync()
    {
        queues[0].Writer.TryComplete();
        await Task.WhenAll(loops).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        queues[0].Writer.TryComplete();
        try
        {
            await Task.WhenAll(loops).WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await stopping.CancelAsync().ConfigureAwait(false);
        }

        stopping.Dispose();
    }

    private async Task RunStageAsync(int index)
    {
        var stage = stages[index];
        var reader = queues[index].Reader;
        var next = index + 1 < queues.Length ? queues[index + 1].Writer : null;
        var group = new List<IngestBatch>();
        try
        {
            while (await reader.WaitToReadAsync(stopping.Token).ConfigureAwait(false))
            {
                group.Clear();
                var items = 0;
                while (items < options.MaxGroupItems && reader.TryRead(out var batch))
                {
                    group.Add(batch);
                    items += batch.Items.Count;
                }

                var started = Stopwatch.GetTimestamp();
                var ok = true;
                try
                {
                    await stage.ProcessAsync(group, stopping.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
                {
                    ok = false;
                    var failure = new IngestStageException(stage.Name, ex);
                    foreach (var batch in group)
                    {
                        Finished(batch);
                        batch.Completion.TrySetException(failure);
                    }

                    FirebreakMetrics.IngestFailedBatches.Add(group.Count, new KeyValuePair<string, object?>("stage", stage.Name));
                }

                var busy = Stopwatch.GetTimestamp() - started;
                Interlocked.Add(ref stageTicks[index], busy);
                FirebreakMetrics.StageBusy.Add(Stopwatch.GetElapsedTime(0, busy).TotalSeconds, new KeyValuePair<string, object?>("stage", stage.Name));
                if (ok && next is null)
                {
                    // Past the last stage: the batch is done (for the default shape, stored and announced).
                    foreach (var batch in group)
                    {
                        var report = batch.BuildReport();
                        Finished(batch);
                        RecordOutcomes(report);
                        batch.Completion.TrySetResult(report);
                    }
                }
                else if (ok && next is not null)
                {
                    foreach (var batch in group)
                    {
                        await next.WriteAsync(batch, stopping.Token).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Hard stop: anything still queued was never acknowledged, so its senders will retry.
        }
        finally
        {
            next?.TryComplete();
            while (reader.TryRead(out var orphan))
            {
                Finished(orphan);
                orphan.Completion.TrySetCanceled();
            }
        }
    }

    private static void Finished(IngestBatch batch)
    {
        if (batch.EnqueuedAt == 0)
        {
            return; // a barrier, or a batch that never entered
        }

        FirebreakMetrics.IngestInFlight.Add(-batch.Items.Count);
        FirebreakMetrics.IngestBatchDuration.Record(Stopwatch.GetElapsedTime(batch.EnqueuedAt).TotalSeconds);
        batch.EnqueuedAt = 0;
    }

    private static void RecordOutcomes(IngestReport report)
    {
        Record("inserted", report.Inserted);
        Record("updated", report.Updated);
        Record("unchanged", report.Unchanged);
        Record("queued", report.Queued);
        Record("rejected", report.Rejected.Count);

        static void Record(string outcome, int count)
        {
            if (count > 0)
            {
                FirebreakMetrics.IngestItems.Add(count, new KeyValuePair<string, object?>("outcome", outcome));
            }
        }
    }
}

/// <summary>A stage failed for a group of batches; nothing of that group was acknowledged.</summary>
public sealed class IngestStageException(string stage, Exception inner)
    : Exception($"Ingest stage '{stage}' failed: {inner.Message}", inner)
{
    public string Stage { get; } = stage;
}
