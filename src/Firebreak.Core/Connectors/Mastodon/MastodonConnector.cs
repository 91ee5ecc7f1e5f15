namespace Firebreak.Core.Connectors.Mastodon;

using System.Net.Http.Headers;
using System.Text.Json;
using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;
using Firebreak.Core.Workspaces;

/// <summary>Mastodon listening settings.</summary>
public sealed class MastodonOptions
{
    /// <summary>Keep the streaming API open after catching up over REST (account and hashtag sources); keyword search is always polled.</summary>
    public bool UseStreaming { get; set; } = true;

    /// <summary>Items per REST page (the API's maximum for these endpoints is 40).</summary>
    public int PageLimit { get; set; } = 40;
}

/// <summary>
/// Mastodon listening over the REST API (v1 notifications and hashtag timeline, v2 search; Mastodon 4.x) and the
/// streaming API (server-sent events). Sources: an Account (the owned handle) → its mention notifications; a Query
/// "#tag" → the hashtag timeline; any other Query → status search (needs a token; servers only search posts that opted
/// in or that the account can see). The checkpoint is the newest id committed (notification id for mentions, status id
/// otherwise). Each pass first pages forward from the checkpoint with <c>min_id</c> (so a dropped stream or a restart
/// leaves no gap), then, when streaming, follows the stream; ids already seen in this pass are skipped.
/// </summary>
public sealed class MastodonConnector(ConnectorHttp http, MastodonOptions options) : IListeningConnector
{
    private const string Name = MastodonMapper.Name;

    public Platform Platform => Platform.Mastodon;

    public bool Streams(Source source) => options.UseStreaming && !IsSearch(source);

    public string? Unsupported(Source source) => source.Kind switch
    {
        SourceKind.Feed => "Mastodon sources are an account (its mentions) or a query (#hashtag or keywords); use a News source for RSS",
        _ => null,
    };

    public async IAsyncEnumerable<ListenPage> ListenAsync(ListenRequest request, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var baseUri = BaseUri(request);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var checkpoint = request.Checkpoint;
        // Catch up over REST: forward pages from the checkpoint (min_id), oldest page first.
        while (true)
        {
            var query = checkpoint is null ? string.Empty : "&min_id=" + Uri.EscapeDataString(checkpoint);
            var page = await FetchAsync(request, baseUri, query, cancellationToken).ConfigureAwait(false);
            var next = MastodonMapper.Max(checkpoint, page.MaxId);
            foreach (var id in page.Ids)
            {
                seen.Add(id);
            }

            if (page.Items.Count > 0 || page.Errors.Count > 0 || next != checkpoint)
            {
                yield return new ListenPage(page.Items, next, page.Errors);
            }

            // A first run starts from the newest page only; a full page means more may follow it.
            if (checkpoint is null || page.Count < options.PageLimit || next == checkpoint)
            {
                checkpoint = next;
                break;
            }

            checkpoint = next;
        }

        if (!Streams(request.Source))
        {
            yield break;
        }

        await foreach (var page in StreamAsync(request, baseUri, checkpoint, seen, cancellationToken).ConfigureAwait(false))
        {
            yield return page;
        }
    }

    /// <summary>
    /// Status ids are snowflakes (milliseconds since the epoch shifted left 16 bits), so a time range maps to
    /// max_id/min_id bounds: pages are walked back from the end of the range until the items are older than its start.
    /// </summary>
    public async IAsyncEnumerable<ListenPage> BackfillAsync(ListenRequest request, DateTimeOffset from, DateTimeOffset to, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var baseUri = BaseUri(request);
        var maxId = ((ulong)to.ToUnixTimeMilliseconds() << 16).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var minId = ((ulong)Math.Max(0, from.ToUnixTimeMilliseconds()) << 16).ToString(System.Globalization.CultureInfo.InvariantCulture);
        while (true)
        {
            var page = await FetchAsync(request, baseUri, "&max_id=" + maxId, cancellationToken).ConfigureAwait(false);
            var inRange = page.Items.Where(i => i.CreatedAt is not { } at || (at >= from && at < to)).ToList();
            if (inRange.Count > 0 || page.Errors.Count > 0)
            {
                yield return new ListenPage(inRange, null, page.Errors);
            }

            if (page.Count < options.PageLimit || page.MinId is null || MastodonMapper.CompareIds(page.MinId, minId) <= 0
                || page.Items.Any(i => i.CreatedAt < from))
            {
                yield break;
            }

            maxId = page.MinId;
        }
    }

    private static bool IsSearch(Source source) => source.Kind == SourceKind.Query && !source.Target.TrimStart().StartsWith('#');

    private static Uri BaseUri(ListenRequest request) =>
        request.Account?.BaseUri ?? throw new ConnectorException(Name, FailureKind.Rejected, "no Mastodon account is connected in this workspace: connect one under Connections (its instance is where the source is read)");

    private static string Tag(Source source) => Uri.EscapeDataString(source.Target.Trim().TrimStart('#'));

