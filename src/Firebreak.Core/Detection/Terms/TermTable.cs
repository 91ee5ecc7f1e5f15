using Firebreak.Core.Detection.Items;
using Firebreak.Core.Text;

namespace Firebreak.Core.Detection.Terms;

/// <summary>What one (workspace, topic) remembers of one term.</summary>
internal struct TermSlot
{
    public int Hash;
    public TokenKind Kind;
    public byte Length;

    /// <summary>A pair of unspaced-script chars: needs more support.</summary>
    public bool Unspaced;

    /// <summary>Entered with the plain prior, not as a heavy term coming back after being replaced.</summary>
    public bool Fresh;

    /// <summary>Highest severity reported in the running episode; 0 when there is none.</summary>
    public DetectionSeverity Episode;

    /// <summary>The bucket <see cref="Count"/> belongs to.</summary>
    public long Bucket;

    /// <summary>Mentions with the term in <see cref="Bucket"/>.</summary>
    public int Count;

    /// <summary>Mentions with the term in the bucket before <see cref="Bucket"/>.</summary>
    public int PreviousCount;

    public long InsertedBucket;

    public long LastBurstBucket;

    /// <summary>Exponentially weighted sum of closed buckets' counts, and of their weights: rate = sum / weight.</summary>
    public double RateSum;

    public double RateWeight;

    /// <summary>What the term is assumed to run at before its own counts say (mentions per bucket).</summary>
    public double PriorRate;

    /// <summary>The first mention with the term in <see cref="Bucket"/>, a sample for a detection.</summary>
    public long FirstMentionId;
}

/// <summary>A term's state in the current bucket against its baseline, as a detection reports it.</summary>
internal readonly record struct TermBurst(int Slot, DetectionSeverity Severity, double Z, int Count, double Expected, double UsualPerBucket, bool NewToday);

/// <summary>
/// Counts and baselines of terms for one (workspace, topic), in bounded memory: a Space-Saving table of at most
/// <see cref="EmergingTermOptions.MaxTermsPerTopic"/> terms.
/// </summary>
/// <remarks>
/// <para>Each term has a weight, its exponentially decayed count (forward decay: an occurrence adds
/// e^(λ·bucket), so weights are comparable without touching them all each bucket; they are rescaled when
/// they grow large). When the table is full, a new term replaces the lightest one and inherits its weight
/// (Space-Saving), so a term that keeps coming back is never starved out by a flood of one-off tokens; the
/// inherited weight is also an upper bound on how often the newcomer could have occurred unseen, which becomes
/// its prior rate: in a busy, varied topic a new term needs more support.</para>
/// <para>Each term's baseline is an exponentially weighted mean of its per-bucket counts with a prior worth
/// <see cref="EmergingTermOptions.PriorBuckets"/>; the table's volume (mentions per bucket) likewise. A term is
/// expected at its usual share of the topic's mentions times the mentions of the current bucket so far, so a
/// term that rises only because the whole topic rises is not emerging (the volume detectors cover that).</para>
/// <para>Memory: per slot an 80-byte <see cref="TermSlot"/>, <see cref="EmergingTermOptions.MaxTermLength"/> chars
/// of text, 2 index entries and 3 heap entries: 184 bytes with the default 40 chars, so a full table of the
/// default 2,048 terms is 368 KiB (measured). Arrays grow by doubling up to the cap, so a quiet topic stays
/// small. Not thread-safe.</para>
/// </remarks>
internal sealed class TermTable
{
    private const long NoBucket = long.MinValue;
    private readonly EmergingTermOptions options;
    private readonly int capacity;
    private readonly int maxLength;
    private readonly double keep;
    private readonly double lambda;
    private readonly MinWeightHeap heap;
    private TermSlot[] slots;
    private char[] arena;
    private int[] index;
    private double increment = 1;
    private long landmark;
    private double volumeSum;
    private double volumeWeight;

    public TermTable(EmergingTermOptions options)
    {
        this.options = options;
        capacity = options.MaxTermsPerTopic;
        maxLength = options.MaxTermLength;
        keep = options.Keep;
        lambda = -Math.Log(keep);
        var initial = Math.Min(capacity, 64);
        slots = new TermSlot[initial];
        arena = new char[initial * maxLength];
        heap = new MinWeightHeap(initial);
        index = new int[IndexSize(initial)];
    }

    /// <summary>Terms tracked now; never more than the cap.</summary>
    public int Count => heap.Count;

    public long CurrentBucket { get; private set; } = NoBucket;

    public long FirstBucket { get; private set; } = NoBucket;

    /// <summary>Episodes started in the current bucket (capped by <see cref="EmergingTermOptions.MaxNewEpisodesPerBucket"/>).</summary>
    private int newEpisodes;

