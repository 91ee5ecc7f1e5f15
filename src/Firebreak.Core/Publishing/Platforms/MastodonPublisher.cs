namespace Firebreak.Core.Publishing.Platforms;

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Firebreak.Core.Mentions;
using Firebreak.Core.Publishing.Outbox;

/// <summary>
/// Mastodon's REST API (targets API v1 as in Mastodon 4.x): <c>POST /api/v1/statuses</c> with a bearer token and the
/// <c>Idempotency-Key</c> header (the server keeps keys for an hour and answers a repeat with the first status, so a
/// retry cannot post twice), <c>GET /api/v1/accounts/verify_credentials</c> for the account's id, and
/// <c>GET /api/v1/accounts/:id/statuses?since_id=</c> to read back (newest first). Errors are JSON <c>{"error": "..."}</c>;
/// 429 carries <c>X-RateLimit-Reset</c> (an ISO 8601 time).
/// </summary>
public sealed class MastodonPublisher(HttpClient http, TimeProvider clock, MediaFetcher? media = null) : IPlatformPublisher
{
    /// <summary>Mastodon's default attachment count per status.</summary>
    public const int MaxAttachments = 4;

    /// <summary>How long an upload answered 202 (still processing) is waited for before the attempt is retried later.</summary>
    public static readonly TimeSpan ProcessingWait = TimeSpan.FromSeconds(20);

    /// <summary>Mastodon's default status length (instances may allow more; the server says 422 if so).</summary>
    public const int PageSize = 40;

    public Platform Platform => Platform.Mastodon;

