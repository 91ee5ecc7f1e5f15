namespace Firebreak.Web.Endpoints;

using Firebreak.Core.Security;
using Firebreak.Web.Auth;

using System.Globalization;
using System.Text;
using System.Text.Json;
using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;
using Firebreak.Core.Topics;
using Firebreak.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

public static class MentionEndpoints
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    public static RouteGroupBuilder MapMentionEndpoints(this RouteGroupBuilder api)
    {
        var mentions = api.MapGroup("/workspaces/{workspace}").WithTags("Mentions");
        mentions.MapGet("/mentions", ListAsync).WithName("ListMentions").RequireWorkspaceRole(WorkspaceRole.Viewer)
            .WithSummary("Mentions newest first; filters combine with AND; q is a query in the topic query language; page with cursor.");
        mentions.MapGet("/mentions/{id:long}", GetAsync).WithName("GetMention").RequireWorkspaceRole(WorkspaceRole.Viewer);
        mentions.MapGet("/mentions/export", ExportAsync).WithName("ExportMentions").RequireWorkspaceRole(WorkspaceRole.Viewer)
            .WithSummary("Streams every mention matching the filters as NDJSON (format=ndjson, default) or CSV (format=csv).");
        mentions.MapGet("/mentions/stream", StreamAsync).WithName("StreamMentions").RequireWorkspaceRole(WorkspaceRole.Viewer)
            .WithSummary("Server-sent events: each committed mention as it arrives (optionally only one topic's).");
        mentions.MapGet("/series", SeriesAsync).WithName("WorkspaceSeries").RequireWorkspaceRole(WorkspaceRole.Viewer).WithTags("Series");
        mentions.MapGet("/topics/{id:long}/series", TopicSeriesAsync).WithName("TopicSeries").RequireWorkspaceRole(WorkspaceRole.Viewer).WithTags("Series");
        return api;
    }

    public static async Task<Results<Ok<MentionPageDto>, ValidationProblem, ProblemHttpResult>> ListAsync(
        string workspace, HttpRequest request, WorkspaceResolver resolver, ITopicStore topics, IMentionReader reader, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        var (filter, errors, queryError) = MentionFilterBinder.Bind(request.Query);
        var limit = DefaultPageSize;
        if (request.Query.TryGetValue("limit", out var l) && (!int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > MaxPageSize))
        {
            errors["limit"] = [$"must be between 1 and {MaxPageSize}"];
        }

        MentionCursor? cursor = null;
        if (request.Query.TryGetValue("cursor", out var c))
        {
            if (MentionCursor.TryDecode(c, out var decoded))
            {
                cursor = decoded;
            }
            else
            {
                errors["cursor"] = ["is not a cursor returned by this API; start again without it"];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (queryError is not null)
        {
            return Problems.Query("q", queryError);
        }

        if (filter.TopicId is { } topicId && await topics.GetAsync(ws.Id, topicId, ct) is null)
        {
            return Problems.NotFound("Topic", topicId);
        }

        var page = await reader.ListAsync(ws.Id, filter, cursor, limit, ct);
        return TypedResults.Ok(new MentionPageDto(page.Items.Select(m => MentionDto.From(m)).ToArray(), page.NextCursor));
    }

    public static async Task<Results<Ok<MentionDetailDto>, ProblemHttpResult>> GetAsync(string workspace, long id, WorkspaceResolver resolver, IMentionReader reader, Text.Analysis.WorkspaceModels models, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (await reader.GetAsync(ws.Id, id, ct) is not { } mention)
        {
            return Problems.NotFound("Mention", id);
        }

        // The "why" of the sentiment label is worked out when a person looks, not stored at ingest;
        // GET …/explain gives it for every task.
        var why = models.For(ws.Id).Sentiment.Explain(mention.Text, mention.Language == "und" ? null : mention.Language, new Text.Classification.ClassifierScratch());
        mention.Analysis = mention.Analysis with { Why = why.Select(t => t.Term).ToArray() };

        var versions = await reader.GetVersionsAsync(ws.Id, id, ct);
        return TypedResults.Ok(new MentionDetailDto(MentionDto.From(mention, includeRaw: true), versions));
    }

    public static async Task<IResult> ExportAsync(string workspace, HttpContext context, WorkspaceResolver resolver, ITopicStore topics, IMentionReader reader, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        var (filter, errors, queryError) = MentionFilterBinder.Bind(context.Request.Query);
        var format = context.Request.Query.TryGetValue("format", out var f) ? f.ToString().ToLowerInvariant() : "ndjson";
        if (format is not ("ndjson" or "csv"))
        {
            errors["format"] = ["use ndjson or csv"];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (queryError is not null)
        {
            return Problems.Query("q", queryError);
        }

        if (filter.TopicId is { } topicId && await topics.GetAsync(ws.Id, topicId, ct) is null)
        {
            return Problems.NotFound("Topic", topicId);
        }

        var response = context.Response;
        response.ContentType = format == "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8";
        response.Headers.ContentDisposition = $"attachment; filename=\"{workspace}-mentions.{format}\"";
        await ExportWriter.WriteAsync(response.Body, reader.StreamAsync(ws.Id, filter, ct), format == "csv", ct);
        return TypedResults.Empty;
    }

    public static async Task StreamAsync(string workspace, long? topic, HttpContext context, WorkspaceResolver resolver, LiveMentionHub hub, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            await Problems.WorkspaceNotFound(workspace).ExecuteAsync(context);
            return;
        }

        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.Body.FlushAsync(ct);
        using var subscription = hub.Subscribe(ws.Id);
        try
        {
            await foreach (var live in subscription.Reader.ReadAllAsync(ct))
            {
                if (topic is { } t && Array.IndexOf(live.TopicIds, t) < 0)
                {
                    continue;
                }

                var json = JsonSerializer.Serialize(MentionDto.From(live.Mention), ExportJsonContext.Safe.MentionDto);
                await context.Response.WriteAsync($"event: mention\ndata: {json}\n\n", ct);
                await context.Response.Body.FlushAsync(ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away; that is how every stream ends.
        }
    }

    public static Task<Results<Ok<TimeSeries>, ValidationProblem, ProblemHttpResult>> SeriesAsync(
        string workspace, HttpRequest request, WorkspaceResolver resolver, ITopicStore topics, ISeriesReader series, TimeProvider clock, CancellationToken ct) =>
        ReadSeriesAsync(workspace, 0, request, resolver, topics, series, clock, ct);

    public static Task<Results<Ok<TimeSeries>, ValidationProblem, ProblemHttpResult>> TopicSeriesAsync(
        string workspace, long id, HttpRequest request, WorkspaceResolver resolver, ITopicStore topics, ISeriesReader series, TimeProvider clock, CancellationToken ct) =>
        ReadSeriesAsync(workspace, id, request, resolver, topics, series, clock, ct);

    private static async Task<Results<Ok<TimeSeries>, ValidationProblem, ProblemHttpResult>> ReadSeriesAsync(
        string workspace, long topicId, HttpRequest request, WorkspaceResolver resolver, ITopicStore topics, ISeriesReader series, TimeProvider clock, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (topicId != 0 && await topics.GetAsync(ws.Id, topicId, ct) is null)
        {
            return Problems.NotFound("Topic", topicId);
        }

        var errors = new Dictionary<string, string[]>();
        var interval = SeriesInterval.Hour;
        if (request.Query.TryGetValue("interval", out var i) && !Enum.TryParse(i, ignoreCase: true, out interval))
        {
            errors["interval"] = ["use minute, hour or day"];
        }

        var breakdown = SeriesBreakdown.None;
        if (request.Query.TryGetValue("breakdown", out var b) && !Enum.TryParse(b, ignoreCase: true, out breakdown))
        {
            errors["breakdown"] = ["use none, language or platform"];
        }

        var to = MentionFilterBinder.Time(request.Query, "to", errors) ?? clock.GetUtcNow();
        var defaultSpan = interval switch
        {
            SeriesInterval.Minute => TimeSpan.FromHours(2),
            SeriesInterval.Hour => TimeSpan.FromDays(2),
            _ => TimeSpan.FromDays(30),
        };
        var from = MentionFilterBinder.Time(request.Query, "from", errors) ?? to - defaultSpan;
        if (from >= to)
        {
            errors["from"] = ["must be before 'to'"];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        try
        {
            return TypedResults.Ok(await series.ReadAsync(ws.Id, topicId, interval, from, to, breakdown, ct));
        }
        catch (ArgumentOutOfRangeException ex)
        {
            return Problems.Validation("to", ex.Message.Split(" (Parameter", 2)[0]);
        }
    }
}

/// <summary>Writes an export progressively in chunks, so a million-row export never sits in memory.</summary>
public static class ExportWriter
{
    public static async Task WriteAsync(Stream output, IAsyncEnumerable<Mention> mentions, bool csv, CancellationToken ct)
    {
        var buffer = new StringBuilder(64 * 1024);
        if (csv)
        {
            CsvFormat.WriteHeader(buffer);
        }

        await foreach (var mention in mentions.WithCancellation(ct))
        {
            if (csv)
            {
                CsvFormat.WriteRow(buffer, mention);
            }
            else
            {
                buffer.Append(JsonSerializer.Serialize(MentionDto.From(mention), ExportJsonContext.Safe.MentionDto)).Append('\n');
            }

            if (buffer.Length >= 60 * 1024)
            {
                await FlushAsync(output, buffer, ct);
            }
        }

        await FlushAsync(output, buffer, ct);
    }

    private static async Task FlushAsync(Stream output, StringBuilder buffer, CancellationToken ct)
    {
        if (buffer.Length == 0)
        {
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(buffer.ToString());
        buffer.Clear();
        await output.WriteAsync(bytes, ct);
    }
}
