namespace Firebreak.Core.Connectors.X;

using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;
using Firebreak.Core.Workspaces;

/// <summary>X listening settings.</summary>
public sealed class XOptions
{
    /// <summary>
    /// Follow the filtered stream after each recent-search catch-up. Off by default: the filtered stream needs the Pro
    /// access level and allows one connection per app, so only one source per deployment should use it.
    /// </summary>
    public bool UseFilteredStream { get; set; }

    /// <summary>Tweets per recent-search page (10–100).</summary>
    public int PageSize { get; set; } = 100;

    /// <summary>The most recent-search pages one catch-up reads; past it the gap is recorded as an error, never hidden.</summary>
    public int MaxCatchUpPages { get; set; } = 50;
}

/// <summary>
/// X listening over API v2: recent search (<c>GET /2/tweets/search/recent</c>, the last 7 days) and, when enabled, the
/// filtered stream (<c>GET /2/tweets/search/stream</c>, newline-delimited JSON, blank keep-alive lines). Sources: an
/// Account (the owned handle) → <c>@handle -from:handle</c>; a Query → the X search query as written. The checkpoint
/// is the newest tweet id committed; each pass reads forward from it with <c>since_id</c> (all pages, oldest handed on
/// first), then follows the stream; a dropped stream ends the pass and the next one fills the gap the same way.
/// Credentials: the connection's secret is the bearer token (app-only or OAuth 2 user token).
/// </summary>
public sealed class XConnector(ConnectorHttp http, XOptions options) : IListeningConnector
{
    private const string Name = XMapper.Name;

    public Platform Platform => Platform.X;

    public bool Streams(Source source) => options.UseFilteredStream;

    public string? Unsupported(Source source) => source.Kind switch
    {
        SourceKind.Feed => "X sources are an account (its mentions) or a query (X search syntax); use a News source for RSS",
        _ when string.IsNullOrWhiteSpace(source.Target) => "an X source needs a handle or a search query",
        _ => null,
    };

    public async IAsyncEnumerable<ListenPage> ListenAsync(ListenRequest request, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var account = Account(request);
        var checkpoint = request.Checkpoint;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var collected = new List<(MentionInput Item, string Checkpoint)>();
        var errors = new PassErrors();
        string? nextToken = null;
        var newest = checkpoint;
        for (var pages = 0; ; pages++)
        {
            if (pages == options.MaxCatchUpPages)
            {
                errors.Add(new ItemError(Name, $"after page {pages}", $"more than {pages * options.PageSize} tweets since id {checkpoint}: older ones in this gap were not read (raise XOptions.MaxCatchUpPages or narrow the query)"));
                break;
            }

            var query = $"&max_results={options.PageSize}"
                + (checkpoint is null ? string.Empty : "&since_id=" + checkpoint)
                + (nextToken is null ? string.Empty : "&next_token=" + Uri.EscapeDataString(nextToken));
            var where = $"page {pages + 1}";
            var page = await OldestFirst.ReadWholeAsync(() => SearchAsync(account, request.Source, query, where, cancellationToken), p => p.Broken).ConfigureAwait(false);
            errors.Add(page.Errors, page.Broken);
            foreach (var item in page.Items)
            {
                if (seen.Add(item.ExternalId!))
                {
                    collected.Add((item, item.ExternalId!));
                    newest = XMapper.Max(newest, item.ExternalId);
                }
            }

            newest = XMapper.Max(newest, page.NewestId);
            nextToken = page.NextToken;
            // A first run starts from the newest page only (the platform's recent window, not its whole week). A page
            // that stayed broken lost its next_token: the pass ends there and holds the checkpoint (OldestFirst).
            if (nextToken is null || checkpoint is null || page.Broken)
            {
                break;
            }
        }

        collected.Sort((a, b) => -Mastodon.MastodonMapper.CompareIds(a.Checkpoint, b.Checkpoint));
        foreach (var page in OldestFirst.Pages(collected, errors, newest == request.Checkpoint ? null : newest))
        {
            yield return page;
        }

        // The stream moves the checkpoint with every event: after a held catch-up it would jump the gap, so the next pass reads it first.
        if (errors.Broken)
        {
            yield break;
        }

        if (!Streams(request.Source))
        {
            yield break;
        }

        await foreach (var page in StreamAsync(account, request.Source, newest, seen, cancellationToken).ConfigureAwait(false))
        {
            yield return page;
        }
    }

