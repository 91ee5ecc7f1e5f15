namespace Firebreak.Web.Endpoints;

using Firebreak.Core.Security;
using Firebreak.Web.Auth;

using Firebreak.Core.Alerts;
using Firebreak.Core.Detection;
using Firebreak.Core.Secrets;
using Firebreak.Core.Topics;
using Firebreak.Core.Workspaces;
using Firebreak.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

/// <summary>Contacts (and the on-call rotation), channel targets and rules.</summary>
public static partial class AlertEndpoints
{
    private const int MaxListItems = 50;

    private static void MapConfiguration(RouteGroupBuilder ws)
    {
        var contacts = ws.MapGroup("/contacts").WithTags("Alert contacts");
        contacts.MapGet("/", ListContactsAsync).WithName("ListContacts").RequireWorkspaceRole(WorkspaceRole.Viewer);
        contacts.MapPost("/", CreateContactAsync).WithName("CreateContact").RequireWorkspaceRole(WorkspaceRole.Manager);
        contacts.MapGet("/{id:long}", GetContactAsync).WithName("GetContact").RequireWorkspaceRole(WorkspaceRole.Viewer);
        contacts.MapPut("/{id:long}", UpdateContactAsync).WithName("UpdateContact").RequireWorkspaceRole(WorkspaceRole.Manager);
        contacts.MapDelete("/{id:long}", DeleteContactAsync).WithName("DeleteContact").RequireWorkspaceRole(WorkspaceRole.Manager);
        ws.MapGet("/on-call", OnCallAsync).WithName("OnCallRotation").RequireWorkspaceRole(WorkspaceRole.Viewer).WithTags("Alert contacts")
            .WithSummary("The on-call rotation in paging order: the first is paged first, escalation walks down the list.");

        var channels = ws.MapGroup("/alert-channels").WithTags("Alert channels");
        channels.MapGet("/", ListChannelsAsync).WithName("ListAlertChannels").RequireWorkspaceRole(WorkspaceRole.Manager);
        channels.MapPost("/", CreateChannelAsync).WithName("CreateAlertChannel").RequireWorkspaceRole(WorkspaceRole.Admin).WithSummary("Secrets (webhook secret, SMTP password, Slack/Teams URL) are write-only.");
        channels.MapGet("/{id:long}", GetChannelAsync).WithName("GetAlertChannel").RequireWorkspaceRole(WorkspaceRole.Manager);
        channels.MapPut("/{id:long}", UpdateChannelAsync).WithName("UpdateAlertChannel").RequireWorkspaceRole(WorkspaceRole.Admin).WithSummary("Leave secrets out to keep the stored ones.");
        channels.MapDelete("/{id:long}", DeleteChannelAsync).WithName("DeleteAlertChannel").RequireWorkspaceRole(WorkspaceRole.Admin);

        var rules = ws.MapGroup("/alert-rules").WithTags("Alert rules");
        rules.MapGet("/", ListRulesAsync).WithName("ListAlertRules").RequireWorkspaceRole(WorkspaceRole.Viewer);
        rules.MapGet("/effective", EffectiveRulesAsync).WithName("EffectiveAlertRules").RequireWorkspaceRole(WorkspaceRole.Viewer)
            .WithSummary("The rules in force for a topic (?topic=id, 0 for the whole stream): its stored rules, or the defaults when it has none.");
        rules.MapPost("/", CreateRuleAsync).WithName("CreateAlertRule").RequireWorkspaceRole(WorkspaceRole.Manager);
        rules.MapGet("/{id:long}", GetRuleAsync).WithName("GetAlertRule").RequireWorkspaceRole(WorkspaceRole.Viewer);
        rules.MapPut("/{id:long}", UpdateRuleAsync).WithName("UpdateAlertRule").RequireWorkspaceRole(WorkspaceRole.Manager);
        rules.MapDelete("/{id:long}", DeleteRuleAsync).WithName("DeleteAlertRule").RequireWorkspaceRole(WorkspaceRole.Manager);
    }

    public static async Task<Results<Ok<ContactDto[]>, ProblemHttpResult>> ListContactsAsync(string workspace, WorkspaceResolver resolver, IAlertConfigStore store, CancellationToken ct) =>
        await resolver.FindAsync(workspace, ct) is { } ws
            ? TypedResults.Ok((await store.ListContactsAsync(ws.Id, ct)).Select(ContactDto.From).ToArray())
            : Problems.WorkspaceNotFound(workspace);

