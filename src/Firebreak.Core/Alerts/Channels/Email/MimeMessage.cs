namespace Firebreak.Core.Alerts.Channels.Email;

using System.Globalization;
using System.Text;

/// <summary>An e-mail address with an optional display name.</summary>
public sealed record EmailAddress(string Address, string? Name = null);

/// <summary>A text + HTML alternative e-mail, before it is written out as MIME.</summary>
public sealed record EmailMessage(
    EmailAddress From,
    EmailAddress To,
    string Subject,
    string Text,
    string Html,
    string MessageId,
    DateTimeOffset Date,
    IReadOnlyList<KeyValuePair<string, string>> ExtraHeaders);

/// <summary>
/// Writes an <see cref="EmailMessage"/> as RFC 5322 / MIME text with CRLF line ends: headers in ASCII (display
/// names and subjects outside printable ASCII as RFC 2047 encoded-words, folded so no line passes 78 characters),
/// a multipart/alternative body with a text/plain and a text/html part, both UTF-8 in quoted-printable, so every
/// line is short 7-bit ASCII whatever the script. Header values lose any CR or LF (no header injection).
/// </summary>
public static class MimeWriter
{
    private const int MaxEncodedWordBytes = 45; // 45 bytes → 60 base64 chars; "=?utf-8?B?" + 60 + "?=" = 72 ≤ 75.

    public static string Write(EmailMessage message, string boundary)
    {
        var mime = new StringBuilder(4096);
        Header(mime, "Date", message.Date.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture));
        mime.Append("From: ").Append(Address(message.From, "From: ".Length)).Append("\r\n");
        mime.Append("To: ").Append(Address(message.To, "To: ".Length)).Append("\r\n");
        mime.Append("Subject: ").Append(Unstructured(message.Subject, "Subject: ".Length)).Append("\r\n");
        Header(mime, "Message-ID", "<" + Clean(message.MessageId) + ">");
        Header(mime, "MIME-Version", "1.0");
        // RFC 3834: machine-sent, so auto-responders (out of office) do not answer it.
        Header(mime, "Auto-Submitted", "auto-generated");
        foreach (var (name, value) in message.ExtraHeaders)
        {
            Header(mime, name, value);
        }

        mime.Append("Content-Type: multipart/alternative;\r\n boundary=\"").Append(Clean(boundary)).Append("\"\r\n");
        mime.Append("\r\n");
        Part(mime, boundary, "text/plain", message.Text);
        Part(mime, boundary, "text/html", message.Html);
        mime.Append("--").Append(boundary).Append("--\r\n");
        return mime.ToString();
    }

    /// <summary>
    /// The text as RFC 2047 encoded-words, one per line after the first; <paramref name="used"/> is how much of the
    /// first line the header name already takes, so that line stays within 78 characters too.
    /// </summary>
    public static string EncodeWords(string text, int used = 0)
    {
        var words = new List<string>();
        var bytes = new List<byte>(MaxEncodedWordBytes);
        Span<byte> buffer = stackalloc byte[4];
        // "=?utf-8?B?" + base64 + "?=" within 76 characters after what the line already holds (and a space).
        var budget = Math.Clamp((76 - used - 12) / 4 * 3, 3, MaxEncodedWordBytes);
        foreach (var rune in text.EnumerateRunes())
        {
            var length = rune.EncodeToUtf8(buffer);
            if (bytes.Count + length > (words.Count == 0 ? budget : MaxEncodedWordBytes))
            {
                words.Add(Word(bytes));
                bytes.Clear();
            }

            // A rune is never split between two words: each word must decode on its own.
            for (var i = 0; i < length; i++)
            {
                bytes.Add(buffer[i]);
            }
        }

        if (bytes.Count > 0)
        {
            words.Add(Word(bytes));
        }

        // Linear white space between encoded-words is dropped by decoders, so folding here adds nothing to the text.
        return string.Join("\r\n ", words);
    }

    /// <summary>Quoted-printable (RFC 2045 §6.7) of UTF-8 text, CRLF line ends, lines of at most 76 characters.</summary>
    public static string QuotedPrintable(string text)
    {
        var output = new StringBuilder(text.Length + 64);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var l = 0; l < lines.Length; l++)
        {
            var bytes = Encoding.UTF8.GetBytes(lines[l]);
            var column = 0;
            for (var i = 0; i < bytes.Length; i++)
            {
                var b = bytes[i];
                var last = i == bytes.Length - 1;
                // Trailing spaces would be stripped by relays, and '=' starts an escape: both are encoded.
                var literal = (b is >= 33 and <= 126 && b != (byte)'=') || (b is (byte)' ' or (byte)'\t' && !last);
                var token = literal ? ((char)b).ToString() : "=" + b.ToString("X2", CultureInfo.InvariantCulture);
                // Leave room for the soft break '=' unless this is the line's last token.
                if (column + token.Length > (last ? 76 : 75))
                {
                    output.Append("=\r\n");
                    column = 0;
                }

                output.Append(token);
                column += token.Length;
            }

            if (l < lines.Length - 1)
            {
                output.Append("\r\n");
            }
        }

        return output.ToString();
    }

    private static void Part(StringBuilder mime, string boundary, string type, string content)
    {
        mime.Append("--").Append(boundary).Append("\r\n");
        mime.Append("Content-Type: ").Append(type).Append("; charset=utf-8\r\n");
        mime.Append("Content-Transfer-Encoding: quoted-printable\r\n\r\n");
        mime.Append(QuotedPrintable(content)).Append("\r\n");
    }

    private static void Header(StringBuilder mime, string name, string value) =>
        mime.Append(name).Append(": ").Append(Clean(value)).Append("\r\n");

    /// <summary>Name &lt;address&gt;, the name quoted or encoded as it needs.</summary>
    private static string Address(EmailAddress address, int used)
    {
        var mailbox = "<" + Clean(address.Address) + ">";
        if (string.IsNullOrWhiteSpace(address.Name))
        {
            return mailbox;
        }

        var name = AlertText.OneLine(address.Name).Trim();
        if (!IsPrintableAscii(name))
        {
            return EncodeWords(name, used) + "\r\n " + mailbox;
        }

        return "\"" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\" " + mailbox;
    }

    /// <summary>An unstructured header (Subject): printable ASCII is folded at spaces; anything else becomes encoded-words.</summary>
    private static string Unstructured(string text, int used)
    {
        text = AlertText.OneLine(text).Trim();
        if (!IsPrintableAscii(text))
        {
            return EncodeWords(text, used);
        }

        var folded = new StringBuilder(text.Length + 8);
        var column = used;
        foreach (var word in text.Split(' '))
        {
            if (column > used && column + 1 + word.Length > 78)
            {
                folded.Append("\r\n");
                column = 0;
            }

            if (folded.Length > 0 || column > used)
            {
                folded.Append(' ');
                column++;
            }

            folded.Append(word);
            column += word.Length;
        }

        return folded.ToString();
    }

    private static string Word(List<byte> bytes) => "=?utf-8?B?" + Convert.ToBase64String([.. bytes]) + "?=";

    private static bool IsPrintableAscii(string text) => text.All(c => c is >= ' ' and <= '~');

    private static string Clean(string value) => value.Replace("\r", string.Empty, StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal);
}
