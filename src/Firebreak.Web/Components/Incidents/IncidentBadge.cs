namespace Firebreak.Web.Components.Incidents;

using Firebreak.Core.Incidents;

/// <summary>The severity badge's class: the alert badge's colours, so SEV1 looks as urgent as a critical alert.</summary>
internal static class IncidentBadge
{
    public static string Class(IncidentSeverity severity) => severity switch
    {
        IncidentSeverity.Sev1 => "sev sev-critical",
        IncidentSeverity.Sev2 => "sev sev-high",
        IncidentSeverity.Sev3 => "sev sev-medium",
        _ => "sev sev-low",
    };
}
