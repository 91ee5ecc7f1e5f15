namespace Firebreak.Core.Alerts.Channels;

using System.Net;
using System.Net.Http.Headers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;

/// <summary>
/// The HTTP client of the webhook, Slack and Teams channels, and how they read answers. Redirects are not
/// followed (a receiver that moved must be re-configured; following them would let a receiver point us elsewhere).
/// </summary>
public sealed class AlertHttp(HttpMessageHandler handler, TimeProvider clock) : IDisposable
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };
    private readonly HttpClient client = new(handler) { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>The production client: pooled connections renewed every 5 min (DNS changes), 10 s to connect.</summary>
    public AlertHttp(TimeProvider clock)
        : this(new SocketsHttpHandler { AllowAutoRedirect = false, ConnectTimeout = TimeSpan.FromSeconds(10), PooledConnectionLifetime = TimeSpan.FromMinutes(5) }, clock)
    {
    }

    /// <summary>JSON text with every script readable and nothing HTML-significant left unescaped.</summary>
    public static string Serialize(JsonNode node) => node.ToJsonString(Json);

    /// <summary>
    /// POSTs a JSON body. 2xx is delivered; 408, 429 and 5xx (and network errors, timeouts) are worth another try,
    /// honouring Retry-After; any other answer (400, 401, 403, 404, 410…) will not change by itself.
    /// </summary>
    public async Task<DeliveryOutcome> PostJsonAsync(string url, byte[] body, IEnumerable<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.UserAgent.ParseAdd("Firebreak-Alerts/1.0");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            return DeliveryOutcome.Retry($"network error: {e.Message}");
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (status is >= 200 and < 300)
            {
                return DeliveryOutcome.Success;
            }

            var error = $"HTTP {status} {response.ReasonPhrase}{await SnippetAsync(response, cancellationToken).ConfigureAwait(false)}";
            return status is 408 or 429 or >= 500
                ? DeliveryOutcome.Retry(error, RetryAfter(response))
                : DeliveryOutcome.Fail(error);
        }
    }

    public void Dispose() => client.Dispose();

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - clock.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    /// <summary>The start of the receiver's answer, for the dead-letter list (bounded: a receiver may answer anything).</summary>
    private static async Task<string> SnippetAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var buffer = new byte[300];
            var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            var text = AlertText.OneLine(System.Text.Encoding.UTF8.GetString(buffer, 0, read)).Trim();
            return text.Length == 0 ? string.Empty : ": " + AlertText.Truncate(text, 200);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            return string.Empty;
        }
    }
}

/// <summary>The <c>X-Firebreak-Signature</c> scheme: HMAC-SHA256 over "timestamp.body" with the endpoint's secret.</summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "X-Firebreak-Signature";
    public const string TimestampHeader = "X-Firebreak-Timestamp";

    /// <summary>"sha256=" + lower-case hex of HMAC-SHA256(secret, timestamp + "." + body).</summary>
    public static string Sign(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = System.Text.Encoding.UTF8.GetBytes(timestamp + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        var mac = System.Security.Cryptography.HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret), signed);
        return "sha256=" + Convert.ToHexStringLower(mac);
    }

    /// <summary>
    /// What a receiver does: recompute and compare in constant time, and refuse timestamps further than
    /// <paramref name="tolerance"/> from now (a captured request cannot be replayed later).
    /// </summary>
    public static bool Verify(string secret, string? timestamp, string? signature, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (timestamp is null || signature is null || !long.TryParse(timestamp, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            || (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > tolerance)
        {
            return false;
        }

        var expected = System.Text.Encoding.ASCII.GetBytes(Sign(secret, timestamp, body));
        return System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(expected, System.Text.Encoding.ASCII.GetBytes(signature));
    }
}