    public static async Task<Results<Ok<ContactDto[]>, ProblemHttpResult>> OnCallAsync(string workspace, WorkspaceResolver resolver, IAlertConfigStore store, CancellationToken ct) =>
        await resolver.FindAsync(workspace, ct) is { } ws
            ? TypedResults.Ok((await store.ListContactsAsync(ws.Id, ct)).Where(c => c.Enabled && c.OnCallOrder is not null).OrderBy(c => c.OnCallOrder).ThenBy(c => c.Id).Select(ContactDto.From).ToArray())
            : Problems.WorkspaceNotFound(workspace);

    public static async Task<Results<Ok<ContactDto>, ProblemHttpResult>> GetContactAsync(string workspace, long id, WorkspaceResolver resolver, IAlertConfigStore store, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        return await store.GetContactAsync(ws.Id, id, ct) is { } contact ? TypedResults.Ok(ContactDto.From(contact)) : Problems.NotFound("Contact", id);
    }

    public static async Task<Results<Created<ContactDto>, ValidationProblem, ProblemHttpResult>> CreateContactAsync(string workspace, ContactRequest request, WorkspaceResolver resolver, IAlertConfigStore store, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (Contact(ws.Id, 0, request, out var contact) is { } invalid)
        {
            return invalid;
        }

        var created = await store.AddContactAsync(contact, ct);
        return TypedResults.Created($"/api/workspaces/{workspace}/contacts/{created.Id}", ContactDto.From(created));
    }

