namespace Firebreak.Core.Connectors.YouTube;

using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;
using Firebreak.Core.Publishing;
using Firebreak.Core.Workspaces;

/// <summary>YouTube listening settings.</summary>
public sealed class YouTubeOptions
{
    /// <summary>Comment threads per page (the API's maximum is 100; search allows 50).</summary>
    public int PageSize { get; set; } = 100;

    /// <summary>Pages one pass may walk back before recording the rest as a gap.</summary>
    public int MaxPages { get; set; } = 10;
}

/// <summary>
/// YouTube listening over the Data API v3. Sources: an Account (a channel id, <c>UC…</c>) → every comment thread on the
/// channel's videos (<c>commentThreads?allThreadsRelatedToChannelId=</c>); a Query <c>video:ID</c> → that video's
/// comment threads; any other Query → video search (<c>search?type=video&amp;q=</c>, 100 quota units a call).
/// Pages are newest first (<c>order=time</c>/<c>order=date</c>) and a pass walks back with <c>pageToken</c> to the
/// checkpoint (publication time + id of the newest item committed), handing items on oldest first. A key (AIza…) is
/// sent as <c>key=</c>, anything else as an OAuth bearer token. Quota errors are not revocations: 403 quotaExceeded
/// pauses the account's calls until midnight Pacific (when the daily quota resets); keyInvalid is a revocation.
/// </summary>
public sealed class YouTubeConnector(ConnectorHttp http, YouTubeOptions options, TimeProvider clock) : IListeningConnector
{
    private const string Name = YouTubeMapper.Name;
    private readonly ConcurrentDictionary<string, DateTimeOffset> quotaUntil = new(StringComparer.Ordinal);

    public Platform Platform => Platform.YouTube;

    public bool Streams(Source source) => false;

    public string? Unsupported(Source source) => source.Kind switch
    {
        SourceKind.Account when !source.Target.Trim().StartsWith("UC", StringComparison.Ordinal) => "a YouTube account source is the channel id (UC…, under Settings → Advanced settings in YouTube Studio)",
        SourceKind.Feed => "YouTube sources are a channel id (comments on its videos), a query \"video:ID\" (that video's comments) or search words (videos)",
        _ when string.IsNullOrWhiteSpace(source.Target) => "a YouTube source needs a channel id, video:ID or words",
        _ => null,
    };

    public async IAsyncEnumerable<ListenPage> ListenAsync(ListenRequest request, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var account = Account(request);
        var since = YouTubeMapper.ParseCheckpoint(request.Checkpoint);
        var collected = new List<(MentionInput Item, string Checkpoint)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var errors = new PassErrors();
        string? token = null;
        for (var n = 1; ; n++)
        {
            if (n > options.MaxPages)
            {
                errors.Add(new ItemError(Name, $"after page {options.MaxPages}", $"more than {options.MaxPages} pages since the checkpoint: older items in this gap were not read"));
                break;
            }

            var where = $"page {n}";
            var cursor = token;
            var page = await OldestFirst.ReadWholeAsync(() => FetchAsync(account, request.Source, cursor, since?.At, null, where, cancellationToken), p => p.Broken).ConfigureAwait(false);
            errors.Add(page.Errors, page.Broken);
            var reached = false;
            foreach (var item in page.Items)
            {
                if (since is { } s && (item.ExternalId == s.Id || item.CreatedAt < s.At))
                {
                    reached = true;
                    continue;
                }

                if (seen.Add(item.ExternalId!))
                {
                    collected.Add((item, YouTubeMapper.Checkpoint(item)));
                }
            }

            // A page that stayed broken lost its nextPageToken: the pass ends there and holds the checkpoint (OldestFirst).
            token = page.NextPageToken;
            if (since is null || reached || token is null || page.Broken)
            {
                break;
            }
        }

        collected.Sort((a, b) => b.Item.CreatedAt!.Value.CompareTo(a.Item.CreatedAt!.Value) is var c && c != 0 ? c : string.CompareOrdinal(b.Item.ExternalId, a.Item.ExternalId));
        foreach (var page in OldestFirst.Pages(collected, errors, collected.Count > 0 ? collected[0].Checkpoint : null))
        {
            yield return page;
        }
    }

    /// <summary>
    /// Video search takes publishedAfter/publishedBefore, so its backfill is exact. commentThreads has no time filter:
    /// the threads are walked back from the newest and those inside the range kept, up to <see cref="YouTubeOptions.MaxPages"/>.
    /// </summary>
    public async IAsyncEnumerable<ListenPage> BackfillAsync(ListenRequest request, DateTimeOffset from, DateTimeOffset to, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var account = Account(request);
        string? token = null;
        for (var n = 1; n <= options.MaxPages; n++)
        {
            var page = await FetchAsync(account, request.Source, token, from, to, $"page {n}", cancellationToken).ConfigureAwait(false);
            var inRange = page.Items.Where(i => i.CreatedAt >= from && i.CreatedAt < to).Reverse().ToList();
            if (inRange.Count > 0 || page.Errors.Count > 0)
            {
                yield return new ListenPage(inRange, null, page.Errors);
            }

            token = page.NextPageToken;
            if (token is null || page.Items.Any(i => i.CreatedAt < from))
            {
                yield break;
            }
        }
    }

