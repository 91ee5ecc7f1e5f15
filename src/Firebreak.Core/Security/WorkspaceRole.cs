namespace Firebreak.Core.Security;

/// <summary>
/// What a person may do in one workspace. Ordered: each role can do everything the ones below it can, so a
/// requirement is "at least Responder", never a list.
/// </summary>
public enum WorkspaceRole
{
    /// <summary>Reads dashboards, mentions and alerts.</summary>
    Viewer = 1,

    /// <summary>Also handles alerts and the inbox: acknowledges, snoozes, resolves, corrects labels.</summary>
    Responder = 2,

    /// <summary>Also edits topics, alert rules, contacts and risk cues; sees the team's wellbeing figures.</summary>
    Manager = 3,

    /// <summary>Also manages members, channels, sources, dead letters and workspace security settings.</summary>
    Admin = 4,

    /// <summary>Also transfers ownership and removes admins. Every workspace has at least one.</summary>
    Owner = 5,
}
