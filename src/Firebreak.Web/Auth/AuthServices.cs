namespace Firebreak.Web.Auth;

using Firebreak.Core.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

/// <summary>Accounts and access: the authentication schemes, anti-forgery, the sign-in flow and the access middleware.</summary>
public static class AuthServices
{
    public static IServiceCollection AddAccounts(this IServiceCollection services)
    {
        services.TryAddSingleton(new AccountOptions());
        services.AddSingleton<SetupToken>();
        services.AddSingleton<SignInThrottle>();
        services.AddScoped<SignInFlow>();
        services.AddScoped<WorkspaceAccess>();
        services.AddAntiforgery(o =>
        {
            o.HeaderName = "X-CSRF-TOKEN";
            o.Cookie.Name = "firebreak.csrf";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.AddAuthorization();
        services.AddAuthentication(AuthClaims.Scheme)
            // Bearer when the request carries a token, the session cookie otherwise.
            .AddPolicyScheme(AuthClaims.Scheme, "Firebreak", o => o.ForwardDefaultSelector = http =>
                http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? AuthClaims.BearerScheme : AuthClaims.CookieScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenHandler>(AuthClaims.BearerScheme, null)
            .AddCookie(AuthClaims.CookieScheme, o =>
            {
                // SameAsRequest: Secure whenever the request came over HTTPS. Deploy behind TLS (docs/deploy.md);
                // plain HTTP is for loopback and first runs only.
                o.Cookie.Name = "firebreak.session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.SlidingExpiration = true;
                o.ExpireTimeSpan = new AccountOptions().SessionLifetime;
                o.LoginPath = "/signin";
                o.AccessDeniedPath = "/signin";
                o.Events = new CookieAuthenticationEvents
                {
                    OnValidatePrincipal = SessionValidation.ValidateAsync,
                    // The API answers 401/403 with a problem; only pages redirect to the sign-in page.
                    OnRedirectToLogin = c => ApiOr(c, StatusCodes.Status401Unauthorized),
                    OnRedirectToAccessDenied = c => ApiOr(c, StatusCodes.Status403Forbidden),
                };
            })
            .AddCookie(AuthClaims.TwoFactorScheme, o =>
            {
                o.Cookie.Name = "firebreak.2fa";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.SlidingExpiration = false;
                o.ExpireTimeSpan = new AccountOptions().TwoFactorWindow;
            });
        services.AddOptions<CookieAuthenticationOptions>(AuthClaims.CookieScheme).Configure<AccountOptions>((o, a) => o.ExpireTimeSpan = a.SessionLifetime);
        services.AddOptions<CookieAuthenticationOptions>(AuthClaims.TwoFactorScheme).Configure<AccountOptions>((o, a) => o.ExpireTimeSpan = a.TwoFactorWindow);
        return services;
    }

    /// <summary>Authentication, authorisation, anti-forgery (Blazor forms) and the per-endpoint access rules, in that order.</summary>
    public static WebApplication UseAccounts(this WebApplication app)
    {
        app.UseRouting();
        app.Use(Hsts);
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.UseMiddleware<AccessMiddleware>();
        return app;
    }

    private static Task ApiOr(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    // Only over HTTPS (a browser ignores it on plain HTTP, and sending it there would be a lie about the deployment).
    private static Task Hsts(HttpContext context, Func<Task> next)
    {
        if (context.Request.IsHttps)
        {
            context.Response.Headers.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
        }

        return next();
    }
}
