namespace Firebreak.Core.Connectors.LinkedIn;

using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;
using Firebreak.Core.Publishing;
using Firebreak.Core.Workspaces;

/// <summary>LinkedIn settings. <see cref="Version"/> is the monthly API version (LinkedIn retires each about a year after release).</summary>
public sealed class LinkedInOptions
{
    public Uri ApiBase { get; set; } = new("https://api.linkedin.com/");

    /// <summary>
    /// The <c>LinkedIn-Version</c> header (YYYYMM). Each monthly version is supported for at least a year, then answered
    /// 426. 202607 (July 2026) is the newest version the documentation found names (learn.microsoft.com/linkedin/marketing/versioning
    /// and its migrations table: 202510 was sunset on October 15, 2026). Bump it when LinkedIn's migrations page says so.
    /// </summary>
    public string Version { get; set; } = "202607";

    /// <summary>The OAuth 2 token endpoint (refresh_token grant; access tokens last 60 days, refresh tokens 365).</summary>
    public Uri TokenUri { get; set; } = new("https://www.linkedin.com/oauth/v2/accessToken");

    public string ClientId { get; set; } = string.Empty;

    public string ClientSecret { get; set; } = string.Empty;

    /// <summary>How many of the organisation's newest posts have their comments read each pass.</summary>
    public int PostWindow { get; set; } = 20;

    /// <summary>Comment pages (50 each) read per post per pass.</summary>
    public int MaxCommentPages { get; set; } = 5;
}

/// <summary>
/// LinkedIn listening through the Community Management API (versioned REST, <c>LinkedIn-Version</c> header,
/// Rest.li protocol 2.0.0). An Account source (target: the organisation id or <c>urn:li:organization:…</c>) reads the
/// comments on the organisation's newest posts: <c>GET /rest/posts?q=author&amp;author=…</c>, then
/// <c>GET /rest/socialActions/{postUrn}/comments</c> (paging start/count up to <c>paging.total</c>). LinkedIn has no
/// public keyword search, so Query sources are refused. Checkpoint: <see cref="TimeCheckpoint"/> on <c>created.time</c>.
/// </summary>
public sealed class LinkedInConnector(ConnectorHttp http, LinkedInOptions options) : IListeningConnector
{
    public const string Name = "linkedin";

    public Platform Platform => Platform.LinkedIn;

    public bool Streams(Source source) => false;

    public string? Unsupported(Source source) => source.Kind == SourceKind.Account
        ? null
        : "LinkedIn sources are an organisation (comments on its posts): LinkedIn offers no keyword or hashtag search to apps";

    public static string OrganizationUrn(string target)
    {
        var t = target.Trim();
        return t.StartsWith("urn:li:", StringComparison.Ordinal) ? t : "urn:li:organization:" + t;
    }

