using Firebreak.Core.Alerts;
using Firebreak.Core.Detection;
using Firebreak.Core.Incidents;
using Firebreak.Core.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Firebreak.Storage.Tests.Incidents;

/// <summary>Incidents, roles, timeline and tasks on each provider.</summary>
public abstract class IncidentStoreTests(StoreProvider provider) : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private TestStore store = null!;
    private long workspace;
    private long other;
    private Account ana = null!;
    private Account ben = null!;

    private IIncidentStore Incidents => store.Services.GetRequiredService<IIncidentStore>();

    private IncidentService Service => store.Services.GetRequiredService<IncidentService>();

    private IncidentActor Ana => new(ana.Id, ana.DisplayName);

    public async Task InitializeAsync()
    {
        store = await TestStore.OpenAsync(provider);
        workspace = await store.AddWorkspaceAsync();
        other = await store.AddWorkspaceAsync("other");
        var accounts = store.Services.GetRequiredService<IAccountStore>();
        ana = (await accounts.CreateAsync("ana@example.com", "Ana", "hash", false, None))!;
        ben = (await accounts.CreateAsync("ben@example.com", "Ben", "hash", false, None))!;
        await accounts.SetMembershipAsync(workspace, ana.Id, WorkspaceRole.Manager, None);
        await accounts.SetMembershipAsync(workspace, ben.Id, WorkspaceRole.Responder, None);
    }

    public async Task DisposeAsync() => await store.DisposeAsync();

    [StoreFact]
    public async Task Incident_RoundTrips_AndIsScopedToItsWorkspace()
    {
        var declared = await Service.DeclareAsync(workspace, new IncidentDeclaration("Recall rumour ‮ on X", "product-safety", IncidentSeverity.Sev2, [3, 4], ["x", "tiktok"]), Ana, None);

        var read = await Incidents.GetAsync(workspace, declared.Id, None);
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(declared), System.Text.Json.JsonSerializer.Serialize(read));
        Assert.Equal("Recall rumour ‮ on X", read!.Title);
        Assert.Equal([3L, 4L], read.TopicIds);
        Assert.Equal(["x", "tiktok"], read.Platforms);
        Assert.Equal(Ana, read.DeclaredBy);
        Assert.Equal(TestStore.Now, read.DeclaredAt);
        Assert.Equal(1, read.Version);
        Assert.Null(await Incidents.GetAsync(other, declared.Id, None));
        Assert.Empty(await Incidents.ListAsync(other, null, 50, None));
    }

    [StoreFact]
    public async Task Timeline_RecordsEveryChange_NewestFirst_AndPages()
    {
        var incident = await Service.DeclareAsync(workspace, new IncidentDeclaration("Outage", "platform-outage", IncidentSeverity.Sev3, [], []), Ana, None);
        store.Clock.Now = TestStore.Now.AddMinutes(1);
        Assert.Equal(IncidentResultStatus.Done, (await Service.UpdateAsync(workspace, incident.Id, new IncidentChange(Severity: IncidentSeverity.Sev1), Ana, None)).Status);
        Assert.Equal(IncidentResultStatus.Unchanged, (await Service.UpdateAsync(workspace, incident.Id, new IncidentChange(Severity: IncidentSeverity.Sev1), Ana, None)).Status);
        Assert.Equal(IncidentResultStatus.Done, (await Service.SetRoleAsync(workspace, incident.Id, IncidentRole.Lead, [ana.Id], Ana, None)).Status);
        await Service.AddNoteAsync(workspace, incident.Id, "Status page updated", null, Ana, None);
        await Service.AddNoteAsync(workspace, incident.Id, "Hold all scheduled posts", "brand posts during an outage read as tone-deaf", Ana, None);
        var resolved = await Service.UpdateAsync(workspace, incident.Id, new IncidentChange(Status: IncidentStatus.Resolved), Ana, None);
        Assert.Equal(TestStore.Now.AddMinutes(1), resolved.Incident!.ResolvedAt);
        var reopened = await Service.UpdateAsync(workspace, incident.Id, new IncidentChange(Status: IncidentStatus.Active), Ana, None);
        Assert.Null(reopened.Incident!.ResolvedAt);

        var page = await Incidents.ListTimelineAsync(incident.Id, null, 4, None);
        Assert.Equal(
            [TimelineKind.StatusChanged, TimelineKind.StatusChanged, TimelineKind.Decision, TimelineKind.Note],
            page.Entries.Select(e => e.Kind));
        Assert.Equal("Reopened as active", page.Entries[0].Text);
        Assert.Contains("tone-deaf", page.Entries[2].Data, StringComparison.Ordinal);
        Assert.NotNull(page.NextBefore);
        var rest = await Incidents.ListTimelineAsync(incident.Id, page.NextBefore, 4, None);
        Assert.Equal([TimelineKind.RolesChanged, TimelineKind.SeverityChanged, TimelineKind.Declared], rest.Entries.Select(e => e.Kind));
        Assert.Equal("Incident lead: Ana (was nobody)", rest.Entries[0].Text);
        Assert.Equal("Severity SEV3 → SEV1", rest.Entries[1].Text);
        Assert.Equal(Ana, rest.Entries[1].Actor);
        Assert.Null(rest.NextBefore);
        Assert.True(page.Entries.Concat(rest.Entries).Select(e => e.Id).SequenceEqual(page.Entries.Concat(rest.Entries).Select(e => e.Id).OrderDescending()));
    }

    [StoreFact]
    public async Task Roles_LeadIsOnePerson_OthersShared_MembersOnly()
    {
        var incident = await Service.DeclareAsync(workspace, new IncidentDeclaration("Hack", "hacked-account", IncidentSeverity.Sev1, [], []), Ana, None);
        Assert.Equal(IncidentResultStatus.Conflict, (await Service.SetRoleAsync(workspace, incident.Id, IncidentRole.Lead, [ana.Id, ben.Id], Ana, None)).Status);
        Assert.Equal(IncidentResultStatus.Conflict, (await Service.SetRoleAsync(workspace, incident.Id, IncidentRole.Scribe, [987654], Ana, None)).Status);
        Assert.Equal(IncidentResultStatus.Done, (await Service.SetRoleAsync(workspace, incident.Id, IncidentRole.Spokesperson, [ben.Id, ana.Id], Ana, None)).Status);
        Assert.Equal(IncidentResultStatus.Done, (await Service.SetRoleAsync(workspace, incident.Id, IncidentRole.Lead, [ben.Id], Ana, None)).Status);
        Assert.Equal(IncidentResultStatus.NotFound, (await Service.SetRoleAsync(other, incident.Id, IncidentRole.Lead, [ben.Id], Ana, None)).Status);

        var roles = await Incidents.ListRolesAsync(incident.Id, None);
        Assert.Equal([(IncidentRole.Lead, ben.Id), (IncidentRole.Spokesperson, ana.Id), (IncidentRole.Spokesperson, ben.Id)], roles.Select(r => (r.Role, r.AccountId)));
    }

    [StoreFact]
    public async Task TaskUpdates_FromTheSameVersion_OneWins_TheOtherConflicts_NothingLost()
    {
        var incident = await Service.DeclareAsync(workspace, new IncidentDeclaration("Complaint", "viral-complaint", IncidentSeverity.Sev3, [], []), Ana, None);
        var task = Assert.Single((await Service.AddTasksAsync(workspace, incident.Id, [new TaskDraft("Draft holding statement", null, null, null)], Ana, None))!);
        Assert.Equal(1, task.Version);

        var bens = new IncidentActor(ben.Id, "Ben");
        var results = await Task.WhenAll(
            Service.UpdateTaskAsync(workspace, incident.Id, task.Id, new TaskEdit(1, "Draft holding statement (legal)", null, null, IncidentTaskState.Open), Ana, None),
            Service.UpdateTaskAsync(workspace, incident.Id, task.Id, new TaskEdit(1, task.Title, ben.Id, null, IncidentTaskState.Open), bens, None));

        var winner = Assert.Single(results, r => r.Status == TaskUpdateStatus.Done);
        var loser = Assert.Single(results, r => r.Status == TaskUpdateStatus.Conflict);
        var stored = await Incidents.GetTaskAsync(incident.Id, task.Id, None);
        Assert.Equal(2, stored!.Version);
        Assert.Equal(winner.Task, stored);
        // The loser is told what is there now, so they can re-apply their change on top of it.
        Assert.Equal(stored, loser.Task);

        // Marking done: a stale version is a conflict, the current one works, and doing it twice is fine.
        Assert.Equal(TaskUpdateStatus.Conflict, (await Service.MarkDoneAsync(workspace, incident.Id, task.Id, 1, Ana, None)).Status);
        var done = await Service.MarkDoneAsync(workspace, incident.Id, task.Id, 2, Ana, None);
        Assert.Equal(TaskUpdateStatus.Done, done.Status);
        Assert.Equal(IncidentTaskState.Done, done.Task!.State);
        Assert.Equal("Ana", done.Task.DoneBy);
        var again = await Service.MarkDoneAsync(workspace, incident.Id, task.Id, 2, bens, None);
        Assert.Equal(TaskUpdateStatus.Unchanged, again.Status);
        Assert.Equal(done.Task, again.Task);
        Assert.Equal(TaskUpdateStatus.Unchanged, (await Service.UpdateTaskAsync(workspace, incident.Id, task.Id, new TaskEdit(2, done.Task.Title, done.Task.OwnerId, null, IncidentTaskState.Done), bens, None)).Status);

        var kinds = (await Incidents.ListTimelineAsync(incident.Id, null, 50, None)).Entries.Select(e => e.Kind).ToList();
        Assert.Equal(1, kinds.Count(k => k == TimelineKind.TaskDone));
        Assert.Equal(1, kinds.Count(k => k == TimelineKind.TaskUpdated));
    }

    [StoreFact]
    public async Task AddTasks_ResolvesOwnerRolesToTheirHolders()
    {
        var incident = await Service.DeclareAsync(workspace, new IncidentDeclaration("Tragedy", "national-tragedy", IncidentSeverity.Sev2, [], []), Ana, None);
        await Service.SetRoleAsync(workspace, incident.Id, IncidentRole.Spokesperson, [ben.Id], Ana, None);
        await Service.SetRoleAsync(workspace, incident.Id, IncidentRole.Lead, [ana.Id], Ana, None);
        var due = TestStore.Now.AddHours(1);

        var tasks = await Incidents.AddTasksAsync(
            incident.Id,
            [
                new TaskDraft("Pause scheduled posts", "lead", due, "pause-posts"),
                new TaskDraft("Post condolence statement", "Spokesperson", null, "statement"),
                new TaskDraft("Brief legal", "approver", null, "legal"),
                new TaskDraft("Watch replies", null, null, null) { OwnerId = ben.Id },
            ],
            IncidentActor.System,
            TestStore.Now,
            None);

        Assert.Equal([ana.Id, ben.Id, null, ben.Id], tasks.Select(t => t.OwnerId));
        Assert.Equal(["pause-posts", "statement", "legal", null], tasks.Select(t => t.StepId));
        Assert.Equal(due, tasks[0].DueAt);
        Assert.Equal(tasks, await Incidents.ListTasksAsync(incident.Id, None));
        var created = (await Incidents.ListTimelineAsync(incident.Id, null, 50, None)).Entries.Where(e => e.Kind == TimelineKind.TaskCreated).ToList();
        Assert.Equal(4, created.Count);
        Assert.Contains(created, e => e.Text == "Task added: Post condolence statement (for the Spokesperson)");
    }

    [StoreFact]
    public async Task OpenOrLink_OpensOnce_PerOpenTopic()
    {
        var opener = new AlertIncidentOpener(Incidents, store.Topics);
        var topic = (await store.Topics.AddAsync(workspace, "Brand", "acme", true, None))!;
        var first = await opener.OpenAsync(Request(11, topic.Id, DetectionSeverity.High), None);
        var second = await opener.OpenAsync(Request(12, topic.Id, DetectionSeverity.Critical), None);
        var elsewhere = await opener.OpenAsync(Request(13, 0, DetectionSeverity.Low), None);

        Assert.Equal(first, second);
        Assert.NotEqual(first, elsewhere);
        var incident = (await Incidents.GetAsync(workspace, long.Parse(first!, System.Globalization.CultureInfo.InvariantCulture), None))!;
        Assert.Equal([11L, 12L], incident.AlertIds);
        Assert.Equal(IncidentSeverity.Sev2, incident.Severity);
        Assert.Equal("other", incident.Type);
        Assert.Equal("Volume spike: Brand", incident.Title);
        var timeline = (await Incidents.ListTimelineAsync(incident.Id, null, 50, None)).Entries;
        Assert.Equal([TimelineKind.AlertLinked, TimelineKind.AlertLinked, TimelineKind.Declared], timeline.Select(e => e.Kind));
        Assert.Contains("already open", timeline[0].Text, StringComparison.Ordinal);

        // Resolved: the next alert on the topic opens a new incident.
        await Service.UpdateAsync(workspace, incident.Id, new IncidentChange(Status: IncidentStatus.Resolved), Ana, None);
        Assert.NotEqual(first, await opener.OpenAsync(Request(14, topic.Id, DetectionSeverity.Medium), None));
    }

    private IncidentRequest Request(long alertId, long topicId, DetectionSeverity severity) =>
        new(new Alert { Id = alertId, WorkspaceId = workspace, TopicId = topicId, Signal = DetectionSignal.Volume, Severity = severity }, "Ana", null, TestStore.Now);
}

public sealed class SqliteIncidentStoreTests() : IncidentStoreTests(StoreProvider.Sqlite);

[RequiresPostgres]
public sealed class PostgresIncidentStoreTests() : IncidentStoreTests(StoreProvider.Postgres);
