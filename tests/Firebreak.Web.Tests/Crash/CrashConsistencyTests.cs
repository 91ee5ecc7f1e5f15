namespace Firebreak.Web.Tests.Crash;

using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Firebreak.Web.Tests.Api;
using Microsoft.Data.Sqlite;

/// <summary>
/// Kills the server with SIGKILL while clients are ingesting, restarts it, re-sends everything (as an
/// at-least-once client must for unacknowledged batches) and checks that nothing acknowledged was lost,
/// nothing was doubled, and the rollups still equal the stored mentions.
/// </summary>
public sealed class CrashConsistencyTests : IDisposable
{
    private const int Batches = 60;
    private const int PerBatch = 250;
    private readonly DirectoryInfo data = Directory.CreateTempSubdirectory("firebreak-crash-");

    [Fact]
    public async Task KillHardMidIngest_RestartAndResend_NothingLostNothingDoubled()
    {
        var batches = Enumerable.Range(0, Batches).Select(Batch).ToArray();
        var acknowledged = new HashSet<int>();
        string token;

        var (first, url) = await StartAsync();
        await using (first)
        {
            token = await Firebreak.Tests.Shared.TestAccounts.SetupOwnerAsync(new Uri(url), (await File.ReadAllTextAsync(Path.Combine(data.FullName, "setup-token"))).Trim());
            using var client = Firebreak.Tests.Shared.TestAccounts.WithBearer(new Uri(url), token);
            (await client.PostAsJsonAsync("/api/workspaces", new { slug = "crash" })).EnsureSuccessStatusCode();
            (await client.PostAsJsonAsync("/api/workspaces/crash/topics", new { name = "Refunds", query = "refund*" })).EnsureSuccessStatusCode();

            // Three concurrent senders; the server is killed once a third of the batches are acknowledged.
            using var stop = new CancellationTokenSource();
            var next = -1;
            var senders = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
            {
                int index;
                while (!stop.IsCancellationRequested && (index = Interlocked.Increment(ref next)) < Batches)
                {
                    try
                    {
                        var response = await client.PostAsync("/api/workspaces/crash/ingest", Content(batches[index]), stop.Token);
                        if (response.IsSuccessStatusCode)
                        {
                            lock (acknowledged)
                            {
                                acknowledged.Add(index);
                            }
                        }
                    }
                    catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
                    {
                        return; // The server died under us: this batch was never acknowledged.
                    }
                }
            })).ToArray();

            while (true)
            {
                lock (acknowledged)
                {
                    if (acknowledged.Count >= Batches / 3)
                    {
                        break;
                    }
                }

                await Task.Delay(5);
            }

            await first.KillHardAsync();
            await stop.CancelAsync();
            await Task.WhenAll(senders);
        }

        Assert.InRange(acknowledged.Count, Batches / 3, Batches - 1);
        var afterCrash = Count("SELECT count(*) FROM mentions");
        Assert.True(afterCrash >= acknowledged.Count * PerBatch, $"acknowledged {acknowledged.Count * PerBatch} mentions but only {afterCrash} survived the kill");
        Assert.Equal(afterCrash, Count("SELECT coalesce(sum(count), 0) FROM rollup_minute WHERE topic_id = 0"));

        var (second, url2) = await StartAsync();
        await using (second)
        {
            using var client = Firebreak.Tests.Shared.TestAccounts.WithBearer(new Uri(url2), token);
            foreach (var batch in batches)
            {
                (await client.PostAsync("/api/workspaces/crash/ingest", Content(batch))).EnsureSuccessStatusCode();
            }

            var total = Batches * PerBatch;
            var series = await client.GetFromJsonAsync<JsonElement>($"/api/workspaces/crash/series?interval=day&from={Uri.EscapeDataString(Payloads.Base.AddDays(-2).ToString("O"))}&to={Uri.EscapeDataString(Payloads.Base.AddDays(2).ToString("O"))}");
            Assert.Equal(total, series.GetProperty("points").EnumerateArray().Sum(p => p.GetProperty("count").GetInt64()));
        }

        Assert.Equal(Batches * PerBatch, Count("SELECT count(*) FROM mentions"));
        Assert.Equal(Batches * PerBatch, Count("SELECT count(DISTINCT external_id) FROM mentions"));
        Assert.Equal(Batches * PerBatch, Count("SELECT coalesce(sum(count), 0) FROM rollup_hour WHERE topic_id = 0"));
        var refunds = Count("SELECT count(*) FROM mentions WHERE text LIKE '%refund%'");
        Assert.Equal(refunds, Count("SELECT count(*) FROM mention_topics"));
        Assert.Equal(refunds, Count("SELECT coalesce(sum(count), 0) FROM rollup_minute WHERE topic_id <> 0"));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        data.Delete(recursive: true);
    }

    private static string Batch(int index) => Payloads.Ndjson(Enumerable.Range(0, PerBatch).Select(i =>
    {
        var n = (index * PerBatch) + i;
        return (object)Payloads.Mention("c" + n, n % 4 == 0 ? $"I want a refund for flight {n}" : $"flight {n} was fine", minute: n % 600, followers: n);
    }));

    private static ByteArrayContent Content(string ndjson)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(ndjson));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        return content;
    }

    private Task<(ServerProcess, string)> StartAsync()
    {
        var start = new ProcessStartInfo("dotnet") { ArgumentList = { TestPaths.FirebreakDll, "serve", "--data", data.FullName, "--urls", $"http://127.0.0.1:{TestPaths.FreePort()}" } };
        return ServerProcess.StartAsync(start, TimeSpan.FromSeconds(60));
    }

    private long Count(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(data.FullName, "firebreak.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
