namespace Firebreak.Core.Alerts.Channels;

using System.Globalization;
using Firebreak.Core.Detection;

/// <summary>
/// The words of a notification, shared by every channel so e-mail, Slack and Teams say the same thing. Returns
/// plain text: each channel escapes it for its own markup (HTML, Slack mrkdwn, Teams markdown).
/// </summary>
public static class AlertText
{
    public static string Signal(DetectionSignal signal) => signal switch
    {
        DetectionSignal.Volume => "Volume spike",
        DetectionSignal.NegativeVolume => "Negative volume",
        DetectionSignal.NegativeShare => "Negative share",
        DetectionSignal.ReachWeightedNegativity => "Reach-weighted negativity",
        DetectionSignal.ViralItem => "Viral item",
        DetectionSignal.EmergingTerm => "Emerging term",
        DetectionSignal.PublisherStalled => "Publisher stalled",
        DetectionSignal.RoguePost => "Rogue post on an owned account",
        DetectionSignal.ConnectorHealth => "Connector needs attention",
        _ => signal.ToString(),
    };

    /// <summary>The event name on the wire: alert.opened, alert.severity_raised, alert.escalated, alert.acknowledged, alert.resolved.</summary>
    public static string EventName(NotificationReason reason) => reason switch
    {
        NotificationReason.Opened => "alert.opened",
        NotificationReason.SeverityRaised => "alert.severity_raised",
        NotificationReason.Escalated => "alert.escalated",
        NotificationReason.Acknowledged => "alert.acknowledged",
        NotificationReason.Resolved => "alert.resolved",
        _ => "alert." + reason.ToString().ToLowerInvariant(),
    };

    /// <summary>What happened, in a few words: "New alert", "Severity Medium → High", "Acknowledged by Ana".</summary>
    public static string Headline(AlertNotification n) => n.Reason switch
    {
        NotificationReason.Opened => "New alert",
        NotificationReason.SeverityRaised => $"Severity {n.PreviousSeverity} → {n.Severity}",
        NotificationReason.Escalated => "Escalated: not acknowledged",
        NotificationReason.Acknowledged => $"Acknowledged by {n.Actor}",
        NotificationReason.Resolved => $"Resolved by {n.Actor}",
        _ => n.Reason.ToString(),
    };

    /// <summary>"[High] Negative volume · Refunds (platform:x) — New alert". One line, no control characters.</summary>
    public static string Title(AlertNotification n) =>
        OneLine($"[{n.Severity}] {Signal(n.Signal)} · {n.TopicName}{(n.Dimension.Length > 0 ? $" ({n.Dimension})" : string.Empty)} — {Headline(n)}");

    /// <summary>The facts, as label and value pairs.</summary>
    public static IReadOnlyList<(string Label, string Value)> Facts(AlertNotification n)
    {
        var facts = new List<(string, string)>
        {
            ("Workspace", n.WorkspaceName),
            ("Topic", n.TopicName),
            ("Signal", Signal(n.Signal)),
            ("Severity", n.Severity.ToString()),
            ("State", n.State.ToString()),
            ("Observed", $"{Number(n.Observed)} (expected {Number(n.Expected)})"),
            ("Detections", n.DetectionCount.ToString(CultureInfo.InvariantCulture)),
            ("Opened", n.OpenedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)),
        };
        if (n.Dimension.Length > 0)
        {
            facts.Insert(2, ("Slice", n.Dimension));
        }

        if (n.TopTerms.Count > 0)
        {
            facts.Add(("Top terms", string.Join(", ", n.TopTerms)));
        }

        if (n.Paging.Count > 0)
        {
            facts.Add(("Paging", string.Join(", ", n.Paging.Select(p => p.OnCall ? p.Name + " (on call)" : p.Name))));
        }

        // Values are one line each: names and terms come from outside and must not start lines of their own.
        return [.. facts.Select(f => (f.Item1, OneLine(f.Item2)))];
    }

    /// <summary>Collapses line breaks and other control characters (they would break headers and one-line fields).</summary>
    public static string OneLine(string text)
    {
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsControl(chars[i]) || chars[i] is '\u2028' or '\u2029')
            {
                chars[i] = ' ';
            }
        }

        return new string(chars);
    }

    /// <summary>Cuts text to a length (channels have limits), on a whole character.</summary>
    public static string Truncate(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var cut = max - 1;
        if (cut > 0 && char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return text[..cut] + "…";
    }

    private static string Number(double value) => value.ToString(Math.Abs(value) >= 100 ? "#,0" : "0.##", CultureInfo.InvariantCulture);
}
