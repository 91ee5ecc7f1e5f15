namespace Firebreak.Core.Alerts.Channels.Email;

using System.Net;
using System.Net.Sockets;
using System.Text;

/// <summary>
/// E-mail to one person through the target's SMTP server. The text part and the HTML part say the same; in the
/// HTML every piece of text that came from outside (explanations, terms, topic and people's names) is HTML-escaped.
/// </summary>
public sealed class EmailChannel(SmtpSender smtp, TimeProvider clock) : IAlertChannel
{
    public ChannelKind Kind => ChannelKind.Email;

    public async Task<DeliveryOutcome> DeliverAsync(AlertDelivery delivery, ChannelTarget? target, string? secret, CancellationToken cancellationToken)
    {
        if (target?.Settings is not { Host: { Length: > 0 } host, From: { Length: > 0 } from } settings || delivery.Recipient is not { Length: > 0 } to)
        {
            return DeliveryOutcome.Fail("the e-mail target has no server or sender, or the delivery has no recipient");
        }

        var port = settings.Port > 0 ? settings.Port : settings.Security switch { SmtpSecurity.Tls => 465, SmtpSecurity.StartTls => 587, _ => 25 };
        var message = Compose(delivery, new EmailAddress(from, settings.FromName ?? "Firebreak"), new EmailAddress(to, delivery.RecipientName), clock.GetUtcNow());
        try
        {
            await smtp.SendAsync(new SmtpServer(host, port, settings.Security, settings.Username, secret, settings.AllowPlaintextAuth), from, [to],
                MimeWriter.Write(message, "fb-" + Guid.NewGuid().ToString("N")), cancellationToken).ConfigureAwait(false);
            return DeliveryOutcome.Success;
        }
        catch (SmtpException e)
        {
            return e.Transient ? DeliveryOutcome.Retry(e.Message) : DeliveryOutcome.Fail(e.Message);
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            return DeliveryOutcome.Retry("network error: " + e.Message);
        }
    }

    /// <summary>The message for one delivery (public so tests can look at it without a server).</summary>
    public static EmailMessage Compose(AlertDelivery delivery, EmailAddress from, EmailAddress to, DateTimeOffset now)
    {
        var n = delivery.Notification;
        var domain = from.Address.LastIndexOf('@') is var at and >= 0 ? from.Address[(at + 1)..] : "firebreak.invalid";
        return new EmailMessage(
            from,
            to,
            AlertText.Title(n),
            Text(n),
            Html(n),
            $"{delivery.DeliveryKey}.{Guid.NewGuid().ToString("N")[..16]}@{domain}",
            now,
            [new("X-Firebreak-Alert", n.AlertId.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("X-Firebreak-Event", AlertText.EventName(n.Reason))]);
    }

    private static string Text(AlertNotification n)
    {
        var text = new StringBuilder();
        text.Append(AlertText.Title(n)).Append("\n\n").Append(n.Explanation).Append("\n\n");
        foreach (var (label, value) in AlertText.Facts(n))
        {
            text.Append(label).Append(": ").Append(value).Append('\n');
        }

        text.Append("\nAcknowledge it in Firebreak (alert #").Append(n.AlertId).Append(") to stop escalation.\n");
        return text.ToString();
    }

    private static string Html(AlertNotification n)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").Append(E(AlertText.Title(n))).Append("</title></head>")
            .Append("<body style=\"font-family:sans-serif\"><h2>").Append(E(AlertText.Title(n))).Append("</h2>")
            .Append("<p>").Append(E(n.Explanation)).Append("</p><table cellpadding=\"4\">");
        foreach (var (label, value) in AlertText.Facts(n))
        {
            html.Append("<tr><th align=\"left\">").Append(E(label)).Append("</th><td>").Append(E(value)).Append("</td></tr>");
        }

        html.Append("</table><p>Acknowledge it in Firebreak (alert #").Append(n.AlertId).Append(") to stop escalation.</p></body></html>");
        return html.ToString();
    }
}
