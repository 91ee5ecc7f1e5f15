namespace Firebreak.Storage.Tests.Connectors;

using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

/// <summary>
/// Answers queued ahead of a fake platform's normal behaviour, per path: a 429 with Retry-After, a 5xx, a 200 with an
/// error envelope, a truncated body. Each is served once, to the next request on its path; then the fake answers normally.
/// </summary>
public sealed class ScriptedFailures
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<(int Status, (string, string)[] Headers, string Body)>> queues = new();

    public void Enqueue(string path, int status, string body, params (string, string)[] headers) =>
        queues.GetOrAdd(path, _ => new()).Enqueue((status, headers, body));

    /// <summary>Serves the next scripted answer for the request's path, if any.</summary>
    public Task? TryServe(HttpContext context) =>
        queues.TryGetValue(context.Request.Path.Value!, out var queue) && queue.TryDequeue(out var next)
            ? StubServer.JsonAsync(context, next.Body, next.Status, next.Headers)
            : null;
}
