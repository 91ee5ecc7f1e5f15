namespace Firebreak.Storage.Tests.Publishing;

using Firebreak.Core.Analysis;
using Firebreak.Core.Incidents;
using Firebreak.Core.Mentions;
using Firebreak.Core.Publishing;
using Firebreak.Core.Publishing.Posts;
using Firebreak.Core.Security;
using Microsoft.Extensions.DependencyInjection;

/// <summary>Posts, history, workflows and terms on each provider, and the post service over the real store (doubles only for the outbox's seams).</summary>
public abstract class PostStoreTests(StoreProvider provider) : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private TestStore store = null!;
    private long workspace;
    private long other;

    private IPostStore Posts => store.Services.GetRequiredService<IPostStore>();

    public async Task InitializeAsync()
    {
        store = await TestStore.OpenAsync(provider);
        workspace = await store.AddWorkspaceAsync();
        other = await store.AddWorkspaceAsync("other");
    }

    public async Task DisposeAsync() => await store.DisposeAsync();

    [StoreFact]
    public async Task APostRoundTripsWithEverythingHostile()
    {
        var text = "مرحبا 👨‍👩‍👧‍👦 Z̴̡̛a̵l̷g̸o \"quotes\" '; DROP TABLE posts; --";
        var post = Sample() with
        {
            Text = text,
            Media = [new PostMedia("https://cdn.example.com/a.jpg", MediaKind.Image), new PostMedia("https://cdn.example.com/b.mp4", MediaKind.Video)],
            Links = ["https://example.com/ü?x=1"],
            Campaign = "Été 2026",
            Schedule = new PostSchedule(new DateTimeOffset(2026, 10, 25, 0, 30, 0, TimeSpan.Zero), "Europe/London", new DateTime(2026, 10, 25, 1, 30, 0)),
            Approvals = [new PostApproval(3, "Max", 0, 1, TestStore.Now)],
        };
        var saved = await Posts.CreateAsync(post, Entry(PostEventKind.Created), None);
        var read = await Posts.GetAsync(workspace, saved.Id, None);
        Assert.NotNull(read);
        Assert.Equal(text, read.Text);
        Assert.Equal(post.Media, read.Media);
        Assert.Equal(post.Links, read.Links);
        Assert.Equal("Été 2026", read.Campaign);
        Assert.Equal(post.Schedule, read.Schedule);
        Assert.Equal(post.Approvals, read.Approvals);
        Assert.Equal((1, 1, PostState.Draft), (read.Version, read.Revision, read.State));
        Assert.Null(await Posts.GetAsync(other, saved.Id, None));
    }

    [StoreFact]
    public async Task AStaleUpdateIsRefused_AndExactlyOneOfTwoRacingEditsWins()
    {
        var saved = await Posts.CreateAsync(Sample(), Entry(PostEventKind.Created), None);
        var edits = await Task.WhenAll(Enumerable.Range(1, 4).Select(i =>
            Posts.UpdateAsync(saved with { Text = $"edit {i}" }, saved.Version, [Entry(PostEventKind.Edited, $"edit {i}")], None)));
        var winner = Assert.Single(edits, e => e is not null);
        Assert.Equal(2, winner!.Version);
        Assert.Null(await Posts.UpdateAsync(saved with { Text = "late" }, saved.Version, [], None));
        var history = await Posts.HistoryAsync(workspace, saved.Id, None);
        Assert.Equal([PostEventKind.Created, PostEventKind.Edited], history.Select(h => h.Kind));
        Assert.Equal(winner.Text, history[1].Text);
    }

    [StoreFact]
    public async Task ListsByRange_AndDeleteHidesButKeepsHistory()
    {
        var at = new DateTimeOffset(2026, 3, 29, 9, 0, 0, TimeSpan.Zero);
        var inside = await Posts.CreateAsync(Sample() with { Schedule = new PostSchedule(at, "Europe/London", new DateTime(2026, 3, 29, 10, 0, 0)) }, Entry(PostEventKind.Created), None);
        await Posts.CreateAsync(Sample() with { Schedule = new PostSchedule(at.AddDays(40), "Europe/London", new DateTime(2026, 5, 8, 10, 0, 0)) }, Entry(PostEventKind.Created), None);
        var unscheduled = await Posts.CreateAsync(Sample(), Entry(PostEventKind.Created), None);
        var march = await Posts.ListAsync(workspace, new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero), false, 100, None);
        Assert.Equal([inside.Id], march.Select(p => p.Id));
        var withDrafts = await Posts.ListAsync(workspace, new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero), true, 100, None);
        Assert.Equal([inside.Id, unscheduled.Id], withDrafts.Select(p => p.Id));

        Assert.False(await Posts.DeleteAsync(workspace, unscheduled.Id, 7, Entry(PostEventKind.Deleted), None));
        Assert.True(await Posts.DeleteAsync(workspace, unscheduled.Id, 1, Entry(PostEventKind.Deleted), None));
        Assert.Null(await Posts.GetAsync(workspace, unscheduled.Id, None));
        Assert.Equal([PostEventKind.Created, PostEventKind.Deleted], (await Posts.HistoryAsync(workspace, unscheduled.Id, None)).Select(h => h.Kind));
    }

    [StoreFact]
    public async Task WorkflowsAndTermsArePerWorkspace()
    {
        Assert.Null(await Posts.GetWorkflowAsync(workspace, None));
        var workflow = new ApprovalWorkflow([ApprovalStep.AllOf(WorkspaceRole.Manager), ApprovalStep.AnyOf(7L, 8L)]);
        await Posts.SetWorkflowAsync(workspace, workflow, None);
        var read = await Posts.GetWorkflowAsync(workspace, None);
        Assert.Equal(2, read!.Steps.Count);
        Assert.Equal((ApprovalQuorum.All, WorkspaceRole.Manager), (read.Steps[0].Quorum, read.Steps[0].Role));
        Assert.Equal([7L, 8L], read.Steps[1].People);
        Assert.Null(await Posts.GetWorkflowAsync(other, None));

        await Posts.SetTermsAsync(workspace, [new("shooting", PrePublishLevel.Block, "tragedy"), new("crème", PrePublishLevel.Warn, null)], None);
        await Posts.SetTermsAsync(workspace, [new("shooting", PrePublishLevel.Warn, null)], None);
        Assert.Equal([new SensitiveTerm("shooting", PrePublishLevel.Warn, null)], await Posts.GetTermsAsync(workspace, None));
        Assert.Empty(await Posts.GetTermsAsync(other, None));
    }

    [StoreFact]
    public async Task TheServiceTakesAPostFromDraftToTheOutbox_AndAnEditResetsIt()
    {
        var (service, queue, _) = await ServiceAsync();
        var author = new IncidentActor(5, "Rui");
        var draft = new PostDraft(Platform.Mastodon, "mastodon:@brand@example.social", "Our spring range is here 🌷", [], [], "spring", new ScheduleInput(new DateTime(2025, 3, 10, 9, 0, 0), "Europe/London"));
        var created = await service.CreateAsync(workspace, draft, author, None);
        Assert.Equal(PostOutcome.Done, created.Outcome);
        var id = created.Post!.Id;

        Assert.Equal(PostOutcome.WrongState, (await service.ApproveAsync(workspace, id, null, new IncidentActor(3, "Max"), false, None)).Outcome);
        Assert.Equal(PostOutcome.Done, (await service.SubmitAsync(workspace, id, author, None)).Outcome);
        Assert.Equal(PostOutcome.Forbidden, (await service.ApproveAsync(workspace, id, null, author, false, None)).Outcome);
        var approved = await service.ApproveAsync(workspace, id, null, new IncidentActor(3, "Max"), false, None);
        Assert.Equal(PostOutcome.Done, approved.Outcome);
        Assert.Equal(PostState.Scheduled, approved.Post!.State);
        Assert.Equal(new DateTimeOffset(2025, 3, 10, 9, 0, 0, TimeSpan.Zero), queue.Items[id].DueAt);

        // An edit after approval withdraws it from the outbox, bumps the revision and needs approval again.
        var edited = await service.UpdateAsync(workspace, id, approved.Post.Version, draft with { Text = "Our spring range is here!" }, author, None);
        Assert.Equal(PostOutcome.Done, edited.Outcome);
        Assert.Equal((PostState.InReview, 2), (edited.Post!.State, edited.Post.Revision));
        Assert.Empty(edited.Post.CurrentApprovals);
        Assert.False(queue.Items.ContainsKey(id));

        // A stale edit is refused with the current post.
        var stale = await service.UpdateAsync(workspace, id, approved.Post.Version, draft with { Text = "stale" }, author, None);
        Assert.Equal(PostOutcome.Stale, stale.Outcome);
        Assert.Equal(edited.Post.Version, stale.Post!.Version);

        // The outbox is sending: unscheduling is refused, and its outcome lands on the post.
        Assert.Equal(PostOutcome.Done, (await service.ApproveAsync(workspace, id, null, new IncidentActor(4, "Mia"), false, None)).Outcome);
        queue.Sending = true;
        Assert.Equal(PostOutcome.WrongState, (await service.UnscheduleAsync(workspace, id, author, None)).Outcome);
        await service.OnOutcomeAsync(new PublishOutcome(workspace, id, 2, PublishOutcomeKind.Sent, TestStore.Now, "1", "https://example.social/@brand/1", null), None);
        var sent = await Posts.GetAsync(workspace, id, None);
        Assert.Equal((PostState.Sent, "https://example.social/@brand/1"), (sent!.State, sent.RemoteUrl));
        var kinds = (await Posts.HistoryAsync(workspace, id, None)).Select(h => h.Kind).ToList();
        Assert.Equal([PostEventKind.Created, PostEventKind.Submitted, PostEventKind.Approved, PostEventKind.Scheduled, PostEventKind.Edited, PostEventKind.Approved, PostEventKind.Scheduled, PostEventKind.Sent], kinds);
    }

    [StoreFact]
    public async Task TheRiskCheckBlocksOrWarnsBeforeApproval()
    {
        var (service, _, holds) = await ServiceAsync();
        await Posts.SetTermsAsync(workspace, [new("shooting", PrePublishLevel.Block, "tragedy")], None);
        var author = new IncidentActor(5, "Rui");
        var blocked = await service.CreateAsync(workspace, new PostDraft(Platform.X, "x:brand", "Shooting stars sale!", [], [], null, null), author, None);
        var refused = await service.SubmitAsync(workspace, blocked.Post!.Id, author, None);
        Assert.Equal(PostOutcome.Blocked, refused.Outcome);
        Assert.Contains(refused.Verdict!.Findings, f => f.Code == "sensitive-term" && f.Reason.Contains("shooting", StringComparison.Ordinal));

        var warned = await service.CreateAsync(workspace, new PostDraft(Platform.X, "x:brand", "An awful week, but see http://example.com", [], [], "spring", null), author, None);
        Assert.Equal(PostOutcome.Done, (await service.SubmitAsync(workspace, warned.Post!.Id, author, None)).Outcome);
        holds.Holds.Add(new PublishHold(1, workspace, HoldScope.Campaign, "spring", EventMode: true, "national mourning", 1, TestStore.Now));
        var first = await service.ApproveAsync(workspace, warned.Post.Id, null, new IncidentActor(3, "Max"), false, None);
        Assert.Equal(PostOutcome.NeedsAcknowledgement, first.Outcome);
        Assert.Equal(["negative-tone", "event-mode", "link-http"], first.Verdict!.Findings.Select(f => f.Code));
        var second = await service.ApproveAsync(workspace, warned.Post.Id, null, new IncidentActor(3, "Max"), true, None);
        Assert.Equal((PostOutcome.Done, PostState.Approved), (second.Outcome, second.Post!.State));
        Assert.Contains(await Posts.HistoryAsync(workspace, warned.Post.Id, None), h => h.Kind == PostEventKind.WarningsAcknowledged && h.Text.Contains("national mourning", StringComparison.Ordinal));
    }

    [StoreFact]
    public async Task AnOverLongDraftIsKeptButCannotGoToReview()
    {
        var (service, _, _) = await ServiceAsync();
        var author = new IncidentActor(5, "Rui");
        var created = await service.CreateAsync(workspace, new PostDraft(Platform.Bluesky, "bluesky:brand", new string('b', 301), [], [], null, null), author, None);
        Assert.Equal(PostOutcome.Done, created.Outcome);
        Assert.Contains(created.Issues, i => i.Field == "text" && i.Error);
        var submitted = await service.SubmitAsync(workspace, created.Post!.Id, author, None);
        Assert.Equal(PostOutcome.Invalid, submitted.Outcome);
        Assert.Contains("bluesky allows 300", submitted.Issues.Single().Message, StringComparison.Ordinal);

        var gap = await service.CreateAsync(workspace, new PostDraft(Platform.Bluesky, "bluesky:brand", "hi", [], [], null, new ScheduleInput(new DateTime(2025, 3, 30, 1, 30, 0), "Europe/London")), author, None);
        Assert.Equal(PostOutcome.Invalid, gap.Outcome);
        Assert.Contains("does not exist in Europe/London", gap.Issues.Single().Message, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task RiskCheck_InADrillSandbox_BlocksEveryPost_ElsewhereNot()
    {
        var clock = store.Services.GetRequiredService<TimeProvider>();
        var check = new PrePublishRiskCheck(store.Services.GetRequiredService<IMentionAnalyser>(), Posts, store.Services.GetRequiredService<IIncidentStore>(), [], clock, [new SandboxList(workspace)]);

        var inSandbox = await check.CheckAsync(workspace, Platform.Mastodon, "Our autumn menu is here!", [], None);
        var elsewhere = await check.CheckAsync(workspace + 1, Platform.Mastodon, "Our autumn menu is here!", [], None);

        Assert.Equal(PrePublishLevel.Block, inSandbox.Level);
        Assert.Contains(inSandbox.Findings, f => f.Code == "drill-sandbox");
        Assert.DoesNotContain(elsewhere.Findings, f => f.Code == "drill-sandbox");
    }

    private sealed class SandboxList(params long[] sandboxes) : Firebreak.Core.Drills.IDrillSandboxes
    {
        public Task<bool> IsSandboxAsync(long workspaceId, CancellationToken cancellationToken) => Task.FromResult(sandboxes.Contains(workspaceId));
    }

    private async Task<(PostService Service, RecordingQueue Queue, FixedHolds Holds)> ServiceAsync()
    {
        var accounts = store.Services.GetRequiredService<IAccountStore>();
        foreach (var (name, role) in new[] { ("Olga", WorkspaceRole.Owner), ("Ada", WorkspaceRole.Admin), ("Max", WorkspaceRole.Manager), ("Mia", WorkspaceRole.Manager), ("Rui", WorkspaceRole.Responder) })
        {
            var account = await accounts.CreateAsync($"{name.ToLowerInvariant()}@example.com", name, null, false, None);
            await accounts.SetMembershipAsync(workspace, account!.Id, role, None);
        }

        var queue = new RecordingQueue();
        var holds = new FixedHolds();
        var clock = store.Services.GetRequiredService<TimeProvider>();
        var check = new PrePublishRiskCheck(store.Services.GetRequiredService<IMentionAnalyser>(), Posts, store.Services.GetRequiredService<IIncidentStore>(), [holds], clock);
        return (new PostService(Posts, check, accounts, [queue], [], clock), queue, holds);
    }

    private Post Sample() => new()
    {
        WorkspaceId = workspace,
        Platform = Platform.Mastodon,
        AccountKey = "mastodon:@brand@example.social",
        Text = "Hello",
        AuthorId = 5,
        AuthorName = "Rui",
        CreatedAt = TestStore.Now,
        UpdatedAt = TestStore.Now,
    };

    private static PostEventDraft Entry(PostEventKind kind, string text = "") => new(TestStore.Now, 5, "Rui", kind, text);
}

public sealed class SqlitePostStoreTests() : PostStoreTests(StoreProvider.Sqlite);

[RequiresPostgres]
public sealed class PostgresPostStoreTests() : PostStoreTests(StoreProvider.Postgres);