    private string RestPath(Source source) => source.Kind == SourceKind.Account
        ? $"api/v1/notifications?types[]=mention&limit={options.PageLimit}"
        : IsSearch(source)
            ? $"api/v2/search?type=statuses&resolve=false&limit={options.PageLimit}&q={Uri.EscapeDataString(source.Target.Trim())}"
            : $"api/v1/timelines/tag/{Tag(source)}?limit={options.PageLimit}";

    private async Task<RestPage> FetchAsync(ListenRequest request, Uri baseUri, string extra, CancellationToken cancellationToken)
    {
        var uri = new Uri(baseUri, RestPath(request.Source) + extra);
        var response = await http.SendAsync(Name, () => Authorised(HttpMethod.Get, uri, request), cancellationToken).ConfigureAwait(false);
        using (response.Message)
        {
            // Disposed once mapped (the items are copies): the parsed page's pooled buffers go back for the next page.
            using var json = JsonPages.Read(Name, response.Body, IsSearch(request.Source) ? "statuses" : null);
            var errors = json.Errors.ToList();
            var items = new List<MentionInput>();
            var ids = new List<string>();
            string? max = null;
            string? min = null;
            for (var i = 0; i < json.Items.Count; i++)
            {
                var element = json.Items[i];
                var id = element.Text("id");
                max = MastodonMapper.Max(max, id);
                min = min is null || MastodonMapper.CompareIds(id, min) < 0 ? id : min;
                var item = request.Source.Kind == SourceKind.Account
                    ? MastodonMapper.Notification(element, $"item {i + 1}", errors)
                    : MastodonMapper.Status(element, $"item {i + 1}", errors);
                if (id is not null)
                {
                    ids.Add(id);
                }

                if (item is not null)
                {
                    items.Add(item);
                }
            }

            // The API returns newest first; the pipeline and the checkpoint want oldest first.
            items.Reverse();
            return new RestPage(items, ids, json.Items.Count, max, min, errors);
        }
    }

    private async IAsyncEnumerable<ListenPage> StreamAsync(ListenRequest request, Uri baseUri, string? checkpoint, HashSet<string> seen, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var path = request.Source.Kind == SourceKind.Account
            ? "api/v1/streaming/user/notification"
            : $"api/v1/streaming/hashtag?tag={Tag(request.Source)}";
        using var response = await http.OpenStreamAsync(Name, Authorised(HttpMethod.Get, new Uri(baseUri, path), request), cancellationToken).ConfigureAwait(false);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(body);
        string? eventName = null;
        var data = new System.Text.StringBuilder();
        var number = 0;
        while (true)
        {
            string? line;
            try
            {
                line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                throw new ConnectorException(Name, FailureKind.Transient, $"the stream dropped after {number} events ({e.Message}); resuming from id {checkpoint}", null, e);
            }

            if (line is null)
            {
                throw new ConnectorException(Name, FailureKind.Transient, $"the stream ended after {number} events; resuming from id {checkpoint}");
            }

            if (line.Length > 0)
            {
                // Lines starting with ':' are heartbeats; "event:" and "data:" build the next event (SSE).
                if (line.StartsWith("event:", StringComparison.Ordinal))
                {
                    eventName = line[6..].Trim();
                }
                else if (line.StartsWith("data:", StringComparison.Ordinal))
                {
                    data.Append(line.AsSpan(5).TrimStart(' '));
                }

                continue;
            }

            if (eventName is null || data.Length == 0)
            {
                eventName = null;
                data.Clear();
                continue;
            }

            number++;
            var page = StreamEvent(request.Source, eventName, data.ToString(), number, seen, ref checkpoint);
            eventName = null;
            data.Clear();
            if (page is not null)
            {
                yield return page;
            }
        }
    }

    private static ListenPage? StreamEvent(Source source, string eventName, string data, int number, HashSet<string> seen, ref string? checkpoint)
    {
        var wanted = source.Kind == SourceKind.Account ? "notification" : "update";
        if (eventName != wanted)
        {
            // "delete" and "status.update" are not new mentions; edits arrive again through the REST catch-up.
            return null;
        }

        var errors = new List<ItemError>();
        JsonElement element;
        try
        {
            using var document = JsonDocument.Parse(data);
            element = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            return new ListenPage([], checkpoint, [new ItemError(Name, $"stream event {number} ({eventName})", "malformed JSON: " + e.Message)]);
        }

        var id = element.Text("id");
        if (id is null || !seen.Add(id))
        {
            return null;
        }

        var item = source.Kind == SourceKind.Account
            ? MastodonMapper.Notification(element, $"stream event {number}", errors)
            : MastodonMapper.Status(element, $"stream event {number}", errors);
        checkpoint = MastodonMapper.Max(checkpoint, id);
        return new ListenPage(item is null ? [] : [item], checkpoint, errors);
    }

    private static HttpRequestMessage Authorised(HttpMethod method, Uri uri, ListenRequest request)
    {
        var message = new HttpRequestMessage(method, uri);
        if (request.Account is { } account)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", account.Secret);
        }

        return message;
    }

    private sealed record RestPage(List<MentionInput> Items, List<string> Ids, int Count, string? MaxId, string? MinId, List<ItemError> Errors);
}
