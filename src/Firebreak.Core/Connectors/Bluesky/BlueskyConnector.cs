namespace Firebreak.Core.Connectors.Bluesky;

using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;
using Firebreak.Core.Workspaces;

/// <summary>Where Bluesky is read from.</summary>
public sealed class BlueskyOptions
{
    /// <summary>A Jetstream instance's subscribe endpoint (Jetstream v0.x, the JSON firehose of bluesky-social/jetstream).</summary>
    public Uri JetstreamUri { get; set; } = new("wss://jetstream2.us-east.bsky.network/subscribe");

    /// <summary>The AppView that answers app.bsky.feed.searchPosts (public, no token needed for search at the time of writing).</summary>
    public Uri AppViewUri { get; set; } = new("https://public.api.bsky.app/");

    /// <summary>How far back a resumed stream starts before the checkpoint: Jetstream instances' clocks differ, so a rewind closes the gap; the idempotent store absorbs the overlap.</summary>
    public TimeSpan ResumeRewind { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Stream events between checkpoint-only pages when nothing matches (the checkpoint still advances on a quiet source).</summary>
    public int CheckpointEvery { get; set; } = 500;

    /// <summary>Largest single stream message accepted.</summary>
    public int MaxMessageBytes { get; set; } = 1024 * 1024;
}

/// <summary>
/// Bluesky listening: the Jetstream WebSocket (<c>/subscribe?wantedCollections=app.bsky.feed.post&amp;cursor=&lt;time_us&gt;</c>;
/// JSON events of kind commit/identity/account; commit.operation create/update/delete) filtered to the source (mentions
/// of the owned handle or DID and replies to it, a #hashtag, or keywords), and XRPC <c>app.bsky.feed.searchPosts</c>
/// (cursor paging, since/until) for backfill. The checkpoint is the time_us of the last committed event; a resumed
/// stream starts <see cref="BlueskyOptions.ResumeRewind"/> earlier and skips events already seen in the session.
/// </summary>
public sealed class BlueskyConnector(ConnectorHttp http, BlueskyOptions options, Func<ClientWebSocket>? socketFactory = null) : IListeningConnector
{
    private const string Name = BlueskyMapper.Name;

    public Platform Platform => Platform.Bluesky;

    public bool Streams(Source source) => true;

    public string? Unsupported(Source source) => source.Kind == SourceKind.Feed
        ? "Bluesky sources are an account (handle or DID: its mentions and replies) or a query (#hashtag or keywords)"
        : null;

    public async IAsyncEnumerable<ListenPage> ListenAsync(ListenRequest request, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filter = Filter.For(request.Source);
        var cursor = request.Checkpoint is { } saved && long.TryParse(saved, NumberStyles.None, CultureInfo.InvariantCulture, out var us)
            ? us - (long)(options.ResumeRewind.TotalMilliseconds * 1000)
            : (long?)null;
        var uri = new UriBuilder(options.JetstreamUri) { Query = "wantedCollections=app.bsky.feed.post" + (cursor is { } c ? "&cursor=" + c.ToString(CultureInfo.InvariantCulture) : string.Empty) }.Uri;
        using var socket = socketFactory?.Invoke() ?? new ClientWebSocket();
        try
        {
            await socket.ConnectAsync(uri, cancellationToken).ConfigureAwait(false);
        }
        catch (WebSocketException e)
        {
            throw new ConnectorException(Name, FailureKind.Transient, $"Jetstream at {uri.Host} did not open ({e.Message})", null, e);
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var checkpoint = request.Checkpoint;
        var sinceYield = 0;
        var number = 0;
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            message.SetLength(0);
            var ended = await ReceiveAsync(socket, buffer, message, number, checkpoint, cancellationToken).ConfigureAwait(false);
            if (ended is not null)
            {
                // Everything received was handled: hand over the checkpoint reached before reporting the drop.
                yield return ListenPage.Empty(checkpoint);
                throw ended;
            }

            number++;
            var page = Event(message.ToArray(), number, filter, seen, ref checkpoint);
            sinceYield++;
            if (page is not null)
            {
                sinceYield = 0;
                yield return page;
            }
            else if (sinceYield >= options.CheckpointEvery)
            {
                sinceYield = 0;
                yield return ListenPage.Empty(checkpoint);
            }
        }
    }

