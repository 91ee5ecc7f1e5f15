using System.Globalization;

namespace Firebreak.Core.Detection.Terms;

/// <summary>
/// Finds terms and hashtags bursting now against their own baseline, per (workspace, topic), from each new
/// mention as it arrives (online and causal: a count is judged only against what came before it).
/// </summary>
/// <remarks>
/// <para>Each mention is counted at its creation time (capped by its capture time) into buckets of
/// <see cref="EmergingTermOptions.BucketLength"/>, once in topic 0 (the whole workspace) and once in each topic
/// it matched; each distinct term once per mention. A term fires when its count so far in the current bucket
/// is at least <see cref="EmergingTermOptions.SeverityCounts"/>[0] (twice that for an unspaced-script pair),
/// <see cref="EmergingTermOptions.SeverityRatios"/>[0] times its expected count, and a Poisson deviance z of
/// <see cref="EmergingTermOptions.FireZ"/> above it; the expected count is the larger of its usual share of the
/// topic's mentions times the bucket's mentions so far and its usual count for the part of the bucket elapsed
/// (with a prior for a term never seen). It fires mid-bucket, as soon as the evidence is there, then again only
/// if its severity rises; the episode ends after <see cref="EmergingTermOptions.QuietBucketsToEnd"/> buckets
/// without a burst, and a later burst is a new one. At most <see cref="EmergingTermOptions.MaxNewEpisodesPerBucket"/>
/// episodes start per (workspace, topic) and bucket. Nothing fires until a (workspace, topic) has watched
/// <see cref="EmergingTermOptions.WarmupBuckets"/> buckets.</para>
/// <para>Memory: per (workspace, topic) one <see cref="TermTable"/> of at most
/// <see cref="EmergingTermOptions.MaxTermsPerTopic"/> terms (184 bytes each, 368 KiB when full); call
/// <see cref="RemoveTopic"/> when a topic is deleted.</para>
/// <para>Thread safety: none. One thread feeds an instance and calls <see cref="TopTerms"/>; another thread
/// must synchronise with it.</para>
/// </remarks>
public sealed class EmergingTermDetector
{
    private static readonly long[] NoTopics = [];
    private readonly TimeProvider clock;
    private readonly MentionTerms terms;
    private readonly Dictionary<long, Workspace> workspaces = [];
    private readonly long bucketTicks;
    private readonly long maxLatenessTicks;

    public EmergingTermDetector(TimeProvider clock, EmergingTermOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(clock);
        this.clock = clock;
        Options = options ?? new EmergingTermOptions();
        Options.Validate();
        terms = new MentionTerms(Options);
        bucketTicks = Options.BucketTicks;
        maxLatenessTicks = Options.MaxLateness.Ticks;
    }

    public EmergingTermOptions Options { get; }

    /// <summary>
    /// Feeds one new mention (each mention once, in arrival order) and appends what it reveals to
    /// <paramref name="detections"/>; returns how many were appended. A mention more than
    /// <see cref="EmergingTermOptions.MaxLateness"/> older than the newest one seen in its workspace is ignored.
    /// A warm detector allocates nothing here unless something fires or a new (workspace, topic) appears.
    /// </summary>
    public int Observe(in TermObservation observation, List<Detection> detections)
    {
        ArgumentNullException.ThrowIfNull(detections);
        var workspace = WorkspaceOf(observation.WorkspaceId);
        var at = Math.Min(observation.CreatedAt.UtcTicks, observation.CapturedAt.UtcTicks);
        if (workspace.NewestTicks - at > maxLatenessTicks)
        {
            return 0;
        }

        workspace.NewestTicks = Math.Max(workspace.NewestTicks, at);
        var bucket = at / bucketTicks;
        terms.Extract(observation.Text ?? string.Empty);
        var added = 0;
        var topics = observation.TopicIds ?? NoTopics;
        for (var i = -1; i < topics.Length; i++)
        {
            var topic = i < 0 ? 0 : topics[i];
            if (i >= 0 && topic == 0)
            {
                continue;
            }

            var table = workspace.TableOf(topic, Options);
            table.Advance(bucket);
            table.CountMention();
            var elapsed = Elapsed(workspace, table);
            for (var t = 0; t < terms.Count; t++)
            {
                var slot = table.CountTerm(terms.Text(t), terms.Kind(t), terms.Hash(t), terms.IsUnspaced(t), observation.MentionId);
                var burst = table.Assess(slot, elapsed);
                if (burst.Severity > 0)
                {
                    detections.Add(Describe(observation, topic, table, burst, workspace));
                    added++;
                }
            }
        }

        return added;
    }

