namespace Firebreak.Core.Incidents;

/// <summary>The hats people wear in the crisis room. Several people may share a role, except the lead (one voice decides).</summary>
public enum IncidentRole
{
    Lead = 1,
    Spokesperson = 2,
    Approver = 3,
    Listener = 4,
    Scribe = 5,
}

/// <summary>One member holding one role in one incident.</summary>
public sealed record IncidentRoleAssignment(IncidentRole Role, long AccountId, DateTimeOffset AssignedAt);

public static class IncidentRoles
{
    public static readonly IReadOnlyList<IncidentRole> All = Enum.GetValues<IncidentRole>();

    /// <summary>The wire name: lead, spokesperson, approver, listener, scribe.</summary>
    public static string Name(this IncidentRole role) => role.ToString().ToLowerInvariant();

    public static string Label(this IncidentRole role) => role == IncidentRole.Lead ? "Incident lead" : role.ToString();

    public static bool TryParse(string? name, out IncidentRole role)
    {
        foreach (var each in All)
        {
            if (string.Equals(each.Name(), name?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                role = each;
                return true;
            }
        }

        role = default;
        return false;
    }

    /// <summary>Only the lead is single-seated.</summary>
    public static int MaxHolders(this IncidentRole role) => role == IncidentRole.Lead ? 1 : 20;
}
