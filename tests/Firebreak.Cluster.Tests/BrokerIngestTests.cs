namespace Firebreak.Cluster.Tests;

using System.Text;
using Firebreak.Core.Ingestion;
using Firebreak.Messaging.RabbitMq;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;

/// <summary>
/// The distributed pipeline against a real RabbitMQ: front node → quorum queues → workers → store. Every test
/// ends with the same check: what is stored equals what was sent, each mention exactly once, latest text kept.
/// </summary>
public sealed class BrokerIngestTests
{
    private static readonly DateTimeOffset At = TimeProvider.System.GetUtcNow().AddHours(-1);

    [RabbitFact]
    public async Task Mentions_and_their_edits_are_stored_once_in_order_through_the_broker()
    {
        await using var cluster = await BrokerCluster.StartAsync();
        await cluster.StartWorkerAsync();
        var originals = Enumerable.Range(0, 600).Select(i => BrokerCluster.Input(i, $"original {i} مرحبا 👋", At)).ToArray();
        var edits = Enumerable.Range(0, 200).Select(i => BrokerCluster.Input(i * 3, $"edited {i * 3}", At)).ToArray();

        await cluster.SendAsync(originals);
        await cluster.SendAsync(edits);
        await cluster.WaitForCountAsync(600, TimeSpan.FromSeconds(60));
        await WaitForTextsAsync(cluster, Expected(originals, edits));
        var versions = await cluster.Reader.GetVersionsAsync(cluster.WorkspaceId, (await FindAsync(cluster, "m3")).Id, CancellationToken.None);
        Assert.Contains(versions, v => v.Text == "original 3 مرحبا 👋");
    }