    /// <summary>
    /// The terms most over-represented in the (workspace, topic)'s current and previous bucket, best first, as
    /// display strings ("refund", "#boycott"); empty when the topic has heard nothing in the last two buckets.
    /// For the volume detectors' explanations ("top terms: refund, #boycott"). Allocates the result.
    /// </summary>
    public IReadOnlyList<string> TopTerms(long workspaceId, long topicId, int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        return workspaces.TryGetValue(workspaceId, out var workspace) && workspace.Tables.TryGetValue(topicId, out var table)
            ? table.TopTerms(n, workspace.NewestBucket(bucketTicks), Elapsed(workspace, table))
            : [];
    }

    /// <summary>Terms the (workspace, topic) tracks now; never more than <see cref="EmergingTermOptions.MaxTermsPerTopic"/>.</summary>
    public int TrackedTermCount(long workspaceId, long topicId) =>
        workspaces.TryGetValue(workspaceId, out var workspace) && workspace.Tables.TryGetValue(topicId, out var table) ? table.Count : 0;

    /// <summary>Forgets a topic's counts (call when the topic is deleted); true when there were any.</summary>
    public bool RemoveTopic(long workspaceId, long topicId) =>
        workspaces.TryGetValue(workspaceId, out var workspace) && workspace.Tables.Remove(topicId);

    /// <summary>How much (0..1) of the table's current bucket has passed by the workspace's newest data time.</summary>
    private double Elapsed(Workspace workspace, TermTable table) =>
        Math.Clamp((workspace.NewestTicks - (table.CurrentBucket * bucketTicks)) / (double)bucketTicks, 0.05, 1.0);

    private Workspace WorkspaceOf(long workspaceId)
    {
        if (!workspaces.TryGetValue(workspaceId, out var workspace))
        {
            workspace = new Workspace();
            workspaces.Add(workspaceId, workspace);
        }

        return workspace;
    }

    private Detection Describe(in TermObservation observation, long topic, TermTable table, TermBurst burst, Workspace workspace)
    {
        var workspaceBucket = workspace.NewestBucket(bucketTicks);
        var term = table.Display(burst.Slot);
        var bucketStart = new DateTimeOffset(table.CurrentBucket * bucketTicks, TimeSpan.Zero);
        var usual = burst.UsualPerBucket < 10 ? burst.UsualPerBucket.ToString("0.#", CultureInfo.InvariantCulture) : burst.UsualPerBucket.ToString("N0", CultureInfo.InvariantCulture);
        var explanation = string.Create(
            CultureInfo.InvariantCulture,
            $"{term}: {burst.Count:N0} mentions since {bucketStart:HH:mm} UTC, usually {usual} per {Minutes(Options.BucketLength)}{(burst.NewToday ? "; new in the last 24 h" : string.Empty)}");
        var sample = table.SampleMentionId(burst.Slot);
        long[] samples = sample != 0 && sample != observation.MentionId ? [sample, observation.MentionId] : [observation.MentionId];
        return new Detection(
            observation.WorkspaceId,
            topic,
            DetectionSignal.EmergingTerm,
            term,
            bucketStart,
            clock.GetUtcNow(),
            burst.Severity,
            1 - Math.Pow(2, -burst.Z / Options.FireZ),
            burst.Count,
            burst.Expected,
            explanation,
            table.TopTerms(5, workspaceBucket, Elapsed(workspace, table)),
            samples);
    }

    private static string Minutes(TimeSpan length) => length.TotalMinutes >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{length.TotalMinutes:0.#} min")
        : string.Create(CultureInfo.InvariantCulture, $"{length.TotalSeconds:0} s");

    /// <summary>One workspace: its newest data time and a table per topic.</summary>
    private sealed class Workspace
    {
        /// <summary>Newest data time seen, in UTC ticks (never negative, so 0 means none yet).</summary>
        public long NewestTicks { get; set; }

        public Dictionary<long, TermTable> Tables { get; } = [];

        public long NewestBucket(long bucketTicks) => NewestTicks / bucketTicks;

        public TermTable TableOf(long topic, EmergingTermOptions options)
        {
            if (!Tables.TryGetValue(topic, out var table))
            {
                table = new TermTable(options);
                Tables.Add(topic, table);
            }

            return table;
        }
    }
}
