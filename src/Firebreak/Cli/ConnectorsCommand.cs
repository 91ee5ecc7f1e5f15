namespace Firebreak.Cli;

using System.CommandLine;
using System.Globalization;
using Firebreak.Core.Connectors;
using Firebreak.Web.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

/// <summary><c>firebreak connectors backfill</c>: fetch a past time range of one listening source into the store.</summary>
internal static class ConnectorsCommand
{
    public static Command Create()
    {
        var source = new Option<long>("--source") { Description = "The source's id (GET /api/workspaces/{ws}/sources)", Required = true };
        var from = new Option<string>("--from") { Description = "Start of the range (ISO 8601, e.g. 2025-03-01T00:00:00Z)", Required = true };
        var to = new Option<string>("--to") { Description = "End of the range, exclusive (ISO 8601); default now" };
        var backfill = new Command("backfill", "Ingest what the source's platform has for a time range (the live checkpoint is left alone; items already stored are not duplicated).")
        {
            FirebreakCli.Workspace, source, from, to,
        };
        backfill.SetAction(async (result, ct) =>
        {
            await using var engine = await LocalEngine.OpenAsync(result.GetValue(FirebreakCli.Data)!, configure: s => s.AddConnectors(runSources: false), postgres: result.GetValue(FirebreakCli.Postgres));
            var ws = await engine.RequireWorkspaceAsync(result.GetValue(FirebreakCli.Workspace)!, create: false, ct);
            var id = result.GetValue(source);
            var found = (await engine.Workspaces.ListSourcesAsync(ws.Id, ct)).FirstOrDefault(s => s.Id == id)
                ?? throw new CliException($"No source {id} in workspace '{ws.Slug}'; list them with GET /api/workspaces/{ws.Slug}/sources.");
            var start = Time(result.GetValue(from)!, "--from");
            var end = result.GetValue(to) is { } t ? Time(t, "--to") : engine.Clock.GetUtcNow();
            if (end <= start)
            {
                throw new CliException("--to must be after --from.");
            }

            var runner = engine.Services.GetRequiredService<ConnectorRunner>();
            if (runner.ConnectorFor(found.Platform)?.Unsupported(found) is { } why || runner.ConnectorFor(found.Platform) is null)
            {
                throw new CliException(runner.ConnectorFor(found.Platform)?.Unsupported(found) ?? $"No connector listens to {found.Platform} yet.");
            }

            ListenReport? report = null;
            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async progress =>
                {
                    // Platforms page newest-first or oldest-first; the bar shows how much of the range the pages have covered.
                    var task = progress.AddTask($"Backfilling {found.Platform} {found.Target}", maxValue: (end - start).TotalSeconds);
                    var seen = new Progress<BackfillProgress>(p =>
                    {
                        if (p.Reached is { } reached)
                        {
                            task.Value = Math.Max(task.Value, Math.Clamp((reached - start).TotalSeconds, 0, task.MaxValue));
                        }

                        task.Description = $"Backfilling {found.Platform} {found.Target}: {p.Items:N0} items, {p.Pages:N0} pages";
                    });
                    report = await runner.BackfillAsync(found, start, end, seen, ct);
                    task.Value = task.MaxValue;
                });
            AnsiConsole.MarkupLineInterpolated($"[green]{report!.Inserted:N0}[/] new of {report.Received:N0} received in {report.Pages:N0} pages, {report.Rejected:N0} rejected, {report.Errors.Count:N0} unreadable items.");
            foreach (var error in report.Errors.Take(10))
            {
                AnsiConsole.MarkupLineInterpolated($"[yellow]{error.Connector}[/] {error.Position}: {error.Reason}");
            }

            if (report.Failure is { } failure)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]Stopped:[/] {failure.Message}");
                return 1;
            }

            return 0;
        });
        return new Command("connectors", "Platform connectors: backfill a source.") { backfill };
    }

    private static DateTimeOffset Time(string text, string option) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : throw new CliException($"{option}: '{text}' is not a time; use ISO 8601, e.g. 2025-03-01T00:00:00Z.");
}
