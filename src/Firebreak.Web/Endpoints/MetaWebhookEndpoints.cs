namespace Firebreak.Web.Endpoints;

using Firebreak.Core.Connectors.Meta;
using Firebreak.Web.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

/// <summary>
/// Meta's webhook callback (Facebook Pages and Instagram). Anonymous BY DESIGN: Meta's servers cannot sign in, and no
/// workspace appears in the URL Meta is given. The GET handshake is checked against a workspace's verify token and
/// every POST is authenticated by its <c>X-Hub-Signature-256</c> HMAC with a connected app secret
/// (<see cref="MetaWebhook"/>); an unsigned or wrongly signed body is refused before anything in it is used, and only
/// the workspaces whose app secret signed it receive its entries. No cookie session is involved, so anti-forgery
/// does not apply; the access middleware's audit is skipped because deliveries are data, not configuration.
/// </summary>
public static class MetaWebhookEndpoints
{
    public static RouteGroupBuilder MapMetaWebhookEndpoints(this RouteGroupBuilder api)
    {
        var hooks = api.MapGroup("/webhooks").WithTags("Webhooks");
        hooks.MapGet("/meta", Handshake).WithName("MetaWebhookHandshake").AllowAnonymousAccess().SkipAudit()
            .WithSummary("Meta's subscription handshake: ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=… → the challenge, when the verify token is a connected Meta app's.");
        hooks.MapPost("/meta", ReceiveAsync).WithName("MetaWebhook").AllowAnonymousAccess().SkipAudit()
            .WithSummary("Meta's change notifications (object page: feed, mention; object instagram: comments, mentions), authenticated by X-Hub-Signature-256 (HMAC-SHA256 of the raw body with the app secret); 401 unsigned, 403 bad signature, 413 over 1 MiB, 503 when an Instagram @mention could not be fetched yet (Meta redelivers).");
        return api;
    }

    public static async Task<IResult> Handshake(HttpContext http, MetaWebhook webhook, CancellationToken ct)
    {
        var q = http.Request.Query;
        return await webhook.HandshakeAsync(q["hub.mode"], q["hub.verify_token"], q["hub.challenge"], ct) is { } challenge
            ? Results.Text(challenge, "text/plain")
            : Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Verification refused", detail: "hub.mode must be subscribe and hub.verify_token must be the verify token of a connected Meta app (connection platform other, handle meta-app).");
    }

    public static async Task<IResult> ReceiveAsync(HttpContext http, MetaWebhook webhook, CancellationToken ct)
    {
        if (http.Request.ContentLength > MetaWebhook.MaxBodyBytes)
        {
            return TooLarge();
        }

        // The signature covers the exact bytes: read them raw (bounded), never re-serialise.
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MetaWebhook.MaxBodyBytes)
            {
                return TooLarge();
            }

            buffer.Write(chunk, 0, read);
        }

        var result = await webhook.ReceiveAsync(buffer.ToArray(), http.Request.Headers["X-Hub-Signature-256"], ct);
        return result.Verdict switch
        {
            WebhookVerdict.Accepted => Results.Ok(new { received = result.Received, inserted = result.Inserted }),
            WebhookVerdict.MissingSignature => Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Signature required", detail: result.Detail),
            WebhookVerdict.BadSignature => Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Bad signature", detail: result.Detail),
            // Meta redelivers a failed notification; what was ingested from this one is stored once when it comes again.
            WebhookVerdict.RetryLater => Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Try again later", detail: result.Detail),
            _ => Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not a Meta webhook payload", detail: result.Detail),
        };
    }

    private static IResult TooLarge() =>
        Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Body too large", detail: $"Meta webhook deliveries are at most {MetaWebhook.MaxBodyBytes:N0} bytes here.");
}
