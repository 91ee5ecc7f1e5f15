namespace Firebreak.Web.Tests.Api;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

public sealed class AnalysisApiTests(ApiHost host) : IClassFixture<ApiHost>
{
    private HttpClient Client => host.Client;

    [Fact]
    public async Task Ingest_TextWithCues_AnalysisListsDefaultRiskCues()
    {
        var ws = await host.NewWorkspaceAsync();
        await Client.PostAsJsonAsync($"/api/workspaces/{ws}/ingest", new[] { Payloads.Mention("1", "Total SCAM, I want a refund #BoycottAuroraAir") });

        var item = (await Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/mentions")).GetProperty("items")[0];

        var cues = item.GetProperty("analysis").GetProperty("riskCues").EnumerateArray().Select(c => c.GetString()).ToArray();
        Assert.Equal(new[] { "boycott", "refund", "scam" }, cues.Order().ToArray());
    }

    [Fact]
    public async Task PutRiskCues_CustomList_ReplacesDefaultsForNewMentions()
    {
        var ws = await host.NewWorkspaceAsync();
        var bad = await Client.PutAsJsonAsync($"/api/workspaces/{ws}/risk-cues", new { cues = new[] { new { name = "x", query = "a AND (", enabled = true } } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        var ok = await Client.PutAsJsonAsync($"/api/workspaces/{ws}/risk-cues", new { cues = new[] { new { name = "lost luggage", query = "\"lost luggage\" OR \"lost my bag*\" OR #lostluggage", enabled = true } } });
        ok.EnsureSuccessStatusCode();
        await Client.PostAsJsonAsync($"/api/workspaces/{ws}/ingest", new[] { Payloads.Mention("1", "They lost my bags and want a refund? #lostluggage") });

        var item = (await Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/mentions")).GetProperty("items")[0];
        Assert.Equal(new[] { "lost luggage" }, item.GetProperty("analysis").GetProperty("riskCues").EnumerateArray().Select(c => c.GetString()).ToArray());
        var list = await Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/risk-cues");
        Assert.False(list.GetProperty("isDefault").GetBoolean());

        (await Client.DeleteAsync($"/api/workspaces/{ws}/risk-cues")).EnsureSuccessStatusCode();
        Assert.True((await Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/risk-cues")).GetProperty("isDefault").GetBoolean());
    }

    [Fact]
    public async Task CorrectLabel_Sentiment_UpdatesMentionRollupsAndSurvivesRecapture()
    {
        var ws = await host.NewWorkspaceAsync();
        await Client.PostAsJsonAsync($"/api/workspaces/{ws}/ingest", new[] { Payloads.Mention("c1", "well that was a flight", likes: 1) });
        var id = (await Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/mentions")).GetProperty("items")[0].GetProperty("id").GetInt64();

        var invalid = await Client.PostAsJsonAsync($"/api/workspaces/{ws}/mentions/{id}/labels", new { task = "sentiment", label = "furious" });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var response = await Client.PostAsJsonAsync($"/api/workspaces/{ws}/mentions/{id}/labels", new { task = "sentiment", label = "negative" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        // A re-capture with new counters is analysed again; the person's label must win.
        await Client.PostAsJsonAsync($"/api/workspaces/{ws}/ingest", new[] { Payloads.Mention("c1", "well that was a flight", likes: 50) });
        var detail = await Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/mentions/{id}");
        var analysis = detail.GetProperty("mention").GetProperty("analysis");
        Assert.Equal("negative", analysis.GetProperty("sentiment").GetString());
        Assert.Equal("sentiment", analysis.GetProperty("corrected")[0].GetString());
        Assert.Equal(50, detail.GetProperty("mention").GetProperty("engagement").GetProperty("likes").GetInt64());

        var series = await Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/series?interval=day&from={Uri.EscapeDataString(Payloads.Base.AddDays(-1).ToString("O"))}&to={Uri.EscapeDataString(Payloads.Base.AddDays(1).ToString("O"))}");
        var points = series.GetProperty("points").EnumerateArray().ToArray();
        Assert.Equal(1, points.Sum(p => p.GetProperty("negative").GetInt64()));
        Assert.Equal(1, points.Sum(p => p.GetProperty("count").GetInt64()));

        var corrections = await Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/corrections?task=sentiment");
        var correction = Assert.Single(corrections.EnumerateArray());
        Assert.Equal("well that was a flight", correction.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Explain_Mention_GivesProbabilitiesAndTermsFromTheTextForEveryTask()
    {
        var ws = await host.NewWorkspaceAsync();
        var text = "Worst airline ever, I am furious, they lost my bags and laughed at me";
        await Client.PostAsJsonAsync($"/api/workspaces/{ws}/ingest", new[] { Payloads.Mention("e1", text, lang: null) });
        var item = (await Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/mentions")).GetProperty("items")[0];
        Assert.Equal("en", item.GetProperty("language").GetString());
        Assert.Equal("negative", item.GetProperty("analysis").GetProperty("sentiment").GetString());

        var explanation = await Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/mentions/{item.GetProperty("id").GetInt64()}/explain");

        Assert.Equal("en", explanation.GetProperty("language").GetProperty("language").GetString());
        foreach (var task in new[] { "sentiment", "offensive", "hate", "emotion" })
        {
            var part = explanation.GetProperty("tasks").GetProperty(task);
            var sum = part.GetProperty("probabilities").EnumerateObject().Sum(p => p.Value.GetDouble());
            Assert.InRange(sum, 0.99, 1.01);
            Assert.All(part.GetProperty("why").EnumerateArray(), t => Assert.Contains(t.GetProperty("term").GetString()!, text, StringComparison.OrdinalIgnoreCase));
        }

        Assert.Equal("negative", explanation.GetProperty("tasks").GetProperty("sentiment").GetProperty("label").GetString());
    }
}
