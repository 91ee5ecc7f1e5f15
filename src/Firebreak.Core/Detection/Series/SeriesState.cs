using System.Runtime.CompilerServices;

namespace Firebreak.Core.Detection.Series;

/// <summary>
/// Everything a <see cref="SeriesDetector"/> remembers about one series: a fixed-size value type with no
/// reference inside, so a million series are a million of these in an array and an update allocates nothing.
/// <see cref="SizeInBytes"/> is its size: 1,944 bytes (96 fifteen-minute bins of level and of scale, 168
/// hour-of-week bins, as floats; a byte of sample count per bin; and a few running figures).
/// </summary>
public struct SeriesState
{
    /// <summary>Bins of the daily profile of the level (15 minutes each; neighbours are interpolated).</summary>
    public const int DayBinCount = 96;

    /// <summary>Bins of the daily profile of the scale (15 minutes each: a daily job at 03:10 makes only that time wild).</summary>
    public const int ScaleBinCount = 96;

    /// <summary>Bins of the weekly profile (one per hour of the week, Monday 00:00 UTC first).</summary>
    public const int WeekBinCount = 168;

    internal long LastTime;
    internal long Updates;
    internal double Interval;
    internal double Level;
    internal double Scale;
    internal double Dispersion;
    internal double Resolution;
    internal double LastValue;
    internal double CusumUp;
    internal double CusumDown;
    internal double ShiftSumUp;
    internal double ShiftSumDown;
    internal int ShiftCountUp;
    internal int ShiftCountDown;
    internal int SinceNotable;
    internal SurpriseCalibration PointTail;
    internal DayBins DayOffset;
    internal ScaleBins DayScale;
    internal WeekBins WeekOffset;
    internal DayCounts DayCount;
    internal ScaleCounts ScaleCount;
    internal WeekCounts WeekCount;

    /// <summary>Bytes per series, measured by the runtime.</summary>
    public static int SizeInBytes => Unsafe.SizeOf<SeriesState>();

    /// <summary>How many values this series has seen.</summary>
    public readonly long UpdateCount => Updates;

    [InlineArray(DayBinCount)]
    internal struct DayBins
    {
        private float element;
    }

    [InlineArray(ScaleBinCount)]
    internal struct ScaleBins
    {
        private float element;
    }

    [InlineArray(ScaleBinCount)]
    internal struct ScaleCounts
    {
        private byte element;
    }

    [InlineArray(WeekBinCount)]
    internal struct WeekBins
    {
        private float element;
    }

    [InlineArray(DayBinCount)]
    internal struct DayCounts
    {
        private byte element;
    }

    [InlineArray(WeekBinCount)]
    internal struct WeekCounts
    {
        private byte element;
    }
}
