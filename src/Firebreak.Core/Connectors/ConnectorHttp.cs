namespace Firebreak.Core.Connectors;

using System.Globalization;
using System.Net;
using System.Text;

/// <summary>Limits for platform calls; defaults suit production, tests shorten the waits.</summary>
public sealed class ConnectorHttpOptions
{
    /// <summary>Pages at or over this size are refused cleanly (a hostile or broken server must not exhaust memory).</summary>
    public long MaxResponseBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Tries per call (the first included) for 429, 5xx, timeouts and dropped connections.</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>First backoff after a 5xx or timeout; doubled each try, with up to 50% random jitter added.</summary>
    public TimeSpan BaseBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait a Retry-After or reset header may impose within one call; longer waits fail the call as transient and the runner comes back later.</summary>
    public TimeSpan MaxRateLimitWait { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Per-request timeout.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>A response that passed the checks: status 2xx (or 304), headers and the whole bounded body.</summary>
public sealed record ConnectorResponse(HttpStatusCode Status, HttpResponseMessage Message, byte[] Body)
{
    public bool NotModified => Status == HttpStatusCode.NotModified;

    public string? Header(string name) =>
        Message.Headers.TryGetValues(name, out var values) || Message.Content.Headers.TryGetValues(name, out values) ? values.FirstOrDefault() : null;
}

/// <summary>
/// The one way connectors call platforms. Honours 429 with Retry-After (seconds or an HTTP date) and rate-limit reset
/// headers (X-RateLimit-Reset as epoch seconds or an ISO 8601 time, x-rate-limit-reset, ratelimit-reset as seconds),
/// waits before the next call when the remaining quota is 0, backs off with jitter on 5xx, timeouts and dropped
/// connections, classifies 401 (revoked) and 403 (forbidden), and reads at most <see cref="ConnectorHttpOptions.MaxResponseBytes"/>.
/// </summary>
public sealed class ConnectorHttp(HttpClient client, ConnectorHttpOptions options, TimeProvider clock)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, DateTimeOffset> notBefore = new(StringComparer.OrdinalIgnoreCase);

    public ConnectorHttpOptions Options => options;

    /// <summary>Sends the request made by <paramref name="build"/> (called again for each try) and returns the checked response.</summary>
    public async Task<ConnectorResponse> SendAsync(string connector, Func<HttpRequestMessage> build, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var request = build();
            await WaitForQuotaAsync(request.RequestUri!, cancellationToken).ConfigureAwait(false);
            HttpResponseMessage response;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Timeout);
            try
            {
                response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                if (attempt >= options.MaxAttempts || !MayRepeat(request, e))
                {
                    throw new ConnectorException(connector, FailureKind.Transient, $"{request.RequestUri!.Host} did not answer after {attempt} tries ({e.Message}){NotRepeated(request)}", null, e) { Uncertain = !MayRepeat(request, null) };
                }

                await Task.Delay(Backoff(attempt), clock, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var status = (int)response.StatusCode;
            RememberQuota(request.RequestUri!, response);
            if (status == 429)
            {
                var wait = RateLimitWait(response) ?? Backoff(attempt);
                response.Dispose();
                if (attempt >= options.MaxAttempts || wait > options.MaxRateLimitWait)
                {
                    throw new ConnectorException(connector, FailureKind.Transient, $"rate limited (429); the platform asks to wait {wait.TotalSeconds:0} s", status);
                }

                await Task.Delay(wait, clock, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (status >= 500)
            {
                response.Dispose();
                if (attempt >= options.MaxAttempts || !MayRepeat(request, null))
                {
                    throw new ConnectorException(connector, FailureKind.Transient, $"server error {status} after {attempt} tries{NotRepeated(request)}", status) { Uncertain = !MayRepeat(request, null) };
                }

                await Task.Delay(Backoff(attempt), clock, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (status >= 400)
            {
                var detail = await ErrorDetailAsync(response, cancellationToken).ConfigureAwait(false);
                response.Dispose();
                throw status switch
                {
                    401 => new ConnectorException(connector, FailureKind.Revoked, $"401: the credential was refused (revoked or expired); reconnect the account. {detail}".TrimEnd(), status),
                    403 => new ConnectorException(connector, FailureKind.Forbidden, $"403: not allowed for this account (scope, visibility or API access level). {detail}".TrimEnd(), status),
                    _ => new ConnectorException(connector, FailureKind.Rejected, $"{status}: the platform refused the request. {detail}".TrimEnd(), status),
                };
            }

            try
            {
                var body = await ReadBoundedAsync(connector, response, cancellationToken).ConfigureAwait(false);
                return new ConnectorResponse(response.StatusCode, response, body);
            }
            catch (Exception e) when (e is HttpRequestException or IOException && attempt < options.MaxAttempts)
            {
                // The body broke off mid-way (a dropped connection): the same request again is safe, it only reads.
                response.Dispose();
                await Task.Delay(Backoff(attempt), clock, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Whether a failed request may simply be sent again. Reads (GET, HEAD) and the idempotent methods may. A POST or PATCH
    /// creates something (a reply, a post): after a timeout, a dropped answer or a 5xx the platform may already have acted,
    /// and sending again would post twice. So it is repeated only when the connection never opened (the request provably
    /// did not arrive); otherwise the caller's reconciliation (read back, then decide) handles it. A 429 is always safe
    /// to repeat: the platform refused before acting.
    /// </summary>
    public static bool MayRepeat(HttpRequestMessage request, Exception? failure) =>
        !(request.Method == HttpMethod.Post || request.Method == HttpMethod.Patch)
        || (request.Options.TryGetValue(RepeatableKey, out var repeatable) && repeatable)
        || failure is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError };

    /// <summary>
    /// Marks a POST that may be sent again after a lost answer: a read that the platform puts in a POST body (TikTok's
    /// queries), or a write the platform de-duplicates itself (Mastodon's Idempotency-Key, Bluesky's fixed record key).
    /// </summary>
    public static HttpRequestMessage Repeatable(HttpRequestMessage request)
    {
        request.Options.Set(RepeatableKey, true);
        return request;
    }

    private static readonly HttpRequestOptionsKey<bool> RepeatableKey = new("firebreak.repeatable");

    internal static string NotRepeated(HttpRequestMessage request) =>
        MayRepeat(request, null) ? string.Empty : $"; a {request.Method} is not repeated automatically (the platform may already have acted)";

    /// <summary>
    /// Opens a long-lived response (server-sent events) and returns it once its status is 2xx; 401/403/4xx are classified
    /// as for <see cref="SendAsync"/>, anything else (429, 5xx, no answer) is transient: the runner reconnects later.
    /// </summary>
    public async Task<HttpResponseMessage> OpenStreamAsync(string connector, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await WaitForQuotaAsync(request.RequestUri!, cancellationToken).ConfigureAwait(false);
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw new ConnectorException(connector, FailureKind.Transient, $"the stream at {request.RequestUri!.Host} did not open ({e.Message})", null, e);
        }

        var status = (int)response.StatusCode;
        if (status < 300)
        {
            return response;
        }

        var detail = await ErrorDetailAsync(response, cancellationToken).ConfigureAwait(false);
        response.Dispose();
        throw status switch
        {
            401 => new ConnectorException(connector, FailureKind.Revoked, $"401: the credential was refused (revoked or expired); reconnect the account. {detail}".TrimEnd(), status),
            403 => new ConnectorException(connector, FailureKind.Forbidden, $"403: not allowed for this account. {detail}".TrimEnd(), status),
            429 or >= 500 => new ConnectorException(connector, FailureKind.Transient, $"the stream answered {status}. {detail}".TrimEnd(), status),
            _ => new ConnectorException(connector, FailureKind.Rejected, $"{status}: the platform refused the stream. {detail}".TrimEnd(), status),
        };
    }

    /// <summary>How long a 429 asks to wait: Retry-After (delta seconds or HTTP date), else a reset header.</summary>
    public TimeSpan? RateLimitWait(HttpResponseMessage response)
    {
        var now = clock.GetUtcNow();
        if (response.Headers.RetryAfter is { } retry)
        {
            if (retry.Delta is { } delta)
            {
                return Clamp(delta);
            }

            if (retry.Date is { } date)
            {
                return Clamp(date - now);
            }
        }

        return ResetAt(response, now) is { } reset ? Clamp(reset - now) : null;
    }

    /// <summary>Reads a reset header: X-RateLimit-Reset / x-rate-limit-reset as epoch seconds (X) or an ISO 8601 time (Mastodon); RateLimit-Reset as seconds from now (Bluesky's IETF draft headers).</summary>
    public static DateTimeOffset? ResetAt(HttpResponseMessage response, DateTimeOffset now)
    {
        foreach (var name in new[] { "X-RateLimit-Reset", "x-rate-limit-reset", "RateLimit-Reset" })
        {
            if (!response.Headers.TryGetValues(name, out var values))
            {
                continue;
            }

            var text = values.First().Trim();
            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                // Epoch seconds are large; a small number is "seconds from now" (the IETF RateLimit-Reset form).
                return number > 1_000_000_000 ? DateTimeOffset.FromUnixTimeSeconds(number) : now.AddSeconds(number);
            }

            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                return at;
            }
        }

        return null;
    }

    private static TimeSpan Clamp(TimeSpan wait) => wait < TimeSpan.Zero ? TimeSpan.Zero : wait;

    private TimeSpan Backoff(int attempt) => Backoff(options, attempt);

    /// <summary>Exponential backoff with up to 50 % jitter from the options' base (shared by clients with their own retry loop, e.g. Graph).</summary>
    internal static TimeSpan Backoff(ConnectorHttpOptions options, int attempt)
    {
        var baseMs = options.BaseBackoff.TotalMilliseconds * Math.Pow(2, attempt - 1);
        return TimeSpan.FromMilliseconds(baseMs + (Random.Shared.NextDouble() * baseMs / 2));
    }

    private void RememberQuota(Uri uri, HttpResponseMessage response)
    {
        // A 2xx with "remaining: 0" means the next call would be refused: wait for the reset instead of spending a 429.
        if ((int)response.StatusCode >= 300)
        {
            return;
        }

        foreach (var name in new[] { "X-RateLimit-Remaining", "x-rate-limit-remaining", "RateLimit-Remaining" })
        {
            if (response.Headers.TryGetValues(name, out var values) && values.First().Trim() == "0"
                && ResetAt(response, clock.GetUtcNow()) is { } reset)
            {
                lock (gate)
                {
                    notBefore[uri.Authority] = reset;
                }

                return;
            }
        }
    }

    private async Task WaitForQuotaAsync(Uri uri, CancellationToken cancellationToken)
    {
        DateTimeOffset until;
        lock (gate)
        {
            if (!notBefore.Remove(uri.Authority, out until))
            {
                return;
            }
        }

        var wait = until - clock.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait > options.MaxRateLimitWait ? options.MaxRateLimitWait : wait, clock, cancellationToken).ConfigureAwait(false);
        }
    }

    private Task<byte[]> ReadBoundedAsync(string connector, HttpResponseMessage response, CancellationToken cancellationToken) =>
        ReadBoundedAsync(options, connector, response, cancellationToken);

    /// <summary>Reads a body up to the options' bound, refusing a larger one (by its length, or as it grows) without keeping it.</summary>
    internal static async Task<byte[]> ReadBoundedAsync(ConnectorHttpOptions options, string connector, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var max = options.MaxResponseBytes;
        if (response.Content.Headers.ContentLength is { } length && length >= max)
        {
            throw new ConnectorException(connector, FailureKind.Malformed, $"the page is {length:N0} bytes, over the {max:N0}-byte bound; refused without reading it");
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        if (response.Content.Headers.ContentLength is { } declared)
        {
            // The usual case: read straight into an array of the declared size (a short body throws, and is retried).
            var exact = new byte[declared];
            await stream.ReadExactlyAsync(exact, cancellationToken).ConfigureAwait(false);
            return exact;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81_920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read >= max)
            {
                throw new ConnectorException(connector, FailureKind.Malformed, $"the page grew past the {max:N0}-byte bound; refused");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static async Task<string> ErrorDetailAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var buffer = new byte[1024];
            var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            var text = Encoding.UTF8.GetString(buffer, 0, read).Trim();
            return text.Length == 0 ? string.Empty : $"The platform said: {text}";
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return string.Empty;
        }
    }
}
