namespace Firebreak.Core.Connectors.Meta;

using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;
using Firebreak.Core.Secrets;
using Firebreak.Core.Workspaces;

/// <summary>What a webhook delivery came to.</summary>
public enum WebhookVerdict
{
    Accepted,

    /// <summary>No X-Hub-Signature-256 header: 401.</summary>
    MissingSignature,

    /// <summary>A signature that no connected Meta app's secret produces: 403.</summary>
    BadSignature,

    /// <summary>Not the documented payload: 400.</summary>
    Malformed,

    /// <summary>
    /// Verified and partly ingested, but an Instagram @mention could not be fetched from Graph yet: 503, so Meta
    /// redelivers (its retries are stored once; the items already ingested are not doubled).
    /// </summary>
    RetryLater,
}

/// <summary>The outcome of one delivery: the verdict, and how many items were ingested (new) or already there (Meta retries).</summary>
public sealed record WebhookResult(WebhookVerdict Verdict, int Received, int Inserted, string? Detail = null);

/// <summary>When each workspace last got a verified delivery per platform (to warn when the webhook goes quiet while polling still finds items).</summary>
public sealed class MetaWebhookActivity
{
    private readonly ConcurrentDictionary<(long, Platform), DateTimeOffset> last = new();

    /// <summary>A quiet webhook is reported when polling finds items created this long after its last delivery.</summary>
    public TimeSpan QuietAfter { get; set; } = TimeSpan.FromMinutes(30);

    public void Record(long workspaceId, Platform platform, DateTimeOffset at) => last[(workspaceId, platform)] = at;

    public DateTimeOffset? Last(long workspaceId, Platform platform) => last.TryGetValue((workspaceId, platform), out var at) ? at : null;

    /// <summary>An item error for health when the webhook has delivered before but has been silent while polling found newer items.</summary>
    public ItemError? Stopped(long workspaceId, Platform platform, IEnumerable<MentionInput> polled, DateTimeOffset now)
    {
        if (Last(workspaceId, platform) is not { } at || now - at < QuietAfter)
        {
            return null;
        }

        var missed = polled.Count(i => i.CreatedAt > at + QuietAfter);
        return missed == 0
            ? null
            : new ItemError(platform.ToWire(), "webhook", $"webhook stopped: Meta has delivered nothing since {at:u}, but polling found {missed} newer items. Check the app's Webhooks subscription (and that the Page is subscribed: POST /{{page-id}}/subscribed_apps).");
    }
}

/// <summary>
/// Meta's webhooks for Pages (<c>object: "page"</c>, fields <c>feed</c>, <c>mention</c>) and Instagram
/// (<c>object: "instagram"</c>, fields <c>comments</c>, <c>mentions</c>), Graph <see cref="GraphOptions.Version"/>.
/// The endpoint is anonymous by design (Meta cannot sign in): each POST is authenticated by
/// <c>X-Hub-Signature-256: sha256=HMAC-SHA256(app secret, raw body)</c>, compared in constant time. The app secret is
/// a workspace's "Meta app" connection (platform other, handle <see cref="AppHandle"/>): its credential is the app
/// secret and its refresh slot the verify token, both encrypted with <see cref="ISecretProtector"/> like every credential.
/// Entries are routed to the workspaces whose Facebook/Instagram connection has the entry's Page / IG user id as its
/// handle and whose app secret signed the body; they go through the real ingest pipeline, which is idempotent on
/// (workspace, platform, external id), so Meta's retries are ingested once.
/// </summary>
/// Instagram <c>mentions</c> carry ids only: they are fetched with <see cref="InstagramMentions"/> and the connection's token.
public sealed class MetaWebhook(IConnectorStore store, ISecretProtector protector, IngestPipeline pipeline, IWorkspaceStore workspaces, MetaWebhookActivity activity, TimeProvider clock, InstagramMentions? mentions = null)
{
    /// <summary>The handle of the connection that holds a workspace's Meta app secret.</summary>
    public const string AppHandle = "meta-app";

    /// <summary>Meta's deliveries are small (a batch of changes); anything larger is refused before it is read whole.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>The GET handshake: echo <c>hub.challenge</c> when <c>hub.mode=subscribe</c> and the verify token is a workspace's.</summary>
    public async Task<string?> HandshakeAsync(string? mode, string? verifyToken, string? challenge, CancellationToken cancellationToken)
    {
        if (mode != "subscribe" || string.IsNullOrEmpty(verifyToken) || challenge is null)
        {
            return null;
        }

        foreach (var app in await AppsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (app.VerifyToken is { } expected && FixedEquals(expected, verifyToken))
            {
                return challenge;
            }
        }

        return null;
    }

    public async Task<WebhookResult> ReceiveAsync(byte[] body, string? signatureHeader, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(signatureHeader))
        {
            return new WebhookResult(WebhookVerdict.MissingSignature, 0, 0, "X-Hub-Signature-256 is missing");
        }

        if (!signatureHeader.StartsWith("sha256=", StringComparison.OrdinalIgnoreCase) || !TryHex(signatureHeader[7..].Trim(), out var signature))
        {
            return new WebhookResult(WebhookVerdict.BadSignature, 0, 0, "X-Hub-Signature-256 is not sha256=<hex>");
        }

