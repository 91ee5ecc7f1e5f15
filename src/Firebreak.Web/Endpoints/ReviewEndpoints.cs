namespace Firebreak.Web.Endpoints;

using Firebreak.Core.Incidents;
using Firebreak.Core.Incidents.Decisions;
using Firebreak.Core.Incidents.Review;
using Firebreak.Core.Playbooks;
using Firebreak.Core.Security;
using Firebreak.Web.Auth;
using Firebreak.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

/// <summary>The post-incident review (computed figures and people's text) and the guided decisions of the room.</summary>
public static class ReviewEndpoints
{
    public const int MaxShort = 500;
    public const int MaxPost = 4_000;

    public static RouteGroupBuilder MapReviewEndpoints(this RouteGroupBuilder api)
    {
        var incidents = api.MapGroup("/workspaces/{workspace}/incidents").WithTags("Incidents");
        incidents.MapGet("/{id:long}/review", GetReviewAsync).WithName("GetIncidentReview").RequireWorkspaceRole(WorkspaceRole.Viewer)
            .WithSummary("The post-incident review: figures computed now from the timeline, linked alerts and series, and the text people wrote. format=json (default) or markdown.");
        incidents.MapPut("/{id:long}/review", SaveReviewAsync).WithName("SaveIncidentReview").RequireWorkspaceRole(WorkspaceRole.Responder)
            .WithSummary("Replaces the review's text fields (went well, went badly, action items, playbook changes) from the version read; stale → 409 with 'current'.");
        incidents.MapPost("/{id:long}/review/tasks", CreateActionTasksAsync).WithName("CreateReviewActionTasks").RequireWorkspaceRole(WorkspaceRole.Responder)
            .WithSummary("Makes the review's open action items tasks of the incident (owners matched to members by name or e-mail); items already tasks are skipped. 200 with the tasks created.");
        incidents.MapPost("/{id:long}/decisions/post", DecidePostAsync).WithName("DecidePost").RequireWorkspaceRole(WorkspaceRole.Responder)
            .WithSummary("Delete or keep one of the brand's posts: answers the guide's questions, records the decision (a delete carries the archive snapshot).");
        incidents.MapPost("/{id:long}/decisions/apology/preview", PreviewApologyAsync).WithName("PreviewApology").RequireWorkspaceRole(WorkspaceRole.Responder)
            .WithSummary("Who apologises, and the statement built from the playbook's holding statement and the apology template; records nothing.");
        incidents.MapPost("/{id:long}/decisions/apology", RecordApologyAsync).WithName("RecordApology").RequireWorkspaceRole(WorkspaceRole.Responder)
            .WithSummary("Records who apologises and the statement as a decision (a public response for the review).");
        return api;
    }

    public static async Task<Results<Ok<ReviewDto>, ContentHttpResult, ValidationProblem, ProblemHttpResult>> GetReviewAsync(string workspace, long id, string? format, WorkspaceResolver resolver, ReviewService reviews, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (format is not (null or "json" or "markdown"))
        {
            return Problems.Validation("format", "use json or markdown");
        }

        if (await reviews.BuildAsync(ws.Id, id, ct) is not { } review)
        {
            return Problems.NotFound("Incident", id);
        }

        return format == "markdown"
            ? TypedResults.Text(ReviewMarkdown.Write(review), "text/markdown; charset=utf-8")
            : TypedResults.Ok(ReviewDto.From(review));
    }