    /// <summary>Reads one whole message into <paramref name="message"/>; returns the failure when the stream closed or dropped instead.</summary>
    private async Task<ConnectorException?> ReceiveAsync(ClientWebSocket socket, byte[] buffer, MemoryStream message, int number, string? checkpoint, CancellationToken cancellationToken)
    {
        try
        {
            WebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return new ConnectorException(Name, FailureKind.Transient, $"Jetstream closed the stream after {number} events; resuming from time_us {checkpoint}");
                }

                message.Write(buffer, 0, result.Count);
                if (message.Length > options.MaxMessageBytes)
                {
                    return new ConnectorException(Name, FailureKind.Malformed, $"a Jetstream message over {options.MaxMessageBytes:N0} bytes after event {number}");
                }
            }
            while (!result.EndOfMessage);
            return null;
        }
        catch (Exception e) when (e is WebSocketException or IOException)
        {
            return new ConnectorException(Name, FailureKind.Transient, $"the Jetstream connection dropped after {number} events ({e.Message}); resuming from time_us {checkpoint}", null, e);
        }
    }

    /// <summary>searchPosts (sort=latest, since/until, cursor paging) for the range; the AppView returns newest first.</summary>
    public async IAsyncEnumerable<ListenPage> BackfillAsync(ListenRequest request, DateTimeOffset from, DateTimeOffset to, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var source = request.Source;
        var q = source.Target.Trim();
        var query = $"xrpc/app.bsky.feed.searchPosts?q={Uri.EscapeDataString(q)}&sort=latest&limit=100"
            + $"&since={Uri.EscapeDataString(from.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture))}"
            + $"&until={Uri.EscapeDataString(to.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture))}"
            + (source.Kind == SourceKind.Account ? "&mentions=" + Uri.EscapeDataString(q.TrimStart('@')) : string.Empty);
        string? cursor = null;
        var pages = 0;
        do
        {
            var uri = new Uri(options.AppViewUri, query + (cursor is null ? string.Empty : "&cursor=" + Uri.EscapeDataString(cursor)));
            var response = await http.SendAsync(Name, () => new HttpRequestMessage(HttpMethod.Get, uri), cancellationToken).ConfigureAwait(false);
            using (response.Message)
            {
                var json = JsonPages.Read(Name, response.Body, "posts");
                var errors = json.Errors.ToList();
                var items = new List<MentionInput>();
                for (var i = 0; i < json.Items.Count; i++)
                {
                    if (BlueskyMapper.FromPostView(json.Items[i], $"page {pages + 1} item {i + 1}", errors) is { } item && item.CreatedAt >= from && item.CreatedAt < to)
                    {
                        items.Add(item);
                    }
                }

                pages++;
                yield return new ListenPage(items, null, errors);
                var next = json.Root?.Text("cursor");
                cursor = json.Items.Count == 0 || next == cursor ? null : next;
            }
        }
        while (cursor is not null);
    }

    private static ListenPage? Event(byte[] bytes, int number, Filter filter, HashSet<string> seen, ref string? checkpoint)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(bytes);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            return new ListenPage([], checkpoint, [new ItemError(Name, $"stream event {number}", "malformed JSON: " + e.Message)]);
        }

        var timeUs = root.Number("time_us");
        var did = root.Text("did");
        if (timeUs is null || did is null)
        {
            return new ListenPage([], checkpoint, [new ItemError(Name, $"stream event {number}", "an event without did or time_us")]);
        }

        // The checkpoint only moves forward: an event older than it (another instance's clock) does not pull it back.
        var stamp = timeUs.Value.ToString(CultureInfo.InvariantCulture);
        if (checkpoint is null || long.Parse(checkpoint, CultureInfo.InvariantCulture) < timeUs)
        {
            checkpoint = stamp;
        }

        if (root.Text("kind") != "commit" || root.Child("commit") is not { } commit || commit.Text("collection") != "app.bsky.feed.post")
        {
            return null;
        }

        var operation = commit.Text("operation");
        var rkey = commit.Text("rkey");
        if (operation is not ("create" or "update") || rkey is null || commit.Child("record") is not { } record)
        {
            // A delete removes nothing we stored; mention history keeps what was said.
            return null;
        }

        var key = $"{did}/{rkey}/{commit.Text("cid") ?? commit.Text("rev")}";
        if (!seen.Add(key) || !filter.Accepts(record))
        {
            return null;
        }

        return new ListenPage([BlueskyMapper.FromRecord(did, rkey, record, DateTimeOffset.FromUnixTimeMilliseconds(timeUs.Value / 1000))], checkpoint, []);
    }

    private sealed record Filter(string? Did, string? Handle, string? Tag, IReadOnlyList<string> Words)
    {
        public static Filter For(Source source)
        {
            var target = source.Target.Trim();
            if (source.Kind == SourceKind.Account)
            {
                return target.StartsWith("did:", StringComparison.Ordinal)
                    ? new Filter(target, null, null, [])
                    : new Filter(null, target.TrimStart('@'), null, []);
            }

            return target.StartsWith('#')
                ? new Filter(null, null, target[1..], [])
                : new Filter(null, null, null, target.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        public bool Accepts(JsonElement record) => BlueskyMapper.Matches(record, Did, Handle, Tag, Words);
    }
}
