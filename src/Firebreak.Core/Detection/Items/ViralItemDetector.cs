using System.Globalization;
using Firebreak.Core.Mentions;

namespace Firebreak.Core.Detection.Items;

/// <summary>
/// Finds single posts whose replies and shares grow far faster than accounts of the same reach usually get,
/// from each capture of each item as it arrives (online and causal: a capture is judged only against what came
/// before it).
/// </summary>
/// <remarks>
/// <para>Per capture, two paces are measured: replies and shares per hour since the post was created (the age
/// counted as at least <see cref="ViralItemOptions.MinAge"/>, so a young post is compared with a first hour),
/// and per hour since an earlier capture of the same item (at least <see cref="ViralItemOptions.MinCaptureInterval"/>
/// back; this catches an old post that takes off again). Each is compared on a log scale with the pace the
/// workspace's own stream shows for that reach (<see cref="ReachModel"/>: pace ≈ a·followers^b, learned online
/// with a prior so a new workspace starts sensible). The more severe of the two decides (since creation on a tie).</para>
/// <para>An item fires when it reaches the first step of all three ladders: times the expected pace
/// (<see cref="ViralItemOptions.SeverityRatios"/>, 10×), robust z (<see cref="ViralItemOptions.SeverityZ"/>, 3) and
/// replies and shares in the window (<see cref="ViralItemOptions.SeverityInteractions"/>, 100), so a
/// 12-follower account with 40 replies stays quiet however unusual that is for it. Its severity is the higher
/// of its ratio and z steps, capped by its volume step. It fires again only when its severity rises. Detections go to topic 0
/// and to every topic the mention matched, each with Dimension <c>mention:&lt;id&gt;</c>.</para>
/// <para>Posts and replies are judged by separate models per platform (a reply with 500 shares is rarer than a
/// post with 500), direct messages not at all.</para>
/// <para>Memory per workspace seen: one <see cref="TrackedItems"/> table (at most
/// <see cref="ViralItemOptions.MaxItemsPerWorkspace"/> items of 87 bytes) and up to 24
/// <see cref="ReachModel"/>s (platform × posts/replies, 463 bytes each, made when first needed).</para>
/// <para>Thread safety: none. One thread feeds an instance; read its diagnostics from that thread too.</para>
/// </remarks>
public sealed class ViralItemDetector
{
    private static readonly long[] NoTopics = [];
    private readonly TimeProvider clock;
    private readonly Dictionary<long, Workspace> workspaces = [];
    private readonly long minAgeTicks;
    private readonly long minIntervalTicks;

    public ViralItemDetector(TimeProvider clock, ViralItemOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(clock);
        this.clock = clock;
        Options = options ?? new ViralItemOptions();
        Options.Validate();
        minAgeTicks = Options.MinAge.Ticks;
        minIntervalTicks = Options.MinCaptureInterval.Ticks;
    }

    public ViralItemOptions Options { get; }

