using Firebreak.Core.Mentions;
using Firebreak.Core.Text;
using Firebreak.Core.Topics.Query;

namespace Firebreak.Storage.Tests;

/// <summary>
/// Recomputes everything the writer maintains incrementally (topic membership, rollups, series) from the
/// mentions themselves and asserts they agree. The scan is plain SQL over mentions/mention_topics, written
/// here independently of the writer.
/// </summary>
internal static class RollupAudit
{
    // Written for both SQLite and PostgreSQL (no boolean sums, no two-argument max).
    private const string SentimentSums = "count(*), sum(CASE WHEN m.sentiment = 1 THEN 1 ELSE 0 END), sum(CASE WHEN m.sentiment = 2 THEN 1 ELSE 0 END), sum(CASE WHEN m.sentiment = 3 THEN 1 ELSE 0 END), sum(CASE WHEN m.sentiment = 0 THEN 1 ELSE 0 END), sum(CASE WHEN m.author_followers > m.views THEN m.author_followers ELSE m.views END)";

    /// <summary>Membership recomputed by evaluating each topic's query against the stored mentions.</summary>
    public static async Task AssertTopicMembershipAsync(TestStore store, long workspaceId)
    {
        var mentions = new List<Mention>();
        await foreach (var mention in store.Reader.StreamAsync(workspaceId, new MentionFilter(), CancellationToken.None))
        {
            mentions.Add(mention);
        }

        var tokenizer = new Tokenizer();
        var subject = new MatchSubject();
        foreach (var topic in await store.Topics.ListAsync(workspaceId, CancellationToken.None))
        {
            var query = QueryParser.Parse(topic.Query).Query!;
            var expected = mentions.Where(m =>
            {
                subject.Load(m, tokenizer);
                return query.Matches(subject);
            }).Select(m => m.Id).Order().ToList();
            var stored = (await store.RowsAsync("SELECT mention_id FROM mention_topics WHERE topic_id = $t ORDER BY mention_id", ("$t", topic.Id)))
                .Select(r => (long)r[0]).ToList();
            Assert.True(expected.SequenceEqual(stored), $"topic '{topic.Query}': expected [{string.Join(',', expected)}], stored [{string.Join(',', stored)}]");
        }

        Assert.Equal(0, await store.ScalarAsync("SELECT count(*) FROM mention_topics mt LEFT JOIN mentions m ON m.id = mt.mention_id WHERE m.id IS NULL OR m.created_at <> mt.created_at"));
        var column = await store.RowsAsync("SELECT id, coalesce(topic_ids, '') FROM mentions WHERE workspace_id = $w", ("$w", workspaceId));
        foreach (var row in column)
        {
            var fromTable = (await store.RowsAsync("SELECT topic_id FROM mention_topics WHERE mention_id = $m ORDER BY topic_id", ("$m", row[0]))).Select(r => (long)r[0]);
            Assert.Equal((string)row[1], string.Join(',', fromTable));
        }
    }

    /// <summary>rollup_minute/hour and rollup_dim_minute/hour equal a GROUP BY over the rows, for every topic and bucket.</summary>
    public static async Task AssertRollupsMatchScanAsync(TestStore store, long workspaceId)
    {
        foreach (var (table, dimTable, ms) in new[] { ("rollup_minute", "rollup_dim_minute", 60_000L), ("rollup_hour", "rollup_dim_hour", 3_600_000L) })
        {
            var scan = await store.RowsAsync(
                $"""
                SELECT 0, m.created_at / {ms} AS b, {SentimentSums} FROM mentions m WHERE m.workspace_id = $w GROUP BY b
                UNION ALL
                SELECT mt.topic_id, mt.created_at / {ms} AS b, {SentimentSums}
                FROM mention_topics mt JOIN mentions m ON m.id = mt.mention_id WHERE m.workspace_id = $w GROUP BY mt.topic_id, b
                ORDER BY 1, 2
                """,
                ("$w", workspaceId));
            var rollup = await store.RowsAsync(
                $"""
                SELECT topic_id, bucket, count, negative, neutral, positive, unknown, reach FROM {table}
                WHERE workspace_id = $w AND (count <> 0 OR negative <> 0 OR neutral <> 0 OR positive <> 0 OR unknown <> 0 OR reach <> 0)
                ORDER BY 1, 2
                """,
                ("$w", workspaceId));
            AssertSameRows(table, scan, rollup);

            var dimScan = await store.RowsAsync(
                $"""
                SELECT topic, dim, b, key, count(*) FROM (
                    SELECT 0 AS topic, 1 AS dim, m.created_at / {ms} AS b, m.language AS key FROM mentions m WHERE m.workspace_id = $w
                    UNION ALL SELECT 0, 2, m.created_at / {ms}, m.platform FROM mentions m WHERE m.workspace_id = $w
                    UNION ALL SELECT mt.topic_id, 1, mt.created_at / {ms}, m.language FROM mention_topics mt JOIN mentions m ON m.id = mt.mention_id WHERE m.workspace_id = $w
                    UNION ALL SELECT mt.topic_id, 2, mt.created_at / {ms}, m.platform FROM mention_topics mt JOIN mentions m ON m.id = mt.mention_id WHERE m.workspace_id = $w) AS x
                GROUP BY topic, dim, b, key ORDER BY 1, 2, 3, 4
                """,
                ("$w", workspaceId));
            var dimRollup = await store.RowsAsync(
                $"SELECT topic_id, dim, bucket, key, count FROM {dimTable} WHERE workspace_id = $w AND count <> 0 ORDER BY 1, 2, 3, 4",
                ("$w", workspaceId));
            AssertSameRows(dimTable, dimScan, dimRollup);
        }

        Assert.Equal(await store.ScalarAsync("SELECT count(*) FROM mentions WHERE workspace_id = $w", ("$w", workspaceId)), await store.Reader.CountAsync(workspaceId, CancellationToken.None));
    }

