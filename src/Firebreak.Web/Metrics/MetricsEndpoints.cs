namespace Firebreak.Web.Metrics;

using System.Security.Cryptography;
using System.Text;
using Firebreak.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

/// <summary>
/// <c>GET /metrics</c> in the Prometheus text format. It carries no workspace data (counts, durations, stage
/// and lease names only). When a metrics token is configured (<c>--metrics-token</c> / FIREBREAK_METRICS_TOKEN)
/// the scraper must send it as a bearer token; otherwise keep the port on the internal network (docs/deploy.md).
/// </summary>
public static class MetricsEndpoints
{
    public static IServiceCollection AddPrometheusMetrics(this IServiceCollection services) =>
        services.AddSingleton(sp => new PrometheusExporter(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));

    public static IEndpointRouteBuilder MapMetricsEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapGet("/metrics", Scrape).WithTags("Health").ExcludeFromDescription();
        return app;
    }

    private static IResult Scrape(HttpContext context, PrometheusExporter exporter, FirebreakOptions options)
    {
        if (options.MetricsToken is { Length: > 0 } token && !Authorised(context, token))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"metrics\"";
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Metrics token required",
                detail: "Send the configured metrics token as 'Authorization: Bearer <token>'.");
        }

        return Results.Text(exporter.Render(), "text/plain; version=0.0.4; charset=utf-8", Encoding.UTF8);
    }

    private static bool Authorised(HttpContext context, string token)
    {
        var header = context.Request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // Compared as hashes in constant time: neither the token nor its length leaks through response timing.
        return CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim())),
            SHA256.HashData(Encoding.UTF8.GetBytes(token)));
    }
}