    public static async Task<Results<Ok<ReviewTextDto>, ValidationProblem, ProblemHttpResult>> SaveReviewAsync(string workspace, long id, ReviewRequest request, HttpContext http, WorkspaceResolver resolver, ReviewService reviews, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (Validate(request, out var text) is { } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var result = await reviews.SaveAsync(ws.Id, id, text, request.Version ?? 0, IncidentEndpoints.ActorOf(http).Name, ct);
        return result.Status switch
        {
            ReviewSaveStatus.Saved => TypedResults.Ok(ReviewTextDto.From(result.Text!)),
            ReviewSaveStatus.NotFound => Problems.NotFound("Incident", id),
            _ => TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "The review changed since you read it",
                detail: $"Someone saved version {result.Text?.Version} after version {request.Version ?? 0}. Nothing of theirs was overwritten: read 'current', re-apply your change and send it with that version.",
                extensions: new Dictionary<string, object?> { ["current"] = result.Text is { } current ? ReviewTextDto.From(current) : null }),
        };
    }

    public static async Task<Results<Ok<IncidentTaskDto[]>, ProblemHttpResult>> CreateActionTasksAsync(string workspace, long id, HttpContext http, WorkspaceResolver resolver, ReviewService reviews, IAccountStore accounts, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        var members = await accounts.ListMembersAsync(ws.Id, ct);
        return await reviews.CreateActionTasksAsync(ws.Id, id, members, IncidentEndpoints.ActorOf(http), ct) is { } created
            ? TypedResults.Ok(created.Select(IncidentTaskDto.From).ToArray())
            : Problems.NotFound("Incident", id);
    }

