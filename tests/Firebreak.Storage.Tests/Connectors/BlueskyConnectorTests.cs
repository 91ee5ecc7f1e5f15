namespace Firebreak.Storage.Tests.Connectors;

using System.Globalization;
using System.Text.Json;
using Firebreak.Core.Connectors;
using Firebreak.Core.Mentions;
using Firebreak.Core.Workspaces;

public sealed class BlueskyConnectorTests : IAsyncLifetime
{
    private const string BrandDid = "did:plc:brand4x7kq2mzv3";
    private const long T0 = 1_741_000_000_000_000;
    private ConnectorRig rig = null!;
    private StubServer stub = null!;

    public async Task InitializeAsync()
    {
        rig = await ConnectorRig.OpenAsync();
        stub = await StubServer.StartAsync();
        rig.Bluesky.JetstreamUri = stub.WebSocketUri("/subscribe");
        rig.Bluesky.AppViewUri = stub.BaseUri;
    }

    public async Task DisposeAsync()
    {
        await stub.DisposeAsync();
        await rig.DisposeAsync();
    }

    /// <summary>A Jetstream commit event as bluesky-social/jetstream sends it.</summary>
    private static string Commit(int n, string text, bool mention, string operation = "create", string? replyParent = null)
    {
        var record = new Dictionary<string, object?>
        {
            ["$type"] = "app.bsky.feed.post",
            ["createdAt"] = DateTimeOffset.FromUnixTimeMilliseconds(T0 / 1000 + n * 1000).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
            ["langs"] = new[] { "en" },
            ["text"] = text,
        };
        if (mention)
        {
            record["facets"] = new[]
            {
                new Dictionary<string, object?>
                {
                    ["$type"] = "app.bsky.richtext.facet",
                    ["index"] = new { byteStart = 0, byteEnd = 12 },
                    ["features"] = new[] { new Dictionary<string, object?> { ["$type"] = "app.bsky.richtext.facet#mention", ["did"] = BrandDid } },
                },
            };
        }

        if (replyParent is not null)
        {
            record["reply"] = new { root = new { uri = replyParent, cid = "bafyreiroot" }, parent = new { uri = replyParent, cid = "bafyreiparent" } };
        }

        return JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["did"] = $"did:plc:author{n:D4}",
            ["time_us"] = T0 + (n * 1_000_000L),
            ["kind"] = "commit",
            ["commit"] = new Dictionary<string, object?>
            {
                ["rev"] = $"3l3qo2vutsw{n:D2}",
                ["operation"] = operation,
                ["collection"] = "app.bsky.feed.post",
                ["rkey"] = $"3l3qo2vuowo{n:D2}",
                ["record"] = operation == "delete" ? null : record,
                ["cid"] = $"bafyreicid{n:D4}{operation}",
            },
        });
    }

    private static string Uri(int n) => $"at://did:plc:author{n:D4}/app.bsky.feed.post/3l3qo2vuowo{n:D2}";

    [Fact]
    public async Task Jetstream_DroppedAndResumedWithRewind_EveryMentionStoredOnce()
    {
        var source = await rig.SourceAsync(Platform.Bluesky, SourceKind.Account, BrandDid);
        var timeline = new List<(long TimeUs, string Json)>();
        void Add(int n, string json) => timeline.Add((T0 + (n * 1_000_000L), json));
        Add(1, Commit(1, "@brand.bsky.social my bag is lost", mention: true));
        Add(2, Commit(2, "unrelated chatter", mention: false));
        Add(3, Commit(3, "@brand.bsky.social still waiting", mention: true));
        Add(4, """{"did":"did:plc:x","time_us":""" + (T0 + 4_000_000) + ""","kind":"identity","identity":{"did":"did:plc:x","handle":"x.bsky.social","seq":1,"time":"2025-03-03T12:00:00Z"}}""");
        Add(5, Commit(5, "reply to the brand's post", mention: false, replyParent: $"at://{BrandDid}/app.bsky.feed.post/3kbrandpost"));
        Add(6, Commit(6, "@brand.bsky.social third time", mention: true));
        Add(7, Commit(3, "@brand.bsky.social still waiting", mention: true)); // a duplicate delivery of 3
        Add(8, Commit(9, "@brand.bsky.social out of order", mention: true)); // 9 before 8
        Add(9, Commit(8, "@brand.bsky.social eight", mention: true));
        Add(10, "{\"did\":\"did:plc:broken\",\"time_us\":17410000"); // truncated
        Add(11, Commit(1, "", mention: false, operation: "delete"));
        var connections = new List<string?>();
        stub.Handler = async context =>
        {
            var cursor = context.Request.Query["cursor"].ToString();
            connections.Add(cursor.Length == 0 ? null : cursor);
            var from = cursor.Length == 0 ? 0 : long.Parse(cursor, CultureInfo.InvariantCulture);
            // First connection: the events up to 6, then the connection drops; the second gets the rest from the cursor on.
            var events = timeline.Where(e => e.TimeUs >= from && (connections.Count > 1 || e.TimeUs <= T0 + 6_000_000)).Select(e => e.Json);
            await StubServer.WebSocketAsync(context, events, abort: connections.Count == 1);
        };

        var first = await rig.PassAsync(source);
        var checkpoint = await rig.Connectors.GetCheckpointAsync(rig.WorkspaceId, source.Id, CancellationToken.None);
        var second = await rig.PassAsync(source);

        Assert.Equal(FailureKind.Transient, first.Failure?.Kind);
        Assert.Equal((T0 + 6_000_000).ToString(CultureInfo.InvariantCulture), checkpoint);
        Assert.Equal([null, (T0 + 1_000_000).ToString(CultureInfo.InvariantCulture)], connections);
        Assert.Equal([Uri(1), Uri(3), Uri(5), Uri(6), Uri(8), Uri(9)], await rig.StoredIdsAsync());
        Assert.Equal(4, first.Inserted);
        Assert.Equal(2, second.Inserted);
        Assert.Equal("stream event 10", Assert.Single(second.Errors).Position); // the 10th message of the resumed connection
        Assert.Equal((T0 + 9_000_000).ToString(CultureInfo.InvariantCulture), await rig.Connectors.GetCheckpointAsync(rig.WorkspaceId, source.Id, CancellationToken.None));
        var reply = (await rig.Store.RowsAsync("SELECT kind, author_handle, url FROM mentions WHERE external_id = $u", ("$u", Uri(5)))).Single();
        Assert.Equal("reply", reply[0]);
        Assert.Equal("did:plc:author0005", reply[1]);
        Assert.Equal("https://bsky.app/profile/did:plc:author0005/post/3l3qo2vuowo05", reply[2]);
    }

    [Fact]
    public async Task Jetstream_Hashtag_MatchesTagFacetsOrText()
    {
        var source = await rig.SourceAsync(Platform.Bluesky, SourceKind.Query, "#AuroraAir");
        stub.Handler = context => StubServer.WebSocketAsync(context, [Commit(1, "flying #auroraair today", false), Commit(2, "nothing here", false)], abort: false);

        var report = await rig.PassAsync(source);

        Assert.Contains("closed", report.Failure?.Message);
        Assert.Equal([Uri(1)], await rig.StoredIdsAsync());
    }

    private static string PostView(int n, string text) => $$"""
        {"uri":"{{Uri(n)}}","cid":"bafyreicid{{n:D4}}","author":{"did":"did:plc:author{{n:D4}}","handle":"user{{n}}.bsky.social","displayName":"User {{n}}","avatar":"https://cdn.bsky.app/img/avatar/plain/x/y@jpeg","labels":[],"createdAt":"2023-05-01T00:00:00.000Z"},
         "record":{"$type":"app.bsky.feed.post","createdAt":"{{DateTimeOffset.FromUnixTimeMilliseconds(T0 / 1000 + n * 1000):yyyy-MM-ddTHH:mm:ss.fffZ}}","langs":["en"],"text":"{{text}}"},
         "replyCount":{{n % 3}},"repostCount":{{n % 4}},"likeCount":{{n}},"quoteCount":0,"indexedAt":"{{DateTimeOffset.FromUnixTimeMilliseconds(T0 / 1000 + n * 1000):yyyy-MM-ddTHH:mm:ss.fffZ}}","labels":[]}
        """;

    [Fact]
    public async Task SearchPosts_Backfill_FollowsTheCursorThroughA429()
    {
        var source = await rig.SourceAsync(Platform.Bluesky, SourceKind.Query, "aurora refund");
        var calls = 0;
        stub.Handler = context =>
        {
            calls++;
            var cursor = context.Request.Query["cursor"].ToString();
            return calls switch
            {
                1 => StubServer.JsonAsync(context, $$"""{"cursor":"page2","hitsTotal":5,"posts":[{{PostView(5, "aurora refund five")}},{{PostView(4, "aurora refund four")}},{{PostView(3, "aurora refund three")}}]}"""),
                2 => StubServer.JsonAsync(context, """{"error":"RateLimitExceeded","message":"Rate Limit Exceeded"}""", 429, ("RateLimit-Reset", "1"), ("RateLimit-Remaining", "0")),
                _ when cursor == "page2" => StubServer.JsonAsync(context, $$"""{"posts":[{{PostView(2, "aurora refund two")}},{{PostView(1, "aurora refund one")}}]}"""),
                _ => StubServer.JsonAsync(context, """{"error":"InvalidRequest"}""", 400),
            };
        };

        var report = await rig.Runner().BackfillAsync(source, DateTimeOffset.FromUnixTimeMilliseconds(T0 / 1000), DateTimeOffset.FromUnixTimeMilliseconds(T0 / 1000 + 60_000), null, CancellationToken.None);

        Assert.Null(report.Failure);
        Assert.Equal(5, report.Inserted);
        var first = stub.Requests.First();
        Assert.Equal("/xrpc/app.bsky.feed.searchPosts", first.Path);
        Assert.Equal("aurora refund", first.QueryValue("q"));
        Assert.Equal("latest", first.QueryValue("sort"));
        Assert.NotNull(first.QueryValue("since"));
        Assert.Equal("page2", stub.Requests.Last().QueryValue("cursor"));
        var row = (await rig.Store.RowsAsync("SELECT author_handle, likes, author_name FROM mentions WHERE external_id = $u", ("$u", Uri(4)))).Single();
        Assert.Equal("user4.bsky.social", row[0]);
        Assert.Equal(4L, row[1]);
        Assert.Equal("User 4", row[2]);
    }
}