    /// <summary>Mentions counted in the current bucket so far.</summary>
    public int Mentions { get; private set; }

    public int PreviousMentions { get; private set; }

    private bool Warm => CurrentBucket - FirstBucket >= options.WarmupBuckets;

    /// <summary>Mentions per bucket usually (the current bucket until one has closed).</summary>
    private double Volume => volumeWeight > 0 ? volumeSum / volumeWeight : Math.Max(1, Mentions);

    /// <summary>Moves to <paramref name="bucket"/> when it is later than the current one; earlier ones are ignored.</summary>
    public void Advance(long bucket)
    {
        if (CurrentBucket == NoBucket)
        {
            CurrentBucket = FirstBucket = landmark = bucket;
            return;
        }

        if (bucket <= CurrentBucket)
        {
            return;
        }

        var gap = bucket - CurrentBucket - 1;
        volumeSum = (volumeSum * keep) + Mentions;
        volumeWeight = (volumeWeight * keep) + 1;
        DecayOverEmptyBuckets(ref volumeSum, ref volumeWeight, gap);
        PreviousMentions = gap == 0 ? Mentions : 0;
        Mentions = 0;
        newEpisodes = 0;
        CurrentBucket = bucket;

        var exponent = lambda * (bucket - landmark);
        if (exponent > 300)
        {
            // Rescale before e^(λ·bucket) leaves double range; the same factor for all keeps the order.
            heap.Scale(Math.Exp(-exponent));
            landmark = bucket;
            increment = 1;
        }
        else
        {
            increment = Math.Exp(exponent);
        }
    }

    public void CountMention() => Mentions++;

    /// <summary>Counts one mention of a term in the current bucket; returns its slot.</summary>
    public int CountTerm(ReadOnlySpan<char> text, TokenKind kind, int hash, bool unspaced, long mentionId)
    {
        var slot = Find(text, kind, hash, out var free);
        if (slot < 0)
        {
            slot = Insert(text, kind, hash, unspaced, free);
        }
        else
        {
            Roll(ref slots[slot]);
            heap.Increase(slot, heap.WeightOf(slot) + increment);
        }

        ref var s = ref slots[slot];
        if (s.Count++ == 0)
        {
            s.FirstMentionId = mentionId;
        }

        return slot;
    }

    /// <summary>
    /// Tests the term's count so far in the current bucket, <paramref name="elapsed"/> (0..1) of which has passed
    /// in data time; a severity above 0 in the result means report it (a new episode, or a higher severity in
    /// the running one). Also keeps the episode alive while it bursts.
    /// </summary>
    public TermBurst Assess(int slot, double elapsed)
    {
        ref var s = ref slots[slot];
        var factor = s.Unspaced ? options.UnspacedSupportFactor : 1.0;
        var minCount = options.SeverityCounts[0] * factor;
        var inEpisode = s.Episode > 0;
        if (!Warm || s.Count < (inEpisode ? minCount / 2 : minCount))
        {
            return default;
        }

        var volume = Volume;
        if (s.RateWeight >= 1 && s.RateSum / s.RateWeight / volume >= options.MaxBaselineShare)
        {
            return default;
        }

        var usual = UsualRate(s);
        var expected = Expected(s, volume, Mentions, usual * elapsed);
        var ratio = s.Count / expected;
        if (ratio < Math.Min(options.ContinueRatio, options.SeverityRatios[0]))
        {
            return default;
        }

        var z = BurstStatistics.DevianceZ(s.Count, expected);
        if (inEpisode && ratio >= options.ContinueRatio && z >= options.ContinueZ)
        {
            s.LastBurstBucket = CurrentBucket;
        }

        if (s.Count < minCount || ratio < options.SeverityRatios[0] || z < options.FireZ)
        {
            return default;
        }

        if (!inEpisode && newEpisodes >= options.MaxNewEpisodesPerBucket)
        {
            return default;
        }

        s.LastBurstBucket = CurrentBucket;
        var severity = SeverityOf(s.Count, ratio, factor);
        if (severity <= s.Episode)
        {
            return default;
        }

        newEpisodes += inEpisode ? 0 : 1;
        s.Episode = severity;
        var day = TimeSpan.TicksPerDay / options.BucketTicks;
        var newToday = s.Fresh && s.InsertedBucket - FirstBucket >= day && CurrentBucket - s.InsertedBucket < day;
        return new TermBurst(slot, severity, z, s.Count, expected, usual, newToday);
    }

