namespace Firebreak.Cli;

using System.CommandLine;
using Firebreak.Core.Mentions;
using Firebreak.Core.Text;
using Firebreak.Core.Topics.Query;
using Spectre.Console;

internal static class TopicsCommand
{
    public static Command Create()
    {
        var command = new Command("topics", "List, add and test topic queries.");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Add());
        command.Subcommands.Add(Test());
        return command;
    }

    private static Command List()
    {
        var list = new Command("list", "List a workspace's topics.") { FirebreakCli.Workspace };
        list.SetAction(async (result, ct) =>
        {
            await using var engine = await LocalEngine.OpenAsync(result);
            var ws = await engine.RequireWorkspaceAsync(result.GetValue(FirebreakCli.Workspace)!, false, ct);
            var table = new Table().AddColumns("Id", "Name", "Query", "Enabled");
            foreach (var topic in await engine.Topics.ListAsync(ws.Id, ct))
            {
                table.AddRow(new Text(topic.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), new Text(topic.Name), new Text(topic.Query), new Text(topic.Enabled ? "yes" : "no"));
            }

            AnsiConsole.Write(table);
            return 0;
        });
        return list;
    }

    private static Command Add()
    {
        var name = new Option<string>("--name") { Description = "Topic name", Required = true };
        var query = new Option<string>("--query") { Description = "Boolean query, e.g. \"(refund* OR chargeback) AND #AuroraAir\"", Required = true };
        var add = new Command("add", "Add a topic; the query is checked first.") { FirebreakCli.Workspace, name, query };
        add.SetAction(async (result, ct) =>
        {
            var text = result.GetValue(query)!;
            if (!Report(text))
            {
                return 1;
            }

            await using var engine = await LocalEngine.OpenAsync(result);
            var ws = await engine.RequireWorkspaceAsync(result.GetValue(FirebreakCli.Workspace)!, false, ct);
            var topic = await engine.Topics.AddAsync(ws.Id, result.GetValue(name)!.Trim(), text, true, ct)
                ?? throw new CliException($"Workspace '{ws.Slug}' already has a topic named '{result.GetValue(name)}'.");
            var status = await engine.Backfill.RunOneAsync(ws.Id, topic.Id, QueryParser.Parse(text).Query, 0, ct);
            AnsiConsole.MarkupLineInterpolated($"Added topic [green]{topic.Name}[/] (id {topic.Id}): {status.Added:N0} of the last {engine.Backfill.Days} days' {status.Scanned:N0} mentions match; new mentions match as they arrive.");
            return 0;
        });
        return add;
    }

    private static Command Test()
    {
        var query = new Option<string>("--query") { Description = "Query to check", Required = true };
        var text = new Option<string[]>("--text") { Description = "Text(s) to match against; without it, the workspace's newest mentions are used", AllowMultipleArgumentsPerToken = true };
        var limit = new Option<int>("--limit") { Description = "How many recent mentions to test against", DefaultValueFactory = _ => 2_000 };
        var test = new Command("test", "Check a query's syntax and show what it matches.") { FirebreakCli.Workspace, query, text, limit };
        test.SetAction(async (result, ct) =>
        {
            var source = result.GetValue(query)!;
            if (!Report(source))
            {
                return 1;
            }

            var compiled = QueryParser.Parse(source).Query!;
            var tokenizer = new Tokenizer();
            var subject = new MatchSubject();
            var texts = result.GetValue(text);
            if (texts is { Length: > 0 })
            {
                var now = DateTimeOffset.UnixEpoch;
                foreach (var sample in texts)
                {
                    var mention = new Mention
                    {
                        WorkspaceId = 0, Platform = Platform.Other, ExternalId = "cli", Kind = MentionKind.Post,
                        Author = new MentionAuthor("cli", null, 0, false), Text = sample, CreatedAt = now, CapturedAt = now,
                    };
                    subject.Load(mention, tokenizer);
                    AnsiConsole.MarkupLine((compiled.Matches(subject) ? "[green]match   [/] " : "[grey]no match[/] ") + Markup.Escape(sample));
                }

                return 0;
            }

            await using var engine = await LocalEngine.OpenAsync(result);
            var ws = await engine.RequireWorkspaceAsync(result.GetValue(FirebreakCli.Workspace)!, false, ct);
            var recent = await engine.Mentions.RecentAsync(ws.Id, result.GetValue(limit), ct);
            var matched = 0;
            foreach (var mention in recent)
            {
                subject.Load(mention, tokenizer);
                if (compiled.Matches(subject))
                {
                    if (++matched <= 15)
                    {
                        AnsiConsole.MarkupLineInterpolated($"[grey]{mention.CreatedAt:u} {mention.Platform.ToWire()} @{mention.Author.Handle}[/] {mention.Text}");
                    }
                }
            }

            AnsiConsole.MarkupLineInterpolated($"Matched [green]{matched:N0}[/] of the newest {recent.Count:N0} mentions.");
            return 0;
        });
        return test;
    }

    /// <summary>Prints the query with a caret under the error, the way a compiler would.</summary>
    internal static bool Report(string query, bool announce = true)
    {
        var parsed = QueryParser.Parse(query);
        if (parsed.Error is not { } error)
        {
            if (announce)
            {
                AnsiConsole.MarkupLine("[green]Query is valid.[/]");
            }

            return true;
        }

        // Errors go to stderr so they never end up inside an export written to stdout.
        Console.Error.WriteLine($"error: {error.Message}");
        Console.Error.WriteLine("  " + query.ReplaceLineEndings(" "));
        Console.Error.WriteLine("  " + new string(' ', Math.Min(error.Position, query.Length)) + new string('^', Math.Max(1, error.Length)));
        return false;
    }
}
