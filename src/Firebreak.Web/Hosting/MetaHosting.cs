namespace Firebreak.Web.Hosting;

using System.Net;
using Firebreak.Core.Connectors;
using Firebreak.Core.Connectors.Meta;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

/// <summary>Facebook Pages and Instagram (Graph API v21.0): the Graph client, both listeners and reply senders, the webhook receiver.</summary>
public static class MetaHosting
{
    public static IServiceCollection AddMetaConnectors(this IServiceCollection services)
    {
        services.TryAddSingleton(new GraphOptions());
        services.TryAddSingleton<MetaWebhookActivity>();
        services.TryAddSingleton(sp => new GraphClient(
            new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AutomaticDecompression = DecompressionMethods.All }) { Timeout = Timeout.InfiniteTimeSpan },
            sp.GetRequiredService<ConnectorHttpOptions>(),
            sp.GetRequiredService<GraphOptions>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IListeningConnector>(sp => new FacebookConnector(sp.GetRequiredService<GraphClient>(), sp.GetRequiredService<MetaWebhookActivity>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IListeningConnector>(sp => new InstagramConnector(sp.GetRequiredService<GraphClient>(), sp.GetRequiredService<MetaWebhookActivity>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IReplySender, FacebookReplySender>();
        services.AddSingleton<IReplySender, InstagramReplySender>();
        services.AddSingleton<Firebreak.Core.Publishing.Platforms.IPlatformPublisher, FacebookPublisher>();
        services.AddSingleton<Firebreak.Core.Publishing.Platforms.IPlatformPublisher, InstagramPublisher>();
        services.TryAddSingleton(sp => new InstagramMentions(sp.GetRequiredService<GraphClient>()));
        services.TryAddSingleton<MetaWebhook>();
        return services;
    }
}