    /// <summary>
    /// Feeds one capture (a new item or a re-capture of a known one, in capture order) and appends what it
    /// reveals to <paramref name="detections"/>; returns how many were appended. A capture older than one
    /// already seen for the same item is ignored. Does not allocate unless something fires or the workspace is new.
    /// </summary>
    public int Observe(in ItemObservation observation, List<Detection> detections)
    {
        ArgumentNullException.ThrowIfNull(detections);
        if (observation.Kind == MentionKind.DirectMessage)
        {
            // Private: nobody can share it, so it cannot go viral.
            return 0;
        }

        var workspace = WorkspaceOf(observation.WorkspaceId);
        var items = workspace.Items;
        var captured = observation.CapturedAt.UtcTicks;

        // A platform clock ahead of ours must not make a negative age.
        var created = Math.Min(observation.CreatedAt.UtcTicks, captured);
        var interactions = Math.Max(0, observation.Interactions);
        var followers = Math.Max(0, observation.AuthorFollowers);
        var slot = items.Find(observation.Platform, observation.ExternalId);
        if (slot >= 0 && captured <= items[slot].LastCaptureTicks)
        {
            return 0;
        }

        var model = workspace.ModelFor(observation.Platform, observation.Kind, Options);
        var judge = new Judge(Options, model.PredictLog(followers), model.Spread(followers));
        var sinceCreation = new Window(interactions, captured - created, PerHour(interactions, Math.Max(captured - created, minAgeTicks)), SinceCreation: true);
        var best = judge.Rate(sinceCreation);
        var bestWindow = sinceCreation;
        if (slot >= 0 && captured - items[slot].ReferenceCaptureTicks >= minIntervalTicks)
        {
            var interval = captured - items[slot].ReferenceCaptureTicks;
            var gained = Math.Max(0, interactions - items[slot].ReferenceInteractions);
            var between = new Window(gained, interval, PerHour(gained, interval), SinceCreation: false);
            var verdict = judge.Rate(between);

            // Since creation reads better ("4,100 in 40 min"), so the recent pace wins only when it is worse.
            if (verdict.Severity > best.Severity)
            {
                (best, bestWindow) = (verdict, between);
            }
        }

        // Judged first, learned after: an observation never lowers the bar it is measured against.
        model.Learn(followers, sinceCreation.PacePerHour);

        var fires = best.Severity > 0;
        if (slot < 0 && (interactions >= Options.TrackFromInteractions || fires))
        {
            slot = items.Add(observation.Platform, observation.ExternalId);
            ref var added = ref items[slot];
            added.ReferenceCaptureTicks = captured;
            added.ReferenceInteractions = interactions;
        }
        else if (slot >= 0)
        {
            items.Touch(slot);
            ref var known = ref items[slot];
            if (captured - known.ReferenceCaptureTicks >= minIntervalTicks)
            {
                known.ReferenceCaptureTicks = captured;
                known.ReferenceInteractions = interactions;
            }
        }

        if (slot < 0)
        {
            return 0;
        }

        ref var item = ref items[slot];
        item.LastCaptureTicks = captured;
        if (!fires || best.Severity <= item.Reported)
        {
            return 0;
        }

        item.Reported = best.Severity;
        return Emit(observation, bestWindow, best, Math.Pow(10, judge.ExpectedLog) - 1, detections);
    }

    /// <summary>Items the workspace's table remembers now (never more than the configured cap).</summary>
    public int TrackedItemCount(long workspaceId) => workspaces.TryGetValue(workspaceId, out var w) ? w.Items.Count : 0;

    /// <summary>Replies and shares per hour the workspace's model expects now for a post of this kind, platform and reach.</summary>
    public double ExpectedPacePerHour(long workspaceId, Platform platform, MentionKind kind, long followers) =>
        (workspaces.TryGetValue(workspaceId, out var w) ? w.ModelFor(platform, kind, Options) : new ReachModel(Options)).Predict(followers);

    private static double PerHour(long count, long ticks) => count / ((double)ticks / TimeSpan.TicksPerHour);

    private Workspace WorkspaceOf(long workspaceId)
    {
        if (!workspaces.TryGetValue(workspaceId, out var workspace))
        {
            workspace = new Workspace(new TrackedItems(Options.MaxItemsPerWorkspace));
            workspaces.Add(workspaceId, workspace);
        }

        return workspace;
    }

    private int Emit(in ItemObservation observation, Window window, Verdict verdict, double expected, List<Detection> detections)
    {
        var explanation = Explain(observation, window, verdict.Ratio);
        var detectedAt = clock.GetUtcNow();
        var dimension = "mention:" + observation.MentionId.ToString(CultureInfo.InvariantCulture);
        long[] samples = [observation.MentionId];
        // 0.5 at the firing bar, rising towards 1: the same shape as the emerging-term score.
        var score = 1.0 - Math.Pow(2, -Math.Max(0, verdict.Z) / Options.SeverityZ[0]);
        var topics = observation.TopicIds ?? NoTopics;
        var added = 0;
        for (var i = -1; i < topics.Length; i++)
        {
            var topic = i < 0 ? 0 : topics[i];
            if (i >= 0 && topic == 0)
            {
                continue;
            }

            added++;
            detections.Add(new Detection(
                observation.WorkspaceId,
                topic,
                DetectionSignal.ViralItem,
                dimension,
                observation.CapturedAt,
                detectedAt,
                verdict.Severity,
                score,
                window.PacePerHour,
                Math.Max(0, expected),
                explanation,
                [],
                samples));
        }

        return added;
    }

