namespace Firebreak.Tests.Shared;

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

/// <summary>One request as the receiver saw it.</summary>
public sealed record ReceivedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body, TimeSpan At, int AnsweredStatus);

/// <summary>What the receiver answers: a status, optional headers (Retry-After) and an optional JSON body.</summary>
public sealed record Answer(int Status, IReadOnlyDictionary<string, string>? Headers = null, string? Json = null)
{
    public static Answer Ok { get; } = new(200);
}

/// <summary>
/// A real HTTP receiver on a loopback port (HttpListener): records every request with the time it arrived (from
/// its own start) and answers what <see cref="Respond"/> says, so tests can script 500s, 429s and successes.
/// </summary>
public sealed class TestHttpReceiver : IAsyncDisposable
{
    private readonly HttpListener listener = new();
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly Task serving;

    public TestHttpReceiver()
    {
        Port = FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        serving = ServeAsync();
    }

    public int Port { get; }

    public string Url(string path = "/hook") => $"http://127.0.0.1:{Port}{path}";

    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    /// <summary>Decides the answer for the n-th request (0-based) and its content; default 200.</summary>
    public Func<int, ReceivedRequest, Answer> Respond { get; set; } = (_, _) => Answer.Ok;

    public async Task<ReceivedRequest[]> WaitForAsync(Func<ReceivedRequest[], bool> done, TimeSpan? timeout = null)
    {
        await Poll.UntilAsync(() => done([.. Requests]), timeout ?? TimeSpan.FromSeconds(30), () => $"receiver condition not met; {Requests.Count} requests so far");
        return [.. Requests];
    }

    public async ValueTask DisposeAsync()
    {
        listener.Stop();
        try
        {
            await serving;
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
        {
        }

        listener.Close();
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private async Task ServeAsync()
    {
        var count = 0;
        while (listener.IsListening)
        {
            var context = await listener.GetContextAsync();
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var headers = context.Request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
            var request = new ReceivedRequest(context.Request.HttpMethod, context.Request.Url!.AbsolutePath, headers, body.ToArray(), clock.Elapsed, 0);
            var answer = Respond(count++, request);
            Requests.Enqueue(request with { AnsweredStatus = answer.Status });
            context.Response.StatusCode = answer.Status;
            foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>())
            {
                context.Response.Headers[name] = value;
            }

            if (answer.Json is { } json)
            {
                var bytes = System.Text.Encoding.UTF8.GetBytes(json);
                context.Response.ContentType = "application/json; charset=utf-8";
                await context.Response.OutputStream.WriteAsync(bytes);
            }

            context.Response.Close();
        }
    }
}
