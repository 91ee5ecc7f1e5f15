namespace Firebreak.Storage.Tests.Publishing;

using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Firebreak.Core.Publishing.Platforms;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

/// <summary>A real HTTP server (Kestrel) on a loopback port, for a platform stub.</summary>
public abstract class LoopbackServer : IAsyncDisposable
{
    private WebApplication? app;

    public Uri BaseUri { get; private set; } = null!;

    /// <summary>Answer to the n-th (0-based) create request instead of creating: a scripted failure; null creates normally.</summary>
    public Func<int, IResult?> Script { get; set; } = _ => null;

    /// <summary>Holds the answer of a create this long AFTER the post is stored (a platform that accepts, then times out on the client).</summary>
    public TimeSpan DelayAfterAccept { get; set; }

    /// <summary>How many create requests arrived (including scripted failures and duplicates).</summary>
    public int CreateRequests => createRequests;

    private int createRequests;

    protected int NextCreate() => Interlocked.Increment(ref createRequests) - 1;

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        Map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUri = new Uri(address.TrimEnd('/') + "/");
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    protected abstract void Map(WebApplication app);

    protected static IResult Json(int status, JsonNode body) => Results.Content(body.ToJsonString(), "application/json", statusCode: status);

    protected static async Task<JsonObject> BodyAsync(HttpRequest request) =>
        await JsonNode.ParseAsync(request.Body) as JsonObject ?? throw new BadHttpRequestException("not a JSON object");

    protected static string? Bearer(HttpRequest request) =>
        request.Headers.Authorization.ToString() is { } value && value.StartsWith("Bearer ", StringComparison.Ordinal) ? value[7..] : null;
}

/// <summary>
/// Mastodon's REST API as a real instance speaks it (v1, Mastodon 4.x): bearer tokens, <c>POST /api/v1/statuses</c> with
/// JSON or form bodies and the <c>Idempotency-Key</c> header (a repeated key answers the first status, as Mastodon does
/// for an hour), the 500-character limit (422 <c>{"error": "Validation failed: ..."}</c>), status HTML in <c>content</c>,
/// <c>verify_credentials</c> and the account's statuses newest first with <c>since_id</c>.
/// </summary>
public sealed class MastodonStub : LoopbackServer
{
    public const string Token = "mastodon-access-token";
    public const string AccountId = "109";

    private readonly object gate = new();
    private readonly List<Status> statuses = [];
    private readonly Dictionary<string, Status> byKey = new(StringComparer.Ordinal);
    private long nextId = 110_000_000_000_000_000;

    /// <summary>Off: the stub forgets keys (as after Mastodon's hour), so only reconciliation can prevent a duplicate.</summary>
    public bool HonourIdempotencyKeys { get; set; } = true;

    /// <summary>Uploads answer 202 and report 206 (processing) this many times before 200, as large pictures do.</summary>
    public int ProcessingPolls { get; set; }

    /// <summary>Uploaded attachments: id → (file name, content type, bytes).</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, (string FileName, string ContentType, byte[] Bytes)> Media { get; } = new();

    /// <summary>The attachment ids of each status, by status text.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, string[]> MediaOfStatus { get; } = new();

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> pollsLeft = new();

    public IReadOnlyList<string> Texts
    {
        get
        {
            lock (gate)
            {
                return [.. statuses.Select(s => s.Text)];
            }
        }
    }

    /// <summary>A post made on the account outside Firebreak (someone with the password, or a hacker).</summary>
    public string PostDirectly(string text)
    {
        lock (gate)
        {
            return Add(text).Id;
        }
    }

