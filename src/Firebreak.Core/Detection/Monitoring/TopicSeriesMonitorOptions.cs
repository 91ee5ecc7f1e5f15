using Firebreak.Core.Detection.Series;

namespace Firebreak.Core.Detection.Monitoring;

/// <summary>Settings of <see cref="TopicSeriesMonitor"/>: bounds on memory and the minimum support of a detection.</summary>
public sealed record TopicSeriesMonitorOptions
{
    public static TopicSeriesMonitorOptions Default { get; } = new();

    /// <summary>Series tracked per workspace at most; past it the least recently updated topic is forgotten whole.</summary>
    public int MaxSeriesPerWorkspace { get; init; } = 10_000;

    /// <summary>Platforms, and separately languages, tracked per topic at most.</summary>
    public int MaxSlicesPerDimension { get; init; } = 12;

    /// <summary>A tracked slice silent this long may give its place to a new one.</summary>
    public int SliceIdleMinutes { get; init; } = 1_440;

    /// <summary>Minutes missing between two fed minutes are filled with zeros, up to this many.</summary>
    public int MaxGapFillMinutes { get; init; } = 1_440;

    /// <summary>A count signal reports only from this many mentions in the minute: three mentions are not a crisis.</summary>
    public long MinimumCount { get; init; } = 5;

    /// <summary>A detection needs observed ≥ expected × this, however improbable it is.</summary>
    public double MinimumRatio { get; init; } = 1.5;

    /// <summary>The negative share is learned and judged only in minutes with this many mentions that have a sentiment.</summary>
    public long ShareMinimumSupport { get; init; } = 5;

    /// <summary>
    /// Weight, in mentions, of the prior in the smoothed share (negative + w·p₀) / (n + w), p₀ the topic's long-run
    /// share: 5 negatives of 5 mentions read as far less than 100%.
    /// </summary>
    public double SharePriorWeight { get; init; } = 20;

    /// <summary>
    /// Half-life of a topic series' level, in minutes: 4 hours. The NAB defaults (30) suit machine metrics, where a
    /// new level is soon the normal; a crisis builds over tens of minutes, and a level that follows it within the
    /// hour stops seeing it (the demo's 40-minute ramp raised only two Low findings with them).
    /// </summary>
    public const double SocialLevelHalfLife = 240;

    /// <summary>CUSUM height before the level jumps to recent values: high, so a surge stays a surge for hours.</summary>
    public const double SocialShiftThreshold = 200;

    /// <summary>The detector for counts (volume, negative volume, slices): quasi-Poisson, rises only.</summary>
    public SeriesDetectorOptions Counts { get; init; } = SeriesDetectorOptions.Default with
    {
        Kind = SeriesKind.Counts,
        Direction = TailDirection.Upper,
        WarmUpUpdates = 120,
        RestPeriod = 0,
        LevelHalfLife = SocialLevelHalfLife,
        ShiftThreshold = SocialShiftThreshold,
        CalibrateSurprise = false,
        LowSurprise = 4,
        MediumSurprise = 5,
        HighSurprise = 7,
        CriticalSurprise = 10,
    };

    /// <summary>The detector for the share and the reach: robust scale, rises only.</summary>
    public SeriesDetectorOptions Values { get; init; } = SeriesDetectorOptions.Default with
    {
        Kind = SeriesKind.Values,
        Direction = TailDirection.Upper,
        WarmUpUpdates = 120,
        RestPeriod = 0,
        LevelHalfLife = SocialLevelHalfLife,
        ShiftThreshold = SocialShiftThreshold,
        CalibrateSurprise = false,
        LowSurprise = 4,
        MediumSurprise = 5,
        HighSurprise = 7,
        CriticalSurprise = 10,
    };
}
