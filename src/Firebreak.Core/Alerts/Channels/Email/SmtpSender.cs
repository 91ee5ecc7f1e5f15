namespace Firebreak.Core.Alerts.Channels.Email;

using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;

/// <summary>An SMTP reply that was not the one expected. 4xx is transient (try later), 5xx is not.</summary>
public sealed class SmtpException(int code, string reply) : Exception($"SMTP {code}: {reply}")
{
    public int Code { get; } = code;

    public bool Transient => Code is >= 400 and < 500;
}

/// <summary>Where and how to submit mail.</summary>
/// <param name="Host">Server name (also the name its TLS certificate must carry).</param>
/// <param name="Port">25, 587 (STARTTLS) or 465 (TLS).</param>
/// <param name="Security">Plain, STARTTLS or implicit TLS.</param>
/// <param name="Username">AUTH user, or null for no authentication.</param>
/// <param name="Password">AUTH password.</param>
/// <param name="AllowPlaintextAuth">Allow AUTH without TLS (a relay on loopback); off by default.</param>
public sealed record SmtpServer(string Host, int Port, SmtpSecurity Security, string? Username, string? Password, bool AllowPlaintextAuth);

/// <summary>
/// A minimal SMTP submission client on a socket (RFC 5321): EHLO, optional STARTTLS (RFC 3207) or implicit TLS,
/// AUTH PLAIN or LOGIN, MAIL FROM, RCPT TO, DATA with dot-stuffing, QUIT. One connection per message: alerts are
/// rare and a fresh connection never inherits a broken one. A password is never sent over a connection that is not
/// TLS unless <see cref="SmtpServer.AllowPlaintextAuth"/> says so.
/// </summary>
public sealed class SmtpSender(RemoteCertificateValidationCallback? certificateValidation = null, string localName = "firebreak")
{
    private const int MaxReplyLines = 100;
    private const int MaxLineBytes = 4096;

