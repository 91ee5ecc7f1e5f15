namespace Firebreak.Web.Tests.Api;

using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

public sealed class ExportApiTests(ApiHost host) : IClassFixture<ApiHost>
{
    private HttpClient Client => host.Client;

    [Fact]
    public async Task ExportNdjson_ReimportedIntoAnotherWorkspace_GivesTheSameMentions()
    {
        var source = await host.NewWorkspaceAsync();
        var texts = new[] { "plain", "quote \" and, comma", "line\nbreak", "=HYPERLINK(\"http://evil\")", "مرحبا", "@handle first" };
        await Client.PostAsJsonAsync($"/api/workspaces/{source}/ingest", texts.Select((t, i) => Payloads.Mention("x" + i, t, minute: i)).ToArray());

        var ndjson = await Client.GetStringAsync($"/api/workspaces/{source}/mentions/export?format=ndjson");
        Assert.Equal(texts.Length, ndjson.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        var target = await host.NewWorkspaceAsync();
        var content = new StringContent(ndjson, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        var report = await (await Client.PostAsync($"/api/workspaces/{target}/ingest", content)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(texts.Length, report.GetProperty("inserted").GetInt32());

        var copied = await Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{target}/mentions");
        Assert.Equal(texts.Order(), copied.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("text").GetString()!).Order());
    }

    [Fact]
    public async Task ExportCsv_GuardsFormulasAndQuotesFields()
    {
        var ws = await host.NewWorkspaceAsync();
        await Client.PostAsJsonAsync($"/api/workspaces/{ws}/ingest", new[] { Payloads.Mention("1", "=cmd|' /C calc'!A0"), Payloads.Mention("2", "a, \"b\"", minute: 1) });

        var response = await Client.GetAsync($"/api/workspaces/{ws}/mentions/export?format=csv");
        var csv = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("id,platform,external_id", csv, StringComparison.Ordinal);
        Assert.Contains("\"'=cmd|' /C calc'!A0\"", csv, StringComparison.Ordinal);
        Assert.Contains("\"a, \"\"b\"\"\"", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamMentions_DeliversCommittedMentionsLive()
    {
        var ws = await host.NewWorkspaceAsync();
        using var stream = host.StreamClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await stream.GetAsync($"/api/workspaces/{ws}/mentions/stream", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));

        await Client.PostAsJsonAsync($"/api/workspaces/{ws}/ingest", new[] { Payloads.Mention("live-1", "hello live world") });

        string? data = null;
        while (data is null && await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line["data: ".Length..];
            }
        }

        Assert.NotNull(data);
        Assert.Equal("live-1", JsonDocument.Parse(data).RootElement.GetProperty("externalId").GetString());
    }
}
