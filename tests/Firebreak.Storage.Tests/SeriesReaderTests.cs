using Firebreak.Core.Mentions;

namespace Firebreak.Storage.Tests;

public abstract class SeriesReaderTests(StoreProvider provider) : IAsyncLifetime
{
    private static readonly DateTimeOffset Ten = new(2025, 3, 3, 10, 0, 0, TimeSpan.Zero);
    private TestStore store = null!;
    private long workspace;
    private long topic;

    public async Task InitializeAsync()
    {
        store = await TestStore.OpenAsync(provider);
        workspace = await store.AddWorkspaceAsync();
        topic = await store.AddTopicAsync(workspace, "refunds", "refund");
        await store.IngestAsync(
            workspace,
            Input.Make("1", "refund great", Ten.AddMinutes(1).AddSeconds(5), language: "fr", followers: 10),
            Input.Make("2", "refund awful", Ten.AddMinutes(1).AddSeconds(59), language: "en", followers: 20, views: 500),
            Input.Make("3", "nothing", Ten.AddMinutes(5), language: "en", platform: "tiktok", followers: 1),
            Input.Make("4", "refund okay", Ten.AddHours(-20), language: "ar", followers: 7));
    }

    public async Task DisposeAsync() => await store.DisposeAsync();

    [StoreFact]
    public async Task ReadAsync_Minutes_ZeroFilledBetweenBuckets()
    {
        var series = await store.Series.ReadAsync(workspace, 0, SeriesInterval.Minute, Ten, Ten.AddMinutes(7), SeriesBreakdown.None, CancellationToken.None);

        Assert.Equal(Enumerable.Range(0, 7).Select(i => Ten.AddMinutes(i)), series.Points.Select(p => p.Start));
        Assert.Equal([0L, 2L, 0L, 0L, 0L, 1L, 0L], series.Points.Select(p => p.Count));
        Assert.Equal(new SeriesPoint(Ten.AddMinutes(1), 2, 1, 0, 1, 0, 510), series.Points[1]);
        Assert.Equal((Ten, Ten.AddMinutes(7)), (series.From, series.To));
        Assert.Empty(series.Breakdown);
    }

    [StoreFact]
    public async Task ReadAsync_UnalignedRange_SnapsToBucketsAndKeepsEdges()
    {
        var series = await store.Series.ReadAsync(workspace, 0, SeriesInterval.Minute, Ten.AddMinutes(1).AddSeconds(30), Ten.AddMinutes(5).AddSeconds(1), SeriesBreakdown.None, CancellationToken.None);

        Assert.Equal(Ten.AddMinutes(1), series.Points[0].Start);
        Assert.Equal([2L, 0L, 0L, 0L, 1L], series.Points.Select(p => p.Count));
    }

    [StoreFact]
    public async Task ReadAsync_ToIsExclusive()
    {
        var series = await store.Series.ReadAsync(workspace, 0, SeriesInterval.Minute, Ten, Ten.AddMinutes(5), SeriesBreakdown.None, CancellationToken.None);

        Assert.Equal(5, series.Points.Count);
        Assert.Equal(2, series.Points.Sum(p => p.Count));
    }

    [StoreFact]
    public async Task ReadAsync_TopicByLanguage_SlicesPerBucket()
    {
        var series = await store.Series.ReadAsync(workspace, topic, SeriesInterval.Minute, Ten, Ten.AddMinutes(3), SeriesBreakdown.Language, CancellationToken.None);

        Assert.Equal([0L, 2L, 0L], series.Points.Select(p => p.Count));
        Assert.Equal([new SeriesSlice(Ten.AddMinutes(1), "en", 1), new SeriesSlice(Ten.AddMinutes(1), "fr", 1)], series.Breakdown);
    }

    [StoreFact]
    public async Task ReadAsync_HoursByPlatform_SumsMinutesOfEachHour()
    {
        var series = await store.Series.ReadAsync(workspace, 0, SeriesInterval.Hour, Ten.AddHours(-1), Ten.AddHours(2), SeriesBreakdown.Platform, CancellationToken.None);

        Assert.Equal([0L, 3L, 0L], series.Points.Select(p => p.Count));
        Assert.Equal([new SeriesSlice(Ten, "tiktok", 1), new SeriesSlice(Ten, "x", 2)], series.Breakdown);
    }

    [StoreFact]
    public async Task ReadAsync_Days_UtcDaysFromHourRollups()
    {
        var series = await store.Series.ReadAsync(workspace, topic, SeriesInterval.Day, Ten.AddDays(-2), Ten.AddDays(1), SeriesBreakdown.Language, CancellationToken.None);

        var day = new DateTimeOffset(2025, 3, 3, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal([day.AddDays(-2), day.AddDays(-1), day, day.AddDays(1)], series.Points.Select(p => p.Start));
        Assert.Equal([0L, 1L, 2L, 0L], series.Points.Select(p => p.Count));
        Assert.Equal([(day.AddDays(-1), "ar", 1L), (day, "en", 1L), (day, "fr", 1L)], series.Breakdown.Select(s => (s.Start, s.Key, s.Count)));
        await RollupAudit.AssertSeriesMatchScanAsync(store, workspace, Ten.AddDays(-2), Ten.AddDays(1));
    }

    [StoreFact]
    public async Task ReadAsync_OtherWorkspace_SeesNothing()
    {
        var other = await store.AddWorkspaceAsync("other");

        var series = await store.Series.ReadAsync(other, 0, SeriesInterval.Hour, Ten.AddDays(-1), Ten.AddDays(1), SeriesBreakdown.Language, CancellationToken.None);

        Assert.All(series.Points, p => Assert.Equal(0, p.Count));
        Assert.Empty(series.Breakdown);
    }

    [StoreFact]
    public async Task ReadAsync_TooManyBuckets_Refused()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            store.Series.ReadAsync(workspace, 0, SeriesInterval.Minute, Ten.AddDays(-30), Ten, SeriesBreakdown.None, CancellationToken.None));
    }
}

public sealed class SqliteSeriesReaderTests() : SeriesReaderTests(StoreProvider.Sqlite);

[RequiresPostgres]
public sealed class PostgresSeriesReaderTests() : SeriesReaderTests(StoreProvider.Postgres);
