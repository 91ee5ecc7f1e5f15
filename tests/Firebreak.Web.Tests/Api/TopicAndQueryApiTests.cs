namespace Firebreak.Web.Tests.Api;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

public sealed class TopicAndQueryApiTests(ApiHost host) : IClassFixture<ApiHost>
{
    private HttpClient Client => host.Client;

    [Fact]
    public async Task CreateTopic_InvalidQuery_Returns400WithPositionAndExpected()
    {
        var ws = await host.NewWorkspaceAsync();
        var response = await Client.PostAsJsonAsync($"/api/workspaces/{ws}/topics", new { name = "Refunds", query = "refund AND (" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("query", problem.GetProperty("parameter").GetString());
        Assert.True(problem.GetProperty("position").GetInt32() >= 11);
        Assert.True(problem.GetProperty("expected").GetArrayLength() > 0);
    }

    [Fact]
    public async Task CreateTopic_ThenIngest_MatchesOnlyMentionsOfTheQuery()
    {
        var ws = await host.NewWorkspaceAsync();
        var created = await Client.PostAsJsonAsync($"/api/workspaces/{ws}/topics", new { name = "Refunds", query = "refund* OR remboursement OR возврат" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var topicId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        await Client.PostAsJsonAsync($"/api/workspaces/{ws}/ingest", new[]
        {
            Payloads.Mention("1", "I want a REFUND now", minute: 1),
            Payloads.Mention("2", "Où est mon remboursement ?", lang: "fr", minute: 2),
            Payloads.Mention("3", "Требую возврат денег", lang: "ru", minute: 3),
            Payloads.Mention("4", "Lovely lounge", minute: 4),
        });

        var page = await Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/mentions?topic={topicId}");
        Assert.Equal(new[] { "3", "2", "1" }, page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("externalId").GetString()).ToArray());
        var series = await Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/topics/{topicId}/series?interval=minute&breakdown=language&from={Uri.EscapeDataString(Payloads.Base.ToString("O"))}&to={Uri.EscapeDataString(Payloads.Base.AddMinutes(10).ToString("O"))}");
        Assert.Equal(10, series.GetProperty("points").GetArrayLength());
        Assert.Equal(3, series.GetProperty("points").EnumerateArray().Sum(p => p.GetProperty("count").GetInt64()));
        Assert.Equal(new[] { "en", "fr", "ru" }, series.GetProperty("breakdown").EnumerateArray().Select(s => s.GetProperty("key").GetString()).Order().ToArray());
    }

    [Fact]
    public async Task CreateTopic_AfterMentionsArrived_BackfillsItsHistory()
    {
        var ws = await host.NewWorkspaceAsync();
        await Client.PostAsJsonAsync($"/api/workspaces/{ws}/ingest", new[]
        {
            Payloads.Mention("1", "where is my refund", minute: 1),
            Payloads.Mention("2", "refunded at last", minute: 2),
            Payloads.Mention("3", "nice lounge", minute: 3),
        });

        var created = await (await Client.PostAsJsonAsync($"/api/workspaces/{ws}/topics", new { name = "Refunds", query = "refund*" })).Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetInt64();
        JsonElement topic;
        var tries = 0;
        do
        {
            await Task.Delay(50);
            topic = await Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/topics/{id}");
        }
        while (topic.GetProperty("backfill").GetProperty("state").GetString() != "done" && ++tries < 200);

        Assert.Equal(2, topic.GetProperty("backfill").GetProperty("added").GetInt64());
        var page = await Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/mentions?topic={id}");
        Assert.Equal(2, page.GetProperty("items").GetArrayLength());
        var series = await Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/topics/{id}/series?interval=hour&from={Uri.EscapeDataString(Payloads.Base.AddHours(-1).ToString("O"))}&to={Uri.EscapeDataString(Payloads.Base.AddHours(1).ToString("O"))}");
        Assert.Equal(2, series.GetProperty("points").EnumerateArray().Sum(p => p.GetProperty("count").GetInt64()));
    }

    [Fact]
    public async Task ValidateQuery_PreviewsRecentMatchesAndReportsErrorsWithoutFailing()
    {
        var ws = await host.NewWorkspaceAsync();
        await Client.PostAsJsonAsync($"/api/workspaces/{ws}/ingest", new[]
        {
            Payloads.Mention("1", "#BoycottAuroraAir they removed a director from the flight", minute: 1, followers: 2_000_000),
            Payloads.Mention("2", "boycott the weather", minute: 2, followers: 10),
        });

        var ok = await Client.PostAsJsonAsync($"/api/workspaces/{ws}/topics/validate", new { query = "#boycottauroraair OR (boycott followers:>10000)" });
        var preview = await ok.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(preview.GetProperty("valid").GetBoolean());
        Assert.Equal(1, preview.GetProperty("matched").GetInt32());

        var bad = await Client.PostAsJsonAsync($"/api/workspaces/{ws}/topics/validate", new { query = "\"unclosed phrase" });
        var error = await bad.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(error.GetProperty("valid").GetBoolean());
        Assert.Equal(0, error.GetProperty("error").GetProperty("position").GetInt32());
    }

    [Fact]
    public async Task ListMentions_BadParameters_Returns400NamingEachParameter()
    {
        var ws = await host.NewWorkspaceAsync();
        var response = await Client.GetAsync($"/api/workspaces/{ws}/mentions?sentiment=angry&platform=myspace&limit=9999&from=yesterday&cursor=zzz");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var name in new[] { "sentiment", "platform", "limit", "from", "cursor" })
        {
            Assert.True(errors.TryGetProperty(name, out _), name);
        }
    }

    [Fact]
    public async Task ListMentions_CursorPagination_VisitsEveryMentionOnceNewestFirst()
    {
        var ws = await host.NewWorkspaceAsync();
        // 45 mentions over 15 minutes: three share each minute, so paging must break ties by id.
        await Client.PostAsJsonAsync($"/api/workspaces/{ws}/ingest", Enumerable.Range(0, 45).Select(i => Payloads.Mention("p" + i, "page item " + i, minute: i / 3)).ToArray());

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/mentions?limit=7" + (cursor is null ? string.Empty : "&cursor=" + cursor));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("externalId").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null && pages < 20);

        Assert.Equal(45, seen.Count);
        Assert.Equal(45, seen.Distinct().Count());
        Assert.Equal(7, pages);
    }

    [Fact]
    public async Task ListMentions_TextQueryAndFilters_CombineWithAnd()
    {
        var ws = await host.NewWorkspaceAsync();
        await Client.PostAsJsonAsync($"/api/workspaces/{ws}/ingest", new[]
        {
            Payloads.Mention("1", "flight delayed three hours", platform: "x", minute: 1),
            Payloads.Mention("2", "flight delayed again", platform: "mastodon", minute: 2),
            Payloads.Mention("3", "東京行きの便が遅延しました", platform: "x", lang: "ja", minute: 3),
            Payloads.Mention("4", "great flight", platform: "x", minute: 4),
        });

        async Task<string[]> Ids(string query) => (await Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/mentions?{query}"))
            .GetProperty("items").EnumerateArray().Select(i => i.GetProperty("externalId").GetString()!).Order().ToArray();

        Assert.Equal(new[] { "1", "2" }, await Ids("q=" + Uri.EscapeDataString("delay*")));
        Assert.Equal(new[] { "1" }, await Ids("q=" + Uri.EscapeDataString("delay*") + "&platform=x"));
        Assert.Equal(new[] { "3" }, await Ids("q=" + Uri.EscapeDataString("東京")));
        Assert.Equal(new[] { "4" }, await Ids("q=" + Uri.EscapeDataString("NOT delay* AND NOT 東京")));
        Assert.Equal(new[] { "3" }, await Ids("lang=ja"));
        var bad = await Client.GetAsync($"/api/workspaces/{ws}/mentions?q=" + Uri.EscapeDataString("delay AND"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheApi()
    {
        var document = await Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/api/workspaces", "/api/workspaces/{workspace}/ingest", "/api/workspaces/{workspace}/mentions", "/api/workspaces/{workspace}/topics/{id}/series", "/api/workspaces/{workspace}/mentions/export" })
        {
            Assert.True(paths.TryGetProperty(path, out _), path);
        }

        var ingestBody = paths.GetProperty("/api/workspaces/{workspace}/ingest").GetProperty("post").GetProperty("requestBody").GetProperty("content");
        Assert.True(ingestBody.TryGetProperty("application/json", out _));
        Assert.True(ingestBody.TryGetProperty("application/x-ndjson", out _));
    }

    [Fact]
    public async Task CreateWorkspace_BadSlugOrDuplicate_ReturnsProblem()
    {
        var bad = await Client.PostAsJsonAsync("/api/workspaces", new { slug = "Not A Slug!" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var ws = await host.NewWorkspaceAsync();
        var duplicate = await Client.PostAsJsonAsync("/api/workspaces", new { slug = ws });
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
    }

    [Fact]
    public async Task UiPages_AreServedWithSecurityHeaders_AndTheScriptOnlyInsertsServerRenderedFragments()
    {
        var response = await Client.GetAsync("/");
        response.EnsureSuccessStatusCode();
        Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());

        // The pages' script swaps in HTML the server rendered and encoded (fetchFragment's answer), and nothing else:
        // every innerHTML assignment takes that variable, never data from a stream or a field.
        var script = await Client.GetStringAsync("/app.js");
        var assignments = System.Text.RegularExpressions.Regex.Matches(script, @"innerHTML\s*=\s*([^;]+);");
        Assert.NotEmpty(assignments);
        Assert.All(assignments, a => Assert.Equal("html", a.Groups[1].Value.Trim()));
        Assert.DoesNotContain("insertAdjacentHTML", script, StringComparison.Ordinal);
        Assert.DoesNotContain("document.write", script, StringComparison.Ordinal);
    }
}
