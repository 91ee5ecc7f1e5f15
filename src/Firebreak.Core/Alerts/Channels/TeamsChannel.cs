namespace Firebreak.Core.Alerts.Channels;

using System.Text;
using System.Text.Json.Nodes;

/// <summary>
/// Microsoft Teams incoming webhooks (the Workflows "post to a channel when a webhook request is received" flow
/// and the older connector URLs both take this): a message whose one attachment is an Adaptive Card 1.4 with the
/// title, the explanation and a FactSet. Card text is Markdown, so untrusted text has its Markdown characters
/// backslash-escaped (no links or formatting can be smuggled in).
/// </summary>
public sealed class TeamsChannel(AlertHttp http) : IAlertChannel
{
    public ChannelKind Kind => ChannelKind.Teams;

    public Task<DeliveryOutcome> DeliverAsync(AlertDelivery delivery, ChannelTarget? target, string? secret, CancellationToken cancellationToken) =>
        string.IsNullOrEmpty(secret)
            ? Task.FromResult(DeliveryOutcome.Fail("the Teams target has no webhook URL"))
            : http.PostJsonAsync(secret, Encoding.UTF8.GetBytes(AlertHttp.Serialize(Payload(delivery.Notification))), [], cancellationToken);

    public static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (c is '\\' or '*' or '_' or '[' or ']' or '(' or ')' or '#' or '`' or '~' or '>' or '<' or '!' or '|')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }

    public static JsonObject Payload(AlertNotification n)
    {
        var facts = new JsonArray();
        foreach (var (label, value) in AlertText.Facts(n))
        {
            facts.Add(new JsonObject { ["title"] = label, ["value"] = Escape(AlertText.Truncate(value, 1_000)) });
        }

        var card = new JsonObject
        {
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["type"] = "AdaptiveCard",
            ["version"] = "1.4",
            ["body"] = new JsonArray(
                new JsonObject
                {
                    ["type"] = "TextBlock",
                    ["text"] = Escape(AlertText.Title(n)),
                    ["weight"] = "Bolder",
                    ["size"] = "Medium",
                    ["wrap"] = true,
                    ["color"] = n.Severity >= Detection.DetectionSeverity.High ? "Attention" : "Warning",
                },
                new JsonObject { ["type"] = "TextBlock", ["text"] = Escape(AlertText.Truncate(n.Explanation, 3_000)), ["wrap"] = true },
                new JsonObject { ["type"] = "FactSet", ["facts"] = facts }),
        };

        return new JsonObject
        {
            ["type"] = "message",
            ["summary"] = AlertText.Title(n),
            ["attachments"] = new JsonArray(new JsonObject
            {
                ["contentType"] = "application/vnd.microsoft.card.adaptive",
                ["contentUrl"] = null,
                ["content"] = card,
            }),
        };
    }
}
