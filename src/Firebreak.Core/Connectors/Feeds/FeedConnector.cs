namespace Firebreak.Core.Connectors.Feeds;

using System.Globalization;
using System.Net.Http.Headers;
using Firebreak.Core.Mentions;
using Firebreak.Core.Workspaces;

/// <summary>
/// News feeds (RSS 2.0, Atom 1.0) as <see cref="Platform.News"/>: a Feed source's target is the feed URL. Polls with a
/// conditional GET (If-None-Match from the last ETag, If-Modified-Since from the last Last-Modified), so an unchanged
/// feed costs a 304 and nothing else. The checkpoint is "etag\nlast-modified\nnewest item time"; items are keyed by
/// guid/id, so the whole feed may be handed over every time a feed changes: the store keeps one row per item.
/// </summary>
public sealed class FeedConnector(ConnectorHttp http) : IListeningConnector
{
    public Platform Platform => Platform.News;

    public bool Streams(Source source) => false;

    public string? Unsupported(Source source) =>
        source.Kind != SourceKind.Feed || !Uri.TryCreate(source.Target, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
            ? "a News source is a Feed whose target is the feed's http(s) URL"
            : null;

    public async IAsyncEnumerable<ListenPage> ListenAsync(ListenRequest request, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var saved = Checkpoint.Parse(request.Checkpoint);
        var url = new Uri(request.Source.Target.Trim());
        var response = await http.SendAsync(FeedParser.Name, () =>
        {
            var message = new HttpRequestMessage(HttpMethod.Get, url);
            message.Headers.Accept.ParseAdd("application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8");
            if (saved.ETag is { } etag && EntityTagHeaderValue.TryParse(etag, out var tag))
            {
                message.Headers.IfNoneMatch.Add(tag);
            }

            if (saved.LastModified is { } modified && DateTimeOffset.TryParse(modified, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since))
            {
                message.Headers.IfModifiedSince = since;
            }

            return message;
        }, cancellationToken).ConfigureAwait(false);
        using (response.Message)
        {
            if (response.NotModified)
            {
                yield return ListenPage.Empty(request.Checkpoint);
                yield break;
            }

            var parsed = FeedParser.Parse(response.Body, url.ToString());
            var newest = parsed.Items.Max(i => i.CreatedAt) ?? saved.Newest;
            var next = new Checkpoint(
                response.Message.Headers.ETag?.ToString(),
                response.Message.Content.Headers.LastModified?.ToString("R", CultureInfo.InvariantCulture),
                newest is { } n && (saved.Newest is null || n > saved.Newest) ? n : saved.Newest);
            // A cut document must not store its ETag/Last-Modified: the next poll would get a 304 and never see the
            // items after the break. Keeping the old validators makes it download the feed again.
            var checkpoint = parsed.Broken ? request.Checkpoint : next.ToString();
            yield return new ListenPage(parsed.Items.OrderBy(i => i.CreatedAt).ToList(), checkpoint, parsed.Errors);
        }
    }

    /// <summary>A feed holds only its recent items: backfill reads it once and keeps the items inside the range.</summary>
    public async IAsyncEnumerable<ListenPage> BackfillAsync(ListenRequest request, DateTimeOffset from, DateTimeOffset to, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var page in ListenAsync(request with { Checkpoint = null }, cancellationToken).ConfigureAwait(false))
        {
            yield return page with { Items = page.Items.Where(i => i.CreatedAt is { } at && at >= from && at < to).ToList(), Checkpoint = null };
        }
    }

    private sealed record Checkpoint(string? ETag, string? LastModified, DateTimeOffset? Newest)
    {
        public static Checkpoint Parse(string? text)
        {
            var parts = (text ?? string.Empty).Split('\n');
            string? Part(int i) => parts.Length > i && parts[i].Length > 0 ? parts[i] : null;
            return new Checkpoint(Part(0), Part(1), long.TryParse(Part(2), CultureInfo.InvariantCulture, out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null);
        }

        public override string ToString() =>
            $"{ETag}\n{LastModified}\n{Newest?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}";
    }
}
