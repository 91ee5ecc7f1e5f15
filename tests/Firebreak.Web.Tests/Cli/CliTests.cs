namespace Firebreak.Web.Tests.Cli;

using System.Diagnostics;
using System.Text;
using Firebreak.Web.Tests.Api;

/// <summary>The `firebreak` verbs, run as a user runs them: a real process on a real data folder.</summary>
public sealed class CliTests : IDisposable
{
    private readonly DirectoryInfo root = Directory.CreateTempSubdirectory("firebreak-cli-");

    private string DataDir => Path.Combine(root.FullName, "data");

    [Fact]
    public async Task ImportCsv_ThenReimport_AddsOnceAndReportsRejectedLines()
    {
        var csv = Path.Combine(root.FullName, "in.csv");
        await File.WriteAllTextAsync(csv, string.Join("\r\n",
            "platform,external_id,kind,author_handle,author_followers,text,language,created_at,likes",
            $"x,1,post,alice,10,\"multi-line\ntext, with \"\"quotes\"\"\",en,{Payloads.Base:O},3",
            $"x,2,post,bob,abc,bad followers,en,{Payloads.Base:O},0",
            $"mastodon,3,post,carol,5,'=1+1 guarded,en,{Payloads.Base:O},0",
            $"x,4,post,dave,5,no date,en,,0") + "\r\n");

        var first = await RunAsync("import", csv, "-w", "acme", "--create-workspace");
        var second = await RunAsync("import", csv, "-w", "acme");

        Assert.Equal(2, first.Code);
        Assert.Contains("2 new", first.Output, StringComparison.Ordinal);
        Assert.Contains("line 4: author_followers", first.Output, StringComparison.Ordinal);
        Assert.Contains("0 new", second.Output, StringComparison.Ordinal);
        Assert.Contains("2 already known", second.Output, StringComparison.Ordinal);
        var rejects = await File.ReadAllLinesAsync(csv + ".rejects.ndjson");
        Assert.Equal(2, rejects.Length);

        var export = await RunAsync("export", "-w", "acme", "--format", "ndjson");
        Assert.Contains("multi-line\\ntext, with \\u0022quotes\\u0022", export.Output, StringComparison.Ordinal);
        Assert.Contains("=1\\u002B1 guarded", export.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokensCreate_GivesAnIngestTokenTheServerAccepts_AndAuditVerifyCatchesTampering()
    {
        var created = await RunAsync("tokens", "create", "--email", "collector@example.com", "-w", "acme", "--create-workspace", "--scopes", "ingest");
        Assert.Equal(0, created.Code);
        var token = created.Output.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("fbk_", StringComparison.Ordinal));

        await using (var app = await Hosting.FirebreakHost.BuildAsync(new Hosting.FirebreakOptions { DataDirectory = DataDir, Urls = "http://127.0.0.1:0" }))
        {
            await app.StartAsync();
            using var client = Firebreak.Tests.Shared.TestAccounts.WithBearer(new Uri(app.Urls.First()), token);
            Assert.Equal(System.Net.HttpStatusCode.OK, (await client.PostAsync("/api/workspaces/acme/ingest", new StringContent("[]", Encoding.UTF8, "application/json"))).StatusCode);
            Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await client.GetAsync("/api/workspaces/acme/mentions")).StatusCode);
            await app.StopAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var intact = await RunAsync("audit", "verify");
        Assert.Equal(0, intact.Code);
        Assert.Contains("intact", intact.Output, StringComparison.Ordinal);

        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(DataDir, "firebreak.db")};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE audit_log SET actor_name = 'someone else' WHERE seq = 1";
            Assert.Equal(1, command.ExecuteNonQuery());
        }

        var broken = await RunAsync("audit", "verify");
        Assert.Equal(1, broken.Code);
        Assert.Contains("broken at entry 1", broken.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportCsv_LineOverTheLimit_IsRejectedAndTheRestKept()
    {
        var csv = Path.Combine(root.FullName, "big.csv");
        await File.WriteAllTextAsync(csv, string.Join("\n",
            "platform,external_id,author_handle,text,created_at",
            $"x,1,alice,{new string('a', 2_000_000)},{Payloads.Base:O}",
            $"x,2,bob,fine,{Payloads.Base:O}") + "\n");

        var result = await RunAsync("import", csv, "-w", "big", "--create-workspace");

        Assert.Equal(2, result.Code);
        Assert.Contains("1 new", result.Output, StringComparison.Ordinal);
        Assert.Contains("line 2: $ line 2 is longer than", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Playbooks_ExportThenValidate_PassesAndABrokenFileFailsWithLineAndColumn()
    {
        var folder = Path.Combine(root.FullName, "playbooks");

        var export = await RunAsync("playbooks", "export", "--out", folder);
        var files = Directory.GetFiles(folder, "*.yaml").Order().ToArray();
        var valid = await RunAsync(["playbooks", "validate", .. files]);
        var broken = Path.Combine(folder, "broken.yaml");
        await File.WriteAllTextAsync(broken, (await File.ReadAllTextAsync(files[0])).Replace("owner: lead", "owner: boss", StringComparison.Ordinal));
        var invalid = await RunAsync("playbooks", "validate", files[1], broken);

        Assert.Equal(0, export.Code);
        Assert.Equal(9, files.Length);
        Assert.Equal(0, valid.Code);
        Assert.Equal(1, invalid.Code);
        Assert.Matches(@"broken\.yaml:\d+:12: Unknown incident role 'boss'", invalid.Output);
        Assert.Contains(": ok (", invalid.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TopicsTest_InvalidQuery_PointsAtThePosition()
    {
        var result = await RunAsync("topics", "test", "--query", "refund NEAR/x flight", "--text", "x");

        Assert.Equal(1, result.Code);
        Assert.Contains("NEAR", result.Output, StringComparison.Ordinal);
        Assert.Contains("       ^", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TopicsTest_WithTexts_SaysWhichMatch()
    {
        var result = await RunAsync("topics", "test", "--query", "refund* NEAR/3 flight", "--text", "I want a refund for my flight", "--text", "flight was great and the crew were lovely and kind, so no refund");

        Assert.Equal(0, result.Code);
        var lines = result.Output.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("match", StringComparison.Ordinal) && l.Contains("refund for my flight", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("no match", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Replay_GeneratesMultilingualStreamIntoTheStore()
    {
        var result = await RunAsync("replay", "-w", "demo", "--hours", "2", "--create-workspace");
        Assert.Equal(0, result.Code);

        var export = await RunAsync("export", "-w", "demo", "--format", "csv");
        var rows = export.Output.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.True(rows.Length > 500, $"only {rows.Length} rows");
    }

    [Fact]
    public async Task EvalAnomalies_ScoresANabFolderAndWritesNabResultFiles()
    {
        // A NAB-layout folder: one series of 2,000 five-minute rows with a spike inside its labelled window.
        var nab = Directory.CreateDirectory(Path.Combine(root.FullName, "nab", "synthetic"));
        var start = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var random = new Random(1);
        var rows = Enumerable.Range(0, 2_000).Select(i => $"{start.AddMinutes(5 * i):yyyy-MM-dd HH:mm:ss},{(i == 1_500 ? 400 : 100 + random.Next(-5, 6))}");
        await File.WriteAllTextAsync(Path.Combine(nab.FullName, "spike.csv"), "timestamp,value\n" + string.Join("\n", rows) + "\n");
        await File.WriteAllTextAsync(Path.Combine(nab.Parent!.FullName, "combined_windows.json"), $$"""{"synthetic/spike.csv": [["{{start.AddMinutes(5 * 1_450):yyyy-MM-dd HH:mm:ss}}.000000", "{{start.AddMinutes(5 * 1_550):yyyy-MM-dd HH:mm:ss}}.000000"]]}""");
        var results = Path.Combine(root.FullName, "results");

        var result = await RunProcessAsync(["eval", "anomalies", "--data", nab.Parent.FullName, "--out", results]);

        Assert.Equal(0, result.Code);
        Assert.Contains("1 files, 2,000 rows, 1 labelled windows", result.Output, StringComparison.Ordinal);

        // The spike is the window's middle row: worth S(−51/101)/S(−1) = 0.863 of a window, normalised (0.863 + 1) / 2 = 93.16%.
        Assert.Matches(@"standard\s+\|\s+93\.16 \|", result.Output);
        var written = await File.ReadAllLinesAsync(Path.Combine(results, "firebreak", "synthetic", "firebreak_spike.csv"));
        Assert.Equal("timestamp,value,anomaly_score,label", written[0]);
        Assert.Equal(2_001, written.Length);
        Assert.EndsWith(",1", written[1_501], StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(results, "final_results.json")));
    }

    [Fact]
    public async Task EvalAnomalies_NotANabFolder_SaysWhatItNeeds()
    {
        var result = await RunProcessAsync(["eval", "anomalies", "--data", root.FullName]);

        Assert.Equal(1, result.Code);
        Assert.Contains("combined_windows.json is missing", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", result.Output, StringComparison.Ordinal);
    }

    public void Dispose() => root.Delete(recursive: true);

    private Task<(int Code, string Output)> RunAsync(params string[] args) => RunProcessAsync([.. args, "--data", DataDir]);

    internal static async Task<(int Code, string Output)> RunProcessAsync(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(TestPaths.FirebreakDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["TERM"] = "dumb";
        start.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        var output = new StringBuilder(await stdout).Append(await stderr).ToString();
        return (process.ExitCode, output);
    }
}
