namespace Firebreak.Web.Endpoints;

using Firebreak.Core.Security;
using Firebreak.Web.Auth;

using Firebreak.Core.Corrections;
using Firebreak.Core.Mentions;
using Firebreak.Core.RiskCues;
using Firebreak.Core.Topics.Query;
using Firebreak.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

public sealed record RiskCueDto(string Name, string Query, bool Enabled);

public sealed record RiskCueListDto(bool IsDefault, IReadOnlyList<RiskCueDto> Cues);

public sealed record RiskCueListRequest(IReadOnlyList<RiskCueDto>? Cues);

public sealed record LabelRequest(string? Task, string? Label);

public sealed record TermDto(string Term, double Contribution);

public sealed record TaskExplanationDto(string Label, double Confidence, IReadOnlyDictionary<string, double> Probabilities, IReadOnlyList<TermDto> Why);

public sealed record LanguageExplanationDto(string Language, double Confidence, string? RunnerUp, double RunnerUpConfidence);

public sealed record ExplanationDto(long MentionId, LanguageExplanationDto Language, IReadOnlyDictionary<string, TaskExplanationDto> Tasks, IReadOnlyList<string> RiskCues, IReadOnlyList<string> Corrected);

public sealed record CorrectionDto(long Id, long MentionId, string Task, string Label, string Text, string Language, string? CorrectedBy, DateTimeOffset CreatedAt)
{
    public static CorrectionDto From(LabelCorrection c) => new(c.Id, c.MentionId, c.Task, c.Label, c.Text, c.Language, c.CorrectedBy, c.CreatedAt);
}

/// <summary>Risk cue lists and label corrections: how a team teaches Firebreak what matters to them.</summary>
public static class AnalysisEndpoints
{
    public static RouteGroupBuilder MapAnalysisEndpoints(this RouteGroupBuilder api)
    {
        var ws = api.MapGroup("/workspaces/{workspace}").WithTags("Analysis");
        ws.MapGet("/risk-cues", GetCuesAsync).WithName("GetRiskCues").RequireWorkspaceRole(WorkspaceRole.Viewer);
        ws.MapPut("/risk-cues", PutCuesAsync).WithName("SetRiskCues").RequireWorkspaceRole(WorkspaceRole.Manager)
            .WithSummary("Replaces the workspace's risk cues; each is a name and a query in the topic query language.");
        ws.MapDelete("/risk-cues", ResetCuesAsync).WithName("ResetRiskCues").RequireWorkspaceRole(WorkspaceRole.Manager).WithSummary("Returns to the shipped defaults.");
        ws.MapPost("/mentions/{id:long}/labels", CorrectAsync).WithName("CorrectLabel").RequireWorkspaceRole(WorkspaceRole.Responder)
            .WithSummary("Corrects one label of a mention (task: sentiment, offensive, hate, emotion). Stored for retraining; applied to the mention at once.");
        ws.MapGet("/corrections", ListCorrectionsAsync).WithName("ListCorrections").RequireWorkspaceRole(WorkspaceRole.Viewer);
        ws.MapGet("/mentions/{id:long}/explain", ExplainAsync).WithName("ExplainMention").RequireWorkspaceRole(WorkspaceRole.Viewer)
            .WithSummary("Why each label was given: calibrated probabilities and the terms that pushed hardest toward the label, per task.");
        return api;
    }

    public static async Task<Results<Ok<RiskCueListDto>, ProblemHttpResult>> GetCuesAsync(string workspace, WorkspaceResolver resolver, IRiskCueStore store, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        var saved = await store.GetAsync(ws.Id, ct);
        var cues = saved ?? DefaultRiskCues.All;
        return TypedResults.Ok(new RiskCueListDto(saved is null, cues.Select(c => new RiskCueDto(c.Name, c.Query, c.Enabled)).ToArray()));
    }

