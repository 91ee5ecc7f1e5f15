namespace Firebreak.Web.Components;

using Firebreak.Core.Alerts;
using Firebreak.Core.Corrections;
using Firebreak.Core.Mentions;
using Firebreak.Core.Security;
using Firebreak.Core.Topics;
using Firebreak.Core.Wellbeing;
using Firebreak.Core.Workspaces;
using Firebreak.Web.Auth;
using Firebreak.Web.Components.Alerts;
using Firebreak.Web.Components.Dashboard;
using Firebreak.Web.Components.Incidents;
using Firebreak.Web.Components.Shared;
using Firebreak.Web.Components.Topics;
using Firebreak.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

/// <summary>
/// What the pages' scripts and forms call: server-rendered fragments for live refresh, and the actions behind the
/// buttons. Each checks the reader's role in the workspace itself (a hidden button is not security) and every form
/// post is validated against forgery by the anti-forgery middleware. Not part of the REST API (see /openapi).
/// </summary>
public static class UiEndpoints
{
    public static IEndpointRouteBuilder MapUiEndpoints(this IEndpointRouteBuilder app)
    {
        var ui = app.MapGroup("/w/{workspace}").ExcludeFromDescription();
        ui.MapGet("/panels/{panel}", PanelAsync).RequireWorkspaceRole(WorkspaceRole.Viewer);
        ui.MapGet("/topics/preview", PreviewAsync).RequireWorkspaceRole(WorkspaceRole.Viewer);
        ui.MapPost("/mentions/{id:long}/reveal", RevealAsync).RequireWorkspaceRole(WorkspaceRole.Viewer).SkipAudit();
        ui.MapPost("/mentions/{id:long}/labels", CorrectAsync).RequireWorkspaceRole(WorkspaceRole.Responder);
        ui.MapPost("/alerts/{id:long}/{action}", AlertActionAsync).RequireWorkspaceRole(WorkspaceRole.Responder);
        ui.MapPost("/topics/{id:long}/delete", DeleteTopicAsync).RequireWorkspaceRole(WorkspaceRole.Manager);
        ui.MapPost("/playbooks/{key}/versions/{version:int}/restore", RestorePlaybookAsync).RequireWorkspaceRole(WorkspaceRole.Manager);
        ui.MapPost("/wellbeing/heartbeat", HeartbeatAsync).RequireWorkspaceRole(WorkspaceRole.Viewer).SkipAudit();
        ui.MapPost("/wellbeing/budget", BudgetAsync).RequireWorkspaceRole(WorkspaceRole.Manager);
        ui.MapPost("/authors/mute", MuteAsync).RequireWorkspaceRole(WorkspaceRole.Responder);
        ui.MapPost("/authors/unmute", UnmuteAsync).RequireWorkspaceRole(WorkspaceRole.Manager);
        ui.MapPost("/members/{accountId:long}/role", ChangeRoleAsync).RequireWorkspaceRole(WorkspaceRole.Admin);
        ui.MapPost("/members/{accountId:long}/remove", RemoveMemberAsync).RequireWorkspaceRole(WorkspaceRole.Admin);
        ui.MapIncidentUi();
        Incidents.InboxUiEndpoints.MapInboxUi(ui);
        ui.MapDecisionUi();
        Drills.DrillUiEndpoints.MapDrillUi(ui);
        Publishing.PublishingUiEndpoints.MapPublishingUi(ui);
        Publishing.HoldUiEndpoints.MapHoldUi(ui);
        Publishing.ScorecardUiEndpoints.MapScorecardUi(ui);
        Connectors.ConnectionUiEndpoints.MapConnectionUi(ui);
        ui.RequireAuthorization();
        ui.AddEndpointFilter(AuditChangeAsync);

        app.MapPost("/signout", async (HttpContext http, SignInFlow flow) =>
        {
            await flow.SignOutAsync(http);
            return TypedResults.Redirect("/signin");
        }).ExcludeFromDescription().RequireAuthorization();
        app.MapPost("/account/tokens/{id:long}/revoke", async (long id, HttpContext http, AccountService accounts) =>
        {
            await accounts.RevokeTokenAsync(http.Actor(), http.User.AccountId() ?? 0, id, http.RequestAborted);
            return TypedResults.Redirect("/account?done=revoked");
        }).ExcludeFromDescription().RequireAuthorization();
        app.MapPost("/account/quiet-hours", SetQuietHoursAsync).ExcludeFromDescription().RequireAuthorization().AddEndpointFilter(AuditChangeAsync);
        return app;
    }

