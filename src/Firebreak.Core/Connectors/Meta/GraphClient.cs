namespace Firebreak.Core.Connectors.Meta;

using System.Globalization;
using System.Text;
using System.Text.Json;

/// <summary>Where the Graph API is and how long a rate-limit wait may last within one call.</summary>
public sealed class GraphOptions
{
    /// <summary>
    /// The one Graph API version Firebreak targets. Meta retires a version about two years after release; moving to the
    /// next one is this line (and re-reading the changelog for the fields used in Connectors/Meta).
    /// </summary>
    public const string Version = "v21.0";

    /// <summary>graph.facebook.com; tests point it at a loopback stub.</summary>
    public Uri BaseUri { get; set; } = new("https://graph.facebook.com/");

    /// <summary>Graph objects per page (the edges used here accept up to 100).</summary>
    public int PageLimit { get; set; } = 50;

    /// <summary>At most this many pages are read per edge in one pass (a backlog is read over several passes).</summary>
    public int MaxPages { get; set; } = 20;

    /// <summary>
    /// How often, and how many times, an IG media container's <c>status_code</c> is read before <c>media_publish</c>
    /// (Meta: publish only a FINISHED container; images are usually ready at once, video takes longer).
    /// </summary>
    public TimeSpan ContainerPollInterval { get; set; } = TimeSpan.FromSeconds(3);

    public int ContainerPollAttempts { get; set; } = 10;

    public Uri VersionedBase => new(BaseUri, Version + "/");
}

/// <summary>A successful Graph answer: the body, and the API version Graph says it served (a retired version is silently upgraded).</summary>
public sealed record GraphResponse(byte[] Body, string? ServedVersion)
{
    /// <summary>A warning when Graph served another version than the one asked for: the targeted version is retired or about to be.</summary>
    public ItemError? VersionWarning(string connector) =>
        ServedVersion is { Length: > 0 } served && !string.Equals(served, GraphOptions.Version, StringComparison.OrdinalIgnoreCase)
            ? new ItemError(connector, "api version", $"Graph answered with {served} while Firebreak asks for {GraphOptions.Version}: that version is retired or deprecated; update GraphOptions.Version")
            : null;
}

/// <summary>Graph's error object: <c>{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}</c>.</summary>
public sealed record GraphError(int Code, int? Subcode, string Message, string? Type, string? TraceId)
{
    public static GraphError? Parse(byte[] body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.Child("error") is not { } e)
            {
                return null;
            }

            return new GraphError((int)(e.Number("code") ?? 0), (int?)e.Number("error_subcode"), e.Text("message") ?? "(no message)", e.Text("type"), e.Text("fbtrace_id"))
            {
                IsTransient = e.TryGetProperty("is_transient", out var transient) && transient.ValueKind == JsonValueKind.True,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Codes that mean "slow down": app (4), user (17), API-level (32), action (613) and business use case (80001–80014) limits.</summary>
    public bool IsRateLimit => Code is 4 or 17 or 32 or 613 || Code is >= 80001 and <= 80014;

    /// <summary>
    /// Graph's own "try again" signals: <c>is_transient: true</c>, codes 1/2 (unknown/service error) and Instagram's -1/-2
    /// (server error, media download timeout; Instagram Platform "Error Codes" reference).
    /// </summary>
    public bool IsTransient { get; init; }

    public bool IsRetryable => IsTransient || Code is 1 or 2 or -1 or -2;

    /// <summary>Code 190: the access token is expired, was invalidated (password change) or is not valid.</summary>
    public bool IsTokenProblem => Code == 190;

    /// <summary>Codes 10 and 200–299: the token works but lacks the permission (or a page role) for this call.</summary>
    public bool IsPermission => Code is 10 or (>= 200 and <= 299);

    /// <summary>The known Graph texts that mean a user token was sent where a page token is needed.</summary>
    public bool IsUserTokenForPage =>
        Message.Contains("Page Access Token", StringComparison.OrdinalIgnoreCase)
        || Message.Contains("page access token", StringComparison.OrdinalIgnoreCase);

    public string Describe() => $"Graph error {Code}{(Subcode is { } s ? "/" + s.ToString(CultureInfo.InvariantCulture) : string.Empty)}: {Message}" + (TraceId is null ? string.Empty : $" (fbtrace_id {TraceId})");
}

/// <summary>
/// The Graph API (Facebook Pages and Instagram Graph API for Business), version <see cref="GraphOptions.Version"/>.
/// Graph answers most errors with HTTP 400 and the real reason in the error object, so the generic
/// <see cref="ConnectorHttp"/> classification (by status) cannot be used: this client classifies by Graph's error code.
/// 190 → <see cref="FailureKind.Revoked"/> (with the subcode's meaning: 463 expired, 460 password changed, 467 invalid);
/// 4/17/32/613/80001–80014 and 429 → waits Retry-After or the largest <c>estimated_time_to_regain_access</c> of the
/// <c>X-Business-Use-Case-Usage</c> header (minutes), within <see cref="ConnectorHttpOptions.MaxRateLimitWait"/>, else a
/// transient failure; 10/200–299 → <see cref="FailureKind.Forbidden"/>, and a user token used where a page token is
/// needed says exactly that; 5xx, code 1/2 (Graph's "unknown"/"service" errors), Instagram's -1/-2, <c>is_transient: true</c>,
/// timeouts → backoff and retry.
/// The token travels as the <c>access_token</c> query parameter (form field on POST), as Graph documents; it is never logged.
/// </summary>
public sealed class GraphClient(HttpClient client, ConnectorHttpOptions options, GraphOptions graph, TimeProvider clock)
{
    public GraphOptions Options => graph;

