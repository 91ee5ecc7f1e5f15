namespace Firebreak.Core.Connectors.Reddit;

using System.Globalization;
using System.Net.Http.Headers;
using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;
using Firebreak.Core.Publishing;
using Firebreak.Core.Workspaces;

/// <summary>Reddit listening settings.</summary>
public sealed class RedditOptions
{
    /// <summary>Items per listing page (Reddit's maximum is 100).</summary>
    public int PageSize { get; set; } = 100;

    /// <summary>Pages one pass may walk back (Reddit listings end after about 1,000 items anyway).</summary>
    public int MaxPages { get; set; } = 10;
}

/// <summary>
/// Reddit listening over the OAuth API (<c>https://oauth.reddit.com</c>, bearer token, a descriptive User-Agent as
/// Reddit's API rules require). Sources: a Query <c>r/name</c> → the subreddit's new comments
/// (<c>GET /r/{sub}/comments</c>); any other Query → link search (<c>GET /search?q=…&amp;sort=new&amp;type=link</c>).
/// Listings are newest first and page backwards with <c>after</c>; a pass walks back until it reaches the checkpoint
/// (creation second + fullname of the newest item committed) and hands the new items on oldest first.
/// </summary>
public sealed class RedditConnector(ConnectorHttp http, RedditOptions options, TimeProvider clock) : IListeningConnector
{
    private const string Name = RedditMapper.Name;

    public Platform Platform => Platform.Reddit;

    public bool Streams(Source source) => false;

    public string? Unsupported(Source source) => source.Kind switch
    {
        SourceKind.Query when !string.IsNullOrWhiteSpace(source.Target) => null,
        SourceKind.Account => "Reddit has no API for mentions of an account by others: add a Query for \"u/yourname\" or your brand's words",
        _ => "Reddit sources are a query: r/subreddit (its new comments) or search words",
    };

    /// <summary>The User-Agent Reddit asks for: platform:app id:version (by /u/username).</summary>
    public static string UserAgent(PlatformAccount account) => $"server:firebreak:1.0 (by /u/{account.Handle.Trim().TrimStart('@').Replace("u/", string.Empty, StringComparison.Ordinal)})";

    public async IAsyncEnumerable<ListenPage> ListenAsync(ListenRequest request, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var account = Account(request);
        var since = RedditMapper.ParseCheckpoint(request.Checkpoint);
        var collected = new List<(MentionInput Item, string Checkpoint)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var errors = new PassErrors();
        string? after = null;
        for (var n = 1; ; n++)
        {
            if (n > options.MaxPages)
            {
                errors.Add(new ItemError(Name, $"after page {options.MaxPages}", $"more than {options.MaxPages} pages since the checkpoint: older items in this gap were not read (Reddit listings end after about 1,000 items)"));
                break;
            }

            var where = $"page {n}";
            var cursor = after;
            var page = await OldestFirst.ReadWholeAsync(() => FetchAsync(account, request.Source, cursor, where, cancellationToken), p => p.Broken).ConfigureAwait(false);
            errors.Add(page.Errors, page.Broken);
            var reached = false;
            foreach (var item in page.Items)
            {
                var seconds = item.CreatedAt!.Value.ToUnixTimeSeconds();
                if (since is { } s && (item.ExternalId == s.Name || seconds < s.Seconds))
                {
                    reached = true;
                    continue;
                }

                if (seen.Add(item.ExternalId!))
                {
                    collected.Add((item, RedditMapper.Checkpoint(item)));
                }
            }

            // A first run takes the newest page only; later runs walk back until they meet the checkpoint. A page that
            // stayed broken lost its "after": the pass ends there and holds the checkpoint (OldestFirst).
            after = page.After;
            if (since is null || reached || after is null || page.Broken || page.OldestSeconds is { } oldest && since is { } c && oldest < c.Seconds)
            {
                break;
            }
        }

        // Out-of-order items (an edited listing, a late comment) are put in time order before the checkpoints are cut.
        collected.Sort((a, b) => -Compare(a.Item, b.Item));
        var newest = collected.Count > 0 ? collected[0].Checkpoint : null;
        foreach (var page in OldestFirst.Pages(collected, errors, newest))
        {
            yield return page;
        }
    }

    /// <summary>
    /// Reddit has no time-range search (the timestamp: syntax was retired in 2018): backfill walks the listing back and
    /// keeps what falls inside the range, as far as the listing goes (about 1,000 items).
    /// </summary>
    public async IAsyncEnumerable<ListenPage> BackfillAsync(ListenRequest request, DateTimeOffset from, DateTimeOffset to, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var account = Account(request);
        string? after = null;
        for (var n = 1; n <= options.MaxPages; n++)
        {
            var page = await FetchAsync(account, request.Source, after, $"page {n}", cancellationToken).ConfigureAwait(false);
            var inRange = page.Items.Where(i => i.CreatedAt >= from && i.CreatedAt < to).Reverse().ToList();
            if (inRange.Count > 0 || page.Errors.Count > 0)
            {
                yield return new ListenPage(inRange, null, page.Errors);
            }

            after = page.After;
            if (after is null || page.OldestSeconds is { } oldest && oldest < from.ToUnixTimeSeconds())
            {
                yield break;
            }
        }
    }

