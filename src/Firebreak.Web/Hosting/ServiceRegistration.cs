namespace Firebreak.Web.Hosting;

using Firebreak.Core.Analysis;
using Firebreak.Core.Corrections;
using Firebreak.Core.RiskCues;
using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;
using Firebreak.Core.Topics;
using Firebreak.Core.Workspaces;
using Firebreak.Text.Analysis;
using Firebreak.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

/// <summary>One Add method per feature, so Program reads like a table of contents.</summary>
public static class ServiceRegistration
{
    /// <summary>The embedded SQLite store (the default provider).</summary>
    public static IServiceCollection AddSqliteStore(this IServiceCollection services, SqliteStoreOptions options)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton<SqliteDatabase>();
        services.AddSingleton<IWorkspaceStore, SqliteWorkspaceStore>();
        services.AddSingleton<ITopicStore, SqliteTopicStore>();
        services.AddSingleton<IMentionReader, SqliteMentionReader>();
        services.AddSingleton<ISeriesReader, SqliteSeriesReader>();
        services.AddSingleton<SqliteMentionWriter>();
        services.AddSingleton<IMentionWriter>(sp => sp.GetRequiredService<SqliteMentionWriter>());
        services.AddSingleton<ITopicMembershipWriter>(sp => sp.GetRequiredService<SqliteMentionWriter>());
        services.AddSingleton<IMentionLabelWriter>(sp => sp.GetRequiredService<SqliteMentionWriter>());
        services.AddSingleton<IRiskCueStore, SqliteRiskCueStore>();
        services.AddSingleton<ICorrectionStore, SqliteCorrectionStore>();
        return services;
    }

    /// <summary>The ingest pipeline: parse → normalise → dedupe → analyse → match → persist (+ roll up) → publish.</summary>
    public static IServiceCollection AddIngestion(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        // The shipped text models (language, sentiment, offensive, hate, emotion) plus the workspace's risk cues.
        services.TryAddSingleton(_ => TextModels.LoadDefault());
        services.TryAddSingleton(sp => new WorkspaceModelOptions { Directory = sp.GetService<SqliteStoreOptions>() is { } store ? Path.Combine(store.DataDirectory, "models") : null });
        services.AddSingleton<WorkspaceModels>();
        services.AddSingleton<RiskCueAnalyser>();
        services.TryAddSingleton<IMentionAnalyser, TextAnalyser>();
        services.AddSingleton<TopicCatalog>();
        services.AddSingleton<RiskCueMatcher>();
        services.AddSingleton<LiveMentionHub>();
        services.AddSingleton<MentionNormaliser>();
        services.AddSingleton(new IngestPipelineOptions());
        services.AddSingleton(sp => new IngestPipeline(
            [
                new ParseStage(),
                new NormaliseStage(sp.GetRequiredService<MentionNormaliser>()),
                new DedupeStage(),
                new AnalyseStage(sp.GetRequiredService<IMentionAnalyser>()),
                new MatchStage(sp.GetRequiredService<TopicCatalog>()),
                new PersistStage(sp.GetRequiredService<IMentionWriter>()),
                new PublishStage(sp.GetRequiredService<LiveMentionHub>()),
            ],
            sp.GetRequiredService<IngestPipelineOptions>()));
        services.AddHostedService<IngestPipelineService>();
        services.AddSingleton<TopicBackfill>();
        services.AddHostedService<TopicBackfillService>();
        services.AddSingleton<WorkspaceResolver>();
        return services;
    }
}
