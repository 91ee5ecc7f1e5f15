namespace Firebreak.Cli;

using System.CommandLine;
using Firebreak.Core.Playbooks;

/// <summary>
/// Playbooks as files, so a team can keep them in git and check them in CI: validate files (exit 1 with line:column
/// errors) and export the shipped library. Needs no data folder.
/// </summary>
internal static class PlaybooksCommand
{
    public static Command Create()
    {
        var command = new Command("playbooks", "Validate playbook files and export the shipped library.");
        command.Subcommands.Add(Validate());
        command.Subcommands.Add(Export());
        return command;
    }

    private static Command Validate()
    {
        var files = new Argument<FileInfo[]>("files") { Description = "Playbook files (.yaml)", Arity = ArgumentArity.OneOrMore };
        var validate = new Command("validate", "Check playbook files; prints file:line:column: message for each problem and exits 1 if any.") { files };
        validate.SetAction(async (result, ct) =>
        {
            var failed = 0;
            foreach (var file in result.GetValue(files)!)
            {
                if (!file.Exists)
                {
                    await Console.Error.WriteLineAsync($"{file.FullName}: no such file");
                    failed++;
                    continue;
                }

                var parsed = PlaybookYaml.Parse(await File.ReadAllTextAsync(file.FullName, ct));
                if (parsed.IsValid)
                {
                    Console.WriteLine($"{file.Name}: ok ({parsed.Playbook!.Key}, {parsed.Playbook.Steps.Count} steps)");
                    continue;
                }

                failed++;
                foreach (var error in parsed.Errors)
                {
                    // The compiler's file:line:column shape, which editors and CI annotate.
                    await Console.Error.WriteLineAsync($"{file.Name}:{error.Line}:{error.Column}: {error.Message}");
                }
            }

            return failed == 0 ? 0 : 1;
        });
        return validate;
    }

    private static Command Export()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder to write <key>.yaml files into (created if missing)", Required = true };
        var export = new Command("export", "Write the shipped playbooks as YAML files, one per playbook.") { output };
        export.SetAction(async (result, ct) =>
        {
            var folder = result.GetValue(output)!;
            folder.Create();
            foreach (var shipped in ShippedPlaybooks.List)
            {
                await File.WriteAllTextAsync(Path.Combine(folder.FullName, shipped.Playbook.Key + ".yaml"), shipped.Yaml, ct);
            }

            Console.WriteLine($"Wrote {ShippedPlaybooks.List.Count} playbooks to {folder.FullName}");
            return 0;
        });
        return export;
    }
}
