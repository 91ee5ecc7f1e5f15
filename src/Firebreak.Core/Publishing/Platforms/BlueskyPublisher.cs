namespace Firebreak.Core.Publishing.Platforms;

using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Firebreak.Core.Mentions;
using Firebreak.Core.Publishing.Outbox;

/// <summary>
/// Bluesky through atproto XRPC on the account's PDS (lexicons as of atproto 2024–2025):
/// <c>com.atproto.server.createSession</c> (handle + app password → accessJwt, refreshJwt, did),
/// <c>com.atproto.server.refreshSession</c> when the access token expired (400 ExpiredToken),
/// <c>com.atproto.repo.createRecord</c> of an <c>app.bsky.feed.post</c> with a deterministic <c>rkey</c> (<see cref="Tid"/>),
/// <c>com.atproto.repo.getRecord</c> to reconcile, <c>com.atproto.repo.listRecords</c> to read back (newest first).
/// Errors are <c>{"error": "...", "message": "..."}</c>; 429 carries <c>RateLimit-Reset</c> (Unix seconds).
/// </summary>
public sealed class BlueskyPublisher(HttpClient http, TimeProvider clock, MediaFetcher? media = null) : IPlatformPublisher
{
    /// <summary>app.bsky.embed.images: at most 4 images, each blob at most 1,000,000 bytes (the lexicon's maxSize).</summary>
    public const int MaxImages = 4;

    public const long MaxImageBytes = 1_000_000;

    /// <summary>app.bsky.feed.post's text limit, in graphemes.</summary>
    public const int MaxGraphemes = 300;

    public const string Collection = "app.bsky.feed.post";

    private readonly ConcurrentDictionary<(Uri, string), Session> sessions = new();

    public Platform Platform => Platform.Bluesky;

    public async Task<PublishAttempt> PublishAsync(PlatformAccount account, PublishRequest request, CancellationToken cancellationToken)
    {
        var graphemes = new StringInfo(request.Text).LengthInTextElements;
        if (graphemes > MaxGraphemes)
        {
            return PublishAttempt.Permanent($"Bluesky posts hold at most {MaxGraphemes} graphemes; this one has {graphemes}. Shorten it.");
        }

        if (request.MediaUrls.Count > 0 && media is null)
        {
            return PublishAttempt.Permanent("Media attachments are not supported by this Bluesky publisher (no media fetcher configured); remove the media or post it by hand.");
        }

        if (request.MediaUrls.Count > MaxImages)
        {
            return PublishAttempt.Permanent($"Bluesky posts hold at most {MaxImages} pictures; this one has {request.MediaUrls.Count}.");
        }

        if (!Tid.IsValid(request.IdempotencyKey))
        {
            return PublishAttempt.Permanent($"'{request.IdempotencyKey}' is not a TID record key.");
        }

        try
        {
            var session = await SessionAsync(account, cancellationToken).ConfigureAwait(false);
            JsonObject? embed = null;
            if (request.MediaUrls.Count > 0)
            {
                var uploaded = await UploadImagesAsync(account, session, request.MediaUrls, cancellationToken).ConfigureAwait(false);
                if (uploaded.Failure is { } failure)
                {
                    return failure;
                }

                embed = uploaded.Embed;
            }

            var record = new JsonObject
            {
                ["repo"] = session.Did,
                ["collection"] = Collection,
                ["rkey"] = request.IdempotencyKey,
                ["record"] = new JsonObject
                {
                    ["$type"] = Collection,
                    ["text"] = request.Text,
                    ["createdAt"] = request.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                },
            };
            if (embed is not null)
            {
                record["record"]!["embed"] = embed;
            }

            using var response = await SendAsync(account, session, HttpMethod.Post, "com.atproto.repo.createRecord", record, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return PublishAttempt.Published(request.IdempotencyKey, PostUrl(session, request.IdempotencyKey));
            }

            var error = await PlatformHttp.DescribeAsync(response, cancellationToken).ConfigureAwait(false);
            if (PlatformHttp.IsTransient(response.StatusCode))
            {
                return PublishAttempt.Transient(error, PlatformHttp.RetryAfter(response, clock.GetUtcNow()));
            }

            // A refused create may be the record key already taken by an earlier attempt of ours: then it is published.
            if (response.StatusCode == HttpStatusCode.BadRequest && await GetRecordAsync(account, request.IdempotencyKey, cancellationToken).ConfigureAwait(false) is { } existing)
            {
                return PublishAttempt.Published(existing.RemoteId, existing.Url);
            }

            return PublishAttempt.Permanent(error);
        }
        catch (PlatformUnavailableException ex)
        {
            return ex.RetryAfter is null && ex.Message.Contains("AuthenticationRequired", StringComparison.Ordinal)
                ? PublishAttempt.Permanent(ex.Message)
                : PublishAttempt.Transient(ex.Message, ex.RetryAfter);
        }
        catch (Exception ex) when (MastodonPublisher.IsNetwork(ex, cancellationToken))
        {
            return PublishAttempt.Transient($"Bluesky did not answer: {ex.Message}");
        }
    }

