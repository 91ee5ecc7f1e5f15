namespace Firebreak.Web.Endpoints;

using Firebreak.Core.Ingestion;
using Firebreak.Storage.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

public static class HealthEndpoints
{
    public sealed record Health(string Status, string Store, string SqliteVersion, long SubmittedItems);

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health/live", () => TypedResults.Ok(new { status = "live" })).WithTags("Health");
        app.MapGet("/health/ready", ReadyAsync).WithTags("Health");
        return app;
    }

    public static async Task<Results<Ok<Health>, ProblemHttpResult>> ReadyAsync(SqliteDatabase database, IngestPipeline pipeline, CancellationToken ct)
    {
        try
        {
            await using var connection = await database.OpenAsync(ct);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT sqlite_version()";
            var version = (string)(await command.ExecuteScalarAsync(ct))!;
            return TypedResults.Ok(new Health("ready", database.DatabasePath, version, pipeline.SubmittedItems));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Store unavailable", detail: ex.Message);
        }
    }
}
