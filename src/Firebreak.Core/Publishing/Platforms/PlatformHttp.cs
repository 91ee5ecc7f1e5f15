namespace Firebreak.Core.Publishing.Platforms;

using System.Globalization;
using System.Net;
using System.Text.Json;

/// <summary>Shared reading of platform HTTP answers: the error text they give, and how long they ask us to wait.</summary>
internal static class PlatformHttp
{
    public const int MaxErrorChars = 500;

    /// <summary>"422 Unprocessable Entity: Validation failed: Text can't be blank" — the platform's own words, clipped.</summary>
    public static async Task<string> DescribeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        string? said = null;
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object)
            {
                // Mastodon: {"error": "..."}; XRPC: {"error": "InvalidRequest", "message": "..."}.
                var error = json.RootElement.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
                var message = json.RootElement.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                said = (error, message) switch
                {
                    (not null, not null) => $"{error}: {message}",
                    _ => error ?? message,
                };
            }
        }
        catch (JsonException)
        {
            said = body;
        }

        var text = $"{(int)response.StatusCode} {response.ReasonPhrase}" + (string.IsNullOrWhiteSpace(said) ? string.Empty : ": " + said.Trim());
        return text.Length <= MaxErrorChars ? text : text[..MaxErrorChars] + "…";
    }

    /// <summary>Retry-After (seconds or a date), else X-RateLimit-Reset (Mastodon: an ISO 8601 time) or RateLimit-Reset (Bluesky: Unix seconds).</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        if (response.Headers.RetryAfter is { } retry)
        {
            if (retry.Delta is { } delta)
            {
                return delta;
            }

            if (retry.Date is { } date)
            {
                return Positive(date - now);
            }
        }

        foreach (var name in new[] { "X-RateLimit-Reset", "RateLimit-Reset" })
        {
            if (!response.Headers.TryGetValues(name, out var values) || values.FirstOrDefault() is not { } value)
            {
                continue;
            }

            if (long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var unix))
            {
                return Positive(DateTimeOffset.FromUnixTimeSeconds(unix) - now);
            }

            if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                return Positive(at - now);
            }
        }

        return null;
    }

    /// <summary>Whether a status is worth another try: 408, 425, 429 and 5xx.</summary>
    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or (HttpStatusCode)425 or HttpStatusCode.TooManyRequests || (int)status >= 500;

    private static TimeSpan Positive(TimeSpan span) => span < TimeSpan.Zero ? TimeSpan.Zero : span;
}