    /// <summary>Sends one message (already MIME text with CRLF line ends) to the recipients.</summary>
    public async Task SendAsync(SmtpServer server, string from, IReadOnlyList<string> recipients, string message, CancellationToken cancellationToken)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port, cancellationToken).ConfigureAwait(false);
        Stream stream = tcp.GetStream();
        try
        {
            if (server.Security == SmtpSecurity.Tls)
            {
                stream = await TlsAsync(stream, server.Host, cancellationToken).ConfigureAwait(false);
            }

            var session = new Session(stream);
            await session.ExpectAsync(220, cancellationToken).ConfigureAwait(false);
            var capabilities = await session.EhloAsync(localName, cancellationToken).ConfigureAwait(false);
            if (server.Security == SmtpSecurity.StartTls)
            {
                if (!capabilities.ContainsKey("STARTTLS"))
                {
                    throw new SmtpException(554, "the server does not offer STARTTLS, which this channel requires");
                }

                await session.CommandAsync("STARTTLS", 220, cancellationToken).ConfigureAwait(false);
                // Anything the server sent after its 220 would have been injected before the handshake (a known
                // STARTTLS attack); the session refuses to go on if such bytes are waiting.
                session.EnsureNothingBuffered();
                stream = await TlsAsync(stream, server.Host, cancellationToken).ConfigureAwait(false);
                session = new Session(stream);
                capabilities = await session.EhloAsync(localName, cancellationToken).ConfigureAwait(false);
            }

            if (server.Username is { Length: > 0 } user)
            {
                if (stream is not SslStream && !server.AllowPlaintextAuth)
                {
                    throw new SmtpException(530, "refusing to send the password over a connection without TLS (set security to startTls or tls)");
                }

                await AuthenticateAsync(session, capabilities, user, server.Password ?? string.Empty, cancellationToken).ConfigureAwait(false);
            }

            var utf8 = !IsAscii(from) || recipients.Any(r => !IsAscii(r));
            if (utf8 && !capabilities.ContainsKey("SMTPUTF8"))
            {
                throw new SmtpException(553, "an address is not ASCII and the server does not offer SMTPUTF8");
            }

            await session.CommandAsync($"MAIL FROM:<{from}>{(utf8 ? " SMTPUTF8" : string.Empty)}", 250, cancellationToken).ConfigureAwait(false);
            foreach (var recipient in recipients)
            {
                await session.CommandAsync($"RCPT TO:<{recipient}>", 250, cancellationToken, alsoOk: 251).ConfigureAwait(false);
            }

            await session.CommandAsync("DATA", 354, cancellationToken).ConfigureAwait(false);
            await session.WriteAsync(DotStuff(message) + ".\r\n", cancellationToken).ConfigureAwait(false);
            await session.ExpectAsync(250, cancellationToken).ConfigureAwait(false);
            try
            {
                await session.CommandAsync("QUIT", 221, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SmtpException)
            {
                // The message was accepted at the DATA reply; a server that hangs up early changes nothing.
            }
        }
        finally
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// RFC 5321 §4.5.2: a line starting with '.' gets another '.', so no line of the message can end the DATA
    /// early. Also makes every line end with CRLF (the message must end with one before the final ".").
    /// </summary>
    public static string DotStuff(string message)
    {
        var lines = message.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var count = lines.Length > 0 && lines[^1].Length == 0 ? lines.Length - 1 : lines.Length;
        var stuffed = new StringBuilder(message.Length + 64);
        for (var i = 0; i < count; i++)
        {
            if (lines[i].StartsWith('.'))
            {
                stuffed.Append('.');
            }

            stuffed.Append(lines[i]).Append("\r\n");
        }

        return stuffed.ToString();
    }

    private static async Task AuthenticateAsync(Session session, Dictionary<string, string> capabilities, string user, string password, CancellationToken cancellationToken)
    {
        var mechanisms = capabilities.TryGetValue("AUTH", out var list) ? list.Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];
        if (mechanisms.Contains("PLAIN", StringComparer.OrdinalIgnoreCase))
        {
            var token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{user}\0{password}"));
            await session.CommandAsync("AUTH PLAIN " + token, 235, cancellationToken, secret: true).ConfigureAwait(false);
        }
        else if (mechanisms.Contains("LOGIN", StringComparer.OrdinalIgnoreCase))
        {
            await session.CommandAsync("AUTH LOGIN", 334, cancellationToken).ConfigureAwait(false);
            await session.CommandAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(user)), 334, cancellationToken, secret: true).ConfigureAwait(false);
            await session.CommandAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(password)), 235, cancellationToken, secret: true).ConfigureAwait(false);
        }
        else
        {
            throw new SmtpException(504, "the server offers neither AUTH PLAIN nor AUTH LOGIN");
        }
    }

    private async Task<SslStream> TlsAsync(Stream inner, string host, CancellationToken cancellationToken)
    {
        var tls = new SslStream(inner, leaveInnerStreamOpen: false, certificateValidation);
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = host }, cancellationToken).ConfigureAwait(false);
        }
        catch (AuthenticationException e)
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            throw new SmtpException(554, "TLS handshake failed: " + e.Message);
        }

        return tls;
    }

    private static bool IsAscii(string text) => text.All(char.IsAscii);

    /// <summary>Reads replies (multi-line "250-…" up to "250 …") and writes commands on one stream.</summary>
    private sealed class Session(Stream stream)
    {
        private readonly byte[] buffer = new byte[8192];
        private int start;
        private int end;

        public async Task<Dictionary<string, string>> EhloAsync(string name, CancellationToken cancellationToken)
        {
            var lines = await CommandAsync("EHLO " + name, 250, cancellationToken).ConfigureAwait(false);
            // The first line greets; each further one is a keyword and its parameters ("AUTH PLAIN LOGIN").
            var capabilities = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var line in lines.Skip(1))
            {
                var space = line.IndexOf(' ', StringComparison.Ordinal);
                capabilities[space < 0 ? line : line[..space]] = space < 0 ? string.Empty : line[(space + 1)..];
            }

            return capabilities;
        }

        public async Task<List<string>> CommandAsync(string command, int expected, CancellationToken cancellationToken, int alsoOk = 0, bool secret = false)
        {
            await WriteAsync(command + "\r\n", cancellationToken).ConfigureAwait(false);
            return await ExpectAsync(expected, cancellationToken, alsoOk, secret ? "AUTH" : command).ConfigureAwait(false);
        }

        public async Task<List<string>> ExpectAsync(int expected, CancellationToken cancellationToken, int alsoOk = 0, string? after = null)
        {
            var (code, lines) = await ReadReplyAsync(cancellationToken).ConfigureAwait(false);
            if (code != expected && (alsoOk == 0 || code != alsoOk))
            {
                throw new SmtpException(code, $"{string.Join(" ", lines)}{(after is null ? string.Empty : $" (after {Describe(after)})")}");
            }

            return lines;
        }

        public async Task WriteAsync(string text, CancellationToken cancellationToken)
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        public void EnsureNothingBuffered()
        {
            if (end > start)
            {
                throw new SmtpException(554, "the server sent data before the TLS handshake; refusing to continue");
            }
        }

        private static string Describe(string command) => command.StartsWith("AUTH", StringComparison.Ordinal) ? "AUTH" : command.Split(':', 2)[0];

        private async Task<(int Code, List<string> Lines)> ReadReplyAsync(CancellationToken cancellationToken)
        {
            var lines = new List<string>();
            while (lines.Count < MaxReplyLines)
            {
                var line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
                if (line.Length < 3 || !int.TryParse(line.AsSpan(0, 3), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var code))
                {
                    throw new IOException($"not an SMTP reply: '{AlertText.Truncate(line, 80)}'");
                }

                lines.Add(line.Length > 4 ? line[4..] : string.Empty);
                if (line.Length == 3 || line[3] != '-')
                {
                    return (code, lines);
                }
            }

            throw new IOException("SMTP reply with too many lines");
        }

        private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                var newline = Array.IndexOf(buffer, (byte)'\n', start, end - start);
                if (newline >= 0)
                {
                    var line = Encoding.UTF8.GetString(buffer, start, newline - start).TrimEnd('\r');
                    start = newline + 1;
                    return line;
                }

                if (end - start >= MaxLineBytes)
                {
                    throw new IOException("SMTP reply line too long");
                }

                if (start > 0)
                {
                    Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                }

                var read = await stream.ReadAsync(buffer.AsMemory(end), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new IOException("the SMTP server closed the connection");
                }

                end += read;
            }
        }
    }
}