    /// <summary>
    /// For a UI endpoint: the minimum role is the endpoint's declared <see cref="WorkspaceRoleRequirement"/> (the same
    /// metadata the API uses, so the authorisation tests read one table); an endpoint without one answers nobody.
    /// </summary>
    internal static Task<(Workspace? Workspace, WorkspaceRole Role, IResult? Refusal, string? Why)> AllowAsync(HttpContext http, string slug) =>
        http.GetEndpoint()?.Metadata.GetMetadata<WorkspaceRoleRequirement>() is { } required
            ? AllowAsync(http, slug, required.Role)
            : Task.FromResult<(Workspace?, WorkspaceRole, IResult?, string?)>((null, default, TypedResults.StatusCode(StatusCodes.Status403Forbidden), "no access rule"));

    /// <summary>
    /// The workspace when the reader has at least <paramref name="minimum"/> in it; else why not: 404 for a non-member
    /// or an unknown workspace (indistinguishable on purpose), 403 for too low a role or a workspace that requires
    /// two-factor sign-in from someone without it. Pages and UI endpoints both decide here, as the API's access
    /// middleware does for /api.
    /// </summary>
    internal static async Task<(Workspace? Workspace, WorkspaceRole Role, IResult? Refusal, string? Why)> AllowAsync(HttpContext http, string slug, WorkspaceRole minimum)
    {
        if (http.User.Identity?.IsAuthenticated != true)
        {
            return (null, default, TypedResults.Unauthorized(), null);
        }

        var resolver = http.RequestServices.GetRequiredService<WorkspaceResolver>();
        var access = http.RequestServices.GetRequiredService<WorkspaceAccess>();
        var workspace = await resolver.FindAsync(slug, http.RequestAborted);
        var role = workspace is null ? null : await access.RoleAsync(http.User, slug, http.RequestAborted);
        if (workspace is null || role is null)
        {
            return (null, default, TypedResults.NotFound(), null);
        }

        if (role < minimum)
        {
            return (null, role.Value, TypedResults.StatusCode(StatusCodes.Status403Forbidden), "Your role in this workspace does not include this page. Ask an admin of the workspace if you need it.");
        }

        if (!http.User.HasTwoFactor() && await http.RequestServices.GetRequiredService<IAccountStore>().RequiresTwoFactorAsync(workspace.Id, http.RequestAborted))
        {
            return (null, role.Value, TypedResults.StatusCode(StatusCodes.Status403Forbidden), "This workspace requires two-factor sign-in. Turn it on in your account, then sign in again.");
        }

        return (workspace, role.Value, null, null);
    }

    private static async Task<IResult> PanelAsync(string workspace, string panel, string? range, HttpContext http)
    {
        var (ws, _, refusal, _) = await AllowAsync(http, workspace);
        if (ws is null)
        {
            return refusal!;
        }

        return panel switch
        {
            "stream" => new RazorComponentResult<StreamPanel>(new { Workspace = ws }),
            "volume" => new RazorComponentResult<VolumePanel>(new { Workspace = ws, Range = range is "2h" or "7d" ? range : "24h" }),
            "share" => new RazorComponentResult<SharePanel>(new { Workspace = ws }),
            "voices" => new RazorComponentResult<VoicesPanel>(new { Workspace = ws }),
            "alerts" => new RazorComponentResult<OpenAlertsPanel>(new { Workspace = ws }),
            _ => TypedResults.NotFound(),
        };
    }

    private static async Task<IResult> PreviewAsync(string workspace, string? q, HttpContext http)
    {
        var (ws, _, refusal, _) = await AllowAsync(http, workspace);
        return ws is null ? refusal! : new RazorComponentResult<TopicPreview>(new { Workspace = ws, Query = q ?? string.Empty });
    }

