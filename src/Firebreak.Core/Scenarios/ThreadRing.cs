namespace Firebreak.Core.Scenarios;

/// <summary>An earlier item that later comments and replies can point to.</summary>
internal readonly record struct ThreadEntry(string Id, string ThreadId, string ThreadUrl, string Handle, bool Negative);

/// <summary>The most recent items on one platform; replies pick their parent from here, so they always reference earlier ids.</summary>
internal sealed class ThreadRing
{
    private readonly ThreadEntry[] entries = new ThreadEntry[64];
    private int count;
    private int next;

    public void Add(in ThreadEntry entry)
    {
        entries[next] = entry;
        next = (next + 1) % entries.Length;
        if (count < entries.Length)
        {
            count++;
        }
    }

    public bool TryPick(ScenarioRandom random, out ThreadEntry entry)
    {
        if (count == 0)
        {
            entry = default;
            return false;
        }

        entry = entries[random.Next(count)];
        return true;
    }
}
