using Firebreak.Core.Inbox;
using Firebreak.Core.Incidents;
using Firebreak.Core.Mentions;
using Microsoft.Extensions.DependencyInjection;

namespace Firebreak.Storage.Tests.Inbox;

/// <summary>Claims (the collision guard), templates and the replies outbox on each provider.</summary>
public abstract class InboxStoreTests(StoreProvider provider) : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private TestStore store = null!;
    private long workspace;
    private long other;

    private IInboxStore Inbox => store.Services.GetRequiredService<IInboxStore>();

    public async Task InitializeAsync()
    {
        store = await TestStore.OpenAsync(provider);
        workspace = await store.AddWorkspaceAsync();
        other = await store.AddWorkspaceAsync("other");
    }

    public async Task DisposeAsync() => await store.DisposeAsync();

    [StoreFact]
    public async Task Claim_TwoAtOnce_ExactlyOneWins_AndTheOtherLearnsWhoHoldsIt()
    {
        for (var mention = 1; mention <= 10; mention++)
        {
            var now = TestStore.Now;
            var results = await Task.WhenAll(Enumerable.Range(1, 4).Select(person =>
                Inbox.ClaimAsync(new MentionClaim(workspace, mention, 5, person, "person " + person, now, now + MentionClaim.Lifetime), false, None)));
            var winners = results.Where(r => r.Won).ToList();
            Assert.Single(winners);
            Assert.All(results.Where(r => !r.Won), r => Assert.Equal(winners[0].Claim.AccountId, r.Claim.AccountId));
            Assert.All(results.Where(r => !r.Won), r => Assert.Equal(winners[0].Claim.Name, r.Claim.Name));
        }

        Assert.Equal(10, (await Inbox.ListClaimsAsync(workspace, TestStore.Now, None)).Count);
        Assert.Empty(await Inbox.ListClaimsAsync(other, TestStore.Now, None));
    }

    [StoreFact]
    public async Task Claim_Renews_Expires_Releases_AndAManagerCanAssign()
    {
        var now = TestStore.Now;
        var ana = new MentionClaim(workspace, 42, 5, 1, "Ana", now, now + MentionClaim.Lifetime);
        Assert.True((await Inbox.ClaimAsync(ana, false, None)).Won);

        // Ana renews: the claim keeps when she took it and moves its expiry.
        var later = now.AddMinutes(10);
        var renewed = await Inbox.ClaimAsync(ana with { ClaimedAt = later, ExpiresAt = later + MentionClaim.Lifetime }, false, None);
        Assert.True(renewed.Won);
        Assert.Equal((now, later + MentionClaim.Lifetime), (renewed.Claim.ClaimedAt, renewed.Claim.ExpiresAt));

        // Ben is refused while it is active, and gets it once it expired.
        var ben = new MentionClaim(workspace, 42, 5, 2, "Ben", later, later + MentionClaim.Lifetime);
        var refused = await Inbox.ClaimAsync(ben, false, None);
        Assert.False(refused.Won);
        Assert.Equal("Ana", refused.Claim.Name);
        var expired = later + MentionClaim.Lifetime;
        Assert.Null(await Inbox.GetClaimAsync(workspace, 42, expired, None));
        Assert.True((await Inbox.ClaimAsync(ben with { ClaimedAt = expired, ExpiresAt = expired + MentionClaim.Lifetime }, false, None)).Won);

        // Ana cannot release Ben's claim; a manager assigning hands it to Carl whoever holds it.
        Assert.False(await Inbox.ReleaseAsync(workspace, 42, 1, None));
        var carl = await Inbox.ClaimAsync(new MentionClaim(workspace, 42, 5, 3, "Carl", expired, expired + MentionClaim.Lifetime), true, None);
        Assert.True(carl.Won);
        Assert.Equal("Carl", (await Inbox.GetClaimAsync(workspace, 42, expired, None))!.Name);
        Assert.True(await Inbox.ReleaseAsync(workspace, 42, 3, None));
        Assert.Null(await Inbox.GetClaimAsync(workspace, 42, expired, None));
    }

    [StoreFact]
    public async Task Templates_AreSeededOnce_PerWorkspace_AndSavedByNameAndLanguage()
    {
        var seeded = await Inbox.ListTemplatesAsync(workspace, TestStore.Now, None);
        Assert.Equal(ReplyTemplates.Shipped.Count, seeded.Count);
        var saved = await Inbox.SaveTemplateAsync(workspace, "thanks", "en", "Cheers {author}!", TestStore.Now, None);
        Assert.Equal(seeded.Single(t => t.Name == "thanks" && t.Language == "en").Id, saved.Id);
        Assert.Equal("Cheers {author}!", (await Inbox.GetTemplateAsync(workspace, saved.Id, None))!.Text);
        Assert.Null(await Inbox.GetTemplateAsync(other, saved.Id, None));
        Assert.True(await Inbox.DeleteTemplateAsync(workspace, saved.Id, None));
        Assert.Equal(ReplyTemplates.Shipped.Count - 1, (await Inbox.ListTemplatesAsync(workspace, TestStore.Now, None)).Count);
    }

    [StoreFact]
    public async Task Replies_MoveThroughStates_WithTheirTimelineEntries_ComparedOnState()
    {
        var incident = await store.Services.GetRequiredService<IIncidentStore>().CreateAsync(
            new Incident { WorkspaceId = workspace, Title = "t", DeclaredAt = TestStore.Now, UpdatedAt = TestStore.Now }, [], None);
        var ana = new IncidentActor(1, "Ana");
        var reply = await Inbox.AddReplyAsync(
            new OutboxReply { WorkspaceId = workspace, IncidentId = incident.Id, MentionId = 9, Platform = Platform.Bluesky, Text = "Sorry", Author = ana, NeedsApproval = true, State = ReplyState.PendingApproval, CreatedAt = TestStore.Now, UpdatedAt = TestStore.Now },
            new TimelineDraft(TestStore.Now, ana, TimelineKind.Reply, "Reply awaits approval", "{\"replyId\":null}"),
            None);
        Assert.Equal(reply, await Inbox.GetReplyAsync(workspace, reply.Id, None));
        Assert.Null(await Inbox.GetReplyAsync(other, reply.Id, None));

        var approved = reply with { State = ReplyState.Queued, ApprovedBy = new IncidentActor(2, "Ben"), ApprovedAt = TestStore.Now };
        Assert.Equal(approved, await Inbox.UpdateReplyAsync(approved, ReplyState.PendingApproval, new TimelineDraft(TestStore.Now, ana, TimelineKind.Reply, "approved"), None));
        Assert.Null(await Inbox.UpdateReplyAsync(approved, ReplyState.PendingApproval, null, None));
        Assert.Equal([approved], await Inbox.ListRepliesAsync(workspace, incident.Id, None));

        var timeline = await store.Services.GetRequiredService<IIncidentStore>().ListTimelineAsync(incident.Id, null, 10, None);
        Assert.Equal(["approved", "Reply awaits approval"], timeline.Entries.Select(e => e.Text));
        Assert.Equal($"{{\"replyId\":{reply.Id}}}", timeline.Entries[1].Data);
    }

    [StoreFact]
    public async Task Targets_DefaultUntilSet()
    {
        Assert.Equal(new ResponseTargets(60, 240), await Inbox.GetTargetsAsync(workspace, None));
        await Inbox.SetTargetsAsync(workspace, new ResponseTargets(30, 120), None);
        Assert.Equal(new ResponseTargets(30, 120), await Inbox.GetTargetsAsync(workspace, None));
        Assert.Equal(new ResponseTargets(), await Inbox.GetTargetsAsync(other, None));
    }
}

public sealed class SqliteInboxStoreTests() : InboxStoreTests(StoreProvider.Sqlite);

[RequiresPostgres]
public sealed class PostgresInboxStoreTests() : InboxStoreTests(StoreProvider.Postgres);