    private static async Task<IResult> RevealAsync(string workspace, long id, [FromForm] string? source, HttpContext http, IMentionReader mentions, WellbeingTracker wellbeing)
    {
        var (ws, _, refusal, _) = await AllowAsync(http, workspace);
        if (ws is null)
        {
            return refusal!;
        }

        if (await mentions.GetAsync(ws.Id, id, http.RequestAborted) is not { } mention)
        {
            return TypedResults.NotFound();
        }

        if (mention.Analysis.Offensive || mention.Analysis.Hateful)
        {
            await wellbeing.RevealedAsync(http.User, ws.Id, http.RequestAborted);
        }

        return new RazorComponentResult<MentionItem>(new { Mention = mention, Slug = ws.Slug, Revealed = true });
    }

    private static async Task<IResult> CorrectAsync(string workspace, long id, [FromForm] string? label, HttpContext http, IMentionReader mentions, ICorrectionStore corrections, IMentionLabelWriter writer)
    {
        var (ws, _, refusal, _) = await AllowAsync(http, workspace);
        if (ws is null)
        {
            return refusal!;
        }

        var parts = (label ?? string.Empty).Split(':', 2);
        if (parts.Length != 2 || !LabelTasks.Labels.TryGetValue(parts[0], out var labels) || !labels.Contains(parts[1]))
        {
            return TypedResults.Redirect($"/w/{ws.Slug}/mentions/{id}");
        }

        if (await mentions.GetAsync(ws.Id, id, http.RequestAborted) is not { } mention)
        {
            return TypedResults.NotFound();
        }

        await corrections.AddAsync(ws.Id, id, parts[0], parts[1], mention.Text, mention.Analysis.DetectedLanguage ?? mention.Language, http.User.Identity?.Name, http.RequestAborted);
        await writer.ApplyLabelAsync(ws.Id, id, parts[0], parts[1], http.RequestAborted);
        return TypedResults.Redirect($"/w/{ws.Slug}/mentions/{id}?corrected=1");
    }

    private static async Task<IResult> AlertActionAsync(string workspace, long id, string action, [FromForm] int? minutes, [FromForm] string? reason, [FromForm] string? back, HttpContext http, AlertManager manager, TimeProvider clock)
    {
        var (ws, _, refusal, _) = await AllowAsync(http, workspace);
        if (ws is null)
        {
            return refusal!;
        }

        var actor = http.User.Identity?.Name ?? "someone";
        var ct = http.RequestAborted;
        var result = action switch
        {
            "acknowledge" => await manager.AcknowledgeAsync(ws.Id, id, actor, ct),
            "snooze" when minutes is >= 5 and <= 24 * 60 => await manager.SnoozeAsync(ws.Id, id, clock.GetUtcNow().AddMinutes(minutes.Value), actor, ct),
            "resolve" => await manager.ResolveAsync(ws.Id, id, actor, string.IsNullOrWhiteSpace(reason) ? null : reason.Trim()[..Math.Min(reason.Trim().Length, 500)], ct),
            "incident" => await manager.PromoteAsync(ws.Id, id, actor, null, ct),
            _ => null,
        };
        var done = result switch
        {
            null => "error-invalid",
            { Status: AlertActionStatus.NotFound } => "error-notfound",
            { Status: AlertActionStatus.Conflict } => "error-conflict",
            _ => action switch
            {
                "acknowledge" => "acknowledged",
                "snooze" => "snoozed",
                "resolve" => "resolved",
                _ => "incident",
            },
        };
        if (action == "incident" && result?.Alert?.IncidentId is { } incidentId && long.TryParse(incidentId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var incident))
        {
            // The point of promoting is the room: go there.
            return TypedResults.Redirect($"/w/{ws.Slug}/incidents/{incident}?done=incident");
        }

        return TypedResults.Redirect(back == "detail" ? $"/w/{ws.Slug}/alerts/{id}?done={done}" : $"/w/{ws.Slug}/alerts?done={done}");
    }

    private static async Task<IResult> DeleteTopicAsync(string workspace, long id, HttpContext http, ITopicStore topics, TopicCatalog catalog)
    {
        var (ws, _, refusal, _) = await AllowAsync(http, workspace);
        if (ws is null)
        {
            return refusal!;
        }

        var deleted = await topics.DeleteAsync(ws.Id, id, http.RequestAborted);
        catalog.Invalidate(ws.Id);
        return TypedResults.Redirect($"/w/{ws.Slug}/topics?done={(deleted ? "deleted" : "error-notfound")}");
    }

