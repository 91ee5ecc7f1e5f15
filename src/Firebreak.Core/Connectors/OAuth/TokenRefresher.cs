namespace Firebreak.Core.Connectors.OAuth;

using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Firebreak.Core.Detection;
using Firebreak.Core.Mentions;
using Firebreak.Core.Secrets;

/// <summary>What a token endpoint answered to a refresh: the new access token, the (possibly rotated) refresh token, the new expiry.</summary>
/// <param name="RefreshExpiresAt">When the refresh token itself expires (after that a person must sign in again), where the platform says.</param>
public sealed record RefreshedToken(string AccessToken, string? RefreshToken, DateTimeOffset? ExpiresAt, DateTimeOffset? RefreshExpiresAt = null);

/// <summary>
/// One platform's OAuth 2 token endpoint for the <c>refresh_token</c> grant (RFC 6749 §6). Platforms differ only in the
/// URL, the name of the client id field (TikTok: <c>client_key</c>) and how the client authenticates (form fields, or
/// HTTP Basic for Pinterest), so one class serves them all.
/// </summary>
/// <param name="ClientIdField">"client_id", or "client_key" for TikTok.</param>
/// <param name="BasicAuth">True: client id and secret go in an Authorization: Basic header (Pinterest); false: in the form.</param>
public sealed record RefreshTokenGrant(Platform Platform, Uri TokenUri, string ClientId, string ClientSecret, string ClientIdField = "client_id", bool BasicAuth = false)
{
    /// <summary>Exchanges the refresh token; throws <see cref="ConnectorException"/> with <see cref="FailureKind.Revoked"/> on <c>invalid_grant</c>.</summary>
    public Task<RefreshedToken> RefreshAsync(ConnectorHttp http, string refreshToken, TimeProvider clock, CancellationToken cancellationToken) =>
        TokenRequestAsync(http, [new("grant_type", "refresh_token"), new("refresh_token", refreshToken)], clock, "the refresh token was refused (invalid_grant: revoked, expired or already used); reconnect the account. ", cancellationToken);

    /// <summary>
    /// The authorization code grant (RFC 6749 §4.1.3): the same endpoint and client authentication as the refresh, with the
    /// redirect URI that the authorize request named and, for PKCE (RFC 7636), the verifier. A refused code (used twice,
    /// expired, another redirect URI) is <see cref="FailureKind.Revoked"/> with a message that says to start again.
    /// </summary>
    public Task<RefreshedToken> ExchangeCodeAsync(ConnectorHttp http, string code, Uri redirectUri, string? codeVerifier, TimeProvider clock, CancellationToken cancellationToken)
    {
        var fields = new List<KeyValuePair<string, string>> { new("grant_type", "authorization_code"), new("code", code), new("redirect_uri", redirectUri.ToString()) };
        if (codeVerifier is not null)
        {
            fields.Add(new("code_verifier", codeVerifier));
        }

        return TokenRequestAsync(http, fields, clock, "the sign-in code was refused (invalid_grant: used already, expired, or another redirect URI); start connecting again. ", cancellationToken);
    }

    private async Task<RefreshedToken> TokenRequestAsync(ConnectorHttp http, List<KeyValuePair<string, string>> fields, TimeProvider clock, string invalidGrant, CancellationToken cancellationToken)
    {
        var name = Platform.ToWire();
        if (!BasicAuth)
        {
            fields.Add(new(ClientIdField, ClientId));
            fields.Add(new("client_secret", ClientSecret));
        }

        ConnectorResponse response;
        try
        {
            response = await http.SendAsync(name, () =>
            {
                var message = new HttpRequestMessage(HttpMethod.Post, TokenUri) { Content = new FormUrlEncodedContent(fields) };
                if (BasicAuth)
                {
                    message.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ClientId}:{ClientSecret}")));
                }

                return message;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (ConnectorException e) when (e.Kind == FailureKind.Rejected && e.Message.Contains("invalid_grant", StringComparison.Ordinal))
        {
            throw new ConnectorException(name, FailureKind.Revoked, invalidGrant + e.Message, e.Status, e);
        }

        using (response.Message)
        {
            return Parse(name, response.Body, clock.GetUtcNow());
        }
    }

    /// <summary>Reads a token response; some platforms (TikTok) answer HTTP 200 with <c>{"error": "invalid_grant"}</c>.</summary>
    public static RefreshedToken Parse(string name, byte[] body, DateTimeOffset now)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(body);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new ConnectorException(name, FailureKind.Malformed, "the token endpoint answered with malformed JSON: " + e.Message);
        }

        // TikTok wraps the token in "data" on some endpoints; the OAuth v2 endpoint answers flat.
        var token = root.Child("data") ?? root;
        if (token.Text("error") is { Length: > 0 } error && error != "ok")
        {
            var description = token.Text("error_description") ?? string.Empty;
            throw new ConnectorException(name, error == "invalid_grant" ? FailureKind.Revoked : FailureKind.Rejected, $"the token endpoint refused the refresh: {error} {description}".TrimEnd());
        }

        var access = token.Text("access_token") ?? throw new ConnectorException(name, FailureKind.Malformed, "the token endpoint answered without an access_token");
        var expiresIn = token.Number("expires_in");
        // LinkedIn and Pinterest say refresh_token_expires_in, TikTok refresh_expires_in (seconds left); X, Reddit and Google say nothing.
        var refreshIn = token.Number("refresh_token_expires_in") ?? token.Number("refresh_expires_in");
        return new RefreshedToken(access, token.Text("refresh_token"), expiresIn is { } seconds ? now.AddSeconds(seconds) : null, refreshIn is { } r and > 0 ? now.AddSeconds(r) : null);
    }
}