    protected override void Map(WebApplication app)
    {
        app.MapPost("/api/v1/statuses", async (HttpRequest request) =>
        {
            if (Bearer(request) != Token)
            {
                return Json(401, new JsonObject { ["error"] = "The access token is invalid" });
            }

            if (Script(NextCreate()) is { } scripted)
            {
                return scripted;
            }

            var json = request.HasFormContentType ? null : await BodyAsync(request);
            var text = json is null ? (string?)request.Form["status"] : (string?)json["status"];
            var mediaIds = json?["media_ids"] is JsonArray ids ? ids.Select(i => (string?)i ?? string.Empty).ToArray() : [];
            if (mediaIds.Any(id => !Media.ContainsKey(id)))
            {
                return Json(422, new JsonObject { ["error"] = "Validation failed: media_ids contains an unknown attachment" });
            }

            if (mediaIds.Any(id => pollsLeft.TryGetValue(id, out var left) && left > 0))
            {
                return Json(422, new JsonObject { ["error"] = "Cannot attach files that have not finished processing. Try again in a moment!" });
            }

            if (mediaIds.Length > 0 && text is not null)
            {
                MediaOfStatus[text] = mediaIds;
            }

            var key = request.Headers["Idempotency-Key"].ToString();
            Status status;
            lock (gate)
            {
                if (HonourIdempotencyKeys && key.Length > 0 && byKey.TryGetValue(key, out var earlier))
                {
                    return Json(200, ToJson(earlier));
                }

                if (string.IsNullOrWhiteSpace(text))
                {
                    return Json(422, new JsonObject { ["error"] = "Validation failed: Text can't be blank" });
                }

                if (text.Length > 500)
                {
                    return Json(422, new JsonObject { ["error"] = "Validation failed: Text character limit of 500 exceeded" });
                }

                status = Add(text);
                if (key.Length > 0)
                {
                    byKey[key] = status;
                }
            }

            if (DelayAfterAccept > TimeSpan.Zero)
            {
                await Task.Delay(DelayAfterAccept);
            }

            return Json(200, ToJson(status));
        });
        app.MapPost("/api/v2/media", async (HttpRequest request) =>
        {
            if (Bearer(request) != Token)
            {
                return Json(401, new JsonObject { ["error"] = "The access token is invalid" });
            }

            var form = await request.ReadFormAsync();
            if (form.Files.GetFile("file") is not { } file)
            {
                return Json(422, new JsonObject { ["error"] = "Validation failed: File can't be blank" });
            }

            using var copy = new MemoryStream();
            await file.CopyToAsync(copy);
            string id;
            lock (gate)
            {
                id = (nextId++).ToString(CultureInfo.InvariantCulture);
            }

            Media[id] = (file.FileName, file.ContentType, copy.ToArray());
            pollsLeft[id] = ProcessingPolls;
            var processing = ProcessingPolls > 0;
            return Json(processing ? 202 : 200, new JsonObject { ["id"] = id, ["type"] = "image", ["url"] = processing ? null : $"{BaseUri}media/{id}" });
        });
        app.MapGet("/api/v1/media/{id}", (string id, HttpRequest request) =>
        {
            if (!Media.ContainsKey(id))
            {
                return Json(404, new JsonObject { ["error"] = "Record not found" });
            }

            var left = pollsLeft.AddOrUpdate(id, 0, (_, n) => Math.Max(0, n - 1));
            return Json(left > 0 ? 206 : 200, new JsonObject { ["id"] = id, ["type"] = "image", ["url"] = left > 0 ? null : $"{BaseUri}media/{id}" });
        });
        app.MapGet("/api/v1/accounts/verify_credentials", (HttpRequest request) => Bearer(request) != Token
            ? Json(401, new JsonObject { ["error"] = "The access token is invalid" })
            : Json(200, new JsonObject { ["id"] = AccountId, ["username"] = "brand", ["acct"] = "brand", ["display_name"] = "Brand" }));
        app.MapGet("/api/v1/accounts/{id}/statuses", (string id, string? since_id, int? limit, HttpRequest request) =>
        {
            if (Bearer(request) != Token)
            {
                return Json(401, new JsonObject { ["error"] = "The access token is invalid" });
            }

            lock (gate)
            {
                var since = since_id is null ? 0 : long.Parse(since_id, CultureInfo.InvariantCulture);
                var page = statuses.Where(s => id == AccountId && long.Parse(s.Id, CultureInfo.InvariantCulture) > since)
                    .OrderByDescending(s => long.Parse(s.Id, CultureInfo.InvariantCulture)).Take(Math.Clamp(limit ?? 20, 1, 40));
                return Json(200, new JsonArray([.. page.Select(s => (JsonNode)ToJson(s))]));
            }
        });
    }

    private Status Add(string text)
    {
        var status = new Status((nextId++).ToString(CultureInfo.InvariantCulture), text, DateTimeOffset.UtcNow);
        statuses.Add(status);
        return status;
    }

    private JsonObject ToJson(Status s) => new()
    {
        ["id"] = s.Id,
        ["created_at"] = s.CreatedAt.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        ["visibility"] = "public",
        ["uri"] = $"{BaseUri}users/brand/statuses/{s.Id}",
        ["url"] = $"{BaseUri}@brand/{s.Id}",
        ["content"] = "<p>" + WebUtility.HtmlEncode(s.Text).Replace("\n", "<br />", StringComparison.Ordinal) + "</p>",
        ["account"] = new JsonObject { ["id"] = AccountId, ["username"] = "brand", ["acct"] = "brand" },
    };

