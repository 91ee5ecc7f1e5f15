namespace Firebreak.Core.Topics.Query;

/// <summary>
/// A growable list of token spans (first and last position, inclusive) packed into longs so a sort orders
/// them by start. Pooled per <see cref="MatchSubject"/>: NEAR evaluation allocates nothing once warm.
/// </summary>
internal sealed class SpanList
{
    private long[] items = new long[16];

    public int Count { get; private set; }

    /// <summary>Length (in tokens) of the longest span added since the last clear.</summary>
    public int MaxLength { get; private set; }

    public void Clear()
    {
        Count = 0;
        MaxLength = 0;
    }

    public void Add(int start, int end)
    {
        if (Count == items.Length)
        {
            Array.Resize(ref items, Count * 2);
        }

        items[Count++] = ((long)start << 32) | (uint)end;
        MaxLength = Math.Max(MaxLength, end - start + 1);
    }

    public int Start(int index) => (int)(items[index] >> 32);

    public int End(int index) => (int)(uint)items[index];

    public void Sort() => Array.Sort(items, 0, Count);

    /// <summary>Index of the first span whose start is at least <paramref name="start"/> (list must be sorted).</summary>
    public int LowerBound(int start)
    {
        var key = (long)start << 32;
        int lo = 0, hi = Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (items[mid] < key)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