    /// <summary>Recent search with start_time/end_time: only the last 7 days (the full archive needs X's Pro or Enterprise access and /2/tweets/search/all).</summary>
    public async IAsyncEnumerable<ListenPage> BackfillAsync(ListenRequest request, DateTimeOffset from, DateTimeOffset to, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var account = Account(request);
        var window = DateTimeOffset.UtcNow.AddDays(-7).AddMinutes(1);
        var errors = new List<ItemError>();
        if (from < window)
        {
            errors.Add(new ItemError(Name, "range", $"X recent search covers only the last 7 days; {from:u} to {window:u} was not read"));
            from = window;
        }

        string? nextToken = null;
        for (var n = 1; from < to; n++)
        {
            var query = $"&max_results={options.PageSize}&start_time={Rfc3339(from)}&end_time={Rfc3339(to)}"
                + (nextToken is null ? string.Empty : "&next_token=" + Uri.EscapeDataString(nextToken));
            var page = await SearchAsync(account, request.Source, query, $"page {n}", cancellationToken).ConfigureAwait(false);
            errors.AddRange(page.Errors);
            yield return new ListenPage(page.Items.AsEnumerable().Reverse().ToList(), null, errors.ToList());
            errors.Clear();
            nextToken = page.NextToken;
            if (nextToken is null)
            {
                yield break;
            }
        }

        if (errors.Count > 0)
        {
            yield return new ListenPage([], null, errors);
        }
    }

    /// <summary>The search query for a source: an account's mentions by others, or the query as written.</summary>
    public static string Query(Source source) => source.Kind == SourceKind.Account
        ? $"@{source.Target.Trim().TrimStart('@')} -from:{source.Target.Trim().TrimStart('@')}"
        : source.Target.Trim();

    /// <summary>The tag of this source's filtered-stream rule: stream events are routed to sources by it.</summary>
    public static string RuleTag(Source source) => $"firebreak:{source.WorkspaceId}:{source.Id}";