    /// <summary>Checks a review edit; null errors when fine.</summary>
    public static Dictionary<string, string[]>? Validate(ReviewRequest request, out ReviewText text)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Version is < 0)
        {
            errors["version"] = ["is the version you read (0 or left out before the first save)"];
        }

        if (request.WentWell is { Length: > ReviewService.MaxText })
        {
            errors["wentWell"] = [$"is at most {ReviewService.MaxText:N0} characters"];
        }

        if (request.WentBadly is { Length: > ReviewService.MaxText })
        {
            errors["wentBadly"] = [$"is at most {ReviewService.MaxText:N0} characters"];
        }

        var items = request.ActionItems ?? [];
        if (items.Count > ReviewService.MaxItems || items.Any(i => string.IsNullOrWhiteSpace(i.Text) || i.Text.Length > MaxShort || i.Owner is { Length: > 200 }))
        {
            errors["actionItems"] = [$"at most {ReviewService.MaxItems}, each with a text (≤ {MaxShort} characters) and an owner (≤ 200)"];
        }

        var changes = request.PlaybookChanges ?? [];
        if (changes.Count > ReviewService.MaxItems || changes.Any(c => string.IsNullOrWhiteSpace(c.PlaybookKey) || c.PlaybookKey.Length > PlaybookVocabulary.MaxKeyLength || string.IsNullOrWhiteSpace(c.Text) || c.Text.Length > ReviewService.MaxText))
        {
            errors["playbookChanges"] = [$"at most {ReviewService.MaxItems}, each with a playbookKey and a text"];
        }

        text = new ReviewText
        {
            WentWell = request.WentWell?.Trim() ?? string.Empty,
            WentBadly = request.WentBadly?.Trim() ?? string.Empty,
            ActionItems = [.. items.Select(i => new ReviewActionItem(i.Text!.Trim(), string.IsNullOrWhiteSpace(i.Owner) ? null : i.Owner.Trim(), i.DueAt, i.Done ?? false))],
            PlaybookChanges = [.. changes.Select(c => new ReviewPlaybookChange(c.PlaybookKey!.Trim(), c.Text!.Trim()))],
        };
        return errors.Count > 0 ? errors : null;
    }

    public static async Task<Results<Created<DecisionDto>, ValidationProblem, ProblemHttpResult>> DecidePostAsync(string workspace, long id, PostDecisionRequest request, HttpContext http, WorkspaceResolver resolver, DecisionService decisions, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        var errors = ValidatePost(request, out var post, out var action);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var answers = new PostQuestions(request.ObsceneOrGraphic ?? false, request.PostedByIntruder ?? false);
        return await decisions.RecordPostAsync(ws.Id, id, post, answers, action, request.Note?.Trim(), IncidentEndpoints.ActorOf(http), ct) is { } entry
            ? TypedResults.Created($"/api/workspaces/{ws.Slug}/incidents/{id}/timeline", new DecisionDto(PostGuide.Recommend(answers).Action.ToString().ToLowerInvariant(), PostGuide.Recommend(answers).Reason, TimelineEntryDto.From(entry)))
            : Problems.NotFound("Incident", id);
    }

    public static Dictionary<string, string[]> ValidatePost(PostDecisionRequest request, out PostToDecide post, out PostAction? action)
    {
        var errors = new Dictionary<string, string[]>();
        var text = request.Text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            errors["text"] = ["is required: the post's text as it stands (it is archived with a deletion)"];
        }
        else if (text.Length > MaxPost)
        {
            errors["text"] = [$"is at most {MaxPost:N0} characters"];
        }

        var url = string.IsNullOrWhiteSpace(request.Url) ? null : request.Url.Trim();
        if (url is not null && (url.Length > 4_096 || !Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https")))
        {
            errors["url"] = ["is an absolute http(s) address"];
        }

        if (request.Author is { Length: > 256 })
        {
            errors["author"] = ["is at most 256 characters"];
        }

        if (request.Note is { Length: > IncidentService.MaxNote })
        {
            errors["note"] = [$"is at most {IncidentService.MaxNote:N0} characters"];
        }

        action = request.Action?.Trim().ToLowerInvariant() switch
        {
            null or "" => null,
            "delete" => PostAction.Delete,
            "keep" => PostAction.Keep,
            _ => Invalid(errors, "action", "use delete or keep (or leave it out to follow the guide)"),
        };
        post = new PostToDecide(text ?? string.Empty, url, string.IsNullOrWhiteSpace(request.Author) ? null : request.Author.Trim(), request.PostedAt);
        return errors;
    }

    public static async Task<Results<Ok<ApologyPreviewDto>, ValidationProblem, ProblemHttpResult>> PreviewApologyAsync(string workspace, long id, ApologyRequest request, WorkspaceResolver resolver, IIncidentStore store, PlaybookLibrary playbooks, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (await store.GetAsync(ws.Id, id, ct) is null)
        {
            return Problems.NotFound("Incident", id);
        }

        var (errors, preview) = await PreviewAsync(ws.Id, request, playbooks, ct);
        return errors.Count > 0 ? TypedResults.ValidationProblem(errors) : TypedResults.Ok(preview!);
    }

    public static async Task<Results<Created<DecisionDto>, ValidationProblem, ProblemHttpResult>> RecordApologyAsync(string workspace, long id, ApologyRequest request, HttpContext http, WorkspaceResolver resolver, PlaybookLibrary playbooks, DecisionService decisions, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        var (errors, preview) = await PreviewAsync(ws.Id, request, playbooks, ct);
        var statement = string.IsNullOrWhiteSpace(request.Statement) ? preview?.Statement : request.Statement.Trim();
        if (statement is { Length: > IncidentService.MaxNote })
        {
            errors["statement"] = [$"is at most {IncidentService.MaxNote:N0} characters"];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var answers = new ApologyQuestions(request.SeriousHarm ?? false, request.Repeated ?? false, request.LacksStanding ?? false);
        var who = Who(request.Who, errors);
        return await decisions.RecordApologyAsync(ws.Id, id, answers, who, statement!, preview!.Language, request.PlaybookKey, IncidentEndpoints.ActorOf(http), ct) is { } entry
            ? TypedResults.Created($"/api/workspaces/{ws.Slug}/incidents/{id}/timeline", new DecisionDto(preview.Recommended, preview.Reason, TimelineEntryDto.From(entry)))
            : Problems.NotFound("Incident", id);
    }

    /// <summary>The recommendation and the built statement, or the validation errors.</summary>
    public static async Task<(Dictionary<string, string[]> Errors, ApologyPreviewDto? Preview)> PreviewAsync(long workspaceId, ApologyRequest request, PlaybookLibrary playbooks, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var language = string.IsNullOrWhiteSpace(request.Language) ? "en" : request.Language.Trim();
        if (language.Length > 20)
        {
            errors["language"] = ["is a language code such as en or pt-BR"];
        }

        foreach (var (field, value) in new[] { ("whatHappened", request.WhatHappened), ("whatWeAreDoing", request.WhatWeAreDoing), ("contact", request.Contact), ("speaker", request.Speaker) })
        {
            if (value is { Length: > 1_000 })
            {
                errors[field] = ["is at most 1,000 characters"];
            }
        }

        if (request.Variables is { Count: > 50 } || request.Variables?.Any(v => v.Key.Length > 50 || v.Value is { Length: > 500 }) == true)
        {
            errors["variables"] = ["at most 50 names (≤ 50 characters) with values (≤ 500 characters)"];
        }

        Playbook? playbook = null;
        if (!string.IsNullOrWhiteSpace(request.PlaybookKey))
        {
            playbook = request.PlaybookKey.Length <= PlaybookVocabulary.MaxKeyLength ? (await playbooks.GetAsync(workspaceId, request.PlaybookKey.Trim(), ct))?.Playbook : null;
            if (playbook is null)
            {
                errors["playbookKey"] = [$"no playbook '{request.PlaybookKey}' in this workspace"];
            }
        }

        _ = Who(request.Who, errors);
        if (errors.Count > 0)
        {
            return (errors, null);
        }

        var recommendation = ApologyGuide.Recommend(new ApologyQuestions(request.SeriousHarm ?? false, request.Repeated ?? false, request.LacksStanding ?? false));
        var parts = new StatementParts(language, request.WhatHappened ?? string.Empty, request.WhatWeAreDoing ?? string.Empty, request.Contact ?? string.Empty, request.Speaker ?? string.Empty)
        {
            Variables = request.Variables?.Where(v => !string.IsNullOrWhiteSpace(v.Value)).ToDictionary(v => v.Key, v => v.Value!.Trim(), StringComparer.Ordinal) ?? [],
        };
        var statement = ApologyStatement.Build(parts, playbook);
        return (errors, new ApologyPreviewDto(WhoName(recommendation.Who), recommendation.Reason, language, statement.Text, statement.Missing));
    }

    public static string WhoName(Apologiser who) => who == Apologiser.HigherUp ? "higherUp" : "person";

    private static Apologiser? Who(string? value, Dictionary<string, string[]> errors) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" => null,
        "person" => Apologiser.Person,
        "higherup" or "higher-up" => Apologiser.HigherUp,
        _ => InvalidWho(errors),
    };

    private static Apologiser? InvalidWho(Dictionary<string, string[]> errors)
    {
        errors["who"] = ["use person or higherUp (or leave it out to follow the guide)"];
        return null;
    }

    private static PostAction? Invalid(Dictionary<string, string[]> errors, string field, string message)
    {
        errors[field] = [message];
        return null;
    }
}

