namespace Firebreak.Core.Playbooks;

/// <summary>
/// A crisis playbook: what to do, who does it and by when, what to say first, who signs off, and how to decide the hard
/// calls of one scenario. Its canonical form is a YAML file (<see cref="PlaybookYaml"/>); this is what that file means.
/// Lists keep the file's order, because step order is the order people work through them.
/// </summary>
public sealed record Playbook(
    string Key,
    string Title,
    string Scenario,
    string Summary,
    IReadOnlyList<string> Triggers,
    string DefaultSeverity,
    IReadOnlyList<PlaybookStep> Steps,
    IReadOnlyList<HoldingStatementText> HoldingStatements,
    IReadOnlyList<PlaybookApproval> Approvals,
    IReadOnlyList<DecisionGuidance> Guidance);

/// <summary>
/// One step. <see cref="DueAfterMinutes"/> counts from the incident's start, not from the previous step, so a late
/// step does not push every later deadline (a crisis clock does not wait).
/// </summary>
public sealed record PlaybookStep(string Id, string Title, string? Details, string? Owner, int? DueAfterMinutes, string? ApprovalBy)
{
    public bool NeedsApproval => ApprovalBy is not null;
}

/// <summary>A first statement in one language (a BCP 47 code such as <c>en</c> or <c>pt-BR</c>), with {variables}.</summary>
public sealed record HoldingStatementText(string Language, string Text);

/// <summary>Who must approve what: e.g. public statements need the approver, deletions the lead. Steps name the steps it governs.</summary>
public sealed record PlaybookApproval(string Action, string Role, IReadOnlyList<string> Steps);

/// <summary>A hard call this scenario brings, and how a seasoned lead would make it.</summary>
public sealed record DecisionGuidance(string Question, string Answer);

/// <summary>The names a playbook may use: scenario types, incident roles, severities, and the limits that keep a file readable.</summary>
public static class PlaybookVocabulary
{
    public static readonly IReadOnlyList<string> Scenarios =
    [
        "offensive-post", "hacked-account", "viral-complaint", "product-safety", "executive-misconduct",
        "data-breach", "platform-outage", "national-tragedy", "influencer-backlash",
    ];

    /// <summary>The incident roles (not workspace roles): who does the work in the crisis room.</summary>
    public static readonly IReadOnlyList<string> Roles = ["lead", "spokesperson", "approver", "listener", "scribe"];

    public static readonly IReadOnlyList<string> Severities = ["low", "medium", "high", "critical"];

    public const int MaxKeyLength = 64;
    public const int MaxTitleLength = 200;
    public const int MaxTextLength = 4_000;
    public const int MaxStatementLength = 2_000;
    public const int MaxTriggerLength = 200;
    public const int MaxSteps = 100;

    /// <summary>A week: a playbook plans the first days of a crisis; a longer deadline is almost always a typo (hours for minutes).</summary>
    public const int MaxDueMinutes = 7 * 24 * 60;
}
