namespace Firebreak.Storage.Tests.Publishing;

using Firebreak.Core.Connectors;
using Firebreak.Core.Incidents;
using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;
using Firebreak.Core.Publishing.Posts;
using Firebreak.Core.Publishing.Scorecards;
using Firebreak.Storage.Connectors;
using Microsoft.Extensions.DependencyInjection;

/// <summary>Goals and policy events on each provider, and the scorecard service over the real stores: posts, read-back mentions, connections, incidents.</summary>
public abstract class ScorecardStoreTests(StoreProvider provider) : IAsyncLifetime
{
    private const string Account = "bluesky:brand.bsky.social";
    private const string Url = "https://bsky.app/profile/brand.bsky.social/post/3kabc";
    private static readonly CancellationToken None = CancellationToken.None;
    private TestStore store = null!;
    private long workspace;
    private long other;

    private IScorecardStore Scorecards => store.Services.GetRequiredService<IScorecardStore>();

    public async Task InitializeAsync()
    {
        store = await TestStore.OpenAsync(provider);
        workspace = await store.AddWorkspaceAsync();
        other = await store.AddWorkspaceAsync("other");
    }

    public async Task DisposeAsync() => await store.DisposeAsync();

    [StoreFact]
    public async Task GoalsAreReplacedAsAWholeAndKeptPerWorkspace()
    {
        await Scorecards.SetGoalsAsync(workspace, [new ScorecardGoal(Platform.TikTok, GoalMetric.EngagementRatePercent, 2.5), new ScorecardGoal(Platform.Bluesky, GoalMetric.PostsPerWeek, 3)], None);
        await Scorecards.SetGoalsAsync(other, [new ScorecardGoal(Platform.X, GoalMetric.FollowerGrowthPercent, 1)], None);
        Assert.Equal(
            [new ScorecardGoal(Platform.Bluesky, GoalMetric.PostsPerWeek, 3), new ScorecardGoal(Platform.TikTok, GoalMetric.EngagementRatePercent, 2.5)],
            await Scorecards.GetGoalsAsync(workspace, None));
        await Scorecards.SetGoalsAsync(workspace, [new ScorecardGoal(Platform.Mastodon, GoalMetric.FollowerGrowthPercent, 0.5)], None);
        Assert.Equal([new ScorecardGoal(Platform.Mastodon, GoalMetric.FollowerGrowthPercent, 0.5)], await Scorecards.GetGoalsAsync(workspace, None));
        Assert.Single(await Scorecards.GetGoalsAsync(other, None));
    }

    [StoreFact]
    public async Task PolicyEventsRoundTripWithHostileText_NewestFirst()
    {
        var title = "حظر في البلد 🚫 Z̴̡̛a̵l̷g̸o '; DROP TABLE scorecard_policy_events; --";
        var first = await Scorecards.AddPolicyEventAsync(new PolicyEvent(0, workspace, Platform.TikTok, null, PolicySeverity.Critical, title, TestStore.Now.AddDays(-2), "Ada"), None);
        var second = await Scorecards.AddPolicyEventAsync(new PolicyEvent(0, workspace, Platform.X, "x:@brand", PolicySeverity.Low, "demonetised", TestStore.Now.AddDays(-1), "Max"), None);
        await Scorecards.AddPolicyEventAsync(new PolicyEvent(0, other, Platform.X, null, PolicySeverity.Low, "elsewhere", TestStore.Now, "Eve"), None);
        var listed = await Scorecards.ListPolicyEventsAsync(workspace, TestStore.Now.AddDays(-30), 10, None);
        Assert.Equal([second, first], listed);
        Assert.Equal(title, listed[1].Title);
        Assert.Equal(TestStore.Now.AddDays(-2), listed[1].At);
        Assert.Equal([second], await Scorecards.ListPolicyEventsAsync(workspace, TestStore.Now.AddDays(-1.5), 10, None));
    }

