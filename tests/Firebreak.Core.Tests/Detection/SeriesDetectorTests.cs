using Firebreak.Core.Detection;
using Firebreak.Core.Detection.Series;

namespace Firebreak.Core.Tests.Detection;

public sealed class SeriesDetectorTests
{
    private static readonly SeriesDetector Counts = new(SeriesDetectorOptions.Default with { Kind = SeriesKind.Counts, Direction = TailDirection.Upper, RestPeriod = 0 });

    private static readonly SeriesDetector Values = new(SeriesDetectorOptions.Default with { RestPeriod = 0 });

    [Fact]
    public void Spike_InSteadyCounts_IsTheOnlyAlarm()
    {
        var random = new Random(1);
        var state = default(SeriesState);
        var alarms = new List<int>();
        for (var i = 0; i < 3 * 1_440; i++)
        {
            var value = i == 2_500 ? 60 : Synthetic.Poisson(random, 5);
            if (Counts.Update(ref state, Synthetic.Minute(i), value).IsAnomaly)
            {
                alarms.Add(i);
            }
        }

        Assert.Equal([2_500], alarms);
    }

    [Fact]
    public void LevelShift_IsOneEpisode_ThenTheNewLevelIsNormal()
    {
        var random = new Random(2);
        var state = default(SeriesState);
        var alarms = new List<int>();
        for (var i = 0; i < 4_000; i++)
        {
            var value = (i < 2_000 ? 100 : 160) + (5 * Synthetic.Normal(random));
            if (Values.Update(ref state, Synthetic.Minute(i), value).IsAnomaly)
            {
                alarms.Add(i);
            }
        }

        Assert.NotEmpty(alarms);
        Assert.Equal(2_000, alarms[0]);

        // One episode: the alarms are consecutive minutes from the shift, and it is over within the hour.
        Assert.Equal(Enumerable.Range(2_000, alarms.Count), alarms);
        Assert.True(alarms.Count < 60, $"{alarms.Count} alarms");
    }

    [Fact]
    public void DailyPeak_IsNormalOnceLearned_ButTheSameVolumeAtNightIsAnAnomaly()
    {
        var counts = Synthetic.RhythmicCounts(days: 9, peak: 40, seed: 3);
        var state = default(SeriesState);
        var lastDayAlarms = 0;
        SeriesReading peak = default;
        for (var i = 0; i < counts.Length; i++)
        {
            var reading = Counts.Update(ref state, Synthetic.Minute(i), counts[i]);
            if (i >= 8 * 1_440 && reading.IsAnomaly)
            {
                lastDayAlarms++;
            }

            if (i == (8 * 1_440) + (14 * 60))
            {
                peak = reading;
            }
        }

        // The 14:00 peak (ten times the night's rate) is expected, and the rhythm is what says so.
        Assert.Equal(0, lastDayAlarms);
        Assert.InRange(peak.Expected, 30, 50);
        Assert.True(peak.SeasonalWeight > 0.5);

        // The next night, 03:00, the peak's volume: an anomaly.
        var night = Counts.Update(ref state, Synthetic.Minute((9 * 1_440) + (3 * 60)), 40);
        Assert.True(night.IsAnomaly);
        Assert.InRange(night.Expected, 2, 8);
    }

    [Fact]
    public void ColdStart_NoAlarmDuringWarmUp_HoweverWild()
    {
        var state = default(SeriesState);
        var random = new Random(4);
        for (var i = 0; i < SeriesDetectorOptions.Default.WarmUpUpdates; i++)
        {
            var value = i % 7 == 0 ? 1_000 * random.NextDouble() : 1;
            var reading = Values.Update(ref state, Synthetic.Minute(i), value);
            Assert.Equal(0, reading.Score);
            Assert.Null(reading.Severity);
        }
    }

    [Fact]
    public void ColdStart_BoundsAreWideAtFirstAndTighten()
    {
        // The same deviation (4 scales) surprises less just after warm-up than after a long history.
        double SurpriseAfter(int history)
        {
            var random = new Random(5);
            var state = default(SeriesState);
            for (var i = 0; i < history; i++)
            {
                Values.Update(ref state, Synthetic.Minute(i), 50 + Synthetic.Normal(random));
            }

            return Values.Update(ref state, Synthetic.Minute(history), 54).Surprise;
        }

        Assert.True(SurpriseAfter(70) < SurpriseAfter(3_000));
    }

    [Fact]
    public void ZeroCounts_ScoreZero_WithoutNaN_AndAFirstBurstIsAnAnomaly()
    {
        var state = default(SeriesState);
        for (var i = 0; i < 2_000; i++)
        {
            var reading = Counts.Update(ref state, Synthetic.Minute(i), 0);
            Assert.Equal(0, reading.Score);
            Assert.False(double.IsNaN(reading.Expected));
        }

        Assert.True(Counts.Update(ref state, Synthetic.Minute(2_000), 25).IsAnomaly);
    }

