namespace Firebreak.Core.Connectors;

using System.Security.Cryptography;
using Firebreak.Core.Alerts;
using Firebreak.Core.Detection;
using Firebreak.Core.Mentions;
using Firebreak.Core.Publishing;
using Firebreak.Core.Secrets;
using Firebreak.Core.Workspaces;

/// <summary>
/// Owned accounts: stores credentials only as ciphertext, hands them out decrypted for the moment of use
/// (<see cref="IPlatformAccounts"/>, for publishing, replies and listening), marks a connection revoked when the
/// platform answers 401 and warns admins through alerting ahead of expiry and on revocation.
/// </summary>
/// <remarks>Without an <see cref="IAlertSink"/> (the command line, which runs no alerting) the warnings are not raised; the states still change.</remarks>
public sealed class ConnectionService(IConnectorStore store, ISecretProtector protector, TimeProvider clock, IAlertSink? alerts = null) : IPlatformAccounts
{
    /// <summary>How long ahead of a credential's expiry admins are warned.</summary>
    public static readonly TimeSpan ExpiryWarning = TimeSpan.FromDays(7);

    /// <summary>
    /// How long ahead of a refresh token's own expiry admins are warned: past it no refresh helps, a person must sign in
    /// again, and that person may be away; two weeks leaves time to find them.
    /// </summary>
    public static readonly TimeSpan RefreshExpiryWarning = TimeSpan.FromDays(14);

    public static string KeyFor(Platform platform, string handle) => $"{platform.ToWire()}:{handle.Trim()}";

