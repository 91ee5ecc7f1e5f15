namespace Firebreak.Storage.Tests.Connectors;

using System.Text;
using Firebreak.Core.Connectors;
using Firebreak.Core.Connectors.Feeds;
using Firebreak.Core.Mentions;
using Firebreak.Core.Workspaces;
using Microsoft.AspNetCore.Http;

public sealed class FeedConnectorTests : IAsyncLifetime
{
    private const string Rss = """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
          <channel>
            <title>Travel Desk</title>
            <link>https://news.example/travel</link>
            <description>Travel news</description>
            <language>en-gb</language>
            <item>
              <title>Aurora Air grounds fleet after IT failure</title>
              <link>https://news.example/travel/aurora-grounded</link>
              <guid isPermaLink="false">news-example-88121</guid>
              <pubDate>Mon, 03 Mar 2025 09:15:00 GMT</pubDate>
              <dc:creator>Jo Reporter</dc:creator>
              <description><![CDATA[<p>Thousands stranded at <b>Gatwick</b> &amp; Heathrow.</p><script>alert(1)</script>]]></description>
            </item>
            <item>
              <title>Aurora Air: refunds "within 14 days"</title>
              <link>https://news.example/travel/aurora-refunds</link>
              <guid>https://news.example/travel/aurora-refunds</guid>
              <pubDate>Mon, 03 Mar 2025 10:40:00 +0100</pubDate>
              <description>&lt;p&gt;The airline said refunds &amp;amp; vouchers&lt;/p&gt;</description>
            </item>
          </channel>
        </rss>
        """;

    private const string Atom = """
        <?xml version="1.0" encoding="utf-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom">
          <title>Aviation Weekly</title>
          <id>urn:uuid:60a76c80-d399-11d9-b91C-0003939e0af6</id>
          <updated>2025-03-03T11:00:00Z</updated>
          <entry>
            <title type="html">Aurora &lt;em&gt;chaos&lt;/em&gt; continues</title>
            <link rel="alternate" href="https://aviation.example/2025/03/aurora"/>
            <link rel="edit" href="https://aviation.example/edit/1"/>
            <id>tag:aviation.example,2025-03-03:/aurora</id>
            <published>2025-03-03T10:59:08+02:00</published>
            <updated>2025-03-03T11:00:00Z</updated>
            <author><name>Sam Writer</name></author>
            <summary type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Day two of cancellations.</p></div></summary>
          </entry>
        </feed>
        """;

    private ConnectorRig rig = null!;
    private StubServer stub = null!;

    public async Task InitializeAsync()
    {
        rig = await ConnectorRig.OpenAsync();
        stub = await StubServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await stub.DisposeAsync();
        await rig.DisposeAsync();
    }

    private Task<Source> FeedAsync(string path) => rig.SourceAsync(Platform.News, SourceKind.Feed, new Uri(stub.BaseUri, path).ToString());

    private static Task XmlAsync(HttpContext context, string xml, string type = "application/rss+xml")
    {
        context.Response.ContentType = type;
        return context.Response.WriteAsync(xml);
    }

    [Fact]
    public async Task Rss_ItemsWithGuidsRfc822DatesAndTextOnly_ThenConditionalGet304()
    {
        var source = await FeedAsync("/travel/rss");
        stub.Handler = context =>
        {
            if (context.Request.Headers.IfNoneMatch == "\"v1\"")
            {
                context.Response.StatusCode = 304;
                return Task.CompletedTask;
            }

            context.Response.Headers.ETag = "\"v1\"";
            context.Response.Headers.LastModified = "Mon, 03 Mar 2025 10:41:00 GMT";
            return XmlAsync(context, Rss);
        };

        var first = await rig.PassAsync(source);
        var second = await rig.PassAsync(source);

        Assert.Equal(2, first.Inserted);
        Assert.Equal(0, second.Received);
        Assert.Equal("\"v1\"", stub.Requests.Last().Headers["If-None-Match"]);
        Assert.Equal("Mon, 03 Mar 2025 10:41:00 GMT", stub.Requests.Last().Headers["If-Modified-Since"]);
        var rows = await rig.Store.RowsAsync("SELECT external_id, text, created_at, author_handle, platform, kind FROM mentions ORDER BY created_at");
        Assert.Equal("news-example-88121", rows[0][0]);
        Assert.Equal("Aurora Air grounds fleet after IT failure\nThousands stranded at Gatwick & Heathrow.", rows[0][1]);
        Assert.Equal(new DateTimeOffset(2025, 3, 3, 9, 15, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), rows[0][2]);
        Assert.Equal("Jo Reporter", rows[0][3]);
        Assert.Equal("news", rows[0][4]);
        Assert.Equal("news", rows[0][5]);
        Assert.Equal("https://news.example/travel/aurora-refunds", rows[1][0]);
        Assert.Equal("Aurora Air: refunds \"within 14 days\"\nThe airline said refunds & vouchers", rows[1][1]);
        Assert.Equal(new DateTimeOffset(2025, 3, 3, 9, 40, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), rows[1][2]);
    }

