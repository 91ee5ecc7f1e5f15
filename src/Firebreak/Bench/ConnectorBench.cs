using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Firebreak.Core.Connectors;
using Firebreak.Core.Connectors.Mastodon;
using Firebreak.Core.Connectors.X;
using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;
using Firebreak.Core.Publishing;
using Firebreak.Core.Workspaces;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Firebreak.Cli;

/// <summary>
/// `firebreak bench connectors`: listening throughput of the real connectors and mappers over HTTP on loopback. A
/// Kestrel stub in this process serves pre-built pages in the platforms' wire formats (X API v2 recent search, 100
/// tweets a page with <c>includes.users</c>; Mastodon hashtag timeline, 40 statuses a page), with mixed-script text
/// (emoji, Arabic, CJK, entities). Each pass catches up from a checkpoint through every page into a counting sink,
/// exactly as the runner drives a connector (the ingest pipeline is not included: `bench ingest` measures it).
/// Prints items/s, bytes allocated per item (the whole process, the stub's share included; and the parse + map step
/// alone on one thread) and the process's peak working set.
/// </summary>
internal static class ConnectorBench
{
    private const long MastodonBase = 113_000_000_000_000_000;

    public static Command Create()
    {
        var pages = new Option<int>("--pages") { Description = "Pages per catch-up pass (X: 100 tweets each; Mastodon: 40 statuses each)", DefaultValueFactory = _ => 50 };
        var passes = new Option<int>("--passes") { Description = "Measured passes per platform (after two warm-up passes)", DefaultValueFactory = _ => 20 };
        var command = new Command("connectors", "Connector ingestion over a loopback stub: items/s, bytes allocated per item, peak working set.") { pages, passes };
        command.SetAction(async (result, ct) =>
        {
            var pageCount = result.GetValue(pages);
            var passCount = result.GetValue(passes);
            var xPages = Enumerable.Range(0, pageCount).Select(p => Encoding.UTF8.GetBytes(XPage(p, pageCount))).ToArray();
            var mastodonPages = Enumerable.Range(0, pageCount + 1).Select(p => Encoding.UTF8.GetBytes(p < pageCount ? MastodonPage(p) : "[]")).ToArray();
            await using var stub = await StartStubAsync(xPages, mastodonPages, ct);
            Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}. Loopback HTTP/1.1 stub in this process serving pre-built pages.");
            Console.WriteLine($"X page: {xPages[0].Length / 1024.0:N1} KiB (100 tweets); Mastodon page: {mastodonPages[0].Length / 1024.0:N1} KiB (40 statuses). {pageCount} pages a pass, {passCount} measured passes.");
            Console.WriteLine();
            Console.WriteLine("platform  | items/s (end to end) | B/item, process | parse+map items/s, 1 thread | B/item, parse+map | peak working set MiB");
            Console.WriteLine("--------- | -------------------- | --------------- | --------------------------- | ----------------- | --------------------");

            using var client = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
            var http = new ConnectorHttp(client, new ConnectorHttpOptions(), TimeProvider.System);
            var x = new XConnector(http, new XOptions { MaxCatchUpPages = pageCount + 1 });
            var xRequest = Request(Platform.X, SourceKind.Query, "brand OR #brandfail", stub.BaseUri, "1");
            await MeasureAsync("x", x, xRequest, passCount, () => ParseX(xPages), ct);

            var mastodon = new MastodonConnector(http, new MastodonOptions { UseStreaming = false });
            var mastodonRequest = Request(Platform.Mastodon, SourceKind.Query, "#brandfail", stub.BaseUri, MastodonBase.ToString(CultureInfo.InvariantCulture));
            await MeasureAsync("mastodon", mastodon, mastodonRequest, passCount, () => ParseMastodon(mastodonPages), ct);
            return 0;
        });
        return command;
    }

    private static ListenRequest Request(Platform platform, SourceKind kind, string target, Uri baseUri, string checkpoint) =>
        new(new Source(1, 1, platform, kind, target, null, true, DateTimeOffset.UtcNow),
            new PlatformAccount(1, platform.ToWire() + ":bench", platform, baseUri, "brand", "bench-token", null),
            checkpoint);

    private static async Task MeasureAsync(string name, IListeningConnector connector, ListenRequest request, int passes, Func<long> parseOnly, CancellationToken cancellationToken)
    {
        // Two warm-up passes (JIT, connection pool, tiered compilation), then the measured ones.
        for (var i = 0; i < 2; i++)
        {
            await PassAsync(connector, request, cancellationToken);
        }

        GC.Collect();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        long items = 0;
        for (var i = 0; i < passes; i++)
        {
            items += await PassAsync(connector, request, cancellationToken);
        }

        clock.Stop();
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;

        // The same pages parsed and mapped on this thread only: what the connector itself costs, without HTTP.
        parseOnly();
        var threadAllocated = GC.GetAllocatedBytesForCurrentThread();
        var parseClock = Stopwatch.StartNew();
        long parsed = 0;
        for (var i = 0; i < passes; i++)
        {
            parsed += parseOnly();
        }

        parseClock.Stop();
        threadAllocated = GC.GetAllocatedBytesForCurrentThread() - threadAllocated;
        using var process = Process.GetCurrentProcess();
        Console.WriteLine($"{name,-9} | {items / clock.Elapsed.TotalSeconds,20:N0} | {allocated / (double)items,15:N0} | {parsed / parseClock.Elapsed.TotalSeconds,27:N0} | {threadAllocated / (double)parsed,17:N0} | {process.PeakWorkingSet64 / 1048576.0,20:N0}");
    }

    private static async Task<long> PassAsync(IListeningConnector connector, ListenRequest request, CancellationToken cancellationToken)
    {
        long items = 0;
        await foreach (var page in connector.ListenAsync(request, cancellationToken))
        {
            if (page.Errors.Count > 0)
            {
                throw new InvalidOperationException($"the bench's own page did not read: {page.Errors[0].Reason} at {page.Errors[0].Position}");
            }

            items += page.Items.Count;
        }

        return items;
    }

    /// <summary>What XConnector does with a page body: read the array, index includes.users, map each tweet.</summary>
    private static long ParseX(byte[][] pages)
    {
        long count = 0;
        var errors = new List<ItemError>();
        foreach (var body in pages)
        {
            using var json = JsonPages.Read(XMapper.Name, body, "data");
            var users = XMapper.Users(json.Root);
            for (var i = 0; i < json.Items.Count; i++)
            {
                count += XMapper.Tweet(json.Items[i], users, "page", errors) is null ? 0 : 1;
            }
        }

        return count;
    }

    /// <summary>What MastodonConnector does with a page body: read the array, map each status.</summary>
    private static long ParseMastodon(byte[][] pages)
    {
        long count = 0;
        var errors = new List<ItemError>();
        foreach (var body in pages)
        {
            using var json = JsonPages.Read(MastodonMapper.Name, body, null);
            for (var i = 0; i < json.Items.Count; i++)
            {
                count += MastodonMapper.Status(json.Items[i], "page", errors) is null ? 0 : 1;
            }
        }

        return count;
    }

    private static readonly string[] Texts =
    [
        "@brand where is my refund?? 3 weeks &amp; counting 😡 #brandfail",
        "Flight cancelled again. مرحبا، أين استرداد أموالي؟ @brand",
        "客服一直不回复 @brand 退款什么时候到账？ #brandfail",
        "@brand thanks for sorting it out so fast 🙏🏽 really &lt;3 the new app",
        "Ich warte seit Tagen auf eine Antwort von @brand. Das ist nicht okay. https://t.co/abc123XYZ",
        "RT if @brand owes you money 💸💸 #brandfail #refundnow",
    ];

    private static string XPage(int page, int pages)
    {
        var tweets = new StringBuilder();
        var users = new StringBuilder();
        for (var i = 0; i < 100; i++)
        {
            var n = ((pages - page) * 100) - i; // newest first across the pass
            var id = (1_897_000_000_000_000_000L + n).ToString(CultureInfo.InvariantCulture);
            var author = 5_000 + (n % 700);
            var reply = n % 4 == 0 ? $",\"in_reply_to_user_id\":\"42\",\"referenced_tweets\":[{{\"type\":\"replied_to\",\"id\":\"{1_897_000_000_000_000_000L + n - 3}\"}}]" : string.Empty;
            tweets.Append(i == 0 ? string.Empty : ",")
                .Append(CultureInfo.InvariantCulture, $"{{\"id\":\"{id}\",\"text\":{JsonSerializer.Serialize(Texts[n % Texts.Length])},\"created_at\":\"{new DateTime(2026, 11, 20, 9, 0, 0, DateTimeKind.Utc).AddSeconds(n):yyyy-MM-ddTHH:mm:ss.fffZ}\",\"lang\":\"{(n % 3 == 0 ? "en" : n % 3 == 1 ? "ar" : "zh")}\",")
                .Append(CultureInfo.InvariantCulture, $"\"author_id\":\"{author}\",\"conversation_id\":\"{id}\"{reply},\"edit_history_tweet_ids\":[\"{id}\"],")
                .Append(CultureInfo.InvariantCulture, $"\"public_metrics\":{{\"retweet_count\":{n % 17},\"reply_count\":{n % 5},\"like_count\":{n % 90},\"quote_count\":{n % 3},\"bookmark_count\":0,\"impression_count\":{n * 7 % 10_000}}}}}");
            users.Append(i == 0 ? string.Empty : ",")
                .Append(CultureInfo.InvariantCulture, $"{{\"id\":\"{author}\",\"name\":\"Customer {author} ✈️\",\"username\":\"cust{author}\",\"verified\":{(author % 9 == 0 ? "true" : "false")},\"public_metrics\":{{\"followers_count\":{author * 13},\"following_count\":310,\"tweet_count\":4100,\"listed_count\":2,\"like_count\":900}}}}");
        }

        var oldest = ((pages - page) * 100) - 99;
        var next = page + 1 < pages ? $",\"next_token\":\"p{page + 1}\"" : string.Empty;
        return $"{{\"data\":[{tweets}],\"includes\":{{\"users\":[{users}]}},\"meta\":{{\"newest_id\":\"{1_897_000_000_000_000_000L + ((pages - page) * 100)}\",\"oldest_id\":\"{1_897_000_000_000_000_000L + oldest}\",\"result_count\":100{next}}}}}";
    }

    private static string MastodonPage(int page)
    {
        var statuses = new StringBuilder("[");
        for (var i = 39; i >= 0; i--)
        {
            // Page k answers min_id = base + 40k: the 40 ids after it, newest first (Mastodon's order).
            var n = (page * 40) + i + 1;
            var id = (MastodonBase + n).ToString(CultureInfo.InvariantCulture);
            // Mastodon escapes only the HTML specials in content; emoji and other scripts stay as they are.
            var text = WebUtility.HtmlDecode(Texts[n % Texts.Length]).Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
            var content = $"<p><span class=\\\"h-card\\\" translate=\\\"no\\\"><a href=\\\"https://social.example/@brand\\\" class=\\\"u-url mention\\\">@<span>brand</span></a></span> {text}</p><p>Second paragraph with a <a href=\\\"https://social.example/tags/brandfail\\\" class=\\\"mention hashtag\\\" rel=\\\"tag\\\">#<span>brandfail</span></a> tag.<br />And a line break.</p>";
            statuses.Append(i == 39 ? string.Empty : ",").Append(CultureInfo.InvariantCulture,
                $$"""{"id":"{{id}}","created_at":"{{new DateTime(2026, 11, 20, 9, 0, 0, DateTimeKind.Utc).AddSeconds(n):yyyy-MM-ddTHH:mm:ss.fffZ}}","in_reply_to_id":{{(n % 5 == 0 ? $"\"{MastodonBase + n - 2}\"" : "null")}},"in_reply_to_account_id":null,"sensitive":false,"spoiler_text":"{{(n % 11 == 0 ? "travel rant" : "")}}","visibility":"public","language":"{{(n % 2 == 0 ? "en" : "de")}}","uri":"https://other.example/users/u{{n % 300}}/statuses/{{id}}","url":"https://other.example/@u{{n % 300}}/{{id}}","replies_count":{{n % 4}},"reblogs_count":{{n % 9}},"favourites_count":{{n % 31}},"edited_at":null,"content":"{{content}}","reblog":null,"application":null,"account":{"id":"{{109_000_000_000_000 + (n % 300)}}","username":"u{{n % 300}}","acct":"u{{n % 300}}@other.example","display_name":"Traveller {{n % 300}} 🌍","locked":false,"bot":false,"discoverable":true,"group":false,"created_at":"2022-11-01T00:00:00.000Z","note":"<p>Frequent flyer. Opinions mine.</p>","url":"https://other.example/@u{{n % 300}}","avatar":"https://other.example/avatars/original/missing.png","avatar_static":"https://other.example/avatars/original/missing.png","header":"https://other.example/headers/original/missing.png","header_static":"https://other.example/headers/original/missing.png","followers_count":{{(n % 300) * 17}},"following_count":120,"statuses_count":2400,"last_status_at":"2026-11-20","emojis":[],"fields":[]},"media_attachments":[],"mentions":[{"id":"1","username":"brand","url":"https://social.example/@brand","acct":"brand@social.example"}],"tags":[{"name":"brandfail","url":"https://social.example/tags/brandfail"}],"emojis":[],"card":null,"poll":null}""");
        }

        return statuses.Append(']').ToString();
    }

    private static async Task<Stub> StartStubAsync(byte[][] xPages, byte[][] mastodonPages, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapGet("/2/tweets/search/recent", (HttpContext context) =>
        {
            var token = context.Request.Query["next_token"].ToString();
            var page = token.Length == 0 ? 0 : int.Parse(token.AsSpan(1), CultureInfo.InvariantCulture);
            return Results.Bytes(xPages[page], "application/json");
        });
        app.MapGet("/api/v1/timelines/tag/{tag}", (HttpContext context) =>
        {
            var minId = long.Parse(context.Request.Query["min_id"].ToString(), CultureInfo.InvariantCulture);
            var page = (int)Math.Min((minId - MastodonBase) / 40, mastodonPages.Length - 1);
            return Results.Bytes(mastodonPages[page], "application/json");
        });
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Stub(app, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    private sealed record Stub(WebApplication App, Uri BaseUri) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => App.DisposeAsync();
    }
}
