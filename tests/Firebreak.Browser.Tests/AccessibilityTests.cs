namespace Firebreak.Browser.Tests;

using Firebreak.Browser.Tests.Accessibility;

[Collection(BrowserCollection.Name)]
public sealed class AccessibilityTests(BrowserHost host)
{
    public static TheoryData<string> Pages => new() { "dashboard", "mentions", "mention", "topics", "topic-new", "topic-edit", "alerts", "alert", "wellbeing", "drills", "settings", "audit", "account", "signin", "publishing", "post-new", "publishing-holds", "scorecards", "best-of" };

    [Theory(Timeout = 120_000)]
    [MemberData(nameof(Pages))]
    public async Task MainPages_Rendered_AreNamedStructuredAndKeyboardReachable(string which)
    {
        var slug = await host.NewWorkspaceAsync();
        await host.IngestAsync(slug, Mentions.Background());
        await host.IngestAsync(slug, Mentions.Post("@user you are a fucking idiot, shut up", handle: "angry_passenger", minutesAgo: 0.5));
        var topic = await host.NewTopicAsync(slug, "Refunds", "refund OR remboursement");
        var alert = which.StartsWith("alert", StringComparison.Ordinal) ? await host.RaiseAlertAsync(slug, "negative mentions about refunds 14× usual") : 0;
        var mention = (await host.FindMentionAsync(slug, (string)Mentions.Background().First()["externalId"]!, byText: "Flight AA123")).GetProperty("id").GetInt64();
        var path = which switch
        {
            "dashboard" => $"/w/{slug}",
            "mentions" => $"/w/{slug}/mentions?q=refund",
            "mention" => $"/w/{slug}/mentions/{mention}",
            "topics" => $"/w/{slug}/topics",
            "topic-new" => $"/w/{slug}/topics/new",
            "topic-edit" => $"/w/{slug}/topics/{topic}",
            "alerts" => $"/w/{slug}/alerts",
            "alert" => $"/w/{slug}/alerts/{alert}",
            "wellbeing" => $"/w/{slug}/wellbeing",
            "drills" => $"/w/{slug}/drills",
            "settings" => $"/w/{slug}/settings",
            "audit" => $"/w/{slug}/audit",
            "publishing" => $"/w/{slug}/publishing",
            "post-new" => $"/w/{slug}/publishing/new",
            "publishing-holds" => $"/w/{slug}/publishing/holds",
            "scorecards" => $"/w/{slug}/publishing/scorecards",
            "best-of" => $"/w/{slug}/publishing/best-of",
            "account" => "/account",
            "signin" => "/signin",
            _ => throw new ArgumentOutOfRangeException(nameof(which)),
        };

        await using var browser = which == "signin" ? await host.NewAnonymousPageAsync() : await host.NewPageAsync();
        var page = browser.Page;
        await page.GotoAsync(path);
        await page.WaitForLoadStateAsync(Microsoft.Playwright.LoadState.NetworkIdle);

        var problems = new List<string>();
        problems.AddRange(await AccessibilityChecks.StructureAsync(page));
        problems.AddRange(await AccessibilityChecks.AxeAsync(page));
        problems.AddRange(await AccessibilityChecks.SkipLinkAsync(page));
        Assert.True(problems.Count == 0, $"{path}:\n  " + string.Join("\n  ", problems));
        Assert.Empty(browser.Errors);
    }
}
