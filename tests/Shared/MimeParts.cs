using System.Text;
using System.Text.RegularExpressions;

namespace Firebreak.Tests.Shared;

/// <summary>Just enough of a MIME reader to check what the writer wrote: unfolded headers, decoded words and parts.</summary>
public sealed partial class MimeParts
{
    private MimeParts(Dictionary<string, string> headers, string text, string html)
    {
        Headers = headers;
        Text = text;
        Html = html;
    }

    /// <summary>Raw header values (unfolded, still encoded).</summary>
    public Dictionary<string, string> Headers { get; }

    public string Text { get; }

    public string Html { get; }

    public static MimeParts Parse(string message)
    {
        var split = message.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var headers = ParseHeaders(message[..split]);
        var boundary = BoundaryPattern().Match(headers["Content-Type"]).Groups[1].Value;
        string text = string.Empty, html = string.Empty;
        foreach (var part in message[(split + 4)..].Split("--" + boundary).Skip(1))
        {
            if (part.StartsWith("--", StringComparison.Ordinal))
            {
                break;
            }

            var body = part.TrimStart('\r', '\n');
            var end = body.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            var partHeaders = ParseHeaders(body[..end]);
            Assert.Equal("quoted-printable", partHeaders["Content-Transfer-Encoding"]);
            var content = DecodeQuotedPrintable(body[(end + 4)..].TrimEnd('\r', '\n'));
            if (partHeaders["Content-Type"].StartsWith("text/plain", StringComparison.Ordinal))
            {
                text = content;
            }
            else
            {
                html = content;
            }
        }

        return new MimeParts(headers, text, html);
    }

    /// <summary>RFC 2047: =?charset?B?…?= and =?charset?Q?…?= words, whitespace between adjacent words dropped.</summary>
    public static string DecodeWords(string value)
    {
        var joined = BetweenWords().Replace(value, "?==?");
        return EncodedWord().Replace(joined, m => m.Groups[2].Value.ToUpperInvariant() == "B"
            ? Encoding.UTF8.GetString(Convert.FromBase64String(m.Groups[3].Value))
            : DecodeQuotedPrintable(m.Groups[3].Value.Replace('_', ' ')));
    }

    public static string DecodeQuotedPrintable(string encoded)
    {
        var bytes = new List<byte>();
        var soft = encoded.Replace("=\r\n", string.Empty, StringComparison.Ordinal);
        for (var i = 0; i < soft.Length; i++)
        {
            if (soft[i] == '=' && i + 2 < soft.Length + 0 && Uri.IsHexDigit(soft[i + 1]) && Uri.IsHexDigit(soft[i + 2]))
            {
                bytes.Add(Convert.ToByte(soft.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(soft[i].ToString()));
            }
        }

        return Encoding.UTF8.GetString([.. bytes]).Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    private static Dictionary<string, string> ParseHeaders(string block)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var unfolded = block.Replace("\r\n ", " ", StringComparison.Ordinal).Replace("\r\n\t", " ", StringComparison.Ordinal);
        foreach (var line in unfolded.Split("\r\n"))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            Assert.True(colon > 0, $"not a header line: '{line}'");
            Assert.False(headers.ContainsKey(line[..colon]), $"header {line[..colon]} twice");
            headers[line[..colon]] = line[(colon + 1)..].Trim();
        }

        return headers;
    }

    [GeneratedRegex("boundary=\"([^\"]+)\"")]
    private static partial Regex BoundaryPattern();

    [GeneratedRegex(@"\?=\s+=\?")]
    private static partial Regex BetweenWords();

    [GeneratedRegex(@"=\?([^?]+)\?([BbQq])\?([^?]*)\?=")]
    private static partial Regex EncodedWord();
}
