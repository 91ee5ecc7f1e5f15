namespace Firebreak.Core.Connectors.X;

using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Firebreak.Core.Publishing;

/// <summary>One of the account's own posts as X gives it back: text HTML-decoded, and the post it answers, if any.</summary>
public sealed record OwnTweet(string Id, string Text, DateTimeOffset? CreatedAt, string? RepliedTo, string Url);

/// <summary>
/// The account's own timeline (API v2): <c>GET /2/users/me</c> for its id, then <c>GET /2/users/:id/tweets</c>
/// (newest first, up to 100, <c>tweet.fields=created_at,referenced_tweets</c>). Both the publisher's reconciliation and
/// the rogue-post read-back, and the reply sender's, look here: X takes no idempotency key.
/// </summary>
public static class XTimeline
{
    public const int PageSize = 100;

    /// <param name="filter">Extra query, e.g. <c>&amp;since_id=…</c> or <c>&amp;start_time=…</c>.</param>
    /// <exception cref="ConnectorException">X refused or answered something unreadable: the caller cannot tell what is there.</exception>
    public static async Task<IReadOnlyList<OwnTweet>> OwnTweetsAsync(ConnectorHttp http, PlatformAccount account, string filter, CancellationToken cancellationToken)
    {
        using var me = await GetAsync(http, account, "2/users/me", cancellationToken).ConfigureAwait(false);
        var id = me.RootElement.Child("data")?.Text("id") ?? throw new ConnectorException(XMapper.Name, FailureKind.Malformed, "/2/users/me answered without the account's id");
        var username = me.RootElement.Child("data")?.Text("username") ?? account.Handle.TrimStart('@');
        using var page = await GetAsync(http, account, $"2/users/{Uri.EscapeDataString(id)}/tweets?max_results={PageSize}&tweet.fields=created_at,referenced_tweets{filter}", cancellationToken).ConfigureAwait(false);
        if (!page.RootElement.TryGetProperty("data", out var data))
        {
            // No "data" is X's way of saying "no posts" (meta.result_count 0); anything else it says is in "errors".
            return page.RootElement.Child("meta") is not null ? []
                : throw new ConnectorException(XMapper.Name, FailureKind.Malformed, "the timeline came without data or meta: " + (XMapper.Problems(page.RootElement).FirstOrDefault() ?? "no explanation"));
        }

        if (data.ValueKind != JsonValueKind.Array)
        {
            throw new ConnectorException(XMapper.Name, FailureKind.Malformed, "the timeline's data is not a list");
        }

        var tweets = new List<OwnTweet>(data.GetArrayLength());
        foreach (var t in data.EnumerateArray())
        {
            if (t.Text("id") is not { } tweetId)
            {
                continue;
            }

            string? repliedTo = null;
            if (t.TryGetProperty("referenced_tweets", out var refs) && refs.ValueKind == JsonValueKind.Array)
            {
                repliedTo = refs.EnumerateArray().FirstOrDefault(r => r.Text("type") == "replied_to").Text("id");
            }

            tweets.Add(new OwnTweet(
                tweetId,
                WebUtility.HtmlDecode(t.Text("text") ?? string.Empty),
                DateTimeOffset.TryParse(t.Text("created_at"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null,
                repliedTo,
                $"https://x.com/{username}/status/{tweetId}"));
        }

        return tweets;
    }

    /// <summary>
    /// Creates a post (<c>POST /2/tweets</c>, answered 201 <c>{"data":{"id","text"}}</c>) from <paramref name="body"/>
    /// (<c>{text}</c>, plus <c>reply.in_reply_to_tweet_id</c> for a reply). Returns its id, or null with X's own words
    /// when the answer carried none (the post may exist: read back before sending again).
    /// </summary>
    public static async Task<(string? Id, string Problem)> CreateAsync(ConnectorHttp http, PlatformAccount account, object body, CancellationToken cancellationToken)
    {
        var response = await http.SendAsync(XMapper.Name, () =>
        {
            var message = XConnector.Authorised(HttpMethod.Post, new Uri(account.BaseUri, "2/tweets"), account);
            message.Content = JsonContent.Create(body);
            return message;
        }, cancellationToken).ConfigureAwait(false);
        using (response.Message)
        {
            try
            {
                using var json = JsonDocument.Parse(response.Body);
                return json.RootElement.Child("data")?.Text("id") is { } id
                    ? (id, string.Empty)
                    : (null, XMapper.Problems(json.RootElement).FirstOrDefault() ?? "no explanation");
            }
            catch (JsonException e)
            {
                return (null, "malformed JSON: " + e.Message);
            }
        }
    }

    /// <summary>The public address of one of the account's posts.</summary>
    public static string StatusUrl(PlatformAccount account, string id) => $"https://x.com/{account.Handle.TrimStart('@')}/status/{id}";

    /// <summary>X's <c>start_time</c> format (second granularity).</summary>
    public static string StartTime(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static async Task<JsonDocument> GetAsync(ConnectorHttp http, PlatformAccount account, string path, CancellationToken cancellationToken)
    {
        var response = await http.SendAsync(XMapper.Name, () => XConnector.Authorised(HttpMethod.Get, new Uri(account.BaseUri, path), account), cancellationToken).ConfigureAwait(false);
        using (response.Message)
        {
            try
            {
                return JsonDocument.Parse(response.Body);
            }
            catch (JsonException e)
            {
                throw new ConnectorException(XMapper.Name, FailureKind.Malformed, $"{path.Split('?')[0]} answered malformed JSON: {e.Message}");
            }
        }
    }
}
