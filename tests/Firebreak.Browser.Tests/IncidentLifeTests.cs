namespace Firebreak.Browser.Tests;

using System.Text.RegularExpressions;
using Firebreak.Core.Security;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

/// <summary>
/// The life of an incident, end to end, as two people live it in the browser: an alert is opened as an incident, a
/// playbook turns into tasks, a responder answers the riskiest mention and the approver approves the reply, publishing
/// is paused from the room, the incident is resolved and its review tells the story.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class IncidentLifeTests(BrowserHost host)
{
    [Fact(Timeout = 180_000)]
    public async Task Incident_AlertToReview_PlaybookReplyApprovedPausedResolvedAndReviewed()
    {
        var slug = await host.NewWorkspaceAsync("Skyline Air");
        const string Complaint = "@skylineair threw my grandmother off flight SK88 and nobody will say why. Disgraceful.";
        await host.IngestAsync(slug, [.. Mentions.Background(), Mentions.Post(Complaint, handle: "film_director", displayName: "R. Altman", followers: 2_400_000, minutesAgo: 5)]);
        await using var approver = await host.NewMemberPageAsync(slug, WorkspaceRole.Manager, "Priya");
        await using var lead = await host.NewPageAsync();
        var page = lead.Page;

        // The alert becomes an incident.
        var alertId = await host.RaiseAlertAsync(slug, "negative mentions about SK88 35× usual");
        await page.GotoAsync($"/w/{slug}/alerts/{alertId}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Open as incident" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/w/{slug}/incidents/\\d+"));
        await Expect(page.Locator("[role=status]").First).ToContainTextAsync("Alert opened as an incident");
        var room = new Uri(page.Url).AbsolutePath;

        // Priya is the approver; the viral-complaint playbook becomes tasks.
        var approverRow = page.Locator("form").Filter(new() { Has = page.Locator("input[name=role][value=approver]") });
        await approverRow.Locator("select").SelectOptionAsync(new SelectOptionValue { Label = "Priya" });
        await approverRow.GetByRole(AriaRole.Button, new() { Name = "Assign" }).ClickAsync();
        await Expect(page.Locator("ol.timeline, .timeline").First).ToContainTextAsync("Priya");
        await page.Locator("select[name=key]").SelectOptionAsync("viral-complaint");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply playbook" }).ClickAsync();
        await Expect(page.Locator("[role=status]").First).ToContainTextAsync("Playbook applied");
        Assert.True(await page.GetByRole(AriaRole.Button, new() { Name = "Mark done" }).CountAsync() >= 3, "the playbook's steps should be tasks");

        // The director's post is the riskiest; the lead claims it and replies with the apology template; it awaits approval.
        await page.GetByRole(AriaRole.Link, new() { Name = "Inbox: mentions ranked by risk, claims and replies" }).ClickAsync();
        var first = page.Locator("ol.inbox > li").First;
        await Expect(first).ToContainTextAsync("film_director"); // its text is shielded (flagged offensive) until someone asks
        await first.GetByRole(AriaRole.Button, new() { Name = "Claim" }).ClickAsync();
        first = page.Locator("ol.inbox > li").First;
        await first.Locator("select[name=templateId]").SelectOptionAsync(new SelectOptionValue { Label = "apology-dm (en)" });
        await first.GetByLabel("Brand").FillAsync("Skyline Air");
        await first.GetByRole(AriaRole.Button, new() { Name = "Queue reply" }).ClickAsync();
        await Expect(page.Locator("[role=status]").First).ToContainTextAsync("waits for the incident's approver");
        var reply = page.Locator("ul.replies > li").First;
        await Expect(reply).ToContainTextAsync("Awaiting approval");
        await Expect(reply).ToContainTextAsync("Hi @film_director, we're sorry about this.");
        await Expect(reply).ToContainTextAsync("— Skyline Air");
        await Expect(reply.GetByRole(AriaRole.Button, new() { Name = "Approve" })).ToHaveCountAsync(0); // nobody approves their own reply

        // Priya approves it from her own session.
        await approver.Page.GotoAsync(room + "/inbox");
        var pending = approver.Page.Locator("ul.replies > li").First;
        await pending.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await Expect(approver.Page.Locator("[role=status]").First).ToContainTextAsync("Reply approved");
        await Expect(approver.Page.Locator("ul.replies > li").First).ToContainTextAsync("approved by Priya");

        // Scheduled publishing is paused from the room, with a reason, and the timeline says so.
        await page.GotoAsync(room);
        await PauseFromRoomAsync(page);

        // Resolved; the review shows the timings and takes the lessons.
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Resolve") }).First.ClickAsync();
        await Expect(page.Locator("main")).ToContainTextAsync("resolved", new() { IgnoreCase = true });
        var timeline = page.Locator("main");
        foreach (var entry in new[] { "declared", "Playbook", "awaits approval", "approved by Priya" })
        {
            await Expect(timeline).ToContainTextAsync(entry, new() { IgnoreCase = true });
        }

        await page.GetByRole(AriaRole.Link, new() { Name = "Post-incident review" }).ClickAsync();
        var figures = page.Locator("table.figures");
        await Expect(figures).ToContainTextAsync("Time to detect");
        await Expect(figures).ToContainTextAsync("Time to first public response");
        await Expect(figures.Locator("tr").Filter(new() { HasText = "Time to acknowledge" })).ToContainTextAsync(new Regex("\\d+ min")); // opening the incident acknowledged the alert
        await Expect(page.Locator("p").Filter(new() { HasText = "resolved" }).First).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = "What went well" }).FillAsync("Approver answered within minutes.");
        await page.GetByRole(AriaRole.Textbox, new() { NameRegex = new Regex("^Action items") }).FillAsync("Brief gate staff on escalation | Priya");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the review" }).ClickAsync();
        await Expect(page.Locator("[role=status]").First).ToContainTextAsync("Review saved");
        await Expect(page.Locator("main")).ToContainTextAsync("Brief gate staff on escalation");

        // The lesson becomes Priya's task in the room.
        await page.GetByRole(AriaRole.Button, new() { Name = "Make the open action items tasks" }).ClickAsync();
        await Expect(page.Locator("[role=status]").First).ToContainTextAsync("now tasks in the room");
        await Expect(page.Locator("main")).ToContainTextAsync("a task in the room");
        await page.GotoAsync(room);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Mark done: Brief gate staff on escalation" })).ToBeVisibleAsync();

        Assert.Empty(lead.Errors);
        Assert.Empty(approver.Errors);
    }

    /// <summary>The pause switch in the room: one reason, one click; the room says so and the timeline records it.</summary>
    private static async Task PauseFromRoomAsync(IPage page)
    {
        var room = page.Url;
        await page.GetByLabel("Reason", new() { Exact = true }).FillAsync("Hold brand posts while SK88 is unresolved");
        await page.GetByRole(AriaRole.Button, new() { Name = "Pause all scheduled posts" }).ClickAsync();
        await Expect(page.Locator("[role=status]").First).ToContainTextAsync("Publishing paused");
        await Expect(page.Locator("section.pause-switch")).ToContainTextAsync("Hold brand posts while SK88 is unresolved");
        await page.ReloadAsync();
        await Expect(page.Locator("main")).ToContainTextAsync("Publishing paused (all platforms) by");
        Assert.Contains("/incidents/", room, StringComparison.Ordinal);
    }
}
