namespace Firebreak.Cli;

using System.CommandLine;
using System.Text.Json;
using Firebreak.Core.Ingestion;
using Spectre.Console;

internal static class ImportCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "NDJSON (.ndjson, .jsonl) or CSV (.csv) file of mentions" };
        var format = new Option<string?>("--format") { Description = "ndjson or csv (default: from the file extension)" };
        var create = new Option<bool>("--create-workspace") { Description = "Create the workspace if it does not exist" };
        var rejects = new Option<FileInfo?>("--rejects") { Description = "Where to write rejected items (default: FILE.rejects.ndjson, only if any)" };
        var command = new Command("import", "Import mentions from a file, with a progress bar. Re-importing the same file changes nothing.") { file, FirebreakCli.Workspace, format, create, rejects };
        command.SetAction(async (result, ct) =>
        {
            var input = result.GetValue(file)!;
            if (!input.Exists)
            {
                throw new CliException($"File not found: {input.FullName}");
            }

            var kind = result.GetValue(format)?.ToLowerInvariant() ?? (input.Extension.Equals(".csv", StringComparison.OrdinalIgnoreCase) ? "csv" : "ndjson");
            if (kind is not ("csv" or "ndjson"))
            {
                throw new CliException($"Unknown format '{kind}'; use ndjson or csv.");
            }

            await using var engine = await LocalEngine.OpenAsync(result);
            var ws = await engine.RequireWorkspaceAsync(result.GetValue(FirebreakCli.Workspace)!, result.GetValue(create), ct);
            var report = await ImportAsync(engine.Pipeline, ws.Id, input, kind, ct);
            AnsiConsole.MarkupLineInterpolated($"[green]{report.Inserted:N0}[/] new, [blue]{report.Updated:N0}[/] updated, {report.Unchanged:N0} already known, [red]{report.Rejected.Count:N0}[/] rejected, of {report.Received:N0} items.");
            if (report.Rejected.Count > 0)
            {
                var path = result.GetValue(rejects)?.FullName ?? input.FullName + ".rejects.ndjson";
                await using (var writer = new StreamWriter(path))
                {
                    foreach (var r in report.Rejected)
                    {
                        await writer.WriteLineAsync(JsonSerializer.Serialize(new { line = r.Line, index = r.Index, field = r.Field, reason = r.Reason, externalId = r.ExternalId }));
                    }
                }

                foreach (var r in report.Rejected.Take(10))
                {
                    AnsiConsole.MarkupLineInterpolated($"  line {r.Line ?? r.Index}: [yellow]{r.Field}[/] {r.Reason}");
                }

                AnsiConsole.MarkupLineInterpolated($"All rejections: {path}");
                return 2;
            }

            return 0;
        });
        return command;
    }

    internal static async Task<IngestReport> ImportAsync(IngestPipeline pipeline, long workspaceId, FileInfo input, string kind, CancellationToken ct)
    {
        await using var stream = new FileStream(input.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var total = Math.Max(1, stream.Length);
        var report = IngestReport.Empty;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask($"Importing {input.Name}", maxValue: total);
                var pending = new Queue<Task<IngestReport>>();
                async Task SettleAsync(int keep)
                {
                    while (pending.Count > keep)
                    {
                        report = report.Add(await pending.Dequeue());
                    }
                }

                if (kind == "csv")
                {
                    var reader = new CsvBatchReader();
                    await foreach (var batch in reader.ReadAsync(workspaceId, stream, ct))
                    {
                        pending.Enqueue(await pipeline.EnqueueAsync(batch, ct));
                        task.Value = Math.Min(stream.Position, total);
                        await SettleAsync(8);
                    }
                }
                else
                {
                    var reader = new NdjsonBatchReader();
                    await foreach (var batch in reader.ReadAsync(workspaceId, stream, ct))
                    {
                        pending.Enqueue(await pipeline.EnqueueAsync(batch, ct));
                        task.Value = reader.BytesRead;
                        await SettleAsync(8);
                    }
                }

                await SettleAsync(0);
                task.Value = total;
            });
        return report;
    }
}
