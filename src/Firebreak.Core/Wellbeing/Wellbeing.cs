namespace Firebreak.Core.Wellbeing;

using Firebreak.Core.Mentions;

/// <summary>One person's exposure on one UTC day in one workspace.</summary>
/// <param name="HostileSeen">Offensive or hateful mentions they chose to reveal.</param>
/// <param name="ActiveSeconds">Time with a mention stream in front of them (the page visible).</param>
public sealed record ExposureDay(long AccountId, long WorkspaceId, DateOnly Day, int HostileSeen, int ActiveSeconds)
{
    public int ActiveMinutes => ActiveSeconds / 60;
}

/// <summary>How much is enough for one day, per workspace (a team reading abuse all day sets it lower).</summary>
/// <param name="HostileItems">Hostile mentions revealed before the nudge to take a break (default 25).</param>
/// <param name="Minutes">Minutes in the inbox before the nudge (default 120).</param>
public sealed record ExposureBudget(int HostileItems = 25, int Minutes = 120)
{
    public bool IsExceeded(ExposureDay day) => day.HostileSeen >= HostileItems || day.ActiveMinutes >= Minutes;
}

/// <summary>What managers see: the team in aggregate, never who saw what.</summary>
/// <param name="People">People with any exposure that day.</param>
/// <param name="OverBudget">Of them, how many passed the budget.</param>
/// <param name="HostileSeen">Hostile mentions revealed, all people together.</param>
/// <param name="MedianHostileSeen">The middle person's count (a few heavy readers show up as a gap to the total).</param>
/// <param name="ActiveMinutes">Minutes in the inbox, all people together.</param>
public sealed record TeamExposure(DateOnly Day, int People, int OverBudget, int HostileSeen, int MedianHostileSeen, int ActiveMinutes);

/// <summary>An author whose mentions this workspace's readers no longer see in streams and lists.</summary>
public sealed record MutedAuthor(long WorkspaceId, Platform Platform, string Handle, string? MutedBy, DateTimeOffset MutedAt);

/// <summary>Exposure counters, budgets and muted authors; one implementation for both store providers.</summary>
public interface IWellbeingStore
{
    /// <summary>Adds to a person's counters for the day (creates the day on first use).</summary>
    Task AddExposureAsync(long accountId, long workspaceId, DateOnly day, int hostileSeen, int activeSeconds, CancellationToken cancellationToken);

    Task<ExposureDay> GetDayAsync(long accountId, long workspaceId, DateOnly day, CancellationToken cancellationToken);

    /// <summary>The person's last <paramref name="days"/> days, newest first (days without exposure are left out).</summary>
    Task<IReadOnlyList<ExposureDay>> HistoryAsync(long accountId, long workspaceId, int days, DateOnly today, CancellationToken cancellationToken);

    Task<IReadOnlyList<ExposureDay>> TeamDayAsync(long workspaceId, DateOnly day, CancellationToken cancellationToken);

    Task<ExposureBudget> GetBudgetAsync(long workspaceId, CancellationToken cancellationToken);

    Task SetBudgetAsync(long workspaceId, ExposureBudget budget, CancellationToken cancellationToken);

    Task<IReadOnlyList<MutedAuthor>> ListMutedAsync(long workspaceId, CancellationToken cancellationToken);

    /// <summary>True when newly muted; muting twice changes nothing.</summary>
    Task<bool> MuteAsync(MutedAuthor author, CancellationToken cancellationToken);

    Task<bool> UnmuteAsync(long workspaceId, Platform platform, string handle, CancellationToken cancellationToken);
}

/// <summary>Turns a day of team counters into the aggregate managers see.</summary>
public static class TeamExposureSummary
{
    public static TeamExposure Summarise(DateOnly day, IReadOnlyList<ExposureDay> people, ExposureBudget budget)
    {
        if (people.Count == 0)
        {
            return new TeamExposure(day, 0, 0, 0, 0, 0);
        }

        var seen = people.Select(p => p.HostileSeen).Order().ToArray();
        return new TeamExposure(
            day,
            people.Count,
            people.Count(budget.IsExceeded),
            seen.Sum(),
            seen[(seen.Length - 1) / 2],
            people.Sum(p => p.ActiveMinutes));
    }
}
