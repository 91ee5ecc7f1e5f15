namespace Firebreak.Storage.Tests.Connectors;

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

/// <summary>One request as a stub platform saw it, with when it arrived (from the stub's start).</summary>
public sealed record StubRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body, TimeSpan At)
{
    public string? QueryValue(string name) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(Query).TryGetValue(name, out var v) ? v.ToString() : null;
}

/// <summary>
/// A platform stub for connector tests: a real Kestrel server on 127.0.0.1 (a free port) that hands every request to
/// the test's handler, which answers in the platform's documented wire format: plain HTTP (JSON, XML), server-sent
/// events (<see cref="SseAsync"/>) or WebSocket (<see cref="AcceptWebSocketAsync"/>). Every request is recorded.
/// Reusable for any platform: the handler is the platform.
/// </summary>
public sealed class StubServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly Stopwatch clock = Stopwatch.StartNew();

    private StubServer(WebApplication app) => this.app = app;

    public Uri BaseUri { get; private set; } = null!;

    /// <summary>The same server as ws://.</summary>
    public Uri WebSocketUri(string path) => new($"ws://{BaseUri.Authority}{path}");

    public ConcurrentQueue<StubRequest> Requests { get; } = new();

    public Func<HttpContext, Task> Handler { get; set; } = c =>
    {
        c.Response.StatusCode = 404;
        return Task.CompletedTask;
    };

    public static async Task<StubServer> StartAsync(Func<HttpContext, Task>? handler = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var stub = new StubServer(app);
        if (handler is not null)
        {
            stub.Handler = handler;
        }

        app.UseWebSockets();
        app.Run(async context =>
        {
            context.Request.EnableBuffering();
            var body = await new StreamReader(context.Request.Body, Encoding.UTF8).ReadToEndAsync();
            context.Request.Body.Position = 0;
            stub.Requests.Enqueue(new StubRequest(
                context.Request.Method,
                context.Request.Path.Value ?? "/",
                context.Request.QueryString.Value ?? string.Empty,
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                body,
                stub.clock.Elapsed));
            await stub.Handler(context);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        stub.BaseUri = new Uri(address.TrimEnd('/') + "/");
        return stub;
    }

    public IEnumerable<StubRequest> To(string path) => Requests.Where(r => r.Path == path);

    public static Task JsonAsync(HttpContext context, string json, int status = 200, params (string Name, string Value)[] headers)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        foreach (var (name, value) in headers)
        {
            context.Response.Headers[name] = value;
        }

        return context.Response.WriteAsync(json);
    }

    /// <summary>Writes server-sent events (event: name / data: json / blank line), flushing each, then ends the response (a dropped stream).</summary>
    public static async Task SseAsync(HttpContext context, IEnumerable<(string Event, string Data)> events)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/event-stream";
        await context.Response.WriteAsync(":thump\n\n");
        foreach (var (name, data) in events)
        {
            await context.Response.WriteAsync($"event: {name}\ndata: {data}\n\n");
            await context.Response.Body.FlushAsync();
        }
    }

    /// <summary>Accepts a WebSocket, sends each message as one text frame, then closes (or aborts, a dropped connection).</summary>
    public static async Task WebSocketAsync(HttpContext context, IEnumerable<string> messages, bool abort)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        foreach (var message in messages)
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, true, CancellationToken.None);
        }

        if (abort)
        {
            // Let the frames leave before the connection is torn down (an abort discards what Kestrel has not written yet).
            await Task.Delay(300);
            context.Abort();
        }
        else
        {
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