        // Which workspaces' app secrets sign this body: only those may receive its entries.
        var signedBy = new HashSet<long>();
        foreach (var app in await AppsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(Encoding.UTF8.GetBytes(app.Secret), body), signature))
            {
                signedBy.Add(app.WorkspaceId);
            }
        }

        if (signedBy.Count == 0)
        {
            return new WebhookResult(WebhookVerdict.BadSignature, 0, 0, "the signature does not match any connected Meta app secret");
        }

        List<(Platform Platform, string OwnerId, MentionInput Item)> changes;
        var mentioned = new List<InstagramMentionRef>();
        try
        {
            changes = MetaWebhookPayload.Read(body, mentioned);
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            return new WebhookResult(WebhookVerdict.Malformed, 0, 0, "not a Meta webhook payload: " + e.Message);
        }

        var connections = await store.ListAllConnectionsAsync(cancellationToken).ConfigureAwait(false);
        var unresolved = await ResolveMentionsAsync(mentioned, connections.Where(c => signedBy.Contains(c.WorkspaceId)).ToList(), changes, cancellationToken).ConfigureAwait(false);
        var received = 0;
        var inserted = 0;
        var now = clock.GetUtcNow();
        foreach (var group in changes.GroupBy(c => (c.Platform, c.OwnerId)))
        {
            var owners = connections.Where(c => c.Platform == group.Key.Platform && c.Handle == group.Key.OwnerId && signedBy.Contains(c.WorkspaceId))
                .Select(c => c.WorkspaceId).Distinct();
            foreach (var workspaceId in owners)
            {
                var sources = await workspaces.ListSourcesAsync(workspaceId, cancellationToken).ConfigureAwait(false);
                var source = sources.FirstOrDefault(s => s.Platform == group.Key.Platform && s.Kind == SourceKind.Account && s.Target.Trim() == group.Key.OwnerId);
                var items = group.Select(c => Copy(c.Item, source?.Id)).ToList();
                var report = await pipeline.IngestAsync(IngestBatch.FromInputs(workspaceId, items), cancellationToken).ConfigureAwait(false);
                received += report.Received;
                inserted += report.Inserted;
                activity.Record(workspaceId, group.Key.Platform, now);
            }
        }

        return unresolved.Count == 0
            ? new WebhookResult(WebhookVerdict.Accepted, received, inserted)
            : new WebhookResult(WebhookVerdict.RetryLater, received, inserted, "Instagram @mentions could not be fetched yet (Meta will redeliver): " + string.Join("; ", unresolved));
    }

    /// <summary>
    /// Fetches each @mention with the token of a signed workspace's Instagram connection for that account and adds it to
    /// <paramref name="changes"/>; returns why each one that could not be fetched failed. A mention for an account no
    /// signed workspace has connected is nobody's: it is dropped like any other entry for an unknown account.
    /// </summary>
    private async Task<List<string>> ResolveMentionsAsync(List<InstagramMentionRef> mentioned, List<Connection> signed, List<(Platform, string, MentionInput)> changes, CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        foreach (var mention in mentioned)
        {
            var accounts = signed.Where(c => c.Platform == Platform.Instagram && c.Handle == mention.OwnerId && c.State == ConnectionState.Active).ToList();
            if (accounts.Count == 0)
            {
                continue;
            }

            string? why = mentions is null ? "no Instagram mention reader is configured" : null;
            foreach (var account in mentions is null ? [] : accounts)
            {
                try
                {
                    var token = protector.Unprotect(account.ProtectedSecret, Connection.Purpose(account.WorkspaceId, account.AccountKey));
                    var item = await mentions!.ResolveAsync(mention, token, cancellationToken).ConfigureAwait(false);
                    item.CreatedAt ??= mention.NotifiedAt;
                    changes.Add((Platform.Instagram, mention.OwnerId, item));
                    why = null;
                    break;
                }
                catch (Exception e) when (e is ConnectorException or CryptographicException)
                {
                    why = e.Message;
                }
            }

            if (why is not null)
            {
                failures.Add($"media {mention.MediaId}{(mention.CommentId is null ? string.Empty : " comment " + mention.CommentId)}: {why}");
            }
        }

        return failures;
    }

    private static MentionInput Copy(MentionInput i, long? sourceId) => new()
    {
        Platform = i.Platform, ExternalId = i.ExternalId, Kind = i.Kind, Author = i.Author, Text = i.Text, Url = i.Url,
        CreatedAt = i.CreatedAt, Engagement = i.Engagement, ParentExternalId = i.ParentExternalId, ThreadExternalId = i.ThreadExternalId, SourceId = sourceId,
    };

    private async Task<List<(long WorkspaceId, string Secret, string? VerifyToken)>> AppsAsync(CancellationToken cancellationToken)
    {
        var apps = new List<(long, string, string?)>();
        foreach (var c in await store.ListAllConnectionsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (c.Platform != Platform.Other || c.Handle != AppHandle || c.State != ConnectionState.Active)
            {
                continue;
            }

            var purpose = Connection.Purpose(c.WorkspaceId, c.AccountKey);
            try
            {
                apps.Add((c.WorkspaceId, protector.Unprotect(c.ProtectedSecret, purpose), c.ProtectedRefresh is null ? null : protector.Unprotect(c.ProtectedRefresh, purpose + ":refresh")));
            }
            catch (CryptographicException)
            {
                // A ciphertext that does not open (another server key) cannot sign anything; the others still can.
            }
        }

        return apps;
    }

    private static bool FixedEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(a)), SHA256.HashData(Encoding.UTF8.GetBytes(b)));

    private static bool TryHex(string hex, out byte[] bytes)
    {
        try
        {
            bytes = Convert.FromHexString(hex);
            return bytes.Length == 32;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }
}

