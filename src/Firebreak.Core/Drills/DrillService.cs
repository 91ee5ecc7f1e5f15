namespace Firebreak.Core.Drills;

using System.Globalization;
using System.Text.Json.Nodes;
using Firebreak.Core.Alerts;
using Firebreak.Core.Inbox;
using Firebreak.Core.Incidents;
using Firebreak.Core.Incidents.Review;
using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;
using Firebreak.Core.Playbooks;
using Firebreak.Core.RiskCues;
using Firebreak.Core.Scenarios;
using Firebreak.Core.Security;
using Firebreak.Core.Topics;
using Firebreak.Core.Workspaces;

/// <summary>What a drill is asked to run: the playbook, the scenario, how fast, and how big a stream.</summary>
public sealed record DrillRequest(string PlaybookKey, string? Scenario, double Speed, double RatePerMinute, int Minutes);

public enum DrillStartOutcome
{
    Started = 1,
    UnknownPlaybook = 2,
    UnknownScenario = 3,
    SandboxCannotDrill = 4,
}

public sealed record DrillStartResult(DrillStartOutcome Outcome, Drill? Drill, Workspace? Sandbox);

/// <summary>
/// Starts, advances, ends and scores drills. Starting copies the workspace into a sandbox (topics, members and roles, risk
/// cues, reply templates, saved playbooks; no mentions, no alert channels or contacts, so alerts there reach nobody
/// outside the app); the <see cref="DrillRunner"/> plays the stream and calls <see cref="TickAsync"/>.
/// </summary>
public sealed class DrillService(
    IDrillStore store,
    IWorkspaceStore workspaces,
    ITopicStore topics,
    TopicCatalog catalog,
    IAccountStore accounts,
    IRiskCueStore riskCues,
    IInboxStore inbox,
    IPlaybookStore playbookStore,
    PlaybookLibrary playbooks,
    IIncidentStore incidents,
    IAlertStore alerts,
    IMentionReader mentions,
    ReviewService reviews,
    PauseHistory pauses,
    IngestPipeline pipeline,
    TimeProvider clock)
{
    public const double DefaultSpeed = 8;
    public const double DefaultRatePerMinute = 20;
    public const int DefaultMinutes = 120;

    /// <summary>
    /// Calm stream before the drill starts, fed at once: the series detectors judge a topic only after two hours of
    /// minutes (their warm-up), so a sandbox without this past could never raise a volume alert.
    /// </summary>
    public static readonly TimeSpan History = TimeSpan.FromHours(3);

    public DrillTargets Targets { get; init; } = new();

    public IDrillStore Store => store;

    public async Task<DrillStartResult> StartAsync(Workspace parent, DrillRequest request, IncidentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(request);
        if (await store.FindBySandboxAsync(parent.Id, cancellationToken).ConfigureAwait(false) is not null)
        {
            return new(DrillStartOutcome.SandboxCannotDrill, null, null);
        }

        if (await playbooks.GetAsync(parent.Id, request.PlaybookKey, cancellationToken).ConfigureAwait(false) is not { } playbook)
        {
            return new(DrillStartOutcome.UnknownPlaybook, null, null);
        }

        var scenario = DrillScenarios.Find(request.Scenario ?? DrillScenarios.ForPlaybook(playbook.Playbook.Scenario));
        if (scenario is null)
        {
            return new(DrillStartOutcome.UnknownScenario, null, null);
        }

        var number = await store.NextNumberAsync(parent.Id, cancellationToken).ConfigureAwait(false);
        var sandbox = await CreateSandboxAsync(parent, number, cancellationToken).ConfigureAwait(false);

        // The drill row marks the workspace as a sandbox: it is written before anything is copied in, so a copy that
        // fails halfway leaves a marked sandbox (that never sends), never an unmarked twin of the real workspace.
        var drill = await store.AddAsync(Schedule(new Drill(0, parent.Id, sandbox.Id, number, playbook.Playbook.Key, scenario.Key, request.Speed, request.RatePerMinute, request.Minutes,
            DrillState.Running, default, default, default, null, actor.AccountId, actor.Name, [], null), scenario), cancellationToken).ConfigureAwait(false);
        await CopyAsync(parent.Id, sandbox.Id, cancellationToken).ConfigureAwait(false);

        // The clock starts once the copy is done, so the burst is where the stream will put it.
        drill = Schedule(drill, scenario);
        await store.SetScheduleAsync(drill.Id, drill.StartedAt, drill.BurstAt, drill.StreamEndsAt, cancellationToken).ConfigureAwait(false);
        return new(DrillStartOutcome.Started, drill, sandbox);
    }

    private Drill Schedule(Drill drill, DrillScenario scenario)
    {
        var now = clock.GetUtcNow();
        return drill with { StartedAt = now, BurstAt = now + Scaled(scenario.BurstAfterMinutes, drill.Speed), StreamEndsAt = now + Scaled(drill.Minutes, drill.Speed) };
    }

    /// <summary>The generated stream of a drill: calm history up to its start, then the burst, compressed by the runner.</summary>
    public static ScenarioOptions StreamOf(Drill drill)
    {
        ArgumentNullException.ThrowIfNull(drill);
        var scenario = DrillScenarios.Find(drill.Scenario) ?? DrillScenarios.All[0];
        return ScenarioCatalog.Create(scenario.Stream, drill.StartedAt - History) with
        {
            Duration = History + TimeSpan.FromMinutes(drill.Minutes),
            CrisisStart = History + TimeSpan.FromMinutes(scenario.BurstAfterMinutes),
            BaseRatePerMinute = drill.RatePerMinute,
            Seed = 1_000 + drill.Number,
        };
    }

    /// <summary>Wall-clock time of <paramref name="scenarioMinutes"/> of scenario time at the drill's speed.</summary>
    public static TimeSpan Scaled(double scenarioMinutes, double speed) => TimeSpan.FromMinutes(scenarioMinutes / Math.Max(speed, 0.001));

    /// <summary>The drill's incident: the first one declared in its sandbox.</summary>
    public async Task<Incident?> IncidentOfAsync(Drill drill, CancellationToken cancellationToken) =>
        (await incidents.ListAsync(drill.SandboxId, null, 500, cancellationToken).ConfigureAwait(false)).OrderBy(i => i.Id).FirstOrDefault();

    /// <summary>
    /// Advances a running drill: fires the prompts that are due, writes them to the incident's timeline once there is one,
    /// and ends the drill when its incident is resolved. Returns the drill as it is now.
    /// </summary>
    public async Task<Drill> TickAsync(Drill drill, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(drill);
        if (drill.State != DrillState.Running)
        {
            return drill;
        }

        var now = clock.GetUtcNow();
        var incident = await IncidentOfAsync(drill, cancellationToken).ConfigureAwait(false);
        var fired = drill.Injects.ToList();
        var changed = false;
        var scenario = DrillScenarios.Find(drill.Scenario);
        foreach (var inject in scenario?.Injects ?? [])
        {
            if (fired.Any(f => f.Key == inject.Key))
            {
                continue;
            }

            MentionInput? input = null;
            if (inject.Trigger == InjectTrigger.AfterBurst && now >= drill.BurstAt + Scaled(inject.MinutesAfterBurst, drill.Speed))
            {
                input = Compose(drill, inject, null, now);
            }
            else if (inject.Trigger == InjectTrigger.AfterFirstReply && incident is not null
                && await FirstAnsweredAsync(drill, incident.Id, fired, cancellationToken).ConfigureAwait(false) is { } answered)
            {
                input = Compose(drill, inject, answered, now);
            }

            if (input is not null)
            {
                await pipeline.IngestAsync(IngestBatch.FromInputs(drill.SandboxId, [input]), cancellationToken).ConfigureAwait(false);
                fired.Add(new FiredInject(inject.Key, inject.Title, input.ExternalId!, now, false));
                changed = true;
            }
        }

        if (incident is not null)
        {
            for (var i = 0; i < fired.Count; i++)
            {
                if (!fired[i].OnTimeline)
                {
                    var data = new JsonObject { ["drillId"] = drill.Id, ["inject"] = fired[i].Key, ["externalId"] = fired[i].ExternalId };
                    await incidents.AppendAsync(incident.Id, new TimelineDraft(now, IncidentActor.System, TimelineKind.Drill, $"Drill prompt: {fired[i].Title}", data.ToJsonString()), cancellationToken).ConfigureAwait(false);
                    fired[i] = fired[i] with { OnTimeline = true };
                    changed = true;
                }
            }
        }

        if (changed)
        {
            await store.SetInjectsAsync(drill.Id, fired, cancellationToken).ConfigureAwait(false);
            drill = drill with { Injects = fired };
        }

        if (incident?.Status == IncidentStatus.Resolved)
        {
            return await EndAsync(drill, cancellationToken).ConfigureAwait(false) ?? drill;
        }

        return drill;
    }

    /// <summary>Ends a running drill and keeps its score; the ended drill (or null when someone ended it first).</summary>
    public async Task<Drill?> EndAsync(Drill drill, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(drill);
        if (drill.State != DrillState.Running)
        {
            return null;
        }

        var score = await ScoreAsync(drill, cancellationToken).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        return await store.EndAsync(drill.Id, now, score, cancellationToken).ConfigureAwait(false)
            ? drill with { State = DrillState.Ended, EndedAt = now, Score = score }
            : null;
    }

    /// <summary>The score: kept when the drill ended, computed now while it runs.</summary>
    public async Task<DrillScore> ScoreAsync(Drill drill, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(drill);
        if (drill.Score is { } kept)
        {
            return kept;
        }

        var incident = await IncidentOfAsync(drill, cancellationToken).ConfigureAwait(false);
        var review = incident is null ? null : await reviews.BuildAsync(drill.SandboxId, incident.Id, cancellationToken).ConfigureAwait(false);
        var opened = await alerts.ListAsync(drill.SandboxId, new AlertFilter(Limit: 500), cancellationToken).ConfigureAwait(false);
        var firstAlert = opened.Where(a => a.OpenedAt >= drill.BurstAt).Select(a => (DateTimeOffset?)a.OpenedAt).Min();
        var answered = new HashSet<string>(StringComparer.Ordinal);
        if (incident is not null)
        {
            var byExternalId = drill.Injects.ToDictionary(i => i.ExternalId, i => i.Key, StringComparer.Ordinal);
            foreach (var reply in await inbox.ListRepliesAsync(drill.SandboxId, incident.Id, cancellationToken).ConfigureAwait(false))
            {
                if (await mentions.GetAsync(drill.SandboxId, reply.MentionId, cancellationToken).ConfigureAwait(false) is { } mention
                    && byExternalId.TryGetValue(mention.ExternalId, out var key))
                {
                    answered.Add(key);
                }
            }
        }

        var pausedAt = DrillScenarios.Find(drill.Scenario)?.KeyDecision is { } decision
            ? await pauses.FirstPauseAsync(drill.SandboxId, decision.AnyScope, cancellationToken).ConfigureAwait(false)
            : null;
        return DrillScorer.Score(new DrillScoreInput(drill, incident?.Id, review?.Figures, review?.Tasks ?? [], firstAlert, answered, clock.GetUtcNow(), pausedAt), Targets);
    }

    private async Task<Workspace> CreateSandboxAsync(Workspace parent, int number, CancellationToken cancellationToken)
    {
        var n = number.ToString(CultureInfo.InvariantCulture);
        var name = $"{parent.Name} (drill {n})";
        var stem = parent.Slug.Length > 40 ? parent.Slug[..40] : parent.Slug;
        for (var attempt = 0; ; attempt++)
        {
            var slug = $"{stem}-drill-{n}" + (attempt == 0 ? string.Empty : "-" + attempt.ToString(CultureInfo.InvariantCulture));
            if (await workspaces.AddAsync(slug, name, parent.TimeZone, cancellationToken).ConfigureAwait(false) is { } created)
            {
                return created;
            }
        }
    }

    /// <summary>What the team needs to rehearse as themselves: their topics, people and roles, cues, templates and playbooks.</summary>
    private async Task CopyAsync(long parentId, long sandboxId, CancellationToken cancellationToken)
    {
        foreach (var topic in await topics.ListAsync(parentId, cancellationToken).ConfigureAwait(false))
        {
            await topics.AddAsync(sandboxId, topic.Name, topic.Query, topic.Enabled, cancellationToken).ConfigureAwait(false);
        }

        catalog.Invalidate(sandboxId);
        foreach (var member in await accounts.ListMembersAsync(parentId, cancellationToken).ConfigureAwait(false))
        {
            await accounts.SetMembershipAsync(sandboxId, member.AccountId, member.Role, cancellationToken).ConfigureAwait(false);
        }

        if (await riskCues.GetAsync(parentId, cancellationToken).ConfigureAwait(false) is { } cues)
        {
            await riskCues.SetAsync(sandboxId, cues, cancellationToken).ConfigureAwait(false);
        }

        var now = clock.GetUtcNow();
        foreach (var template in await inbox.ListTemplatesAsync(parentId, now, cancellationToken).ConfigureAwait(false))
        {
            await inbox.SaveTemplateAsync(sandboxId, template.Name, template.Language, template.Text, now, cancellationToken).ConfigureAwait(false);
        }

        await inbox.SetTargetsAsync(sandboxId, await inbox.GetTargetsAsync(parentId, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        foreach (var saved in await playbookStore.LatestAsync(parentId, cancellationToken).ConfigureAwait(false))
        {
            await playbookStore.AddVersionAsync(sandboxId, saved.Key, saved.Yaml, saved.SavedBy, $"copied from the parent workspace (version {saved.Version})", now, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The first mention of the incident the team replied to, other than a prompt.</summary>
    private async Task<Mention?> FirstAnsweredAsync(Drill drill, long incidentId, IReadOnlyList<FiredInject> fired, CancellationToken cancellationToken)
    {
        var replies = await inbox.ListRepliesAsync(drill.SandboxId, incidentId, cancellationToken).ConfigureAwait(false);
        foreach (var reply in replies.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id))
        {
            if (await mentions.GetAsync(drill.SandboxId, reply.MentionId, cancellationToken).ConfigureAwait(false) is { } mention
                && !fired.Any(f => f.ExternalId == mention.ExternalId))
            {
                return mention;
            }
        }

        return null;
    }

    private static MentionInput Compose(Drill drill, DrillInject inject, Mention? answered, DateTimeOffset now)
    {
        var language = answered is not null && inject.Texts.ContainsKey(answered.Language) ? answered.Language
            : inject.Texts.ContainsKey(inject.Language) ? inject.Language : "en";
        var text = inject.Texts.TryGetValue(language, out var found) ? found : inject.Texts.Values.First();
        var brand = "@" + string.Concat(StreamOf(drill).Brand.Where(char.IsLetterOrDigit));
        text = text.Replace("{brand}", brand, StringComparison.Ordinal);
        return new MentionInput
        {
            Platform = answered?.Platform.ToWire() ?? inject.Platform,
            ExternalId = $"drill-{drill.Id.ToString(CultureInfo.InvariantCulture)}-{inject.Key}",
            Kind = answered is null ? inject.Kind : "reply",
            Author = answered is null
                ? new AuthorInput { Handle = inject.Handle, DisplayName = inject.Name, Followers = inject.Followers }
                : new AuthorInput { Handle = answered.Author.Handle, DisplayName = answered.Author.DisplayName, Followers = answered.Author.Followers, Verified = answered.Author.Verified },
            Text = text,
            Language = language,
            CreatedAt = now,
            ParentExternalId = answered?.ExternalId,
            ThreadExternalId = answered?.ThreadExternalId ?? answered?.ExternalId,
        };
    }
}
