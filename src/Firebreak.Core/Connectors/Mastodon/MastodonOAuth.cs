namespace Firebreak.Core.Connectors.Mastodon;

using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Firebreak.Core.Mentions;
using Firebreak.Core.Secrets;

/// <summary>
/// Connecting a Mastodon account with OAuth 2 (authorization code flow, Mastodon 4.x): registers an app on the instance
/// (<c>POST /api/v1/apps</c>), sends the person to <c>/oauth/authorize</c>, and on the callback exchanges the code at
/// <c>/oauth/token</c>, reads the account (<c>GET /api/v1/accounts/verify_credentials</c>) and stores the token encrypted.
/// The app's client id and secret travel inside the <c>state</c> parameter, encrypted and bound to the workspace with a
/// 15-minute lifetime, so no half-finished flow needs a table and a forged or replayed-elsewhere state does not open.
/// </summary>
public sealed class MastodonOAuth(ConnectorHttp http, ISecretProtector protector, ConnectionService connections, TimeProvider clock)
{
    public const string Scopes = "read write";
    private const string Purpose = "mastodon-oauth-state";
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    /// <summary>Registers the app on <paramref name="instance"/> and returns the URL to send the person to.</summary>
    public async Task<Uri> StartAsync(long workspaceId, Uri instance, Uri redirectUri, CancellationToken cancellationToken)
    {
        var app = await JsonAsync(() => new HttpRequestMessage(HttpMethod.Post, new Uri(instance, "api/v1/apps"))
        {
            Content = JsonContent.Create(new { client_name = "Firebreak", redirect_uris = redirectUri.ToString(), scopes = Scopes }),
        }, cancellationToken).ConfigureAwait(false);
        var clientId = app.Text("client_id") ?? throw new ConnectorException(MastodonMapper.Name, FailureKind.Malformed, "the app registration answered without client_id");
        var clientSecret = app.Text("client_secret") ?? throw new ConnectorException(MastodonMapper.Name, FailureKind.Malformed, "the app registration answered without client_secret");
        var state = protector.Protect(
            JsonSerializer.Serialize(new FlowState(workspaceId, instance.ToString(), clientId, clientSecret, redirectUri.ToString(), clock.GetUtcNow().Add(Lifetime).ToUnixTimeSeconds(), Convert.ToHexString(RandomNumberGenerator.GetBytes(8)))),
            Purpose);
        var query = $"response_type=code&client_id={Uri.EscapeDataString(clientId)}&redirect_uri={Uri.EscapeDataString(redirectUri.ToString())}&scope={Uri.EscapeDataString(Scopes)}&state={Uri.EscapeDataString(state)}";
        return new Uri(instance, "oauth/authorize?" + query);
    }

    /// <summary>Finishes the flow: exchanges the code, reads the account and stores the connection. Throws <see cref="ArgumentException"/> for a bad or expired state.</summary>
    public async Task<Connection> CompleteAsync(long workspaceId, string code, string state, CancellationToken cancellationToken)
    {
        FlowState flow;
        try
        {
            flow = JsonSerializer.Deserialize<FlowState>(protector.Unprotect(state, Purpose)) ?? throw new ArgumentException("empty state");
        }
        catch (Exception e) when (e is CryptographicException or JsonException or FormatException)
        {
            throw new ArgumentException("The sign-in state is not one Firebreak issued; start connecting again.", nameof(state), e);
        }

        if (flow.W != workspaceId)
        {
            throw new ArgumentException("This sign-in was started for another workspace; start connecting again from this one.", nameof(state));
        }

        if (DateTimeOffset.FromUnixTimeSeconds(flow.Exp) < clock.GetUtcNow())
        {
            throw new ArgumentException("The sign-in took longer than 15 minutes; start connecting again.", nameof(state));
        }

        var instance = new Uri(flow.I);
        var token = await JsonAsync(() => new HttpRequestMessage(HttpMethod.Post, new Uri(instance, "oauth/token"))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "authorization_code",
                ["code"] = code,
                ["client_id"] = flow.C,
                ["client_secret"] = flow.S,
                ["redirect_uri"] = flow.R,
                ["scope"] = Scopes,
            }),
        }, cancellationToken).ConfigureAwait(false);
        var accessToken = token.Text("access_token") ?? throw new ConnectorException(MastodonMapper.Name, FailureKind.Malformed, "the token endpoint answered without access_token");
        var account = await JsonAsync(() =>
        {
            var message = new HttpRequestMessage(HttpMethod.Get, new Uri(instance, "api/v1/accounts/verify_credentials"));
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
            return message;
        }, cancellationToken).ConfigureAwait(false);
        var acct = account.Text("acct") ?? account.Text("username") ?? throw new ConnectorException(MastodonMapper.Name, FailureKind.Malformed, "verify_credentials answered without acct");
        var handle = acct.Contains('@') ? "@" + acct : $"@{acct}@{instance.Host}";
        DateTimeOffset? expires = token.Number("expires_in") is { } seconds ? clock.GetUtcNow().AddSeconds(seconds) : null;
        return await connections.ConnectAsync(workspaceId, Platform.Mastodon, handle, instance, accessToken, token.Text("refresh_token"), expires, cancellationToken).ConfigureAwait(false);
    }

    private async Task<JsonElement> JsonAsync(Func<HttpRequestMessage> build, CancellationToken cancellationToken)
    {
        var response = await http.SendAsync(MastodonMapper.Name, build, cancellationToken).ConfigureAwait(false);
        using (response.Message)
        {
            try
            {
                using var document = JsonDocument.Parse(response.Body);
                return document.RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new ConnectorException(MastodonMapper.Name, FailureKind.Malformed, $"malformed JSON from {response.Message.RequestMessage?.RequestUri?.AbsolutePath} ({e.Message})");
            }
        }
    }

    private sealed record FlowState(long W, string I, string C, string S, string R, long Exp, string N);
}