/// <summary>
/// Reads <c>{object, entry: [{id, time, changes: [{field, value}]}]}</c>. Mapped: page <c>feed</c> (item post/status/comment,
/// verb add/edited; remove ignored — history keeps what was said), page <c>mention</c> with a message, instagram
/// <c>comments</c> (id, text, from.username, media.id, parent_id). Instagram <c>mentions</c> carry only ids (media_id,
/// comment_id): they are returned as <see cref="InstagramMentionRef"/>s for <see cref="InstagramMentions"/> to fetch.
/// Sources: Graph webhooks reference for Instagram and "Webhook Notification Examples" (comments, mentions); Webhooks for
/// Pages (feed). The Page <c>mention</c> field's value was not found in the documentation searched: it is mapped only
/// when it carries <c>message</c> and <c>post_id</c>/<c>comment_id</c> like a feed change, else the /tagged poll brings it.
/// </summary>
public static class MetaWebhookPayload
{
    public static List<(Platform Platform, string OwnerId, MentionInput Item)> Read(byte[] body, List<InstagramMentionRef>? mentions = null)
    {
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        var platform = root.Text("object") switch
        {
            "page" => Platform.Facebook,
            "instagram" => Platform.Instagram,
            var other => throw new FormatException($"object \"{other}\" is not page or instagram"),
        };
        if (!root.TryGetProperty("entry", out var entries) || entries.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("no entry array");
        }

        var result = new List<(Platform, string, MentionInput)>();
        foreach (var entry in entries.EnumerateArray())
        {
            var owner = entry.Text("id") ?? throw new FormatException("an entry without an id");
            var time = MetaMapper.Time(entry, "time");
            if (!entry.TryGetProperty("changes", out var changes) || changes.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var change in changes.EnumerateArray())
            {
                if (change.Child("value") is not { } value)
                {
                    continue;
                }

                if (platform == Platform.Instagram && change.Text("field") == "mentions" && Id(value, "media_id") is { } mediaId)
                {
                    mentions?.Add(new InstagramMentionRef(owner, mediaId, Id(value, "comment_id"), time));
                    continue;
                }

                var item = (platform, change.Text("field")) switch
                {
                    (Platform.Facebook, "feed" or "mention") => Page(value, time),
                    (Platform.Instagram, "comments") => Instagram(value, time),
                    _ => null,
                };
                if (item is not null)
                {
                    result.Add((platform, owner, item));
                }
            }
        }

        return result;
    }

    /// <summary>Graph ids are numeric strings; some client libraries also accept them as numbers, so both are read.</summary>
    private static string? Id(JsonElement value, string name) =>
        value.Text(name) ?? value.Number(name)?.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static MentionInput? Page(JsonElement value, DateTimeOffset? time)
    {
        if (value.Text("verb") is "remove" or "hide" || value.Text("message") is not { } message)
        {
            return null;
        }

        var isComment = value.Text("item") == "comment";
        var id = isComment ? value.Text("comment_id") : value.Text("post_id");
        if (id is null)
        {
            return null;
        }

        var from = value.Child("from");
        var parent = isComment ? value.Text("parent_id") ?? value.Text("post_id") : null;
        return new MentionInput
        {
            Platform = MetaMapper.Facebook,
            ExternalId = id,
            Kind = isComment ? "comment" : "post",
            Author = new AuthorInput { Handle = from?.Text("id") ?? "unknown", DisplayName = from?.Text("name") },
            Text = message,
            Url = $"https://www.facebook.com/{id}",
            CreatedAt = MetaMapper.Time(value, "created_time") ?? time,
            ParentExternalId = parent,
            ThreadExternalId = isComment ? value.Text("post_id") : null,
        };
    }

    private static MentionInput? Instagram(JsonElement value, DateTimeOffset? time)
    {
        if (value.Text("id") is not { } id || value.Text("text") is not { } text)
        {
            return null;
        }

        var media = value.Child("media")?.Text("id");
        return new MentionInput
        {
            Platform = MetaMapper.Instagram,
            ExternalId = id,
            Kind = "comment",
            Author = new AuthorInput { Handle = value.Child("from")?.Text("username") ?? "unknown" },
            Text = text,
            CreatedAt = time,
            ParentExternalId = value.Text("parent_id") ?? media,
            ThreadExternalId = media,
        };
    }
}