    /// <summary>An API key (AIza…) goes in the query; an OAuth access token in the Authorization header.</summary>
    public static bool IsApiKey(PlatformAccount account) => account.Secret.StartsWith("AIza", StringComparison.Ordinal);

    internal static HttpRequestMessage Authorised(HttpMethod method, Uri uri, PlatformAccount account)
    {
        if (IsApiKey(account))
        {
            return new HttpRequestMessage(method, new Uri(uri + (uri.Query.Length > 0 ? "&" : "?") + "key=" + Uri.EscapeDataString(account.Secret)));
        }

        var message = new HttpRequestMessage(method, uri);
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", account.Secret);
        return message;
    }

    /// <summary>
    /// Google's error body names the reason: quotaExceeded/dailyLimitExceeded (403) wait for the daily reset,
    /// rateLimitExceeded/userRateLimitExceeded (403) are short waits, keyInvalid (400) means the key no longer works.
    /// </summary>
    internal static ConnectorException Classify(ConnectorException e, Action<DateTimeOffset>? pauseUntil, DateTimeOffset now)
    {
        switch (YouTubeMapper.Reason(e.Message))
        {
            case "quotaExceeded" or "dailyLimitExceeded":
                var reset = YouTubeMapper.NextQuotaReset(now);
                pauseUntil?.Invoke(reset);
                return new ConnectorException(Name, FailureKind.Transient, $"the project's daily YouTube quota is used up; calls resume after midnight Pacific ({reset:u}). Ask Google for more quota if this repeats.", e.Status, e);
            case "rateLimitExceeded" or "userRateLimitExceeded":
                return new ConnectorException(Name, FailureKind.Transient, "YouTube asked to slow down (rateLimitExceeded); retrying later", e.Status, e);
            case "keyInvalid" or "authError":
                return new ConnectorException(Name, FailureKind.Revoked, $"the API key or token was refused ({YouTubeMapper.Reason(e.Message)}); reconnect the account", e.Status, e);
            default:
                return e;
        }
    }

    private static PlatformAccount Account(ListenRequest request) =>
        request.Account ?? throw new ConnectorException(Name, FailureKind.Rejected, "no YouTube connection in this workspace: connect one under Connections with an API key (reading) or an OAuth token (reading and replying)");

    private static string Rfc3339(DateTimeOffset at) => Uri.EscapeDataString(at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));

    private string Path(Source source, string? token, DateTimeOffset? after, DateTimeOffset? before)
    {
        var target = source.Target.Trim();
        var paging = token is null ? string.Empty : "&pageToken=" + Uri.EscapeDataString(token);
        if (source.Kind == SourceKind.Account)
        {
            return $"youtube/v3/commentThreads?part=snippet&allThreadsRelatedToChannelId={Uri.EscapeDataString(target)}&order=time&textFormat=plainText&maxResults={options.PageSize}{paging}";
        }

        if (target.StartsWith("video:", StringComparison.OrdinalIgnoreCase))
        {
            return $"youtube/v3/commentThreads?part=snippet&videoId={Uri.EscapeDataString(target[6..].Trim())}&order=time&textFormat=plainText&maxResults={options.PageSize}{paging}";
        }

        return $"youtube/v3/search?part=snippet&type=video&order=date&q={Uri.EscapeDataString(target)}&maxResults={Math.Min(options.PageSize, 50)}"
            + (after is { } a ? "&publishedAfter=" + Rfc3339(a) : string.Empty)
            + (before is { } b ? "&publishedBefore=" + Rfc3339(b) : string.Empty)
            + paging;
    }

    private async Task<YouTubePage> FetchAsync(PlatformAccount account, Source source, string? token, DateTimeOffset? after, DateTimeOffset? before, string where, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (quotaUntil.TryGetValue(account.AccountKey, out var until) && until > now)
        {
            throw new ConnectorException(Name, FailureKind.Transient, $"the daily YouTube quota is used up; no calls until midnight Pacific ({until:u})");
        }

        var uri = new Uri(account.BaseUri, Path(source, token, after, before));
        ConnectorResponse response;
        try
        {
            response = await http.SendAsync(Name, () => Authorised(HttpMethod.Get, uri, account), cancellationToken).ConfigureAwait(false);
        }
        catch (ConnectorException e) when (e.Status is 400 or 403)
        {
            throw Classify(e, reset => quotaUntil[account.AccountKey] = reset, now);
        }

        using (response.Message)
        {
            var json = JsonPages.Read(Name, response.Body, "items");
            var errors = json.Errors.Select(e => e with { Position = $"{where}, {e.Position}" }).ToList();
            var broken = errors.Count > 0;
            var comments = source.Kind == SourceKind.Account || source.Target.Trim().StartsWith("video:", StringComparison.OrdinalIgnoreCase);
            var items = new List<MentionInput>();
            for (var i = 0; i < json.Items.Count; i++)
            {
                var item = comments ? YouTubeMapper.Thread(json.Items[i], $"{where}, item {i + 1}", errors) : YouTubeMapper.Video(json.Items[i], $"{where}, item {i + 1}", errors);
                if (item is not null)
                {
                    items.Add(item);
                }
            }

            return new YouTubePage(items, json.Root?.Text("nextPageToken"), errors, broken);
        }
    }

    /// <param name="Broken">The page was malformed or truncated (not merely an item of the wrong shape).</param>
    private sealed record YouTubePage(List<MentionInput> Items, string? NextPageToken, List<ItemError> Errors, bool Broken);
}
