namespace Firebreak.Cli;

using System.CommandLine;
using Spectre.Console;

internal static class WorkspacesCommand
{
    public static Command Create()
    {
        var command = new Command("workspaces", "List or add workspaces.");
        var list = new Command("list", "List workspaces.");
        list.SetAction(async (result, ct) =>
        {
            await using var engine = await LocalEngine.OpenAsync(result);
            var table = new Table().AddColumns("Slug", "Name", "Time zone", "Mentions");
            foreach (var ws in await engine.Workspaces.ListAsync(ct))
            {
                table.AddRow(new Text(ws.Slug), new Text(ws.Name), new Text(ws.TimeZone), new Text((await engine.Mentions.CountAsync(ws.Id, ct)).ToString("N0", System.Globalization.CultureInfo.InvariantCulture)));
            }

            AnsiConsole.Write(table);
            return 0;
        });
        var slug = new Argument<string>("slug") { Description = "Short id used in URLs, e.g. aurora-air" };
        var name = new Option<string?>("--name") { Description = "Display name" };
        var add = new Command("add", "Add a workspace.") { slug, name };
        add.SetAction(async (result, ct) =>
        {
            await using var engine = await LocalEngine.OpenAsync(result);
            var s = result.GetValue(slug)!;
            var created = await engine.Workspaces.AddAsync(s, result.GetValue(name) ?? s, "UTC", ct) ?? throw new CliException($"Workspace '{s}' already exists.");
            AnsiConsole.MarkupLineInterpolated($"Added workspace [green]{created.Slug}[/].");
            return 0;
        });
        command.Subcommands.Add(list);
        command.Subcommands.Add(add);
        return command;
    }
}
