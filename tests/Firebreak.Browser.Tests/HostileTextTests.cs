namespace Firebreak.Browser.Tests;

using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

/// <summary>Everything in a mention comes from strangers: it must be shown as text, never run, and never break the page.</summary>
[Collection(BrowserCollection.Name)]
public sealed class HostileTextTests(BrowserHost host)
{
    private const string ScriptText = "Great service <script>window.__pwned = 'script'; alert('script')</script> really";
    private const string ImgText = "Look at this <img src=x onerror=\"window.__pwned='img';alert('img')\"> photo";
    private const string SvgText = "quoted \"><svg onload=\"window.__pwned='svg';alert('svg')\"><b id=\"injected-b\">bold</b>";
    private const string HashtagText = "Trending now #refund<img/src=x/onerror=alert('hashtag')> #delay\"><svg/onload=alert('tag')> #airline";
    private const string ArabicText = "تأخرت رحلتي ثلاث ساعات ولم يعتذر أحد، أريد استرداد أموالي";
    private static readonly string Zalgo = "Z̷̢̛̺̗͈̼̰͓̖̓̈́͌̀̐̐̕a̵̧̛̗̠̞̗̮̰͆͊̄̓̈́͘l̸̨̡̙̯̗̹͇̟̅̈́̌̇̕g̶̢̛̬̮̦̲̹̓̽̓̀̈́͠ȯ̷̧̢̡̳̺͔̫̟̽̈́̈́͂̕ " + string.Concat(Enumerable.Repeat("e\u0300\u0301\u0302\u0303\u0304\u0305\u0306\u0307\u0308\u0309\u030A\u030B\u030C\u030D\u030E\u030F", 20)) + " flight cancelled";
    private static readonly string LongWord = "refund" + new string('A', 1_500) + "NOW";

    [Fact(Timeout = 120_000)]
    public async Task Mentions_TextIsHostile_ShownLiterallyNeverRunAndLayoutHolds()
    {
        var slug = await host.NewWorkspaceAsync();
        var svgUrl = "https://x.com/evil/status/1\"><svg onload=\"window.__pwned='url';alert('url')\">";
        var ids = new { Script = Mentions.NewId("xss"), Img = Mentions.NewId("xss"), Svg = Mentions.NewId("xss"), Tag = Mentions.NewId("xss"), Url = Mentions.NewId("xss"), Js = Mentions.NewId("xss") };
        await host.IngestAsync(slug, Mentions.Background());
        var answer = await host.IngestAsync(slug,
            Mentions.Post(ScriptText, ids.Script, handle: "<script>alert('handle')</script>", displayName: "\"><img src=x onerror=alert('name')>", minutesAgo: 0.9),
            Mentions.Post(ImgText, ids.Img, handle: "img_fan", displayName: "<svg onload=alert('display')>", minutesAgo: 0.8),
            Mentions.Post(SvgText, ids.Svg, handle: "\"><svg onload=alert(1)>", minutesAgo: 0.7),
            Mentions.Post(HashtagText, ids.Tag, handle: "tagger", minutesAgo: 0.6),
            Mentions.Post("Link in bio, totally safe", ids.Url, handle: "linker", url: svgUrl, minutesAgo: 0.5),
            Mentions.Post("Click here for your refund", ids.Js, handle: "phisher", url: "javascript:alert('js-url')", minutesAgo: 0.4),
            Mentions.Post(ArabicText, handle: "arabic_reader", displayName: "قارئ", lang: "ar", minutesAgo: 0.3),
            Mentions.Post(Zalgo, handle: "zalgo", minutesAgo: 0.2),
            Mentions.Post(LongWord, handle: "longword", minutesAgo: 0.1));

        // A javascript: URL must never reach a page: the API refuses it (and the UI would not link it anyway, checked below).
        var rejected = answer.GetProperty("rejected").EnumerateArray().ToList();
        var jsAccepted = rejected.All(r => r.GetProperty("externalId").GetString() != ids.Js);
        Assert.True(jsAccepted || rejected.Any(r => r.GetProperty("field").GetString() == "url"), $"unexpected rejections: {answer}");

        // The Content-Security-Policy is the second wall: it forbids inline script.
        var head = await host.Client.GetAsync($"/w/{slug}");
        Assert.Contains("script-src 'self'", string.Join(";", head.Headers.GetValues("Content-Security-Policy")));

        // The first wall on its own: with the policy off, anything the encoding let through would run.
        await using var browser = await host.NewPageAsync(bypassCsp: true);
        var page = browser.Page;
        var pages = new List<string> { $"/w/{slug}", $"/w/{slug}/mentions", $"/w/{slug}/mentions?q=refund" };
        foreach (var externalId in new[] { ids.Script, ids.Img, ids.Svg, ids.Tag, ids.Url })
        {
            var id = (await host.FindMentionAsync(slug, externalId)).GetProperty("id").GetInt64();
            pages.Add($"/w/{slug}/mentions/{id}");
        }

        foreach (var path in pages)
        {
            await page.GotoAsync(path);
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            await AssertNothingRanAsync(browser, path);
        }

        // Shown literally: the dashboard's stream and the explorer show the payloads as text.
        await page.GotoAsync($"/w/{slug}/mentions");
        var texts = page.Locator("article.mention p.text");
        foreach (var text in new[] { ScriptText, ImgText, SvgText, HashtagText })
        {
            await Expect(texts.Filter(new() { HasText = text })).ToHaveCountAsync(1);
        }

        await Expect(page.Locator("article.mention .author").Filter(new() { HasText = "<script>alert('handle')</script>" })).ToHaveCountAsync(1);
        await Expect(page.Locator("article.mention .author").Filter(new() { HasText = "\"><svg onload=alert(1)>" })).ToHaveCountAsync(1);
        Assert.Equal("\"><img src=x onerror=alert('name')>", await page.Locator($"article.mention[aria-label=\"Mention by <script>alert('handle')</script>\"] .author").GetAttributeAsync("title"));

        // Links: only http(s); the quoted URL stays inside its attribute.
        Assert.Equal(0, await page.Locator("a[href^='javascript:' i], a[href^='data:' i]").CountAsync());
        var original = await page.Locator("article.mention[aria-label='Mention by linker'] a", new() { HasText = "Original post" }).GetAttributeAsync("href");
        Assert.NotNull(original);
        Assert.StartsWith("https://x.com/evil/status/1", original);
        Assert.DoesNotContain("\"", original);
        Assert.Equal(0, await page.Locator("article.mention[aria-label='Mention by phisher'] a", new() { HasText = "Original post" }).CountAsync());

        // Right-to-left text gets dir=auto and runs right to left, without flipping the page.
        var arabic = texts.Filter(new() { HasText = ArabicText });
        await Expect(arabic).ToHaveAttributeAsync("dir", "auto");
        Assert.Equal("rtl", await arabic.EvaluateAsync<string>("e => getComputedStyle(e).direction"));
        Assert.Equal("ltr", await page.EvaluateAsync<string>("() => getComputedStyle(document.body).direction"));
        Assert.True(await arabic.EvaluateAsync<double>("e => e.getBoundingClientRect().height") > 0);

        // Zalgo and a 1,500-character word stay inside their panel, and the page does not scroll sideways.
        await AssertContainedAsync(page, "zalgo");
        await AssertContainedAsync(page, "longword");
        await page.GotoAsync($"/w/{slug}");
        await AssertContainedAsync(page, "zalgo", "section.stream-panel");
        await AssertContainedAsync(page, "longword", "section.stream-panel");
        await AssertNothingRanAsync(browser, "dashboard again");
    }

