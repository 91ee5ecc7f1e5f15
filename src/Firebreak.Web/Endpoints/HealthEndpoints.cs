namespace Firebreak.Web.Endpoints;

using Firebreak.Core.Ingestion;
using Firebreak.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

public static class HealthEndpoints
{
    /// <summary>Readiness: Store is where the data lives, Provider "sqlite" or "postgresql", Version that engine's version.
    /// PublisherHeartbeatAgeSeconds: since the publishing outbox's sender last beat (null: never); it informs, it does not fail readiness.</summary>
    public sealed record Health(string Status, string Store, string Provider, string Version, long SubmittedItems, double? PublisherHeartbeatAgeSeconds = null);

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health/live", () => TypedResults.Ok(new { status = "live" })).WithTags("Health");
        app.MapGet("/health/ready", ReadyAsync).WithTags("Health");
        return app;
    }

    public static async Task<Results<Ok<Health>, ProblemHttpResult>> ReadyAsync(IStoreDatabase database, IngestPipeline pipeline, HttpContext http, CancellationToken ct)
    {
        try
        {
            var version = await database.CheckReadyAsync(ct);
            var silence = http.RequestServices.GetService(typeof(Core.Publishing.Outbox.PublisherWatchdog)) is Core.Publishing.Outbox.PublisherWatchdog watchdog ? await watchdog.SilenceAsync(ct) : null;
            return TypedResults.Ok(new Health("ready", database.Location, database.Provider, version, pipeline.SubmittedItems, silence?.TotalSeconds));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Store unavailable", detail: ex.Message);
        }
    }
}
