namespace Firebreak.Tests.Shared;

using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

/// <summary>One message as the server received it.</summary>
/// <param name="From">MAIL FROM address.</param>
/// <param name="Recipients">RCPT TO addresses.</param>
/// <param name="Data">The message after removing the transparency dots (what the sender meant).</param>
/// <param name="WireLines">The DATA lines exactly as they came over the wire (dots still doubled).</param>
/// <param name="Secure">Whether the session was under TLS when the message was sent.</param>
/// <param name="AuthUser">Who authenticated, if anyone.</param>
/// <param name="AuthPassword">With which password.</param>
public sealed record ReceivedMail(string From, IReadOnlyList<string> Recipients, string Data, IReadOnlyList<string> WireLines, bool Secure, string? AuthUser, string? AuthPassword);

/// <summary>
/// A small real SMTP server on a loopback port, speaking enough of RFC 5321 for the client under test: EHLO/HELO,
/// STARTTLS (when given a certificate), AUTH PLAIN and LOGIN, MAIL, RCPT, DATA (dot-transparency undone), RSET, NOOP,
/// QUIT. It records every message and can be told to answer RCPT with a given code.
/// </summary>
public sealed class TestSmtpServer : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly Task accepting;
    private readonly X509Certificate2? certificate;
    private readonly string[] authMechanisms;

    public TestSmtpServer(X509Certificate2? certificate = null, string[]? authMechanisms = null)
    {
        this.certificate = certificate;
        this.authMechanisms = authMechanisms ?? ["PLAIN", "LOGIN"];
        listener.Start();
        accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public ConcurrentQueue<ReceivedMail> Messages { get; } = new();

    /// <summary>Every command line received (AUTH payloads included), for asserting what was (not) said.</summary>
    public ConcurrentQueue<string> Commands { get; } = new();

    /// <summary>When set, RCPT TO is answered with this reply ("451 4.3.0 try later", "550 5.1.1 no such user").</summary>
    public string? RcptReply { get; set; }

    /// <summary>A self-signed certificate for "localhost" and 127.0.0.1.</summary>
    public static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var created = request.CreateSelfSigned(TimeProvider.System.GetUtcNow().AddDays(-1), TimeProvider.System.GetUtcNow().AddDays(7));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }

    /// <summary>Waits until <paramref name="count"/> messages arrived (or fails after the timeout).</summary>
    public async Task<ReceivedMail[]> WaitForAsync(int count, TimeSpan? timeout = null)
    {
        await Poll.UntilAsync(() => Messages.Count >= count, timeout ?? TimeSpan.FromSeconds(20), () => $"expected {count} messages, got {Messages.Count}");
        return [.. Messages];
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        try
        {
            await accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            var client = await listener.AcceptTcpClientAsync(stop.Token);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        Stream stream = client.GetStream();
        var session = new Lines(stream);
        string? from = null;
        var recipients = new List<string>();
        string? user = null;
        string? password = null;
        try
        {
            await session.WriteAsync("220 localhost test SMTP ready");
            while (await session.ReadLineAsync() is { } line)
            {
                Commands.Enqueue(line);
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                    case "HELO":
                        var capabilities = new List<string> { "localhost greets you", "8BITMIME", "SMTPUTF8" };
                        if (certificate is not null && stream is not SslStream)
                        {
                            capabilities.Add("STARTTLS");
                        }

                        if (authMechanisms.Length > 0)
                        {
                            capabilities.Add("AUTH " + string.Join(' ', authMechanisms));
                        }

                        for (var i = 0; i < capabilities.Count; i++)
                        {
                            await session.WriteAsync($"250{(i < capabilities.Count - 1 ? "-" : " ")}{capabilities[i]}");
                        }

                        break;
                    case "STARTTLS":
                        await session.WriteAsync("220 2.0.0 go ahead");
                        var tls = new SslStream(stream);
                        await tls.AuthenticateAsServerAsync(certificate!);
                        stream = tls;
                        session = new Lines(stream);
                        break;
                    case "AUTH":
                        var parts = line.Split(' ');
                        if (parts[1].Equals("PLAIN", StringComparison.OrdinalIgnoreCase))
                        {
                            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(parts[2])).Split('\0');
                            (user, password) = (decoded[1], decoded[2]);
                        }
                        else
                        {
                            await session.WriteAsync("334 VXNlcm5hbWU6");
                            user = Encoding.UTF8.GetString(Convert.FromBase64String(await session.ReadLineAsync() ?? string.Empty));
                            await session.WriteAsync("334 UGFzc3dvcmQ6");
                            password = Encoding.UTF8.GetString(Convert.FromBase64String(await session.ReadLineAsync() ?? string.Empty));
                        }

                        await session.WriteAsync("235 2.7.0 authenticated");
                        break;
                    case "MAIL":
                        from = Between(line, '<', '>');
                        recipients.Clear();
                        await session.WriteAsync("250 2.1.0 ok");
                        break;
                    case "RCPT":
                        if (RcptReply is { } reply)
                        {
                            await session.WriteAsync(reply);
                            break;
                        }

                        recipients.Add(Between(line, '<', '>'));
                        await session.WriteAsync("250 2.1.5 ok");
                        break;
                    case "DATA":
                        await session.WriteAsync("354 end with <CRLF>.<CRLF>");
                        var wire = new List<string>();
                        var data = new StringBuilder();
                        while (await session.ReadLineAsync() is { } dataLine && dataLine != ".")
                        {
                            wire.Add(dataLine);
                            data.Append(dataLine.StartsWith('.') ? dataLine[1..] : dataLine).Append("\r\n");
                        }

                        Messages.Enqueue(new ReceivedMail(from ?? string.Empty, [.. recipients], data.ToString(), wire, stream is SslStream, user, password));
                        await session.WriteAsync("250 2.0.0 queued");
                        break;
                    case "RSET":
                    case "NOOP":
                        await session.WriteAsync("250 ok");
                        break;
                    case "QUIT":
                        await session.WriteAsync("221 bye");
                        return;
                    default:
                        await session.WriteAsync("502 5.5.2 not implemented");
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or System.Security.Authentication.AuthenticationException)
        {
            // The client hung up or the handshake failed; the test looks at what was recorded.
        }
    }

    private static string Between(string line, char open, char close)
    {
        var start = line.IndexOf(open) + 1;
        return line[start..line.IndexOf(close, start)];
    }

    /// <summary>CRLF lines in UTF-8, without read-ahead beyond the stream's own (STARTTLS swaps the stream).</summary>
    private sealed class Lines(Stream stream)
    {
        public async Task WriteAsync(string line)
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\r\n"));
            await stream.FlushAsync();
        }

        public async Task<string?> ReadLineAsync()
        {
            var bytes = new List<byte>();
            var one = new byte[1];
            while (true)
            {
                if (await stream.ReadAsync(one) == 0)
                {
                    return bytes.Count == 0 ? null : Encoding.UTF8.GetString([.. bytes]);
                }

                if (one[0] == '\n')
                {
                    return Encoding.UTF8.GetString([.. bytes]).TrimEnd('\r');
                }

                bytes.Add(one[0]);
            }
        }
    }
}
