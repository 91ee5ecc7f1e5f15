namespace Firebreak.Cli;

using System.CommandLine;
using Firebreak.Core.Incidents;
using Firebreak.Core.Publishing;
using Firebreak.Core.Publishing.Holds;
using Firebreak.Core.Publishing.Outbox;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

/// <summary>
/// `firebreak publishing pause|resume|status`: the pause switch from a terminal, on the data folder (or --postgres)
/// directly, so it works when the web UI does not. Audited and written to active incidents' timelines like the API.
/// </summary>
internal static class PublishingCommand
{
    private static readonly Option<string> Reason = new("--reason") { Description = "Why (shown to everyone, kept in the audit log)" };
    private static readonly Option<string> Scope = new("--scope") { Description = "workspace (default), platform or campaign", DefaultValueFactory = _ => "workspace" };
    private static readonly Option<string?> Target = new("--target") { Description = "The platform (e.g. Mastodon) or campaign to hold" };
    private static readonly Option<bool> EventMode = new("--event-mode") { Description = "Also return every planned post in scope to review" };

    public static Command Create()
    {
        var command = new Command("publishing", "The publishing pause switch and the outbox's state.");
        command.Subcommands.Add(Pause());
        command.Subcommands.Add(Resume());
        command.Subcommands.Add(Status());
        return command;
    }

    private static Command Pause()
    {
        var pause = new Command("pause", "Hold scheduled posts now (all of a workspace, one platform or one campaign).") { FirebreakCli.Workspace, Reason, Scope, Target, EventMode };
        pause.SetAction(async (result, ct) =>
        {
            await using var engine = await LocalEngine.OpenAsync(result);
            var ws = await engine.RequireWorkspaceAsync(result.GetValue(FirebreakCli.Workspace)!, false, ct);
            var scope = ParseScope(result.GetValue(Scope));
            var outcome = await Run(() => engine.Services.GetRequiredService<PublishHoldService>().PauseAsync(
                ws.Id, new PauseRequest(scope, result.GetValue(Target), result.GetValue(Reason) ?? string.Empty, result.GetValue(EventMode)), Actor, ct));
            AnsiConsole.MarkupLineInterpolated($"[yellow]Publishing paused[/] in {ws.Slug} ({PublishHoldService.Describe(outcome.Hold)}): {outcome.Hold.Reason}");
            foreach (var item in outcome.InFlight)
            {
                AnsiConsole.MarkupLineInterpolated($"  already being sent (may still go out): #{item.Id} post {item.PostId} on {item.Platform}");
            }

            if (outcome.ReturnedForReview.Count > 0)
            {
                AnsiConsole.MarkupLineInterpolated($"  event mode: {outcome.ReturnedForReview.Count} planned post(s) returned to review");
            }

            return 0;
        });
        return pause;
    }

    private static Command Resume()
    {
        var resume = new Command("resume", "Release holds (all, or the one named by --scope/--target); overdue posts return to review, not sent.") { FirebreakCli.Workspace, Scope, Target };
        resume.SetAction(async (result, ct) =>
        {
            await using var engine = await LocalEngine.OpenAsync(result);
            var ws = await engine.RequireWorkspaceAsync(result.GetValue(FirebreakCli.Workspace)!, false, ct);
            HoldScope? scope = result.GetResult(Scope) is { Implicit: false } ? ParseScope(result.GetValue(Scope)) : null;
            var outcome = await Run(() => engine.Services.GetRequiredService<PublishHoldService>().ResumeAsync(ws.Id, scope, result.GetValue(Target), Actor, ct));
            if (outcome.Released.Count == 0)
            {
                Console.WriteLine("Nothing to resume: no matching hold.");
                return 0;
            }

            AnsiConsole.MarkupLineInterpolated($"[green]Publishing resumed[/] in {ws.Slug}: {string.Join(", ", outcome.Released.Select(PublishHoldService.Describe))}; {outcome.ReturnedForReview.Count} overdue post(s) returned to review.");
            return 0;
        });
        return resume;
    }

    private static Command Status()
    {
        var status = new Command("status", "Holds in force, the publisher's last heartbeat and the outbox's items by state.") { FirebreakCli.Workspace };
        status.SetAction(async (result, ct) =>
        {
            await using var engine = await LocalEngine.OpenAsync(result);
            var ws = await engine.RequireWorkspaceAsync(result.GetValue(FirebreakCli.Workspace)!, false, ct);
            var store = engine.Services.GetRequiredService<IOutboxStore>();
            var holds = await store.ActiveHoldsAsync(ws.Id, ct);
            Console.WriteLine(holds.Count == 0 ? "Publishing: running (no holds)." : "Publishing: PAUSED");
            foreach (var h in holds)
            {
                Console.WriteLine($"  hold #{h.Hold.Id}: {PublishHoldService.Describe(h.Hold)}{(h.Hold.EventMode ? " (event mode)" : "")} since {h.Hold.Since:yyyy-MM-dd HH:mm} UTC by {h.ByName}: {h.Hold.Reason}");
            }

            var beat = await store.LastBeatAsync(ct);
            Console.WriteLine(beat is { } b ? $"Publisher heartbeat: {(engine.Clock.GetUtcNow() - b).TotalSeconds:N0} s ago" : "Publisher heartbeat: never (no server has run the sender)");
            foreach (var (state, count) in (await store.CountByStateAsync(ws.Id, ct)).OrderBy(p => p.Key))
            {
                Console.WriteLine($"  {state}: {count}");
            }

            foreach (var failed in await store.ListAsync(ws.Id, [OutboxState.Failed], 20, ct))
            {
                Console.WriteLine($"  failed #{failed.Id} post {failed.PostId} on {failed.Platform}: {failed.LastError}");
            }

            return 0;
        });
        return status;
    }

    private static IncidentActor Actor => new(null, $"cli:{Environment.UserName}");

    private static HoldScope ParseScope(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "workspace" or "all" => HoldScope.Workspace,
        "platform" => HoldScope.Platform,
        "campaign" => HoldScope.Campaign,
        _ => throw new CliException($"--scope must be workspace, platform or campaign, not '{text}'."),
    };

    private static async Task<T> Run<T>(Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (HoldRequestException ex)
        {
            throw new CliException($"--{ex.Field}: {ex.Message}.");
        }
    }
}
