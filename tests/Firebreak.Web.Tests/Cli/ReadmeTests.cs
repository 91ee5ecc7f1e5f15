namespace Firebreak.Web.Tests.Cli;

using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

/// <summary>The README's two set-up commands are the product's front door: they are run, not trusted.</summary>
public sealed partial class ReadmeTests : IDisposable
{
    private readonly DirectoryInfo data = Directory.CreateTempSubdirectory("firebreak-readme-");

    [Fact]
    public void Readme_TestCommand_IsWhatCiRuns()
    {
        var commands = SetupCommands();
        Assert.Equal(2, commands.Count);
        var ci = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, ".ci", "run"));
        Assert.Contains(commands[1], ci, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readme_ServeCommand_StartsWithADemoWorkspaceThatFillsUp()
    {
        var serve = SetupCommands()[0];
        Assert.Contains("--demo", serve, StringComparison.Ordinal);

        // Run the README's command word for word; only the data folder and port move, through the
        // environment variables the CLI documents, so the test never touches a developer's ./data.
        var start = new ProcessStartInfo("bash", ["-c", "exec " + serve]) { WorkingDirectory = TestPaths.RepositoryRoot };
        start.Environment["FIREBREAK_DATA"] = data.FullName;
        start.Environment["FIREBREAK_URLS"] = $"http://127.0.0.1:{TestPaths.FreePort()}";
        var (server, url) = await ServerProcess.StartAsync(start, TimeSpan.FromMinutes(4));
        await using (server)
        {
            // The README's first sign-in: the console prints the setup link; the owner it creates owns the demo workspace.
            var link = System.Text.RegularExpressions.Regex.Match(server.Output, "First run: open (\\S+)/setup\\?token=(\\S+) to create the owner account");
            Assert.True(link.Success, server.Output);
            Assert.Equal(url, link.Groups[1].Value);
            var token = await Firebreak.Tests.Shared.TestAccounts.SetupOwnerAsync(new Uri(url), link.Groups[2].Value);
            using var client = Firebreak.Tests.Shared.TestAccounts.WithBearer(new Uri(url), token);
            await Firebreak.Tests.Shared.Poll.UntilAsync(async () => (await client.GetFromJsonAsync<JsonElement>("/api/workspaces")).GetArrayLength() > 0, TimeSpan.FromSeconds(60), () => "the demo workspace never appeared");
            var workspaces = await client.GetFromJsonAsync<JsonElement>("/api/workspaces");
            Assert.Contains(workspaces.EnumerateArray(), w => w.GetProperty("slug").GetString() == "demo");

            var languages = new HashSet<string>();
            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < TimeSpan.FromSeconds(90) && languages.Count < 5)
            {
                var page = await client.GetFromJsonAsync<JsonElement>("/api/workspaces/demo/mentions?limit=500");
                languages.UnionWith(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("language").GetString()!));
                await Task.Delay(500);
            }

            Assert.Superset(new HashSet<string> { "en", "id", "fr", "ru", "ar" }, languages);
            var topics = await client.GetFromJsonAsync<JsonElement>("/api/workspaces/demo/topics");
            Assert.True(topics.GetArrayLength() >= 5);
        }
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        data.Delete(recursive: true);
    }

    /// <summary>The commands in the README's set-up section, in order: the fenced sh blocks under its heading.</summary>
    private static List<string> SetupCommands()
    {
        var readme = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "README.md"));
        var section = readme[readme.IndexOf("## Set-up", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 5, StringComparison.Ordinal)];
        return FencedSh().Matches(section).Select(m => m.Groups[1].Value.Trim()).ToList();
    }

    [GeneratedRegex("```sh\\n(.+?)\\n```", RegexOptions.Singleline)]
    private static partial Regex FencedSh();
}