    private static int Compare(MentionInput a, MentionInput b)
    {
        var byTime = a.CreatedAt!.Value.CompareTo(b.CreatedAt!.Value);
        return byTime != 0 ? byTime : string.CompareOrdinal(a.ExternalId, b.ExternalId);
    }

    private static PlatformAccount Account(ListenRequest request) =>
        request.Account ?? throw new ConnectorException(Name, FailureKind.Rejected, "no Reddit account is connected in this workspace: connect one under Connections (Reddit's API needs an OAuth token)");

    private string Path(Source source, string? after)
    {
        var target = source.Target.Trim();
        var page = $"limit={options.PageSize}&raw_json=1" + (after is null ? string.Empty : "&after=" + Uri.EscapeDataString(after));
        return target.StartsWith("r/", StringComparison.OrdinalIgnoreCase) || target.StartsWith("/r/", StringComparison.OrdinalIgnoreCase)
            ? $"r/{Uri.EscapeDataString(target.TrimStart('/')[2..].Trim('/'))}/comments?{page}"
            : $"search?q={Uri.EscapeDataString(target)}&sort=new&type=link&{page}";
    }

    internal static HttpRequestMessage Authorised(HttpMethod method, Uri uri, PlatformAccount account)
    {
        var message = new HttpRequestMessage(method, uri);
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", account.Secret);
        message.Headers.TryAddWithoutValidation("User-Agent", UserAgent(account));
        return message;
    }

    private async Task<ListingPage> FetchAsync(PlatformAccount account, Source source, string? after, string where, CancellationToken cancellationToken)
    {
        var uri = new Uri(account.BaseUri, Path(source, after));
        var response = await http.SendAsync(Name, () => Authorised(HttpMethod.Get, uri, account), cancellationToken).ConfigureAwait(false);
        using (response.Message)
        {
            await HonourRemainingAsync(response, cancellationToken).ConfigureAwait(false);
            var json = JsonPages.Read(Name, ChildrenOnly(response.Body), "children");
            var errors = json.Errors.Select(e => e with { Position = $"{where}, {e.Position}" }).ToList();
            var broken = errors.Count > 0;
            var items = new List<MentionInput>();
            long? oldest = null;
            for (var i = 0; i < json.Items.Count; i++)
            {
                if (json.Items[i].Child("data") is { } d && RedditMapper.Created(d) is { } at)
                {
                    oldest = Math.Min(oldest ?? long.MaxValue, at.ToUnixTimeSeconds());
                }

                if (RedditMapper.Thing(json.Items[i], $"{where}, item {i + 1}", errors) is { } item)
                {
                    items.Add(item);
                }
            }

            // Root is the listing's data object (see ChildrenOnly); a salvaged page has none, so paging stops there.
            return new ListingPage(items, json.Root?.Text("after"), oldest, errors, broken);
        }
    }

    /// <summary>
    /// A Listing is <c>{"kind":"Listing","data":{"after":…,"children":[…]}}</c>: the children array sits one level down,
    /// so the salvage reader is pointed at the <c>data</c> object (the byte positions in errors are then relative to it).
    /// </summary>
    private static byte[] ChildrenOnly(byte[] body)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(body);
            return document.RootElement.Child("data") is { } data ? System.Text.Encoding.UTF8.GetBytes(data.GetRawText()) : body;
        }
        catch (System.Text.Json.JsonException)
        {
            var text = System.Text.Encoding.UTF8.GetString(body);
            var at = text.IndexOf("\"data\"", StringComparison.Ordinal);
            var open = at < 0 ? -1 : text.IndexOf('{', at);
            return open < 0 ? body : System.Text.Encoding.UTF8.GetBytes(text[open..]);
        }
    }

    /// <summary>Reddit's X-Ratelimit-Remaining is a decimal ("0.0"); under one call left, wait out X-Ratelimit-Reset (seconds).</summary>
    private async Task HonourRemainingAsync(ConnectorResponse response, CancellationToken cancellationToken)
    {
        if (response.Header("X-Ratelimit-Remaining") is { } remaining && double.TryParse(remaining, NumberStyles.Float, CultureInfo.InvariantCulture, out var left) && left < 1
            && response.Header("X-Ratelimit-Reset") is { } reset && double.TryParse(reset, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            var wait = TimeSpan.FromSeconds(Math.Min(seconds, http.Options.MaxRateLimitWait.TotalSeconds));
            await Task.Delay(wait, clock, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <param name="Broken">The listing was malformed or truncated (not merely a child of the wrong shape).</param>
    private sealed record ListingPage(List<MentionInput> Items, string? After, long? OldestSeconds, List<ItemError> Errors, bool Broken);
}