    [Fact]
    public void ZeroHeavyCounts_OneOrTwoMentionsAreNotAlarms()
    {
        var random = new Random(6);
        var state = default(SeriesState);
        var alarms = new List<double>();
        for (var i = 0; i < 5 * 1_440; i++)
        {
            var reading = Counts.Update(ref state, Synthetic.Minute(i), Synthetic.Poisson(random, 0.05));
            Assert.InRange(reading.Score, 0, 1);
            if (reading.IsAnomaly)
            {
                alarms.Add(reading.Observed);
            }
        }

        // At 0.05 a minute, three mentions in one minute is a one-in-50,000 event: that may alarm; one or two may not.
        Assert.All(alarms, observed => Assert.True(observed >= 3));
        Assert.True(alarms.Count <= 2, $"{alarms.Count} alarms");
    }

    [Fact]
    public void ConstantSeries_ScoresZero_UntilItMoves()
    {
        var state = default(SeriesState);
        for (var i = 0; i < 1_000; i++)
        {
            var reading = Values.Update(ref state, Synthetic.Minute(i), 42);
            Assert.Equal(0, reading.Score);
            Assert.Equal(42, reading.Expected, 9);
        }

        var moved = Values.Update(ref state, Synthetic.Minute(1_000), 43);
        Assert.True(moved.IsAnomaly);
        Assert.False(double.IsNaN(moved.Score));
    }

    [Fact]
    public void NoLookAhead_PrefixScoresAreBitIdenticalWhateverTheFuture()
    {
        var counts = Synthetic.RhythmicCounts(days: 3, peak: 20, seed: 7);
        var prefix = 2 * 1_440;
        var calmFuture = counts.ToArray();
        var wildFuture = counts.ToArray();
        var random = new Random(8);
        for (var i = prefix; i < counts.Length; i++)
        {
            wildFuture[i] = random.Next(0, 500);
        }

        var alone = Run(counts.AsSpan(0, prefix));
        var withCalm = Run(calmFuture);
        var withWild = Run(wildFuture);

        for (var i = 0; i < prefix; i++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(alone[i].Score), BitConverter.DoubleToInt64Bits(withCalm[i].Score));
            Assert.Equal(BitConverter.DoubleToInt64Bits(alone[i].Score), BitConverter.DoubleToInt64Bits(withWild[i].Score));
            Assert.Equal(BitConverter.DoubleToInt64Bits(alone[i].Expected), BitConverter.DoubleToInt64Bits(withWild[i].Expected));
        }

        // The futures differ, so had the detector read ahead the prefixes could not agree.
        Assert.NotEqual(withCalm[^1].Score, withWild[^1].Score);
    }

    [Fact]
    public void Peek_ScoresLikeUpdate_AndLearnsNothing()
    {
        var random = new Random(4);
        var state = default(SeriesState);
        var peeked = default(SeriesState);
        for (var i = 0; i < 1_440; i++)
        {
            var value = Synthetic.Poisson(random, 5);
            if (i % 7 == 0)
            {
                // A look at a bigger count first, as at an open minute: same reading, and the state is untouched.
                var before = state;
                var look = Counts.Peek(state, Synthetic.Minute(i), value + 20);
                Assert.Equal(Counts.Update(ref before, Synthetic.Minute(i), value + 20), look);
            }

            var reading = Counts.Update(ref state, Synthetic.Minute(i), value);
            Assert.Equal(reading, Counts.Update(ref peeked, Synthetic.Minute(i), value));
        }

        Assert.True(Counts.Peek(state, Synthetic.Minute(1_440), 60).IsAnomaly);
    }

    [Fact]
    public void Update_AllocatesNothing()
    {
        var state = default(SeriesState);
        var random = new Random(9);
        for (var i = 0; i < 500; i++)
        {
            Counts.Update(ref state, Synthetic.Minute(i), Synthetic.Poisson(random, 3));
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 500; i < 5_000; i++)
        {
            Counts.Update(ref state, Synthetic.Minute(i), i % 97 == 0 ? 40 : 3);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Severity_GrowsWithSurprise()
    {
        var detector = new SeriesDetector();

        Assert.Null(detector.SeverityOf(detector.Options.LowSurprise - 0.01));
        Assert.Equal(DetectionSeverity.Low, detector.SeverityOf(detector.Options.LowSurprise));
        Assert.Equal(DetectionSeverity.Medium, detector.SeverityOf(detector.Options.MediumSurprise));
        Assert.Equal(DetectionSeverity.High, detector.SeverityOf(detector.Options.HighSurprise));
        Assert.Equal(DetectionSeverity.Critical, detector.SeverityOf(detector.Options.CriticalSurprise + 100));
    }

    private static SeriesReading[] Run(ReadOnlySpan<int> values)
    {
        var state = default(SeriesState);
        var readings = new SeriesReading[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            readings[i] = Counts.Update(ref state, Synthetic.Minute(i), values[i]);
        }

        return readings;
    }
}