    /// <summary>GET <paramref name="path"/> (relative to the versioned base, query included, without the token).</summary>
    public Task<GraphResponse> GetAsync(string connector, string path, string token, CancellationToken cancellationToken) =>
        SendAsync(connector, () => new HttpRequestMessage(HttpMethod.Get, Url(path, token)), cancellationToken);

    /// <summary>POST form fields to <paramref name="path"/>; the token is added as the <c>access_token</c> field.</summary>
    public Task<GraphResponse> PostAsync(string connector, string path, string token, IReadOnlyDictionary<string, string> fields, CancellationToken cancellationToken) =>
        SendAsync(connector, () => new HttpRequestMessage(HttpMethod.Post, new Uri(graph.VersionedBase, path))
        {
            Content = new FormUrlEncodedContent(fields.Append(new KeyValuePair<string, string>("access_token", token))),
        }, cancellationToken);

    /// <summary>The "after" cursor of a Graph page, when another page follows (<c>paging.next</c> present). The next URL itself is not followed: it names a host and carries the token, and we only call our configured base.</summary>
    public static string? NextCursor(JsonElement? root) =>
        root is { } r && r.Child("paging") is { } paging && paging.Text("next") is not null && paging.Child("cursors") is { } cursors ? cursors.Text("after") : null;

    private Uri Url(string path, string token)
    {
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return new Uri(graph.VersionedBase, $"{path}{separator}access_token={Uri.EscapeDataString(token)}");
    }

