namespace Firebreak.Core.Connectors;

using Firebreak.Core.Detection;
using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;
using Firebreak.Core.Workspaces;

/// <summary>How often and how patiently sources are listened to.</summary>
public sealed class ConnectorRunnerOptions
{
    /// <summary>Wait between polls of a polling connector (feeds, REST timelines).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Wait before reconnecting a dropped stream or retrying after a transient failure (doubled up to 8× on repeats).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A source with no successful call for this long raises a "stopped receiving" alert.</summary>
    public TimeSpan StallAfter { get; set; } = TimeSpan.FromMinutes(30);
}

/// <summary>What one pass or backfill did.</summary>
public sealed record ListenReport(int Pages, int Received, int Inserted, int Rejected, IReadOnlyList<ItemError> Errors, string? Checkpoint, ConnectorException? Failure);

/// <summary>Progress of a backfill: pages and items so far, and the newest item time reached.</summary>
public sealed record BackfillProgress(int Pages, int Items, DateTimeOffset? Reached);

/// <summary>
/// Runs one source: asks its connector for pages from the stored checkpoint, feeds each page to the real ingest
/// pipeline and waits for the commit, then stores the page's checkpoint. That order is the whole guarantee: a crash
/// before the checkpoint is stored repeats a page (the store is idempotent on (workspace, platform, external id)); a
/// checkpoint is never ahead of what is committed, so nothing is missed. Health is recorded after every call.
/// </summary>
public sealed class ConnectorRunner(
    IEnumerable<IListeningConnector> connectors,
    IConnectorStore store,
    ConnectionService connections,
    IngestPipeline pipeline,
    ConnectorRunnerOptions options,
    TimeProvider clock)
{
    private readonly Dictionary<Platform, IListeningConnector> byPlatform = connectors.ToDictionary(c => c.Platform);

    public IListeningConnector? ConnectorFor(Platform platform) => byPlatform.GetValueOrDefault(platform);

    /// <summary>Listens to <paramref name="source"/> until cancelled: polls, or keeps the stream open and reconnects it.</summary>
    public async Task RunAsync(Source source, CancellationToken cancellationToken)
    {
        var connector = ConnectorFor(source.Platform) ?? throw new InvalidOperationException($"No listening connector for {source.Platform}.");
        var health = new HealthTracker(source.WorkspaceId, source.Id, source.Platform, clock);
        health.Restore((await store.ListHealthAsync(source.WorkspaceId, cancellationToken).ConfigureAwait(false)).FirstOrDefault(h => h.SourceId == source.Id));
        var started = clock.GetUtcNow();
        var failures = 0;
        var stallRaised = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            var report = await PassAsync(source, connector, health, cancellationToken).ConfigureAwait(false);
            failures = report.Failure is null ? 0 : failures + 1;
            if (report.Failure is { Kind: FailureKind.Revoked or FailureKind.Forbidden })
            {
                // A person must act (reconnect, grant the scope); trying again every few seconds only spends quota.
                await Task.Delay(options.StallAfter, clock, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var lastOk = health.LastSuccessAt ?? started;
            if (clock.GetUtcNow() - lastOk >= options.StallAfter && !stallRaised)
            {
                stallRaised = true;
                await connections.RaiseAsync(source.WorkspaceId, $"source:{source.Id}", DetectionSeverity.High,
                    $"{source.Platform} source \"{source.Name ?? source.Target}\" has received nothing for {options.StallAfter.TotalMinutes:0} minutes (last error: {report.Failure?.Message ?? "none"}).",
                    cancellationToken).ConfigureAwait(false);
            }
            else if (report.Failure is null)
            {
                stallRaised = false;
            }

            var wait = report.Failure is not null || connector.Streams(source)
                ? TimeSpan.FromTicks(options.RetryDelay.Ticks * (1L << Math.Min(Math.Max(failures - 1, 0), 3)))
                : options.PollInterval;
            await Task.Delay(wait, clock, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One pass: every page the connector has now (for a stream: until it drops), each committed before its checkpoint is stored.</summary>
    public async Task<ListenReport> PassAsync(Source source, IListeningConnector connector, HealthTracker health, CancellationToken cancellationToken)
    {
        var (connection, account) = await connections.ForSourceAsync(source, cancellationToken).ConfigureAwait(false);
        var checkpoint = await store.GetCheckpointAsync(source.WorkspaceId, source.Id, cancellationToken).ConfigureAwait(false);
        var request = new ListenRequest(source, account, checkpoint);
        var tally = new Tally();
        ConnectorException? failure = null;
        try
        {
            await foreach (var page in connector.ListenAsync(request, cancellationToken).ConfigureAwait(false))
            {
                await CommitAsync(source, page, tally, cancellationToken).ConfigureAwait(false);
                if (page.Checkpoint is { } next && next != checkpoint)
                {
                    await store.SaveCheckpointAsync(source.WorkspaceId, source.Id, next, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                    checkpoint = next;
                }

                health.Success(page.Items.Count, page.Items.Max(i => i.CreatedAt));
                if (page.Errors.Count > 0)
                {
                    health.Failure(page.Errors[0].Reason + " at " + page.Errors[0].Position);
                }

                await store.SaveHealthAsync(health.Snapshot(), cancellationToken).ConfigureAwait(false);
            }

            if (tally.Pages == 0)
            {
                health.Success(0, null);
            }
        }
        catch (Exception e) when (e is ConnectorException or IngestStageException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // A pipeline stage that failed a group is transient too: the page was not committed, so its checkpoint was not stored.
            failure = e as ConnectorException ?? new ConnectorException(connector.GetType().Name, FailureKind.Transient, e.Message, null, e);
            health.Failure(failure.Message);
            if (failure.Kind == FailureKind.Revoked && connection is not null)
            {
                await connections.RevokedAsync(connection, failure.Message, cancellationToken).ConfigureAwait(false);
            }
        }

        await store.SaveHealthAsync(health.Snapshot(), cancellationToken).ConfigureAwait(false);
        return new ListenReport(tally.Pages, tally.Received, tally.Inserted, tally.Rejected, tally.Errors, checkpoint, failure);
    }

    /// <summary>Ingests everything created in [from, to) without touching the live checkpoint.</summary>
    public async Task<ListenReport> BackfillAsync(Source source, DateTimeOffset from, DateTimeOffset to, IProgress<BackfillProgress>? progress, CancellationToken cancellationToken)
    {
        var connector = ConnectorFor(source.Platform) ?? throw new InvalidOperationException($"No listening connector for {source.Platform}.");
        var (_, account) = await connections.ForSourceAsync(source, cancellationToken).ConfigureAwait(false);
        var tally = new Tally();
        ConnectorException? failure = null;
        DateTimeOffset? reached = null;
        try
        {
            await foreach (var page in connector.BackfillAsync(new ListenRequest(source, account, null), from, to, cancellationToken).ConfigureAwait(false))
            {
                await CommitAsync(source, page, tally, cancellationToken).ConfigureAwait(false);
                reached = page.Items.Max(i => i.CreatedAt) is { } max && (reached is null || max > reached) ? max : reached;
                progress?.Report(new BackfillProgress(tally.Pages, tally.Received, reached));
            }
        }
        catch (ConnectorException e)
        {
            failure = e;
        }

        return new ListenReport(tally.Pages, tally.Received, tally.Inserted, tally.Rejected, tally.Errors, null, failure);
    }

    private async Task CommitAsync(Source source, ListenPage page, Tally tally, CancellationToken cancellationToken)
    {
        tally.Pages++;
        tally.Errors.AddRange(page.Errors);
        if (page.Items.Count == 0)
        {
            return;
        }

        foreach (var item in page.Items)
        {
            item.SourceId = source.Id;
            item.Platform ??= source.Platform.ToWire();
        }

        // Waits for the commit: only then may the page's checkpoint be stored.
        var report = await pipeline.IngestAsync(IngestBatch.FromInputs(source.WorkspaceId, page.Items), cancellationToken).ConfigureAwait(false);
        tally.Received += report.Received;
        tally.Inserted += report.Inserted;
        tally.Rejected += report.Rejected.Count;
    }

    private sealed class Tally
    {
        public int Pages { get; set; }

        public int Received { get; set; }

        public int Inserted { get; set; }

        public int Rejected { get; set; }

        public List<ItemError> Errors { get; } = [];
    }
}
