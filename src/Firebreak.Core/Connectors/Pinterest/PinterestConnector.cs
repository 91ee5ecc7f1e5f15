namespace Firebreak.Core.Connectors.Pinterest;

using System.Net.Http.Headers;
using System.Text.Json;
using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;
using Firebreak.Core.Workspaces;

/// <summary>Pinterest settings.</summary>
public sealed class PinterestOptions
{
    public Uri ApiBase { get; set; } = new("https://api.pinterest.com/v5/");

    public string ClientId { get; set; } = string.Empty;

    public string ClientSecret { get; set; } = string.Empty;

    /// <summary>Pages (page_size 100) read per pass. A board's order can be customised, so every pass reads this far instead of stopping at the first old pin.</summary>
    public int MaxPages { get; set; } = 5;
}

/// <summary>
/// Pinterest listening through API v5. An Account source (target: a board id) reads the board's pins,
/// <c>GET /boards/{board_id}/pins?pin_metrics=true</c>; a Query source reads <c>GET /search/pins?query=</c>, which
/// searches the connected (business) account's own pins, not all of Pinterest. Paging: <c>{items, bookmark}</c>.
/// v5 has no endpoint to read comments: pins, their text and their saves/reactions are what can be listened to.
/// Rate headers <c>x-ratelimit-remaining</c>/<c>x-ratelimit-reset</c> are honoured by <see cref="ConnectorHttp"/>.
/// Checkpoint: <see cref="TimeCheckpoint"/> on <c>created_at</c>.
/// </summary>
public sealed class PinterestConnector(ConnectorHttp http, PinterestOptions options) : IListeningConnector
{
    public const string Name = "pinterest";

    public Platform Platform => Platform.Pinterest;

    public bool Streams(Source source) => false;

    public string? Unsupported(Source source) => source.Kind == SourceKind.Feed
        ? "Pinterest sources are a board id (its pins) or a query (searches the connected account's own pins)"
        : null;

    public async IAsyncEnumerable<ListenPage> ListenAsync(ListenRequest request, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return await ReadAsync(request, TimeCheckpoint.Parse(request.Checkpoint), cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<ListenPage> BackfillAsync(ListenRequest request, DateTimeOffset from, DateTimeOffset to, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return TimeCheckpoint.InRange(await ReadAsync(request, from, cancellationToken).ConfigureAwait(false), from, to);
    }

    private async Task<ListenPage> ReadAsync(ListenRequest request, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        var account = request.Account ?? throw new ConnectorException(Name, FailureKind.Rejected, "no Pinterest account is connected in this workspace: connect it under Connections");
        var target = request.Source.Target.Trim();
        var path = request.Source.Kind == SourceKind.Account
            ? $"boards/{Uri.EscapeDataString(target)}/pins?page_size=100&pin_metrics=true"
            : $"search/pins?query={Uri.EscapeDataString(target)}";
        var items = new List<MentionInput>();
        var errors = new PassErrors();
        string? bookmark = null;
        for (var page = 1; page <= options.MaxPages; page++)
        {
            var uri = new Uri(options.ApiBase, path + (bookmark is null ? string.Empty : "&bookmark=" + Uri.EscapeDataString(bookmark)));
            var response = await http.SendAsync(Name, () =>
            {
                var message = new HttpRequestMessage(HttpMethod.Get, uri);
                message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", account.Secret);
                return message;
            }, cancellationToken).ConfigureAwait(false);
            JsonItems json;
            using (response.Message)
            {
                json = JsonPages.Read(Name, response.Body, "items");
            }

            errors.AddPage(json.Errors, $"page {page}");
            for (var i = 0; i < json.Items.Count; i++)
            {
                if (PinterestMapper.Pin(json.Items[i], $"page {page} item {i + 1}", errors) is { } pin && (since is null || pin.CreatedAt >= since))
                {
                    items.Add(pin);
                }
            }

            bookmark = json.Root?.Text("bookmark");
            // A first run takes the newest page only.
            if (since is null || json.Errors.Count > 0 || string.IsNullOrEmpty(bookmark))
            {
                break;
            }
        }

        return TimeCheckpoint.Page(items, since, errors);
    }
}

/// <summary>Maps v5 Pin objects to pipeline input.</summary>
public static class PinterestMapper
{
    /// <summary>
    /// A pin: title + description (+ alt text) as text, the board owner as author, <c>https://www.pinterest.com/pin/{id}/</c>
    /// as URL, lifetime metrics (when the token may read them) as engagement: reactions → likes, comments → replies,
    /// impressions → views. v5 documents <c>pin_metrics: {"90d": {pin_click, impression, clickthrough},
    /// "lifetime_metrics": {pin_click, impression, clickthrough, reaction, comment}}</c> (developers.pinterest.com
    /// boards-list_pins): there is no save count there, so shares stay unknown (saves need the analytics endpoint).
    /// </summary>
    public static MentionInput? Pin(JsonElement pin, string position, List<ItemError> errors)
    {
        var id = pin.Text("id");
        var created = pin.Time("created_at");
        if (id is null || created is null)
        {
            errors.Add(new ItemError(PinterestConnector.Name, position, "a pin without id or created_at"));
            return null;
        }

        var text = string.Join("\n", new[] { pin.Text("title"), pin.Text("description"), pin.Text("alt_text") }.Where(t => !string.IsNullOrWhiteSpace(t)));
        var metrics = pin.Child("pin_metrics")?.Child("lifetime_metrics");
        return new MentionInput
        {
            Platform = PinterestConnector.Name,
            ExternalId = id,
            Kind = "post",
            Author = new AuthorInput { Handle = pin.Child("board_owner")?.Text("username") ?? "unknown" },
            Text = text,
            Url = $"https://www.pinterest.com/pin/{id}/",
            CreatedAt = created,
            Engagement = metrics is { } m
                ? new EngagementInput { Likes = m.Number("reaction"), Replies = m.Number("comment"), Views = m.Number("impression") }
                : null,
        };
    }
}
