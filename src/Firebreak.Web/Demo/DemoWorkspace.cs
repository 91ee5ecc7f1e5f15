namespace Firebreak.Web.Demo;

using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;
using Firebreak.Core.Scenarios;
using Firebreak.Core.Topics;
using Firebreak.Core.Workspaces;
using Firebreak.Web.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

public static class DemoWorkspaceRegistration
{
    public static IServiceCollection AddDemoWorkspace(this IServiceCollection services) =>
        services.AddHostedService<DemoWorkspaceService>();
}

/// <summary>
/// The demo: a workspace for a fictional airline with ready topics, two days of history, then a live
/// multilingual stream in which a viral complaint turns into a crisis a few minutes after start.
/// </summary>
public sealed class DemoWorkspaceService(
    FirebreakOptions options,
    IWorkspaceStore workspaces,
    ITopicStore topics,
    TopicCatalog catalog,
    IMentionReader mentions,
    IngestPipeline pipeline,
    TimeProvider clock,
    Core.Security.IAccountStore accounts,
    ILogger<DemoWorkspaceService> logger) : BackgroundService
{
    public const string Slug = "demo";

    /// <summary>Topics a social team at an airline would set up on day one, in the scenario's languages.</summary>
    public static readonly (string Name, string Query)[] Topics =
    [
        ("Brand", "\"aurora air\" OR auroraair OR #auroraair OR @auroraair OR author:auroraair"),
        ("Refunds", "refund* OR remboursement* OR rembours* OR reembolso* OR возврат* OR \"uang kembali\" OR refund OR استرداد OR Erstattung*"),
        ("Boycott and cancel", "boycott* OR boikot* OR бойкот* OR مقاطعة OR cancel* OR annul*"),
        ("Discrimination", "racis* OR racism* OR discrimin* OR rasis* OR расизм* OR расист* OR عنصري*"),
        ("Delays and service", "delay* OR delayed OR retard* OR terlambat OR delay OR задерж* OR تأخير OR Verspätung*"),
        ("Press", "kind:news OR platform:news"),
        ("High reach", "followers:>=100000"),
    ];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var workspace = await workspaces.FindAsync(Slug, stoppingToken)
                ?? await workspaces.AddAsync(Slug, "Aurora Air (demo)", "UTC", stoppingToken)
                ?? (await workspaces.FindAsync(Slug, stoppingToken))!;
            // The owner created at first run may have set up before the demo existed: they own it too.
            await accounts.GrantInstanceAdminsAsync(workspace.Id, stoppingToken);
            var existing = (await topics.ListAsync(workspace.Id, stoppingToken)).Select(t => t.Name).ToHashSet();
            foreach (var (name, query) in Topics)
            {
                if (!existing.Contains(name))
                {
                    await topics.AddAsync(workspace.Id, name, query, true, stoppingToken);
                }
            }

            catalog.Invalidate(workspace.Id);
            var now = clock.GetUtcNow();
            var hasHistory = await mentions.CountAsync(workspace.Id, stoppingToken) > 0;
            var history = hasHistory ? TimeSpan.Zero : options.DemoHistory;
            var start = now - history;
            var scenario = new ScenarioOptions
            {
                Start = start,
                Duration = history + TimeSpan.FromDays(1),
                CrisisStart = history + TimeSpan.FromMinutes(options.DemoCrisisAfterMinutes),
                // A new seed per start, so a restarted demo streams new mentions instead of re-sending old ones.
                Seed = (int)(now.ToUnixTimeSeconds() / 60 % int.MaxValue),
            };
            logger.LogInformation("Demo workspace '{Slug}': streaming {History} of history, then live; crisis at {Crisis:u}", Slug, history, start + scenario.CrisisStart!.Value);
            var replayer = new ScenarioReplayer(pipeline, clock);
            await replayer.RunAsync(workspace.Id, new ScenarioGenerator(scenario), realTime: true, options.DemoSpeed, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
