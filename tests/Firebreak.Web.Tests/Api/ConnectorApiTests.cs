namespace Firebreak.Web.Tests.Api;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Firebreak.Core.Connectors;
using Firebreak.Core.Workspaces;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

/// <summary>Connections and backfill through the API on a real host: the credential goes in and never comes out.</summary>
public sealed class ConnectorApiTests(ApiHost host) : IClassFixture<ApiHost>
{
    private const string Token = "bsky-app-pass-CLEAR-7781";

    [Fact]
    public async Task Connection_TokenIsWriteOnly_AndEncryptedAtRest()
    {
        var ws = await host.NewWorkspaceAsync();

        var bad = await host.Client.PostAsJsonAsync($"/api/workspaces/{ws}/connections", new { platform = "bluesky", handle = "brand.bsky.social", baseUri = "ftp://x", token = Token });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("baseUri", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var created = await host.Client.PostAsJsonAsync($"/api/workspaces/{ws}/connections", new { platform = "bluesky", handle = "brand.bsky.social", baseUri = "https://bsky.social", token = Token, expiresAt = DateTimeOffset.UtcNow.AddDays(90) });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var createdText = await created.Content.ReadAsStringAsync();
        var listText = await host.Client.GetStringAsync($"/api/workspaces/{ws}/connections");

        Assert.DoesNotContain(Token, createdText, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, listText, StringComparison.Ordinal);
        var listed = JsonDocument.Parse(listText).RootElement.EnumerateArray().Single();
        Assert.Equal("bluesky:brand.bsky.social", listed.GetProperty("accountKey").GetString());
        Assert.Equal("https://bsky.social/", listed.GetProperty("baseUri").GetString());
        Assert.Equal("active", listed.GetProperty("state").GetString());
        var workspace = (await host.Services.GetRequiredService<IWorkspaceStore>().FindAsync(ws, CancellationToken.None))!;
        var stored = (await host.Services.GetRequiredService<IConnectorStore>().ListConnectionsAsync(workspace.Id, CancellationToken.None)).Single();
        Assert.DoesNotContain(Token, stored.ProtectedSecret, StringComparison.Ordinal);
        Assert.Equal(Token, (await host.Services.GetRequiredService<ConnectionService>().FindAsync(workspace.Id, stored.AccountKey, CancellationToken.None))!.Secret);

        var id = listed.GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.NoContent, (await host.Client.DeleteAsync($"/api/workspaces/{ws}/connections/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.DeleteAsync($"/api/workspaces/{ws}/connections/{id}")).StatusCode);
    }

    [Fact]
    public async Task Backfill_FeedSource_IngestsTheRangeAndReportsIt()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        await using var feed = builder.Build();
        feed.Run(context =>
        {
            context.Response.ContentType = "application/rss+xml";
            return context.Response.WriteAsync("""
                <?xml version="1.0"?><rss version="2.0"><channel><title>Desk</title>
                <item><title>In range</title><guid>in-1</guid><pubDate>Mon, 03 Mar 2025 09:15:00 GMT</pubDate></item>
                <item><title>Too old</title><guid>old-1</guid><pubDate>Mon, 03 Feb 2025 09:15:00 GMT</pubDate></item>
                </channel></rss>
                """);
        });
        await feed.StartAsync();
        var address = feed.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var ws = await host.NewWorkspaceAsync();
        var source = await (await host.Client.PostAsJsonAsync($"/api/workspaces/{ws}/sources", new { platform = "news", kind = "feed", target = address + "/rss" })).Content.ReadFromJsonAsync<JsonElement>();
        var sourceId = source.GetProperty("id").GetInt64();

        var tooLong = await host.Client.PostAsJsonAsync($"/api/workspaces/{ws}/sources/{sourceId}/backfill", new { from = "2025-01-01T00:00:00Z", to = "2025-03-04T00:00:00Z" });
        var done = await host.Client.PostAsJsonAsync($"/api/workspaces/{ws}/sources/{sourceId}/backfill", new { from = "2025-03-01T00:00:00Z", to = "2025-03-04T00:00:00Z" });

        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        var report = await done.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, report.GetProperty("received").GetInt32());
        Assert.Equal(JsonValueKind.Null, report.GetProperty("failure").ValueKind);
        var mentions = await host.Client.GetStringAsync($"/api/workspaces/{ws}/mentions?from=2025-03-01T00:00:00Z&to=2025-03-04T00:00:00Z");
        Assert.Contains("in-1", mentions, StringComparison.Ordinal);
        Assert.DoesNotContain("old-1", mentions, StringComparison.Ordinal);
    }
}
