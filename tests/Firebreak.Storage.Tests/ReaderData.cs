using Firebreak.Core.Ingestion;

namespace Firebreak.Storage.Tests;

/// <summary>A small hand-made store shared by the read-only reader tests: one mention per interesting case.</summary>
public abstract class ReaderData(StoreProvider provider) : IAsyncLifetime
{
    public static readonly DateTimeOffset T = new(2025, 3, 3, 8, 0, 0, TimeSpan.Zero);

    internal TestStore Store { get; private set; } = null!;

    public long Workspace { get; private set; }

    public long OtherWorkspace { get; private set; }

    public long RefundTopic { get; private set; }

    public long XTopic { get; private set; }

    /// <summary>External id → row id.</summary>
    public Dictionary<string, long> Ids { get; } = [];

    public async Task InitializeAsync()
    {
        if (provider == StoreProvider.Postgres && PostgresServer.ConnectionString is null)
        {
            // Every test of the class is reported skipped; xunit still builds the fixture.
            return;
        }

        Store = await TestStore.OpenAsync(provider);
        Workspace = await Store.AddWorkspaceAsync();
        OtherWorkspace = await Store.AddWorkspaceAsync("other");
        RefundTopic = await Store.AddTopicAsync(Workspace, "refunds", "refund OR remboursement");
        XTopic = await Store.AddTopicAsync(Workspace, "x", "platform:x");
        MentionInput[] inputs =
        [
            Input.Make("r1", "Still waiting for my refund, awful service", T, handle: "alice"),
            Input.Make("r2", "the late flight was great actually, #boycott is silly", T.AddMinutes(5), platform: "tiktok", handle: "Bob", kind: "reply"),
            Input.Make("r3", "Vol en retard, remboursement svp", T.AddMinutes(10), language: "fr-FR", handle: "carol", kind: "comment"),
            Input.Make("r4", "flight was late and the crew okay", T.AddMinutes(15), platform: "reddit", handle: "ALICE"),
            Input.Make("r5", "أين استرداد أموالي؟ الرحلة متأخرة في مطار دبي", T.AddMinutes(20), platform: "facebook", language: "ar", handle: "dina"),
            Input.Make("r6", "東京タワーに行く便が遅れた", T.AddMinutes(25), platform: "instagram", language: "ja", handle: "kenji"),
            Input.Make("r7", "Airline faces boycott after refund row", T.AddMinutes(30), platform: "news", handle: "reporter", kind: "article"),
            Input.Make("r8", "#Boycott now! late flight again", T.AddMinutes(35), handle: "eve"),
            Input.Make("r9", "Great great crew", T.AddMinutes(40), platform: "youtube", handle: "frank", kind: "review"),
            Input.Make("r10", "😀😀😀", T.AddMinutes(45), language: null, handle: "gina"),
        ];
        var report = await Store.IngestAsync(Workspace, inputs);
        Assert.Equal(inputs.Length, report.Inserted);
        await Store.IngestAsync(OtherWorkspace, Input.Make("o1", "refund in the other workspace", T.AddMinutes(1)));
        foreach (var row in await Store.RowsAsync("SELECT external_id, id FROM mentions"))
        {
            Ids[(string)row[0]] = (long)row[1];
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

public sealed class SqliteReaderData() : ReaderData(StoreProvider.Sqlite);

public sealed class PostgresReaderData() : ReaderData(StoreProvider.Postgres);
