namespace Firebreak.Core.Connectors.OAuth;

using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Firebreak.Core.Mentions;
using Firebreak.Core.Secrets;

/// <summary>What a finished sign-in did: the connections stored, or (several accounts to choose from) a pick to finish.</summary>
/// <param name="Pick">Encrypted, workspace-bound, 15-minute token carrying the sign-in's tokens to <see cref="AuthorizationCodeFlow.PickAsync"/>; null when nothing is left to choose.</param>
public sealed record OAuthOutcome(IReadOnlyList<Connection> Connected, IReadOnlyList<OAuthAccount> Choices, string? Pick);

/// <summary>
/// Connecting an account with OAuth 2's authorization code flow on any platform described by an <see cref="OAuthPlatform"/>
/// (Mastodon, which registers an app per server, keeps its own <see cref="Mastodon.MastodonOAuth"/> built the same way).
/// Nothing half-finished is kept in a table: the <c>state</c> parameter is the flow, encrypted with the server key and
/// bound to the platform, holding the workspace, the redirect URI, a 15-minute expiry and the PKCE verifier, so a forged,
/// altered, expired or other-workspace state does not open. A sign-in that can act for several accounts (Meta Pages,
/// LinkedIn organisations, YouTube channels) ends in a pick, carried the same way.
/// </summary>
public sealed class AuthorizationCodeFlow(IEnumerable<OAuthPlatform> platforms, ConnectorHttp http, ISecretProtector protector, ConnectionService connections, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);
    private readonly Dictionary<Platform, OAuthPlatform> byPlatform = platforms.ToDictionary(p => p.Platform);

    /// <summary>Every platform with a sign-in flow, configured or not (the UI says which settings are missing).</summary>
    public IReadOnlyCollection<OAuthPlatform> Platforms => byPlatform.Values;

    public OAuthPlatform? Find(Platform platform) => byPlatform.GetValueOrDefault(platform);

    /// <summary>The URL to send the person to. Throws <see cref="InvalidOperationException"/> when the operator has not configured the platform.</summary>
    /// <param name="workspaceSlug">Carried in the state so the one registered callback can send the person back to their workspace.</param>
    public Uri Start(long workspaceId, string workspaceSlug, Platform platform, Uri redirectUri)
    {
        var p = Require(platform);
        string? verifier = null;
        var query = new List<KeyValuePair<string, string>>
        {
            new("response_type", "code"),
            new(p.ClientIdField, p.ClientId),
            new("redirect_uri", redirectUri.ToString()),
            new("scope", p.Scopes),
        };
        if (p.Pkce)
        {
            // RFC 7636 §4.1: 32 random bytes, base64url: 43 characters from the unreserved set.
            verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
            query.Add(new("code_challenge", Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)))));
            query.Add(new("code_challenge_method", "S256"));
        }

        var state = new FlowState(workspaceId, workspaceSlug, redirectUri.ToString(), verifier, clock.GetUtcNow().Add(Lifetime).ToUnixTimeSeconds(), Convert.ToHexString(RandomNumberGenerator.GetBytes(8)));
        query.Add(new("state", protector.Protect(JsonSerializer.Serialize(state), StatePurpose(platform))));
        query.AddRange(p.ExtraAuthorize);
        var separator = p.AuthorizeUri.Query.Length > 0 ? "&" : "?";
        return new Uri(p.AuthorizeUri + separator + string.Join("&", query.Select(kv => $"{Uri.EscapeDataString(kv.Key)}={Uri.EscapeDataString(kv.Value)}")));
    }

    /// <summary>The workspace slug a state was issued for, so the shared callback can hand it on; null when the state does not open. Proves nothing: the workspace's callback checks it all again.</summary>
    public string? WorkspaceOf(Platform platform, string state) => TryOpen<FlowState>(state, StatePurpose(platform))?.Slug;

    /// <summary>
    /// Finishes the sign-in: checks the state, exchanges the code, asks the platform which accounts the token acts for,
    /// and stores the connection (token encrypted) when there is one; several give a pick. Throws
    /// <see cref="ArgumentException"/> for a bad, expired or other-workspace state, <see cref="ConnectorException"/> when the platform refuses.
    /// </summary>
    public async Task<OAuthOutcome> CompleteAsync(long workspaceId, Platform platform, string code, string state, CancellationToken cancellationToken)
    {
        var p = Require(platform);
        var flow = Open<FlowState>(state, StatePurpose(platform), workspaceId, f => f.W, f => f.Exp);
        var redirect = new Uri(flow.R);
        var tokens = p.Exchange is { } exchange
            ? await exchange(code, redirect, cancellationToken).ConfigureAwait(false)
            : OAuthTokens.From(await p.Grant.ExchangeCodeAsync(http, code, redirect, flow.V, clock, cancellationToken).ConfigureAwait(false));
        var accounts = await p.Accounts(tokens, cancellationToken).ConfigureAwait(false);
        if (accounts.Count == 0)
        {
            throw new ConnectorException(platform.ToWire(), FailureKind.Forbidden, $"the sign-in worked but {p.DisplayName} lists no account it may act for (no Page, organisation or channel this person manages, or the permission was not granted); nothing was connected");
        }

        if (accounts.Count == 1)
        {
            return new OAuthOutcome([await ConnectAsync(workspaceId, p, accounts[0], tokens, cancellationToken).ConfigureAwait(false)], accounts, null);
        }

        var pick = new PickState(workspaceId, tokens.AccessToken, tokens.RefreshToken, tokens.ExpiresAt?.ToUnixTimeSeconds(), tokens.RefreshExpiresAt?.ToUnixTimeSeconds(),
            accounts.Select(a => new PickAccount(a.Platform.ToWire(), a.Handle, a.Label, a.Parent)).ToArray(), clock.GetUtcNow().Add(Lifetime).ToUnixTimeSeconds());
        return new OAuthOutcome([], accounts, protector.Protect(JsonSerializer.Serialize(pick), PickPurpose(platform)));
    }

    /// <summary>The accounts a pick offers (for the picker page). Throws <see cref="ArgumentException"/> like <see cref="CompleteAsync"/>.</summary>
    public IReadOnlyList<OAuthAccount> Choices(long workspaceId, Platform platform, string pick) =>
        Open<PickState>(pick, PickPurpose(platform), workspaceId, s => s.W, s => s.Exp).Accounts.Select(ToAccount).ToArray();

    /// <summary>Stores the chosen accounts of a pick (each with the token <see cref="OAuthPlatform.TokenFor"/> gives it). Unknown choices are refused.</summary>
    public async Task<IReadOnlyList<Connection>> PickAsync(long workspaceId, Platform platform, string pick, IReadOnlyCollection<string> chosen, CancellationToken cancellationToken)
    {
        var p = Require(platform);
        var state = Open<PickState>(pick, PickPurpose(platform), workspaceId, s => s.W, s => s.Exp);
        var offered = state.Accounts.Select(ToAccount).ToArray();
        var unknown = chosen.Where(c => !offered.Any(a => Choice(a) == c)).ToArray();
        if (chosen.Count == 0 || unknown.Length > 0)
        {
            throw new ArgumentException(chosen.Count == 0 ? "Choose at least one account to connect." : $"{string.Join(", ", unknown)} was not offered by this sign-in; start connecting again.", nameof(chosen));
        }

        var tokens = new OAuthTokens(state.A, state.Rt, At(state.Ex), At(state.Rex));
        var saved = new List<Connection>();
        foreach (var account in offered.Where(a => chosen.Contains(Choice(a))))
        {
            saved.Add(await ConnectAsync(workspaceId, p, account, tokens, cancellationToken).ConfigureAwait(false));
        }

        return saved;
    }

    /// <summary>How a picker names an account in its form: "platform:handle".</summary>
    public static string Choice(OAuthAccount account) => $"{account.Platform.ToWire()}:{account.Handle}";

    private async Task<Connection> ConnectAsync(long workspaceId, OAuthPlatform p, OAuthAccount account, OAuthTokens tokens, CancellationToken cancellationToken)
    {
        var stored = p.TokenFor is { } tokenFor ? await tokenFor(account, tokens, cancellationToken).ConfigureAwait(false) : tokens;
        return await connections.ConnectAsync(workspaceId, account.Platform, account.Handle, p.ApiBase, stored.AccessToken, stored.RefreshToken, stored.ExpiresAt, cancellationToken, stored.RefreshExpiresAt).ConfigureAwait(false);
    }

    private OAuthPlatform Require(Platform platform)
    {
        if (!byPlatform.TryGetValue(platform, out var p))
        {
            throw new InvalidOperationException($"Firebreak has no sign-in flow for {platform.ToWire()}; connect it with a token instead.");
        }

        return p.Configured ? p : throw new InvalidOperationException(p.NotConfigured);
    }

    private T Open<T>(string token, string purpose, long workspaceId, Func<T, long> workspace, Func<T, long> expires)
        where T : class
    {
        var opened = TryOpen<T>(token, purpose) ?? throw new ArgumentException("The sign-in state is not one Firebreak issued (altered, or for another platform); start connecting again.", nameof(token));
        if (workspace(opened) != workspaceId)
        {
            throw new ArgumentException("This sign-in was started for another workspace; start connecting again from this one.", nameof(token));
        }

        if (DateTimeOffset.FromUnixTimeSeconds(expires(opened)) < clock.GetUtcNow())
        {
            throw new ArgumentException($"The sign-in took longer than {Lifetime.TotalMinutes:0} minutes; start connecting again.", nameof(token));
        }

        return opened;
    }

    private T? TryOpen<T>(string token, string purpose)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(protector.Unprotect(token, purpose));
        }
        catch (Exception e) when (e is CryptographicException or JsonException or FormatException or ArgumentException)
        {
            return null;
        }
    }

    private static OAuthAccount ToAccount(PickAccount a) =>
        new(EnumNames.TryParsePlatform(a.P, out var platform) ? platform : Platform.Other, a.H, a.L, a.Pa);

    private static DateTimeOffset? At(long? seconds) => seconds is { } s ? DateTimeOffset.FromUnixTimeSeconds(s) : null;

    private static string StatePurpose(Platform platform) => "oauth-state:" + platform.ToWire();

    private static string PickPurpose(Platform platform) => "oauth-pick:" + platform.ToWire();

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    // Short names keep the state (it rides in a URL) small.
    private sealed record FlowState(long W, string Slug, string R, string? V, long Exp, string N);

    private sealed record PickAccount(string P, string H, string L, string? Pa);

    private sealed record PickState(long W, string A, string? Rt, long? Ex, long? Rex, PickAccount[] Accounts, long Exp);
}
