namespace Firebreak.Web.Hosting;

using Firebreak.Core.Alerts;
using Firebreak.Core.Alerts.Channels;
using Firebreak.Core.Alerts.Channels.Email;
using Firebreak.Core.Analysis;
using Firebreak.Core.Cluster;
using Firebreak.Core.Detection.Items;
using Firebreak.Core.Detection.Live;
using Firebreak.Core.Detection.Monitoring;
using Firebreak.Core.Detection.Terms;
using Firebreak.Core.Corrections;
using Firebreak.Core.RiskCues;
using Firebreak.Core.Secrets;
using Firebreak.Core.Ingestion;
using Firebreak.Core.Mentions;
using Firebreak.Core.Topics;
using Firebreak.Core.Workspaces;
using Firebreak.Text.Analysis;
using Firebreak.Storage;
using Firebreak.Storage.Accounts;
using Firebreak.Storage.Alerts;
using Firebreak.Core.Security;
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
        services.AddSingleton<PortableDatabase, SqlitePortableDatabase>();
        services.AddServerSecret(options.DataDirectory);
        services.AddAlertStores();
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
        services.AddSingleton<PortableDatabase, PostgresPortableDatabase>();
        services.AddServerSecret(options.DataDirectory);
        services.AddAlertStores();
        // Nodes share the database, so leases (leaders, worker membership) live there.
        services.TryAddSingleton<ILeaseStore>(sp => new PostgresLeaseStore(sp.GetRequiredService<PostgresDatabase>().DataSource));
        return services;
    }

    /// <summary>
    /// Secrets at rest (channel secrets, TOTP secrets) and the audit chain's key come from one server secret:
    /// FIREBREAK_SECRET_KEY, or secret.key in the data folder (created on first use).
    /// </summary>
    private static void AddServerSecret(this IServiceCollection services, string? dataDirectory) =>
        services.TryAddSingleton<ISecretProtector>(_ => AesGcmSecretProtector.Load(Environment.GetEnvironmentVariable(AesGcmSecretProtector.KeyVariable), dataDirectory ?? "data"));

    /// <summary>The alert stores, written once over the provider's <see cref="PortableDatabase"/>.</summary>
    private static void AddAlertStores(this IServiceCollection services)
    {
        services.AddSingleton<IAlertConfigStore, AlertConfigStore>();
        services.AddSingleton<IAlertStore, AlertStore>();
        services.AddSingleton<IAlertOutbox, AlertOutbox>();
        services.AddSingleton<Core.Wellbeing.IWellbeingStore, Storage.Wellbeing.WellbeingStore>();
        services.AddSingleton<Core.Wellbeing.MutedAuthors>();
        services.AddSingleton<Core.Playbooks.IPlaybookStore, Storage.Playbooks.PlaybookStore>();
        services.AddSingleton<Core.Playbooks.PlaybookLibrary>();
        services.AddSingleton<Core.Incidents.IIncidentStore, Storage.Incidents.IncidentStore>();
        services.AddSingleton<Core.Incidents.IncidentService>();
        services.AddSingleton<Core.Incidents.PlaybookApplier>();
        services.AddSingleton<Core.Inbox.IInboxStore, Storage.Inbox.InboxStore>();
        services.AddSingleton<Core.Inbox.InboxService>();
        services.AddSingleton<Core.Inbox.AdvocateFinder>();
        services.AddSingleton<Core.Drills.IDrillStore, Storage.Drills.DrillStore>();
        services.AddSingleton<Core.Drills.IDrillSandboxes, Core.Drills.DrillSandboxes>();
        services.AddSingleton<Core.Incidents.Review.IReviewStore, Storage.Reviews.ReviewStore>();
        services.AddSingleton<Core.Incidents.Review.ReviewService>();
        services.AddSingleton<Core.Incidents.Decisions.DecisionService>();
        services.AddPostStores();
        services.AddPublishingOutboxStore();
        services.AddAccountStores();
    }

    /// <summary>
    /// Publishing's posts side: posts and approvals, the pre-publish risk check (the outbox calls it before sending) and
    /// the outcome sink (the outbox reports to it). The outbox, holds and owned accounts are other parts' registrations.
    /// </summary>
    private static void AddPostStores(this IServiceCollection services)
    {
        services.AddSingleton<Core.Publishing.Posts.IPostStore, Storage.Publishing.PostStore>();
        services.AddSingleton<Core.Publishing.Posts.PrePublishRiskCheck>();
        services.AddSingleton<Core.Publishing.IPrePublishCheck>(sp => sp.GetRequiredService<Core.Publishing.Posts.PrePublishRiskCheck>());
        services.AddSingleton<Core.Publishing.Posts.PostService>();
        services.AddSingleton<Core.Publishing.IPublishOutcomeSink>(sp => sp.GetRequiredService<Core.Publishing.Posts.PostService>());
        services.AddSingleton<Core.Publishing.Scorecards.IScorecardStore, Storage.Publishing.ScorecardStore>();
        services.AddSingleton<Core.Publishing.Scorecards.ScorecardService>();
    }

    /// <summary>
    /// Accounts and the audit log, over the provider's <see cref="PortableDatabase"/>. The audit chain's key is derived
    /// from the server secret (FIREBREAK_SECRET_KEY or secret.key), never from anything in the database.
    /// </summary>
    private static void AddAccountStores(this IServiceCollection services)
    {
        services.TryAddSingleton(new AccountOptions());
        services.TryAddSingleton(new PasswordHashOptions());
        services.AddSingleton<IAccountStore, AccountStore>();
        services.AddSingleton(sp => new AuditChain(sp.GetRequiredService<ISecretProtector>().DeriveKey("audit-chain")));
        services.AddSingleton<IAuditStore, AuditStore>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<PasswordHasher>();
        services.AddSingleton<AccountService>();
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
        // Workers store; one web node at a time detects, from the feed the workers publish after each commit.
        services.AddLiveDetectors();
        services.AddSingleton<DetectionFeedConsumer>();
        services.AddHostedService<DetectionFeedService>();
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

    /// <summary>
    /// Alerting: the detection entry point (<see cref="IAlertSink"/>), the alert lifecycle, the channels and the
    /// cluster-singleton loops (escalation ticker and delivery dispatcher, each under its lease). Secrets are encrypted
    /// with the key in FIREBREAK_SECRET_KEY, or in secret.key in the data folder (created on first start).
    /// </summary>
    public static IServiceCollection AddAlerting(this IServiceCollection services, FirebreakOptions options)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(new AlertOptions());
        // The crisis room: "Open as incident" opens (or joins) an incident, and linked alerts' milestones reach its timeline.
        services.TryAddSingleton<IIncidentOpener, Core.Incidents.AlertIncidentOpener>();
        services.AddSingleton<IAlertObserver>(sp => new LoggedAlertObserver(
            new Core.Incidents.IncidentAlertObserver(sp.GetRequiredService<Core.Incidents.IIncidentStore>()),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<LoggedAlertObserver>>()));
        services.AddSingleton<AlertLiveHub>();
        services.AddSingleton<DeliveryWakeup>();
        services.AddSingleton<AlertSink>();
        services.AddSingleton<IAlertSink>(sp => sp.GetRequiredService<AlertSink>());
        services.AddSingleton<AlertManager>();
        services.TryAddSingleton(sp => new RetrySchedule(sp.GetRequiredService<AlertOptions>(), Random.Shared));
        services.TryAddSingleton(sp => new AlertHttp(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(_ => new SmtpSender());
        services.AddSingleton<IAlertChannel, InAppChannel>();
        services.AddSingleton<IAlertChannel, EmailChannel>();
        services.AddSingleton<IAlertChannel, WebhookChannel>();
        services.AddSingleton<IAlertChannel, SlackChannel>();
        services.AddSingleton<IAlertChannel, TeamsChannel>();
        services.AddSingleton<AlertDispatcher>();
        services.AddHostedService<AlertSinkService>();
        services.AddHostedService<AlertEscalatorService>();
        services.AddHostedService<AlertDispatcherService>();
        services.AddPublishingOutbox();
        return services;
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
        services.AddSingleton<Components.WellbeingTracker>();
    }
}