    private static async Task AssertNothingRanAsync(BrowserPage browser, string where)
    {
        var page = browser.Page;
        Assert.True(browser.Dialogs.Count == 0, $"{where}: a dialog opened: {string.Join(" | ", browser.Dialogs)}");
        Assert.Null(await page.EvaluateAsync<string?>("() => window.__pwned ?? null"));
        // No element the payloads would have created: only app.js may be a script, and the page has no img, svg from data or <b id=injected-b>.
        var injected = await page.EvaluateAsync<string[]>(@"() => [
            ...[...document.querySelectorAll('script')].filter(s => !/\/app\.js$/.test(s.src)).map(s => 'script:' + s.outerHTML.slice(0, 80)),
            ...[...document.querySelectorAll('img[onerror], svg[onload], [onload], [onerror], #injected-b')].map(e => e.tagName + ':' + e.outerHTML.slice(0, 80)),
            ...[...document.querySelectorAll('article.mention img, article.mention svg, article.mention b, article.mention script')].map(e => 'in-mention:' + e.outerHTML.slice(0, 80)),
        ]");
        Assert.True(injected.Length == 0, $"{where}: injected elements: {string.Join(" | ", injected)}");
        Assert.True(browser.Errors.Count == 0, $"{where}: script errors: {string.Join(" | ", browser.Errors)}");
    }

    /// <summary>The mention by <paramref name="handle"/> and its text fit inside the panel, and the document is no wider than the window.</summary>
    private static async Task AssertContainedAsync(IPage page, string handle, string container = "main")
    {
        var box = await page.EvaluateAsync<JsonElement>(@"([handle, container]) => {
            const article = document.querySelector(`${container} article.mention[aria-label='Mention by ${handle}']`);
            if (!article) return { missing: true };
            const panel = article.closest('section.panel') ?? document.querySelector(container);
            const a = article.getBoundingClientRect(), t = article.querySelector('.text').getBoundingClientRect(), p = panel.getBoundingClientRect();
            return { missing: false, articleLeft: a.left, articleRight: a.right, textRight: t.right, textHeight: t.height, panelLeft: p.left, panelRight: p.right,
                     docWidth: document.documentElement.scrollWidth, viewport: window.innerWidth };
        }", new[] { handle, container });
        Assert.False(box.GetProperty("missing").GetBoolean(), $"no mention by {handle} in {container}");
        double Get(string name) => box.GetProperty(name).GetDouble();
        Assert.True(Get("articleRight") <= Get("panelRight") + 1 && Get("articleLeft") >= Get("panelLeft") - 1, $"{handle}: the mention overflows its panel: {box}");
        Assert.True(Get("textRight") <= Get("panelRight") + 1, $"{handle}: the text overflows its panel: {box}");
        Assert.True(Get("textHeight") < 2_000, $"{handle}: the text is absurdly tall: {box}");
        Assert.True(Get("docWidth") <= Get("viewport"), $"{handle}: the page scrolls sideways: {box}");
    }
}