    private static async Task<IResult> RestorePlaybookAsync(string workspace, string key, int version, HttpContext http, Core.Playbooks.PlaybookLibrary library)
    {
        var (ws, _, refusal, _) = await AllowAsync(http, workspace);
        if (ws is null)
        {
            return refusal!;
        }

        var restored = await library.RestoreAsync(ws.Id, key, version, Endpoints.PlaybookEndpoints.SavedBy(http), http.RequestAborted);
        return TypedResults.Redirect(restored is null
            ? $"/w/{ws.Slug}/playbooks?done=error-notfound"
            : $"/w/{ws.Slug}/playbooks/{Uri.EscapeDataString(key)}?done=restored");
    }

    private static async Task<IResult> HeartbeatAsync(string workspace, [FromForm] string? page, HttpContext http, WellbeingTracker wellbeing)
    {
        var (ws, _, refusal, _) = await AllowAsync(http, workspace);
        if (ws is null)
        {
            return refusal!;
        }

        return await wellbeing.HeartbeatAsync(http.User, ws.Id, http.RequestAborted) ? TypedResults.NoContent() : TypedResults.StatusCode(StatusCodes.Status429TooManyRequests);
    }

    private static async Task<IResult> BudgetAsync(string workspace, [FromForm] int? hostile, [FromForm] int? minutes, HttpContext http, IWellbeingStore store)
    {
        var (ws, _, refusal, _) = await AllowAsync(http, workspace);
        if (ws is null)
        {
            return refusal!;
        }

        if (hostile is not (>= 1 and <= 1000) || minutes is not (>= 10 and <= 24 * 60))
        {
            return TypedResults.Redirect($"/w/{ws.Slug}/wellbeing?done=error-invalid");
        }

        await store.SetBudgetAsync(ws.Id, new ExposureBudget(hostile.Value, minutes.Value), http.RequestAborted);
        return TypedResults.Redirect($"/w/{ws.Slug}/wellbeing?done=saved");
    }

    private static async Task<IResult> MuteAsync(string workspace, [FromForm] string? platform, [FromForm] string? handle, [FromForm] long? mention, HttpContext http, MutedAuthors muted)
    {
        var (ws, _, refusal, _) = await AllowAsync(http, workspace);
        if (ws is null)
        {
            return refusal!;
        }

        if (!EnumNames.TryParsePlatform(platform, out var parsed) || string.IsNullOrWhiteSpace(handle) || handle.Length > 200)
        {
            return TypedResults.Redirect($"/w/{ws.Slug}/wellbeing?done=error-invalid");
        }

        await muted.MuteAsync(ws.Id, parsed, handle, http.User.Identity?.Name, http.RequestAborted);
        return TypedResults.Redirect(mention is { } id ? $"/w/{ws.Slug}/mentions/{id}?done=muted" : $"/w/{ws.Slug}/wellbeing?done=muted");
    }

    private static async Task<IResult> UnmuteAsync(string workspace, [FromForm] string? platform, [FromForm] string? handle, HttpContext http, MutedAuthors muted)
    {
        var (ws, _, refusal, _) = await AllowAsync(http, workspace);
        if (ws is null)
        {
            return refusal!;
        }

        if (EnumNames.TryParsePlatform(platform, out var parsed) && !string.IsNullOrWhiteSpace(handle))
        {
            await muted.UnmuteAsync(ws.Id, parsed, handle, http.RequestAborted);
        }

        return TypedResults.Redirect($"/w/{ws.Slug}/wellbeing?done=unmuted");
    }

    private static async Task<IResult> ChangeRoleAsync(string workspace, long accountId, [FromForm] string? role, HttpContext http, AccountService accounts)
    {
        var (ws, _, refusal, _) = await AllowAsync(http, workspace);
        if (ws is null)
        {
            return refusal!;
        }

        var outcome = Enum.TryParse<WorkspaceRole>(role, out var parsed) && Enum.IsDefined(parsed)
            ? await accounts.ChangeRoleAsync(http.Actor(), ws.Id, accountId, parsed, http.RequestAborted)
            : MemberOutcome.Invalid;
        return TypedResults.Redirect($"/w/{ws.Slug}/settings?done={MemberDone(outcome)}");
    }

