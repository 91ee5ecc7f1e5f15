namespace Firebreak.Web.Hosting;

using System.Text.Json;
using System.Text.Json.Serialization;
using Firebreak.Messaging.RabbitMq;
using Firebreak.Storage;
using Firebreak.Web.Auth;
using Firebreak.Web.Components;
using Firebreak.Web.Demo;
using Firebreak.Web.Drills;
using Firebreak.Web.Endpoints;
using Firebreak.Web.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

/// <summary>Builds the web host that `firebreak serve` runs and the contract tests start on a real port.</summary>
public static class FirebreakHost
{
    public static async Task<WebApplication> BuildAsync(FirebreakOptions options, Action<IServiceCollection>? configure = null, string[]? args = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args ?? [] });
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        builder.Services.AddSingleton(options);
        builder.Services.AddStore(options);
        if (options.RabbitMq is { Length: > 0 } rabbit)
        {
            builder.Services.AddBrokerIngestion(new RabbitMqOptions { Uri = new Uri(rabbit), ClientName = "firebreak-web", Prefix = options.RabbitMqPrefix });
            builder.Services.AddHostedService<AlertEventRelay>();
        }
        else
        {
            builder.Services.AddIngestion();
        }

        // Judges closed minutes and hands findings to alerting: fed by the detect stage in one process, by the
        // workers' detection feed in a distributed deployment.
        builder.Services.AddHostedService<LiveDetectionService>();

        builder.Services.AddAlerting(options);
        builder.Services.AddDrills();
        builder.Services.AddConnectors(options.RunConnectors);
        if (options.Demo)
        {
            builder.Services.AddDemoWorkspace();
        }

        builder.Services.AddSharedDataProtection(options);
        builder.Services.AddAccounts();
        builder.Services.AddProblemDetails();
        builder.Services.AddPrometheusMetrics();
        builder.Services.AddOpenApi(o => o.AddDocumentTransformer<BearerSecurityScheme>());
        builder.Services.AddRazorComponents();
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
            json.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
            // Every script stays readable (no \uXXXX for Arabic or CJK), but < > & ' " are always escaped.
            json.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All);
        });
        configure?.Invoke(builder.Services);

        var app = builder.Build();
        // Listening starts now, not at the first scrape, so counters include everything since start.
        app.Services.GetRequiredService<PrometheusExporter>();
        await app.Services.GetRequiredService<IStoreDatabase>().MigrateAsync();
        await app.Services.GetRequiredService<SetupToken>().InitialiseAsync(CancellationToken.None);

        app.UseExceptionHandler(new ExceptionHandlerOptions { StatusCodeSelector = StatusFor });
        app.UseStatusCodePages();
        app.Use(SecurityHeaders);
        app.UseAccounts();

        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapHealthEndpoints();
        app.MapMetricsEndpoint();
        app.MapUiAssets();
        app.MapUiEndpoints();
        app.MapRazorComponents<App>();

        // Every /api endpoint needs a signed-in account (cookie or bearer token) unless it says otherwise, and declares
        // its minimum workspace role (or an account-level/anonymous marker), which AccessMiddleware enforces.
        var api = app.MapGroup("/api").RequireAuthorization();
        api.MapAccountEndpoints()
            .MapMemberEndpoints()
            .MapWorkspaceEndpoints()
            .MapTopicEndpoints()
            .MapMentionEndpoints()
            .MapIngestEndpoints()
            .MapAnalysisEndpoints()
            .MapAlertEndpoints()
            .MapPlaybookEndpoints()
            .MapIncidentEndpoints()
            .MapReviewEndpoints();
        api.MapInboxEndpoints();
        api.MapDrillEndpoints();
        api.MapPostEndpoints();
        api.MapPublishingEndpoints();
        api.MapScorecardEndpoints();
        api.MapConnectorEndpoints();
        api.MapMetaWebhookEndpoints();
        api.MapTikTokWebhookEndpoints();
        return app;
    }

    private static int StatusFor(Exception exception) => exception switch
    {
        BadHttpRequestException bad => bad.StatusCode,
        Core.Topics.Query.QuerySyntaxException => StatusCodes.Status400BadRequest,
        OperationCanceledException => StatusCodes.Status499ClientClosedRequest,
        _ => StatusCodes.Status500InternalServerError,
    };

    private static Task SecurityHeaders(HttpContext context, Func<Task> next)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'";
        return next();
    }
}
