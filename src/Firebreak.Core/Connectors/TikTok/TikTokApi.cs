namespace Firebreak.Core.Connectors.TikTok;

using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

/// <summary>TikTok settings: API bases (tests point them at a stub), the app's client key and secret, and how much to read.</summary>
public sealed class TikTokOptions
{
    /// <summary>TikTok for Developers APIs (Research API v2 and its client-credentials token, OAuth v2).</summary>
    public Uri OpenApiBase { get; set; } = new("https://open.tiktokapis.com/");

    /// <summary>TikTok API for Business v1.3, Accounts API (a business account's videos, their comments, replies).</summary>
    public Uri BusinessApiBase { get; set; } = new("https://business-api.tiktok.com/open_api/v1.3/");

    public string ClientKey { get; set; } = string.Empty;

    public string ClientSecret { get; set; } = string.Empty;

    /// <summary>How many of the account's newest videos have their comments read each pass.</summary>
    public int VideoWindow { get; set; } = 20;

    /// <summary>Comment pages read per video per pass (30 comments each, newest first).</summary>
    public int MaxCommentPages { get; set; } = 5;

    /// <summary>Research API pages (100 videos each) per pass.</summary>
    public int MaxResearchPages { get; set; } = 10;

    /// <summary>The Research API indexes videos late; each pass re-queries this many days before the checkpoint (repeats are absorbed by the store).</summary>
    public TimeSpan ResearchRewind { get; set; } = TimeSpan.FromDays(3);
}

/// <summary>
/// TikTok's error envelopes. TikTok answers many failures with HTTP 200 and an error in the body: v2 APIs (Research, OAuth)
/// <c>{"error": {"code": "access_token_invalid", "message", "log_id"}}</c> (<c>"ok"</c> on success), Business API v1.3
/// <c>{"code": 40105, "message", "request_id", "data"}</c> (0 on success). Both are classified like HTTP statuses.
/// </summary>
public static class TikTokApi
{
    public const string Name = "tiktok";

    /// <summary>Sends a request and returns the parsed root after checking both error envelopes.</summary>
    public static async Task<(JsonElement Root, byte[] Body)> CallAsync(ConnectorHttp http, Func<HttpRequestMessage> build, CancellationToken cancellationToken)
    {
        var response = await http.SendAsync(Name, build, cancellationToken).ConfigureAwait(false);
        using (response.Message)
        {
            JsonElement root;
            try
            {
                using var document = JsonDocument.Parse(response.Body);
                root = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                // Truncated or malformed: the caller salvages the complete items with JsonPages.
                return (default, response.Body);
            }

            Check(root);
            return (root, response.Body);
        }
    }

    public static void Check(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (root.Child("error") is { } error && error.Text("code") is { } code && code != "ok")
        {
            throw Classify(code, error.Text("message"), error.Text("log_id"));
        }

        if (root.Number("code") is { } number && number != 0)
        {
            throw Classify(number.ToString(System.Globalization.CultureInfo.InvariantCulture), root.Text("message"), root.Text("request_id"));
        }
    }

    /// <summary>
    /// v2 string codes (developers.tiktok.com "Error Handling": access_token_invalid 401, scope_not_authorized 401,
    /// scope_permission_missed 400, rate_limit_exceeded 429, internal_error 500, invalid_params 400) and Business API
    /// numeric codes (40001 no permission, 40002 parameter error, 40100 rate limit, 40102/40104/40105 access token
    /// expired/empty/incorrect or revoked, 50000/50002 server errors) mapped to what the runner does next.
    /// </summary>
    public static ConnectorException Classify(string code, string? message, string? requestId)
    {
        var text = $"TikTok error {code}: {message} (request {requestId})";
        var kind = code switch
        {
            "access_token_invalid" or "access_token_expired" or "40102" or "40104" or "40105" => FailureKind.Revoked,
            "scope_not_authorized" or "scope_permission_missed" or "40001" => FailureKind.Forbidden,
            "rate_limit_exceeded" or "40100" or "internal_error" or "50000" or "50002" => FailureKind.Transient,
            _ => FailureKind.Rejected,
        };
        var hint = kind switch
        {
            FailureKind.Revoked => "; the token was refused: reconnect the account",
            FailureKind.Forbidden => "; the app or account lacks this scope or API access",
            FailureKind.Transient => "; tried again later",
            _ => string.Empty,
        };
        return new ConnectorException(Name, kind, text + hint);
    }

    /// <summary>
    /// The items of <c>data.{property}</c>. A well-formed page is read whole; a malformed or truncated one is salvaged from
    /// the array's first byte with <see cref="JsonPages"/>, so the complete items before the break are kept.
    /// </summary>
    public static JsonItems Items(JsonElement root, byte[] body, string property)
    {
        if (root.ValueKind == JsonValueKind.Object)
        {
            return root.Child("data") is { } data && data.TryGetProperty(property, out var array) && array.ValueKind == JsonValueKind.Array
                ? new JsonItems(array.EnumerateArray().ToArray(), root, [])
                : new JsonItems([], root, root.Child("data") is { } d && d.TryGetProperty(property, out _) ? [new ItemError(Name, "data." + property, "expected an array")] : []);
        }

        var reader = new Utf8JsonReader(body);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 2 && reader.ValueTextEquals(property)
                    && reader.Read() && reader.TokenType == JsonTokenType.StartArray)
                {
                    var salvaged = JsonPages.Read(Name, body[(int)reader.TokenStartIndex..], null);
                    return salvaged with { Root = null, Errors = salvaged.Errors.Count > 0 ? salvaged.Errors : [new ItemError(Name, "page", "malformed JSON after data." + property)] };
                }
            }
        }
        catch (JsonException)
        {
            // Broken before the array began: nothing to keep.
        }

        return new JsonItems([], null, [new ItemError(Name, "page", $"malformed or truncated JSON before data.{property} began; nothing could be kept")]);
    }

    /// <summary>Unix seconds, whether TikTok sends a number or a numeric string.</summary>
    public static DateTimeOffset? UnixSeconds(JsonElement element, string name) =>
        element.Number(name) is { } n ? DateTimeOffset.FromUnixTimeSeconds(n)
        : long.TryParse(element.Text(name), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var s) ? DateTimeOffset.FromUnixTimeSeconds(s) : null;

    public static HttpRequestMessage Bearer(HttpMethod method, Uri uri, string token, object? json = null)
    {
        var message = new HttpRequestMessage(method, uri) { Content = json is null ? null : JsonContent.Create(json) };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return message;
    }

    /// <summary>The Business API authenticates with an <c>Access-Token</c> header, not Authorization.</summary>
    public static HttpRequestMessage Business(HttpMethod method, Uri uri, string token, object? json = null)
    {
        var message = new HttpRequestMessage(method, uri) { Content = json is null ? null : JsonContent.Create(json) };
        message.Headers.Add("Access-Token", token);
        return message;
    }
}
