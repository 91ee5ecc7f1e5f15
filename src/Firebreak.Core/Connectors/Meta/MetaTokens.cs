namespace Firebreak.Core.Connectors.Meta;

using System.Text.Json;

/// <summary>What <c>GET /debug_token</c> says about a token.</summary>
/// <param name="Type">"USER" or "PAGE" (or "APP"): a USER token where a Page token is needed is the classic silent break.</param>
/// <param name="ExpiresAt">Null when the token does not expire (Page tokens derived from a long-lived user token).</param>
public sealed record MetaTokenInfo(bool IsValid, string? Type, DateTimeOffset? ExpiresAt, IReadOnlyList<string> Scopes, string? Error);

/// <summary>
/// Meta token housekeeping (Graph <see cref="GraphOptions.Version"/>): learn a token's type, expiry and scopes
/// (<c>GET /debug_token</c>, with the app token <c>{app-id}|{app-secret}</c>), refresh a long-lived user token (~60 days)
/// before it expires (<c>GET /oauth/access_token?grant_type=fb_exchange_token</c>), and exchange a user token for the
/// Page token (<c>GET /{page-id}?fields=access_token</c>) so a connection never holds the wrong kind.
/// </summary>
public sealed class MetaTokens(GraphClient graph)
{
    private const string Name = "meta";

    public async Task<MetaTokenInfo> DebugAsync(string appId, string appSecret, string token, CancellationToken cancellationToken)
    {
        var response = await graph.GetAsync(Name, "debug_token?input_token=" + Uri.EscapeDataString(token), $"{appId}|{appSecret}", cancellationToken).ConfigureAwait(false);
        using var json = Parse(response.Body);
        var data = json.RootElement.Child("data") ?? throw new ConnectorException(Name, FailureKind.Malformed, "debug_token answered without data");
        var expires = data.Number("expires_at") is { } at and > 0 ? DateTimeOffset.FromUnixTimeSeconds(at) : (DateTimeOffset?)null;
        var scopes = data.TryGetProperty("scopes", out var s) && s.ValueKind == JsonValueKind.Array ? s.EnumerateArray().Select(x => x.GetString() ?? string.Empty).ToArray() : [];
        var valid = data.TryGetProperty("is_valid", out var v) && v.ValueKind == JsonValueKind.True;
        return new MetaTokenInfo(valid, data.Text("type"), expires, scopes, data.Child("error")?.Text("message"));
    }

    /// <summary>
    /// Why <paramref name="token"/> cannot be stored as a Facebook Page connection, or null when it is a valid PAGE token.
    /// A pasted user token is the classic silent break (it works for some reads, then Page calls fail), so it is refused
    /// when it is pasted, not discovered at the first call. Throws <see cref="ConnectorException"/> when Graph cannot answer.
    /// </summary>
    public async Task<string?> WhyNotAPageTokenAsync(string appId, string appSecret, string token, CancellationToken cancellationToken)
    {
        var info = await DebugAsync(appId, appSecret, token, cancellationToken).ConfigureAwait(false);
        if (!info.IsValid)
        {
            return $"Meta says this token is not valid ({info.Error ?? "no reason given"}); sign in again with Connect with Facebook.";
        }

        return string.Equals(info.Type, "PAGE", StringComparison.OrdinalIgnoreCase)
            ? null
            : $"this is a {info.Type ?? "unknown"} token, not a Page token: a Facebook connection needs the Page's own token. Use Connect with Facebook (it picks the Page token), or GET /{{page-id}}?fields=access_token with this token.";
    }

    /// <summary>A fresh long-lived user token and when it expires.</summary>
    public async Task<(string Token, DateTimeOffset? ExpiresAt)> RefreshAsync(string appId, string appSecret, string userToken, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var path = $"oauth/access_token?grant_type=fb_exchange_token&client_id={Uri.EscapeDataString(appId)}&client_secret={Uri.EscapeDataString(appSecret)}&fb_exchange_token={Uri.EscapeDataString(userToken)}";
        var response = await graph.GetAsync(Name, path, userToken, cancellationToken).ConfigureAwait(false);
        using var json = Parse(response.Body);
        var token = json.RootElement.Text("access_token") ?? throw new ConnectorException(Name, FailureKind.Malformed, "the token exchange answered without access_token");
        return (token, json.RootElement.Number("expires_in") is { } seconds ? now.AddSeconds(seconds) : null);
    }

    /// <summary>The Page token for <paramref name="pageId"/>, given a user token of a person with a role on the Page.</summary>
    public async Task<string> PageTokenAsync(string pageId, string userToken, CancellationToken cancellationToken)
    {
        var response = await graph.GetAsync(Name, $"{Uri.EscapeDataString(pageId)}?fields=access_token,name", userToken, cancellationToken).ConfigureAwait(false);
        using var json = Parse(response.Body);
        return json.RootElement.Text("access_token")
            ?? throw new ConnectorException(Name, FailureKind.Forbidden, $"Graph gave no Page token for {pageId}: the person who signed in has no task on that Page, or pages_show_list / pages_read_engagement was not granted");
    }

    private static JsonDocument Parse(byte[] body)
    {
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw new ConnectorException(Name, FailureKind.Malformed, "Graph answered malformed JSON: " + e.Message);
        }
    }
}
