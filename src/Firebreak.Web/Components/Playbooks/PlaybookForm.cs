namespace Firebreak.Web.Components.Playbooks;

/// <summary>What the playbook editor posts.</summary>
public sealed class PlaybookForm
{
    public string? Yaml { get; set; }

    public string? Note { get; set; }
}
