namespace Firebreak.Web.Tests.Api;

using System.Net.Http.Json;
using Firebreak.Web.Hosting;
using Firebreak.Core.Security;
using Firebreak.Tests.Shared;
using Firebreak.Web.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

/// <summary>The real web host on a real loopback port with a fresh store: contract tests speak HTTP to it.</summary>
public class ApiHost : IAsyncLifetime
{
    private readonly DirectoryInfo data = Directory.CreateTempSubdirectory("firebreak-api-");
    private WebApplication? app;

    public HttpClient Client { get; private set; } = null!;

    public string BaseAddress { get; private set; } = string.Empty;

    public string DataDirectory => data.FullName;

    /// <summary>The host's services (for what has no HTTP entry yet, e.g. submitting detections).</summary>
    public IServiceProvider Services => app!.Services;

    public async Task InitializeAsync()
    {
        app = await FirebreakHost.BuildAsync(new FirebreakOptions { DataDirectory = data.FullName, Urls = "http://127.0.0.1:0" }, services =>
        {
            // Password hashing at full strength costs ~0.5 s a hash; tests check the default separately.
            services.AddSingleton(new PasswordHashOptions { Iterations = 1_000 });
            Configure(services);
        });
        await app.StartAsync();
        BaseAddress = app.Urls.First();
        OwnerToken = await TestAccounts.SetupOwnerAsync(new Uri(BaseAddress), app.Services.GetRequiredService<SetupToken>().Value!);
        Client = TestAccounts.WithBearer(new Uri(BaseAddress), OwnerToken);
        Anonymous = new HttpClient { BaseAddress = new Uri(BaseAddress), Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>The first-run owner's API token (read, write, ingest); <see cref="Client"/> sends it.</summary>
    public string OwnerToken { get; private set; } = string.Empty;

    /// <summary>A client with no credentials.</summary>
    public HttpClient Anonymous { get; private set; } = null!;

    /// <summary>A client with the owner's token and no timeout, for streams.</summary>
    public HttpClient StreamClient() => TestAccounts.WithBearer(new Uri(BaseAddress), OwnerToken, Timeout.InfiniteTimeSpan);

    /// <summary>Changes to the host's services before it is built (a derived fixture's options).</summary>
    protected virtual void Configure(IServiceCollection services)
    {
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        Anonymous?.Dispose();
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        data.Delete(recursive: true);
    }

    /// <summary>Creates a workspace with a unique slug so tests sharing the host never see each other's data.</summary>
    public async Task<string> NewWorkspaceAsync()
    {
        var slug = "ws-" + Guid.NewGuid().ToString("N")[..12];
        var response = await Client.PostAsJsonAsync("/api/workspaces", new { slug, name = "Test " + slug });
        response.EnsureSuccessStatusCode();
        return slug;
    }
}
