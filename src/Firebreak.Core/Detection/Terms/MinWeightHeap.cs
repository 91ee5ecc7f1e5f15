namespace Firebreak.Core.Detection.Terms;

/// <summary>
/// A binary min-heap of slot numbers ordered by a weight per slot, with each slot's position kept so a weight
/// can grow in place. Space-Saving needs exactly this: find the lightest term to replace, and let a term that
/// is counted again sink away from the top. Weights only grow (or are all scaled by the same factor, which
/// keeps the order), so increasing is the only re-ordering needed. Not thread-safe.
/// </summary>
internal sealed class MinWeightHeap
{
    private int[] heap;
    private int[] position;
    private double[] weight;

    public MinWeightHeap(int capacity)
    {
        heap = new int[capacity];
        position = new int[capacity];
        weight = new double[capacity];
    }

    public int Count { get; private set; }

    /// <summary>The slot with the smallest weight; only valid when <see cref="Count"/> &gt; 0.</summary>
    public int Lightest => heap[0];

    public double WeightOf(int slot) => weight[slot];

    public void Grow(int capacity)
    {
        Array.Resize(ref heap, capacity);
        Array.Resize(ref position, capacity);
        Array.Resize(ref weight, capacity);
    }

    /// <summary>Adds a slot not yet in the heap (slots are numbered 0..capacity-1).</summary>
    public void Add(int slot, double slotWeight)
    {
        weight[slot] = slotWeight;
        heap[Count] = slot;
        position[slot] = Count;
        Count++;
        SiftUp(Count - 1);
    }

    /// <summary>Raises a slot's weight (a new occurrence, or a replacement term inheriting the weight).</summary>
    public void Increase(int slot, double slotWeight)
    {
        weight[slot] = slotWeight;
        SiftDown(position[slot]);
    }

    /// <summary>Multiplies every weight by the same factor (renormalising forward-decayed weights).</summary>
    public void Scale(double factor)
    {
        for (var i = 0; i < Count; i++)
        {
            weight[heap[i]] *= factor;
        }
    }

    private void SiftUp(int at)
    {
        var slot = heap[at];
        var w = weight[slot];
        while (at > 0)
        {
            var parent = (at - 1) >> 1;
            if (weight[heap[parent]] <= w)
            {
                break;
            }

            Place(heap[parent], at);
            at = parent;
        }

        Place(slot, at);
    }

    private void SiftDown(int at)
    {
        var slot = heap[at];
        var w = weight[slot];
        while (true)
        {
            var child = (2 * at) + 1;
            if (child >= Count)
            {
                break;
            }

            if (child + 1 < Count && weight[heap[child + 1]] < weight[heap[child]])
            {
                child++;
            }

            if (weight[heap[child]] >= w)
            {
                break;
            }

            Place(heap[child], at);
            at = child;
        }

        Place(slot, at);
    }

    private void Place(int slot, int at)
    {
        heap[at] = slot;
        position[slot] = at;
    }
}
