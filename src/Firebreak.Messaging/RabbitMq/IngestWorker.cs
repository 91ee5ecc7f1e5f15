namespace Firebreak.Messaging.RabbitMq;

using System.Data.Common;
using System.Net.Sockets;
using System.Threading.Channels;
using Firebreak.Core.Cluster;
using Firebreak.Core.Diagnostics;
using Firebreak.Core.Ingestion;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

/// <summary>
/// A worker process's consumer: takes ingest messages from its share of the partition queues, runs them through
/// the local back half of the pipeline (analyse → match → persist → announce) and acknowledges each message
/// only after its transaction committed, strictly in delivery order.
/// <para>
/// Failure handling, the part that makes "exactly once" hold:
/// <list type="bullet">
/// <item>A message that cannot be decoded, or that fails for a reason retrying cannot fix, is copied to the
/// dead-letter queue with the reason and acknowledged, so it never blocks its queue.</item>
/// <item>A transient failure (database or network down) ends the whole session: the connection is closed
/// without acknowledging anything after the failure, RabbitMQ returns every unacknowledged message to its
/// queue in order, and the worker reconnects once the store answers again. Messages that were stored but
/// not acknowledged come back and are recognised by the idempotent store.</item>
/// <item>A killed worker is the same case: its connection drops and its messages return.</item>
/// </list>
/// </para>
/// </summary>
public sealed class IngestWorker
{
    private static readonly TimeSpan MembershipTtl = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RebalanceEvery = TimeSpan.FromSeconds(2);

    private readonly RabbitMqOptions options;
    private readonly IngestPipeline pipeline;
    private readonly ILeaseStore leases;
    private readonly Func<CancellationToken, Task<bool>> storeReady;
    private readonly TimeProvider clock;
    private readonly Func<long, CancellationToken, Task<bool>>? workspaceExists;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, bool> knownWorkspaces = new();
    private long stored;
    private long deadLettered;
    private long sessions;

    /// <summary>Creates a worker over the local back half of the pipeline.</summary>
    /// <param name="options">Broker settings (partitions must match the front nodes').</param>
    /// <param name="pipeline">Analyse → match → persist → announce, already started.</param>
    /// <param name="leases">The shared lease store, for the membership list that spreads partitions.</param>
    /// <param name="storeReady">Whether the store answers; a new session starts only when it does.</param>
    /// <param name="clock">Time source.</param>
    /// <param name="workspaceExists">Whether a workspace id exists; a message for one that does not is dead-lettered
    /// (the PostgreSQL store partitions mentions and has no foreign key to refuse it). Null: not checked.</param>
    public IngestWorker(RabbitMqOptions options, IngestPipeline pipeline, ILeaseStore leases, Func<CancellationToken, Task<bool>> storeReady, TimeProvider clock, Func<long, CancellationToken, Task<bool>>? workspaceExists = null)
    {
        this.workspaceExists = workspaceExists;
        this.options = options;
        this.pipeline = pipeline;
        this.leases = leases;
        this.storeReady = storeReady;
        this.clock = clock;
    }