    private sealed record Status(string Id, string Text, DateTimeOffset CreatedAt);
}

/// <summary>
/// A Bluesky PDS's XRPC endpoints as the reference PDS answers them: createSession / refreshSession (access tokens that
/// expire with 400 ExpiredToken), createRecord of app.bsky.feed.post keyed by rkey (a second create with the same rkey is
/// refused, as a repo holds one record per key), the 300-grapheme limit, getRecord (400 RecordNotFound) and listRecords
/// newest first.
/// </summary>
public sealed class BlueskyStub : LoopbackServer
{
    public const string Did = "did:plc:brandtest0000000000000";
    public const string Handle = "brand.test";
    public const string AppPassword = "abcd-efgh-ijkl-mnop";

    private readonly object gate = new();
    private readonly SortedDictionary<string, (string Text, string CreatedAt)> records = new(StringComparer.Ordinal);
    private readonly HashSet<string> access = [];
    private readonly HashSet<string> expired = [];
    private readonly HashSet<string> refresh = [];
    private int sessions;

    public int SessionsCreated => sessions;

    public IReadOnlyList<string> Texts
    {
        get
        {
            lock (gate)
            {
                return [.. records.Values.Select(r => r.Text)];
            }
        }
    }

    /// <summary>Blobs uploaded: cid → (mime type, bytes).</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, (string MimeType, byte[] Bytes)> Blobs { get; } = new();

    /// <summary>Each record's embed as sent, by record key.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, JsonObject> Embeds { get; } = new();

    public IReadOnlyList<string> RecordKeys
    {
        get
        {
            lock (gate)
            {
                return [.. records.Keys];
            }
        }
    }

    /// <summary>Every access token issued so far now answers 400 ExpiredToken (refresh tokens still work).</summary>
    public void ExpireAccessTokens()
    {
        lock (gate)
        {
            expired.UnionWith(access);
            access.Clear();
        }
    }