    public async IAsyncEnumerable<ListenPage> ListenAsync(ListenRequest request, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var since = TimeCheckpoint.Parse(request.Checkpoint);
        yield return await ReadAsync(request, since, cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<ListenPage> BackfillAsync(ListenRequest request, DateTimeOffset from, DateTimeOffset to, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return TimeCheckpoint.InRange(await ReadAsync(request, from, cancellationToken).ConfigureAwait(false), from, to);
    }

    private async Task<ListenPage> ReadAsync(ListenRequest request, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        var account = request.Account ?? throw new ConnectorException(Name, FailureKind.Rejected, "no LinkedIn account is connected in this workspace: connect an administrator of the organisation under Connections");
        var org = OrganizationUrn(request.Source.Target);
        var errors = new PassErrors();
        var items = new List<MentionInput>();
        var posts = await GetAsync(account, $"rest/posts?author={Uri.EscapeDataString(org)}&q=author&count={options.PostWindow}&start=0&sortBy=LAST_MODIFIED", cancellationToken).ConfigureAwait(false);
        errors.AddPage(posts.Errors, "posts");
        foreach (var post in posts.Items)
        {
            if (post.Text("id") is not { } postUrn)
            {
                continue;
            }

            for (int start = 0, page = 1; page <= options.MaxCommentPages; page++)
            {
                var comments = await GetAsync(account, $"rest/socialActions/{Uri.EscapeDataString(postUrn)}/comments?start={start}&count=50", cancellationToken).ConfigureAwait(false);
                errors.AddPage(comments.Errors, $"comments of {postUrn} page {page}");
                for (var i = 0; i < comments.Items.Count; i++)
                {
                    if (LinkedInMapper.Comment(comments.Items[i], postUrn, org, $"comments of {postUrn} page {page} item {i + 1}", errors) is { } item && (since is null || item.CreatedAt >= since))
                    {
                        items.Add(item);
                    }
                }

                start += comments.Items.Count;
                var total = comments.Root?.Child("paging")?.Number("total");
                if (comments.Errors.Count > 0 || comments.Items.Count == 0 || total is null || start >= total)
                {
                    break;
                }

                if (page == options.MaxCommentPages)
                {
                    errors.Add(new ItemError(Name, $"comments of {postUrn}", $"{total - start} comments past page {page} were not read (raise LinkedInOptions.MaxCommentPages)"));
                }
            }
        }

        return TimeCheckpoint.Page(items, since, errors);
    }

    private async Task<JsonItems> GetAsync(PlatformAccount account, string path, CancellationToken cancellationToken)
    {
        var uri = new Uri(options.ApiBase, path);
        var response = await SendAsync(http, options, () => Request(HttpMethod.Get, uri, account, options), cancellationToken).ConfigureAwait(false);
        using (response.Message)
        {
            return JsonPages.Read(Name, response.Body, "elements");
        }
    }

    /// <summary>Every LinkedIn call: a retired <c>LinkedIn-Version</c> (426, or 400 NONEXISTENT_VERSION) becomes a message saying what to change.</summary>
    public static async Task<ConnectorResponse> SendAsync(ConnectorHttp http, LinkedInOptions options, Func<HttpRequestMessage> build, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(Name, build, cancellationToken).ConfigureAwait(false);
        }
        catch (ConnectorException e) when (e.Kind == FailureKind.Rejected && (e.Status == 426 || e.Message.Contains("NONEXISTENT_VERSION", StringComparison.Ordinal)))
        {
            throw new ConnectorException(Name, FailureKind.Rejected,
                $"LinkedIn API version {options.Version} is no longer supported (LinkedIn retires versions about a year after release): set Connectors:LinkedIn:Version to a current YYYYMM. {e.Message}", e.Status, e);
        }
    }

    public static HttpRequestMessage Request(HttpMethod method, Uri uri, PlatformAccount account, LinkedInOptions options, object? json = null)
    {
        var message = new HttpRequestMessage(method, uri) { Content = json is null ? null : JsonContent.Create(json) };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", account.Secret);
        message.Headers.Add("LinkedIn-Version", options.Version);
        message.Headers.Add("X-Restli-Protocol-Version", "2.0.0");
        return message;
    }
}

/// <summary>Maps Community Management API comments to pipeline input; URNs are the external ids.</summary>
public static class LinkedInMapper
{
    /// <summary>
    /// A comment: external id its <c>commentUrn</c> (<c>urn:li:comment:(urn:li:activity:…,…)</c>), parent the parent
    /// comment or the post, thread the post, author the actor URN (member names need a separate, restricted lookup),
    /// likes from <c>likesSummary</c>. The organisation's own comments are skipped (they are our replies).
    /// </summary>
    public static MentionInput? Comment(JsonElement c, string postUrn, string orgUrn, string position, List<ItemError> errors)
    {
        var urn = c.Text("commentUrn") ?? c.Text("$URN");
        var time = c.Child("created")?.Number("time");
        var actor = c.Text("actor") ?? c.Child("created")?.Text("actor");
        if (urn is null || time is null || actor is null)
        {
            errors.Add(new ItemError(LinkedInConnector.Name, position, "a comment without commentUrn, created.time or actor"));
            return null;
        }

        if (actor == orgUrn)
        {
            return null;
        }

        var parent = c.Text("parentComment");
        return new MentionInput
        {
            Platform = LinkedInConnector.Name,
            ExternalId = urn,
            Kind = parent is null ? "comment" : "reply",
            Author = new AuthorInput { Handle = actor },
            Text = c.Child("message")?.Text("text") ?? string.Empty,
            Url = $"https://www.linkedin.com/feed/update/{postUrn}?commentUrn={Uri.EscapeDataString(urn)}",
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(time.Value),
            Engagement = new EngagementInput { Likes = c.Child("likesSummary")?.Number("totalLikes"), Replies = c.Child("commentsSummary")?.Number("aggregatedTotalComments") },
            ParentExternalId = parent ?? postUrn,
            ThreadExternalId = postUrn,
        };
    }

