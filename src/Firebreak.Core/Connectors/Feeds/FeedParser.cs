namespace Firebreak.Core.Connectors.Feeds;

using System.Globalization;
using System.Xml;
using Firebreak.Core.Ingestion;

/// <summary>
/// RSS 2.0 and Atom 1.0 (RFC 4287) to pipeline input. The XML reader prohibits DTDs and resolves nothing (no XXE, no
/// entity expansion bombs). Items are read one by one: a broken item is recorded with its line and column and the
/// items before it are kept. The external id is the guid (RSS) or id (Atom), else the link; dates are RFC 822 (RSS)
/// or RFC 3339 (Atom); HTML in descriptions is reduced to text.
/// </summary>
public static class FeedParser
{
    public const string Name = "feeds";
    private const string AtomNs = "http://www.w3.org/2005/Atom";

    /// <param name="Broken">The document itself was malformed or truncated: items after the break are unknown.</param>
    public sealed record Result(IReadOnlyList<MentionInput> Items, IReadOnlyList<ItemError> Errors, string? Title, bool Broken = false);

    public static Result Parse(byte[] xml, string feedUrl)
    {
        var items = new List<MentionInput>();
        var errors = new List<ItemError>();
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            MaxCharactersInDocument = 0,
        };
        string? title = null;
        var broken = false;
        using var stream = new MemoryStream(xml);
        using var reader = XmlReader.Create(stream, settings);
        var info = (IXmlLineInfo)reader;
        var position = "the start";
        var index = 0;
        try
        {
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element)
                {
                    continue;
                }

                var isRss = reader.LocalName == "item" && reader.NamespaceURI.Length == 0;
                var isAtom = reader.LocalName == "entry" && reader.NamespaceURI == AtomNs;
                if (title is null && reader.LocalName == "title" && reader.Depth <= 2)
                {
                    title = ElementText(reader).Trim();
                    continue;
                }

                if (!isRss && !isAtom)
                {
                    continue;
                }

                index++;
                position = $"item {index} (line {info.LineNumber}, column {info.LinePosition})";
                using var sub = reader.ReadSubtree();
                var fields = Fields(sub);
                var item = isRss ? Rss(fields, feedUrl) : Atom(fields, feedUrl);
                if (item.ExternalId is null)
                {
                    errors.Add(new ItemError(Name, position, "an item with neither guid/id nor link"));
                    continue;
                }

