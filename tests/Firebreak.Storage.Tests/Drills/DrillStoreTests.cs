using Firebreak.Core.Drills;
using Firebreak.Storage.Drills;
using Microsoft.Extensions.DependencyInjection;

namespace Firebreak.Storage.Tests.Drills;

/// <summary>Drills on each provider: numbered per workspace, found by sandbox, ended (and scored) once.</summary>
public abstract class DrillStoreTests(StoreProvider provider) : IAsyncLifetime
{
    private TestStore store = null!;
    private long workspace;

    private DrillStore Drills => new(store.Services.GetRequiredService<PortableDatabase>());

    public async Task InitializeAsync()
    {
        store = await TestStore.OpenAsync(provider);
        workspace = await store.AddWorkspaceAsync();
    }

    public async Task DisposeAsync() => await store.DisposeAsync();

    [StoreFact]
    public async Task Drills_AreNumbered_FoundBySandbox_AndEndedOnce()
    {
        var ct = CancellationToken.None;
        Assert.Equal(1, await Drills.NextNumberAsync(workspace, ct));
        var first = await Drills.AddAsync(Draft(sandbox: 9_001), ct);
        var second = await Drills.AddAsync(Draft(sandbox: 9_002), ct);
        Assert.Equal((1, 2), (first.Number, second.Number));
        Assert.Equal(3, await Drills.NextNumberAsync(workspace, ct));
        var found = (await Drills.FindBySandboxAsync(9_001, ct))!;
        Assert.Equal((first.Id, 1, 9_001L, workspace), (found.Id, found.Number, found.SandboxId, found.WorkspaceId));
        Assert.Null(await Drills.FindBySandboxAsync(workspace, ct));
        Assert.Null(await Drills.GetAsync(workspace + 1, first.Id, ct));
        Assert.Equal([second.Id, first.Id], (await Drills.ListAsync(workspace, 10, ct)).Select(d => d.Id));

        FiredInject[] injects = [new("journalist-en", "A journalist asks for comment", "drill-1-journalist-en", TestStore.Now, true)];
        await Drills.SetInjectsAsync(first.Id, injects, ct);
        await Drills.SetScheduleAsync(first.Id, TestStore.Now.AddSeconds(1), TestStore.Now.AddSeconds(23), TestStore.Now.AddMinutes(16), ct);
        var score = new DrillScore(70, [new DrillScoreComponent("detect", "Time to detect", 1.5, "minutes", 2, 15, 15, true, "met")], 4, TestStore.Now);
        Assert.True(await Drills.EndAsync(first.Id, TestStore.Now.AddMinutes(5), score, ct));
        Assert.False(await Drills.EndAsync(first.Id, TestStore.Now.AddMinutes(6), score with { Total = 10 }, ct));

        var read = (await Drills.GetByIdAsync(first.Id, ct))!;
        Assert.Equal((DrillState.Ended, TestStore.Now.AddMinutes(5), 70), (read.State, read.EndedAt, read.Score!.Total));
        Assert.Equal(injects, read.Injects);
        Assert.Equal(score.Components, read.Score.Components);
        Assert.Equal((8.5, 20.0, 120, "Ana"), (read.Speed, read.RatePerMinute, read.Minutes, read.StartedBy));
        Assert.Equal((TestStore.Now.AddSeconds(1), TestStore.Now.AddSeconds(23), TestStore.Now.AddMinutes(16)), (read.StartedAt, read.BurstAt, read.StreamEndsAt));
    }

    private Drill Draft(long sandbox) =>
        new(0, workspace, sandbox, 0, "viral-complaint", DrillScenarios.SuddenBurst, 8.5, 20, 120, DrillState.Running,
            TestStore.Now, TestStore.Now.AddSeconds(22), TestStore.Now.AddMinutes(15), null, 3, "Ana", [], null);
}

public sealed class SqliteDrillStoreTests() : DrillStoreTests(StoreProvider.Sqlite);

[RequiresPostgres]
public sealed class PostgresDrillStoreTests() : DrillStoreTests(StoreProvider.Postgres);
