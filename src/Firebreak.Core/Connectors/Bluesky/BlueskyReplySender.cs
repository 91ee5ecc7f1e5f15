namespace Firebreak.Core.Connectors.Bluesky;

using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Firebreak.Core.Mentions;
using Firebreak.Core.Publishing;

/// <summary>
/// Replies on Bluesky over XRPC at the account's PDS: <c>com.atproto.server.createSession</c> (handle + app password),
/// the parent's cid and thread root from <c>app.bsky.feed.getPosts</c> at the AppView, then
/// <c>com.atproto.repo.createRecord</c> of an <c>app.bsky.feed.post</c> with <c>reply: {root, parent}</c> strong refs.
/// The record key is a TID made from the reply's creation time and id, so a retry asks for the same key and the PDS
/// refuses a second copy; that refusal is read as "already sent".
/// </summary>
public sealed class BlueskyReplySender(ConnectorHttp http, BlueskyOptions options) : IReplySender
{
    private const string Name = BlueskyMapper.Name;

    public Platform Platform => Platform.Bluesky;

    public async Task<ReplyResult> SendAsync(PlatformAccount account, ReplyRequest reply, CancellationToken cancellationToken)
    {
        var session = await PostAsync(account.BaseUri, "xrpc/com.atproto.server.createSession", null, new { identifier = account.Handle, password = account.Secret }, cancellationToken).ConfigureAwait(false);
        var did = session.Text("did") ?? throw new ConnectorException(Name, FailureKind.Malformed, "createSession answered without a did");
        var jwt = session.Text("accessJwt") ?? throw new ConnectorException(Name, FailureKind.Malformed, "createSession answered without an accessJwt");

        var parent = await ParentAsync(reply.InReplyToExternalId, cancellationToken).ConfigureAwait(false);
        var rootRef = parent.Record.Child("reply")?.Child("root");
        var root = rootRef is { } r && r.Text("uri") is { } ru && r.Text("cid") is { } rc ? new { uri = ru, cid = rc } : new { uri = parent.Uri, cid = parent.Cid };
        var rkey = Tid(reply.CreatedAt, reply.ReplyId);
        var record = new Dictionary<string, object?>
        {
            ["$type"] = "app.bsky.feed.post",
            ["text"] = reply.Text,
            ["createdAt"] = reply.CreatedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
            ["reply"] = new { root, parent = new { uri = parent.Uri, cid = parent.Cid } },
        };
        try
        {
            var created = await PostAsync(account.BaseUri, "xrpc/com.atproto.repo.createRecord", jwt, new { repo = did, collection = "app.bsky.feed.post", rkey, record }, cancellationToken).ConfigureAwait(false);
            return new ReplyResult(created.Text("uri") ?? BlueskyMapper.AtUri(did, rkey), $"https://bsky.app/profile/{did}/post/{rkey}");
        }
        catch (ConnectorException e) when (e.Kind == FailureKind.Rejected && e.Status == 400 && e.Message.Contains("already exists", StringComparison.OrdinalIgnoreCase))
        {
            // The earlier try went through and only its answer was lost.
            return new ReplyResult(BlueskyMapper.AtUri(did, rkey), $"https://bsky.app/profile/{did}/post/{rkey}");
        }
    }

    /// <summary>A TID (AT Protocol record key): 53 bits of microseconds and 10 bits of clock id, base32-sortable, 13 characters.</summary>
    public static string Tid(DateTimeOffset at, long clockId)
    {
        const string alphabet = "234567abcdefghijklmnopqrstuvwxyz";
        var micros = (ulong)(at.ToUnixTimeMilliseconds() * 1000) & ((1UL << 53) - 1);
        var value = (micros << 10) | ((ulong)clockId & 0x3FF);
        Span<char> text = stackalloc char[13];
        for (var i = 12; i >= 0; i--)
        {
            text[i] = alphabet[(int)(value & 31)];
            value >>= 5;
        }

        return new string(text);
    }

    private async Task<(string Uri, string Cid, JsonElement Record)> ParentAsync(string uri, CancellationToken cancellationToken)
    {
        var query = new Uri(options.AppViewUri, "xrpc/app.bsky.feed.getPosts?uris=" + Uri.EscapeDataString(uri));
        var response = await http.SendAsync(Name, () => new HttpRequestMessage(HttpMethod.Get, query), cancellationToken).ConfigureAwait(false);
        using (response.Message)
        {
            var json = JsonPages.Read(Name, response.Body, "posts");
            if (json.Items.Count == 0 || json.Items[0].Text("cid") is not { } cid || json.Items[0].Child("record") is not { } record)
            {
                throw new ConnectorException(Name, FailureKind.Rejected, $"the post {uri} was not found (deleted?); nothing to reply to");
            }

            return (uri, cid, record);
        }
    }

    private async Task<JsonElement> PostAsync(Uri pds, string path, string? jwt, object body, CancellationToken cancellationToken)
    {
        var uri = new Uri(pds, path);
        var response = await http.SendAsync(Name, () =>
        {
            // createSession only signs in, and createRecord carries a fixed record key: both are safe to send again.
            var message = ConnectorHttp.Repeatable(new HttpRequestMessage(HttpMethod.Post, uri) { Content = JsonContent.Create(body) });
            if (jwt is not null)
            {
                message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", jwt);
            }

            return message;
        }, cancellationToken).ConfigureAwait(false);
        using (response.Message)
        {
            try
            {
                using var document = JsonDocument.Parse(response.Body);
                return document.RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new ConnectorException(Name, FailureKind.Malformed, $"{path} answered malformed JSON ({e.Message})");
            }
        }
    }
}
