namespace Firebreak.Web.Hosting;

using Firebreak.Core.Connectors;
using Firebreak.Core.Connectors.LinkedIn;
using Firebreak.Core.Connectors.Meta;
using Firebreak.Core.Connectors.OAuth;
using Firebreak.Core.Connectors.Pinterest;
using Firebreak.Core.Connectors.TikTok;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

/// <summary>
/// OAuth sign-in ("Connect with …") for X, Reddit, YouTube, TikTok, LinkedIn, Pinterest and Meta, from the operator's
/// apps in <c>Connectors:{X,Reddit,YouTube,TikTok,LinkedIn,Pinterest,Meta}</c>, and token refresh for the platforms this
/// adds (X, Reddit, Google; Meta's long-lived user tokens). TikTok, LinkedIn and Pinterest grants are registered with their connectors.
/// </summary>
public static class OAuthHosting
{
    public static IServiceCollection AddOAuthSignIn(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => Bind(sp, "Connectors:Meta", new MetaAppOptions()));
        services.TryAddSingleton(sp => new MetaTokens(sp.GetRequiredService<GraphClient>()));
        services.TryAddSingleton<MetaTokenRefresher>();
        foreach (var name in new[] { "X", "Reddit", "YouTube", "TikTok", "LinkedIn", "Pinterest" })
        {
            // Keyed by platform; a later registration (a test's stub endpoints) wins.
            services.TryAddKeyedSingleton(name, (sp, _) => Bind(sp, "Connectors:" + name, new OAuthAppOptions()));
        }

        services.AddSingleton(sp => OAuthPlatforms.X(App(sp, "X"), sp.GetRequiredService<ConnectorHttp>()));
        services.AddSingleton(sp => OAuthPlatforms.Reddit(App(sp, "Reddit"), sp.GetRequiredService<ConnectorHttp>()));
        services.AddSingleton(sp => OAuthPlatforms.YouTube(App(sp, "YouTube"), sp.GetRequiredService<ConnectorHttp>()));
        services.AddSingleton(sp => OAuthPlatforms.TikTok(sp.GetRequiredService<TikTokOptions>(), App(sp, "TikTok"), sp.GetRequiredService<ConnectorHttp>()));
        services.AddSingleton(sp => OAuthPlatforms.LinkedIn(sp.GetRequiredService<LinkedInOptions>(), App(sp, "LinkedIn"), sp.GetRequiredService<ConnectorHttp>()));
        services.AddSingleton(sp => OAuthPlatforms.Pinterest(sp.GetRequiredService<PinterestOptions>(), App(sp, "Pinterest"), sp.GetRequiredService<ConnectorHttp>()));
        services.AddSingleton(sp => MetaSignIn.Facebook(sp.GetRequiredService<MetaAppOptions>(), sp.GetRequiredService<GraphClient>(), sp.GetRequiredService<MetaTokens>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<AuthorizationCodeFlow>();

        // Refresh for the platforms whose grants only sign-in knows (the refresh_token grant at the same token endpoint).
        foreach (var platform in new[] { Core.Mentions.Platform.X, Core.Mentions.Platform.Reddit, Core.Mentions.Platform.YouTube })
        {
            services.AddSingleton(sp => sp.GetServices<OAuthPlatform>().Single(p => p.Platform == platform).Grant);
        }

        return services;
    }

    private static OAuthAppOptions App(IServiceProvider services, string platform) => services.GetRequiredKeyedService<OAuthAppOptions>(platform);

    private static T Bind<T>(IServiceProvider services, string section, T options)
    {
        services.GetService<IConfiguration>()?.GetSection(section).Bind(options);
        return options;
    }
}