    /// <summary>The activity a comment URN belongs to: <c>urn:li:comment:(urn:li:activity:1,2)</c> → <c>urn:li:activity:1</c>.</summary>
    public static string? ActivityOf(string commentUrn)
    {
        const string Prefix = "urn:li:comment:(";
        if (!commentUrn.StartsWith(Prefix, StringComparison.Ordinal) || !commentUrn.EndsWith(')'))
        {
            return null;
        }

        var inner = commentUrn[Prefix.Length..^1];
        var comma = inner.LastIndexOf(',');
        return comma > 0 ? inner[..comma] : null;
    }
}

/// <summary>
/// Replies to a comment as the organisation: <c>POST /rest/socialActions/{commentUrn}/comments</c> with <c>actor</c>
/// (the organisation), <c>object</c> (the activity), <c>parentComment</c> and <c>message.text</c>. The new comment's
/// URN comes back in the <c>x-restli-id</c> header (or the body). No idempotency key exists on this API, so each send
/// is preceded by a read-back of the comment's replies (<see cref="LinkedInReplyReadBack"/>, <see cref="ReconciledReply"/>).
/// </summary>
public sealed class LinkedInReplySender(ConnectorHttp http, LinkedInOptions options) : IReplySender
{
    public Platform Platform => Platform.LinkedIn;

    public Task<ReplyResult> SendAsync(PlatformAccount account, ReplyRequest reply, CancellationToken cancellationToken) =>
        ReconciledReply.SendOnceAsync(
            LinkedInConnector.Name,
            token => LinkedInReplyReadBack.FindAsync(http, options, account, reply, token),
            token => PostAsync(account, reply, token),
            cancellationToken);

    private async Task<ReplyResult> PostAsync(PlatformAccount account, ReplyRequest reply, CancellationToken cancellationToken)
    {
        var activity = LinkedInMapper.ActivityOf(reply.InReplyToExternalId)
            ?? throw new ConnectorException(LinkedInConnector.Name, FailureKind.Rejected, $"only comments can be replied to on LinkedIn; {reply.InReplyToExternalId} is not a comment URN");
        var body = new { actor = LinkedInConnector.OrganizationUrn(account.Handle), @object = activity, parentComment = reply.InReplyToExternalId, message = new { text = reply.Text } };
        var uri = new Uri(options.ApiBase, $"rest/socialActions/{Uri.EscapeDataString(reply.InReplyToExternalId)}/comments");
        var response = await LinkedInConnector.SendAsync(http, options, () => LinkedInConnector.Request(HttpMethod.Post, uri, account, options, body), cancellationToken).ConfigureAwait(false);
        using (response.Message)
        {
            var id = response.Header("x-restli-id");
            if (id is null && response.Body.Length > 0)
            {
                var json = JsonPages.Read(LinkedInConnector.Name, [(byte)'[', .. response.Body, (byte)']'], null);
                id = json.Items.Count == 1 ? json.Items[0].Text("commentUrn") ?? json.Items[0].Text("$URN") : null;
            }

            return id is null
                ? throw new ConnectorException(LinkedInConnector.Name, FailureKind.Malformed, "the reply was created but LinkedIn returned no comment URN")
                : new ReplyResult(id, null);
        }
    }
}