    private static string Explain(in ItemObservation observation, Window window, double ratio)
    {
        var who = string.Create(CultureInfo.InvariantCulture, $"post by @{(observation.AuthorHandle ?? string.Empty).TrimStart('@')} ({observation.AuthorFollowers:N0} followers)");
        var times = ratio >= 10 ? ratio.ToString("N0", CultureInfo.InvariantCulture) : ratio.ToString("0.#", CultureInfo.InvariantCulture);
        return window.SinceCreation
            ? string.Create(CultureInfo.InvariantCulture, $"{who} has {window.Interactions:N0} replies and shares in {Duration(window.Ticks)}, {times}× what accounts of that size get in an hour")
            : string.Create(CultureInfo.InvariantCulture, $"{who} gained {window.Interactions:N0} replies and shares in the last {Duration(window.Ticks)} ({observation.Interactions:N0} in all), a pace {times}× what accounts of that size get in an hour");
    }

    /// <summary>"under a minute", "40 min", "3 h 20 min", "4 days".</summary>
    internal static string Duration(long ticks)
    {
        var span = TimeSpan.FromTicks(Math.Max(0, ticks));
        if (span < TimeSpan.FromMinutes(1))
        {
            return "under a minute";
        }

        if (span < TimeSpan.FromHours(1))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes} min");
        }

        if (span < TimeSpan.FromHours(48))
        {
            return span.Minutes == 0
                ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours} h")
                : string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours} h {span.Minutes} min");
        }

        return string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalDays} days");
    }

    /// <summary>A workspace's items and its reach models, one per platform and kind group, made on first use.</summary>
    private sealed class Workspace(TrackedItems items)
    {
        private readonly ReachModel?[] models = new ReachModel?[Enum.GetValues<Platform>().Length * 2];

        public TrackedItems Items { get; } = items;

        public ReachModel ModelFor(Platform platform, MentionKind kind, ViralItemOptions options)
        {
            // Replies and comments live off a post's audience and get far less: they are judged among themselves.
            var group = kind is MentionKind.Reply or MentionKind.Comment ? 1 : 0;
            var at = ((int)platform * 2) + group;
            return models[at] ??= new ReachModel(options);
        }
    }

    /// <summary>A measured stretch of an item's life: how many replies and shares, over how long, at what pace.</summary>
    private readonly record struct Window(long Interactions, long Ticks, double PacePerHour, bool SinceCreation);

    private readonly record struct Verdict(DetectionSeverity Severity, double Z, double Ratio);

    /// <summary>Rates a window against the expectation for one author; severity 0 means "not viral".</summary>
    private readonly record struct Judge(ViralItemOptions Options, double ExpectedLog, double Spread)
    {
        public Verdict Rate(Window window)
        {
            var observedLog = ReachModel.Log(window.PacePerHour);
            var z = (observedLog - ExpectedLog) / Spread;
            var ratio = Math.Pow(10, observedLog - ExpectedLog);
            if (window.Interactions < Options.SeverityInteractions[0] || ratio < Options.SeverityRatios[0] || z < Options.SeverityZ[0])
            {
                return new Verdict(0, z, ratio);
            }

            // How extreme is the larger of two readings: surprise against the learned spread, or the plain ratio (a
            // spread still wide from the prior must not keep 200× at Low); how big the window is caps it.
            var byZ = SeverityLadder.Level(z, Options.SeverityZ);
            var byRatio = SeverityLadder.Level(ratio, Options.SeverityRatios);
            var byVolume = SeverityLadder.Level(window.Interactions, Options.SeverityInteractions);
            return new Verdict((DetectionSeverity)Math.Min(Math.Max(byZ, byRatio), byVolume), z, ratio);
        }
    }
}