    /// <summary>ISeriesReader output, bucket by bucket (gaps included), equals the scan for every topic.</summary>
    public static async Task AssertSeriesMatchScanAsync(TestStore store, long workspaceId, DateTimeOffset from, DateTimeOffset to)
    {
        var topics = (await store.Topics.ListAsync(workspaceId, CancellationToken.None)).Select(t => t.Id).Prepend(0L).ToList();
        foreach (var (interval, seconds) in new[] { (SeriesInterval.Minute, 60L), (SeriesInterval.Hour, 3_600L), (SeriesInterval.Day, 86_400L) })
        {
            foreach (var topic in topics)
            {
                var source = topic == 0
                    ? "FROM mentions m WHERE m.workspace_id = $w"
                    : "FROM mention_topics mt JOIN mentions m ON m.id = mt.mention_id WHERE mt.topic_id = $t AND m.workspace_id = $w";
                var scan = (await store.RowsAsync($"SELECT m.created_at / {seconds * 1000} AS b, {SentimentSums} {source} GROUP BY b", ("$w", workspaceId), ("$t", topic)))
                    .ToDictionary(r => (long)r[0] * seconds, r => r.Skip(1).Select(v => (long)v).ToArray());
                var languages = (await store.RowsAsync($"SELECT m.created_at / {seconds * 1000} AS b, m.language, count(*) {source} GROUP BY b, m.language ORDER BY b, m.language", ("$w", workspaceId), ("$t", topic)))
                    .Select(r => ((long)r[0] * seconds, (string)r[1], (long)r[2])).ToList();

                var series = await store.Series.ReadAsync(workspaceId, topic, interval, from, to, SeriesBreakdown.Language, CancellationToken.None);

                var first = Floor(from.ToUnixTimeSeconds(), seconds);
                var expectedPoints = (int)((Floor(to.ToUnixTimeSeconds() - 1, seconds) - first) / seconds) + 1;
                Assert.Equal(expectedPoints, series.Points.Count);
                for (var i = 0; i < series.Points.Count; i++)
                {
                    var point = series.Points[i];
                    var start = first + (i * seconds);
                    Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(start), point.Start);
                    var expected = scan.GetValueOrDefault(start, new long[6]);
                    var actual = new[] { point.Count, point.Negative, point.Neutral, point.Positive, point.Unknown, point.Reach };
                    Assert.True(expected.SequenceEqual(actual), $"{interval} topic {topic} at {point.Start:O}: scan [{string.Join(',', expected)}], series [{string.Join(',', actual)}]");
                }

                var inRange = languages.Where(l => l.Item1 >= first && l.Item1 < first + (expectedPoints * seconds))
                    .Select(l => (DateTimeOffset.FromUnixTimeSeconds(l.Item1), l.Item2, l.Item3));
                Assert.Equal(inRange, series.Breakdown.Select(s => (s.Start, s.Key, s.Count)));
            }
        }
    }

    private static long Floor(long seconds, long size) => seconds - (((seconds % size) + size) % size);

    private static void AssertSameRows(string table, List<object[]> expected, List<object[]> actual)
    {
        static string Show(object[] row) => string.Join('|', row);
        var missing = expected.Select(Show).Except(actual.Select(Show)).Take(5).ToList();
        var extra = actual.Select(Show).Except(expected.Select(Show)).Take(5).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0 && expected.Count == actual.Count, $"{table} differs from a scan: scan-only [{string.Join("; ", missing)}], rollup-only [{string.Join("; ", extra)}]");
    }
}
