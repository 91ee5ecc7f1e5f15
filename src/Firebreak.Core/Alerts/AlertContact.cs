namespace Firebreak.Core.Alerts;

/// <summary>
/// A person alerts can reach: a workspace member or outside contact. There are no user accounts yet; when they
/// arrive an account links to a contact, so everything here (on-call order, quiet hours) stays.
/// </summary>
/// <param name="Id">Store id.</param>
/// <param name="WorkspaceId">The workspace.</param>
/// <param name="Name">Display name.</param>
/// <param name="Email">Where e-mail alerts go (null: reached in the app only).</param>
/// <param name="OnCallOrder">Position in the on-call rotation (lowest is paged first), or null when not on call.</param>
/// <param name="QuietHours">When not to disturb them, in their own time zone; null for never.</param>
/// <param name="Enabled">A disabled contact is skipped everywhere (holidays, left the team).</param>
/// <param name="CreatedAt">When added.</param>
/// <param name="UpdatedAt">When last changed.</param>
public sealed record AlertContact(
    long Id,
    long WorkspaceId,
    string Name,
    string? Email,
    int? OnCallOrder,
    QuietHours? QuietHours,
    bool Enabled,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The key under which an alert remembers having told this person.</summary>
    public string Key => "contact:" + Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// A daily quiet period in a person's own time zone, e.g. 22:00–07:00 Europe/Paris. A period that passes
/// midnight wraps; start equal to end is not allowed (it would mean "never" or "always").
/// </summary>
/// <param name="Start">Local time the quiet period starts (inclusive).</param>
/// <param name="End">Local time it ends (exclusive).</param>
/// <param name="TimeZone">IANA time zone id.</param>
public sealed record QuietHours(TimeOnly Start, TimeOnly End, string TimeZone)
{
    /// <summary>Whether the instant falls in the quiet period, in the person's zone (daylight saving included).</summary>
    public bool Contains(DateTimeOffset instant)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
        var local = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);
        // IsBetween is [start, end) and wraps past midnight when end < start.
        return local.IsBetween(Start, End);
    }
}
