namespace Firebreak.Storage.Tests;

/// <summary>60 mentions in 15 timestamps (4 share each), inserted in shuffled order so ids and times disagree.</summary>
public abstract class PaginationData(StoreProvider provider) : IAsyncLifetime
{
    public const int Total = 60;

    internal TestStore Store { get; private set; } = null!;

    public long Workspace { get; private set; }

    public long EvenTopic { get; private set; }

    public async Task InitializeAsync()
    {
        if (provider == StoreProvider.Postgres && PostgresServer.ConnectionString is null)
        {
            // Every test of the class is reported skipped; xunit still builds the fixture.
            return;
        }

        Store = await TestStore.OpenAsync(provider);
        Workspace = await Store.AddWorkspaceAsync();
        EvenTopic = await Store.AddTopicAsync(Workspace, "even", "even");
        var start = TestStore.Now.AddHours(-5);
        var inputs = Enumerable.Range(0, Total)
            .Select(i => Input.Make($"p{i}", $"{(i % 2 == 0 ? "even" : "odd")} item {i}", start.AddMinutes(i / 4 * 7)))
            .OrderBy(i => (int.Parse(i.ExternalId![1..], System.Globalization.CultureInfo.InvariantCulture) * 37) % Total)
            .ToArray();
        foreach (var chunk in inputs.Chunk(13))
        {
            await Store.IngestAsync(Workspace, chunk);
        }
    }

    public async Task DisposeAsync()
    {
        if (Store is not null)
        {
            await Store.DisposeAsync();
        }
    }
}

public sealed class SqlitePaginationData() : PaginationData(StoreProvider.Sqlite);

public sealed class PostgresPaginationData() : PaginationData(StoreProvider.Postgres);
