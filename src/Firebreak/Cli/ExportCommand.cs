namespace Firebreak.Cli;

using System.CommandLine;
using Firebreak.Core.Mentions;
using Firebreak.Core.Topics.Query;
using Firebreak.Web.Endpoints;

internal static class ExportCommand
{
    public static Command Create()
    {
        var format = new Option<string>("--format") { Description = "ndjson or csv", DefaultValueFactory = _ => "ndjson" };
        var output = new Option<FileInfo?>("--out", "-o") { Description = "Output file (default: standard output)" };
        var topic = new Option<long?>("--topic") { Description = "Only this topic's mentions" };
        var query = new Option<string?>("--q") { Description = "Only mentions matching this query" };
        var from = new Option<DateTimeOffset?>("--from") { Description = "Created at or after (ISO 8601)" };
        var to = new Option<DateTimeOffset?>("--to") { Description = "Created before (ISO 8601)" };
        var command = new Command("export", "Export mentions as NDJSON (re-importable) or CSV.") { FirebreakCli.Workspace, format, output, topic, query, from, to };
        command.SetAction(async (result, ct) =>
        {
            var kind = result.GetValue(format)!.ToLowerInvariant();
            if (kind is not ("ndjson" or "csv"))
            {
                throw new CliException($"Unknown format '{kind}'; use ndjson or csv.");
            }

            var q = result.GetValue(query);
            if (q is not null && !TopicsCommand.Report(q, announce: false))
            {
                return 1;
            }

            await using var engine = await LocalEngine.OpenAsync(result);
            var ws = await engine.RequireWorkspaceAsync(result.GetValue(FirebreakCli.Workspace)!, false, ct);
            var filter = new MentionFilter { TopicId = result.GetValue(topic), Text = q, From = result.GetValue(from), To = result.GetValue(to) };
            var file = result.GetValue(output);
            await using var stream = file is null ? Console.OpenStandardOutput() : file.Create();
            await ExportWriter.WriteAsync(stream, engine.Mentions.StreamAsync(ws.Id, filter, ct), kind == "csv", ct);
            return 0;
        });
        return command;
    }
}
