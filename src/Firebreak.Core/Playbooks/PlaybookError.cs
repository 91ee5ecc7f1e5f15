namespace Firebreak.Core.Playbooks;

/// <summary>A problem in a playbook file, where it is (1-based line and column) and what to do about it.</summary>
public sealed record PlaybookError(int Line, int Column, string Message)
{
    public override string ToString() => $"{Line}:{Column}: {Message}";
}

/// <summary>The playbook when the file is valid; otherwise every error found, in file order.</summary>
public sealed record PlaybookParseResult(Playbook? Playbook, IReadOnlyList<PlaybookError> Errors)
{
    public bool IsValid => Playbook is not null && Errors.Count == 0;
}
