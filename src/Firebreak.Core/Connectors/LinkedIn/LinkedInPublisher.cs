namespace Firebreak.Core.Connectors.LinkedIn;

using System.Globalization;
using System.Text;
using Firebreak.Core.Mentions;
using Firebreak.Core.Publishing;
using Firebreak.Core.Publishing.Outbox;
using Firebreak.Core.Publishing.Platforms;

/// <summary>
/// Publishing as the organisation through the Posts API (Community Management, versioned REST: <c>LinkedIn-Version</c>,
/// Rest.li 2.0.0): <c>POST /rest/posts</c> with <c>author</c> (the organisation URN), <c>commentary</c>,
/// <c>visibility</c> PUBLIC, <c>distribution.feedDistribution</c> MAIN_FEED and <c>lifecycleState</c> PUBLISHED; the
/// new post's URN comes back in the <c>x-restli-id</c> header (201). The commentary is "little" text: the reserved
/// characters are escaped, or LinkedIn silently cuts the post at the first one. There is no idempotency key, so a lost
/// answer is reconciled by reading the organisation's posts (<c>GET /rest/posts?q=author</c>, newest first) for the text.
/// Media are refused (they need the Images/Videos upload first, not built).
/// </summary>
public sealed class LinkedInPublisher(ConnectorHttp http, LinkedInOptions options) : IPlatformPublisher
{
    /// <summary>Posts read back per call.</summary>
    public const int PageSize = 20;

    public Platform Platform => Platform.LinkedIn;

    public async Task<PublishAttempt> PublishAsync(PlatformAccount account, PublishRequest request, CancellationToken cancellationToken)
    {
        if (request.MediaUrls.Count > 0)
        {
            return PublishAttempt.Permanent("Media are not supported by Firebreak's LinkedIn publisher yet (they need the Images API upload first); remove the media or post it by hand.");
        }

        var body = new
        {
            author = LinkedInConnector.OrganizationUrn(account.Handle),
            commentary = Escape(request.Text),
            visibility = "PUBLIC",
            distribution = new { feedDistribution = "MAIN_FEED", targetEntities = Array.Empty<object>(), thirdPartyDistributionChannels = Array.Empty<object>() },
            lifecycleState = "PUBLISHED",
            isReshareDisabledByAuthor = false,
        };
        try
        {
            var uri = new Uri(options.ApiBase, "rest/posts");
            var response = await LinkedInConnector.SendAsync(http, options, () => LinkedInConnector.Request(HttpMethod.Post, uri, account, options, body), cancellationToken).ConfigureAwait(false);
            using (response.Message)
            {
                return response.Header("x-restli-id") is { Length: > 0 } urn
                    ? PublishAttempt.Published(urn, PostUrl(urn))
                    : PublishAttempt.Transient("LinkedIn accepted the post but gave no x-restli-id; it is looked for on the organisation before any new attempt.");
            }
        }
        catch (ConnectorException e)
        {
            return e.Kind == FailureKind.Transient ? PublishAttempt.Transient(e.Message) : PublishAttempt.Permanent(e.Message);
        }
    }

    public async Task<RemotePost?> FindAsync(PlatformAccount account, PublishRequest request, DateTimeOffset sentSince, CancellationToken cancellationToken)
    {
        var wanted = PostText.Normalise(request.Text);
        var posts = await PostsAsync(account, cancellationToken).ConfigureAwait(false);
        return posts.FirstOrDefault(p => (p.CreatedAt is null || p.CreatedAt >= sentSince.AddMinutes(-1)) && PostText.Normalise(p.Text) == wanted);
    }

    public async Task<ReadBack> ReadBackAsync(PlatformAccount account, string? checkpoint, CancellationToken cancellationToken)
    {
        // The checkpoint is the newest post's creation time in Unix milliseconds; posts are URNs, which do not sort by time.
        long? since = long.TryParse(checkpoint, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) ? ms : null;
        var all = await PostsAsync(account, cancellationToken).ConfigureAwait(false);
        if (since is null)
        {
            // First read: only set the checkpoint; what was there before Firebreak watched is not an alarm.
            var first = all.Max(p => p.CreatedAt);
            return new ReadBack([], first?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) ?? checkpoint);
        }

        var newer = all.Where(p => p.CreatedAt?.ToUnixTimeMilliseconds() > since).OrderByDescending(p => p.CreatedAt).ToList();
        return new ReadBack(newer, newer.Count > 0 ? newer[0].CreatedAt!.Value.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) : checkpoint);
    }

    /// <summary>
    /// Text as "little" commentary: <c>\ | { } @ [ ] ( ) &lt; &gt; # * _ ~</c> are reserved and escaped with a backslash,
    /// except <c>#</c> starting a word, which stays a hashtag (the brand means it to be one).
    /// </summary>
    public static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var hashtag = c == '#' && i + 1 < text.Length && char.IsLetterOrDigit(text[i + 1]) && (i == 0 || !char.IsLetterOrDigit(text[i - 1]));
            if (!hashtag && Reserved.Contains(c))
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>The inverse of <see cref="Escape"/>: LinkedIn gives commentary back in the little format.</summary>
    public static string Unescape(string commentary)
    {
        var builder = new StringBuilder(commentary.Length);
        for (var i = 0; i < commentary.Length; i++)
        {
            if (commentary[i] == '\\' && i + 1 < commentary.Length && Reserved.Contains(commentary[i + 1]))
            {
                i++;
            }

            builder.Append(commentary[i]);
        }

        return builder.ToString();
    }

    private const string Reserved = "\\|{}@[]()<>#*_~";

    private static string PostUrl(string urn) => "https://www.linkedin.com/feed/update/" + urn;

    private async Task<IReadOnlyList<RemotePost>> PostsAsync(PlatformAccount account, CancellationToken cancellationToken)
    {
        var org = LinkedInConnector.OrganizationUrn(account.Handle);
        var uri = new Uri(options.ApiBase, $"rest/posts?author={Uri.EscapeDataString(org)}&q=author&count={PageSize}&start=0&sortBy=CREATED");
        try
        {
            var response = await LinkedInConnector.SendAsync(http, options, () => LinkedInConnector.Request(HttpMethod.Get, uri, account, options), cancellationToken).ConfigureAwait(false);
            using (response.Message)
            {
                var json = JsonPages.Read(LinkedInConnector.Name, response.Body, "elements");
                if (json.Errors.Count > 0)
                {
                    throw new PlatformUnavailableException($"LinkedIn /rest/posts: {json.Errors[0].Reason}");
                }

                return [.. json.Items.Where(p => p.Text("id") is not null).Select(p => new RemotePost(
                    p.Text("id")!,
                    PostUrl(p.Text("id")!),
                    Unescape(p.Text("commentary") ?? string.Empty),
                    (p.Number("publishedAt") ?? p.Number("createdAt")) is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null))];
            }
        }
        catch (ConnectorException e)
        {
            // Whatever LinkedIn said (token, version, outage), we cannot tell what is on the organisation: nothing may be sent.
            throw new PlatformUnavailableException(e.Message);
        }
    }
}
