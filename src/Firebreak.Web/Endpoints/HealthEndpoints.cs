namespace Firebreak.Web.Endpoints;

using Firebreak.Core.Ingestion;
using Firebreak.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

public static class HealthEndpoints
{
    /// <summary>Readiness: Store is where the data lives, Provider "sqlite" or "postgresql", Version that engine's version.</summary>
    public sealed record Health(string Status, string Store, string Provider, string Version, long SubmittedItems);

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health/live", () => TypedResults.Ok(new { status = "live" })).WithTags("Health");
        app.MapGet("/health/ready", ReadyAsync).WithTags("Health");
        return app;
    }

    public static async Task<Results<Ok<Health>, ProblemHttpResult>> ReadyAsync(IStoreDatabase database, IngestPipeline pipeline, CancellationToken ct)
    {
        try
        {
            var version = await database.CheckReadyAsync(ct);
            return TypedResults.Ok(new Health("ready", database.Location, database.Provider, version, pipeline.SubmittedItems));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Store unavailable", detail: ex.Message);
        }
    }
}