    private static async Task<IResult> RemoveMemberAsync(string workspace, long accountId, HttpContext http, AccountService accounts)
    {
        var (ws, _, refusal, _) = await AllowAsync(http, workspace);
        if (ws is null)
        {
            return refusal!;
        }

        var outcome = await accounts.RemoveMemberAsync(http.Actor(), ws.Id, accountId, http.RequestAborted);
        return TypedResults.Redirect($"/w/{ws.Slug}/settings?done={MemberDone(outcome)}");
    }

    private static string MemberDone(MemberOutcome outcome) => outcome switch
    {
        MemberOutcome.Done => "saved",
        MemberOutcome.NotFound => "error-notfound",
        MemberOutcome.NotAllowed => "error-notallowed",
        MemberOutcome.OwnRole => "error-ownrole",
        MemberOutcome.LastOwner => "error-lastowner",
        _ => "error-invalid",
    };

    /// <summary>A person sets the quiet hours of their own alert contact (matched by e-mail) in a workspace they belong to.</summary>
    private static async Task<IResult> SetQuietHoursAsync([FromForm] string? workspace, [FromForm] long? contact, [FromForm] string? start, [FromForm] string? end, [FromForm] string? zone, HttpContext http, WorkspaceAccess access, WorkspaceResolver resolver, IAlertConfigStore config)
    {
        var email = http.User.FindFirst(System.Security.Claims.ClaimTypes.Email)?.Value;
        if (workspace is null || contact is null || email is null
            || await resolver.FindAsync(workspace, http.RequestAborted) is not { } ws
            || await access.RoleAsync(http.User, workspace, http.RequestAborted) is null
            || await config.GetContactAsync(ws.Id, contact.Value, http.RequestAborted) is not { } current
            || !string.Equals(current.Email, email, StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.NotFound();
        }

        QuietHours? quiet = null;
        if (!string.IsNullOrWhiteSpace(start) || !string.IsNullOrWhiteSpace(end))
        {
            if (!TimeOnly.TryParse(start, System.Globalization.CultureInfo.InvariantCulture, out var from)
                || !TimeOnly.TryParse(end, System.Globalization.CultureInfo.InvariantCulture, out var until)
                || string.IsNullOrWhiteSpace(zone) || !TimeZoneInfo.TryFindSystemTimeZoneById(zone.Trim(), out _))
            {
                return TypedResults.Redirect("/account?done=quiet-invalid");
            }

            quiet = new QuietHours(from, until, zone.Trim());
        }

        await config.UpdateContactAsync(current with { QuietHours = quiet }, http.RequestAborted);
        return TypedResults.Redirect("/account?done=quiet");
    }

    /// <summary>
    /// The audit trail of the UI's changes, as the access middleware keeps it for the API: every successful form action
    /// (one that did not redirect to an error) is recorded with the route as its target. Exposure events (a reveal, a
    /// heartbeat) are not changes and say so with SkipAudit.
    /// </summary>
    private static async ValueTask<object?> AuditChangeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        var http = context.HttpContext;
        var endpoint = http.GetEndpoint();
        if (!HttpMethods.IsPost(http.Request.Method) || endpoint?.Metadata.GetMetadata<SkipAudit>() is not null)
        {
            return result;
        }

        var succeeded = result switch
        {
            RedirectHttpResult redirect => !redirect.Url.Contains("done=error", StringComparison.Ordinal) && !redirect.Url.Contains("-invalid", StringComparison.Ordinal),
            IStatusCodeHttpResult { StatusCode: { } code } => code < 400,
            _ => false,
        };
        if (succeeded)
        {
            var slug = http.Request.RouteValues.TryGetValue("workspace", out var w) ? w?.ToString() : null;
            var workspace = slug is null ? null : await http.RequestServices.GetRequiredService<WorkspaceResolver>().FindAsync(slug, http.RequestAborted);
            var action = "ui." + (endpoint is RouteEndpoint route ? route.RoutePattern.RawText : http.Request.Path.Value);
            var target = string.Join(',', http.Request.RouteValues.Where(v => v.Key != "workspace").Select(v => $"{v.Key}={v.Value}"));
            await http.RequestServices.GetRequiredService<AuditLog>().RecordAsync(http.Actor(), workspace?.Id, action, target, null, CancellationToken.None);
        }

        return result;
    }
}
