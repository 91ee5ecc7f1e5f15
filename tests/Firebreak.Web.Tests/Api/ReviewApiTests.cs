namespace Firebreak.Web.Tests.Api;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Firebreak.Core.Detection;
using Firebreak.Tests.Shared;

/// <summary>The post-incident review and the guided decisions through the API on a real host.</summary>
public sealed class ReviewApiTests(AlertApiHost host) : IClassFixture<AlertApiHost>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private HttpClient Client => host.Client;

    [Fact]
    public async Task Review_FiguresFromTheLinkedAlert_TextSavedWithVersions_AndMarkdown()
    {
        var ws = await host.NewWorkspaceAsync();
        await host.DetectAsync(ws, DetectionSeverity.High);
        JsonElement alerts = default;
        await Poll.UntilAsync(async () => (alerts = await Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/alerts")).GetProperty("items").GetArrayLength() >= 1, Patience, () => "no alert");
        var alertId = alerts.GetProperty("items")[0].GetProperty("id").GetInt64();
        var promoted = await (await Client.PostAsJsonAsync($"/api/workspaces/{ws}/alerts/{alertId}/incident", new { by = "ana" })).Content.ReadFromJsonAsync<JsonElement>();
        var id = promoted.GetProperty("incidentId").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsJsonAsync($"/api/workspaces/{ws}/alerts/{alertId}/acknowledge", new { by = "ben" })).StatusCode);
        var review = $"/api/workspaces/{ws}/incidents/{id}/review";

        var first = await Client.GetFromJsonAsync<JsonElement>(review);
        var figures = first.GetProperty("figures");
        Assert.True(figures.GetProperty("timeToDetectMinutes").GetDouble() >= 0);
        Assert.True(figures.GetProperty("timeToAcknowledgeMinutes").GetDouble() >= 0);
        Assert.Equal(JsonValueKind.Null, figures.GetProperty("timeToFirstResponseMinutes").ValueKind);
        Assert.True(figures.GetProperty("hours").GetArrayLength() >= 2);
        Assert.Equal(0, first.GetProperty("text").GetProperty("version").GetInt64());

        var body = new
        {
            version = 0,
            wentWell = "Holding statement in 20 minutes",
            wentBadly = "Nobody owned <replies>",
            actionItems = new[] { new { text = "Train the night shift", owner = "Ben", done = false } },
            playbookChanges = new[] { new { playbookKey = "offensive-post", text = "Add a night contact" } },
        };
        var saved = await Client.PutAsJsonAsync(review, body);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal(1, (await saved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt64());
        var stale = await Client.PutAsJsonAsync(review, body);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal(1, (await stale.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("current").GetProperty("version").GetInt64());
        var bad = await Client.PutAsJsonAsync(review, new { version = 1, actionItems = new[] { new { text = " " } }, playbookChanges = new[] { new { playbookKey = "", text = "x" } } });
        Assert.Equal(["actionItems", "playbookChanges"], Errors(await bad.Content.ReadFromJsonAsync<JsonElement>()));

        var text = (await Client.GetFromJsonAsync<JsonElement>(review)).GetProperty("text");
        Assert.Equal(("Holding statement in 20 minutes", "Ben"), (text.GetProperty("wentWell").GetString(), text.GetProperty("actionItems")[0].GetProperty("owner").GetString()));

        var markdown = await Client.GetAsync($"{review}?format=markdown");
        Assert.Equal("text/markdown", markdown.Content.Headers.ContentType?.MediaType);
        var md = await markdown.Content.ReadAsStringAsync();
        Assert.Contains("# Review: Negative volume: whole stream", md, StringComparison.Ordinal);
        Assert.Contains("Nobody owned \\<replies\\>", md, StringComparison.Ordinal);
        Assert.Contains("- [ ] Train the night shift — Ben", md, StringComparison.Ordinal);
        Assert.Contains("| Time to acknowledge |", md, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.GetAsync($"{review}?format=pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/api/workspaces/{ws}/incidents/987654/review")).StatusCode);

        // A decision marked as a public response is the first public response; a plain decision is not.
        await Client.PostAsJsonAsync($"/api/workspaces/{ws}/incidents/{id}/notes", new { text = "Internal: pause ads", reason = "x" });
        await Client.PostAsJsonAsync($"/api/workspaces/{ws}/incidents/{id}/notes", new { text = "Posted the holding statement", reason = "approved", publicResponse = true });
        var response = (await Client.GetFromJsonAsync<JsonElement>(review)).GetProperty("figures");
        Assert.Equal("Posted the holding statement", response.GetProperty("firstResponse").GetString());
    }

    [Fact]
    public async Task ReviewTasks_OpenActionItemsBecomeTasksOnce_DoneOnesNot()
    {
        var ws = await host.NewWorkspaceAsync();
        var id = (await (await Client.PostAsJsonAsync($"/api/workspaces/{ws}/incidents", new { title = "Lost bags", type = "viral-complaint", severity = "sev3" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var incident = $"/api/workspaces/{ws}/incidents/{id}";
        var saved = await Client.PutAsJsonAsync($"{incident}/review", new
        {
            version = 0,
            actionItems = new object[] { new { text = "Brief the baggage desk", owner = "Nobody Here" }, new { text = "Already handled", done = true } },
        });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);

        var first = await (await Client.PostAsync($"{incident}/review/tasks", null)).Content.ReadFromJsonAsync<JsonElement[]>();
        var second = await (await Client.PostAsync($"{incident}/review/tasks", null)).Content.ReadFromJsonAsync<JsonElement[]>();

        var task = Assert.Single(first!);
        Assert.Equal("Brief the baggage desk (Nobody Here)", task.GetProperty("title").GetString());
        Assert.StartsWith("review/", task.GetProperty("stepId").GetString(), StringComparison.Ordinal);
        Assert.Empty(second!);
        var tasks = (await Client.GetFromJsonAsync<JsonElement>(incident)).GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("title").GetString()).ToList();
        Assert.Equal(["Brief the baggage desk (Nobody Here)"], tasks);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.PostAsync($"/api/workspaces/{ws}/incidents/424242/review/tasks", null)).StatusCode);
    }

    [Fact]
    public async Task Decisions_DeleteCarriesTheArchive_KeepByDefault_ApologyIsThePublicResponse()
    {
        var ws = await host.NewWorkspaceAsync();
        var id = (await (await Client.PostAsJsonAsync($"/api/workspaces/{ws}/incidents", new { title = "Bad joke", type = "offensive-post", severity = "sev2" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var decisions = $"/api/workspaces/{ws}/incidents/{id}/decisions";

        var noText = await Client.PostAsJsonAsync($"{decisions}/post", new { url = "ftp://x", obsceneOrGraphic = true, action = "burn" });
        Assert.Equal(["action", "text", "url"], Errors(await noText.Content.ReadFromJsonAsync<JsonElement>()));

        var deleted = await Client.PostAsJsonAsync($"{decisions}/post", new { text = "Our graphic joke", url = "https://x.com/acme/status/1", author = "acme", postedAt = "2026-11-20T09:00:00Z", obsceneOrGraphic = true });
        Assert.Equal(HttpStatusCode.Created, deleted.StatusCode);
        var delete = await deleted.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("delete", delete.GetProperty("recommended").GetString());
        var entry = delete.GetProperty("entry");
        Assert.Equal("decision", entry.GetProperty("kind").GetString());
        var archive = entry.GetProperty("data").GetProperty("archive");
        Assert.Equal(("Our graphic joke", "https://x.com/acme/status/1", "acme"), (archive.GetProperty("text").GetString(), archive.GetProperty("url").GetString(), archive.GetProperty("author").GetString()));
        Assert.False(string.IsNullOrEmpty(archive.GetProperty("capturedBy").GetProperty("name").GetString()));
        Assert.Equal("deletePost", entry.GetProperty("data").GetProperty("decision").GetString());
        Assert.False(string.IsNullOrEmpty(entry.GetProperty("data").GetProperty("reason").GetString()));

        var kept = await (await Client.PostAsJsonAsync($"{decisions}/post", new { text = "Our clumsy ad" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("keepPost", kept.GetProperty("entry").GetProperty("data").GetProperty("decision").GetString());
        Assert.False(kept.GetProperty("entry").GetProperty("data").TryGetProperty("archive", out _));
        Assert.Contains("deleting never makes it go away", kept.GetProperty("reason").GetString(), StringComparison.Ordinal);

        var apology = new { seriousHarm = true, language = "en", playbookKey = "offensive-post", whatHappened = "Our post mocked a tragedy.", whatWeAreDoing = "We removed it and are training the team.", contact = "care@acme.example", speaker = "Dana, CEO", variables = new Dictionary<string, string> { ["brand"] = "Acme", ["date"] = "20 November" } };
        var preview = await (await Client.PostAsJsonAsync($"{decisions}/apology/preview", apology)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("higherUp", preview.GetProperty("recommended").GetString());
        Assert.StartsWith("We've seen the post from Acme on 20 November.", preview.GetProperty("statement").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("We are sorry. We removed it and are training the team. You can reach us at care@acme.example. — Dana, CEO", preview.GetProperty("statement").GetString(), StringComparison.Ordinal);
        Assert.Equal(["playbookKey"], Errors(await (await Client.PostAsJsonAsync($"{decisions}/apology/preview", new { playbookKey = "nope" })).Content.ReadFromJsonAsync<JsonElement>()));

        var recorded = await Client.PostAsJsonAsync($"{decisions}/apology", apology);
        Assert.Equal(HttpStatusCode.Created, recorded.StatusCode);
        var figures = (await Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/incidents/{id}/review")).GetProperty("figures");
        Assert.StartsWith("Decision: apology by someone higher up", figures.GetProperty("firstResponse").GetString(), StringComparison.Ordinal);
        Assert.True(figures.GetProperty("timeToFirstResponseMinutes").GetDouble() >= 0);
    }

    private static string[] Errors(JsonElement problem) => [.. problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order()];
}
