namespace Firebreak.Storage.Tests.Connectors;

using System.Text.Json;
using Firebreak.Core.Connectors;
using Firebreak.Core.Connectors.Bluesky;
using Firebreak.Core.Connectors.Mastodon;
using Firebreak.Core.Detection;
using Firebreak.Core.Inbox;
using Firebreak.Core.Incidents;
using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;
using Firebreak.Core.Workspaces;
using Firebreak.Storage.Inbox;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

/// <summary>Connections, checkpoints, health and sent replies on both providers: the credential never reaches the database in clear.</summary>
public abstract class ConnectionsAndRepliesTests(StoreProvider provider) : IAsyncLifetime
{
    private const string Token = "tok_9f8e7d6c5b4a-CLEAR";
    private ConnectorRig rig = null!;
    private StubServer stub = null!;

    public async Task InitializeAsync()
    {
        rig = await ConnectorRig.OpenAsync(provider);
        stub = await StubServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await stub.DisposeAsync();
        await rig.DisposeAsync();
    }

    [StoreFact]
    public async Task Connect_StoresOnlyCiphertext_AndOpensForUse()
    {
        var saved = await rig.Connections.ConnectAsync(rig.WorkspaceId, Platform.Mastodon, "@brand@social.example", stub.BaseUri, Token, "refresh-CLEAR-123", null, CancellationToken.None);

        var row = (await rig.Store.RowsAsync("SELECT secret, refresh_secret, handle, account_key FROM connector_connections")).Single();
        Assert.DoesNotContain(Token, (string)row[0]);
        Assert.StartsWith("fbs1.", (string)row[0]);
        Assert.DoesNotContain("refresh-CLEAR-123", (string)row[1]);
        Assert.Equal("mastodon:@brand@social.example", row[3]);
        var account = await rig.Connections.FindAsync(rig.WorkspaceId, saved.AccountKey, CancellationToken.None);
        Assert.Equal(Token, account!.Secret);
        Assert.Equal(stub.BaseUri, account.BaseUri);
        if (provider == StoreProvider.Sqlite)
        {
            // Not in the database file nor its write-ahead log, in any form SQLite could have written it.
            foreach (var file in Directory.GetFiles(rig.Store.DataDirectory, "*", SearchOption.AllDirectories))
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var copy = new MemoryStream();
                await stream.CopyToAsync(copy);
                Assert.DoesNotContain(Token, System.Text.Encoding.UTF8.GetString(copy.ToArray()));
            }
        }
    }

    [StoreFact]
    public async Task Ciphertext_CopiedToAnotherWorkspace_DoesNotOpen()
    {
        await rig.Connections.ConnectAsync(rig.WorkspaceId, Platform.Mastodon, "@brand@social.example", stub.BaseUri, Token, null, null, CancellationToken.None);
        var other = await rig.Store.AddWorkspaceAsync("other");
        var secret = await rig.Store.TextAsync("SELECT secret FROM connector_connections");
        await rig.Connectors.UpsertConnectionAsync(new Connection(0, other, Platform.Mastodon, "mastodon:@brand@social.example", "@brand@social.example", stub.BaseUri, secret!, null, null, ConnectionState.Active, null, null, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch), CancellationToken.None);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => rig.Connections.ListAsync(other, CancellationToken.None));
        Assert.Contains("does not open", error.Message);
    }

    [StoreFact]
    public async Task Expiry_WarnsOnceAheadAndMarksExpired()
    {
        var now = DateTimeOffset.UtcNow;
        await rig.Connections.ConnectAsync(rig.WorkspaceId, Platform.Bluesky, "soon.bsky.social", stub.BaseUri, Token, null, now.AddDays(3), CancellationToken.None);
        await rig.Connections.ConnectAsync(rig.WorkspaceId, Platform.Bluesky, "later.bsky.social", stub.BaseUri, Token, null, now.AddDays(30), CancellationToken.None);
        await rig.Connections.ConnectAsync(rig.WorkspaceId, Platform.Bluesky, "gone.bsky.social", stub.BaseUri, Token, null, now.AddMinutes(-1), CancellationToken.None);

        Assert.Equal(2, await rig.Connections.CheckExpiryAsync(CancellationToken.None));
        Assert.Equal(0, await rig.Connections.CheckExpiryAsync(CancellationToken.None));

        var raised = rig.Alerts.Raised.ToList();
        Assert.Equal(2, raised.Count);
        Assert.All(raised, d => Assert.Equal(DetectionSignal.ConnectorHealth, d.Signal));
        Assert.Contains(raised, d => d.Explanation.Contains("soon.bsky.social: its credential expires in 3 days", StringComparison.Ordinal));
        Assert.Contains(raised, d => d.Explanation.Contains("gone.bsky.social: its credential expired", StringComparison.Ordinal));
        var states = (await rig.Connections.ListConnectionsAsync(rig.WorkspaceId, CancellationToken.None)).ToDictionary(c => c.Handle, c => c.State);
        Assert.Equal(ConnectionState.Expired, states["gone.bsky.social"]);
        Assert.Equal(ConnectionState.Active, states["soon.bsky.social"]);
        Assert.Equal(["later.bsky.social", "soon.bsky.social"], (await rig.Connections.ListAsync(rig.WorkspaceId, CancellationToken.None)).Select(a => a.Handle).Order());
    }

    [StoreFact]
    public async Task CheckpointAndHealth_RoundTrip()
    {
        await rig.Connectors.SaveCheckpointAsync(rig.WorkspaceId, 7, "a", DateTimeOffset.UnixEpoch, CancellationToken.None);
        await rig.Connectors.SaveCheckpointAsync(rig.WorkspaceId, 7, "b\nc", DateTimeOffset.UnixEpoch, CancellationToken.None);
        var health = new ConnectorHealth(rig.WorkspaceId, 7, Platform.News, DateTimeOffset.FromUnixTimeMilliseconds(1_000), null, "x", 0.25, DateTimeOffset.FromUnixTimeMilliseconds(900), 42, 3.5, DateTimeOffset.FromUnixTimeMilliseconds(1_001));
        await rig.Connectors.SaveHealthAsync(health, CancellationToken.None);
        await rig.Connectors.SaveHealthAsync(health with { ItemsTotal = 43 }, CancellationToken.None);

        Assert.Equal("b\nc", await rig.Connectors.GetCheckpointAsync(rig.WorkspaceId, 7, CancellationToken.None));
        Assert.Null(await rig.Connectors.GetCheckpointAsync(rig.WorkspaceId, 8, CancellationToken.None));
        Assert.Equal(health with { ItemsTotal = 43 }, Assert.Single(await rig.Connectors.ListHealthAsync(rig.WorkspaceId, CancellationToken.None)));
    }

    [StoreFact]
    public async Task MastodonOAuth_RegistersExchangesAndStoresTheTokenEncrypted()
    {
        stub.Handler = context => context.Request.Path.Value switch
        {
            "/api/v1/apps" => StubServer.JsonAsync(context, """{"id":"563419","name":"Firebreak","website":null,"redirect_uri":"x","client_id":"TWhM-tNSuncnqN7DBJmoyeLnk6K3iJJ71KKXxgL1hPM","client_secret":"ZEaFUFmF0umgBX1qKJDjaU99Q31lDkOU8NutzTOoliw","vapid_key":"BCk-QqERU0q-CfYZjcuB6lnyyOYfJ2AifKqfeGIm7Z-HiTU5T9eTG5GxVA0_OH5mMlI4UkkDTpaZwozy0TzdZ2M="}"""),
            "/oauth/token" when context.Request.Form["code"] == "auth-code-77" && context.Request.Form["client_secret"] == "ZEaFUFmF0umgBX1qKJDjaU99Q31lDkOU8NutzTOoliw"
                => StubServer.JsonAsync(context, $$"""{"access_token":"{{Token}}","token_type":"Bearer","scope":"read write","created_at":1573979017}"""),
            "/oauth/token" => StubServer.JsonAsync(context, """{"error":"invalid_grant","error_description":"The provided authorization grant is invalid, expired, revoked..."}""", 400),
            "/api/v1/accounts/verify_credentials" when context.Request.Headers.Authorization == "Bearer " + Token
                => StubServer.JsonAsync(context, """{"id":"14715","username":"brand","acct":"brand","display_name":"Brand","followers_count":1200}"""),
            _ => StubServer.JsonAsync(context, """{"error":"The access token is invalid"}""", 401),
        };
        var oauth = new MastodonOAuth(rig.Http, rig.Protector, rig.Connections, TimeProvider.System);
        var callback = new Uri("https://firebreak.example/api/workspaces/acme/connections/mastodon/callback");

        var authorize = await oauth.StartAsync(rig.WorkspaceId, stub.BaseUri, callback, CancellationToken.None);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(authorize.Query);
        Assert.Equal("/oauth/authorize", authorize.AbsolutePath);
        Assert.Equal("TWhM-tNSuncnqN7DBJmoyeLnk6K3iJJ71KKXxgL1hPM", query["client_id"]);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal(callback.ToString(), query["redirect_uri"]);
        Assert.DoesNotContain("ZEaFUFmF0umgBX1qKJDjaU99Q31lDkOU8NutzTOoliw", authorize.ToString());
        var registration = JsonDocument.Parse(stub.To("/api/v1/apps").Single().Body).RootElement;
        Assert.Equal("read write", registration.GetProperty("scopes").GetString());

        await Assert.ThrowsAsync<ArgumentException>(() => oauth.CompleteAsync(rig.WorkspaceId, "auth-code-77", query["state"] + "x", CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => oauth.CompleteAsync(rig.WorkspaceId + 1, "auth-code-77", query["state"]!, CancellationToken.None));
        var bad = await Assert.ThrowsAsync<ConnectorException>(() => oauth.CompleteAsync(rig.WorkspaceId, "wrong-code", query["state"]!, CancellationToken.None));
        Assert.Contains("invalid_grant", bad.Message);
        var connection = await oauth.CompleteAsync(rig.WorkspaceId, "auth-code-77", query["state"]!, CancellationToken.None);

        Assert.Equal($"@brand@{stub.BaseUri.Host}", connection.Handle);
        Assert.DoesNotContain(Token, await rig.Store.TextAsync("SELECT secret FROM connector_connections"));
        Assert.Equal(Token, (await rig.Connections.ListAsync(rig.WorkspaceId, CancellationToken.None)).Single().Secret);
    }

    private Task<(long MentionId, OutboxReply Reply)> QueueReplyAsync(Platform platform, string externalId, string author) => rig.QueueReplyAsync(platform, externalId, author);

    private ReplyDispatcher Dispatcher(InboxStore inbox) => new(
        [new MastodonReplySender(rig.Http), new BlueskyReplySender(rig.Http, rig.Bluesky)],
        rig.Connectors,
        inbox,
        rig.Store.Reader,
        rig.Connections,
        TimeProvider.System);

    [StoreFact]
    public async Task Replies_Mastodon_SentWithInReplyToAndIdempotencyKey_ThenAFailureShowsThePlatformError()
    {
        await rig.Connections.ConnectAsync(rig.WorkspaceId, Platform.Mastodon, "@brand@social.example", stub.BaseUri, Token, null, null, CancellationToken.None);
        var (_, first) = await QueueReplyAsync(Platform.Mastodon, "110000000000000001", "angry@other.example");
        var answers = new Queue<(int, string)>([(503, "busy"), (200, """{"id":"110000000000000099","url":"https://social.example/@brand/110000000000000099","content":"<p>ok</p>","account":{"id":"1","acct":"brand"}}"""), (422, """{"error":"Validation failed: Text character limit of 500 exceeded"}""")]);
        stub.Handler = context =>
        {
            var (status, body) = answers.Dequeue();
            return StubServer.JsonAsync(context, body, status);
        };
        var inbox = new InboxStore(rig.Store.Services.GetRequiredService<PortableDatabase>());

        Assert.Equal(1, await Dispatcher(inbox).SendQueuedAsync(10, CancellationToken.None));

        var posts = stub.To("/api/v1/statuses").ToList();
        Assert.Equal(2, posts.Count);
        Assert.All(posts, p => Assert.Equal($"firebreak-{rig.WorkspaceId}-reply-{first.Id}", p.Headers["Idempotency-Key"]));
        Assert.Equal("Bearer " + Token, posts[1].Headers["Authorization"]);
        var sent = JsonDocument.Parse(posts[1].Body).RootElement;
        Assert.Equal("110000000000000001", sent.GetProperty("in_reply_to_id").GetString());
        Assert.Equal("@angry@other.example Sorry — we are on it.", sent.GetProperty("status").GetString());
        Assert.Equal(ReplyState.Sent, (await inbox.GetReplyAsync(rig.WorkspaceId, first.Id, CancellationToken.None))!.State);
        Assert.Equal(("110000000000000099", "https://social.example/@brand/110000000000000099"), await rig.Connectors.GetReplySentAsync(rig.WorkspaceId, first.Id, CancellationToken.None));

        var (_, second) = await QueueReplyAsync(Platform.Mastodon, "110000000000000002", "other@other.example");
        Assert.Equal(1, await Dispatcher(inbox).SendQueuedAsync(10, CancellationToken.None));
        var failed = (await inbox.GetReplyAsync(rig.WorkspaceId, second.Id, CancellationToken.None))!;
        Assert.Equal(ReplyState.Failed, failed.State);
        Assert.Contains("Text character limit of 500 exceeded", failed.Error);
        Assert.Equal(0, await Dispatcher(inbox).SendQueuedAsync(10, CancellationToken.None));
    }

    [StoreFact]
    public async Task Replies_Bluesky_CreateRecordWithRootAndParentRefs()
    {
        rig.Bluesky.AppViewUri = stub.BaseUri;
        await rig.Connections.ConnectAsync(rig.WorkspaceId, Platform.Bluesky, "brand.bsky.social", stub.BaseUri, "app-pass-word-1234", null, null, CancellationToken.None);
        const string parent = "at://did:plc:author0001/app.bsky.feed.post/3l3qo2vuowo01";
        const string root = "at://did:plc:author0009/app.bsky.feed.post/3kroot";
        var (_, reply) = await QueueReplyAsync(Platform.Bluesky, parent, "author1.bsky.social");
        stub.Handler = context => context.Request.Path.Value switch
        {
            "/xrpc/com.atproto.server.createSession" => StubServer.JsonAsync(context, """{"did":"did:plc:brand4x7kq2mzv3","handle":"brand.bsky.social","accessJwt":"eyJhbGciOiJFUzI1NksifQ.access","refreshJwt":"eyJ.refresh","active":true}"""),
            "/xrpc/app.bsky.feed.getPosts" => StubServer.JsonAsync(context, "{\"posts\":[{\"uri\":\"" + parent + "\",\"cid\":\"bafyreiparentcid\",\"author\":{\"did\":\"did:plc:author0001\",\"handle\":\"author1.bsky.social\"},\"record\":{\"$type\":\"app.bsky.feed.post\",\"text\":\"where is my refund\",\"createdAt\":\"2025-03-03T12:00:00.000Z\",\"reply\":{\"root\":{\"uri\":\"" + root + "\",\"cid\":\"bafyreirootcid\"},\"parent\":{\"uri\":\"" + root + "\",\"cid\":\"bafyreirootcid\"}}},\"indexedAt\":\"2025-03-03T12:00:01.000Z\"}]}"),
            "/xrpc/com.atproto.repo.createRecord" when context.Request.Headers.Authorization == "Bearer eyJhbGciOiJFUzI1NksifQ.access"
                => StubServer.JsonAsync(context, """{"uri":"at://did:plc:brand4x7kq2mzv3/app.bsky.feed.post/3lreply","cid":"bafyreinew","commit":{"cid":"bafyreicommit","rev":"3lrev"},"validationStatus":"valid"}"""),
            _ => StubServer.JsonAsync(context, """{"error":"AuthenticationRequired"}""", 401),
        };
        var inbox = new InboxStore(rig.Store.Services.GetRequiredService<PortableDatabase>());

        Assert.Equal(1, await Dispatcher(inbox).SendQueuedAsync(10, CancellationToken.None));

        var session = JsonDocument.Parse(stub.To("/xrpc/com.atproto.server.createSession").Single().Body).RootElement;
        Assert.Equal("brand.bsky.social", session.GetProperty("identifier").GetString());
        var create = JsonDocument.Parse(stub.To("/xrpc/com.atproto.repo.createRecord").Single().Body).RootElement;
        Assert.Equal("did:plc:brand4x7kq2mzv3", create.GetProperty("repo").GetString());
        Assert.Equal("app.bsky.feed.post", create.GetProperty("collection").GetString());
        Assert.Equal(13, create.GetProperty("rkey").GetString()!.Length);
        var refs = create.GetProperty("record").GetProperty("reply");
        Assert.Equal(root, refs.GetProperty("root").GetProperty("uri").GetString());
        Assert.Equal("bafyreirootcid", refs.GetProperty("root").GetProperty("cid").GetString());
        Assert.Equal(parent, refs.GetProperty("parent").GetProperty("uri").GetString());
        Assert.Equal("bafyreiparentcid", refs.GetProperty("parent").GetProperty("cid").GetString());
        Assert.Equal(ReplyState.Sent, (await inbox.GetReplyAsync(rig.WorkspaceId, reply.Id, CancellationToken.None))!.State);
        Assert.Equal("at://did:plc:brand4x7kq2mzv3/app.bsky.feed.post/3lreply", (await rig.Connectors.GetReplySentAsync(rig.WorkspaceId, reply.Id, CancellationToken.None))!.Value.RemoteId);
    }

    [Fact]
    public void Tid_IsThirteenSortableCharactersFixedByTimeAndId()
    {
        var at = new DateTimeOffset(2025, 3, 3, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(BlueskyReplySender.Tid(at, 42), BlueskyReplySender.Tid(at, 42));
        Assert.NotEqual(BlueskyReplySender.Tid(at, 42), BlueskyReplySender.Tid(at, 43));
        Assert.True(string.CompareOrdinal(BlueskyReplySender.Tid(at, 42), BlueskyReplySender.Tid(at.AddMilliseconds(1), 0)) < 0);
        Assert.Matches("^[2-7a-z]{13}$", BlueskyReplySender.Tid(at, 42));
    }
}

public sealed class SqliteConnectionsAndRepliesTests() : ConnectionsAndRepliesTests(StoreProvider.Sqlite);

[RequiresPostgres]
public sealed class PostgresConnectionsAndRepliesTests() : ConnectionsAndRepliesTests(StoreProvider.Postgres);
