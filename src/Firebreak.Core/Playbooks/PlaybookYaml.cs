namespace Firebreak.Core.Playbooks;

using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

/// <summary>
/// The playbook file format (docs/playbooks.md): read with validation, and written so that reading the output gives the
/// same playbook. Long texts are written as literal blocks (|) so Markdown in them stays as people wrote it.
/// </summary>
public static partial class PlaybookYaml
{
    public static PlaybookParseResult Parse(string yaml) => PlaybookReader.Parse(yaml);

    public static string Write(Playbook playbook)
    {
        ArgumentNullException.ThrowIfNull(playbook);
        var w = new StringBuilder();
        Field(w, 0, "key", playbook.Key);
        Field(w, 0, "title", playbook.Title);
        Field(w, 0, "scenario", playbook.Scenario);
        Field(w, 0, "severity", playbook.DefaultSeverity);
        Field(w, 0, "summary", playbook.Summary);
        if (playbook.Triggers.Count > 0)
        {
            w.Append("triggers:\n");
            foreach (var trigger in playbook.Triggers)
            {
                w.Append("  - ").Append(Scalar(trigger, 4)).Append('\n');
            }
        }

        w.Append("steps:\n");
        foreach (var step in playbook.Steps)
        {
            w.Append("  - id: ").Append(Scalar(step.Id, 4)).Append('\n');
            Field(w, 4, "title", step.Title);
            Field(w, 4, "owner", step.Owner);
            if (step.DueAfterMinutes is { } due)
            {
                w.Append("    due: ").Append(due.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }

            Field(w, 4, "approval", step.ApprovalBy);
            Field(w, 4, "details", step.Details);
        }

        if (playbook.HoldingStatements.Count > 0)
        {
            w.Append("holding_statements:\n");
            foreach (var statement in playbook.HoldingStatements)
            {
                Field(w, 2, statement.Language, statement.Text);
            }
        }

        if (playbook.Approvals.Count > 0)
        {
            w.Append("approvals:\n");
            foreach (var approval in playbook.Approvals)
            {
                w.Append("  - action: ").Append(Scalar(approval.Action, 4)).Append('\n');
                Field(w, 4, "role", approval.Role);
                if (approval.Steps.Count > 0)
                {
                    w.Append("    steps: [").Append(string.Join(", ", approval.Steps.Select(s => Scalar(s, 4)))).Append("]\n");
                }
            }
        }

        if (playbook.Guidance.Count > 0)
        {
            w.Append("guidance:\n");
            foreach (var item in playbook.Guidance)
            {
                w.Append("  - question: ").Append(Scalar(item.Question, 4)).Append('\n');
                Field(w, 4, "answer", item.Answer);
            }
        }

        return w.ToString();
    }

    private static void Field(StringBuilder w, int indent, string name, string? value)
    {
        if (value is null)
        {
            return;
        }

        w.Append(' ', indent).Append(name).Append(": ").Append(Scalar(value, indent + 2)).Append('\n');
    }

    /// <summary>Plain when that cannot be misread, a literal block for several lines, else double-quoted.</summary>
    private static string Scalar(string value, int indent)
    {
        if (value.Contains('\n', StringComparison.Ordinal) && value.Trim() == value && !value.Any(c => char.IsControl(c) && c is not '\n' and not '\t'))
        {
            var block = new StringBuilder("|");
            foreach (var line in value.Split('\n'))
            {
                block.Append('\n');
                if (line.Length > 0)
                {
                    block.Append(' ', indent).Append(line);
                }
            }

            return block.ToString();
        }

        if (PlainSafe().IsMatch(value) && !value.Contains(": ", StringComparison.Ordinal) && !value.Contains(" #", StringComparison.Ordinal)
            && !Reserved.Contains(value.ToLowerInvariant()) && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            return value;
        }

        var quoted = new StringBuilder("\"");
        foreach (var c in value)
        {
            quoted.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                _ when char.IsControl(c) => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        return quoted.Append('"').ToString();
    }

    private static readonly HashSet<string> Reserved = ["true", "false", "yes", "no", "on", "off", "y", "n", "null", "~"];

    /// <summary>Starts with a letter or digit and holds nothing YAML gives a meaning to at those places.</summary>
    [GeneratedRegex(@"^[\p{L}\p{N}][\p{L}\p{N} _.,;!?'’()/&+%@=-]*(?<![ :])$")]
    private static partial Regex PlainSafe();
}
