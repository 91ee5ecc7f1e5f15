namespace Firebreak.Core.Publishing.Posts;

using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

/// <summary>
/// Looks for links a careful person would not post from a brand account: look-alike (IDN homograph) domains, links
/// whose shown text names another domain, raw IP addresses, URL shorteners that hide the destination, plain http.
/// </summary>
public static partial class LinkInspector
{
    private static readonly HashSet<string> Shorteners = new(StringComparer.OrdinalIgnoreCase)
    {
        "bit.ly", "t.co", "tinyurl.com", "goo.gl", "ow.ly", "is.gd", "buff.ly", "rebrand.ly", "cutt.ly", "shorturl.at",
        "tiny.cc", "t.ly", "rb.gy", "s.id", "v.gd", "bl.ink", "lnkd.in", "soo.gd", "x.co", "trib.al",
    };

    private static readonly IdnMapping Idn = new() { AllowUnassigned = false, UseStd3AsciiRules = true };

    /// <summary>Findings for the links in <paramref name="text"/> and the attached <paramref name="links"/>.</summary>
    public static IEnumerable<PrePublishFinding> Inspect(string text, IEnumerable<string> links)
    {
        foreach (Match shown in LabelledLink().Matches(text))
        {
            var label = shown.Groups["label"].Value.Trim();
            if (Uri.TryCreate(shown.Groups["url"].Value, UriKind.Absolute, out var target) && LooksLikeDomain(label, out var labelHost)
                && !SameSite(labelHost, target.IdnHost))
            {
                yield return new PrePublishFinding(PrePublishLevel.Block, "link-mismatch", $"the link shows '{label}' but goes to {target.IdnHost}");
            }
        }

        foreach (var url in PlatformLimits.UrlsIn(text).Concat(links).Distinct(StringComparer.Ordinal))
        {
            var candidate = url.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? "https://" + url : url;
            if (!Uri.TryCreate(candidate, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            {
                yield return new PrePublishFinding(PrePublishLevel.Warn, "link-malformed", $"'{Clip(url)}' is not a valid link");
                continue;
            }

            foreach (var finding in InspectOne(uri))
            {
                yield return finding;
            }
        }
    }

    private static IEnumerable<PrePublishFinding> InspectOne(Uri uri)
    {
        var host = uri.IdnHost.TrimEnd('.');
        if (uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 || IPAddress.TryParse(host.Trim('[', ']'), out _))
        {
            yield return new PrePublishFinding(PrePublishLevel.Block, "link-ip-host", $"{Clip(uri.OriginalString)} points at a bare IP address, not a named site");
        }
        else if (host.Split('.').Any(label => label.StartsWith("xn--", StringComparison.OrdinalIgnoreCase)))
        {
            var unicode = Unicode(host);
            yield return MixedScripts(unicode)
                ? new PrePublishFinding(PrePublishLevel.Block, "link-homograph", $"{host} ('{unicode}') mixes alphabets, a common look-alike of a real domain")
                : new PrePublishFinding(PrePublishLevel.Warn, "link-idn", $"{host} is an international domain ('{unicode}'); make sure it is the intended site");
        }

        if (Shorteners.Contains(host) || Shorteners.Contains(host.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? host[4..] : host))
        {
            yield return new PrePublishFinding(PrePublishLevel.Warn, "link-shortener", $"{host} is a URL shortener that hides where the link goes; link to the destination");
        }

        if (uri.Scheme == Uri.UriSchemeHttp)
        {
            yield return new PrePublishFinding(PrePublishLevel.Warn, "link-http", $"{Clip(uri.OriginalString)} is not https");
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            yield return new PrePublishFinding(PrePublishLevel.Block, "link-userinfo", $"{Clip(uri.OriginalString)} hides its real host after an '@'");
        }
    }

    private static bool LooksLikeDomain(string label, out string host)
    {
        var candidate = label.Contains("://", StringComparison.Ordinal) ? label : "https://" + label;
        host = string.Empty;
        if (!label.Contains('.', StringComparison.Ordinal) || label.Contains(' ', StringComparison.Ordinal) || !Uri.TryCreate(candidate, UriKind.Absolute, out var uri))
        {
            return false;
        }

        host = uri.IdnHost;
        return true;
    }

    private static bool SameSite(string a, string b)
    {
        static string Bare(string h) => h.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? h[4..] : h;
        return string.Equals(Bare(a).TrimEnd('.'), Bare(b).TrimEnd('.'), StringComparison.OrdinalIgnoreCase);
    }

    private static string Unicode(string host)
    {
        try
        {
            return Idn.GetUnicode(host);
        }
        catch (ArgumentException)
        {
            return host;
        }
    }

    // Latin mixed with Cyrillic or Greek in one label is the classic homograph ("аpple.com" with a Cyrillic а).
    private static bool MixedScripts(string host) =>
        host.Split('.').Any(label =>
        {
            bool latin = false, cyrillic = false, greek = false;
            foreach (var c in label)
            {
                latin |= c is >= 'a' and <= 'z' or >= 'A' and <= 'Z';
                cyrillic |= c is >= '\u0400' and <= '\u04FF';
                greek |= c is >= '\u0370' and <= '\u03FF';
            }

            return (latin ? 1 : 0) + (cyrillic ? 1 : 0) + (greek ? 1 : 0) > 1 || (cyrillic && label.All(ch => ch is >= '\u0400' and <= '\u04FF' && "асеорхуіјѕԁԛԝ".Contains(ch)));
        });

    private static string Clip(string value) => value.Length <= 80 ? value : string.Concat(value.AsSpan(0, 79), "…");

    // Markdown-style [label](url) and "label <url>": the shown text and the real target can differ.
    [GeneratedRegex(@"\[(?<label>[^\]\r\n]{1,200})\]\((?<url>https?://[^\s)]+)\)|(?<label>[\w.-]+\.[a-z]{2,})\s*<(?<url>https?://[^\s>]+)>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex LabelledLink();
}
