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

    public void Dispose() => root.Delete(recursive: true);

    private async Task<(int Code, string Output)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(TestPaths.FirebreakDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.ArgumentList.Add("--data");
        start.ArgumentList.Add(DataDir);
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