    [RabbitFact]
    public async Task Poison_messages_go_to_the_dead_letter_queue_with_a_reason_and_never_block_their_queue()
    {
        await using var cluster = await BrokerCluster.StartAsync();
        await using (var connection = await RabbitTopology.ConnectAsync(cluster.Rabbit, "test", CancellationToken.None))
        await using (var channel = await cluster.OpenChannelAsync(connection))
        {
            // Garbage and a truncated message, straight into partition queues ahead of real work.
            await channel.BasicPublishAsync(RabbitTopology.IngestExchange(cluster.Rabbit), RabbitTopology.RoutingKey(0), Encoding.UTF8.GetBytes("\u0000garbage\uFFFD"));
            await channel.BasicPublishAsync(RabbitTopology.IngestExchange(cluster.Rabbit), RabbitTopology.RoutingKey(1), Encoding.UTF8.GetBytes("{\"v\":1,\"workspace\":1,\"mentions\":[{\"platform\":\"x\""));
        }

        await cluster.StartWorkerAsync();
        var inputs = Enumerable.Range(0, 200).Select(i => BrokerCluster.Input(i, "after the poison " + i, At)).ToArray();
        await cluster.SendAsync(inputs);
        await cluster.WaitForCountAsync(200, TimeSpan.FromSeconds(60));

        const int expected = 2;
        var reasons = await ReadDeadLettersAsync(cluster, expected);

        Assert.Equal(expected, reasons.Count);
        Assert.Contains(reasons, r => r.StartsWith("malformed message", StringComparison.Ordinal) && r.EndsWith(RabbitTopology.QueueName(cluster.Rabbit, 0), StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.StartsWith("malformed message", StringComparison.Ordinal) && r.EndsWith(RabbitTopology.QueueName(cluster.Rabbit, 1), StringComparison.Ordinal));
    }

    [RabbitFact(needsPostgres: true)]
    public async Task A_message_for_a_workspace_that_does_not_exist_is_dead_lettered_and_blocks_nothing()
    {
        await using var cluster = await BrokerCluster.StartAsync();
        await cluster.StartWorkerAsync();
        // Well formed and decodable, but for no workspace: PostgreSQL has no foreign key that would refuse it.
        var orphan = await cluster.Front.IngestAsync(IngestBatch.FromInputs(987_654, [BrokerCluster.Input(1, "for nobody", At)]));
        Assert.Equal(1, orphan.Queued);

        var inputs = Enumerable.Range(0, 200).Select(i => BrokerCluster.Input(i, "after the orphan " + i, At)).ToArray();
        await cluster.SendAsync(inputs);
        await cluster.WaitForCountAsync(200, TimeSpan.FromSeconds(60));

        var reasons = await ReadDeadLettersAsync(cluster, 1);
        Assert.StartsWith("workspace 987654 does not exist", Assert.Single(reasons));
        Assert.Equal(200, await cluster.CountAsync());
    }

    private static async Task<List<string>> ReadDeadLettersAsync(BrokerCluster cluster, int expected)
    {
        await using var reader = await RabbitTopology.ConnectAsync(cluster.Rabbit, "test", CancellationToken.None);
        await using var dead = await reader.CreateChannelAsync();
        var reasons = new List<string>();
        for (var tries = 0; reasons.Count < expected && tries < 100; tries++)
        {
            if (await dead.BasicGetAsync(RabbitTopology.DeadLetters(cluster.Rabbit), autoAck: true) is { } letter)
            {
                var headers = letter.BasicProperties.Headers!;
                reasons.Add(Encoding.UTF8.GetString((byte[])headers[RabbitTopology.ReasonHeader]!) + " @ " + Encoding.UTF8.GetString((byte[])headers[RabbitTopology.QueueHeader]!));
            }
            else
            {
                await Task.Delay(100);
            }
        }

        return reasons;
    }

    [RabbitFact(needsRestart: true)]
    public async Task A_RabbitMQ_restart_mid_stream_loses_and_doubles_nothing()
    {
        await using var cluster = await BrokerCluster.StartAsync(faults: true);
        var worker = await cluster.StartWorkerAsync();
        var inputs = Enumerable.Range(0, 3000).Select(i => BrokerCluster.Input(i, "restart " + i, At)).ToArray();

        var sending = cluster.SendAsync(inputs, batchSize: 25);
        await WaitForStoredAsync(cluster, 500);
        await TestServers.RunAsync(TestServers.RabbitMqRestart!);
        await sending;

        await cluster.WaitForCountAsync(3000, TimeSpan.FromSeconds(120));
        await WaitForTextsAsync(cluster, Expected(inputs, []));
        Assert.True(worker.Services.GetRequiredService<IngestWorker>().Sessions >= 2, "the worker should have reconnected after the restart");
    }

    [RabbitFact(needsPostgresRestart: true)]
    public async Task A_PostgreSQL_restart_mid_stream_loses_and_doubles_nothing()
    {
        await using var cluster = await BrokerCluster.StartAsync(faults: true);
        var worker = await cluster.StartWorkerAsync();
        var inputs = Enumerable.Range(0, 3000).Select(i => BrokerCluster.Input(i, "pg restart " + i, At)).ToArray();

        var sending = cluster.SendAsync(inputs, batchSize: 25);
        await WaitForStoredAsync(cluster, 500);
        await TestServers.RunAsync(TestServers.PostgresRestart!);
        await sending;

        await cluster.WaitForCountAsync(3000, TimeSpan.FromSeconds(120));
        await WaitForTextsAsync(cluster, Expected(inputs, []));
        Assert.Equal(0, worker.Services.GetRequiredService<IngestWorker>().DeadLettered);
    }

    [RabbitFact]
    public async Task A_worker_killed_hard_mid_batch_loses_and_doubles_nothing()
    {
        await using var cluster = await BrokerCluster.StartAsync();
        var victim = await cluster.StartWorkerProcessAsync();
        var inputs = Enumerable.Range(0, 4000).Select(i => BrokerCluster.Input(i, "kill " + i, At)).ToArray();

        var sending = cluster.SendAsync(inputs, batchSize: 100);
        await WaitForStoredAsync(cluster, 300);
        victim.Kill(entireProcessTree: true); // SIGKILL: no drain, no acknowledgements, a transaction maybe half done
        await victim.WaitForExitAsync();
        var stored = await cluster.CountAsync();
        Assert.True(stored < inputs.Length, "the worker should have been killed mid-stream");

        await cluster.StartWorkerProcessAsync();
        await cluster.StartWorkerProcessAsync(); // two survivors share the partitions
        await sending;
        await cluster.WaitForCountAsync(4000, TimeSpan.FromSeconds(120));
        await WaitForTextsAsync(cluster, Expected(inputs, []));
    }

    private static Dictionary<string, string> Expected(Core.Ingestion.MentionInput[] originals, Core.Ingestion.MentionInput[] edits)
    {
        var expected = originals.ToDictionary(i => i.ExternalId!, i => i.Text!);
        foreach (var edit in edits)
        {
            expected[edit.ExternalId!] = edit.Text!;
        }

        return expected;
    }

    private static async Task WaitForTextsAsync(BrokerCluster cluster, Dictionary<string, string> expected)
    {
        Dictionary<string, string> stored = [];
        for (var i = 0; i < 100; i++)
        {
            stored = await cluster.StoredTextsAsync();
            if (stored.Count == expected.Count && expected.All(e => stored.GetValueOrDefault(e.Key) == e.Value))
            {
                return;
            }

            await Task.Delay(200);
        }

        Assert.Equal(expected.Count, stored.Count);
        var wrong = expected.First(e => stored.GetValueOrDefault(e.Key) != e.Value);
        Assert.Fail($"{wrong.Key}: expected '{wrong.Value}', stored '{stored.GetValueOrDefault(wrong.Key)}'");
    }

    private static async Task WaitForStoredAsync(BrokerCluster cluster, long atLeast)
    {
        for (var i = 0; i < 600 && await cluster.CountAsync() < atLeast; i++)
        {
            await Task.Delay(50);
        }
    }

    private static async Task<Core.Mentions.Mention> FindAsync(BrokerCluster cluster, string externalId)
    {
        await foreach (var mention in cluster.Reader.StreamAsync(cluster.WorkspaceId, new Core.Mentions.MentionFilter(), CancellationToken.None))
        {
            if (mention.ExternalId == externalId)
            {
                return mention;
            }
        }

        throw new InvalidOperationException(externalId + " not stored");
    }
}