/// <summary>
/// Refreshes OAuth access tokens before they expire, for every connection whose platform has a
/// <see cref="RefreshTokenGrant"/> and which holds a refresh token. The new tokens are encrypted and stored in one
/// upsert (the old pair stays valid until that commit: a crash mid-way leaves the old, still usable, tokens).
/// A refresh refused with <c>invalid_grant</c> marks the connection revoked and alerts the workspace's admins.
/// </summary>
/// <remarks>Meta issues no refresh tokens: its long-lived user tokens are renewed by <see cref="Meta.MetaTokenRefresher"/>, run in the same pass.</remarks>
public sealed class TokenRefresher(IConnectorStore store, ConnectionService connections, ISecretProtector protector, ConnectorHttp http, IEnumerable<RefreshTokenGrant> grants, TimeProvider clock, Meta.MetaTokenRefresher? meta = null)
{
    // A grant without a client id is a platform the operator has not configured: its tokens are not refreshed.
    private readonly Dictionary<Platform, RefreshTokenGrant> byPlatform = grants.Where(g => g.ClientId.Length > 0).ToDictionary(g => g.Platform);

    /// <summary>
    /// Due when less than 10% of the token's lifetime or one day remains. The day is capped at half the lifetime (a
    /// 24-hour TikTok token would otherwise be "due" the moment it is issued) and, for long-lived tokens (four weeks or
    /// more: LinkedIn 60 days, Pinterest 30 days), raised to the expiry-warning window so a token is renewed before
    /// admins are told it is about to expire. Lifetime is measured from when the token was stored.
    /// </summary>
    public static bool Due(Connection c, DateTimeOffset now) =>
        c.ProtectedRefresh is not null && c.State == ConnectionState.Active && c.ExpiresAt is { } expires && DueIn(expires, c.UpdatedAt, now);

    /// <summary>The rule of <see cref="Due"/> for a token issued at <paramref name="issued"/> that expires at <paramref name="expires"/>.</summary>
    public static bool DueIn(DateTimeOffset expires, DateTimeOffset issued, DateTimeOffset now)
    {
        var lifetime = expires - issued;
        var threshold = TimeSpan.FromTicks(Math.Max(lifetime.Ticks / 10, Math.Min(TimeSpan.FromDays(1).Ticks, lifetime.Ticks / 2)));
        if (lifetime >= TimeSpan.FromDays(28) && threshold < ConnectionService.ExpiryWarning)
        {
            threshold = ConnectionService.ExpiryWarning;
        }

        return expires - now <= threshold;
    }

    /// <summary>Refreshes every due connection; run before the expiry check. Returns how many were refreshed.</summary>
    public async Task<int> RefreshDueAsync(CancellationToken cancellationToken)
    {
        var refreshed = 0;
        var now = clock.GetUtcNow();
        foreach (var c in await store.ListAllConnectionsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (byPlatform.ContainsKey(c.Platform) && Due(c, now) && await RefreshAsync(c, cancellationToken).ConfigureAwait(false))
            {
                refreshed++;
            }
        }

        return refreshed + (meta is null ? 0 : await meta.RefreshDueAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Refreshes one connection now; false when the platform refused (the connection then says why).</summary>
    public async Task<bool> RefreshAsync(Connection c, CancellationToken cancellationToken)
    {
        if (!byPlatform.TryGetValue(c.Platform, out var grant) || c.ProtectedRefresh is null)
        {
            return false;
        }

        var purpose = Connection.Purpose(c.WorkspaceId, c.AccountKey);
        var refreshToken = protector.Unprotect(c.ProtectedRefresh, purpose + ":refresh");
        try
        {
            var token = await grant.RefreshAsync(http, refreshToken, clock, cancellationToken).ConfigureAwait(false);
            // Platforms that do not rotate refresh tokens (LinkedIn keeps the same one) answer without it: keep the old.
            // LinkedIn answers the refresh token's remaining life again; the others keep the one learnt at sign-in.
            await connections.ConnectAsync(c.WorkspaceId, c.Platform, c.Handle, c.BaseUri, token.AccessToken, token.RefreshToken ?? refreshToken, token.ExpiresAt, cancellationToken, token.RefreshExpiresAt ?? c.RefreshExpiresAt).ConfigureAwait(false);
            return true;
        }
        catch (ConnectorException e) when (e.Kind == FailureKind.Revoked)
        {
            await connections.RevokedAsync(c, e.Message, cancellationToken).ConfigureAwait(false);
            return false;
        }
        catch (ConnectorException e)
        {
            // Transient or rejected: the old token still works until its expiry; the next tick tries again. The stored
            // time is left as it was: it is when the token was issued, which Due measures the lifetime from.
            await store.SetConnectionStateAsync(c.WorkspaceId, c.Id, ConnectionState.Active, "token refresh failed: " + e.Message, c.UpdatedAt, cancellationToken).ConfigureAwait(false);
            await connections.RaiseAsync(c.WorkspaceId, $"connection:{c.Id}:refresh", DetectionSeverity.Medium,
                $"{c.Platform} account {c.Handle}: refreshing its token failed ({e.Message}); it is tried again every 30 s until the token expires at {c.ExpiresAt:u}.", cancellationToken).ConfigureAwait(false);
            return false;
        }
    }
}
