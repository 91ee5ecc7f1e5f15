namespace Firebreak.Core.Alerts.Channels;

using System.Globalization;
using System.Text.Json.Nodes;

/// <summary>
/// Signed JSON webhooks. Each POST carries <c>X-Firebreak-Timestamp</c> (Unix seconds), <c>X-Firebreak-Signature:
/// sha256=&lt;hex HMAC-SHA256 of timestamp + "." + body&gt;</c> with the endpoint's secret, <c>X-Firebreak-Event</c>
/// and <c>X-Firebreak-Delivery</c> (the same on every retry of one delivery: receivers de-duplicate on it).
/// </summary>
public sealed class WebhookChannel(AlertHttp http, TimeProvider clock) : IAlertChannel
{
    public ChannelKind Kind => ChannelKind.Webhook;

    public async Task<DeliveryOutcome> DeliverAsync(AlertDelivery delivery, ChannelTarget? target, string? secret, CancellationToken cancellationToken)
    {
        if (target?.Settings.Url is not { } url || string.IsNullOrEmpty(secret))
        {
            return DeliveryOutcome.Fail("the webhook target has no URL or no signing secret");
        }

        var body = System.Text.Encoding.UTF8.GetBytes(AlertHttp.Serialize(Payload(delivery)));
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return await http.PostJsonAsync(url, body,
        [
            new(WebhookSignature.TimestampHeader, timestamp),
            new(WebhookSignature.SignatureHeader, WebhookSignature.Sign(secret, timestamp, body)),
            new("X-Firebreak-Event", AlertText.EventName(delivery.Notification.Reason)),
            new("X-Firebreak-Delivery", delivery.DeliveryKey),
        ], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The body (documented in docs/alerting.md). It is the same on every retry; only the timestamp header changes.</summary>
    public static JsonObject Payload(AlertDelivery delivery)
    {
        var n = delivery.Notification;
        return new JsonObject
        {
            ["id"] = delivery.DeliveryKey,
            ["event"] = AlertText.EventName(n.Reason),
            ["occurredAt"] = Time(n.At),
            ["actor"] = n.Actor,
            ["workspace"] = new JsonObject { ["id"] = n.WorkspaceId, ["slug"] = n.WorkspaceSlug, ["name"] = n.WorkspaceName },
            ["alert"] = new JsonObject
            {
                ["id"] = n.AlertId,
                ["sequence"] = n.Sequence,
                ["state"] = Camel(n.State.ToString()),
                ["severity"] = Camel(n.Severity.ToString()),
                ["previousSeverity"] = n.PreviousSeverity is { } previous ? Camel(previous.ToString()) : null,
                ["signal"] = Camel(n.Signal.ToString()),
                ["dimension"] = n.Dimension,
                ["topic"] = new JsonObject { ["id"] = n.TopicId, ["name"] = n.TopicName },
                ["title"] = AlertText.Title(n),
                ["explanation"] = n.Explanation,
                ["score"] = n.Score,
                ["observed"] = n.Observed,
                ["expected"] = n.Expected,
                ["detectionCount"] = n.DetectionCount,
                ["topTerms"] = new JsonArray([.. n.TopTerms.Select(t => (JsonNode?)t)]),
                ["sampleMentionIds"] = new JsonArray([.. n.SampleMentionIds.Select(id => (JsonNode?)id)]),
                ["openedAt"] = Time(n.OpenedAt),
                ["lastSeenAt"] = Time(n.LastSeenAt),
            },
            ["paging"] = new JsonArray([.. n.Paging.Select(p => (JsonNode?)new JsonObject { ["contactId"] = p.ContactId, ["name"] = p.Name, ["email"] = p.Email, ["onCall"] = p.OnCall })]),
        };
    }

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}
