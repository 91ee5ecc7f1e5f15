using Firebreak.Core.Alerts;

namespace Firebreak.Core.Tests.Alerts;

public sealed class QuietHoursTests
{
    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2025, month, day, hour, minute, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(23, 0, true)]
    [InlineData(22, 0, true)]
    [InlineData(6, 59, true)]
    [InlineData(7, 0, false)]
    [InlineData(21, 59, false)]
    [InlineData(12, 0, false)]
    public void Contains_PeriodPastMidnight_Wraps(int hour, int minute, bool quiet)
    {
        var hours = new QuietHours(new TimeOnly(22, 0), new TimeOnly(7, 0), "UTC");

        Assert.Equal(quiet, hours.Contains(Utc(3, 3, hour, minute)));
    }

    [Fact]
    public void Contains_DaytimePeriod_DoesNotWrap()
    {
        var hours = new QuietHours(new TimeOnly(9, 0), new TimeOnly(17, 0), "UTC");

        Assert.True(hours.Contains(Utc(3, 3, 9)));
        Assert.False(hours.Contains(Utc(3, 3, 17)));
        Assert.False(hours.Contains(Utc(3, 3, 23)));
    }

    [Fact]
    public void Contains_UsesThePersonsTimeZone()
    {
        // 22:00–07:00 in Tokyo (UTC+9, no daylight saving): 14:00 UTC is 23:00 there, 23:00 UTC is 08:00 there.
        var tokyo = new QuietHours(new TimeOnly(22, 0), new TimeOnly(7, 0), "Asia/Tokyo");

        Assert.True(tokyo.Contains(Utc(3, 3, 14)));
        Assert.False(tokyo.Contains(Utc(3, 3, 23)));
    }

    [Fact]
    public void Contains_FollowsDaylightSaving()
    {
        // 22:00–23:00 in New York: 03:30 UTC is 22:30 in January (EST, UTC−5) but 23:30 in July (EDT, UTC−4).
        var newYork = new QuietHours(new TimeOnly(22, 0), new TimeOnly(23, 0), "America/New_York");

        Assert.True(newYork.Contains(Utc(1, 15, 3, 30)));
        Assert.False(newYork.Contains(Utc(7, 15, 3, 30)));
        Assert.True(newYork.Contains(Utc(7, 15, 2, 30)));
    }
}
