namespace Firebreak.Core.Detection.Items;

/// <summary>
/// Knobs of <see cref="ViralItemDetector"/>. The defaults are the ones docs/early-warning-items-terms.md
/// explains; every one can be changed without touching the detector.
/// </summary>
public sealed record ViralItemOptions
{
    /// <summary>Items remembered per workspace; the least recently updated one is forgotten first.</summary>
    public int MaxItemsPerWorkspace { get; init; } = 50_000;

    /// <summary>
    /// Replies and shares an item needs before it is remembered (an item that fires is remembered anyway). Most items never reach it, so the table holds
    /// the ones that could still become something instead of churning through every capture.
    /// </summary>
    public long TrackFromInteractions { get; init; } = 10;

    /// <summary>
    /// Ages below this count as this age when turning counters into a pace: the first hour of a post is
    /// compared with what accounts of that size get in their first hour, never extrapolated from seconds.
    /// </summary>
    public TimeSpan MinAge { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Two captures closer than this are not used for a pace between captures: a lucky few seconds is not a pace.
    /// One minute: a post captured as it is posted and again a minute later shows its real pace (its first capture
    /// alone is only a lower bound of its first hour), and the window still needs
    /// <see cref="SeverityInteractions"/> to fire.
    /// </summary>
    public TimeSpan MinCaptureInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Prior: the <c>a</c> in a·followers^b, replies and shares in a post's first hour.</summary>
    public double PriorInteractionsPerFollower { get; init; } = 0.006;

    /// <summary>
    /// Prior: the <c>b</c> in a·followers^b. Below 1 because engagement grows slower than reach: with the
    /// defaults 1,000 followers expect 1.5 replies and shares in the first hour, 1,000,000 about 380.
    /// </summary>
    public double PriorExponent { get; init; } = 0.8;

    /// <summary>Prior spread of log10(1 + pace) around the expectation, in decades.</summary>
    public double PriorSpread { get; init; } = 0.5;

    /// <summary>How many observations the prior is worth at each reach knot (1, 10, 100... followers); it never decays,
    /// and the workspace's own stream outweighs it quickly.</summary>
    public double PriorWeight { get; init; } = 20;

    /// <summary>Effective memory of each reach knot, in observations (exponential forgetting).</summary>
    public double MemoryObservations { get; init; } = 2_000;

    /// <summary>The spread is never taken below this (decades), so a tight fit cannot turn 2× into an alarm.</summary>
    public double MinSpread { get; init; } = 0.2;

    /// <summary>
    /// Times the expected pace for Low, Medium, High, Critical. The first step is the least an item must reach to
    /// fire at all: "viral" means an order of magnitude, not a good day.
    /// </summary>
    public IReadOnlyList<double> SeverityRatios { get; init; } = [10, 30, 100, 300];

    /// <summary>
    /// Robust z (log distance above the expectation over the spread) for Low, Medium, High, Critical. The first
    /// step is also needed to fire at all, so in a workspace whose posts vary wildly 10× is not enough.
    /// </summary>
    public IReadOnlyList<double> SeverityZ { get; init; } = [3, 4, 5, 6];

    /// <summary>
    /// Replies and shares in the measured window for Low, Medium, High, Critical: volume caps severity, and below
    /// the first step nothing fires however surprising (12 followers and 40 replies is not a crisis).
    /// </summary>
    public IReadOnlyList<long> SeverityInteractions { get; init; } = [100, 300, 1_000, 5_000];

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxItemsPerWorkspace, 1, nameof(MaxItemsPerWorkspace));
        ArgumentOutOfRangeException.ThrowIfNegative(TrackFromInteractions, nameof(TrackFromInteractions));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(MinAge, TimeSpan.Zero, nameof(MinAge));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(MinCaptureInterval, TimeSpan.Zero, nameof(MinCaptureInterval));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PriorInteractionsPerFollower, 0.0, nameof(PriorInteractionsPerFollower));
        ArgumentOutOfRangeException.ThrowIfNegative(PriorExponent, nameof(PriorExponent));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PriorSpread, 0.0, nameof(PriorSpread));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PriorWeight, 0.0, nameof(PriorWeight));
        ArgumentOutOfRangeException.ThrowIfLessThan(MemoryObservations, 1.0, nameof(MemoryObservations));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(MinSpread, 0.0, nameof(MinSpread));
        SeverityLadder.Validate(SeverityRatios, 1.0, nameof(SeverityRatios));
        SeverityLadder.Validate(SeverityZ, 0.0, nameof(SeverityZ));
        SeverityLadder.Validate(SeverityInteractions, 0L, nameof(SeverityInteractions));
    }
}