    public static async Task<Results<Ok<RiskCueListDto>, ValidationProblem, ProblemHttpResult>> PutCuesAsync(string workspace, RiskCueListRequest request, WorkspaceResolver resolver, IRiskCueStore store, RiskCueMatcher matcher, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (request.Cues is null || request.Cues.Count > 500)
        {
            return Problems.Validation("cues", "is required: a list of at most 500 {name, query, enabled}");
        }

        var errors = new Dictionary<string, string[]>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < request.Cues.Count; i++)
        {
            var cue = request.Cues[i];
            if (string.IsNullOrWhiteSpace(cue.Name) || cue.Name.Length > 100 || !names.Add(cue.Name.Trim()))
            {
                errors[$"cues[{i}].name"] = ["is required, unique and at most 100 characters"];
            }

            if (QueryParser.Parse(cue.Query) is { Error: { } error })
            {
                errors[$"cues[{i}].query"] = [$"{error.Message}"];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var cues = request.Cues.Select(c => new RiskCue(c.Name.Trim(), c.Query, c.Enabled)).ToArray();
        await store.SetAsync(ws.Id, cues, ct);
        matcher.Invalidate(ws.Id);
        return TypedResults.Ok(new RiskCueListDto(false, request.Cues));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> ResetCuesAsync(string workspace, WorkspaceResolver resolver, IRiskCueStore store, RiskCueMatcher matcher, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        await store.SetAsync(ws.Id, null, ct);
        matcher.Invalidate(ws.Id);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Created<CorrectionDto>, ValidationProblem, ProblemHttpResult>> CorrectAsync(
        string workspace, long id, LabelRequest request, WorkspaceResolver resolver, IMentionReader mentions, ICorrectionStore corrections, IMentionLabelWriter writer, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (request.Task is null || !LabelTasks.Labels.TryGetValue(request.Task, out var labels))
        {
            return Problems.Validation("task", "use one of " + string.Join(", ", LabelTasks.Labels.Keys));
        }

        if (request.Label is null || !labels.Contains(request.Label))
        {
            return Problems.Validation("label", $"for {request.Task} use one of " + string.Join(", ", labels));
        }

        if (await mentions.GetAsync(ws.Id, id, ct) is not { } mention)
        {
            return Problems.NotFound("Mention", id);
        }

        // Who corrected it arrives with accounts (web-app capability); until then it is not known.
        var correction = await corrections.AddAsync(ws.Id, id, request.Task, request.Label, mention.Text, mention.Analysis.DetectedLanguage ?? mention.Language, null, ct);
        await writer.ApplyLabelAsync(ws.Id, id, request.Task, request.Label, ct);
        return TypedResults.Created($"/api/workspaces/{workspace}/corrections", CorrectionDto.From(correction));
    }

    public static async Task<Results<Ok<ExplanationDto>, ProblemHttpResult>> ExplainAsync(string workspace, long id, WorkspaceResolver resolver, IMentionReader mentions, Text.Analysis.WorkspaceModels workspaceModels, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (await mentions.GetAsync(ws.Id, id, ct) is not { } mention)
        {
            return Problems.NotFound("Mention", id);
        }

        return TypedResults.Ok(Explain(ws.Id, mention, workspaceModels));
    }

    public static async Task<Results<Ok<CorrectionDto[]>, ProblemHttpResult>> ListCorrectionsAsync(string workspace, string? task, WorkspaceResolver resolver, ICorrectionStore corrections, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        return TypedResults.Ok((await corrections.ListAsync(ws.Id, task, ct)).Select(CorrectionDto.From).ToArray());
    }

    /// <summary>Why each model labelled the mention as it did: the API's explain endpoint and the UI's analysis page.</summary>
    public static ExplanationDto Explain(long workspaceId, Mention mention, Text.Analysis.WorkspaceModels workspaceModels)
    {
        var models = workspaceModels.For(workspaceId);
        var guess = models.Languages.Identify(mention.Text);
        var language = mention.Language == "und" ? null : mention.Language;
        var scratch = new Text.Classification.ClassifierScratch();
        var tasks = new Dictionary<string, TaskExplanationDto>(StringComparer.Ordinal);
        foreach (var task in LabelTasks.Labels.Keys)
        {
            var model = models.ForTask(task);
            var prediction = model.Predict(mention.Text, language, scratch);
            var probabilities = new Dictionary<string, double>(StringComparer.Ordinal);
            for (var i = 0; i < model.Labels.Count; i++)
            {
                probabilities[model.Labels[i]] = Math.Round(prediction.Probabilities.Span[i], 4);
            }

            var label = prediction.Label;
            var confidence = prediction.Confidence;
            var why = model.Explain(mention.Text, language, scratch).Select(t => new TermDto(t.Term, Math.Round(t.Contribution, 4))).ToArray();
            tasks[task] = new TaskExplanationDto(label, Math.Round(confidence, 4), probabilities, why);
        }

        return new ExplanationDto(
            mention.Id,
            new LanguageExplanationDto(guess.Language, Math.Round(guess.Confidence, 4), guess.RunnerUp, Math.Round(guess.RunnerUpConfidence, 4)),
            tasks,
            mention.Analysis.RiskCues,
            mention.Analysis.Corrected);
    }
}
