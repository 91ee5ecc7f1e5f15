namespace Firebreak.Storage.Postgres;

using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;
using Npgsql;

/// <summary>Topic series from the rollup tables only; see <see cref="Sqlite.SqliteSeriesReader"/>, which this mirrors.</summary>
public sealed class PostgresSeriesReader(PostgresDatabase database) : ISeriesReader
{
    public async Task<TimeSeries> ReadAsync(long workspaceId, long topicId, SeriesInterval interval, DateTimeOffset from, DateTimeOffset to, SeriesBreakdown breakdown, CancellationToken cancellationToken)
    {
        var (table, dimTable, bucketSeconds, groupSeconds) = interval switch
        {
            SeriesInterval.Minute => ("rollup_minute", "rollup_dim_minute", 60L, 60L),
            SeriesInterval.Hour => ("rollup_hour", "rollup_dim_hour", 3600L, 3600L),
            _ => ("rollup_hour", "rollup_dim_hour", 3600L, 86400L),
        };
        var first = Floor(from.ToUnixTimeSeconds(), groupSeconds);
        var last = Floor(to.ToUnixTimeSeconds() - 1, groupSeconds);
        var pointCount = (int)Math.Max(0, ((last - first) / groupSeconds) + 1);
        if (pointCount > Sqlite.SqliteSeriesReader.MaxPoints)
        {
            throw new ArgumentOutOfRangeException(nameof(to), $"{pointCount:N0} {interval.ToString().ToLowerInvariant()} buckets requested; the limit is {Sqlite.SqliteSeriesReader.MaxPoints:N0}: use a coarser interval or a shorter range");
        }

        var points = new SeriesPoint[pointCount];
        var sums = new long[pointCount, 6];
        var fromBucket = first / bucketSeconds;
        var toBucket = (last + groupSeconds) / bucketSeconds;
        var perGroup = groupSeconds / bucketSeconds;

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = new NpgsqlCommand($"SELECT bucket, count, negative, neutral, positive, unknown, reach FROM {table} WHERE workspace_id = $1 AND topic_id = $2 AND bucket >= $3 AND bucket < $4", connection)
            .Add(workspaceId).Add(topicId).Add(fromBucket).Add(toBucket))
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var index = (int)((reader.GetInt64(0) - fromBucket) / perGroup);
                for (var k = 0; k < 6; k++)
                {
                    sums[index, k] += reader.GetInt64(k + 1);
                }
            }
        }

        for (var i = 0; i < pointCount; i++)
        {
            points[i] = new SeriesPoint(DateTimeOffset.FromUnixTimeSeconds(first + (i * groupSeconds)), sums[i, 0], sums[i, 1], sums[i, 2], sums[i, 3], sums[i, 4], sums[i, 5]);
        }

        var slices = new List<SeriesSlice>();
        if (breakdown != SeriesBreakdown.None)
        {
            var dim = breakdown == SeriesBreakdown.Language ? RollupDimension.Language : RollupDimension.Platform;
            await using var command = new NpgsqlCommand(
                $"""
                SELECT (bucket - $3) / $6 AS slot, key, sum(count)::bigint FROM {dimTable}
                WHERE workspace_id = $1 AND topic_id = $2 AND dim = $5 AND bucket >= $3 AND bucket < $4
                GROUP BY slot, key HAVING sum(count) <> 0 ORDER BY slot, key COLLATE "C"
                """,
                connection).Add(workspaceId).Add(topicId).Add(fromBucket).Add(toBucket).Add((int)dim).Add(perGroup);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                slices.Add(new SeriesSlice(DateTimeOffset.FromUnixTimeSeconds(first + (reader.GetInt64(0) * groupSeconds)), reader.GetString(1), reader.GetInt64(2)));
            }
        }

        return new TimeSeries(topicId, interval, DateTimeOffset.FromUnixTimeSeconds(first), DateTimeOffset.FromUnixTimeSeconds(last + groupSeconds), points, slices);
    }

    private static long Floor(long seconds, long size) => seconds - (((seconds % size) + size) % size);
}
