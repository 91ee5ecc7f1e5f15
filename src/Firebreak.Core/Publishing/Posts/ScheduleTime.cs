namespace Firebreak.Core.Publishing.Posts;

using System.Globalization;

/// <summary>Which instant an ambiguous wall time (the hour repeated when clocks go back) means.</summary>
public enum AmbiguousTime
{
    /// <summary>Not chosen: the first occurrence is used, with a warning saying so.</summary>
    Unspecified,

    /// <summary>The first occurrence (still on summer time).</summary>
    Earlier,

    /// <summary>The second occurrence (after the clocks went back).</summary>
    Later,
}

/// <summary>The instant a wall time means, or why it means none.</summary>
public sealed record ScheduleResult(PostSchedule? Schedule, PostIssue? Error, string? Warning);

/// <summary>
/// Turns the author's wall time in their IANA zone into the UTC instant the outbox uses, handling daylight-saving
/// edges explicitly: a time in the spring-forward gap does not exist and is refused naming the gap; a time in the
/// fall-back overlap happens twice and is resolved as chosen (the first, with a warning, when not chosen).
/// </summary>
public static class ScheduleTime
{
    /// <summary>How far ahead a post may be planned.</summary>
    public const int MaxDaysAhead = 400;

    /// <summary>The zone for an IANA id, or null when this server does not know it.</summary>
    public static TimeZoneInfo? Zone(string? id)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > 64)
        {
            return null;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return null;
        }
    }

    public static ScheduleResult Resolve(DateTime local, string timeZone, AmbiguousTime choice, DateTimeOffset now)
    {
        if (Zone(timeZone) is not { } zone)
        {
            return Fail("timeZone", $"'{timeZone}' is not a time zone this server knows; use an IANA name such as Europe/London or America/New_York");
        }

        var wall = DateTime.SpecifyKind(new DateTime(local.Ticks - (local.Ticks % TimeSpan.TicksPerMinute)), DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(wall))
        {
            var (from, to) = Gap(zone, wall);
            return Fail("scheduledAt", $"{Show(wall)} does not exist in {timeZone}: clocks go forward from {from:HH:mm} to {to:HH:mm} that day; pick {to:HH:mm} or later, or before {from:HH:mm}");
        }

        string? warning = null;
        TimeSpan offset;
        if (zone.IsAmbiguousTime(wall))
        {
            var offsets = zone.GetAmbiguousTimeOffsets(wall).OrderByDescending(o => o).ToArray();
            offset = choice == AmbiguousTime.Later ? offsets[^1] : offsets[0];
            if (choice == AmbiguousTime.Unspecified)
            {
                warning = $"{Show(wall)} happens twice in {timeZone} (clocks go back); the first (UTC{Format(offsets[0])}) was used; choose 'later' for UTC{Format(offsets[^1])}";
            }
        }
        else
        {
            offset = zone.GetUtcOffset(wall);
        }

        var at = new DateTimeOffset(wall, offset).ToUniversalTime();
        if (at <= now)
        {
            return Fail("scheduledAt", $"{Show(wall)} {timeZone} is in the past (now is {TimeZoneInfo.ConvertTime(now, zone):yyyy-MM-dd HH:mm} there); pick a later time");
        }

        if (at > now.AddDays(MaxDaysAhead))
        {
            return Fail("scheduledAt", $"{Show(wall)} is more than {MaxDaysAhead} days ahead; plan it nearer the time");
        }

        return new ScheduleResult(new PostSchedule(at, timeZone, wall), null, warning);
    }

    /// <summary>Checks a stored schedule is still ahead (before review and approval), so a stale time fails then, not at send time.</summary>
    public static PostIssue? CheckStillAhead(PostSchedule? schedule, DateTimeOffset now) =>
        schedule is not null && schedule.At <= now
            ? new PostIssue("scheduledAt", $"{Show(schedule.LocalTime)} {schedule.TimeZone} has passed; pick a new time")
            : null;

    /// <summary>The UTC instants where the local days from <paramref name="firstDay"/> start (DST days are 23 or 25 hours long).</summary>
    public static DateTimeOffset DayStart(DateOnly day, TimeZoneInfo zone)
    {
        var midnight = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        // Some zones skip midnight itself (e.g. America/Santiago, Asia/Beirut): the day then starts at the gap's end.
        while (zone.IsInvalidTime(midnight))
        {
            midnight = midnight.AddMinutes(15);
        }

        var offset = zone.IsAmbiguousTime(midnight) ? zone.GetAmbiguousTimeOffsets(midnight).Max() : zone.GetUtcOffset(midnight);
        return new DateTimeOffset(midnight, offset).ToUniversalTime();
    }

    private static (DateTime From, DateTime To) Gap(TimeZoneInfo zone, DateTime wall)
    {
        var from = wall;
        while (zone.IsInvalidTime(from.AddMinutes(-1)))
        {
            from = from.AddMinutes(-1);
        }

        var to = wall;
        while (zone.IsInvalidTime(to))
        {
            to = to.AddMinutes(1);
        }

        return (from, to);
    }

    private static ScheduleResult Fail(string field, string message) => new(null, new PostIssue(field, message), null);

    private static string Show(DateTime wall) => wall.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string Format(TimeSpan offset) => (offset < TimeSpan.Zero ? "-" : "+") + offset.ToString(@"hh\:mm", CultureInfo.InvariantCulture);
}