    public Task<RemotePost?> FindAsync(PlatformAccount account, PublishRequest request, DateTimeOffset sentSince, CancellationToken cancellationToken) =>
        GetRecordAsync(account, request.IdempotencyKey, cancellationToken);

    public async Task<ReadBack> ReadBackAsync(PlatformAccount account, string? checkpoint, CancellationToken cancellationToken)
    {
        var session = await SessionAsync(account, cancellationToken).ConfigureAwait(false);
        var path = $"com.atproto.repo.listRecords?repo={Uri.EscapeDataString(session.Did)}&collection={Collection}&limit=50";
        using var response = await SendAsync(account, session, HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
        var body = await ReadAsync(response, path, cancellationToken).ConfigureAwait(false);
        var posts = new List<RemotePost>();
        foreach (var record in (body["records"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var rkey = RecordKey((string?)record["uri"] ?? string.Empty);

            // TIDs sort by time as strings, so everything at or below the checkpoint was seen before.
            if (checkpoint is not null && string.CompareOrdinal(rkey, checkpoint) <= 0)
            {
                continue;
            }

            posts.Add(ToPost(session, rkey, record["value"] as JsonObject));
        }

        posts.Sort((a, b) => string.CompareOrdinal(b.RemoteId, a.RemoteId));
        return new ReadBack(posts, posts.Count > 0 && (checkpoint is null || string.CompareOrdinal(posts[0].RemoteId, checkpoint) > 0) ? posts[0].RemoteId : checkpoint);
    }

    private async Task<RemotePost?> GetRecordAsync(PlatformAccount account, string rkey, CancellationToken cancellationToken)
    {
        var session = await SessionAsync(account, cancellationToken).ConfigureAwait(false);
        var path = $"com.atproto.repo.getRecord?repo={Uri.EscapeDataString(session.Did)}&collection={Collection}&rkey={Uri.EscapeDataString(rkey)}";
        using var response = await SendAsync(account, session, HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound)
        {
            var error = await PlatformHttp.DescribeAsync(response, cancellationToken).ConfigureAwait(false);
            if (error.Contains("RecordNotFound", StringComparison.Ordinal))
            {
                return null;
            }

            throw new PlatformUnavailableException("Bluesky getRecord: " + error);
        }

        var body = await ReadAsync(response, "com.atproto.repo.getRecord", cancellationToken).ConfigureAwait(false);
        return ToPost(session, rkey, body["value"] as JsonObject);
    }

    private static RemotePost ToPost(Session session, string rkey, JsonObject? value) =>
        new(rkey, PostUrl(session, rkey), (string?)value?["text"] ?? string.Empty,
            DateTimeOffset.TryParse((string?)value?["createdAt"], CultureInfo.InvariantCulture, out var at) ? at : null);

    private static string RecordKey(string atUri) => atUri[(atUri.LastIndexOf('/') + 1)..];

    private static string PostUrl(Session session, string rkey) => $"https://bsky.app/profile/{Uri.EscapeDataString(session.Handle)}/post/{rkey}";

    /// <summary>
    /// Uploads each picture with <c>com.atproto.repo.uploadBlob</c> (the raw bytes, their type as Content-Type; the answer
    /// is <c>{"blob": {...}}</c>) and returns the <c>app.bsky.embed.images</c> embed. An upload left unused by a failed
    /// post is only an orphan blob, which the PDS collects, so a retry simply uploads again.
    /// </summary>
    private async Task<(JsonObject? Embed, PublishAttempt? Failure)> UploadImagesAsync(PlatformAccount account, Session session, IReadOnlyList<string> urls, CancellationToken cancellationToken)
    {
        var images = new JsonArray();
        foreach (var url in urls)
        {
            MediaFile file;
            try
            {
                file = await media!.FetchAsync(url, MaxImageBytes, cancellationToken).ConfigureAwait(false);
            }
            catch (MediaFetchException e)
            {
                return (null, e.Transient ? PublishAttempt.Transient(e.Message) : PublishAttempt.Permanent(e.Message + $" (Bluesky takes pictures up to {MaxImageBytes:N0} bytes.)"));
            }

            using var response = await SendContentAsync(account, session, HttpMethod.Post, "com.atproto.repo.uploadBlob", () => new ByteArrayContent(file.Bytes) { Headers = { ContentType = new MediaTypeHeaderValue(file.ContentType) } }, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var error = "uploadBlob: " + await PlatformHttp.DescribeAsync(response, cancellationToken).ConfigureAwait(false);
                return (null, PlatformHttp.IsTransient(response.StatusCode) ? PublishAttempt.Transient(error, PlatformHttp.RetryAfter(response, clock.GetUtcNow())) : PublishAttempt.Permanent(error));
            }

            var answer = await ReadAsync(response, "com.atproto.repo.uploadBlob", cancellationToken).ConfigureAwait(false);
            if (answer["blob"] is not JsonObject blob)
            {
                return (null, PublishAttempt.Transient("uploadBlob answered without a blob"));
            }

            images.Add(new JsonObject { ["alt"] = string.Empty, ["image"] = blob.DeepClone() });
        }

        return (new JsonObject { ["$type"] = "app.bsky.embed.images", ["images"] = images }, null);
    }

    /// <summary>Sends with the session's access token; on ExpiredToken refreshes (or signs in again) once and repeats.</summary>
    private Task<HttpResponseMessage> SendAsync(PlatformAccount account, Session session, HttpMethod method, string path, JsonObject? body, CancellationToken cancellationToken) =>
        SendContentAsync(account, session, method, path, body is null ? () => null : () => JsonContent.Create(body), cancellationToken);

    private async Task<HttpResponseMessage> SendContentAsync(PlatformAccount account, Session session, HttpMethod method, string path, Func<HttpContent?> content, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var message = new HttpRequestMessage(method, new Uri(account.BaseUri, "xrpc/" + path)) { Content = content() };
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", session.AccessJwt);
            var response = await http.SendAsync(message, cancellationToken).ConfigureAwait(false);
            if (attempt > 0 || response.StatusCode is not (HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized))
            {
                return response;
            }

            var raw = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!raw.Contains("ExpiredToken", StringComparison.Ordinal) && !raw.Contains("InvalidToken", StringComparison.Ordinal))
            {
                // Not about the token: hand back the same answer (its body was read, so it is copied).
                var copy = new HttpResponseMessage(response.StatusCode) { Content = new StringContent(raw, System.Text.Encoding.UTF8, "application/json"), ReasonPhrase = response.ReasonPhrase };
                response.Dispose();
                return copy;
            }

            response.Dispose();
            session = await RefreshAsync(account, session, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<Session> SessionAsync(PlatformAccount account, CancellationToken cancellationToken) =>
        sessions.TryGetValue((account.BaseUri, account.Handle), out var session) ? session : await CreateSessionAsync(account, cancellationToken).ConfigureAwait(false);

    private async Task<Session> CreateSessionAsync(PlatformAccount account, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(account.BaseUri, "xrpc/com.atproto.server.createSession"))
        {
            Content = JsonContent.Create(new JsonObject { ["identifier"] = account.Handle, ["password"] = account.Secret }),
        };
        using var response = await http.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return Remember(account, await ReadAsync(response, "com.atproto.server.createSession", cancellationToken).ConfigureAwait(false));
    }

    private async Task<Session> RefreshAsync(PlatformAccount account, Session session, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(account.BaseUri, "xrpc/com.atproto.server.refreshSession"));
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", session.RefreshJwt);
        using var response = await http.SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            // The refresh token expired too: sign in again with the app password.
            return await CreateSessionAsync(account, cancellationToken).ConfigureAwait(false);
        }

        return Remember(account, await ReadAsync(response, "com.atproto.server.refreshSession", cancellationToken).ConfigureAwait(false));
    }

    private Session Remember(PlatformAccount account, JsonObject body)
    {
        var session = new Session((string?)body["did"] ?? throw new PlatformUnavailableException("Bluesky createSession: no did in the answer"),
            (string?)body["handle"] ?? account.Handle, (string?)body["accessJwt"] ?? string.Empty, (string?)body["refreshJwt"] ?? string.Empty);
        sessions[(account.BaseUri, account.Handle)] = session;
        return session;
    }

    private async Task<JsonObject> ReadAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new PlatformUnavailableException($"Bluesky {what}: {await PlatformHttp.DescribeAsync(response, cancellationToken).ConfigureAwait(false)}",
                PlatformHttp.RetryAfter(response, clock.GetUtcNow()));
        }

        try
        {
            return await JsonNode.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false) as JsonObject
                ?? throw new PlatformUnavailableException($"Bluesky {what}: the answer is not a JSON object");
        }
        catch (JsonException ex)
        {
            throw new PlatformUnavailableException($"Bluesky {what}: unreadable answer ({ex.Message})");
        }
    }

    private sealed record Session(string Did, string Handle, string AccessJwt, string RefreshJwt);
}
