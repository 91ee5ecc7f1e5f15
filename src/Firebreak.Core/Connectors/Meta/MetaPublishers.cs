namespace Firebreak.Core.Connectors.Meta;

using System.Globalization;
using System.Text.Json;
using Firebreak.Core.Mentions;
using Firebreak.Core.Publishing;
using Firebreak.Core.Publishing.Outbox;
using Firebreak.Core.Publishing.Platforms;

/// <summary>
/// Publishing to a Facebook Page: <c>POST /{page-id}/feed</c> with <c>message</c> (Page token; the connection's handle is
/// the Page id). Graph has NO idempotency key, so a retry after a timeout could post twice: the outbox reconciles first
/// (<see cref="FindAsync"/> reads the Page feed since the send started for the exact text) before any second attempt.
/// Media are refused (photos need <c>/{page-id}/photos</c>, not built): better refused than posted without the picture.
/// </summary>
public sealed class FacebookPublisher(GraphClient graph) : IPlatformPublisher
{
    public Platform Platform => Platform.Facebook;

    public async Task<PublishAttempt> PublishAsync(PlatformAccount account, PublishRequest request, CancellationToken cancellationToken)
    {
        if (request.MediaUrls.Count > 0)
        {
            return PublishAttempt.Permanent("Photos are not supported by Firebreak's Facebook publisher yet (they need /{page-id}/photos); remove the media or post it by hand.");
        }

        return await MetaPublishing.AttemptAsync(async () =>
        {
            var id = await MetaPublishing.PostIdAsync(graph, MetaMapper.Facebook, $"{Uri.EscapeDataString(account.Handle)}/feed", account.Secret, new Dictionary<string, string> { ["message"] = request.Text }, cancellationToken).ConfigureAwait(false);
            return PublishAttempt.Published(id, $"https://www.facebook.com/{id}");
        }).ConfigureAwait(false);
    }

    public async Task<RemotePost?> FindAsync(PlatformAccount account, PublishRequest request, DateTimeOffset sentSince, CancellationToken cancellationToken)
    {
        var wanted = PostText.Normalise(request.Text);
        var posts = await PostsAsync(account, sentSince.AddMinutes(-1).ToUnixTimeSeconds(), cancellationToken).ConfigureAwait(false);
        return posts.FirstOrDefault(p => PostText.Normalise(p.Text) == wanted);
    }

    public async Task<ReadBack> ReadBackAsync(PlatformAccount account, string? checkpoint, CancellationToken cancellationToken)
    {
        long? since = long.TryParse(checkpoint, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s + 1 : null;
        var posts = await PostsAsync(account, since, cancellationToken).ConfigureAwait(false);
        var newest = posts.Max(p => p.CreatedAt)?.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return new ReadBack(posts, newest ?? checkpoint);
    }

    private Task<IReadOnlyList<RemotePost>> PostsAsync(PlatformAccount account, long? since, CancellationToken cancellationToken) =>
        MetaPublishing.ReadAsync(graph, MetaMapper.Facebook, $"{Uri.EscapeDataString(account.Handle)}/feed?fields=id,message,created_time,permalink_url" + (since is { } s ? "&since=" + s.ToString(CultureInfo.InvariantCulture) : string.Empty),
            account.Secret, e => new RemotePost(e.Text("id")!, e.Text("permalink_url"), e.Text("message") ?? string.Empty, MetaMapper.Time(e, "created_time")), cancellationToken);
}

/// <summary>
/// Publishing to Instagram (Content Publishing API): step 1 <c>POST /{ig-user-id}/media</c> with <c>image_url</c> and
/// <c>caption</c> creates a container; step 2 reads <c>GET /{container-id}?fields=status_code,status</c> until it is
/// FINISHED (IN_PROGRESS: wait; ERROR/EXPIRED: refused with the status; PUBLISHED: already out); step 3
/// <c>POST /{ig-user-id}/media_publish</c> with <c>creation_id</c> publishes it.
/// An image is required (Instagram has no text-only posts). No idempotency key: reconciliation reads
/// <c>/{ig-user-id}/media</c> for the exact caption since the send started. Limit: 50 API-published posts per 24 hours.
/// </summary>
public sealed class InstagramPublisher(GraphClient graph) : IPlatformPublisher
{
    public Platform Platform => Platform.Instagram;

    public async Task<PublishAttempt> PublishAsync(PlatformAccount account, PublishRequest request, CancellationToken cancellationToken)
    {
        if (request.MediaUrls.Count == 0)
        {
            return PublishAttempt.Permanent("Instagram needs an image: add one public image URL (JPEG) to the post.");
        }

        var user = Uri.EscapeDataString(account.Handle);
        return await MetaPublishing.AttemptAsync(async () =>
        {
            var container = await MetaPublishing.PostIdAsync(graph, MetaMapper.Instagram, $"{user}/media", account.Secret,
                new Dictionary<string, string> { ["image_url"] = request.MediaUrls[0], ["caption"] = request.Text }, cancellationToken).ConfigureAwait(false);
            if (await NotReadyAsync(container, account.Secret, cancellationToken).ConfigureAwait(false) is { } refused)
            {
                return refused;
            }

            var id = await MetaPublishing.PostIdAsync(graph, MetaMapper.Instagram, $"{user}/media_publish", account.Secret,
                new Dictionary<string, string> { ["creation_id"] = container }, cancellationToken).ConfigureAwait(false);
            return PublishAttempt.Published(id, null);
        }).ConfigureAwait(false);
    }

