namespace Firebreak.Core.Scenarios;

/// <summary>Picks items by weight with a linear scan; the tables are tiny, so this beats a binary search.</summary>
internal sealed class WeightedChoice<T>
{
    private readonly T[] items;
    private readonly double[] cumulative;

    public WeightedChoice(IReadOnlyList<(T Item, double Weight)> entries)
    {
        if (entries.Count == 0)
        {
            throw new ArgumentException("A weighted choice needs at least one entry.", nameof(entries));
        }

        items = new T[entries.Count];
        cumulative = new double[entries.Count];
        var total = 0.0;
        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i].Weight < 0 || double.IsNaN(entries[i].Weight))
            {
                throw new ArgumentException("Weights must be non-negative.", nameof(entries));
            }

            total += entries[i].Weight;
            items[i] = entries[i].Item;
            cumulative[i] = total;
        }

        if (total <= 0)
        {
            throw new ArgumentException("At least one weight must be positive.", nameof(entries));
        }

        for (var i = 0; i < cumulative.Length; i++)
        {
            cumulative[i] /= total;
        }

        // Guards against rounding leaving the last bucket just below 1.
        cumulative[^1] = 1.0;
    }

    public T Pick(ScenarioRandom random)
    {
        var u = random.NextDouble();
        for (var i = 0; i < cumulative.Length; i++)
        {
            if (u < cumulative[i])
            {
                return items[i];
            }
        }

        return items[^1];
    }
}
