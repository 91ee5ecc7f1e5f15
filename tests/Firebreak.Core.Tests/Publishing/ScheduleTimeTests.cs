namespace Firebreak.Core.Tests.Publishing;

using Firebreak.Core.Publishing.Posts;

/// <summary>Wall times around daylight-saving edges: the gap is refused naming it, the overlap is resolved as chosen.</summary>
public sealed class ScheduleTimeTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 15, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("Europe/London", "2026-03-29T01:30", "01:00", "02:00")]
    [InlineData("Europe/London", "2026-03-29T01:00", "01:00", "02:00")]
    [InlineData("America/New_York", "2026-03-08T02:30", "02:00", "03:00")]
    public void ATimeInTheSpringGapDoesNotExist(string zone, string local, string from, string to)
    {
        var result = ScheduleTime.Resolve(DateTime.Parse(local, System.Globalization.CultureInfo.InvariantCulture), zone, AmbiguousTime.Unspecified, Now);
        Assert.Null(result.Schedule);
        Assert.Equal("scheduledAt", result.Error!.Field);
        Assert.Contains("does not exist", result.Error.Message, StringComparison.Ordinal);
        Assert.Contains($"from {from} to {to}", result.Error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Europe/London", "2026-03-29T00:59", "2026-03-29T00:59:00Z")]
    [InlineData("Europe/London", "2026-03-29T02:00", "2026-03-29T01:00:00Z")]
    [InlineData("America/New_York", "2026-03-08T03:00", "2026-03-08T07:00:00Z")]
    [InlineData("America/New_York", "2026-07-04T09:00", "2026-07-04T13:00:00Z")]
    [InlineData("Europe/London", "2026-07-01T09:00", "2026-07-01T08:00:00Z")]
    public void TimesBesideTheGapAreFine(string zone, string local, string utc)
    {
        var result = ScheduleTime.Resolve(DateTime.Parse(local, System.Globalization.CultureInfo.InvariantCulture), zone, AmbiguousTime.Unspecified, Now);
        Assert.Null(result.Error);
        Assert.Null(result.Warning);
        Assert.Equal(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture), result.Schedule!.At);
    }

    [Theory]
    [InlineData("Europe/London", "2026-10-25T01:30", AmbiguousTime.Unspecified, "2026-10-25T00:30:00Z", true)]
    [InlineData("Europe/London", "2026-10-25T01:30", AmbiguousTime.Earlier, "2026-10-25T00:30:00Z", false)]
    [InlineData("Europe/London", "2026-10-25T01:30", AmbiguousTime.Later, "2026-10-25T01:30:00Z", false)]
    [InlineData("America/New_York", "2026-11-01T01:30", AmbiguousTime.Unspecified, "2026-11-01T05:30:00Z", true)]
    [InlineData("America/New_York", "2026-11-01T01:30", AmbiguousTime.Later, "2026-11-01T06:30:00Z", false)]
    public void ATimeInTheFallOverlapIsTheOneChosen(string zone, string local, AmbiguousTime choice, string utc, bool warned)
    {
        var wall = DateTime.Parse(local, System.Globalization.CultureInfo.InvariantCulture);
        var result = ScheduleTime.Resolve(wall, zone, choice, Now);
        Assert.Equal(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture), result.Schedule!.At);
        Assert.Equal(wall, result.Schedule.LocalTime);
        Assert.Equal(zone, result.Schedule.TimeZone);
        Assert.Equal(warned, result.Warning is not null);
        if (warned)
        {
            Assert.Contains("happens twice", result.Warning!, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("2026-01-15T11:59", "Europe/London", "in the past")]
    [InlineData("2027-02-20T09:00", "Europe/London", "more than 400 days ahead")]
    [InlineData("2026-02-01T09:00", "Mars/Olympus_Mons", "not a time zone")]
    [InlineData("2026-02-01T09:00", "", "not a time zone")]
    public void ImpossibleSchedulesAreRefusedClearly(string local, string zone, string message)
    {
        var result = ScheduleTime.Resolve(DateTime.Parse(local, System.Globalization.CultureInfo.InvariantCulture), zone, AmbiguousTime.Unspecified, Now);
        Assert.Null(result.Schedule);
        Assert.Contains(message, result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DaysAroundDaylightSavingAreShortAndLong()
    {
        var london = ScheduleTime.Zone("Europe/London")!;
        var spring = ScheduleTime.DayStart(new DateOnly(2026, 3, 29), london);
        var next = ScheduleTime.DayStart(new DateOnly(2026, 3, 30), london);
        Assert.Equal(TimeSpan.FromHours(23), next - spring);
        var fall = ScheduleTime.DayStart(new DateOnly(2026, 10, 25), london);
        Assert.Equal(TimeSpan.FromHours(25), ScheduleTime.DayStart(new DateOnly(2026, 10, 26), london) - fall);
        Assert.Equal(new DateTimeOffset(2026, 10, 24, 23, 0, 0, TimeSpan.Zero), fall);
    }

    [Fact]
    public void AStoredTimeThatHasPassedBlocksReview()
    {
        var schedule = new PostSchedule(Now.AddMinutes(-1), "Europe/London", new DateTime(2026, 1, 15, 11, 59, 0));
        Assert.Contains("has passed", ScheduleTime.CheckStillAhead(schedule, Now)!.Message, StringComparison.Ordinal);
        Assert.Null(ScheduleTime.CheckStillAhead(schedule, Now.AddMinutes(-2)));
    }
}
