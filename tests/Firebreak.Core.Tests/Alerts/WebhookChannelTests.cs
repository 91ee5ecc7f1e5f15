using System.Text;
using System.Text.Json;
using Firebreak.Core.Alerts;
using Firebreak.Core.Alerts.Channels;
using Firebreak.Core.Tests.Ingestion;
using Firebreak.Tests.Shared;
using static Firebreak.Core.Tests.Alerts.AlertSamples;

namespace Firebreak.Core.Tests.Alerts;

/// <summary>Webhook, Slack and Teams channels against a real HTTP receiver on loopback.</summary>
public sealed class WebhookChannelTests : IAsyncLifetime
{
    private const string Secret = "whsec-0123456789abcdef";
    private readonly FixedClock clock = new(Now);
    private TestHttpReceiver receiver = null!;
    private AlertHttp http = null!;

    public Task InitializeAsync()
    {
        receiver = new TestHttpReceiver();
        http = new AlertHttp(clock);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await receiver.DisposeAsync();
    }

    [Fact]
    public async Task Webhook_SignsTimestampDotBody_ReceiverVerifies()
    {
        var outcome = await Webhook().DeliverAsync(Delivery(), Target(ChannelKind.Webhook, new ChannelSettings(Url: receiver.Url())), Secret, CancellationToken.None);

        Assert.True(outcome.Delivered, outcome.Error);
        var request = Assert.Single(receiver.Requests);
        Assert.Equal("POST", request.Method);
        Assert.StartsWith("application/json", request.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Equal(Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), request.Headers["X-Firebreak-Timestamp"]);
        Assert.Equal("alert.opened", request.Headers["X-Firebreak-Event"]);
        Assert.Equal("fb-7-42-9", request.Headers["X-Firebreak-Delivery"]);
        Assert.True(WebhookSignature.Verify(Secret, request.Headers["X-Firebreak-Timestamp"], request.Headers["X-Firebreak-Signature"], request.Body, Now, TimeSpan.FromMinutes(5)));
        // The signature is exactly HMAC-SHA256(secret, "timestamp.body"), computed independently here.
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(request.Headers["X-Firebreak-Timestamp"] + "." + Encoding.UTF8.GetString(request.Body))));
        Assert.Equal("sha256=" + expected, request.Headers["X-Firebreak-Signature"]);
        Assert.False(WebhookSignature.Verify("another-secret-xyz", request.Headers["X-Firebreak-Timestamp"], request.Headers["X-Firebreak-Signature"], request.Body, Now, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(Secret, request.Headers["X-Firebreak-Timestamp"], request.Headers["X-Firebreak-Signature"], request.Body, Now.AddMinutes(6), TimeSpan.FromMinutes(5)));

        var json = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal("alert.opened", json.GetProperty("event").GetString());
        Assert.Equal("fb-7-42-9", json.GetProperty("id").GetString());
        Assert.Equal("aurora", json.GetProperty("workspace").GetProperty("slug").GetString());
        var alert = json.GetProperty("alert");
        Assert.Equal(42, alert.GetProperty("id").GetInt64());
        Assert.Equal("high", alert.GetProperty("severity").GetString());
        Assert.Equal("negativeVolume", alert.GetProperty("signal").GetString());
        Assert.Equal("open", alert.GetProperty("state").GetString());
        Assert.Equal("Refunds", alert.GetProperty("topic").GetProperty("name").GetString());
        Assert.Equal(["refund", "#boycott"], alert.GetProperty("topTerms").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("Ana", json.GetProperty("paging")[0].GetProperty("name").GetString());
    }

    [Theory]
    [InlineData(500, false)]
    [InlineData(503, false)]
    [InlineData(408, false)]
    [InlineData(429, false)]
    [InlineData(400, true)]
    [InlineData(404, true)]
    [InlineData(410, true)]
    public async Task Webhook_Answers_RetryableOrPermanent(int status, bool permanent)
    {
        receiver.Respond = (_, _) => new Answer(status);

        var outcome = await Webhook().DeliverAsync(Delivery(), Target(ChannelKind.Webhook, new ChannelSettings(Url: receiver.Url())), Secret, CancellationToken.None);

        Assert.False(outcome.Delivered);
        Assert.Equal(permanent, outcome.Permanent);
        Assert.StartsWith($"HTTP {status}", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Webhook_RetryAfterSecondsOrDate_IsReported()
    {
        receiver.Respond = (n, _) => new Answer(n == 0 ? 429 : 503, new Dictionary<string, string> { ["Retry-After"] = n == 0 ? "7" : Now.AddSeconds(90).ToString("R") });
        var target = Target(ChannelKind.Webhook, new ChannelSettings(Url: receiver.Url()));

        var seconds = await Webhook().DeliverAsync(Delivery(), target, Secret, CancellationToken.None);
        var date = await Webhook().DeliverAsync(Delivery(), target, Secret, CancellationToken.None);

        Assert.Equal(TimeSpan.FromSeconds(7), seconds.RetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(90), date.RetryAfter);
    }

    [Fact]
    public async Task Webhook_NobodyListening_IsRetried()
    {
        var url = receiver.Url();
        await receiver.DisposeAsync();

        var outcome = await Webhook().DeliverAsync(Delivery(), Target(ChannelKind.Webhook, new ChannelSettings(Url: url)), Secret, CancellationToken.None);

        Assert.False(outcome.Delivered);
        Assert.False(outcome.Permanent);
        Assert.StartsWith("network error", outcome.Error, StringComparison.Ordinal);
        receiver = new TestHttpReceiver();
    }

    [Fact]
    public async Task Webhook_NoSecret_RefusesToSendUnsigned()
    {
        var outcome = await Webhook().DeliverAsync(Delivery(), Target(ChannelKind.Webhook, new ChannelSettings(Url: receiver.Url())), null, CancellationToken.None);

        Assert.True(outcome.Permanent);
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task Slack_PostsTextAndBlocks_EscapingOnlyAmpersandAndAngleBrackets()
    {
        var notification = Notification(explanation: "<!channel> refunds & <https://evil.example|click> it's \"bad\"", topic: "R&D <team>");

        var outcome = await new SlackChannel(http).DeliverAsync(Delivery(notification, ChannelKind.Slack), Target(ChannelKind.Slack, new ChannelSettings(Url: "https://hooks.slack.com/…")), receiver.Url("/services/T0/B0/x"), CancellationToken.None);

        Assert.True(outcome.Delivered, outcome.Error);
        var request = Assert.Single(receiver.Requests);
        Assert.Equal("/services/T0/B0/x", request.Path);
        var json = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal("[High] Negative volume · R&amp;D &lt;team&gt; (platform:x) — New alert", json.GetProperty("text").GetString());
        var blocks = json.GetProperty("blocks");
        Assert.Equal(["section", "section", "context"], blocks.EnumerateArray().Select(b => b.GetProperty("type").GetString()));
        var section = blocks[0].GetProperty("text");
        Assert.Equal("mrkdwn", section.GetProperty("type").GetString());
        Assert.EndsWith("\n&lt;!channel&gt; refunds &amp; &lt;https://evil.example|click&gt; it's \"bad\"", section.GetProperty("text").GetString(), StringComparison.Ordinal);
        var fields = blocks[1].GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("text").GetString()!).ToList();
        Assert.Contains("*Topic*\nR&amp;D &lt;team&gt;", fields);
        Assert.True(fields.Count <= 10);
        Assert.All(blocks.EnumerateArray().SelectMany(Texts), t => Assert.DoesNotContain('<', t));
    }

    [Fact]
    public async Task Teams_PostsAnAdaptiveCardMessage_WithMarkdownEscaped()
    {
        var notification = Notification(explanation: "see [this](https://evil.example) **now** _x_", reason: NotificationReason.SeverityRaised);

        var outcome = await new TeamsChannel(http).DeliverAsync(Delivery(notification, ChannelKind.Teams), Target(ChannelKind.Teams, new ChannelSettings()), receiver.Url("/webhookb2/abc"), CancellationToken.None);

        Assert.True(outcome.Delivered, outcome.Error);
        var json = JsonDocument.Parse(Assert.Single(receiver.Requests).Body).RootElement;
        Assert.Equal("message", json.GetProperty("type").GetString());
        var attachment = Assert.Single(json.GetProperty("attachments").EnumerateArray());
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment.GetProperty("contentType").GetString());
        Assert.Equal(JsonValueKind.Null, attachment.GetProperty("contentUrl").ValueKind);
        var card = attachment.GetProperty("content");
        Assert.Equal("AdaptiveCard", card.GetProperty("type").GetString());
        Assert.Equal("1.4", card.GetProperty("version").GetString());
        Assert.Equal("http://adaptivecards.io/schemas/adaptive-card.json", card.GetProperty("$schema").GetString());
        var body = card.GetProperty("body");
        Assert.Equal(["TextBlock", "TextBlock", "FactSet"], body.EnumerateArray().Select(b => b.GetProperty("type").GetString()));
        Assert.Contains("Severity Medium → High", body[0].GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal("see \\[this\\]\\(https://evil.example\\) \\*\\*now\\*\\* \\_x\\_", body[1].GetProperty("text").GetString());
        Assert.Contains(body[2].GetProperty("facts").EnumerateArray(), f => f.GetProperty("title").GetString() == "Topic" && f.GetProperty("value").GetString() == "Refunds");
    }

    private static IEnumerable<string> Texts(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => p.Name == "text" && p.Value.ValueKind == JsonValueKind.String ? [p.Value.GetString()!] : Texts(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Texts),
        _ => [],
    };

    private WebhookChannel Webhook() => new(http, clock);
}