                items.Add(item);
            }
        }
        catch (XmlException e)
        {
            broken = true;
            errors.Add(new ItemError(Name, $"line {e.LineNumber}, column {e.LinePosition} (after {position})", $"malformed or truncated XML ({e.Message}); the {items.Count} complete items before it were kept"));
        }

        if (index == 0 && errors.Count == 0 && title is null)
        {
            errors.Add(new ItemError(Name, "the document", "neither an RSS 2.0 channel nor an Atom feed"));
        }

        return new Result(items, errors, title, broken);
    }

    private static Dictionary<string, string> Fields(XmlReader item)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        item.Read();
        while (item.Read())
        {
            if (item.NodeType != XmlNodeType.Element || item.Depth != 1)
            {
                continue;
            }

            var name = item.Prefix.Length > 0 ? $"{item.Prefix}:{item.LocalName}" : item.LocalName;
            if (name == "link" && item.GetAttribute("href") is { } href)
            {
                // Atom: the alternate link (or the first one) is the article.
                var rel = item.GetAttribute("rel");
                if (rel is null or "alternate" && !fields.ContainsKey("link"))
                {
                    fields["link"] = href;
                }

                continue;
            }

            if (name == "author" && item.NamespaceURI == AtomNs)
            {
                using var author = item.ReadSubtree();
                while (author.Read())
                {
                    if (author.NodeType == XmlNodeType.Element && author.LocalName == "name")
                    {
                        fields["author"] = ElementText(author);
                        break;
                    }
                }

                continue;
            }

            fields.TryAdd(name, ElementText(item));
        }

        return fields;
    }

    /// <summary>
    /// The text of an element: text and CDATA nodes (an RSS description's HTML arrives as either), and the text inside child
    /// elements (Atom type="xhtml" content), without their tags. Leaves the reader on the element's end.
    /// </summary>
    private static string ElementText(XmlReader reader)
    {
        var text = new System.Text.StringBuilder();
        using var sub = reader.ReadSubtree();
        sub.Read();
        while (sub.Read())
        {
            if (sub.NodeType is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace)
            {
                text.Append(sub.Value);
            }
            else if (sub.NodeType == XmlNodeType.Element && text.Length > 0)
            {
                text.Append(' ');
            }
        }

        return text.ToString();
    }

    private static MentionInput Rss(Dictionary<string, string> f, string feedUrl)
    {
        var link = Get(f, "link");
        return new MentionInput
        {
            Platform = "news",
            Kind = "news",
            ExternalId = Get(f, "guid") ?? link,
            Text = Join(Get(f, "title"), HtmlText.ToText(Get(f, "description") ?? Get(f, "content:encoded"))),
            Url = link,
            CreatedAt = Rfc822(Get(f, "pubDate")) ?? Rfc3339(Get(f, "dc:date")),
            Author = new AuthorInput { Handle = Get(f, "author") ?? Get(f, "dc:creator") ?? Host(feedUrl) },
            Language = Get(f, "dc:language"),
        };
    }

    private static MentionInput Atom(Dictionary<string, string> f, string feedUrl) => new()
    {
        Platform = "news",
        Kind = "news",
        ExternalId = Get(f, "id") ?? Get(f, "link"),
        Text = Join(HtmlText.ToText(Get(f, "title")), HtmlText.ToText(Get(f, "summary") ?? Get(f, "content"))),
        Url = Get(f, "link"),
        CreatedAt = Rfc3339(Get(f, "published")) ?? Rfc3339(Get(f, "updated")),
        Author = new AuthorInput { Handle = Get(f, "author") ?? Host(feedUrl) },
    };

    private static string? Get(Dictionary<string, string> f, string name) => f.TryGetValue(name, out var v) && v.Trim().Length > 0 ? v.Trim() : null;

    private static string Join(string? title, string? body) =>
        string.IsNullOrEmpty(body) ? title ?? string.Empty : string.IsNullOrEmpty(title) ? body : title + "\n" + body;

    private static string Host(string url) => Uri.TryCreate(url, UriKind.Absolute, out var u) ? u.Host : url;

    /// <summary>RFC 822 dates as feeds write them: "Tue, 03 Jun 2003 09:39:21 GMT", "+0200", the US zones, no weekday, 2-digit years.</summary>
    public static DateTimeOffset? Rfc822(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var t = text.Trim();
        var comma = t.IndexOf(',');
        if (comma >= 0)
        {
            t = t[(comma + 1)..].Trim();
        }

        var zones = new (string Name, string Offset)[] { ("GMT", "+0000"), ("UT", "+0000"), ("UTC", "+0000"), ("Z", "+0000"), ("EST", "-0500"), ("EDT", "-0400"), ("CST", "-0600"), ("CDT", "-0500"), ("MST", "-0700"), ("MDT", "-0600"), ("PST", "-0800"), ("PDT", "-0700") };
        foreach (var (name, offset) in zones)
        {
            if (t.EndsWith(" " + name, StringComparison.OrdinalIgnoreCase))
            {
                t = t[..^name.Length] + offset;
                break;
            }
        }

        string[] formats = ["d MMM yyyy HH:mm:ss zzz", "d MMM yyyy HH:mm zzz", "d MMM yy HH:mm:ss zzz", "d MMM yy HH:mm zzz"];
        t = System.Text.RegularExpressions.Regex.Replace(t, @"([+-]\d\d)(\d\d)$", "$1:$2");
        return DateTimeOffset.TryParseExact(t, formats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var at) ? at : Rfc3339(text);
    }

    public static DateTimeOffset? Rfc3339(string? text) =>
        text is not null && DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
}