    /// <summary>This worker's identity in the membership list.</summary>
    public string Id { get; init; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Messages stored and acknowledged since start.</summary>
    public long Stored => Interlocked.Read(ref stored);

    /// <summary>Messages sent to the dead-letter queue since start.</summary>
    public long DeadLettered => Interlocked.Read(ref deadLettered);

    /// <summary>Sessions (connections) opened since start; more than one means the worker recovered from a failure.</summary>
    public long Sessions => Interlocked.Read(ref sessions);

    /// <summary>The partitions this worker currently consumes.</summary>
    public IReadOnlyList<int> Partitions { get; private set; } = [];

    /// <summary>Runs until cancelled, reconnecting after every failure with a capped backoff.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromMilliseconds(250);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (await IsStoreReadyAsync(cancellationToken).ConfigureAwait(false))
                {
                    Interlocked.Increment(ref sessions);
                    FirebreakMetrics.WorkerSessions.Add(1);
                    await using var session = await WorkerSession.OpenAsync(this, cancellationToken).ConfigureAwait(false);
                    backoff = TimeSpan.FromMilliseconds(250);
                    await session.RunAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (IsTransient(ex) || ex is RabbitMQ.Client.Exceptions.BrokerUnreachableException or RabbitMQ.Client.Exceptions.OperationInterruptedException or RabbitMQ.Client.Exceptions.AlreadyClosedException)
            {
                // Broker or store went away: start a new session after a pause.
            }

            try
            {
                await Task.Delay(backoff, clock, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
        }
    }

    /// <summary>Known workspaces are remembered (they are never reused for another); unknown ones are asked again.</summary>
    private async Task<bool> WorkspaceExistsAsync(long workspaceId, CancellationToken cancellationToken)
    {
        if (workspaceExists is null || knownWorkspaces.ContainsKey(workspaceId))
        {
            return true;
        }

        if (!await workspaceExists(workspaceId, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        knownWorkspaces[workspaceId] = true;
        return true;
    }

    /// <summary>Whether a failure is worth retrying as is (infrastructure), as opposed to a bad message.</summary>
    internal static bool IsTransient(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is DbException { IsTransient: true } or IOException or SocketException or TimeoutException)
            {
                return true;
            }

            // Npgsql reports a broken connection as a non-transient exception whose cause is an I/O error,
            // and a server shutting down with SQLSTATE 57P01 (admin_shutdown) or 57P03 (cannot connect now).
            if (e is DbException { SqlState: { } state } && (state.StartsWith("08", StringComparison.Ordinal) || state.StartsWith("57P", StringComparison.Ordinal) || state is "53300" or "40001" or "40P01"))
            {
                return true;
            }
        }

        return false;
    }

    private async Task<bool> IsStoreReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await storeReady(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>One connection's worth of consuming; disposed (and its unacked messages returned) on any failure.</summary>
    private sealed class WorkerSession : IAsyncDisposable
    {
        private readonly IngestWorker worker;
        private readonly IConnection connection;
        private readonly IChannel consumer;
        private readonly IChannel deadLetters;
        private readonly Channel<(Task<IngestReport> Done, ulong Tag, byte[] Body, string Queue)> inFlight;
        private readonly Dictionary<int, string> subscriptions = [];
        private readonly CancellationTokenSource broken = new();

        private WorkerSession(IngestWorker worker, IConnection connection, IChannel consumer, IChannel deadLetters)
        {
            this.worker = worker;
            this.connection = connection;
            this.consumer = consumer;
            this.deadLetters = deadLetters;
            // Bounded by what the broker may send us unacknowledged (prefetch per queue × queues).
            inFlight = Channel.CreateUnbounded<(Task<IngestReport>, ulong, byte[], string)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
            connection.ConnectionShutdownAsync += (_, _) => broken.CancelAsync();
        }

        public static async Task<WorkerSession> OpenAsync(IngestWorker worker, CancellationToken cancellationToken)
        {
            var connection = await RabbitTopology.ConnectAsync(worker.options, "worker", cancellationToken).ConfigureAwait(false);
            try
            {
                var consumer = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: false, publisherConfirmationTrackingEnabled: false), cancellationToken).ConfigureAwait(false);
                await RabbitTopology.DeclareAsync(consumer, worker.options, cancellationToken).ConfigureAwait(false);
                await consumer.BasicQosAsync(0, worker.options.Prefetch, global: false, cancellationToken).ConfigureAwait(false);
                var deadLetters = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken).ConfigureAwait(false);
                return new WorkerSession(worker, connection, consumer, deadLetters);
            }
            catch
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            using var running = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, broken.Token);
            var acks = AcknowledgeInOrderAsync(running.Token);
            try
            {
                while (!running.IsCancellationRequested)
                {
                    await RebalanceAsync(running.Token).ConfigureAwait(false);
                    await Task.WhenAny(acks, Task.Delay(RebalanceEvery, worker.clock, running.Token)).ConfigureAwait(false);
                    if (acks.IsCompleted)
                    {
                        await acks.ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (broken.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new IOException("The broker connection was lost; reconnecting.");
            }
        }

        public async ValueTask DisposeAsync()
        {
            await broken.CancelAsync().ConfigureAwait(false);
            inFlight.Writer.TryComplete();
            try
            {
                // Closing the connection returns every unacknowledged message to its queue, in order.
                await connection.CloseAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Already broken.
            }

            await connection.DisposeAsync().ConfigureAwait(false);
            broken.Dispose();
        }

        private async Task RebalanceAsync(CancellationToken cancellationToken)
        {
            IReadOnlyList<int> desired;
            try
            {
                await worker.leases.TryAcquireAsync("worker:" + worker.Id, worker.Id, MembershipTtl, cancellationToken).ConfigureAwait(false);
                var members = await worker.leases.ListLiveAsync("worker:", cancellationToken).ConfigureAwait(false);
                var rank = members.Select(m => m.Holder).ToList().IndexOf(worker.Id);
                desired = PartitionAssignment.For(Math.Max(rank, 0), rank < 0 ? 0 : members.Count, worker.options.Partitions);
            }
            catch (Exception ex) when (IsTransient(ex))
            {
                // Membership unknown: keep what we have (the single-active-consumer queues stay exclusive anyway).
                return;
            }

            foreach (var partition in subscriptions.Keys.Except(desired).ToArray())
            {
                await consumer.BasicCancelAsync(subscriptions[partition], noWait: false, cancellationToken).ConfigureAwait(false);
                subscriptions.Remove(partition);
            }

            foreach (var partition in desired.Except(subscriptions.Keys).ToArray())
            {
                var queue = RabbitTopology.QueueName(worker.options, partition);
                var handler = new AsyncEventingBasicConsumer(consumer);
                handler.ReceivedAsync += (_, delivery) => OnReceivedAsync(queue, delivery);
                subscriptions[partition] = await consumer.BasicConsumeAsync(queue, autoAck: false, handler, cancellationToken).ConfigureAwait(false);
            }

            worker.Partitions = [.. subscriptions.Keys.Order()];
        }

        private async Task OnReceivedAsync(string queue, BasicDeliverEventArgs delivery)
        {
            // The body's memory belongs to the client library only until this handler returns.
            var body = delivery.Body.ToArray();
            Task<IngestReport> done;
            try
            {
                var (workspaceId, mentions) = IngestMessageCodec.Decode(body);
                if (!await worker.WorkspaceExistsAsync(workspaceId, broken.Token).ConfigureAwait(false))
                {
                    throw new IngestMessageException($"workspace {workspaceId} does not exist (deleted after the message was queued, or a forged message)");
                }

                var items = new List<IngestItem>(mentions.Count);
                for (var i = 0; i < mentions.Count; i++)
                {
                    items.Add(new IngestItem { Index = i, Mention = mentions[i] });
                }

                // Back-pressure: waits while the local pipeline is full, which stops reading from the socket.
                done = await worker.pipeline.EnqueueAsync(new IngestBatch(workspaceId, items), broken.Token).ConfigureAwait(false);
            }
            catch (IngestMessageException ex)
            {
                done = Task.FromException<IngestReport>(ex);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The workspace check could not reach the store: transient, so acknowledging in order ends the session.
                done = Task.FromException<IngestReport>(ex);
            }

            await inFlight.Writer.WriteAsync((done, delivery.DeliveryTag, body, queue), broken.Token).ConfigureAwait(false);
        }

        private async Task AcknowledgeInOrderAsync(CancellationToken cancellationToken)
        {
            await foreach (var (done, tag, body, queue) in inFlight.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await done.WaitAsync(cancellationToken).ConfigureAwait(false);
                    Interlocked.Increment(ref worker.stored);
                    FirebreakMetrics.WorkerMessages.Add(1, new KeyValuePair<string, object?>("result", "stored"));
                }
                catch (Exception ex) when (ex is not OperationCanceledException && !IsTransient(ex))
                {
                    await DeadLetterAsync(body, queue, Describe(ex), cancellationToken).ConfigureAwait(false);
                }

                // A transient failure escapes from here and ends the session before anything later is acknowledged.
                await consumer.BasicAckAsync(tag, multiple: false, cancellationToken).ConfigureAwait(false);
            }
        }

        private async Task DeadLetterAsync(byte[] body, string queue, string reason, CancellationToken cancellationToken)
        {
            var properties = new BasicProperties
            {
                Persistent = true,
                ContentType = "application/json",
                Headers = new Dictionary<string, object?>
                {
                    [RabbitTopology.ReasonHeader] = reason.Length > 1000 ? reason[..1000] : reason,
                    [RabbitTopology.QueueHeader] = queue,
                },
            };
            await deadLetters.BasicPublishAsync(RabbitTopology.DeadLetters(worker.options), string.Empty, mandatory: true, properties, body, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref worker.deadLettered);
            FirebreakMetrics.WorkerMessages.Add(1, new KeyValuePair<string, object?>("result", "dead_lettered"));
        }

        private static string Describe(Exception ex) =>
            ex is IngestStageException stage ? $"stage '{stage.Stage}' failed: {stage.InnerException?.Message}" : ex.Message;
    }
}
