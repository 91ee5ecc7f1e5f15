namespace Firebreak.Core.Topics.Query;

/// <summary>
/// Per-worker state for <see cref="TopicIndex.Match"/>: candidate slots and a stamp array that dedupes
/// them without clearing anything between mentions. Lives in <see cref="MatchSubject"/>.
/// </summary>
internal sealed class TopicMatchScratch
{
    private int[] stamps = [];
    private int stamp;

    public List<int> Candidates { get; } = [];

    /// <summary>Starts a new match: previous stamps (from any index) become stale.</summary>
    public void Begin(int topicCount)
    {
        Candidates.Clear();
        if (stamps.Length < topicCount)
        {
            stamps = new int[Math.Max(topicCount, stamps.Length * 2)];
            stamp = 0;
        }

        if (stamp == int.MaxValue)
        {
            Array.Clear(stamps);
            stamp = 0;
        }

        stamp++;
    }

    public void Add(int slot)
    {
        if (stamps[slot] != stamp)
        {
            stamps[slot] = stamp;
            Candidates.Add(slot);
        }
    }
}
