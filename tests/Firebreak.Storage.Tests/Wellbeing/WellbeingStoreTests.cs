using Firebreak.Core.Mentions;
using Firebreak.Core.Wellbeing;
using Microsoft.Extensions.DependencyInjection;

namespace Firebreak.Storage.Tests.Wellbeing;

/// <summary>Exposure counters, budgets and muted authors on each provider.</summary>
public abstract class WellbeingStoreTests(StoreProvider provider) : IAsyncLifetime
{
    private static readonly DateOnly Today = new(2025, 3, 3);
    private TestStore store = null!;
    private long workspace;
    private long other;

    private IWellbeingStore Wellbeing => store.Services.GetRequiredService<IWellbeingStore>();

    public async Task InitializeAsync()
    {
        store = await TestStore.OpenAsync(provider);
        workspace = await store.AddWorkspaceAsync();
        other = await store.AddWorkspaceAsync("other");
    }

    public async Task DisposeAsync() => await store.DisposeAsync();

    [StoreFact]
    public async Task Exposure_AddsUp_PerPersonWorkspaceAndDay_UnderConcurrentWrites()
    {
        // Two tabs of the same person beating at once must not lose each other's counts.
        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Wellbeing.AddExposureAsync(7, workspace, Today, i % 2, 60, CancellationToken.None)));
        await Wellbeing.AddExposureAsync(7, other, Today, 5, 0, CancellationToken.None);
        await Wellbeing.AddExposureAsync(7, workspace, Today.AddDays(-1), 3, 120, CancellationToken.None);
        await Wellbeing.AddExposureAsync(8, workspace, Today, 30, 600, CancellationToken.None);

        var day = await Wellbeing.GetDayAsync(7, workspace, Today, CancellationToken.None);
        Assert.Equal(new ExposureDay(7, workspace, Today, 10, 1200), day);
        Assert.Equal(20, day.ActiveMinutes);
        Assert.Equal(new ExposureDay(9, workspace, Today, 0, 0), await Wellbeing.GetDayAsync(9, workspace, Today, CancellationToken.None));
        Assert.Equal([Today, Today.AddDays(-1)], (await Wellbeing.HistoryAsync(7, workspace, 14, Today, CancellationToken.None)).Select(d => d.Day));

        var team = TeamExposureSummary.Summarise(Today, await Wellbeing.TeamDayAsync(workspace, Today, CancellationToken.None), new ExposureBudget(25, 120));
        Assert.Equal(new TeamExposure(Today, People: 2, OverBudget: 1, HostileSeen: 40, MedianHostileSeen: 10, ActiveMinutes: 30), team);
    }

    [StoreFact]
    public async Task Budget_DefaultsUntilSet_ThenPerWorkspace()
    {
        Assert.Equal(new ExposureBudget(25, 120), await Wellbeing.GetBudgetAsync(workspace, CancellationToken.None));
        await Wellbeing.SetBudgetAsync(workspace, new ExposureBudget(10, 60), CancellationToken.None);
        await Wellbeing.SetBudgetAsync(workspace, new ExposureBudget(12, 90), CancellationToken.None);
        Assert.Equal(new ExposureBudget(12, 90), await Wellbeing.GetBudgetAsync(workspace, CancellationToken.None));
        Assert.Equal(new ExposureBudget(), await Wellbeing.GetBudgetAsync(other, CancellationToken.None));
        Assert.True(new ExposureBudget(12, 90).IsExceeded(new ExposureDay(1, workspace, Today, 12, 0)));
        Assert.False(new ExposureBudget(12, 90).IsExceeded(new ExposureDay(1, workspace, Today, 11, 89 * 60)));
    }

    [StoreFact]
    public async Task MutedAuthors_FilterStreams_PerWorkspace_AndUnmute()
    {
        var muted = new MutedAuthors(Wellbeing, store.Clock);
        Assert.True(await muted.MuteAsync(workspace, Platform.X, "troll_42", "Ana", CancellationToken.None));
        Assert.False(await muted.MuteAsync(workspace, Platform.X, "troll_42", "Ben", CancellationToken.None));

        Mention[] mentions = [Mention(Platform.X, "troll_42"), Mention(Platform.Reddit, "troll_42"), Mention(Platform.X, "customer")];
        var (kept, hidden) = await muted.FilterAsync(workspace, mentions, CancellationToken.None);
        Assert.Equal(["reddit/troll_42", "x/customer"], kept.Select(m => $"{m.Platform.ToWire()}/{m.Author.Handle}"));
        Assert.Equal(1, hidden);
        Assert.Equal(0, (await muted.FilterAsync(other, mentions, CancellationToken.None)).Hidden);
        Assert.Equal("Ana", Assert.Single(await Wellbeing.ListMutedAsync(workspace, CancellationToken.None)).MutedBy);

        Assert.True(await muted.UnmuteAsync(workspace, Platform.X, "troll_42", CancellationToken.None));
        Assert.Equal(0, (await muted.FilterAsync(workspace, mentions, CancellationToken.None)).Hidden);
    }

    private Mention Mention(Platform platform, string handle) => new()
    {
        WorkspaceId = workspace,
        Platform = platform,
        ExternalId = handle,
        Kind = MentionKind.Post,
        Author = new MentionAuthor(handle, null, 10, false),
        Text = "text",
        CreatedAt = TestStore.Now,
        CapturedAt = TestStore.Now,
    };
}

public sealed class SqliteWellbeingStoreTests() : WellbeingStoreTests(StoreProvider.Sqlite);

[RequiresPostgres]
public sealed class PostgresWellbeingStoreTests() : WellbeingStoreTests(StoreProvider.Postgres);