    [Fact]
    public async Task Atom_IdsRfc3339AlternateLinkAndXhtmlSummary()
    {
        var source = await FeedAsync("/aviation/atom");
        stub.Handler = context => XmlAsync(context, Atom, "application/atom+xml");

        var report = await rig.PassAsync(source);

        Assert.Equal(1, report.Inserted);
        var row = (await rig.Store.RowsAsync("SELECT external_id, text, url, created_at, author_handle FROM mentions")).Single();
        Assert.Equal("tag:aviation.example,2025-03-03:/aurora", row[0]);
        Assert.Equal("Aurora chaos continues\nDay two of cancellations.", row[1]);
        Assert.Equal("https://aviation.example/2025/03/aurora", row[2]);
        Assert.Equal(new DateTimeOffset(2025, 3, 3, 8, 59, 8, TimeSpan.Zero).ToUnixTimeMilliseconds(), row[3]);
        Assert.Equal("Sam Writer", row[4]);
    }

    [Fact]
    public void Parse_DoctypeWithExternalEntity_IsRefusedWithoutReadingTheFile()
    {
        var secret = Path.GetTempFileName();
        File.WriteAllText(secret, "TOP-SECRET-CONTENT");
        var xxe = $"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret}">]><rss version="2.0"><channel><title>t</title><item><guid>1</guid><title>&x;</title></item></channel></rss>""";

        var result = FeedParser.Parse(Encoding.UTF8.GetBytes(xxe), "https://evil.example/feed");

        Assert.Empty(result.Items);
        Assert.Contains("DTD", Assert.Single(result.Errors).Reason);
        File.Delete(secret);
    }

    [Fact]
    public async Task Truncated_KeepsTheItemsBeforeTheBreakAndSaysWhere()
    {
        var source = await FeedAsync("/travel/rss");
        var cut = Rss.IndexOf("<title>Aurora Air: refunds", StringComparison.Ordinal) + 20;
        stub.Handler = context => XmlAsync(context, Rss[..cut]);

        var report = await rig.PassAsync(source);

        Assert.Equal(1, report.Inserted);
        var error = Assert.Single(report.Errors);
        Assert.Equal("feeds", error.Connector);
        Assert.Contains("after item 2", error.Position);
        Assert.Equal(["news-example-88121"], await rig.StoredIdsAsync());
    }

    [Fact]
    public async Task Truncated_DoesNotStoreTheETag_SoTheNextPollReadsTheWholeFeedInsteadOfA304()
    {
        var source = await FeedAsync("/travel/rss");
        var cut = Rss.IndexOf("<title>Aurora Air: refunds", StringComparison.Ordinal) + 20;
        var served = 0;
        stub.Handler = context =>
        {
            if (context.Request.Headers.IfNoneMatch == "\"v1\"")
            {
                context.Response.StatusCode = 304;
                return Task.CompletedTask;
            }

            // The same version both times (the server's ETag), once cut short on the way.
            context.Response.Headers.ETag = "\"v1\"";
            return XmlAsync(context, served++ == 0 ? Rss[..cut] : Rss);
        };

        var broken = await rig.PassAsync(source);
        var healed = await rig.PassAsync(source);
        var unchanged = await rig.PassAsync(source);

        Assert.Equal(1, broken.Inserted);
        Assert.Single(broken.Errors);
        Assert.False(stub.Requests.ElementAt(1).Headers.ContainsKey("If-None-Match"), "the cut answer's ETag was stored");
        Assert.Equal(1, healed.Inserted);
        Assert.Equal(["https://news.example/travel/aurora-refunds", "news-example-88121"], await rig.StoredIdsAsync());
        Assert.Equal(0, unchanged.Received);
        Assert.Equal("\"v1\"", stub.Requests.ElementAt(2).Headers["If-None-Match"]);
    }

    [Fact]
    public async Task Errors_401_403_404_AndNotAFeed_AreToldApart()
    {
        var source = await FeedAsync("/f");
        var answers = new Queue<int>([401, 403, 404]);
        stub.Handler = context =>
        {
            if (answers.TryDequeue(out var status))
            {
                context.Response.StatusCode = status;
                return Task.CompletedTask;
            }

            return XmlAsync(context, "<html><body>Not a feed</body></html>", "text/html");
        };

        Assert.Equal(FailureKind.Revoked, (await rig.PassAsync(source)).Failure?.Kind);
        Assert.Equal(FailureKind.Forbidden, (await rig.PassAsync(source)).Failure?.Kind);
        Assert.Equal(FailureKind.Rejected, (await rig.PassAsync(source)).Failure?.Kind);
        var notFeed = await rig.PassAsync(source);
        Assert.Null(notFeed.Failure);
        Assert.Equal("neither an RSS 2.0 channel nor an Atom feed", Assert.Single(notFeed.Errors).Reason);
    }

    [Theory]
    [InlineData("Tue, 03 Jun 2003 09:39:21 GMT", "2003-06-03T09:39:21+00:00")]
    [InlineData("03 Jun 2003 09:39 EDT", "2003-06-03T13:39:00+00:00")]
    [InlineData("Tue, 3 Jun 03 09:39:21 +0530", "2003-06-03T04:09:21+00:00")]
    [InlineData("2003-06-03T09:39:21Z", "2003-06-03T09:39:21+00:00")]
    public void Rfc822_FeedDates(string text, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected), FeedParser.Rfc822(text));

    [Theory]
    [InlineData("<p>a < b &amp; c</p>", "a < b & c")]
    [InlineData("<p>one</p><p>two<br>three</p>", "one\ntwo\nthree")]
    [InlineData("<script>steal()</script>ok<style>p{}</style>", "ok")]
    [InlineData("<b unclosed", "<b unclosed")]
    [InlineData("&lt;script&gt;", "<script>")]
    public void HtmlText_IsTextOnly(string html, string text) => Assert.Equal(text, HtmlText.ToText(html));
}
