namespace Firebreak.Core.Playbooks;

using System.Text;

/// <summary>
/// A playbook as a Markdown checklist, for a printed binder or a wiki. Generated directly (no Markdown library): the
/// playbook's long texts are already Markdown and go in as written; only one-line fields are escaped.
/// </summary>
public static class PlaybookMarkdown
{
    public static string Write(Playbook playbook)
    {
        ArgumentNullException.ThrowIfNull(playbook);
        var md = new StringBuilder();
        md.Append("# ").Append(Escape(playbook.Title)).Append("\n\n");
        md.Append("*Scenario:* `").Append(playbook.Scenario).Append("` · *Default severity:* ").Append(playbook.DefaultSeverity)
            .Append(" · *Key:* `").Append(playbook.Key).Append("`\n\n");
        md.Append(playbook.Summary).Append("\n\n");
        if (playbook.Triggers.Count > 0)
        {
            md.Append("## When to use it\n\n");
            foreach (var trigger in playbook.Triggers)
            {
                md.Append("- ").Append(Escape(trigger)).Append('\n');
            }

            md.Append('\n');
        }

        md.Append("## Steps\n\n");
        foreach (var step in playbook.Steps)
        {
            md.Append("- [ ] **").Append(Escape(step.Title)).Append("**");
            var facts = new List<string>();
            if (step.Owner is not null)
            {
                facts.Add("owner: " + step.Owner);
            }

            if (step.DueAfterMinutes is { } due)
            {
                facts.Add("due: " + Duration(due));
            }

            if (step.ApprovalBy is not null)
            {
                facts.Add("approval: " + step.ApprovalBy);
            }

            if (facts.Count > 0)
            {
                md.Append(" — ").Append(string.Join(" · ", facts));
            }

            md.Append(" <!-- ").Append(step.Id).Append(" -->\n");
            if (step.Details is { } details)
            {
                md.Append('\n');
                foreach (var line in details.Split('\n'))
                {
                    md.Append(line.Length == 0 ? string.Empty : "  ").Append(line).Append('\n');
                }

                md.Append('\n');
            }
        }

        md.Append('\n');
        if (playbook.HoldingStatements.Count > 0)
        {
            md.Append("## Holding statements\n\n");
            foreach (var statement in playbook.HoldingStatements)
            {
                md.Append("### ").Append(statement.Language).Append("\n\n");
                foreach (var line in statement.Text.Split('\n'))
                {
                    md.Append("> ").Append(line).Append('\n');
                }

                md.Append('\n');
            }
        }

        if (playbook.Approvals.Count > 0)
        {
            md.Append("## Approvals\n\n| What | Who approves | Steps |\n| --- | --- | --- |\n");
            foreach (var approval in playbook.Approvals)
            {
                md.Append("| ").Append(Escape(approval.Action).Replace("|", "\\|", StringComparison.Ordinal)).Append(" | ").Append(approval.Role).Append(" | ")
                    .Append(string.Join(", ", approval.Steps.Select(s => $"`{s}`"))).Append(" |\n");
            }

            md.Append('\n');
        }

        if (playbook.Guidance.Count > 0)
        {
            md.Append("## Decision guidance\n\n");
            foreach (var item in playbook.Guidance)
            {
                md.Append("### ").Append(Escape(item.Question)).Append("\n\n").Append(item.Answer).Append("\n\n");
            }
        }

        return md.ToString().TrimEnd() + "\n";
    }

    /// <summary>"45 min", "2 h", "1 h 30 min", "at once".</summary>
    public static string Duration(int minutes) => minutes switch
    {
        0 => "at once",
        < 60 => $"{minutes} min",
        _ when minutes % 60 == 0 => $"{minutes / 60} h",
        _ => $"{minutes / 60} h {minutes % 60} min",
    };

    private static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '\\' or '*' or '_' or '`' or '[' or ']' or '<' or '>' or '#')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }
}