    private async Task<GraphResponse> SendAsync(string connector, Func<HttpRequestMessage> build, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var request = build();
            var endpoint = request.RequestUri!.AbsolutePath;
            HttpResponseMessage response;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Timeout);
            byte[] body;
            try
            {
                response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                body = await ReadBoundedAsync(connector, response, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                if (attempt >= options.MaxAttempts || !ConnectorHttp.MayRepeat(request, e))
                {
                    throw new ConnectorException(connector, FailureKind.Transient, $"Graph did not answer {endpoint} after {attempt} tries ({e.Message}){ConnectorHttp.NotRepeated(request)}", null, e) { Uncertain = !ConnectorHttp.MayRepeat(request, null) };
                }

                await Task.Delay(Backoff(attempt), clock, cancellationToken).ConfigureAwait(false);
                continue;
            }

            using (response)
            {
                var status = (int)response.StatusCode;
                var version = Header(response, "facebook-api-version") ?? Header(response, "x-fb-api-version");
                if (status is >= 200 and < 300)
                {
                    return new GraphResponse(body, version);
                }

                var error = GraphError.Parse(body);
                if (status == 429 || error is { IsRateLimit: true })
                {
                    var wait = RateLimitWait(response) ?? Backoff(attempt);
                    if (attempt >= options.MaxAttempts || wait > options.MaxRateLimitWait)
                    {
                        throw new ConnectorException(connector, FailureKind.Transient,
                            $"rate limited by Graph ({error?.Describe() ?? status.ToString(CultureInfo.InvariantCulture)}); Meta asks to wait {wait.TotalMinutes:0.#} min{UsageNote(response)}", status);
                    }

                    await Task.Delay(wait, clock, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (status >= 500 || error is { IsRetryable: true })
                {
                    // A 4xx carrying Graph's own "try again" error is a clear answer that nothing was done: safe to repeat
                    // even for a POST. A 5xx may come after the write, so a POST is not repeated blind.
                    var clearRefusal = status < 500 && error is not null;
                    if (attempt >= options.MaxAttempts || !(clearRefusal || ConnectorHttp.MayRepeat(request, null)))
                    {
                        throw new ConnectorException(connector, FailureKind.Transient, $"Graph server error {status} after {attempt} tries{(error is null ? string.Empty : ": " + error.Describe())}{(clearRefusal ? string.Empty : ConnectorHttp.NotRepeated(request))}", status) { Uncertain = !clearRefusal && !ConnectorHttp.MayRepeat(request, null) };
                    }

                    await Task.Delay(Backoff(attempt), clock, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                throw Classify(connector, status, error, body);
            }
        }
    }

    /// <summary>Turns a Graph error into what the runner and the admin need: revoked, forbidden (with the page-token hint) or rejected.</summary>
    public static ConnectorException Classify(string connector, int status, GraphError? error, byte[] body)
    {
        if (error is null)
        {
            var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 500));
            return status is 401
                ? new ConnectorException(connector, FailureKind.Revoked, "401 without a Graph error object: the token was refused; reconnect the account", status)
                : new ConnectorException(connector, FailureKind.Rejected, $"{status} without a Graph error object: {text}", status);
        }

        if (error.IsUserTokenForPage)
        {
            return new ConnectorException(connector, FailureKind.Forbidden,
                $"this connection holds a USER access token, but this call needs the PAGE access token. Reconnect the Page (Firebreak exchanges the user token for the page token via GET /{{page-id}}?fields=access_token), or paste the page token. ({error.Describe()})", status);
        }

        if (error.IsTokenProblem)
        {
            var why = error.Subcode switch
            {
                463 => "the access token expired",
                460 => "the access token was invalidated because the account's password changed",
                467 => "the access token is invalid (logged out or revoked)",
                458 => "the app was removed from the account",
                _ => "the access token was refused",
            };
            return new ConnectorException(connector, FailureKind.Revoked, $"{why}; reconnect the account under Connections. ({error.Describe()})", status);
        }

        return error.IsPermission
            ? new ConnectorException(connector, FailureKind.Forbidden, $"the token lacks the permission or page role for this call (grant it in the app's login, e.g. pages_read_engagement, instagram_manage_comments). ({error.Describe()})", status)
            : new ConnectorException(connector, FailureKind.Rejected, error.Describe(), status);
    }

    /// <summary>Retry-After, else the longest <c>estimated_time_to_regain_access</c> (minutes) in X-Business-Use-Case-Usage.</summary>
    public TimeSpan? RateLimitWait(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter is { } retry)
        {
            if (retry.Delta is { } delta)
            {
                return delta;
            }

            if (retry.Date is { } date)
            {
                var wait = date - clock.GetUtcNow();
                return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
            }
        }

        return BusinessUseCaseWait(Header(response, "X-Business-Use-Case-Usage"));
    }

    /// <summary>The header is <c>{"&lt;business-id&gt;": [{"type", "call_count", "total_cputime", "total_time", "estimated_time_to_regain_access"}]}</c>.</summary>
    public static TimeSpan? BusinessUseCaseWait(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(header);
            long? minutes = null;
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            foreach (var business in json.RootElement.EnumerateObject())
            {
                if (business.Value.ValueKind != JsonValueKind.Array)
                {
                    continue;
                }

                foreach (var usage in business.Value.EnumerateArray())
                {
                    if (usage.Number("estimated_time_to_regain_access") is { } m && (minutes is null || m > minutes))
                    {
                        minutes = m;
                    }
                }
            }

            return minutes is { } found ? TimeSpan.FromMinutes(found) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string UsageNote(HttpResponseMessage response) =>
        Header(response, "X-App-Usage") is { } app ? $" (X-App-Usage {app})" : string.Empty;

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private TimeSpan Backoff(int attempt) => ConnectorHttp.Backoff(options, attempt);

    private Task<byte[]> ReadBoundedAsync(string connector, HttpResponseMessage response, CancellationToken cancellationToken) =>
        ConnectorHttp.ReadBoundedAsync(options, connector, response, cancellationToken);
}
