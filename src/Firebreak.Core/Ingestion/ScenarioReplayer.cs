namespace Firebreak.Core.Ingestion;

using Firebreak.Core.Scenarios;

/// <summary>
/// Feeds a generated scenario through the real pipeline. Items whose capture time has already passed go
/// in as fast as the pipeline takes them (the history); later items are released when their time comes,
/// scaled by <c>speed</c> (2 = twice real time). With <c>realTime: false</c> everything goes in at full
/// speed, which is how benchmarks and `firebreak replay --fast` use it.
/// </summary>
public sealed class ScenarioReplayer(IngestPipeline pipeline, TimeProvider clock)
{
    private const int BatchSize = 1_000;

    /// <summary>Items handed to the pipeline so far.</summary>
    public long Submitted { get; private set; }

    public async Task<IngestReport> RunAsync(long workspaceId, ScenarioGenerator generator, bool realTime, double speed, CancellationToken cancellationToken)
    {
        var anchorWall = clock.GetUtcNow();
        var pending = new Queue<Task<IngestReport>>();
        var report = IngestReport.Empty;
        var inputs = new List<MentionInput>(BatchSize);
        while (generator.NextCaptureAt is { } due)
        {
            if (realTime && due > anchorWall)
            {
                var wait = TimeSpan.FromTicks((long)((due - anchorWall).Ticks / Math.Max(speed, 0.001))) - (clock.GetUtcNow() - anchorWall);
                if (wait > TimeSpan.Zero)
                {
                    // Hand over what is waiting before sleeping, so live items show up at once.
                    report = await FlushAsync(workspaceId, inputs, pending, report, 0, cancellationToken).ConfigureAwait(false);
                    await Task.Delay(wait, clock, cancellationToken).ConfigureAwait(false);
                }
            }

            var input = generator.Next()!;
            if (realTime && speed != 1 && input.CreatedAt is { } created && created > anchorWall)
            {
                // At N× speed the scenario's future is compressed onto the wall clock, so live items are dated
                // when they are released, never ahead of the server's clock (which ingest would reject).
                input.CreatedAt = anchorWall + ((created - anchorWall) / Math.Max(speed, 0.001));
            }

            inputs.Add(input);
            if (inputs.Count >= BatchSize)
            {
                report = await FlushAsync(workspaceId, inputs, pending, report, 8, cancellationToken).ConfigureAwait(false);
            }
        }

        report = await FlushAsync(workspaceId, inputs, pending, report, 0, cancellationToken).ConfigureAwait(false);
        return report;
    }

    private async Task<IngestReport> FlushAsync(long workspaceId, List<MentionInput> inputs, Queue<Task<IngestReport>> pending, IngestReport report, int keep, CancellationToken cancellationToken)
    {
        if (inputs.Count > 0)
        {
            var batch = IngestBatch.FromInputs(workspaceId, inputs.ToArray());
            Submitted += inputs.Count;
            inputs.Clear();
            pending.Enqueue(await pipeline.EnqueueAsync(batch, cancellationToken).ConfigureAwait(false));
        }

        while (pending.Count > keep)
        {
            report = report.Add(await pending.Dequeue().ConfigureAwait(false));
        }

        return report;
    }
}
