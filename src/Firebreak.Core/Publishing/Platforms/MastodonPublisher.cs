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
public sealed class MastodonPublisher(HttpClient http, TimeProvider clock) : IPlatformPublisher
{
    /// <summary>Mastodon's default status length (instances may allow more; the server says 422 if so).</summary>
    public const int PageSize = 40;

    public Platform Platform => Platform.Mastodon;

    public async Task<PublishAttempt> PublishAsync(PlatformAccount account, PublishRequest request, CancellationToken cancellationToken)
    {
        if (request.MediaUrls.Count > 0)
        {
            // Media needs the upload API (POST /api/v2/media) first; refusing is better than posting without the picture.
            return PublishAttempt.Permanent("Media attachments are not supported by Firebreak's Mastodon publisher yet; remove the media or post it by hand.");
        }

        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(account.BaseUri, "api/v1/statuses"))
        {
            Content = JsonContent.Create(new JsonObject { ["status"] = request.Text }),
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
