namespace Firebreak.Core.Alerts.Channels;

using System.Text.Json.Nodes;

/// <summary>
/// Slack incoming webhooks: <c>{"text": fallback, "blocks": [section, section with fields, context]}</c> in mrkdwn.
/// Slack treats &amp; &lt; &gt; as markup (&lt;!channel&gt; would ping everyone, &lt;url|text&gt; would disguise a
/// link), so every piece of untrusted text has exactly those three replaced by entities, and nothing else.
/// </summary>
public sealed class SlackChannel(AlertHttp http) : IAlertChannel
{
    // Slack refuses a section text over 3,000 characters and a field over 2,000.
    private const int SectionLimit = 2_900;
    private const int FieldLimit = 1_900;

    public ChannelKind Kind => ChannelKind.Slack;

    public Task<DeliveryOutcome> DeliverAsync(AlertDelivery delivery, ChannelTarget? target, string? secret, CancellationToken cancellationToken) =>
        string.IsNullOrEmpty(secret)
            ? Task.FromResult(DeliveryOutcome.Fail("the Slack target has no webhook URL"))
            : http.PostJsonAsync(secret, System.Text.Encoding.UTF8.GetBytes(AlertHttp.Serialize(Payload(delivery.Notification))), [], cancellationToken);

    public static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    public static JsonObject Payload(AlertNotification n)
    {
        var title = Escape(AlertText.Title(n));
        var fields = new JsonArray();
        foreach (var (label, value) in AlertText.Facts(n).Take(10))
        {
            fields.Add(Mrkdwn($"*{label}*\n{Escape(AlertText.Truncate(value, FieldLimit))}"));
        }

        return new JsonObject
        {
            ["text"] = title,
            ["blocks"] = new JsonArray(
                new JsonObject { ["type"] = "section", ["text"] = Mrkdwn($"*{title}*\n{Escape(AlertText.Truncate(n.Explanation, SectionLimit))}") },
                new JsonObject { ["type"] = "section", ["fields"] = fields },
                new JsonObject { ["type"] = "context", ["elements"] = new JsonArray(Mrkdwn($"Firebreak · {Escape(n.WorkspaceName)} · alert #{n.AlertId}")) }),
        };
    }

    // verbatim: Slack leaves URLs and channel names in the text as they are instead of turning them into links.
    private static JsonObject Mrkdwn(string text) => new() { ["type"] = "mrkdwn", ["text"] = text, ["verbatim"] = true };
}