public sealed record ReviewActionItemRequest(string? Text, string? Owner, DateTimeOffset? DueAt, bool? Done);

public sealed record ReviewPlaybookChangeRequest(string? PlaybookKey, string? Text);

/// <param name="Version">The review version you read (0 before the first save).</param>
public sealed record ReviewRequest(long? Version, string? WentWell, string? WentBadly, IReadOnlyList<ReviewActionItemRequest>? ActionItems, IReadOnlyList<ReviewPlaybookChangeRequest>? PlaybookChanges);

/// <param name="Action">delete or keep; left out: follow the guide.</param>
public sealed record PostDecisionRequest(string? Text, string? Url, string? Author, DateTimeOffset? PostedAt, bool? ObsceneOrGraphic, bool? PostedByIntruder, string? Action, string? Note);

/// <param name="Who">person or higherUp; left out: follow the guide.</param>
/// <param name="Statement">The statement as finally worded; left out: the one built from the parts.</param>
public sealed record ApologyRequest(
    bool? SeriousHarm,
    bool? Repeated,
    bool? LacksStanding,
    string? Who,
    string? Language,
    string? PlaybookKey,
    string? WhatHappened,
    string? WhatWeAreDoing,
    string? Contact,
    string? Speaker,
    IReadOnlyDictionary<string, string?>? Variables,
    string? Statement);