    public static async Task<Results<Ok<ContactDto>, ValidationProblem, ProblemHttpResult>> UpdateContactAsync(string workspace, long id, ContactRequest request, WorkspaceResolver resolver, IAlertConfigStore store, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (Contact(ws.Id, id, request, out var contact) is { } invalid)
        {
            return invalid;
        }

        return await store.UpdateContactAsync(contact, ct) is { } updated ? TypedResults.Ok(ContactDto.From(updated)) : Problems.NotFound("Contact", id);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteContactAsync(string workspace, long id, WorkspaceResolver resolver, IAlertConfigStore store, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        return await store.DeleteContactAsync(ws.Id, id, ct) ? TypedResults.NoContent() : Problems.NotFound("Contact", id);
    }

    public static async Task<Results<Ok<ChannelDto[]>, ProblemHttpResult>> ListChannelsAsync(string workspace, WorkspaceResolver resolver, IAlertConfigStore store, CancellationToken ct) =>
        await resolver.FindAsync(workspace, ct) is { } ws
            ? TypedResults.Ok((await store.ListChannelsAsync(ws.Id, ct)).Select(ChannelDto.Of).ToArray())
            : Problems.WorkspaceNotFound(workspace);

    public static async Task<Results<Ok<ChannelDto>, ProblemHttpResult>> GetChannelAsync(string workspace, long id, WorkspaceResolver resolver, IAlertConfigStore store, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        return await store.GetChannelAsync(ws.Id, id, ct) is { } channel ? TypedResults.Ok(ChannelDto.Of(channel)) : Problems.NotFound("Alert channel", id);
    }

    public static async Task<Results<Created<ChannelDto>, ValidationProblem, ProblemHttpResult>> CreateChannelAsync(string workspace, ChannelRequest request, WorkspaceResolver resolver, IAlertConfigStore store, ISecretProtector secrets, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (Channel(ws.Id, null, request, secrets, out var target) is { } invalid)
        {
            return invalid;
        }

        var created = await store.AddChannelAsync(target, ct);
        return TypedResults.Created($"/api/workspaces/{workspace}/alert-channels/{created.Id}", ChannelDto.Of(created));
    }

    public static async Task<Results<Ok<ChannelDto>, ValidationProblem, ProblemHttpResult>> UpdateChannelAsync(string workspace, long id, ChannelRequest request, WorkspaceResolver resolver, IAlertConfigStore store, ISecretProtector secrets, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        if (await store.GetChannelAsync(ws.Id, id, ct) is not { } existing)
        {
            return Problems.NotFound("Alert channel", id);
        }

        if (Channel(ws.Id, existing, request, secrets, out var target) is { } invalid)
        {
            return invalid;
        }

        return await store.UpdateChannelAsync(target, ct) is { } updated ? TypedResults.Ok(ChannelDto.Of(updated)) : Problems.NotFound("Alert channel", id);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteChannelAsync(string workspace, long id, WorkspaceResolver resolver, IAlertConfigStore store, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        return await store.DeleteChannelAsync(ws.Id, id, ct) ? TypedResults.NoContent() : Problems.NotFound("Alert channel", id);
    }

    public static async Task<Results<Ok<RuleDto[]>, ProblemHttpResult>> ListRulesAsync(string workspace, WorkspaceResolver resolver, IAlertConfigStore store, CancellationToken ct) =>
        await resolver.FindAsync(workspace, ct) is { } ws
            ? TypedResults.Ok((await store.ListRulesAsync(ws.Id, ct)).Select(RuleDto.From).ToArray())
            : Problems.WorkspaceNotFound(workspace);

    public static async Task<Results<Ok<RuleDto[]>, ProblemHttpResult>> EffectiveRulesAsync(string workspace, long? topic, WorkspaceResolver resolver, IAlertConfigStore store, ITopicStore topics, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        var topicId = topic ?? 0;
        if (topicId != 0 && await topics.GetAsync(ws.Id, topicId, ct) is null)
        {
            return Problems.NotFound("Topic", topicId);
        }

        var context = new AlertContext(ws, await store.ListRulesAsync(ws.Id, ct), await store.ListContactsAsync(ws.Id, ct), await store.ListChannelsAsync(ws.Id, ct), new Dictionary<long, string>());
        return TypedResults.Ok(context.RulesFor(topicId).Select(RuleDto.From).ToArray());
    }

    public static async Task<Results<Ok<RuleDto>, ProblemHttpResult>> GetRuleAsync(string workspace, long id, WorkspaceResolver resolver, IAlertConfigStore store, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        return await store.GetRuleAsync(ws.Id, id, ct) is { } rule ? TypedResults.Ok(RuleDto.From(rule)) : Problems.NotFound("Alert rule", id);
    }

    public static async Task<Results<Created<RuleDto>, ValidationProblem, ProblemHttpResult>> CreateRuleAsync(string workspace, RuleRequest request, WorkspaceResolver resolver, IAlertConfigStore store, ITopicStore topics, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        var (rule, errors) = await RuleAsync(ws, 0, request, store, topics, ct);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var created = await store.AddRuleAsync(rule, ct);
        return TypedResults.Created($"/api/workspaces/{workspace}/alert-rules/{created.Id}", RuleDto.From(created));
    }

    public static async Task<Results<Ok<RuleDto>, ValidationProblem, ProblemHttpResult>> UpdateRuleAsync(string workspace, long id, RuleRequest request, WorkspaceResolver resolver, IAlertConfigStore store, ITopicStore topics, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        var (rule, errors) = await RuleAsync(ws, id, request, store, topics, ct);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return await store.UpdateRuleAsync(rule, ct) is { } updated ? TypedResults.Ok(RuleDto.From(updated)) : Problems.NotFound("Alert rule", id);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteRuleAsync(string workspace, long id, WorkspaceResolver resolver, IAlertConfigStore store, CancellationToken ct)
    {
        if (await resolver.FindAsync(workspace, ct) is not { } ws)
        {
            return Problems.WorkspaceNotFound(workspace);
        }

        return await store.DeleteRuleAsync(ws.Id, id, ct) ? TypedResults.NoContent() : Problems.NotFound("Alert rule", id);
    }

    private static ValidationProblem? Contact(long workspaceId, long id, ContactRequest request, out AlertContact contact)
    {
        var errors = new Dictionary<string, string[]>();
        var name = request.Name?.Trim() ?? string.Empty;
        if (name.Length is 0 or > AlertValidation.MaxName)
        {
            errors["name"] = [$"is required and at most {AlertValidation.MaxName} characters"];
        }

        var email = string.IsNullOrWhiteSpace(request.Email) ? null : request.Email.Trim();
        if (email is not null && !AlertValidation.IsEmail(email))
        {
            errors["email"] = ["must be a plain address like ana@example.com"];
        }

        if (request.OnCallOrder is < 0 or > 10_000)
        {
            errors["onCallOrder"] = ["must be between 0 and 10,000 (lowest is paged first), or left out when not on call"];
        }

        QuietHours? quiet = null;
        if (request.QuietHours is { } q)
        {
            if (!AlertValidation.TryTime(q.Start, out var start) || !AlertValidation.TryTime(q.End, out var end) || start == end)
            {
                errors["quietHours"] = ["start and end are required as HH:mm (24-hour) and must differ, e.g. {\"start\": \"22:00\", \"end\": \"07:00\", \"timeZone\": \"Europe/Paris\"}"];
            }
            else if (string.IsNullOrWhiteSpace(q.TimeZone) || !TimeZoneInfo.TryFindSystemTimeZoneById(q.TimeZone.Trim(), out _))
            {
                errors["quietHours.timeZone"] = [$"'{q.TimeZone}' is not a known IANA time zone (e.g. Europe/Paris, America/New_York, UTC)"];
            }
            else
            {
                quiet = new QuietHours(start, end, q.TimeZone.Trim());
            }
        }

        contact = new AlertContact(id, workspaceId, name, email, request.OnCallOrder, quiet, request.Enabled ?? true, default, default);
        return errors.Count > 0 ? TypedResults.ValidationProblem(errors) : null;
    }

    /// <summary>Validates a channel request; the secret, when given, comes out already encrypted.</summary>
    private static ValidationProblem? Channel(long workspaceId, ChannelTarget? existing, ChannelRequest request, ISecretProtector secrets, out ChannelTarget target)
    {
        var errors = new Dictionary<string, string[]>();
        target = null!;
        if (!AlertValidation.TryEnum<ChannelKind>(request.Kind, out var kind) || kind == ChannelKind.InApp)
        {
            errors["kind"] = ["use email, webhook, slack or teams (in-app is built in: set inApp on a rule)"];
            return TypedResults.ValidationProblem(errors);
        }

        if (existing is not null && existing.Kind != kind)
        {
            errors["kind"] = [$"is {existing.Kind.ToString().ToLowerInvariant()} and cannot change; create a new channel instead"];
            return TypedResults.ValidationProblem(errors);
        }

        var name = request.Name?.Trim() ?? string.Empty;
        if (name.Length is 0 or > AlertValidation.MaxName)
        {
            errors["name"] = [$"is required and at most {AlertValidation.MaxName} characters"];
        }

        string? secret = null;
        var settings = existing?.Settings ?? new ChannelSettings();
        switch (kind)
        {
            case ChannelKind.Webhook:
                if (!AlertValidation.IsHttpUrl(request.Url, httpsOnly: false, out var url))
                {
                    errors["url"] = ["is required: an absolute http(s) URL without credentials"];
                }

                settings = new ChannelSettings(Url: url?.AbsoluteUri);
                secret = request.Secret;
                if ((secret is null && existing is null) || secret is { Length: < 16 or > 512 })
                {
                    errors["secret"] = ["is required when creating (16 to 512 characters): the key receivers verify X-Firebreak-Signature with"];
                }

                break;
            case ChannelKind.Slack or ChannelKind.Teams:
                if (request.Url is null && existing is not null)
                {
                    break;
                }

                if (!AlertValidation.IsHttpUrl(request.Url, httpsOnly: true, out var hook))
                {
                    errors["url"] = [$"is required: the {kind} incoming-webhook URL (https)"];
                }
                else
                {
                    // The URL is the credential: kept encrypted, and only its origin is shown.
                    secret = hook.AbsoluteUri;
                    settings = new ChannelSettings(Url: hook.GetLeftPart(UriPartial.Authority) + "/…");
                }

                break;
            case ChannelKind.Email:
                var host = request.Host?.Trim();
                if (string.IsNullOrEmpty(host) || host.Length > 255 || host.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
                {
                    errors["host"] = ["is required: the SMTP server's name"];
                }

                if (request.Port is < 1 or > 65_535)
                {
                    errors["port"] = ["must be between 1 and 65535 (587 for STARTTLS, 465 for TLS, 25 for plain)"];
                }

                var security = SmtpSecurity.StartTls;
                if (request.Security is not null && !AlertValidation.TryEnum(request.Security, out security))
                {
                    errors["security"] = ["use none, startTls or tls"];
                }

                if (!AlertValidation.IsEmail(request.From?.Trim()))
                {
                    errors["from"] = ["is required: the sender address, e.g. alerts@example.com"];
                }

                var username = string.IsNullOrWhiteSpace(request.Username) ? null : request.Username.Trim();
                secret = request.Password;
                if (username is not null && string.IsNullOrEmpty(request.Password) && existing?.Secret is null)
                {
                    errors["password"] = ["is required with a username"];
                }

                if (request.FromName is { Length: > AlertValidation.MaxName })
                {
                    errors["fromName"] = [$"is at most {AlertValidation.MaxName} characters"];
                }

                settings = new ChannelSettings(Host: host, Port: request.Port ?? 0, Security: security, Username: username, From: request.From?.Trim(),
                    FromName: string.IsNullOrWhiteSpace(request.FromName) ? null : request.FromName.Trim(), AllowPlaintextAuth: request.AllowPlaintextAuth ?? false);
                break;
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        target = new ChannelTarget(existing?.Id ?? 0, workspaceId, kind, name, settings,
            string.IsNullOrEmpty(secret) ? null : secrets.Protect(secret, ChannelTarget.SecretPurpose(workspaceId)), request.Enabled ?? true, default, default);
        return null;
    }

    private static async Task<(AlertRule Rule, Dictionary<string, string[]> Errors)> RuleAsync(Workspace ws, long id, RuleRequest request, IAlertConfigStore store, ITopicStore topics, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var name = request.Name?.Trim() ?? string.Empty;
        if (name.Length is 0 or > AlertValidation.MaxName)
        {
            errors["name"] = [$"is required and at most {AlertValidation.MaxName} characters"];
        }

        if (request.TopicId is { } topicId and not 0 && await topics.GetAsync(ws.Id, topicId, ct) is null)
        {
            errors["topicId"] = [$"no topic {topicId} in this workspace (0 is the whole stream; leave out for every topic)"];
        }

        var signals = new List<DetectionSignal>();
        foreach (var text in request.Signals ?? [])
        {
            if (AlertValidation.TryEnum<DetectionSignal>(text, out var signal))
            {
                signals.Add(signal);
            }
            else
            {
                errors["signals"] = [$"'{text}' is not a signal; use {AlertValidation.SignalNames}"];
            }
        }

        if (signals.Count == 0 && !errors.ContainsKey("signals"))
        {
            errors["signals"] = ["list at least one of " + AlertValidation.SignalNames];
        }

        var severity = DetectionSeverity.Medium;
        if (request.MinSeverity is not null && !AlertValidation.TryEnum(request.MinSeverity, out severity))
        {
            errors["minSeverity"] = ["use low, medium, high or critical"];
        }

        var contactIds = request.ContactIds?.Distinct().ToArray() ?? [];
        var channelIds = request.ChannelIds?.Distinct().ToArray() ?? [];
        var emails = request.Emails?.Select(e => e.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToArray() ?? [];
        if (contactIds.Length > MaxListItems || channelIds.Length > MaxListItems || emails.Length > MaxListItems)
        {
            errors["rule"] = [$"contactIds, channelIds and emails hold at most {MaxListItems} items each"];
        }

        var knownContacts = (await store.ListContactsAsync(ws.Id, ct)).Select(c => c.Id).ToHashSet();
        if (contactIds.Where(c => !knownContacts.Contains(c)).ToArray() is { Length: > 0 } unknownContacts)
        {
            errors["contactIds"] = [$"no contact {string.Join(", ", unknownContacts)} in this workspace"];
        }

        var knownChannels = (await store.ListChannelsAsync(ws.Id, ct)).Select(c => c.Id).ToHashSet();
        if (channelIds.Where(c => !knownChannels.Contains(c)).ToArray() is { Length: > 0 } unknownChannels)
        {
            errors["channelIds"] = [$"no alert channel {string.Join(", ", unknownChannels)} in this workspace"];
        }

        if (emails.FirstOrDefault(e => !AlertValidation.IsEmail(e)) is { } badEmail)
        {
            errors["emails"] = [$"'{badEmail}' is not a plain address like ana@example.com"];
        }

        var minutes = request.EscalateAfterMinutes ?? AlertRule.DefaultEscalateAfter.TotalMinutes;
        if (!double.IsFinite(minutes) || minutes < 1 || minutes > 1_440)
        {
            errors["escalateAfterMinutes"] = ["must be between 1 and 1440"];
        }

        var rule = new AlertRule(id, ws.Id, request.TopicId, name, signals.Distinct().ToArray(), severity, request.OnCall ?? true, contactIds, emails,
            request.InApp ?? true, channelIds, errors.ContainsKey("escalateAfterMinutes") ? AlertRule.DefaultEscalateAfter : TimeSpan.FromMinutes(minutes), request.Enabled ?? true);
        return (rule, errors);
    }
}
