namespace Firebreak.Core.Connectors.TikTok;

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Firebreak.Core.Mentions;

/// <summary>What became of one TikTok webhook delivery.</summary>
public enum TikTokWebhookVerdict
{
    /// <summary>Signed by our app and handled (or an event Firebreak does not use): answer 200 so TikTok stops retrying.</summary>
    Accepted,

    /// <summary>No TikTok-Signature header, or not the t=…,s=… form.</summary>
    MissingSignature,

    /// <summary>The signature does not match, or its timestamp is outside the tolerance (a replay).</summary>
    BadSignature,

    /// <summary>Signed, but not the documented JSON (client_key, event, create_time, user_openid, content).</summary>
    Malformed,
}

/// <summary>
/// TikTok for Developers webhooks (developers.tiktok.com "Webhooks overview", "Check the signature", "Webhook events"):
/// each delivery is a JSON POST <c>{client_key, event, create_time, user_openid, content}</c> signed in the
/// <c>TikTok-Signature: t={unix seconds},s={hex}</c> header, where s = HMAC-SHA256(client secret, "{t}.{raw body}").
/// The signature is checked in constant time and a timestamp older than <see cref="Tolerance"/> is refused as a replay.
/// Firebreak uses <c>authorization.removed</c>: the person (or TikTok) revoked the app, the token is already dead, and
/// the connection whose handle is that open_id is marked revoked at once, with an alert to the workspace's admins,
/// instead of at the next failed call. TikTok delivers at least once: revoking again is harmless.
/// </summary>
public sealed class TikTokWebhook(TikTokOptions options, IConnectorStore store, ConnectionService connections, TimeProvider clock)
{
    public const int MaxBodyBytes = 64 * 1024;

    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    /// <summary>The documented reasons for authorization.removed.</summary>
    private static readonly string[] Reasons = ["unknown", "the user disconnected the app in TikTok", "the user's account was deleted", "the user's age changed", "the user's account was banned", "the developer revoked the authorization"];

    public async Task<(TikTokWebhookVerdict Verdict, string Detail, int Revoked)> ReceiveAsync(byte[] body, string? signatureHeader, CancellationToken cancellationToken)
    {
        if (options.ClientSecret.Length == 0)
        {
            return (TikTokWebhookVerdict.BadSignature, "TikTok webhooks are not configured here (set Connectors:TikTok:ClientSecret).", 0);
        }

        if (Parse(signatureHeader) is not { } signature)
        {
            return (TikTokWebhookVerdict.MissingSignature, "A TikTok-Signature header of the form t=<unix seconds>,s=<hex HMAC-SHA256> is required.", 0);
        }

        if (!Verify(options.ClientSecret, signature.Timestamp, signature.Hex, body))
        {
            return (TikTokWebhookVerdict.BadSignature, "The TikTok-Signature does not match this body signed with the app's client secret.", 0);
        }

        var age = clock.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(signature.Timestamp);
        if (age.Duration() > Tolerance)
        {
            return (TikTokWebhookVerdict.BadSignature, $"The signature's timestamp is {age.TotalMinutes:0} minutes off; deliveries older than {Tolerance.TotalMinutes:0} minutes are refused as replays.", 0);
        }

        Delivery delivery;
        try
        {
            delivery = JsonSerializer.Deserialize<Delivery>(body) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            return (TikTokWebhookVerdict.Malformed, "The body is not TikTok's webhook JSON: " + e.Message, 0);
        }

        if (delivery.ClientKey != options.ClientKey || delivery.Event is null)
        {
            return (TikTokWebhookVerdict.Malformed, "The delivery names another app's client_key or no event.", 0);
        }

        if (delivery.Event != "authorization.removed" || string.IsNullOrEmpty(delivery.UserOpenId))
        {
            return (TikTokWebhookVerdict.Accepted, $"event {delivery.Event} is not used by Firebreak", 0);
        }

        var reason = ReasonOf(delivery.Content);
        var revoked = 0;
        foreach (var c in await store.ListAllConnectionsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (c.Platform == Platform.TikTok && c.State == ConnectionState.Active && string.Equals(c.Handle, delivery.UserOpenId, StringComparison.Ordinal))
            {
                await connections.RevokedAsync(c, $"TikTok says the authorization was removed ({reason})", cancellationToken).ConfigureAwait(false);
                revoked++;
            }
        }

        return (TikTokWebhookVerdict.Accepted, $"authorization.removed: {revoked} connection(s) marked revoked", revoked);
    }

    /// <summary>Constant-time check of s = HMAC-SHA256(secret, "{t}.{body}").</summary>
    public static bool Verify(string clientSecret, long timestamp, string hex, byte[] body)
    {
        byte[] given;
        try
        {
            given = Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            return false;
        }

        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        byte[] signed = [.. prefix, .. body];
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(clientSecret), signed);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    /// <summary>"t=1633174587,s=1849…" → (1633174587, "1849…"); null when either part is missing.</summary>
    public static (long Timestamp, string Hex)? Parse(string? header)
    {
        if (string.IsNullOrWhiteSpace(header) || header.Length > 512)
        {
            return null;
        }

        long? t = null;
        string? s = null;
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries))
        {
            if (part.StartsWith("t=", StringComparison.Ordinal) && long.TryParse(part[2..], NumberStyles.None, CultureInfo.InvariantCulture, out var ts))
            {
                t = ts;
            }
            else if (part.StartsWith("s=", StringComparison.Ordinal))
            {
                s = part[2..];
            }
        }

        return t is { } time && s is { Length: > 0 } sig ? (time, sig) : null;
    }

    private static string ReasonOf(string? content)
    {
        try
        {
            using var json = JsonDocument.Parse(content ?? "{}");
            return json.RootElement.Number("reason") is { } n && n >= 0 && n < Reasons.Length ? Reasons[n] : Reasons[0];
        }
        catch (JsonException)
        {
            return Reasons[0];
        }
    }

    private sealed record Delivery(
        [property: System.Text.Json.Serialization.JsonPropertyName("client_key")] string? ClientKey,
        [property: System.Text.Json.Serialization.JsonPropertyName("event")] string? Event,
        [property: System.Text.Json.Serialization.JsonPropertyName("create_time")] long CreateTime,
        [property: System.Text.Json.Serialization.JsonPropertyName("user_openid")] string? UserOpenId,
        [property: System.Text.Json.Serialization.JsonPropertyName("content")] string? Content);
}