    public async Task<PublishAttempt> PublishAsync(PlatformAccount account, PublishRequest request, CancellationToken cancellationToken)
    {
        if (request.MediaUrls.Count > 0 && media is null)
        {
            // Without a fetcher the pictures cannot be uploaded; refusing is better than posting without them.
            return PublishAttempt.Permanent("Media attachments are not supported by this Mastodon publisher (no media fetcher configured); remove the media or post it by hand.");
        }

        if (request.MediaUrls.Count > MaxAttachments)
        {
            return PublishAttempt.Permanent($"Mastodon statuses hold at most {MaxAttachments} attachments; this one has {request.MediaUrls.Count}.");
        }

        var body = new JsonObject { ["status"] = request.Text };
        if (request.MediaUrls.Count > 0)
        {
            var uploaded = await UploadAsync(account, request.MediaUrls, cancellationToken).ConfigureAwait(false);
            if (uploaded.Failure is { } failure)
            {
                return failure;
            }

            body["media_ids"] = new JsonArray([.. uploaded.Ids.Select(id => JsonValue.Create(id))]);
        }

        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(account.BaseUri, "api/v1/statuses"))
        {
            Content = JsonContent.Create(body),
        };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", account.Secret);
        message.Headers.Add("Idempotency-Key", request.IdempotencyKey);
        try
        {
            using var response = await http.SendAsync(message, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                var status = await ReadObjectAsync(response, cancellationToken).ConfigureAwait(false);
                return PublishAttempt.Published(status["id"]!.GetValue<string>(), (string?)status["url"] ?? (string?)status["uri"]);
            }

            var error = await PlatformHttp.DescribeAsync(response, cancellationToken).ConfigureAwait(false);
            return PlatformHttp.IsTransient(response.StatusCode)
                ? PublishAttempt.Transient(error, PlatformHttp.RetryAfter(response, clock.GetUtcNow()))
                : PublishAttempt.Permanent(error);
        }
        catch (Exception ex) when (IsNetwork(ex, cancellationToken))
        {
            return PublishAttempt.Transient($"Mastodon did not answer: {ex.Message}");
        }
    }

    /// <summary>
    /// Uploads each picture: <c>POST /api/v2/media</c> (multipart <c>file</c>) answers 200 with the attachment, or 202 while
    /// the server still processes it; then <c>GET /api/v1/media/:id</c> answers 206 until it is ready (200). An upload
    /// left unused by a failed attempt is an orphan the server removes; the retry uploads again.
    /// </summary>
    private async Task<(IReadOnlyList<string> Ids, PublishAttempt? Failure)> UploadAsync(PlatformAccount account, IReadOnlyList<string> urls, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        try
        {
            foreach (var url in urls)
            {
                MediaFile file;
                try
                {
                    file = await media!.FetchAsync(url, long.MaxValue, cancellationToken).ConfigureAwait(false);
                }
                catch (MediaFetchException e)
                {
                    return ([], e.Transient ? PublishAttempt.Transient(e.Message) : PublishAttempt.Permanent(e.Message));
                }

                using var form = new MultipartFormDataContent();
                var part = new ByteArrayContent(file.Bytes);
                part.Headers.ContentType = new MediaTypeHeaderValue(file.ContentType);
                form.Add(part, "file", file.FileName);
                using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(account.BaseUri, "api/v2/media")) { Content = form };
                message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", account.Secret);
                using var response = await http.SendAsync(message, cancellationToken).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    var error = "Uploading " + file.FileName + ": " + await PlatformHttp.DescribeAsync(response, cancellationToken).ConfigureAwait(false);
                    return ([], PlatformHttp.IsTransient(response.StatusCode) ? PublishAttempt.Transient(error, PlatformHttp.RetryAfter(response, clock.GetUtcNow())) : PublishAttempt.Permanent(error));
                }

                var attachment = await ReadObjectAsync(response, cancellationToken).ConfigureAwait(false);
                var id = (string?)attachment["id"] ?? throw new JsonException("the media upload answered without an id");
                if (response.StatusCode == HttpStatusCode.Accepted && !await ProcessedAsync(account, id, cancellationToken).ConfigureAwait(false))
                {
                    return ([], PublishAttempt.Transient($"Mastodon is still processing {file.FileName} after {ProcessingWait.TotalSeconds:0} s; the post is tried again shortly."));
                }

                ids.Add(id);
            }
        }
        catch (Exception ex) when (IsNetwork(ex, cancellationToken) || ex is JsonException)
        {
            return ([], PublishAttempt.Transient($"Mastodon did not take the media: {ex.Message}"));
        }

        return (ids, null);
    }

    private async Task<bool> ProcessedAsync(PlatformAccount account, string id, CancellationToken cancellationToken)
    {
        var deadline = clock.GetUtcNow() + ProcessingWait;
        while (clock.GetUtcNow() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), clock, cancellationToken).ConfigureAwait(false);
            using var message = new HttpRequestMessage(HttpMethod.Get, new Uri(account.BaseUri, "api/v1/media/" + Uri.EscapeDataString(id)));
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", account.Secret);
            using var response = await http.SendAsync(message, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return true;
            }
        }

        return false;
    }

    public async Task<RemotePost?> FindAsync(PlatformAccount account, PublishRequest request, DateTimeOffset sentSince, CancellationToken cancellationToken)
    {
        // The same Idempotency-Key would be answered with the first status, but only for an hour; reading the account's
        // recent statuses works at any age. A status created since the send began with the same text is ours.
        var wanted = PostText.Normalise(request.Text);
        var page = await StatusesAsync(account, null, cancellationToken).ConfigureAwait(false);
        return page.FirstOrDefault(p => (p.CreatedAt is null || p.CreatedAt >= sentSince.AddMinutes(-1)) && PostText.Normalise(p.Text) == wanted);
    }

    public async Task<ReadBack> ReadBackAsync(PlatformAccount account, string? checkpoint, CancellationToken cancellationToken)
    {
        var posts = await StatusesAsync(account, checkpoint, cancellationToken).ConfigureAwait(false);
        return new ReadBack(posts, posts.Count > 0 ? posts[0].RemoteId : checkpoint);
    }

    private async Task<IReadOnlyList<RemotePost>> StatusesAsync(PlatformAccount account, string? sinceId, CancellationToken cancellationToken)
    {
        var me = await GetAsync(account, "api/v1/accounts/verify_credentials", cancellationToken).ConfigureAwait(false);
        var id = Uri.EscapeDataString(me["id"]!.GetValue<string>());
        var query = $"api/v1/accounts/{id}/statuses?limit={PageSize}&exclude_reblogs=true" + (sinceId is null ? string.Empty : "&since_id=" + Uri.EscapeDataString(sinceId));
        var list = await GetAsync(account, query, cancellationToken).ConfigureAwait(false);
        return [.. list.AsArray().OfType<JsonObject>().Select(s => new RemotePost(
            s["id"]!.GetValue<string>(),
            (string?)s["url"] ?? (string?)s["uri"],
            PostText.FromHtml((string?)s["content"] ?? string.Empty),
            DateTimeOffset.TryParse((string?)s["created_at"], System.Globalization.CultureInfo.InvariantCulture, out var at) ? at : null))];
    }

    private async Task<JsonNode> GetAsync(PlatformAccount account, string path, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, new Uri(account.BaseUri, path));
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", account.Secret);
        try
        {
            using var response = await http.SendAsync(message, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new PlatformUnavailableException($"Mastodon {path.Split('?')[0]}: {await PlatformHttp.DescribeAsync(response, cancellationToken).ConfigureAwait(false)}",
                    PlatformHttp.RetryAfter(response, clock.GetUtcNow()));
            }

            return await JsonNode.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false)
                ?? throw new PlatformUnavailableException($"Mastodon {path}: empty answer");
        }
        catch (Exception ex) when (IsNetwork(ex, cancellationToken) || ex is JsonException)
        {
            throw new PlatformUnavailableException($"Mastodon did not answer {path.Split('?')[0]}: {ex.Message}");
        }
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        await JsonNode.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false) as JsonObject
            ?? throw new JsonException("Mastodon answered a status that is not a JSON object");

    /// <summary>A network failure or the client's timeout, not the caller cancelling.</summary>
    internal static bool IsNetwork(Exception ex, CancellationToken cancellationToken) =>
        ex is HttpRequestException || (ex is TaskCanceledException or OperationCanceledException && !cancellationToken.IsCancellationRequested);
}
