namespace Firebreak.Web.Tests.Cli;

using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Firebreak.Web.Tests.Api;

/// <summary>
/// Corrections end to end: people correct labels through the API, `firebreak train --workspace` folds them
/// into that workspace's own model, and the running server analyses the next mentions with it.
/// </summary>
public sealed class CorrectionsFlowTests(ApiHost host) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task Corrections_TrainWorkspace_ServerUsesWorkspaceModelForNewMentions()
    {
        var client = host.Client;
        var ws = await host.NewWorkspaceAsync();
        var other = await host.NewWorkspaceAsync();

        // This team's jargon: "gate lice" is what their community calls a very good thing.
        var texts = Enumerable.Range(0, 12).Select(i => $"gate lice again on flight {i} lol").ToArray();
        await client.PostAsJsonAsync($"/api/workspaces/{ws}/ingest", texts.Select((t, i) => Payloads.Mention("g" + i, t, minute: i)).ToArray());
        var page = await client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/mentions?limit=50");
        foreach (var item in page.GetProperty("items").EnumerateArray())
        {
            var response = await client.PostAsJsonAsync($"/api/workspaces/{ws}/mentions/{item.GetProperty("id").GetInt64()}/labels", new { task = "sentiment", label = "positive" });
            response.EnsureSuccessStatusCode();
        }

        var train = await RunAsync("train", "--workspace", ws, "--task", "sentiment", "--correction-weight", "20", "--data", host.DataDirectory);
        Assert.True(train.Code == 0, train.Output);
        Assert.Contains("12 corrections folded in", train.Output, StringComparison.Ordinal);

        var probe = Payloads.Mention("probe", "gate lice again on flight 99 lol", minute: 30);
        await client.PostAsJsonAsync($"/api/workspaces/{ws}/ingest", new[] { probe });
        await client.PostAsJsonAsync($"/api/workspaces/{other}/ingest", new[] { probe });

        var mine = (await client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/mentions?q=99&limit=1")).GetProperty("items")[0].GetProperty("analysis");
        var theirs = (await client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{other}/mentions?limit=1")).GetProperty("items")[0].GetProperty("analysis");
        Assert.Contains("+ws", mine.GetProperty("analyser").GetString(), StringComparison.Ordinal);
        Assert.Equal("positive", mine.GetProperty("sentiment").GetString());
        Assert.DoesNotContain("+ws", theirs.GetProperty("analyser").GetString(), StringComparison.Ordinal);
        Assert.NotEqual("positive", theirs.GetProperty("sentiment").GetString());
    }

    private static async Task<(int Code, string Output)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(TestPaths.FirebreakDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        return (process.ExitCode, await stdout + await stderr);
    }
}