    /// <summary>Adds or replaces the workspace's connection for (platform, handle); the secret is encrypted before it is stored.</summary>
    /// <param name="refreshExpiresAt">When the refresh token expires, where the platform says (LinkedIn, TikTok, Pinterest).</param>
    public async Task<Connection> ConnectAsync(long workspaceId, Platform platform, string handle, Uri baseUri, string secret, string? refreshToken, DateTimeOffset? expiresAt, CancellationToken cancellationToken, DateTimeOffset? refreshExpiresAt = null)
    {
        var key = KeyFor(platform, handle);
        var purpose = Connection.Purpose(workspaceId, key);
        var now = clock.GetUtcNow();
        var connection = new Connection(
            0, workspaceId, platform, key, handle.Trim(), baseUri,
            protector.Protect(secret, purpose),
            refreshToken is null ? null : protector.Protect(refreshToken, purpose + ":refresh"),
            expiresAt, ConnectionState.Active, null, null, now, now, refreshToken is null ? null : refreshExpiresAt);
        return await store.UpsertConnectionAsync(connection, cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<Connection>> ListConnectionsAsync(long workspaceId, CancellationToken cancellationToken) =>
        store.ListConnectionsAsync(workspaceId, cancellationToken);

    public Task<bool> DisconnectAsync(long workspaceId, long connectionId, CancellationToken cancellationToken) =>
        store.DeleteConnectionAsync(workspaceId, connectionId, cancellationToken);

    /// <summary>The usable (active) owned accounts, credentials decrypted.</summary>
    public async Task<IReadOnlyList<PlatformAccount>> ListAsync(long workspaceId, CancellationToken cancellationToken)
    {
        var connections = await store.ListConnectionsAsync(workspaceId, cancellationToken).ConfigureAwait(false);
        return connections.Where(c => c.State == ConnectionState.Active).Select(Open).ToArray();
    }

    public async Task<PlatformAccount?> FindAsync(long workspaceId, string accountKey, CancellationToken cancellationToken)
    {
        var connection = await store.FindConnectionAsync(workspaceId, accountKey, cancellationToken).ConfigureAwait(false);
        return connection is { State: ConnectionState.Active } ? Open(connection) : null;
    }

    /// <summary>
    /// The account a source listens with: for an account source, the connection with that handle; otherwise the first
    /// active connection on the source's platform (a hashtag timeline on the instance the brand is on). Null when none.
    /// </summary>
    public async Task<(Connection? Connection, PlatformAccount? Account)> ForSourceAsync(Source source, CancellationToken cancellationToken)
    {
        var all = await store.ListConnectionsAsync(source.WorkspaceId, cancellationToken).ConfigureAwait(false);
        var onPlatform = all.Where(c => c.Platform == source.Platform && c.State == ConnectionState.Active).ToList();
        var chosen = source.Kind == SourceKind.Account
            ? onPlatform.FirstOrDefault(c => SameHandle(c.Handle, source.Target)) ?? onPlatform.FirstOrDefault()
            : onPlatform.FirstOrDefault();
        return chosen is null ? (null, null) : (chosen, Open(chosen));
    }

    /// <summary>The platform refused the credential: mark the connection revoked and tell the workspace's admins.</summary>
    public async Task RevokedAsync(Connection connection, string error, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await store.SetConnectionStateAsync(connection.WorkspaceId, connection.Id, ConnectionState.Revoked, error, now, cancellationToken).ConfigureAwait(false);
        await RaiseAsync(connection.WorkspaceId, $"connection:{connection.Id}", DetectionSeverity.High,
            $"{connection.Platform} account {connection.Handle} was refused by the platform (revoked or expired): listening and publishing with it have stopped. Reconnect it under Connections. ({error})",
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Warns once per connection ahead of expiry and marks expired ones; run periodically.</summary>
    public async Task<int> CheckExpiryAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var warned = 0;
        foreach (var c in await store.ListAllConnectionsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (c.State == ConnectionState.Active && c.RefreshExpiresAt is { } refreshExpires && c.RefreshWarnedAt is null && refreshExpires - now <= RefreshExpiryWarning)
            {
                await store.MarkRefreshWarnedAsync(c.WorkspaceId, c.Id, now, cancellationToken).ConfigureAwait(false);
                await RaiseAsync(c.WorkspaceId, $"connection:{c.Id}:refresh-expiry", DetectionSeverity.Medium,
                    $"{c.Platform} account {c.Handle}: the sign-in behind it ends in {Math.Max(0, (refreshExpires - now).TotalDays):0.#} days ({refreshExpires:u}); the platform allows no renewal past that. Someone with access to the account must use \"Connect with {c.Platform}\" under Connections before then.",
                    cancellationToken).ConfigureAwait(false);
                warned++;
            }

            if (c.ExpiresAt is not { } expires || c.State != ConnectionState.Active)
            {
                continue;
            }

            if (expires <= now)
            {
                await store.SetConnectionStateAsync(c.WorkspaceId, c.Id, ConnectionState.Expired, "the credential expired", now, cancellationToken).ConfigureAwait(false);
                await RaiseAsync(c.WorkspaceId, $"connection:{c.Id}", DetectionSeverity.High,
                    $"{c.Platform} account {c.Handle}: its credential expired at {expires:u}. Reconnect it under Connections.", cancellationToken).ConfigureAwait(false);
                warned++;
            }
            // A credential with a refresh token is renewed by TokenRefresher, which alerts itself when renewal fails (and the
            // refresh token's own end is warned above): warning about every 1-hour X or Google token would only be noise.
            else if (expires - now <= ExpiryWarning && c.ExpiryWarnedAt is null && c.ProtectedRefresh is null)
            {
                await store.MarkExpiryWarnedAsync(c.WorkspaceId, c.Id, now, cancellationToken).ConfigureAwait(false);
                await RaiseAsync(c.WorkspaceId, $"connection:{c.Id}", DetectionSeverity.Medium,
                    $"{c.Platform} account {c.Handle}: its credential expires in {(expires - now).TotalDays:0.#} days ({expires:u}). Reconnect it before then.", cancellationToken).ConfigureAwait(false);
                warned++;
            }
        }

        return warned;
    }

    /// <summary>Raises a connector alert on the workspace's whole stream (topic 0); the dimension keeps one episode per connection or source.</summary>
    public ValueTask RaiseAsync(long workspaceId, string dimension, DetectionSeverity severity, string explanation, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return alerts is null ? ValueTask.CompletedTask : alerts.SubmitAsync([new Detection(workspaceId, 0, DetectionSignal.ConnectorHealth, dimension, now, now, severity, 1, 0, 1, explanation, [], [])], cancellationToken);
    }

    /// <summary>The decrypted credential; a ciphertext that does not open (another key, altered) is an error naming the connection.</summary>
    public PlatformAccount Open(Connection c)
    {
        try
        {
            var secret = protector.Unprotect(c.ProtectedSecret, Connection.Purpose(c.WorkspaceId, c.AccountKey));
            return new PlatformAccount(c.WorkspaceId, c.AccountKey, c.Platform, c.BaseUri, c.Handle, secret, c.ExpiresAt);
        }
        catch (CryptographicException e)
        {
            throw new InvalidOperationException($"The credential of connection {c.AccountKey} does not open: {e.Message}", e);
        }
    }

    private static bool SameHandle(string a, string b) =>
        string.Equals(a.Trim().TrimStart('@'), b.Trim().TrimStart('@'), StringComparison.OrdinalIgnoreCase);
}
