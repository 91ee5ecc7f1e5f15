namespace Firebreak.Web.Hosting;

using Firebreak.Core.Analysis;
using Firebreak.Core.Cluster;
using Firebreak.Core.Detection.Items;
using Firebreak.Core.Detection.Live;
using Firebreak.Core.Detection.Monitoring;
using Firebreak.Core.Detection.Terms;
using Firebreak.Core.Corrections;
using Firebreak.Core.RiskCues;
using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;
using Firebreak.Core.Topics;
using Firebreak.Core.Workspaces;
using Firebreak.Text.Analysis;
using Firebreak.Storage;
using Firebreak.Storage.Postgres;
using Firebreak.Storage.Sqlite;
using Firebreak.Messaging.RabbitMq;
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
        services.AddSingleton<IStoreDatabase>(sp => sp.GetRequiredService<SqliteDatabase>());
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
        // One node owns the embedded store, so its singletons' leases only need to agree within this process.
        services.TryAddSingleton<ILeaseStore, InProcessLeaseStore>();
        return services;
    }

    /// <summary>
    /// The PostgreSQL store (chosen when a connection string is configured): same seams, same behaviour;
    /// several nodes may share one database.
    /// </summary>
    public static IServiceCollection AddPostgresStore(this IServiceCollection services, PostgresStoreOptions options)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton<PostgresDatabase>();
        services.AddSingleton<IStoreDatabase>(sp => sp.GetRequiredService<PostgresDatabase>());
        services.AddSingleton<IWorkspaceStore, PostgresWorkspaceStore>();
        services.AddSingleton<ITopicStore, PostgresTopicStore>();
        services.AddSingleton<IMentionReader, PostgresMentionReader>();
        services.AddSingleton<ISeriesReader, PostgresSeriesReader>();
        services.AddSingleton<PostgresMentionWriter>();
        services.AddSingleton<IMentionWriter>(sp => sp.GetRequiredService<PostgresMentionWriter>());
        services.AddSingleton<ITopicMembershipWriter>(sp => sp.GetRequiredService<PostgresMentionWriter>());
        services.AddSingleton<IMentionLabelWriter>(sp => sp.GetRequiredService<PostgresMentionWriter>());
        services.AddSingleton<IRiskCueStore, PostgresRiskCueStore>();
        services.AddSingleton<ICorrectionStore, PostgresCorrectionStore>();
        // Nodes share the database, so leases (leaders, worker membership) live there.
        services.TryAddSingleton<ILeaseStore>(sp => new PostgresLeaseStore(sp.GetRequiredService<PostgresDatabase>().DataSource));
        return services;
    }

    /// <summary>PostgreSQL when <see cref="FirebreakOptions.PostgresConnectionString"/> is set, the embedded SQLite store otherwise.</summary>
    public static IServiceCollection AddStore(this IServiceCollection services, FirebreakOptions options) =>
        string.IsNullOrWhiteSpace(options.PostgresConnectionString)
            ? services.AddSqliteStore(new SqliteStoreOptions { DataDirectory = options.DataDirectory, DurableCommits = options.DurableCommits })
            : services.AddPostgresStore(new PostgresStoreOptions { ConnectionString = options.PostgresConnectionString, DataDirectory = options.DataDirectory });

    /// <summary>The ingest pipeline: parse → normalise → dedupe → analyse → match → persist (+ roll up) → detect → publish.</summary>
    public static IServiceCollection AddIngestion(this IServiceCollection services)
    {
        services.AddIngestServices();
        services.AddLiveDetectors();
        services.AddSingleton(sp => new IngestPipeline(
            [
                new ParseStage(),
                new NormaliseStage(sp.GetRequiredService<MentionNormaliser>()),
                new DedupeStage(),
                new AnalyseStage(sp.GetRequiredService<IMentionAnalyser>()),
                new MatchStage(sp.GetRequiredService<TopicCatalog>()),
                new PersistStage(sp.GetRequiredService<IMentionWriter>()),
                new DetectStage(sp.GetRequiredService<LiveDetector>()),
                new PublishStage(sp.GetRequiredService<LiveMentionHub>()),
            ],
            sp.GetRequiredService<IngestPipelineOptions>()));
        services.AddHostedService<IngestPipelineService>();
        services.AddSingleton<TopicBackfill>();
        services.AddHostedService<TopicBackfillService>();
        return services;
    }

    /// <summary>
    /// A front node of a distributed deployment: parse → normalise → dedupe → enqueue to RabbitMQ; workers
    /// (<see cref="AddIngestWorker"/>) do the rest. Live mentions and cache invalidations cross nodes as events.
    /// </summary>
    public static IServiceCollection AddBrokerIngestion(this IServiceCollection services, RabbitMqOptions rabbit)
    {
        services.AddIngestServices();
        services.AddSingleton(rabbit);
        services.AddSingleton<BrokerIngestStage>();
        services.AddSingleton(sp => new IngestPipeline(
            [
                new ParseStage(),
                new NormaliseStage(sp.GetRequiredService<MentionNormaliser>()),
                new DedupeStage(),
                sp.GetRequiredService<BrokerIngestStage>(),
            ],
            sp.GetRequiredService<IngestPipelineOptions>()));
        services.AddHostedService<IngestPipelineService>();
        services.AddClusterEvents();
        // Topic edits still re-match stored mentions from here, against the shared store.
        services.AddSingleton<TopicBackfill>();
        services.AddHostedService<TopicBackfillService>();
        return services;
    }

    /// <summary>A worker: consumes its share of the ingest partitions, analyses, matches, stores, announces.</summary>
    public static IServiceCollection AddIngestWorker(this IServiceCollection services, RabbitMqOptions rabbit)
    {
        services.AddIngestServices();
        services.AddSingleton(rabbit);
        services.AddClusterEvents();
        services.AddSingleton(sp => new IngestPipeline(
            [
                new AnalyseStage(sp.GetRequiredService<IMentionAnalyser>()),
                new MatchStage(sp.GetRequiredService<TopicCatalog>()),
                new PersistStage(sp.GetRequiredService<IMentionWriter>()),
                new AnnounceStage(sp.GetRequiredService<RabbitClusterEvents>()),
            ],
            WorkerPipelineOptions(sp.GetRequiredService<IngestPipelineOptions>(), rabbit)));
        services.AddHostedService<IngestPipelineService>();
        services.AddSingleton(sp =>
        {
            var leases = sp.GetRequiredService<ILeaseStore>();
            return new IngestWorker(
                rabbit,
                sp.GetRequiredService<IngestPipeline>(),
                leases,
                // Reading the lease table proves the shared database answers.
                async ct => (await leases.ListLiveAsync("worker:", ct).ConfigureAwait(false)) is not null,
                sp.GetRequiredService<TimeProvider>(),
                async (id, ct) => (await sp.GetRequiredService<IWorkspaceStore>().ListAsync(ct).ConfigureAwait(false)).Any(w => w.Id == id));
        });
        services.AddHostedService<IngestWorkerService>();
        return services;
    }

    /// <summary>
    /// A worker's pipeline queues hold as many batches as it may have unacknowledged messages (partitions ×
    /// prefetch), which it holds in memory anyway. With the default of 4, a stream of small messages (a web node
    /// splits each request across partitions) let the persist stage commit only a handful per transaction, and
    /// the worker fell behind at 1,000 mentions/s; now one transaction takes everything that has arrived.
    /// </summary>
    private static IngestPipelineOptions WorkerPipelineOptions(IngestPipelineOptions configured, RabbitMqOptions rabbit) => new()
    {
        QueueCapacity = Math.Max(configured.QueueCapacity, rabbit.Partitions * rabbit.Prefetch),
        MaxGroupItems = configured.MaxGroupItems,
    };

    /// <summary>
    /// The live detectors the detect stage feeds (series per topic, viral items, emerging terms). Judging closed
    /// minutes and handing findings to alerting is <see cref="LiveDetectionService"/>'s job, registered with alerting.
    /// </summary>
    private static void AddLiveDetectors(this IServiceCollection services)
    {
        services.TryAddSingleton(new LiveDetectionOptions());
        services.AddSingleton(sp => new TopicSeriesMonitor(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new ViralItemDetector(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new EmergingTermDetector(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new LiveDetector(
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<TopicSeriesMonitor>(),
            sp.GetRequiredService<ViralItemDetector>(),
            sp.GetRequiredService<EmergingTermDetector>(),
            sp.GetRequiredService<LiveDetectionOptions>()));
    }

    private static void AddClusterEvents(this IServiceCollection services)
    {
        services.AddSingleton<RabbitClusterEvents>();
        services.AddHostedService<ClusterEventsService>();
    }

    /// <summary>What every pipeline shape needs: text models, topic and cue matchers, the live hub.</summary>
    private static void AddIngestServices(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        // The shipped text models (language, sentiment, offensive, hate, emotion) plus the workspace's risk cues.
        services.TryAddSingleton(_ => TextModels.LoadDefault());
        services.TryAddSingleton(sp => new WorkspaceModelOptions { Directory = (sp.GetService<SqliteStoreOptions>()?.DataDirectory ?? sp.GetService<PostgresStoreOptions>()?.DataDirectory) is { } folder ? Path.Combine(folder, "models") : null });
        services.AddSingleton<WorkspaceModels>();
        services.AddSingleton<RiskCueAnalyser>();
        services.TryAddSingleton<IMentionAnalyser, TextAnalyser>();
        services.AddSingleton<TopicCatalog>();
        services.AddSingleton<RiskCueMatcher>();
        services.AddSingleton<LiveMentionHub>();
        services.AddSingleton<MentionNormaliser>();
        services.TryAddSingleton(new IngestPipelineOptions());
        services.AddSingleton<WorkspaceResolver>();
    }
}
