namespace Firebreak.Web.Tests.Publishing;

using Firebreak.Web.Tests.Cli;

/// <summary>`firebreak publishing pause|status|resume` as a user runs it: a real process on a real data folder.</summary>
public sealed class PublishingCliTests : IDisposable
{
    private readonly DirectoryInfo root = Directory.CreateTempSubdirectory("firebreak-cli-publishing-");

    private string DataDir => Path.Combine(root.FullName, "data");

    [Fact]
    public async Task PauseStatusResume_FromTheCommandLine()
    {
        Assert.Equal(0, (await RunAsync("tokens", "create", "--email", "ops@example.com", "-w", "acme", "--create-workspace", "--scopes", "read")).Code);

        var noReason = await RunAsync("publishing", "pause", "-w", "acme");
        Assert.Equal(1, noReason.Code);
        Assert.Contains("--reason: say why publishing is paused", noReason.Output, StringComparison.Ordinal);
        var badScope = await RunAsync("publishing", "pause", "-w", "acme", "--reason", "x", "--scope", "planet");
        Assert.Equal(1, badScope.Code);
        Assert.Contains("--scope must be workspace, platform or campaign", badScope.Output, StringComparison.Ordinal);

        var paused = await RunAsync("publishing", "pause", "-w", "acme", "--reason", "CEO statement pending", "--scope", "platform", "--target", "bluesky");
        Assert.Equal(0, paused.Code);
        Assert.Contains("Publishing paused in acme (platform Bluesky): CEO statement pending", paused.Output, StringComparison.Ordinal);

        var status = await RunAsync("publishing", "status", "-w", "acme");
        Assert.Contains("Publishing: PAUSED", status.Output, StringComparison.Ordinal);
        Assert.Contains("platform Bluesky since", status.Output, StringComparison.Ordinal);
        Assert.Contains("by cli:", status.Output, StringComparison.Ordinal);

        var resumed = await RunAsync("publishing", "resume", "-w", "acme");
        Assert.Equal(0, resumed.Code);
        Assert.Contains("Publishing resumed in acme: platform Bluesky;", resumed.Output, StringComparison.Ordinal); // Spectre wraps long lines at 80 columns
        Assert.Contains("Publishing: running (no holds).", (await RunAsync("publishing", "status", "-w", "acme")).Output, StringComparison.Ordinal);
        Assert.Contains("Nothing to resume", (await RunAsync("publishing", "resume", "-w", "acme")).Output, StringComparison.Ordinal);
    }

    public void Dispose() => root.Delete(recursive: true);

    private Task<(int Code, string Output)> RunAsync(params string[] args) => CliTests.RunProcessAsync([.. args, "--data", DataDir]);
}
