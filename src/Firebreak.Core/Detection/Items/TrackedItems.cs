using Firebreak.Core.Mentions;

namespace Firebreak.Core.Detection.Items;

/// <summary>What is remembered of one item between its captures.</summary>
internal struct TrackedItem
{
    /// <summary>Kept for the key comparison; the same string the mention already holds, not a copy.</summary>
    public string ExternalId;

    public Platform Platform;

    /// <summary>The capture the pace between captures is measured from (at least the minimum interval back).</summary>
    public long ReferenceCaptureTicks;

    public long ReferenceInteractions;

    /// <summary>The newest capture seen; an older one arriving late is ignored.</summary>
    public long LastCaptureTicks;

    /// <summary>Highest severity already reported for this item; it fires again only above it.</summary>
    public DetectionSeverity Reported;

    // Links of the recency list, as slot indexes (-1 at the ends).
    public int Newer;
    public int Older;
}

/// <summary>
/// A bounded table of recently updated items for one workspace: a dictionary from (platform, external id) to
/// a slot and a recency list through the slots. When full, adding forgets the least recently updated item,
/// so an item that keeps being captured stays and a forgotten one simply starts again as new.
/// </summary>
/// <remarks>
/// Memory per item: the 48-byte <see cref="TrackedItem"/> and a dictionary entry (hash, next, 16-byte key,
/// slot), 87 bytes in all as measured with 100,000 items, plus the external id string the mention already
/// allocated (kept alive, not copied). Once the table is full, adding and forgetting reuse the dictionary's free
/// list and the slot, so it does not allocate.
/// Not thread-safe.
/// </remarks>
internal sealed class TrackedItems
{
    private readonly int capacity;
    private readonly Dictionary<ItemKey, int> slots;
    private TrackedItem[] items;
    private int count;
    private int newest = -1;
    private int oldest = -1;

    public TrackedItems(int capacity)
    {
        this.capacity = capacity;
        var initial = Math.Min(capacity, 256);
        slots = new Dictionary<ItemKey, int>(initial);
        items = new TrackedItem[initial];
    }

    public int Count => count;

    public ref TrackedItem this[int slot] => ref items[slot];

    /// <summary>The item's slot, or -1 when it is not remembered.</summary>
    public int Find(Platform platform, string externalId) =>
        slots.TryGetValue(new ItemKey(platform, externalId), out var slot) ? slot : -1;

    /// <summary>Remembers a new item as the most recent, forgetting the least recent one when full.</summary>
    public int Add(Platform platform, string externalId)
    {
        int slot;
        if (count < capacity)
        {
            if (count == items.Length)
            {
                Array.Resize(ref items, Math.Min(capacity, items.Length * 2));
            }

            slot = count++;
        }
        else
        {
            slot = oldest;
            Unlink(slot);
            slots.Remove(new ItemKey(items[slot].Platform, items[slot].ExternalId));
        }

        items[slot] = new TrackedItem { ExternalId = externalId, Platform = platform, Newer = -1, Older = -1 };
        slots.Add(new ItemKey(platform, externalId), slot);
        LinkAsNewest(slot);
        return slot;
    }

    /// <summary>Marks the item as the most recently updated.</summary>
    public void Touch(int slot)
    {
        if (slot == newest)
        {
            return;
        }

        Unlink(slot);
        LinkAsNewest(slot);
    }

    private void Unlink(int slot)
    {
        ref var item = ref items[slot];
        if (item.Newer >= 0)
        {
            items[item.Newer].Older = item.Older;
        }
        else
        {
            newest = item.Older;
        }

        if (item.Older >= 0)
        {
            items[item.Older].Newer = item.Newer;
        }
        else
        {
            oldest = item.Newer;
        }

        item.Newer = -1;
        item.Older = -1;
    }

    private void LinkAsNewest(int slot)
    {
        ref var item = ref items[slot];
        item.Older = newest;
        item.Newer = -1;
        if (newest >= 0)
        {
            items[newest].Newer = slot;
        }

        newest = slot;
        if (oldest < 0)
        {
            oldest = slot;
        }
    }

    private readonly record struct ItemKey(Platform Platform, string ExternalId);
}