public sealed record ApologyPreviewDto(string Recommended, string Reason, string Language, string Statement, IReadOnlyList<string> Missing);

public sealed record DecisionDto(string Recommended, string Reason, TimelineEntryDto Entry);

public sealed record ReviewActionItemDto(string Text, string? Owner, DateTimeOffset? DueAt, bool Done);

public sealed record ReviewPlaybookChangeDto(string PlaybookKey, string Text);

public sealed record ReviewTextDto(long Version, string WentWell, string WentBadly, IReadOnlyList<ReviewActionItemDto> ActionItems, IReadOnlyList<ReviewPlaybookChangeDto> PlaybookChanges, string? UpdatedBy, DateTimeOffset? UpdatedAt)
{
    public static ReviewTextDto From(ReviewText t) => new(
        t.Version, t.WentWell, t.WentBadly,
        [.. t.ActionItems.Select(i => new ReviewActionItemDto(i.Text, i.Owner, i.DueAt, i.Done))],
        [.. t.PlaybookChanges.Select(c => new ReviewPlaybookChangeDto(c.PlaybookKey, c.Text))],
        t.UpdatedBy, t.UpdatedAt);
}

public sealed record ReviewHourDto(DateTimeOffset Start, long Count, long Negative, double? Baseline);

/// <summary>Durations in minutes (null: it did not happen or there is no data); shares 0–1.</summary>
public sealed record ReviewFiguresDto(
    DateTimeOffset WindowStart,
    DateTimeOffset WindowEnd,
    DateTimeOffset? SignalAt,
    DateTimeOffset? AlertOpenedAt,
    DateTimeOffset? AcknowledgedAt,
    double? TimeToDetectMinutes,
    double? TimeToAcknowledgeMinutes,
    DateTimeOffset? FirstResponseAt,
    string? FirstResponse,
    double? TimeToFirstResponseMinutes,
    long PeakNegativePerHour,
    DateTimeOffset? PeakAt,
    double? PeakNegativeShare,
    double? NegativeShare,
    DateTimeOffset? BaselineAt,
    double? TimeToBaselineMinutes,
    int TasksDone,
    int TasksOpen,
    IReadOnlyList<ReviewHourDto> Hours)
{
    public static ReviewFiguresDto From(ReviewFigures f) => new(
        f.WindowStart, f.WindowEnd, f.SignalAt, f.AlertOpenedAt, f.AcknowledgedAt,
        f.TimeToDetect?.TotalMinutes, f.TimeToAcknowledge?.TotalMinutes, f.FirstResponseAt, f.FirstResponse, f.TimeToFirstResponse?.TotalMinutes,
        f.PeakNegativePerHour, f.PeakAt, f.PeakNegativeShare, f.NegativeShare, f.BaselineAt, f.TimeToBaseline?.TotalMinutes,
        f.TasksDone, f.TasksOpen, [.. f.Hours.Select(h => new ReviewHourDto(h.Start, h.Count, h.Negative, h.Baseline))]);
}

public sealed record ReviewDto(IncidentDto Incident, ReviewFiguresDto Figures, ReviewTextDto Text)
{
    public static ReviewDto From(IncidentReview r) => new(IncidentDto.From(r.Incident), ReviewFiguresDto.From(r.Figures), ReviewTextDto.From(r.Text));
}