    /// <summary>A post made outside Firebreak, with a fresh TID.</summary>
    public string PostDirectly(string text)
    {
        lock (gate)
        {
            var rkey = Tid.For(DateTimeOffset.UtcNow, Random.Shared.Next(), Random.Shared.Next(), 0);
            records[rkey] = (text, DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            return rkey;
        }
    }

    protected override void Map(WebApplication app)
    {
        app.MapPost("/xrpc/com.atproto.server.createSession", async (HttpRequest request) =>
        {
            var body = await BodyAsync(request);
            return (string?)body["identifier"] is Handle or Did && (string?)body["password"] == AppPassword
                ? Json(200, NewSession())
                : Json(401, new JsonObject { ["error"] = "AuthenticationRequired", ["message"] = "Invalid identifier or password" });
        });
        app.MapPost("/xrpc/com.atproto.server.refreshSession", (HttpRequest request) =>
        {
            lock (gate)
            {
                if (Bearer(request) is not { } token || !refresh.Remove(token))
                {
                    return Json(400, new JsonObject { ["error"] = "ExpiredToken", ["message"] = "Token has been revoked" });
                }
            }

            return Json(200, NewSession());
        });
        app.MapPost("/xrpc/com.atproto.repo.uploadBlob", async (HttpRequest request) =>
        {
            if (Unauthorised(request) is { } refused)
            {
                return refused;
            }

            using var copy = new MemoryStream();
            await request.Body.CopyToAsync(copy);
            if (copy.Length > 1_000_000)
            {
                return Json(400, new JsonObject { ["error"] = "BlobTooLarge", ["message"] = "This file is too large. It is 1.2MB but the maximum size is 976.56KB." });
            }

            var cid = "bafkrei" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(copy.ToArray()))[..20].ToLowerInvariant();
            var mime = request.ContentType ?? "application/octet-stream";
            Blobs[cid] = (mime, copy.ToArray());
            return Json(200, new JsonObject { ["blob"] = new JsonObject { ["$type"] = "blob", ["ref"] = new JsonObject { ["$link"] = cid }, ["mimeType"] = mime, ["size"] = copy.Length } });
        });
        app.MapPost("/xrpc/com.atproto.repo.createRecord", async (HttpRequest request) =>
        {
            if (Unauthorised(request) is { } refused)
            {
                return refused;
            }

            if (Script(NextCreate()) is { } scripted)
            {
                return scripted;
            }

            var body = await BodyAsync(request);
            var record = body["record"] as JsonObject;
            var rkey = (string?)body["rkey"] ?? Tid.For(DateTimeOffset.UtcNow, Random.Shared.Next(), 0, 0);
            if ((string?)body["repo"] is not (Did or Handle) || (string?)body["collection"] != "app.bsky.feed.post" || (string?)record?["$type"] != "app.bsky.feed.post"
                || (string?)record["text"] is not { } text || (string?)record["createdAt"] is not { } createdAt)
            {
                return Json(400, new JsonObject { ["error"] = "InvalidRequest", ["message"] = "Input/record must be an app.bsky.feed.post in the caller's repo" });
            }

            if (new StringInfo(text).LengthInTextElements > 300)
            {
                return Json(400, new JsonObject { ["error"] = "InvalidRequest", ["message"] = "Invalid app.bsky.feed.post record: Record/text must not be longer than 300 graphemes" });
            }

            if (record["embed"] is JsonObject embed)
            {
                var refs = (embed["images"] as JsonArray ?? []).Select(i => (string?)i?["image"]?["ref"]?["$link"]).ToArray();
                if ((string?)embed["$type"] != "app.bsky.embed.images" || refs.Length is 0 or > 4 || refs.Any(r => r is null || !Blobs.ContainsKey(r)))
                {
                    return Json(400, new JsonObject { ["error"] = "InvalidRequest", ["message"] = "Invalid app.bsky.feed.post record: embed must be app.bsky.embed.images of 1-4 uploaded blobs" });
                }

                Embeds[rkey] = (JsonObject)embed.DeepClone();
            }

            lock (gate)
            {
                if (!records.TryAdd(rkey, (text, createdAt)))
                {
                    return Json(400, new JsonObject { ["error"] = "InvalidRequest", ["message"] = $"Record already exists: at://{Did}/app.bsky.feed.post/{rkey}" });
                }
            }

            if (DelayAfterAccept > TimeSpan.Zero)
            {
                await Task.Delay(DelayAfterAccept);
            }

            return Json(200, new JsonObject { ["uri"] = $"at://{Did}/app.bsky.feed.post/{rkey}", ["cid"] = "bafyrei" + rkey, ["validationStatus"] = "valid" });
        });
        app.MapGet("/xrpc/com.atproto.repo.getRecord", (string repo, string collection, string rkey, HttpRequest request) =>
        {
            lock (gate)
            {
                return records.TryGetValue(rkey, out var r) && repo is Did or Handle
                    ? Json(200, new JsonObject { ["uri"] = $"at://{Did}/{collection}/{rkey}", ["cid"] = "bafyrei" + rkey, ["value"] = Value(r) })
                    : Json(400, new JsonObject { ["error"] = "RecordNotFound", ["message"] = $"Could not locate record: at://{repo}/{collection}/{rkey}" });
            }
        });
        app.MapGet("/xrpc/com.atproto.repo.listRecords", (string repo, string collection, int? limit, HttpRequest request) =>
        {
            lock (gate)
            {
                var page = records.Reverse().Take(Math.Clamp(limit ?? 50, 1, 100))
                    .Select(r => (JsonNode)new JsonObject { ["uri"] = $"at://{Did}/{collection}/{r.Key}", ["cid"] = "bafyrei" + r.Key, ["value"] = Value(r.Value) });
                return Json(200, new JsonObject { ["records"] = new JsonArray([.. page]) });
            }
        });
    }

    private static JsonObject Value((string Text, string CreatedAt) r) => new() { ["$type"] = "app.bsky.feed.post", ["text"] = r.Text, ["createdAt"] = r.CreatedAt };

    private IResult? Unauthorised(HttpRequest request)
    {
        lock (gate)
        {
            var token = Bearer(request);
            return token is not null && access.Contains(token) ? null
                : token is not null && expired.Contains(token) ? Json(400, new JsonObject { ["error"] = "ExpiredToken", ["message"] = "Token has expired" })
                : Json(401, new JsonObject { ["error"] = "AuthenticationRequired", ["message"] = "Authentication Required" });
        }
    }

    private JsonObject NewSession()
    {
        var n = Interlocked.Increment(ref sessions);
        var accessJwt = $"access-{n}-{Guid.NewGuid():N}";
        var refreshJwt = $"refresh-{n}-{Guid.NewGuid():N}";
        lock (gate)
        {
            access.Add(accessJwt);
            refresh.Add(refreshJwt);
        }

        return new JsonObject { ["did"] = Did, ["handle"] = Handle, ["accessJwt"] = accessJwt, ["refreshJwt"] = refreshJwt, ["active"] = true };
    }
}
