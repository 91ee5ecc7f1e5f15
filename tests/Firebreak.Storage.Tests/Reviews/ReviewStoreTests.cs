using Firebreak.Core.Incidents.Review;
using Firebreak.Storage.Reviews;
using Microsoft.Extensions.DependencyInjection;

namespace Firebreak.Storage.Tests.Reviews;

/// <summary>Review text on each provider: one row per incident, compare-and-set on the version.</summary>
public abstract class ReviewStoreTests(StoreProvider provider) : IAsyncLifetime
{
    private TestStore store = null!;
    private long workspace;

    private ReviewStore Reviews => new(store.Services.GetRequiredService<PortableDatabase>());

    public async Task InitializeAsync()
    {
        store = await TestStore.OpenAsync(provider);
        workspace = await store.AddWorkspaceAsync();
    }

    public async Task DisposeAsync() => await store.DisposeAsync();

    [StoreFact]
    public async Task Save_RoundTrips_AndRefusesAStaleVersion()
    {
        Assert.Null(await Reviews.GetAsync(42, CancellationToken.None));
        var text = new ReviewText
        {
            WentWell = "Fast",
            WentBadly = "Night shift",
            ActionItems = [new ReviewActionItem("Train", "Ben", TestStore.Now, true)],
            PlaybookChanges = [new ReviewPlaybookChange("offensive-post", "Add a night contact")],
            UpdatedBy = "Ana",
            UpdatedAt = TestStore.Now,
        };

        var first = await Reviews.SaveAsync(workspace, 42, text, 0, CancellationToken.None);
        Assert.Equal(1, first!.Version);
        Assert.Null(await Reviews.SaveAsync(workspace, 42, text, 0, CancellationToken.None));
        var second = await Reviews.SaveAsync(workspace, 42, text with { WentWell = "Faster" }, 1, CancellationToken.None);
        Assert.Equal(2, second!.Version);

        var read = (await Reviews.GetAsync(42, CancellationToken.None))!;
        Assert.Equal(("Faster", "Night shift", 2L, "Ana", TestStore.Now), (read.WentWell, read.WentBadly, read.Version, read.UpdatedBy, read.UpdatedAt));
        Assert.Equal(text.ActionItems, read.ActionItems);
        Assert.Equal(text.PlaybookChanges, read.PlaybookChanges);
    }
}

public sealed class SqliteReviewStoreTests() : ReviewStoreTests(StoreProvider.Sqlite);

[RequiresPostgres]
public sealed class PostgresReviewStoreTests() : ReviewStoreTests(StoreProvider.Postgres);
