namespace Firebreak.Storage.Postgres;

using Firebreak.Core.Ingestion;
using Npgsql;

/// <summary>
/// Applies a group's rollup deltas: one INSERT … ON CONFLICT DO UPDATE SET count = count + excluded.count per
/// table, fed by arrays (unnest), so a group costs four statements in one round trip however many buckets it
/// touches. Increments commute, so concurrent writers never lose one; rows are taken in key order (ORDER BY)
/// so two writers touching the same buckets lock them in the same order. Hours are summed here first, since
/// one statement may not update the same row twice.
/// </summary>
internal sealed class PostgresRollups
{
    private const string CountsInsert = """
        INSERT INTO {0} AS r (workspace_id, topic_id, bucket, count, negative, neutral, positive, unknown, reach)
        SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[])
            AS u(w, t, b, c, ng, nu, po, un, re)
        ORDER BY w, t, b
        ON CONFLICT (workspace_id, topic_id, bucket) DO UPDATE SET
            count = r.count + excluded.count, negative = r.negative + excluded.negative, neutral = r.neutral + excluded.neutral,
            positive = r.positive + excluded.positive, unknown = r.unknown + excluded.unknown, reach = r.reach + excluded.reach
        """;

    private const string DimInsert = """
        INSERT INTO {0} AS r (workspace_id, topic_id, dim, bucket, key, count)
        SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::integer[], $4::bigint[], $5::text[], $6::bigint[]) AS u(w, t, d, b, k, c)
        ORDER BY w, t, d, b, k
        ON CONFLICT (workspace_id, topic_id, dim, bucket, key) DO UPDATE SET count = r.count + excluded.count
        """;

    private readonly Dictionary<(long Workspace, long Topic, long Bucket), RollupCounts> hours = [];
    private readonly Dictionary<(long Workspace, long Topic, RollupDimension Dim, long Bucket, string Key), long> dimHours = [];
    private readonly Dictionary<(long Workspace, long Topic, RollupDimension Dim, long Bucket, string Key), long> dimMinutes = [];

    public async Task ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction tx, RollupAccumulator rollups, CancellationToken cancellationToken)
    {
        hours.Clear();
        dimHours.Clear();
        dimMinutes.Clear();
        var minutes = new List<KeyValuePair<(long Workspace, long Topic, long Minute), RollupCounts>>(rollups.Counts.Count);
        foreach (var entry in rollups.Counts)
        {
            var counts = entry.Value;
            if (counts.Count == 0 && counts.Reach == 0 && counts.Negative == 0 && counts.Neutral == 0 && counts.Positive == 0 && counts.Unknown == 0)
            {
                continue;
            }

            minutes.Add(entry);
            var hourKey = (entry.Key.Workspace, entry.Key.Topic, entry.Key.Minute / 60);
            hours.TryGetValue(hourKey, out var sum);
            sum.Count += counts.Count;
            sum.Negative += counts.Negative;
            sum.Neutral += counts.Neutral;
            sum.Positive += counts.Positive;
            sum.Unknown += counts.Unknown;
            sum.Reach += counts.Reach;
            hours[hourKey] = sum;
        }

        foreach (var ((workspace, topic, minute, dim, key), count) in rollups.Dimensions)
        {
            if (count != 0)
            {
                dimMinutes[(workspace, topic, dim, minute, key)] = count;
                var hourKey = (workspace, topic, dim, minute / 60, key);
                dimHours[hourKey] = dimHours.GetValueOrDefault(hourKey) + count;
            }
        }

        if (minutes.Count == 0 && dimMinutes.Count == 0)
        {
            return;
        }

        await using var batch = new NpgsqlBatch(connection, tx);
        AddCounts(batch, "rollup_minute", minutes.Select(e => (e.Key.Workspace, e.Key.Topic, e.Key.Minute, e.Value)), minutes.Count);
        AddCounts(batch, "rollup_hour", hours.Select(e => (e.Key.Workspace, e.Key.Topic, e.Key.Bucket, e.Value)), hours.Count);
        AddDims(batch, "rollup_dim_minute", dimMinutes);
        AddDims(batch, "rollup_dim_hour", dimHours);
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void AddCounts(NpgsqlBatch batch, string table, IEnumerable<(long Workspace, long Topic, long Bucket, RollupCounts Counts)> rows, int count)
    {
        if (count == 0)
        {
            return;
        }

        var columns = new long[9][];
        for (var k = 0; k < columns.Length; k++)
        {
            columns[k] = new long[count];
        }

        var i = 0;
        foreach (var (workspace, topic, bucket, c) in rows)
        {
            columns[0][i] = workspace;
            columns[1][i] = topic;
            columns[2][i] = bucket;
            columns[3][i] = c.Count;
            columns[4][i] = c.Negative;
            columns[5][i] = c.Neutral;
            columns[6][i] = c.Positive;
            columns[7][i] = c.Unknown;
            columns[8][i] = c.Reach;
            i++;
        }

        var command = new NpgsqlBatchCommand(string.Format(System.Globalization.CultureInfo.InvariantCulture, CountsInsert, table));
        foreach (var column in columns)
        {
            command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = column });
        }

        batch.BatchCommands.Add(command);
    }

    private static void AddDims(NpgsqlBatch batch, string table, Dictionary<(long Workspace, long Topic, RollupDimension Dim, long Bucket, string Key), long> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var workspaces = new long[rows.Count];
        var topics = new long[rows.Count];
        var dims = new int[rows.Count];
        var buckets = new long[rows.Count];
        var keys = new string[rows.Count];
        var counts = new long[rows.Count];
        var i = 0;
        foreach (var ((workspace, topic, dim, bucket, key), count) in rows)
        {
            workspaces[i] = workspace;
            topics[i] = topic;
            dims[i] = (int)dim;
            buckets[i] = bucket;
            keys[i] = PgText.Clean(key);
            counts[i] = count;
            i++;
        }

        var command = new NpgsqlBatchCommand(string.Format(System.Globalization.CultureInfo.InvariantCulture, DimInsert, table));
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = workspaces });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = topics });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = dims });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = buckets });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = keys });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = counts });
        batch.BatchCommands.Add(command);
    }
}
