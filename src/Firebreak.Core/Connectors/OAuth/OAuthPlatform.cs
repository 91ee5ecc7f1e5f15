namespace Firebreak.Core.Connectors.OAuth;

using Firebreak.Core.Mentions;

/// <summary>The tokens one sign-in produced (or the token chosen for one account, e.g. a Meta Page token).</summary>
/// <param name="RefreshExpiresAt">When the refresh token itself expires, where the platform says.</param>
public sealed record OAuthTokens(string AccessToken, string? RefreshToken, DateTimeOffset? ExpiresAt, DateTimeOffset? RefreshExpiresAt)
{
    public static OAuthTokens From(RefreshedToken t) => new(t.AccessToken, t.RefreshToken, t.ExpiresAt, t.RefreshExpiresAt);
}

/// <summary>One account a sign-in can act for: the handle the connection is stored under (what the connector needs) and a label for people.</summary>
/// <param name="Platform">Usually the sign-in's platform; a Meta sign-in offers Facebook Pages and their Instagram accounts.</param>
/// <param name="Parent">The Page an Instagram account is linked to (its token is the Page's); null otherwise.</param>
public sealed record OAuthAccount(Platform Platform, string Handle, string Label, string? Parent = null);

/// <summary>
/// One platform's OAuth 2 authorization code flow (RFC 6749 §4.1), as data: where the person signs in, where the code is
/// exchanged, how the client authenticates, the scopes, PKCE (RFC 7636, S256) or not, and the identity call that turns
/// the token into the accounts it can act for. <see cref="AuthorizationCodeFlow"/> runs any of them; the per-platform
/// values (with the documentation they come from) are in <see cref="OAuthPlatforms"/>.
/// </summary>
public sealed record OAuthPlatform
{
    public required Platform Platform { get; init; }

    /// <summary>What the button says: "Connect with {DisplayName}".</summary>
    public required string DisplayName { get; init; }

    /// <summary>The configuration section holding ClientId and ClientSecret, e.g. "Connectors:X" (environment variable Connectors__X__ClientId).</summary>
    public required string ConfigSection { get; init; }

    public required Uri AuthorizeUri { get; init; }

    public required Uri TokenUri { get; init; }

    /// <summary>The API base stored with the connection (what the platform's connector calls).</summary>
    public required Uri ApiBase { get; init; }

    public required string ClientId { get; init; }

    public required string ClientSecret { get; init; }

    /// <summary>The scope parameter exactly as the platform wants it (space- or comma-separated).</summary>
    public required string Scopes { get; init; }

    /// <summary>"client_id", or "client_key" for TikTok (in the authorize URL and the token request).</summary>
    public string ClientIdField { get; init; } = "client_id";

    /// <summary>The client authenticates to the token endpoint with HTTP Basic (X confidential clients, Reddit, Pinterest).</summary>
    public bool BasicAuth { get; init; }

    /// <summary>Send a PKCE S256 challenge; the verifier travels inside the encrypted state.</summary>
    public bool Pkce { get; init; }

    /// <summary>Platform-specific authorize parameters (Reddit duration=permanent, Google access_type=offline…).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ExtraAuthorize { get; init; } = [];

    /// <summary>The identity call: which accounts the token acts for. Throws <see cref="ConnectorException"/> when it cannot tell.</summary>
    public required Func<OAuthTokens, CancellationToken, Task<IReadOnlyList<OAuthAccount>>> Accounts { get; init; }

    /// <summary>Exchanges the code when the platform does not take the standard form POST (Meta: GET, then a long-lived token). Null: <see cref="Grant"/>.</summary>
    public Func<string, Uri, CancellationToken, Task<OAuthTokens>>? Exchange { get; init; }

    /// <summary>The token to store for the chosen account, checked (Meta: the Page token, which must be a PAGE token). Null: the sign-in's own tokens.</summary>
    public Func<OAuthAccount, OAuthTokens, CancellationToken, Task<OAuthTokens>>? TokenFor { get; init; }

    /// <summary>False until the operator has set the client id and secret; the UI then says which settings to set.</summary>
    public bool Configured => ClientId.Length > 0 && ClientSecret.Length > 0;

    /// <summary>What an admin is told when the operator has not configured the platform.</summary>
    public string NotConfigured =>
        $"{DisplayName} sign-in is not set up on this server: set {ConfigSection}:ClientId and {ConfigSection}:ClientSecret in appsettings.json or as environment variables ({ConfigSection.Replace(":", "__", StringComparison.Ordinal)}__ClientId and …__ClientSecret), with {{this server}}/api/connections/{Platform.ToWire()}/callback registered as the redirect URI in the platform's developer console.";

    /// <summary>The token endpoint, for the code exchange here and for <see cref="TokenRefresher"/>.</summary>
    public RefreshTokenGrant Grant => new(Platform, TokenUri, ClientId, ClientSecret, ClientIdField, BasicAuth);
}