    /// <summary>The term's display form: "#tag" for a hashtag, "@name" for a handle, the word itself otherwise.</summary>
    public string Display(int slot)
    {
        ref var s = ref slots[slot];
        var text = arena.AsSpan(slot * maxLength, s.Length);
        return s.Kind switch
        {
            TokenKind.Hashtag => string.Concat("#", text),
            TokenKind.Handle => string.Concat("@", text),
            _ => new string(text),
        };
    }

    public long SampleMentionId(int slot) => slots[slot].FirstMentionId;

    /// <summary>
    /// Terms most over-represented over the current and the previous bucket (as seen from
    /// <paramref name="workspaceBucket"/>, the workspace's newest bucket), best first, by the same deviance z
    /// the burst test uses. Only terms at least <see cref="EmergingTermOptions.ContinueRatio"/> times their
    /// expectation with a z of <see cref="EmergingTermOptions.ContinueZ"/> are listed (the bar that keeps an
    /// episode going); stop-word-like terms and terms with fewer than <see cref="EmergingTermOptions.TopTermMinCount"/>
    /// mentions are left out. Allocates the result.
    /// </summary>
    public List<string> TopTerms(int n, long workspaceBucket, double elapsed)
    {
        var best = new List<(double Z, int Slot)>(n + 1);
        if (n <= 0 || CurrentBucket == NoBucket || CurrentBucket < workspaceBucket - 1)
        {
            return [];
        }

        // When the topic has heard nothing yet in the workspace's newest bucket, its own current bucket is the previous one.
        var includePrevious = CurrentBucket == workspaceBucket;
        var mentions = Mentions + (includePrevious ? PreviousMentions : 0);
        var volume = Volume;
        for (var slot = 0; slot < heap.Count; slot++)
        {
            ref var s = ref slots[slot];
            var count = s.Bucket == CurrentBucket ? s.Count + (includePrevious ? s.PreviousCount : 0)
                : includePrevious && s.Bucket == CurrentBucket - 1 ? s.Count
                : 0;
            if (count < options.TopTermMinCount || (s.RateWeight >= 1 && s.RateSum / s.RateWeight / volume >= options.MaxBaselineShare))
            {
                continue;
            }

            var expected = Expected(s, volume, mentions, UsualRate(s) * (includePrevious ? 1 + elapsed : 1));
            if (count < expected * options.ContinueRatio)
            {
                continue;
            }

            // Only terms over-represented beyond chance, or the list would pad itself with noise.
            var z = BurstStatistics.DevianceZ(count, expected);
            if (z >= options.ContinueZ && (best.Count < n || z > best[^1].Z))
            {
                var at = best.Count;
                while (at > 0 && best[at - 1].Z < z)
                {
                    at--;
                }

                best.Insert(at, (z, slot));
                if (best.Count > n)
                {
                    best.RemoveAt(n);
                }
            }
        }

        return best.ConvertAll(b => Display(b.Slot));
    }

    private static int IndexSize(int slotCount)
    {
        var size = 16;
        while (size < slotCount * 2)
        {
            size *= 2;
        }

        return size;
    }

    private void DecayOverEmptyBuckets(ref double sum, ref double weight, long gap)
    {
        if (gap <= 0)
        {
            return;
        }

        // Each empty bucket is an observed zero: the sum only decays, the weight still grows.
        var factor = gap > 1_000_000 ? 0.0 : Math.Pow(keep, gap);
        sum *= factor;
        weight = (weight * factor) + ((1 - factor) / (1 - keep));
    }

    /// <summary>
    /// The count expected: the larger of the term's usual share of this many mentions (so a term that rises only
    /// with the topic's volume is not emerging) and its usual count for this much time (so a term returning to
    /// its usual level after a crisis filled the topic with other talk is not emerging either).
    /// </summary>
    private double Expected(in TermSlot s, double volume, int mentions, double byTime) =>
        Math.Max(Math.Max(ExpectedShare(s, volume) * mentions, byTime), 0.01);

    /// <summary>Mentions per bucket the term usually gets: its own rate blended with its prior.</summary>
    private double UsualRate(in TermSlot s) => (s.RateSum + (s.PriorRate * options.PriorBuckets)) / (s.RateWeight + options.PriorBuckets);

    /// <summary>The share of the topic's mentions the term is expected in: its own rate blended with its prior.</summary>
    private double ExpectedShare(in TermSlot s, double volume)
    {
        var prior = Math.Max(options.PriorShare, s.PriorRate / Math.Max(volume, 1));
        return ((s.RateSum / Math.Max(volume, 1e-9)) + (prior * options.PriorBuckets)) / (s.RateWeight + options.PriorBuckets);
    }

    /// <summary>The highest severity whose count and ratio steps are both reached.</summary>
    private DetectionSeverity SeverityOf(int count, double ratio, double factor) =>
        (DetectionSeverity)Math.Min(SeverityLadder.Level(count, options.SeverityCounts, factor), SeverityLadder.Level(ratio, options.SeverityRatios));

