namespace Firebreak.Web.Endpoints;

using Firebreak.Core.Topics.Query;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

/// <summary>RFC 7807 problem details with messages that say what is wrong and what to do.</summary>
internal static class Problems
{
    public static ProblemHttpResult WorkspaceNotFound(string slug) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Workspace not found",
        detail: $"No workspace '{slug}'. List them with GET /api/workspaces or create one with POST /api/workspaces.");

    public static ProblemHttpResult NotFound(string what, long id) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: $"{what} not found",
        detail: $"No {what.ToLowerInvariant()} with id {id} in this workspace.");

    public static ProblemHttpResult Conflict(string detail) => TypedResults.Problem(
        statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail);

    public static ProblemHttpResult BadRequest(string title, string detail, IDictionary<string, object?>? extensions = null) => TypedResults.Problem(
        statusCode: StatusCodes.Status400BadRequest, title: title, detail: detail, extensions: extensions);

    public static ProblemHttpResult Query(string parameter, QueryError error) => TypedResults.Problem(
        statusCode: StatusCodes.Status400BadRequest,
        title: "Invalid query",
        detail: $"{parameter}: {error.Message}",
        extensions: new Dictionary<string, object?>
        {
            ["parameter"] = parameter,
            ["position"] = error.Position,
            ["length"] = error.Length,
            ["expected"] = error.Expected,
        });

    public static ValidationProblem Validation(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });
}