    public async Task<RemotePost?> FindAsync(PlatformAccount account, PublishRequest request, DateTimeOffset sentSince, CancellationToken cancellationToken)
    {
        var wanted = PostText.Normalise(request.Text);
        var media = await MediaAsync(account, cancellationToken).ConfigureAwait(false);
        return media.FirstOrDefault(p => (p.CreatedAt is null || p.CreatedAt >= sentSince.AddMinutes(-1)) && PostText.Normalise(p.Text) == wanted);
    }

    public async Task<ReadBack> ReadBackAsync(PlatformAccount account, string? checkpoint, CancellationToken cancellationToken)
    {
        var media = await MediaAsync(account, cancellationToken).ConfigureAwait(false);
        var after = long.TryParse(checkpoint, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : (long?)null;
        var fresh = after is null ? media.Take(1).ToList() : media.Where(m => m.CreatedAt?.ToUnixTimeSeconds() > after).ToList();
        var newest = media.Max(p => p.CreatedAt)?.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return new ReadBack(fresh, newest ?? checkpoint);
    }

    /// <summary>Null once the container is FINISHED; otherwise the attempt to report (a container never published expires after 24 h, so an abandoned one costs nothing).</summary>
    private async Task<PublishAttempt?> NotReadyAsync(string container, string token, CancellationToken cancellationToken)
    {
        string? code = null;
        string? status = null;
        for (var attempt = 1; attempt <= graph.Options.ContainerPollAttempts; attempt++)
        {
            var response = await graph.GetAsync(MetaMapper.Instagram, $"{Uri.EscapeDataString(container)}?fields=status_code,status", token, cancellationToken).ConfigureAwait(false);
            try
            {
                using var json = JsonDocument.Parse(response.Body);
                code = json.RootElement.Text("status_code");
                status = json.RootElement.Text("status");
            }
            catch (JsonException e)
            {
                return PublishAttempt.Transient($"the container status came back as malformed JSON ({e.Message}); nothing was published");
            }

            switch (code)
            {
                case "FINISHED":
                    return null;
                case "ERROR" or "EXPIRED":
                    return PublishAttempt.Permanent($"Instagram could not prepare the media (container {container}: {code}{(status is null ? string.Empty : ", " + status)}); check that the image URL is public and a JPEG.");
                case "PUBLISHED":
                    return PublishAttempt.Permanent($"container {container} is already PUBLISHED; not published twice.");
            }

            if (attempt < graph.Options.ContainerPollAttempts)
            {
                await Task.Delay(graph.Options.ContainerPollInterval, cancellationToken).ConfigureAwait(false);
            }
        }

        return PublishAttempt.Transient($"Instagram is still preparing the media (container {container}: {code ?? "no status_code"}); tried again later.", TimeSpan.FromMinutes(1));
    }

    private Task<IReadOnlyList<RemotePost>> MediaAsync(PlatformAccount account, CancellationToken cancellationToken) =>
        MetaPublishing.ReadAsync(graph, MetaMapper.Instagram, $"{Uri.EscapeDataString(account.Handle)}/media?fields=id,caption,timestamp,permalink", account.Secret,
            e => new RemotePost(e.Text("id")!, e.Text("permalink"), e.Text("caption") ?? string.Empty, MetaMapper.Time(e, "timestamp")), cancellationToken);
}

internal static class MetaPublishing
{
    /// <summary>Graph's refusals become the outbox's verdicts: transient (429/5xx/rate limits/timeouts) or permanent with Graph's words.</summary>
    public static async Task<PublishAttempt> AttemptAsync(Func<Task<PublishAttempt>> send)
    {
        try
        {
            return await send().ConfigureAwait(false);
        }
        catch (ConnectorException e)
        {
            return e.Kind == FailureKind.Transient ? PublishAttempt.Transient(e.Message) : PublishAttempt.Permanent(e.Message);
        }
    }

    public static async Task<string> PostIdAsync(GraphClient graph, string connector, string path, string token, Dictionary<string, string> fields, CancellationToken cancellationToken)
    {
        var response = await graph.PostAsync(connector, path, token, fields, cancellationToken).ConfigureAwait(false);
        try
        {
            using var json = JsonDocument.Parse(response.Body);
            return json.RootElement.Text("id") ?? throw new ConnectorException(connector, FailureKind.Malformed, $"{path.Split('?')[0]} answered without an id");
        }
        catch (JsonException e)
        {
            throw new ConnectorException(connector, FailureKind.Malformed, $"{path.Split('?')[0]} answered malformed JSON: {e.Message}");
        }
    }

    public static async Task<IReadOnlyList<RemotePost>> ReadAsync(GraphClient graph, string connector, string path, string token, Func<JsonElement, RemotePost> map, CancellationToken cancellationToken)
    {
        try
        {
            var response = await graph.GetAsync(connector, path + "&limit=25", token, cancellationToken).ConfigureAwait(false);
            var json = JsonPages.Read(connector, response.Body, "data");
            if (json.Errors.Count > 0)
            {
                throw new PlatformUnavailableException($"{connector} {path.Split('?')[0]}: {json.Errors[0].Reason}");
            }

            return [.. json.Items.Where(e => e.Text("id") is not null).Select(map)];
        }
        catch (ConnectorException e)
        {
            // Whatever Graph said (token, limit, outage), we cannot tell what is on the account: nothing may be sent.
            throw new PlatformUnavailableException(e.Message);
        }
    }
}
