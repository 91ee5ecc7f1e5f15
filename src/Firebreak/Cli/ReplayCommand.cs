namespace Firebreak.Cli;

using System.CommandLine;
using Firebreak.Core.Ingestion;
using Firebreak.Core.Scenarios;
using Spectre.Console;

internal static class ReplayCommand
{
    public static Command Create()
    {
        var scenario = new Option<string>("--scenario") { Description = "Scenario: " + string.Join(", ", ScenarioCatalog.All.Select(s => s.Name)), DefaultValueFactory = _ => ScenarioCatalog.Default };
        var hours = new Option<double>("--hours") { Description = "Length of the scenario in hours", DefaultValueFactory = _ => 24 };
        var rate = new Option<double>("--rate") { Description = "Average mentions per minute outside the crisis", DefaultValueFactory = _ => 20 };
        var seed = new Option<int>("--seed") { Description = "Random seed (same seed, same stream)", DefaultValueFactory = _ => 42 };
        var live = new Option<bool>("--live") { Description = "Start now and release mentions in (scaled) real time instead of loading the past hours at once" };
        var speed = new Option<double>("--speed") { Description = "With --live: replay speed (1 = real time)", DefaultValueFactory = _ => 1 };
        var create = new Option<bool>("--create-workspace") { Description = "Create the workspace if it does not exist" };
        var command = new Command("replay", "Generate a realistic multilingual mention stream (with a crisis burst) into a workspace.")
        {
            FirebreakCli.Workspace, scenario, hours, rate, seed, live, speed, create,
        };
        command.SetAction(async (result, ct) =>
        {
            await using var engine = await LocalEngine.OpenAsync(result);
            var ws = await engine.RequireWorkspaceAsync(result.GetValue(FirebreakCli.Workspace)!, result.GetValue(create), ct);
            var duration = TimeSpan.FromHours(result.GetValue(hours));
            var now = engine.Clock.GetUtcNow();
            var isLive = result.GetValue(live);
            var start = isLive ? now : now - duration;
            if (!ScenarioCatalog.TryCreate(result.GetValue(scenario)!, start, out var options))
            {
                throw new CliException($"Unknown scenario '{result.GetValue(scenario)}'; use one of {string.Join(", ", ScenarioCatalog.All.Select(s => s.Name))}.");
            }

            options = options with { Duration = duration, BaseRatePerMinute = result.GetValue(rate), Seed = result.GetValue(seed) };
            var replayer = new ScenarioReplayer(engine.Pipeline, engine.Clock);
            var generator = new ScenarioGenerator(options);
            IngestReport? report = null;
            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .StartAsync(async progress =>
                {
                    var task = progress.AddTask($"Replaying {options.Brand} ({result.GetValue(scenario)})", maxValue: duration.TotalSeconds);
                    var run = replayer.RunAsync(ws.Id, generator, isLive, result.GetValue(speed), ct);
                    while (!run.IsCompleted)
                    {
                        await Task.WhenAny(run, Task.Delay(200, ct));
                        if (generator.NextCaptureAt is { } next)
                        {
                            task.Value = (next - options.Start).TotalSeconds;
                        }
                    }

                    report = await run;
                    task.Value = task.MaxValue;
                });
            AnsiConsole.MarkupLineInterpolated($"[green]{report!.Inserted:N0}[/] new, {report.Updated:N0} updated, {report.Unchanged:N0} duplicates, {report.Rejected.Count:N0} rejected.");
            return 0;
        });
        return command;
    }
}
