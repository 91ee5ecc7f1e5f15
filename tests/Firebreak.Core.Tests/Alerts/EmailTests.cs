using System.Net.Security;
using Firebreak.Core.Alerts;
using Firebreak.Core.Alerts.Channels;
using Firebreak.Core.Alerts.Channels.Email;
using Firebreak.Core.Tests.Ingestion;
using Firebreak.Tests.Shared;
using static Firebreak.Core.Tests.Alerts.AlertSamples;

namespace Firebreak.Core.Tests.Alerts;

/// <summary>The e-mail channel against a real SMTP server on loopback (plain, STARTTLS, AUTH), and the MIME it writes.</summary>
public sealed class EmailTests : IAsyncLifetime
{
    private const string Hostile = "Refunds <script>alert('x')</script> & \"quotes\"\n.a line that starts with a dot\n..and two";
    private TestSmtpServer server = null!;

    public Task InitializeAsync()
    {
        server = new TestSmtpServer();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task Deliver_PlainSmtp_MessageArrivesWithHeadersEncodingEscapingAndDotStuffing()
    {
        var notification = Notification(explanation: Hostile, topic: "Возвраты — 退款 <b>", terms: ["remboursement", "<img src=x>"]);
        var outcome = await DeliverAsync(Delivery(notification, ChannelKind.Email, "ana@example.com", "Ana Łukasiewicz"), new ChannelSettings(Host: "127.0.0.1", Port: server.Port, Security: SmtpSecurity.None, From: "alerts@firebreak.test", FromName: "Firebreak \"Alerts\""));

        Assert.True(outcome.Delivered, outcome.Error);
        var mail = Assert.Single(await server.WaitForAsync(1));
        Assert.Equal("alerts@firebreak.test", mail.From);
        Assert.Equal(["ana@example.com"], mail.Recipients);
        Assert.False(mail.Secure);
        Assert.Null(mail.AuthUser);

        // Dot-stuffing: on the wire every line that begins with '.' got another one; the server removed them again.
        Assert.Contains("..a line that starts with a dot", mail.WireLines);
        Assert.Contains("...and two", mail.WireLines);
        Assert.DoesNotContain(mail.WireLines, l => l == ".");
        Assert.All(mail.WireLines, l => Assert.True(l.Length <= 78, $"line over 78 characters: {l}"));
        Assert.All(mail.WireLines, l => Assert.True(l.All(char.IsAscii), $"non-ASCII on the wire: {l}"));

        var mime = MimeParts.Parse(mail.Data);
        Assert.Equal("\"Firebreak \\\"Alerts\\\"\" <alerts@firebreak.test>", mime.Headers["From"]);
        Assert.Equal("Ana Łukasiewicz <ana@example.com>", MimeParts.DecodeWords(mime.Headers["To"]));
        Assert.StartsWith("=?utf-8?B?", mime.Headers["Subject"], StringComparison.Ordinal);
        Assert.Equal(AlertText.Title(notification), MimeParts.DecodeWords(mime.Headers["Subject"]));
        Assert.Matches(@"^<fb-7-42-9\.[0-9a-f]{16}@firebreak\.test>$", mime.Headers["Message-ID"]);
        Assert.Equal("Mon, 03 Mar 2025 12:00:00 +0000", mime.Headers["Date"]);
        Assert.Equal("1.0", mime.Headers["MIME-Version"]);
        Assert.Equal("auto-generated", mime.Headers["Auto-Submitted"]);
        Assert.StartsWith("multipart/alternative; boundary=", mime.Headers["Content-Type"], StringComparison.Ordinal);

        // The text part says it as it is; the HTML part escapes every piece of outside text.
        Assert.Contains(Hostile, mime.Text, StringComparison.Ordinal);
        Assert.Contains("Top terms: remboursement, <img src=x>", mime.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", mime.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", mime.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", mime.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;", mime.Html, StringComparison.Ordinal);
        Assert.Contains("Возвраты — 退款 &lt;b&gt;", mime.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliver_HeaderInjectionInNames_StaysInsideTheHeader()
    {
        var notification = Notification(topic: "Refunds\r\nBcc: victim@example.com");
        var outcome = await DeliverAsync(Delivery(notification, ChannelKind.Email, "ana@example.com", "Ana\r\nBcc: x@example.com"), Plain());

        Assert.True(outcome.Delivered, outcome.Error);
        var mail = Assert.Single(await server.WaitForAsync(1));
        var headerLines = mail.WireLines.TakeWhile(l => l.Length > 0).ToList();
        Assert.DoesNotContain(headerLines, l => l.StartsWith("Bcc:", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("Topic: Refunds  Bcc: victim@example.com", MimeParts.Parse(mail.Data).Text, StringComparison.Ordinal);
        Assert.Equal(["ana@example.com"], mail.Recipients);
    }

    [Fact]
    public async Task Deliver_StartTlsAndAuthPlain_AuthenticatesOnlyUnderTls()
    {
        using var certificate = TestSmtpServer.CreateCertificate();
        await using var tls = new TestSmtpServer(certificate);
        var sender = new SmtpSender((_, cert, _, _) => cert is not null && cert.GetCertHashString() == certificate.GetCertHashString());
        var channel = new EmailChannel(sender, new FixedClock(Now));
        var target = Target(ChannelKind.Email, new ChannelSettings(Host: "localhost", Port: tls.Port, Security: SmtpSecurity.StartTls, Username: "alerts", From: "alerts@firebreak.test"));

        var outcome = await channel.DeliverAsync(Delivery(channel: ChannelKind.Email, recipient: "ana@example.com"), target, "s3cret pässword", CancellationToken.None);

        Assert.True(outcome.Delivered, outcome.Error);
        var mail = Assert.Single(await tls.WaitForAsync(1));
        Assert.True(mail.Secure);
        Assert.Equal(("alerts", "s3cret pässword"), (mail.AuthUser, mail.AuthPassword));
        Assert.Equal(["EHLO", "STARTTLS", "EHLO", "AUTH"], tls.Commands.Take(4).Select(c => c.Split(' ')[0]));
    }

    [Fact]
    public async Task Deliver_AuthLoginOnly_UsesLogin()
    {
        using var certificate = TestSmtpServer.CreateCertificate();
        await using var tls = new TestSmtpServer(certificate, ["LOGIN"]);
        var channel = new EmailChannel(new SmtpSender((_, _, _, _) => true), new FixedClock(Now));
        var target = Target(ChannelKind.Email, new ChannelSettings(Host: "localhost", Port: tls.Port, Security: SmtpSecurity.StartTls, Username: "ops", From: "alerts@firebreak.test"));

        var outcome = await channel.DeliverAsync(Delivery(channel: ChannelKind.Email, recipient: "ana@example.com"), target, "pw", CancellationToken.None);

        Assert.True(outcome.Delivered, outcome.Error);
        Assert.Equal(("ops", "pw"), ((await tls.WaitForAsync(1))[0].AuthUser, tls.Messages.Single().AuthPassword));
        Assert.Contains("AUTH LOGIN", tls.Commands);
    }

    [Fact]
    public async Task Deliver_PasswordWithoutTls_RefusedWithoutSendingIt()
    {
        var outcome = await DeliverAsync(Delivery(channel: ChannelKind.Email, recipient: "ana@example.com"), Plain() with { Username = "ops" }, "pw");

        Assert.False(outcome.Delivered);
        Assert.True(outcome.Permanent);
        Assert.Contains("without TLS", outcome.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Commands, c => c.StartsWith("AUTH", StringComparison.Ordinal));
        Assert.Empty(server.Messages);
    }

    [Fact]
    public async Task Deliver_StartTlsRequiredButNotOffered_Refused()
    {
        var outcome = await DeliverAsync(Delivery(channel: ChannelKind.Email, recipient: "ana@example.com"), Plain() with { Security = SmtpSecurity.StartTls });

        Assert.True(outcome.Permanent);
        Assert.Contains("STARTTLS", outcome.Error, StringComparison.Ordinal);
        Assert.Empty(server.Messages);
    }

    [Theory]
    [InlineData("451 4.3.0 mailbox busy, try later", false)]
    [InlineData("550 5.1.1 no such user", true)]
    public async Task Deliver_RecipientRefused_TransientIsRetriedPermanentIsNot(string reply, bool permanent)
    {
        server.RcptReply = reply;

        var outcome = await DeliverAsync(Delivery(channel: ChannelKind.Email, recipient: "ana@example.com"), Plain());

        Assert.False(outcome.Delivered);
        Assert.Equal(permanent, outcome.Permanent);
        Assert.Contains(reply[..3], outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliver_NobodyListening_IsRetried()
    {
        var port = server.Port;
        await server.DisposeAsync();

        var outcome = await DeliverAsync(Delivery(channel: ChannelKind.Email, recipient: "ana@example.com"), Plain() with { Port = port });

        Assert.False(outcome.Delivered);
        Assert.False(outcome.Permanent);
        server = new TestSmtpServer();
    }

    [Fact]
    public void EncodeWords_LongMixedScriptText_SplitsOnWholeCharactersIntoShortWords()
    {
        var text = string.Concat(Enumerable.Repeat("Ünïcödé 退款 🚨 ", 12));

        var encoded = MimeWriter.EncodeWords(text);

        Assert.All(encoded.Split("\r\n "), word => Assert.True(word.Length <= 75, word));
        Assert.Equal(text, MimeParts.DecodeWords(encoded));
    }

    [Fact]
    public void QuotedPrintable_RoundTripsAndKeepsLinesShort()
    {
        var text = "a=b  trailing space \n" + new string('x', 200) + "\nÉté → 夏 🚀\n.dot";

        var encoded = MimeWriter.QuotedPrintable(text);

        Assert.All(encoded.Split("\r\n"), line => Assert.True(line.Length <= 76, line));
        Assert.Contains("a=3Db  trailing space=20", encoded, StringComparison.Ordinal);
        Assert.Equal(text, MimeParts.DecodeQuotedPrintable(encoded));
    }

    [Fact]
    public void DotStuff_DoublesLeadingDotsAndEndsWithCrlf()
    {
        Assert.Equal("..a\r\nb\r\n...\r\n", SmtpSender.DotStuff(".a\nb\r\n.."));
    }

    private ChannelSettings Plain() => new(Host: "127.0.0.1", Port: server.Port, Security: SmtpSecurity.None, From: "alerts@firebreak.test");

    private static Task<DeliveryOutcome> DeliverAsync(AlertDelivery delivery, ChannelSettings settings, string? password = null) =>
        new EmailChannel(new SmtpSender(), new FixedClock(Now)).DeliverAsync(delivery, Target(ChannelKind.Email, settings), password, CancellationToken.None);
}
