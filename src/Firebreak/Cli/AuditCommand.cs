namespace Firebreak.Cli;

using System.CommandLine;
using Spectre.Console;

/// <summary>`firebreak audit verify`: checks the audit log's hash chain with the server secret and names the first broken entry.</summary>
internal static class AuditCommand
{
    public static Command Create()
    {
        var verify = new Command("verify", "Check that no audit entry was altered, removed or re-chained (needs the same FIREBREAK_SECRET_KEY or secret.key as the server).");
        verify.SetAction(async (result, ct) =>
        {
            await using var engine = await LocalEngine.OpenAsync(result);
            var outcome = await engine.Audit.VerifyAsync(ct);
            if (outcome.Intact)
            {
                AnsiConsole.MarkupLineInterpolated($"[green]Audit log intact[/]: {outcome.Checked:N0} entries chain correctly.");
                return 0;
            }

            AnsiConsole.MarkupLineInterpolated($"[red]Audit log broken at entry {outcome.FirstBroken}[/]: {outcome.Problem}. {outcome.Checked:N0} entries before it are intact.");
            return 1;
        });
        var command = new Command("audit", "The tamper-evident audit log.");
        command.Subcommands.Add(verify);
        return command;
    }
}
