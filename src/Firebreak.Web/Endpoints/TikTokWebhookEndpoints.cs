namespace Firebreak.Web.Endpoints;

using Firebreak.Core.Connectors.TikTok;
using Firebreak.Web.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

/// <summary>
/// TikTok's webhook callback. Anonymous BY DESIGN, like Meta's: TikTok's servers cannot sign in. Every delivery is
/// authenticated by its <c>TikTok-Signature</c> (HMAC-SHA256 with the operator's app client secret, timestamped against
/// replays) before anything in it is used (<see cref="TikTokWebhook"/>). Deliveries are data, not configuration, so the
/// access middleware's audit is skipped; a revocation it causes is raised as an alert.
/// </summary>
public static class TikTokWebhookEndpoints
{
    public static RouteGroupBuilder MapTikTokWebhookEndpoints(this RouteGroupBuilder api)
    {
        api.MapGroup("/webhooks").WithTags("Webhooks").MapPost("/tiktok", ReceiveAsync).WithName("TikTokWebhook").AllowAnonymousAccess().SkipAudit()
            .WithSummary("TikTok for Developers events (authorization.removed marks the TikTok connection with that open_id revoked at once), authenticated by TikTok-Signature t=…,s=… (HMAC-SHA256 of \"t.body\" with the client secret; 5-minute replay window); 401 unsigned, 403 bad or stale signature, 413 over 64 KiB.");
        return api;
    }

    public static async Task<IResult> ReceiveAsync(HttpContext http, TikTokWebhook webhook, CancellationToken ct)
    {
        if (http.Request.ContentLength > TikTokWebhook.MaxBodyBytes)
        {
            return TooLarge();
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8 * 1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > TikTokWebhook.MaxBodyBytes)
            {
                return TooLarge();
            }

            buffer.Write(chunk, 0, read);
        }

        var (verdict, detail, revoked) = await webhook.ReceiveAsync(buffer.ToArray(), http.Request.Headers["TikTok-Signature"], ct);
        return verdict switch
        {
            TikTokWebhookVerdict.Accepted => Results.Ok(new { revoked }),
            TikTokWebhookVerdict.MissingSignature => Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Signature required", detail: detail),
            TikTokWebhookVerdict.BadSignature => Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Bad signature", detail: detail),
            _ => Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not a TikTok webhook payload", detail: detail),
        };
    }

    private static IResult TooLarge() =>
        Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Body too large", detail: $"TikTok webhook deliveries are at most {TikTokWebhook.MaxBodyBytes:N0} bytes here.");
}
