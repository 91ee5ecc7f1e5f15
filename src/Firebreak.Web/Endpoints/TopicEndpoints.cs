namespace Firebreak.Web.Endpoints;

using Firebreak.Core.Security;
using Firebreak.Web.Auth;

using Firebreak.Core.Mentions;
using Firebreak.Core.Text;
using Firebreak.Core.Topics;
using Firebreak.Core.Topics.Query;
using Firebreak.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

public static class TopicEndpoints
{
    public static RouteGroupBuilder MapTopicEndpoints(this RouteGroupBuilder api)
    {
        var topics = api.MapGroup("/workspaces/{workspace}/topics").WithTags("Topics");
        topics.MapGet("/", ListAsync).WithName("ListTopics").RequireWorkspaceRole(WorkspaceRole.Viewer);
        topics.MapPost("/", CreateAsync).WithName("CreateTopic").RequireWorkspaceRole(WorkspaceRole.Manager);
        topics.MapPost("/validate", ValidateAsync).WithName("ValidateTopicQuery").RequireWorkspaceRole(WorkspaceRole.Viewer).SkipAudit()
            .WithSummary("Checks a query and previews what it matches among the workspace's most recent mentions.");
        topics.MapGet("/{id:long}", GetAsync).WithName("GetTopic").RequireWorkspaceRole(WorkspaceRole.Viewer);
        topics.MapPut("/{id:long}", UpdateAsync).WithName("UpdateTopic").RequireWorkspaceRole(WorkspaceRole.Manager);
        topics.MapDelete("/{id:long}", DeleteAsync).WithName("DeleteTopic").RequireWorkspaceRole(WorkspaceRole.Manager);
        return api;
    }

    public static async Task<Results<Ok<TopicDto[]>, ProblemHttpResult>> ListAsync(string workspace, WorkspaceResolver resolver, ITopicStore store, TopicBackfill backfill, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        return TypedResults.Ok((await store.ListAsync(ws.Id, ct)).Select(t => TopicDto.From(t, backfill)).ToArray());
    }

    public static async Task<Results<Ok<TopicDto>, ProblemHttpResult>> GetAsync(string workspace, long id, WorkspaceResolver resolver, ITopicStore store, TopicBackfill backfill, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        return await store.GetAsync(ws.Id, id, ct) is { } topic ? TypedResults.Ok(TopicDto.From(topic, backfill)) : Problems.NotFound("Topic", id);
    }

    public static async Task<Results<Created<TopicDto>, ValidationProblem, ProblemHttpResult>> CreateAsync(string workspace, TopicRequest request, WorkspaceResolver resolver, ITopicStore store, TopicCatalog catalog, TopicBackfill backfill, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (Validate(request) is { } invalid)
        {
            return invalid;
        }

        var parsed = QueryParser.Parse(request.Query!);
        if (parsed.Error is { } error)
        {
            return Problems.Query("query", error);
        }

        var topic = await store.AddAsync(ws.Id, request.Name!.Trim(), request.Query!, request.Enabled ?? true, ct);
        if (topic is null)
        {
            return Problems.Conflict($"This workspace already has a topic named '{request.Name!.Trim()}'.");
        }

        // New mentions match through the rebuilt index; the backfill gives the topic its recent history.
        catalog.Invalidate(ws.Id);
        backfill.Enqueue(ws.Id, topic.Id, topic.Enabled ? parsed.Query : null);
        return TypedResults.Created($"/api/workspaces/{workspace}/topics/{topic.Id}", TopicDto.From(topic, backfill));
    }

    public static async Task<Results<Ok<TopicDto>, ValidationProblem, ProblemHttpResult>> UpdateAsync(string workspace, long id, TopicRequest request, WorkspaceResolver resolver, ITopicStore store, TopicCatalog catalog, TopicBackfill backfill, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (Validate(request) is { } invalid)
        {
            return invalid;
        }

        var parsed = QueryParser.Parse(request.Query!);
        if (parsed.Error is { } error)
        {
            return Problems.Query("query", error);
        }

        var name = request.Name!.Trim();
        var existing = await store.ListAsync(ws.Id, ct);
        if (existing.Any(t => t.Id != id && string.Equals(t.Name, name, StringComparison.Ordinal)))
        {
            return Problems.Conflict($"This workspace already has a topic named '{name}'.");
        }

        var topic = await store.UpdateAsync(ws.Id, id, name, request.Query!, request.Enabled ?? true, ct);
        if (topic is null)
        {
            return Problems.NotFound("Topic", id);
        }

        catalog.Invalidate(ws.Id);
        backfill.Enqueue(ws.Id, topic.Id, topic.Enabled ? parsed.Query : null);
        return TypedResults.Ok(TopicDto.From(topic, backfill));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string workspace, long id, WorkspaceResolver resolver, ITopicStore store, TopicCatalog catalog, TopicBackfill backfill, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (!await store.DeleteAsync(ws.Id, id, ct))
        {
            return Problems.NotFound("Topic", id);
        }

        catalog.Invalidate(ws.Id);
        backfill.Enqueue(ws.Id, id, null);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// Validates a query and runs it over the newest mentions (default 2,000, at most 20,000), so a user
    /// sees what a topic would catch before saving it. Invalid queries answer 200 with the error, because
    /// the editor calls this on every keystroke and an invalid draft is normal, not a failed request.
    /// </summary>
    public static async Task<Results<Ok<QueryPreviewDto>, ValidationProblem, ProblemHttpResult>> ValidateAsync(string workspace, QueryPreviewRequest request, WorkspaceResolver resolver, IMentionReader mentions, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (request.Query is null)
        {
            return Problems.Validation("query", "is required");
        }

        var parsed = QueryParser.Parse(request.Query);
        if (parsed.Error is { } error)
        {
            return TypedResults.Ok(new QueryPreviewDto(false, new QueryErrorDto(error.Position, error.Length, error.Message, error.Expected), 0, 0, []));
        }

        var limit = Math.Clamp(request.Limit ?? 2_000, 1, 20_000);
        var sampleSize = Math.Clamp(request.Sample ?? 20, 0, 200);
        var recent = await mentions.RecentAsync(ws.Id, limit, ct);
        var tokenizer = new Tokenizer();
        var subject = new MatchSubject();
        var sample = new List<MentionDto>(sampleSize);
        var matched = 0;
        foreach (var mention in recent)
        {
            subject.Load(mention, tokenizer);
            if (parsed.Query!.Matches(subject))
            {
                matched++;
                if (sample.Count < sampleSize)
                {
                    sample.Add(MentionDto.From(mention));
                }
            }
        }

        return TypedResults.Ok(new QueryPreviewDto(true, null, recent.Count, matched, sample));
    }

    private static ValidationProblem? Validate(TopicRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Trim().Length > 200)
        {
            return Problems.Validation("name", "is required and at most 200 characters");
        }

        if (string.IsNullOrWhiteSpace(request.Query))
        {
            return Problems.Validation("query", "is required, e.g. \"(refund OR chargeback) AND #AuroraAir\"");
        }

        return null;
    }
}