    [StoreFact]
    public async Task TheServiceReadsEngagementBackFromTheBrandsOwnPostAndRecyclesIt()
    {
        var connectors = new ConnectorStore(store.Services.GetRequiredService<PortableDatabase>());
        await connectors.UpsertConnectionAsync(new Connection(0, workspace, Platform.Bluesky, Account, "brand.bsky.social", new Uri("https://bsky.social"), "ciphertext", null, TestStore.Now.AddDays(3), ConnectionState.Active, null, null, TestStore.Now, TestStore.Now), None);
        var posts = store.Services.GetRequiredService<PostService>();
        var sent = await posts.Store.CreateAsync(Post("our best post 🎉", PostState.Sent, -2) with { RemoteUrl = Url }, Created(), None);
        await posts.Store.CreateAsync(Post("this one failed", PostState.Failed, -1), Created(), None);
        await store.IngestAsync(workspace, new MentionInput
        {
            Platform = "bluesky", ExternalId = "at://did:plc:brand/app.bsky.feed.post/3kabc", Text = "our best post 🎉", Url = Url, CreatedAt = TestStore.Now.AddDays(-2),
            Author = new AuthorInput { Handle = "brand.bsky.social", Followers = 500 }, Engagement = new EngagementInput { Likes = 10, Shares = 2, Replies = 3 },
        });
        var service = new ScorecardService(Scorecards, posts, store.Reader, store.Services.GetRequiredService<IIncidentStore>(), [connectors], store.Clock);

        var card = await service.ComputeAsync(workspace, 7, None);
        var bluesky = Assert.Single(card.Platforms);
        Assert.Equal(new ScorecardFigures(1, 1, 0, 1, 500, 15, 0.03, 500, 500, 0, 0.5), bluesky.Figures);
        Assert.Equal(3, Assert.Single(bluesky.Accounts).DaysToExpiry);
        Assert.Contains(card.Advice, a => a.Text == $"The token of {Account} on Bluesky expires in 3 days; reconnect it.");

        var (best, withoutData) = await service.BestOfAsync(workspace, null, 10, None);
        Assert.Equal(sent.Id, Assert.Single(best).Post.PostId);
        Assert.Equal(0, withoutData);

        var repost = await service.DraftAsync(workspace, sent.Id, RecycleMode.Repost, null, false, new IncidentActor(null, "Rui"), None);
        var draft = repost!.Draft!.Post!;
        Assert.Equal((PostState.Draft, "our best post 🎉", Platform.Bluesky, Account), (draft.State, draft.Text, draft.Platform, draft.AccountKey));
        Assert.Contains(await posts.Store.HistoryAsync(workspace, draft.Id, None), e => e.Text == $"repost of post #{sent.Id}");

        // A post sent during an incident is refused until the person acknowledges it.
        await store.Services.GetRequiredService<IIncidentStore>().CreateAsync(new Incident { WorkspaceId = workspace, Title = "Recall", DeclaredAt = TestStore.Now.AddDays(-3), UpdatedAt = TestStore.Now }, [], None);
        var refused = await service.DraftAsync(workspace, sent.Id, RecycleMode.Remix, Platform.Mastodon, false, new IncidentActor(null, "Rui"), None);
        Assert.Null(refused!.Draft);
        Assert.Contains("Recall", refused.Refusal);
        var remix = await service.DraftAsync(workspace, sent.Id, RecycleMode.Remix, Platform.Mastodon, true, new IncidentActor(null, "Rui"), None);
        Assert.Equal((Platform.Mastodon, string.Empty), (remix!.Draft!.Post!.Platform, remix.Draft.Post.AccountKey));
        Assert.Null(await service.DraftAsync(workspace, draft.Id, RecycleMode.Repost, null, true, new IncidentActor(null, "Rui"), None));
    }

    private Post Post(string text, PostState state, int days) => new()
    {
        WorkspaceId = workspace, Platform = Platform.Bluesky, AccountKey = Account, Text = text, State = state, AuthorName = "Rui",
        Schedule = new PostSchedule(TestStore.Now.AddDays(days), "UTC", TestStore.Now.AddDays(days).UtcDateTime),
        CreatedAt = TestStore.Now.AddDays(days - 1), UpdatedAt = TestStore.Now.AddDays(days),
    };

    private static PostEventDraft Created() => new(TestStore.Now, null, "Rui", PostEventKind.Created, "created");
}

public sealed class SqliteScorecardStoreTests() : ScorecardStoreTests(StoreProvider.Sqlite);

[RequiresPostgres]
public sealed class PostgresScorecardStoreTests() : ScorecardStoreTests(StoreProvider.Postgres);
