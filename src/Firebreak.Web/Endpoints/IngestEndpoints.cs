namespace Firebreak.Web.Endpoints;

using Firebreak.Core.Security;
using Firebreak.Web.Auth;

using System.Text.Json;
using Firebreak.Core.Ingestion;
using Firebreak.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

/// <summary>
/// HTTP ingest. The answer comes only after every accepted item is committed, so a client that got a 200
/// may forget its data and one that did not must send it again — re-sending is always safe, because the
/// store is idempotent on (workspace, platform, external id).
/// </summary>
public static class IngestEndpoints
{
    public static RouteGroupBuilder MapIngestEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/workspaces/{workspace}/ingest", IngestAsync)
            .WithName("Ingest").RequireWorkspaceRole(WorkspaceRole.Responder, ingest: true).SkipAudit()
            .WithTags("Ingest")
            .WithSummary("Accepts a JSON array of mentions, a single mention object, or NDJSON (Content-Type: application/x-ndjson). Valid items are kept; each rejected item is listed with its reason.")
            .AddOpenApiOperationTransformer(async (operation, context, ct) =>
            {
                // Declared here rather than with .Accepts(), which would make the framework answer a wrong
                // content type with a bare 415 instead of our problem detail saying what to send.
                var schema = await context.GetOrCreateSchemaAsync(typeof(MentionInput[]), null, ct);
                operation.RequestBody = new Microsoft.OpenApi.OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, Microsoft.OpenApi.OpenApiMediaType>
                    {
                        ["application/json"] = new() { Schema = schema },
                        ["application/x-ndjson"] = new() { Schema = schema },
                    },
                };
            })
            .Produces<IngestResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return api;
    }

    public static async Task<IResult> IngestAsync(string workspace, HttpContext context, WorkspaceResolver resolver, IngestPipeline pipeline, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = IngestLimits.MaxRequestBytes;
        }

        var contentType = context.Request.ContentType ?? string.Empty;
        IngestReport report;
        try
        {
            if (contentType.StartsWith("application/x-ndjson", StringComparison.OrdinalIgnoreCase) || contentType.StartsWith("application/jsonl", StringComparison.OrdinalIgnoreCase))
            {
                report = await IngestNdjsonAsync(ws.Id, context.Request.Body, pipeline, ct);
            }
            else if (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) || contentType.Length == 0)
            {
                var parsed = await ParseJsonAsync(ws.Id, context.Request.Body, ct);
                if (parsed.Problem is not null)
                {
                    return parsed.Problem;
                }

                report = await pipeline.IngestAsync(parsed.Batch!, ct);
            }
            else
            {
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status415UnsupportedMediaType,
                    title: "Unsupported content type",
                    detail: $"'{contentType}' is not accepted; send application/json (an array of mentions) or application/x-ndjson (one mention per line).");
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status413PayloadTooLarge,
                title: "Request too large",
                detail: $"The body is over {IngestLimits.MaxRequestBytes / (1024 * 1024)} MiB; split it into several requests. Items already acknowledged in earlier requests are kept.");
        }
        catch (IngestStageException ex)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Ingest failed; nothing from this request was stored",
                detail: ex.Message + ". Send the same request again; it is safe to repeat.");
        }

        var response = IngestResponse.From(report);
        if (report.Accepted == 0 && report.Rejected.Count > 0)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "No item was accepted",
                detail: $"All {report.Rejected.Count} items were rejected; the first: item {report.Rejected[0].Index}{(report.Rejected[0].Line is { } line ? $" (line {line})" : string.Empty)}, {report.Rejected[0].Field}: {report.Rejected[0].Reason}",
                extensions: new Dictionary<string, object?> { ["rejected"] = response.Rejected });
        }

        return TypedResults.Ok(response);
    }

    private static async Task<IngestReport> IngestNdjsonAsync(long workspaceId, Stream body, IngestPipeline pipeline, CancellationToken ct)
    {
        var reader = new NdjsonBatchReader();
        var pending = new List<Task<IngestReport>>();
        await foreach (var batch in reader.ReadAsync(workspaceId, body, ct))
        {
            pending.Add(await pipeline.EnqueueAsync(batch, ct));
        }

        var report = IngestReport.Empty;
        foreach (var done in pending)
        {
            report = report.Add(await done);
        }

        return report;
    }

    private static async Task<(IngestBatch? Batch, IResult? Problem)> ParseJsonAsync(long workspaceId, Stream body, CancellationToken ct)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(body, new JsonDocumentOptions { MaxDepth = 32, AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip }, ct);
        }
        catch (JsonException ex)
        {
            return (null, Problems.BadRequest("Malformed JSON", $"The body is not valid JSON: {IngestJson.DescribeJsonError(ex)}. Nothing was stored.",
                new Dictionary<string, object?> { ["line"] = ex.LineNumber + 1, ["bytePositionInLine"] = ex.BytePositionInLine + 1 }));
        }
        catch (ArgumentException ex)
        {
            return (null, Problems.BadRequest("Invalid UTF-8", $"The body is not valid UTF-8 ({ex.Message}). Nothing was stored."));
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("mentions", out var wrapped) && wrapped.ValueKind == JsonValueKind.Array)
            {
                root = wrapped;
            }

            var elements = root.ValueKind switch
            {
                JsonValueKind.Array => root.EnumerateArray().ToList(),
                JsonValueKind.Object => [root],
                _ => null,
            };
            if (elements is null)
            {
                return (null, Problems.BadRequest("Unexpected JSON", $"Expected an array of mentions, a mention object or {{\"mentions\": [...]}}; found {root.ValueKind.ToString().ToLowerInvariant()}."));
            }

            if (elements.Count > IngestLimits.MaxItemsPerRequest)
            {
                return (null, TypedResults.Problem(
                    statusCode: StatusCodes.Status413PayloadTooLarge,
                    title: "Too many items",
                    detail: $"{elements.Count:N0} items in one request; the limit is {IngestLimits.MaxItemsPerRequest:N0}. Split the batch, or stream NDJSON (application/x-ndjson), which has no item limit."));
            }

            var items = new List<IngestItem>(elements.Count);
            var batch = new IngestBatch(workspaceId, items);
            for (var i = 0; i < elements.Count; i++)
            {
                var element = elements[i];
                var item = new IngestItem { Index = i };
                items.Add(item);
                if (element.ValueKind != JsonValueKind.Object)
                {
                    batch.Reject(item, $"$[{i}]", $"expected a mention object, found {element.ValueKind.ToString().ToLowerInvariant()}");
                    continue;
                }

                try
                {
                    item.Input = element.Deserialize(IngestJsonContext.Default.MentionInput);
                    item.RawPayload = element.GetRawText();
                }
                catch (JsonException ex)
                {
                    batch.Reject(item, string.IsNullOrEmpty(ex.Path) ? $"$[{i}]" : ex.Path, IngestJson.DescribeJsonError(ex));
                }
            }

            return (batch, null);
        }
    }
}
