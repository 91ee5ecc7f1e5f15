namespace Firebreak.Core.Connectors;

using Firebreak.Core.Mentions;

/// <summary>
/// One source's health as the runner sees it: outcomes of the recent calls (a ring of the last 50, so the error rate
/// follows the present, not the whole history), the last success and error, the newest item's time, and items per
/// minute. One instance per running source; not shared between threads.
/// </summary>
public sealed class HealthTracker(long workspaceId, long sourceId, Platform platform, TimeProvider clock)
{
    private const int Window = 50;
    private readonly bool[] outcomes = new bool[Window];
    private readonly Queue<(DateTimeOffset At, int Count)> recentItems = new();
    private int calls;
    private DateTimeOffset? lastSuccess;
    private DateTimeOffset? lastErrorAt;
    private string? lastError;
    private DateTimeOffset? newest;
    private long total;

    public DateTimeOffset? LastSuccessAt => lastSuccess;

    /// <summary>Restores what the store knew (last success, newest item, totals) after a restart.</summary>
    public void Restore(ConnectorHealth? saved)
    {
        if (saved is null)
        {
            return;
        }

        lastSuccess = saved.LastSuccessAt;
        lastErrorAt = saved.LastErrorAt;
        lastError = saved.LastError;
        newest = saved.NewestItemAt;
        total = saved.ItemsTotal;
    }

    public void Success(int items, DateTimeOffset? newestItem)
    {
        var now = clock.GetUtcNow();
        Record(true);
        ConnectorMetrics.Calls.Add(1, new KeyValuePair<string, object?>("platform", platform.ToWire()), new KeyValuePair<string, object?>("outcome", "ok"));
        ConnectorMetrics.Items.Add(items, new KeyValuePair<string, object?>("platform", platform.ToWire()));
        lastSuccess = now;
        total += items;
        if (items > 0)
        {
            recentItems.Enqueue((now, items));
        }

        if (newestItem is { } n && (newest is null || n > newest))
        {
            newest = n;
        }
    }

    public void Failure(string error)
    {
        Record(false);
        ConnectorMetrics.Calls.Add(1, new KeyValuePair<string, object?>("platform", platform.ToWire()), new KeyValuePair<string, object?>("outcome", "failed"));
        lastErrorAt = clock.GetUtcNow();
        lastError = error;
    }

    public ConnectorHealth Snapshot()
    {
        var now = clock.GetUtcNow();
        while (recentItems.TryPeek(out var head) && now - head.At > TimeSpan.FromMinutes(1))
        {
            recentItems.Dequeue();
        }

        var counted = Math.Min(calls, Window);
        var failures = 0;
        for (var i = 0; i < counted; i++)
        {
            failures += outcomes[i] ? 0 : 1;
        }

        return new ConnectorHealth(
            workspaceId,
            sourceId,
            platform,
            lastSuccess,
            lastErrorAt,
            lastError,
            counted == 0 ? 0 : (double)failures / counted,
            newest,
            total,
            recentItems.Sum(r => r.Count),
            now);
    }

    private void Record(bool ok)
    {
        outcomes[calls % Window] = ok;
        calls++;
    }
}
