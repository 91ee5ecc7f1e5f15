namespace Firebreak.Core.Incidents.Review;

using System.Globalization;
using System.Text;

/// <summary>A review as a Markdown document (for a wiki, a ticket or an e-mail).</summary>
public static class ReviewMarkdown
{
    public static string Write(IncidentReview review)
    {
        ArgumentNullException.ThrowIfNull(review);
        var i = review.Incident;
        var f = review.Figures;
        var t = review.Text;
        var md = new StringBuilder();
        md.Append("# Review: ").AppendLine(Inline(i.Title)).AppendLine();
        md.Append("- Incident ").Append(i.Id).Append(", ").Append(i.Type).Append(", ").Append(i.Severity.ToString().ToUpperInvariant()).Append(", ").AppendLine(i.Status.ToString().ToLowerInvariant());
        md.Append("- Declared ").Append(Time(i.DeclaredAt)).Append(" by ").AppendLine(Inline(i.DeclaredBy.Name));
        md.Append("- Resolved ").AppendLine(i.ResolvedAt is { } r ? Time(r) : "not yet (figures up to now)");
        md.AppendLine();
        md.AppendLine("## Figures").AppendLine();
        md.AppendLine("| figure | value |").AppendLine("| --- | --- |");
        foreach (var (name, value) in Figures(f))
        {
            md.Append("| ").Append(name).Append(" | ").Append(Inline(value)).AppendLine(" |");
        }

        md.AppendLine();
        Section(md, "What went well", t.WentWell);
        Section(md, "What went badly", t.WentBadly);
        md.AppendLine("## Action items").AppendLine();
        if (t.ActionItems.Count == 0)
        {
            md.AppendLine("None yet.");
        }

        foreach (var item in t.ActionItems)
        {
            md.Append("- [").Append(item.Done ? 'x' : ' ').Append("] ").Append(Inline(item.Text))
                .Append(" — ").Append(Inline(item.Owner ?? "no owner"));
            if (item.DueAt is { } due)
            {
                md.Append(", due ").Append(Time(due));
            }

            md.AppendLine();
        }

        md.AppendLine().AppendLine("## Proposed playbook changes").AppendLine();
        if (t.PlaybookChanges.Count == 0)
        {
            md.AppendLine("None.");
        }

        foreach (var change in t.PlaybookChanges)
        {
            md.Append("- `").Append(change.PlaybookKey.Replace("`", string.Empty, StringComparison.Ordinal)).Append("`: ").AppendLine(Inline(change.Text));
        }

        md.AppendLine().AppendLine("## Timeline").AppendLine();
        foreach (var e in review.Timeline)
        {
            md.Append("- ").Append(Time(e.At)).Append(" · ").Append(e.Kind.ToString()).Append(" · ").Append(Inline(e.Actor.Name)).Append(": ").AppendLine(Inline(e.Text));
        }

        return md.ToString();
    }

    /// <summary>The figures as (name, value) rows, shared by the Markdown and the HTML page.</summary>
    public static IReadOnlyList<(string Name, string Value)> Figures(ReviewFigures f)
    {
        ArgumentNullException.ThrowIfNull(f);
        return
        [
            ("Time to detect", Duration(f.TimeToDetect)),
            ("Time to acknowledge", Duration(f.TimeToAcknowledge)),
            ("Time to first public response", Duration(f.TimeToFirstResponse) + (f.FirstResponse is { } what ? $" ({what})" : string.Empty)),
            ("Peak negative mentions per hour", f.PeakAt is { } at ? $"{f.PeakNegativePerHour.ToString(CultureInfo.InvariantCulture)} at {Time(at)}" : "none"),
            ("Negative share at the peak", Share(f.PeakNegativeShare)),
            ("Negative share over the incident", Share(f.NegativeShare)),
            ("Time from peak to baseline", f.PeakAt is null ? "no peak" : Duration(f.TimeToBaseline, "not back yet")),
            ("Tasks done / open", $"{f.TasksDone.ToString(CultureInfo.InvariantCulture)} / {f.TasksOpen.ToString(CultureInfo.InvariantCulture)}"),
        ];
    }

    public static string Duration(TimeSpan? span, string none = "—")
    {
        if (span is not { } s)
        {
            return none;
        }

        var minutes = (long)Math.Round(s.TotalMinutes);
        return minutes < 60
            ? $"{minutes.ToString(CultureInfo.InvariantCulture)} min"
            : $"{(minutes / 60).ToString(CultureInfo.InvariantCulture)} h {(minutes % 60).ToString("00", CultureInfo.InvariantCulture)} min";
    }

    public static string Share(double? share) => share is { } s ? (s * 100).ToString("0.#", CultureInfo.InvariantCulture) + " %" : "—";

    public static string Time(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static void Section(StringBuilder md, string title, string text)
    {
        md.Append("## ").AppendLine(title).AppendLine();
        md.AppendLine(string.IsNullOrWhiteSpace(text) ? "Not written yet." : Block(text)).AppendLine();
    }

    /// <summary>People's text on one line, with Markdown/HTML metacharacters escaped so it cannot inject links or markup.</summary>
    public static string Inline(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '\r' or '\n')
            {
                sb.Append(' ');
            }
            else if (c is '\\' or '`' or '*' or '_' or '[' or ']' or '<' or '>' or '#' or '|' or '!')
            {
                sb.Append('\\').Append(c);
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    private static string Block(string text) => string.Join('\n', text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(Inline));
}
