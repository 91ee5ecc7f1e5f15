namespace Firebreak.Web.Components.Settings;

using Firebreak.Core.Security;

public sealed class MemberForm
{
    public string? Email { get; set; }

    public WorkspaceRole Role { get; set; } = WorkspaceRole.Responder;
}

public sealed class SecurityForm
{
    public bool RequireTwoFactor { get; set; }
}