    private static string Rfc3339(DateTimeOffset at) => Uri.EscapeDataString(at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));

    private static Publishing.PlatformAccount Account(ListenRequest request) =>
        request.Account ?? throw new ConnectorException(Name, FailureKind.Rejected, "no X account is connected in this workspace: connect one under Connections (its bearer token is used to read)");

    /// <summary>A request with the account's OAuth 2 user token, as every X call here is made.</summary>
    internal static HttpRequestMessage Authorised(HttpMethod method, Uri uri, Publishing.PlatformAccount account)
    {
        var message = new HttpRequestMessage(method, uri);
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", account.Secret);
        return message;
    }

    private async Task<SearchPage> SearchAsync(Publishing.PlatformAccount account, Source source, string extra, string where, CancellationToken cancellationToken)
    {
        var uri = new Uri(account.BaseUri, $"2/tweets/search/recent?query={Uri.EscapeDataString(Query(source))}&{XMapper.Fields}{extra}");
        var response = await http.SendAsync(Name, () => Authorised(HttpMethod.Get, uri, account), cancellationToken).ConfigureAwait(false);
        using (response.Message)
        {
            // A page with no results has no "data" at all, only meta.result_count 0. Disposed once mapped: the tweets are copies.
            using var json = JsonPages.Read(Name, response.Body, "data");
            var errors = json.Root is { } root && root.ValueKind == JsonValueKind.Object && !root.TryGetProperty("data", out _) ? [] : json.Errors.Select(e => e with { Position = $"{where}, {e.Position}" }).ToList();
            var broken = errors.Count > 0;
            errors.AddRange(XMapper.Problems(json.Root).Select(p => new ItemError(Name, where, p)));
            var users = XMapper.Users(json.Root);
            var items = new List<MentionInput>();
            for (var i = 0; i < json.Items.Count; i++)
            {
                if (XMapper.Tweet(json.Items[i], users, $"{where}, item {i + 1}", errors) is { } item)
                {
                    items.Add(item);
                }
            }

            var meta = json.Root?.Child("meta");
            return new SearchPage(items, meta?.Text("newest_id"), meta?.Text("next_token"), errors, broken);
        }
    }

    private async Task EnsureRuleAsync(Publishing.PlatformAccount account, Source source, CancellationToken cancellationToken)
    {
        var rules = new Uri(account.BaseUri, "2/tweets/search/stream/rules");
        var tag = RuleTag(source);
        var value = Query(source);
        var existing = await http.SendAsync(Name, () => Authorised(HttpMethod.Get, rules, account), cancellationToken).ConfigureAwait(false);
        using (existing.Message)
        {
            if (JsonPages.Read(Name, existing.Body, "data").Items.Any(r => r.Text("tag") == tag && r.Text("value") == value))
            {
                return;
            }
        }

        var added = await http.SendAsync(Name, () =>
        {
            // X refuses a rule that already exists (DuplicateRule), so adding one again after a lost answer is harmless.
            var message = ConnectorHttp.Repeatable(Authorised(HttpMethod.Post, rules, account));
            message.Content = JsonContent.Create(new { add = new[] { new { value, tag } } });
            return message;
        }, cancellationToken).ConfigureAwait(false);
        using (added.Message)
        {
            using var document = JsonDocument.Parse(added.Body);
            if (XMapper.Problems(document.RootElement).FirstOrDefault() is { } problem && !problem.Contains("DuplicateRule", StringComparison.OrdinalIgnoreCase))
            {
                throw new ConnectorException(Name, FailureKind.Rejected, $"the stream rule for this source was refused: {problem}");
            }
        }
    }

    private async IAsyncEnumerable<ListenPage> StreamAsync(Publishing.PlatformAccount account, Source source, string? checkpoint, HashSet<string> seen, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await EnsureRuleAsync(account, source, cancellationToken).ConfigureAwait(false);
        var tag = RuleTag(source);
        var uri = new Uri(account.BaseUri, $"2/tweets/search/stream?{XMapper.Fields}");
        using var response = await http.OpenStreamAsync(Name, Authorised(HttpMethod.Get, uri, account), cancellationToken).ConfigureAwait(false);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(body);
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
                throw new ConnectorException(Name, FailureKind.Transient, $"the filtered stream dropped after {number} events ({e.Message}); resuming from id {checkpoint}", null, e);
            }

            if (line is null)
            {
                throw new ConnectorException(Name, FailureKind.Transient, $"the filtered stream ended after {number} events; resuming from id {checkpoint}");
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                continue; // keep-alive (X sends \r\n every 20 s)
            }

            number++;
            var page = StreamEvent(line, number, tag, seen, ref checkpoint);
            if (page is not null)
            {
                yield return page;
            }
        }
    }

    private static ListenPage? StreamEvent(string line, int number, string tag, HashSet<string> seen, ref string? checkpoint)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(line);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            return new ListenPage([], null, [new ItemError(Name, $"stream event {number}", "malformed JSON: " + e.Message)]);
        }

        if (root.Child("data") is not { } tweet)
        {
            // An error object without data is X closing the stream (operational-disconnect and the like).
            var problem = XMapper.Problems(root).FirstOrDefault() ?? "an event without data";
            throw new ConnectorException(Name, FailureKind.Transient, $"the filtered stream closed: {problem}; resuming from id {checkpoint}");
        }

        var ours = root.TryGetProperty("matching_rules", out var rules) && rules.ValueKind == JsonValueKind.Array
            && rules.EnumerateArray().Any(r => r.Text("tag") == tag);
        if (!ours || tweet.Text("id") is not { } id || !seen.Add(id))
        {
            return null;
        }

        var errors = new List<ItemError>();
        var item = XMapper.Tweet(tweet, XMapper.Users(root), $"stream event {number}", errors);
        checkpoint = XMapper.Max(checkpoint, id);
        return new ListenPage(item is null ? [] : [item], checkpoint, errors);
    }

    /// <param name="Broken">The page was malformed or truncated (not merely an item of the wrong shape or a partial error beside the data).</param>
    private sealed record SearchPage(List<MentionInput> Items, string? NewestId, string? NextToken, List<ItemError> Errors, bool Broken);
}
