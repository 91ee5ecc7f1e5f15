namespace Firebreak.Core.Detection.Live;

using Firebreak.Core.Detection.Items;
using Firebreak.Core.Detection.Monitoring;
using Firebreak.Core.Detection.Terms;
using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;

/// <summary>How the live detectors close minutes and which findings they keep.</summary>
public sealed class LiveDetectionOptions
{
    /// <summary>A minute is closed this long after it ends (late mentions still count). Default 10 s.</summary>
    public TimeSpan Lateness { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Findings about data older than this (a history import, a backlog after an outage) teach the detectors
    /// but raise no alert: an alert is about now. Default 15 minutes.
    /// </summary>
    public TimeSpan MaxAlertAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Minutes close by data time (the newest mention's time minus <see cref="Lateness"/>), so an import of
    /// history is judged minute by minute in order. When a workspace has received nothing for this long, the
    /// clock closes its minutes instead (a quiet stream still has zero minutes). Default 30 s.
    /// </summary>
    public TimeSpan QuietAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Zero minutes fed at most per topic when a stream was silent; a longer gap restarts the series there.</summary>
    public int MaxGapMinutes { get; set; } = 7 * 24 * 60;

    /// <summary>Findings kept for <see cref="LiveDetector.Drain"/> at most; beyond, the oldest go (nobody is draining). Default 10,000.</summary>
    public int MaxPending { get; set; } = 10_000;

    /// <summary>Terms named in a series finding's explanation. Default 3.</summary>
    public int TopTerms { get; set; } = 3;

    /// <summary>
    /// Judge the count signals of the minute that is next to close while it is still filling, each time minutes are
    /// closed and it has heard more (see <see cref="TopicSeriesMonitor.Peek"/>): a burst is raised seconds into its
    /// minute instead of 10 s after the minute ends, with no false alarm the closed minute would not raise too. Default on.
    /// </summary>
    public bool EarlyCheck { get; set; } = true;
}

/// <summary>
/// Runs every detector on the stored stream: each mention goes to the viral-item and emerging-term detectors as
/// it is stored, and into a per-topic tally of its minute; when a minute closes (data time or the clock has moved
/// <see cref="LiveDetectionOptions.Lateness"/> past its end) each topic's tally, or a zero for a silent topic,
/// goes to the series monitor. Findings wait in <see cref="Drain"/> for the alerting side.
/// Causal by construction: a minute is judged only once, when it closes, from what came before.
/// Thread-safe: the ingest stage observes while a timer closes minutes.
/// </summary>
public sealed class LiveDetector
{
    private readonly Lock gate = new();
    private readonly LiveDetectionOptions options;
    private readonly TimeProvider clock;
    private readonly ViralItemDetector viral;
    private readonly EmergingTermDetector terms;
    private readonly TopicSeriesMonitor series;
    private readonly Dictionary<(long Workspace, long Topic, long Minute), MinuteTally> open = [];
    private readonly Dictionary<(long Workspace, long Topic), long> nextMinute = [];
    private readonly Dictionary<long, DateTimeOffset> watermarks = [];
    private readonly Dictionary<long, DateTimeOffset> lastHeard = [];
    private readonly List<Detection> pending = [];
    private readonly List<Detection> scratch = [];

    public LiveDetector(TimeProvider clock, TopicSeriesMonitor series, ViralItemDetector viral, EmergingTermDetector terms, LiveDetectionOptions? options = null)
    {
        this.clock = clock;
        this.series = series;
        this.viral = viral;
        this.terms = terms;
        this.options = options ?? new LiveDetectionOptions();
    }

    /// <summary>Minutes closed so far (all topics); for diagnostics and tests.</summary>
    public long ClosedMinutes { get; private set; }

    /// <summary>Feeds one stored mention (inserted or updated; unchanged ones carry nothing new).</summary>
    public void Observe(Mention mention, long[] topicIds, IngestOutcome outcome)
    {
        if (outcome is not (IngestOutcome.Inserted or IngestOutcome.Updated))
        {
            return;
        }

        lock (gate)
        {
            scratch.Clear();
            viral.Observe(ItemObservation.Of(mention, topicIds), scratch);
            if (outcome == IngestOutcome.Inserted)
            {
                terms.Observe(TermObservation.Of(mention, topicIds), scratch);
                // A platform clock ahead of ours must not close minutes early.
                var at = mention.CreatedAt <= mention.CapturedAt ? mention.CreatedAt : mention.CapturedAt;
                var minute = at.ToUnixTimeSeconds() / 60;
                Tally(mention, 0, minute);
                foreach (var topic in topicIds)
                {
                    Tally(mention, topic, minute);
                }

                if (!watermarks.TryGetValue(mention.WorkspaceId, out var seen) || at > seen)
                {
                    watermarks[mention.WorkspaceId] = at;
                }

                lastHeard[mention.WorkspaceId] = clock.GetUtcNow();
            }

            OncePerWorkspace(scratch);
            KeepRecent(scratch);
        }
    }

    /// <summary>
    /// The item and term detectors report a finding for the whole stream (topic 0) and again for each topic the
    /// mention matched. One viral post is one alert, not one per topic (the demo's raised four): a topic's copy is
    /// dropped when the whole stream reports the same item or term at the same time.
    /// </summary>
    private static void OncePerWorkspace(List<Detection> found)
    {
        if (found.Count < 2)
        {
            return;
        }

        found.RemoveAll(d => d.TopicId != 0 && found.Exists(w => w.TopicId == 0 && w.Signal == d.Signal && w.Dimension == d.Dimension));
    }

    /// <summary>Closes every minute that is due and judges it; returns how many topic-minutes were closed.</summary>
    public int CloseDueMinutes()
    {
        lock (gate)
        {
            var now = clock.GetUtcNow();
            var closed = 0;
            foreach (var ((workspace, topic), next) in nextMinute.ToArray())
            {
                var horizon = watermarks[workspace];
                if (now - lastHeard[workspace] >= options.QuietAfter && now > horizon)
                {
                    horizon = now;
                }

                var due = (horizon - options.Lateness).ToUnixTimeSeconds() / 60; // minutes before this one are due
                var from = due - next > options.MaxGapMinutes ? due - options.MaxGapMinutes : next;
                for (var minute = from; minute < due; minute++)
                {
                    open.Remove((workspace, topic, minute), out var tally);
                    scratch.Clear();
                    scratch.AddRange(series.Observe(tally?.ToMinute() ?? MinuteTally.Silent(workspace, topic, minute)));
                    Enrich(scratch, tally);
                    KeepRecent(scratch);
                    closed++;
                }

                if (due > next)
                {
                    nextMinute[(workspace, topic)] = due;
                }
            }

            ClosedMinutes += closed;
            if (options.EarlyCheck)
            {
                CheckOpenMinutes();
            }

            return closed;
        }
    }

    /// <summary>
    /// Each topic's next minute to close, if it heard something since it was last checked, is judged on what it has
    /// so far. A finding is kept only when it is new for that minute or more severe than the one kept before, so a
    /// burst raises one early finding per severity step; the minute, once closed, is judged again as usual and the
    /// alerting side adds that to the same episode.
    /// </summary>
    private void CheckOpenMinutes()
    {
        foreach (var ((workspace, topic), next) in nextMinute)
        {
            if (!open.TryGetValue((workspace, topic, next), out var tally) || tally.Count == tally.CheckedCount)
            {
                continue;
            }

            tally.CheckedCount = tally.Count;
            scratch.Clear();
            foreach (var detection in series.Peek(tally.ToMinute()))
            {
                if (tally.IsNewEarlyFinding(detection))
                {
                    scratch.Add(detection);
                }
            }

            Enrich(scratch, tally);
            KeepRecent(scratch);
        }
    }

    /// <summary>Takes the findings waiting since the last call.</summary>
    public IReadOnlyList<Detection> Drain()
    {
        lock (gate)
        {
            if (pending.Count == 0)
            {
                return [];
            }

            var taken = pending.ToArray();
            pending.Clear();
            return taken;
        }
    }

    private void Tally(Mention mention, long topic, long minute)
    {
        var key = (mention.WorkspaceId, topic);
        if (!nextMinute.TryGetValue(key, out var next))
        {
            nextMinute[key] = next = minute; // a topic's series starts with its first mention
        }

        if (minute < next)
        {
            return; // its minute was judged already: too late to count (it is stored all the same)
        }

        if (!open.TryGetValue((mention.WorkspaceId, topic, minute), out var tally))
        {
            open[(mention.WorkspaceId, topic, minute)] = tally = new MinuteTally(mention.WorkspaceId, topic, minute);
        }

        tally.Add(mention);
    }

    /// <summary>A series finding names the terms bursting in its topic and shows the minute's telling mentions.</summary>
    private void Enrich(List<Detection> found, MinuteTally? tally)
    {
        for (var i = 0; i < found.Count; i++)
        {
            var detection = found[i];
            var top = terms.TopTerms(detection.WorkspaceId, detection.TopicId, options.TopTerms);
            var explanation = top.Count > 0 && !detection.Explanation.Contains("top terms", StringComparison.Ordinal)
                ? $"{detection.Explanation}; top terms: {string.Join(", ", top)}"
                : detection.Explanation;
            found[i] = detection with
            {
                TopTerms = detection.TopTerms.Count > 0 ? detection.TopTerms : top,
                SampleMentionIds = detection.SampleMentionIds.Count > 0 ? detection.SampleMentionIds : tally?.SampleIds ?? [],
                Explanation = explanation,
            };
        }
    }

    private void KeepRecent(List<Detection> found)
    {
        var oldest = clock.GetUtcNow() - options.MaxAlertAge;
        foreach (var detection in found)
        {
            if (detection.BucketStart >= oldest)
            {
                pending.Add(detection);
            }
        }

        if (pending.Count > options.MaxPending)
        {
            pending.RemoveRange(0, pending.Count - options.MaxPending);
        }
    }
}
