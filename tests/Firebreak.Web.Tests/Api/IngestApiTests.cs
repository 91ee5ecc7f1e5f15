namespace Firebreak.Web.Tests.Api;

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

public sealed class IngestApiTests(ApiHost host) : IClassFixture<ApiHost>
{
    private HttpClient Client => host.Client;

    [Fact]
    public async Task Ingest_MixedValidAndInvalidItems_KeepsValidAndListsEachRejection()
    {
        var ws = await host.NewWorkspaceAsync();
        var items = new object[]
        {
            Payloads.Mention("1", "Great crew on my flight today"),
            new Dictionary<string, object?> { ["platform"] = "myspace", ["externalId"] = "2", ["text"] = "x", ["author"] = new { handle = "a" }, ["createdAt"] = Payloads.Base },
            Payloads.Mention("3", "Lost my bag again"),
            new Dictionary<string, object?> { ["platform"] = "x", ["externalId"] = "4", ["text"] = "no author", ["createdAt"] = Payloads.Base },
            new Dictionary<string, object?> { ["platform"] = "x", ["externalId"] = "5", ["text"] = "typed wrong", ["author"] = new { handle = "a", followers = "many" }, ["createdAt"] = Payloads.Base },
            42,
        };

        var response = await Client.PostAsJsonAsync($"/api/workspaces/{ws}/ingest", items);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(6, body.GetProperty("received").GetInt32());
        Assert.Equal(2, body.GetProperty("inserted").GetInt32());
        var rejected = body.GetProperty("rejected").EnumerateArray().ToDictionary(r => r.GetProperty("index").GetInt32());
        Assert.Equal(new[] { 1, 3, 4, 5 }, rejected.Keys.Order());
        Assert.Equal("platform", rejected[1].GetProperty("field").GetString());
        Assert.Contains("myspace", rejected[1].GetProperty("reason").GetString());
        Assert.Equal("author.handle", rejected[3].GetProperty("field").GetString());
        Assert.Contains("followers", rejected[4].GetProperty("field").GetString());
        Assert.Contains("number", rejected[5].GetProperty("reason").GetString());

        var list = await Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/mentions");
        Assert.Equal(2, list.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Ingest_SameBatchTwice_StoresEachMentionOnce()
    {
        var ws = await host.NewWorkspaceAsync();
        var items = Enumerable.Range(0, 50).Select(i => Payloads.Mention("id" + i, "mention number " + i, minute: i)).ToArray();

        var first = await (await Client.PostAsJsonAsync($"/api/workspaces/{ws}/ingest", items)).Content.ReadFromJsonAsync<JsonElement>();
        var second = await (await Client.PostAsJsonAsync($"/api/workspaces/{ws}/ingest", items)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(50, first.GetProperty("inserted").GetInt32());
        Assert.Equal(0, second.GetProperty("inserted").GetInt32());
        Assert.Equal(50, second.GetProperty("unchanged").GetInt32());
        var series = await Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/series?interval=day&from={Payloads.Base.AddDays(-1):O}&to={Payloads.Base.AddDays(1):O}".Replace("+", "%2B"));
        Assert.Equal(50, series.GetProperty("points").EnumerateArray().Sum(p => p.GetProperty("count").GetInt64()));
    }

    [Fact]
    public async Task Ingest_EditedMention_UpdatesInPlaceAndKeepsPreviousVersion()
    {
        var ws = await host.NewWorkspaceAsync();
        await Client.PostAsJsonAsync($"/api/workspaces/{ws}/ingest", new[] { Payloads.Mention("e1", "the food was fine") });
        var response = await Client.PostAsJsonAsync($"/api/workspaces/{ws}/ingest", new[] { Payloads.Mention("e1", "the food made me sick, food poisoning") });

        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, report.GetProperty("updated").GetInt32());
        var page = await Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/mentions");
        var item = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal("the food made me sick, food poisoning", item.GetProperty("text").GetString());
        var detail = await Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/mentions/{item.GetProperty("id").GetInt64()}");
        var version = Assert.Single(detail.GetProperty("versions").EnumerateArray());
        Assert.Equal("the food was fine", version.GetProperty("text").GetString());
        var why = detail.GetProperty("mention").GetProperty("analysis").GetProperty("why").EnumerateArray().Select(t => t.GetString()!).ToArray();
        Assert.NotEmpty(why);
        Assert.All(why, term => Assert.Contains(term, "the food made me sick, food poisoning", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Ingest_Ndjson_RejectsBadLinesByLineNumberAndKeepsTheRest()
    {
        var ws = await host.NewWorkspaceAsync();
        var good1 = JsonSerializer.Serialize(Payloads.Mention("n1", "first"));
        var good2 = JsonSerializer.Serialize(Payloads.Mention("n2", "second"));
        var body = new MemoryStream();
        void Line(byte[] bytes)
        {
            body.Write(bytes);
            body.WriteByte((byte)'\n');
        }

        Line(Encoding.UTF8.GetBytes(good1));
        Line(Encoding.UTF8.GetBytes("{\"platform\": \"x\", broken"));
        Line([]);
        Line([.. Encoding.UTF8.GetBytes("{\"platform\":\"x\",\"externalId\":\"bad\",\"text\":\""), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("\"}")]);
        Line(Encoding.UTF8.GetBytes(good2));
        var content = new ByteArrayContent(body.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");

        var response = await Client.PostAsync($"/api/workspaces/{ws}/ingest", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, report.GetProperty("inserted").GetInt32());
        var rejected = report.GetProperty("rejected").EnumerateArray().ToArray();
        Assert.Equal(2, rejected.Length);
        Assert.Equal(2, rejected[0].GetProperty("line").GetInt64());
        Assert.Equal(4, rejected[1].GetProperty("line").GetInt64());
        Assert.Contains("UTF-8", rejected[1].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Ingest_MalformedJsonBody_Returns400ProblemWithPosition()
    {
        var ws = await host.NewWorkspaceAsync();
        var response = await Client.PostAsync($"/api/workspaces/{ws}/ingest", new StringContent("[{\"platform\": \"x\",\n \"text\": }]", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, problem.GetProperty("line").GetInt64());
        Assert.Contains("line 2", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("text/plain", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("application/xml", HttpStatusCode.UnsupportedMediaType)]
    public async Task Ingest_UnsupportedContentType_Returns415(string contentType, HttpStatusCode expected)
    {
        var ws = await host.NewWorkspaceAsync();
        var response = await Client.PostAsync($"/api/workspaces/{ws}/ingest", new StringContent("hello", Encoding.UTF8, contentType));
        Assert.Equal(expected, response.StatusCode);
        Assert.Contains("application/x-ndjson", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Ingest_AllItemsInvalid_Returns422WithEveryRejection()
    {
        var ws = await host.NewWorkspaceAsync();
        var response = await Client.PostAsJsonAsync($"/api/workspaces/{ws}/ingest", new[] { new { platform = "x" }, new { platform = "x" } });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, problem.GetProperty("rejected").GetArrayLength());
    }

    [Fact]
    public async Task Ingest_TooManyItems_Returns413SayingTheLimit()
    {
        var ws = await host.NewWorkspaceAsync();
        var json = "[" + string.Join(',', Enumerable.Repeat("{}", 10_001)) + "]";
        var response = await Client.PostAsync($"/api/workspaces/{ws}/ingest", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("10,000", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Ingest_TenMegabyteText_IsRejectedWithTheLimitAndNeighboursKept()
    {
        var ws = await host.NewWorkspaceAsync();
        var blob = new string('x', 10 * 1024 * 1024);
        var response = await Client.PostAsJsonAsync($"/api/workspaces/{ws}/ingest", new[] { Payloads.Mention("big", blob), Payloads.Mention("small", "normal text") });

        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, report.GetProperty("inserted").GetInt32());
        var rejection = Assert.Single(report.GetProperty("rejected").EnumerateArray());
        Assert.Equal("text", rejection.GetProperty("field").GetString());
        Assert.Contains("100,000", rejection.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Ingest_UnknownWorkspace_Returns404Problem()
    {
        var response = await Client.PostAsJsonAsync("/api/workspaces/nope-nope/ingest", new[] { Payloads.Mention("1", "x") });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("nope-nope", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Ingest_FarFutureTimestamp_IsRejectedAsFuture()
    {
        var ws = await host.NewWorkspaceAsync();
        var future = Payloads.Mention("f", "from the future");
        future["createdAt"] = TimeProvider.System.GetUtcNow().AddYears(30);
        var response = await Client.PostAsJsonAsync($"/api/workspaces/{ws}/ingest", new[] { future, Payloads.Mention("ok", "fine") });

        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        var rejection = Assert.Single(report.GetProperty("rejected").EnumerateArray());
        Assert.Equal("createdAt", rejection.GetProperty("field").GetString());
        Assert.Contains("future", rejection.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Ingest_HostileText_IsStoredExactlyAndReturnedAsEscapedJson()
    {
        var ws = await host.NewWorkspaceAsync();
        var texts = new[]
        {
            "<script>alert('x')</script><img src=x onerror=alert(1)>",
            "مرحبا بكم في طيران أورورا 🛫 #أورورا",
            "Z̸̢̛a̷͖͐l̶̰̾g̵̣̈o̸̱͝ t̴e̸x̸t",
            "\u202Eevil RTL override \u202C with emoji 👨‍👩‍👧",
        };
        var response = await Client.PostAsJsonAsync($"/api/workspaces/{ws}/ingest", texts.Select((t, i) => Payloads.Mention("h" + i, t, minute: i)).ToArray());
        response.EnsureSuccessStatusCode();

        var raw = await Client.GetStringAsync($"/api/workspaces/{ws}/mentions?limit=10");
        Assert.DoesNotContain("<script>", raw, StringComparison.Ordinal);
        var items = JsonDocument.Parse(raw).RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("text").GetString()!).ToHashSet();
        Assert.Equal(texts.Order(), items.Order());
    }
}