    /// <summary>Brings a slot to the current bucket: its closed counts go into the baseline, the episode may end.</summary>
    private void Roll(ref TermSlot s)
    {
        if (s.Bucket >= CurrentBucket)
        {
            return;
        }

        // A bursting bucket teaches the baseline at most a capped count, so the burst does not hide itself.
        var closed = (double)s.Count;
        if (s.Episode > 0 && s.LastBurstBucket == s.Bucket)
        {
            closed = Math.Min(closed, options.BurstLearningCap * UsualRate(s));
        }

        s.RateSum = (s.RateSum * keep) + closed;
        s.RateWeight = (s.RateWeight * keep) + 1;
        var gap = CurrentBucket - s.Bucket - 1;
        DecayOverEmptyBuckets(ref s.RateSum, ref s.RateWeight, gap);
        s.PreviousCount = gap == 0 ? s.Count : 0;
        s.Count = 0;
        s.Bucket = CurrentBucket;
        if (s.Episode > 0 && CurrentBucket - s.LastBurstBucket > options.QuietBucketsToEnd)
        {
            s.Episode = 0;
        }
    }

    private int Find(ReadOnlySpan<char> text, TokenKind kind, int hash, out int free)
    {
        var mask = index.Length - 1;
        var at = hash & mask;
        while (index[at] != 0)
        {
            var slot = index[at] - 1;
            ref var s = ref slots[slot];
            if (s.Hash == hash && s.Kind == kind && s.Length == text.Length && arena.AsSpan(slot * maxLength, s.Length).SequenceEqual(text))
            {
                free = -1;
                return slot;
            }

            at = (at + 1) & mask;
        }

        free = at;
        return -1;
    }

    private int Insert(ReadOnlySpan<char> text, TokenKind kind, int hash, bool unspaced, int free)
    {
        int slot;
        double weight;
        var priorRate = options.PriorRate;
        if (heap.Count < capacity)
        {
            if (heap.Count == slots.Length)
            {
                Grow();
                Find(text, kind, hash, out free);
            }

            slot = heap.Count;
            weight = increment;
            heap.Add(slot, weight);
        }
        else
        {
            // Space-Saving: replace the lightest term; the newcomer inherits its weight, which bounds how often it
            // could have occurred while untracked, so that bound (as a rate) is its prior.
            slot = heap.Lightest;
            var inherited = heap.WeightOf(slot);
            RemoveFromIndex(slot);
            Find(text, kind, hash, out free);
            priorRate = Math.Max(priorRate, inherited / increment * (1 - keep));
            weight = inherited + increment;
            heap.Increase(slot, weight);
        }

        text.CopyTo(arena.AsSpan(slot * maxLength, maxLength));
        slots[slot] = new TermSlot
        {
            Hash = hash,
            Kind = kind,
            Length = (byte)text.Length,
            Unspaced = unspaced,
            Fresh = priorRate <= options.PriorRate,
            Bucket = CurrentBucket,
            InsertedBucket = CurrentBucket,
            LastBurstBucket = NoBucket,
            PriorRate = priorRate,
        };
        index[free] = slot + 1;
        return slot;
    }

    private void Grow()
    {
        var size = Math.Min(capacity, slots.Length * 2);
        Array.Resize(ref slots, size);
        Array.Resize(ref arena, size * maxLength);
        heap.Grow(size);
        if (index.Length < size * 2)
        {
            index = new int[IndexSize(size)];
            var mask = index.Length - 1;
            for (var slot = 0; slot < heap.Count; slot++)
            {
                var at = slots[slot].Hash & mask;
                while (index[at] != 0)
                {
                    at = (at + 1) & mask;
                }

                index[at] = slot + 1;
            }
        }
    }

    /// <summary>Linear-probing delete: later entries of the same run shift back so every lookup still finds them.</summary>
    private void RemoveFromIndex(int slot)
    {
        var mask = index.Length - 1;
        var hole = slots[slot].Hash & mask;
        while (index[hole] != slot + 1)
        {
            hole = (hole + 1) & mask;
        }

        index[hole] = 0;
        var at = hole;
        while (true)
        {
            at = (at + 1) & mask;
            if (index[at] == 0)
            {
                return;
            }

            var home = slots[index[at] - 1].Hash & mask;

            // Move the entry into the hole unless its home lies cyclically in (hole, at].
            var stays = hole <= at ? home > hole && home <= at : home > hole || home <= at;
            if (!stays)
            {
                index[hole] = index[at];
                index[at] = 0;
                hole = at;
            }
        }
    }
}
