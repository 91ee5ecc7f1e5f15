namespace Firebreak.Browser.Tests;

using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

/// <summary>The Connections page in the browser: an admin disconnects an owned account, and the credential is gone.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ConnectionsTests(BrowserHost host)
{
    [Fact(Timeout = 120_000)]
    public async Task Disconnect_RemovesOnlyThatAccount_AndIsAudited()
    {
        var slug = await host.NewWorkspaceAsync();
        foreach (var handle in new[] { "@brand@example.social", "@other@example.social" })
        {
            (await host.Client.PostAsJsonAsync($"/api/workspaces/{slug}/connections", new { platform = "mastodon", handle, baseUri = "http://127.0.0.1:9/", token = "test-token" })).EnsureSuccessStatusCode();
        }

        await using var owner = await host.NewPageAsync();
        var page = owner.Page;
        await page.GotoAsync($"/w/{slug}/connections");
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "@brand@example.social", Exact = true })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Disconnect mastodon account @brand@example.social" }).ClickAsync();

        await Expect(page.Locator("[role=status]").First).ToContainTextAsync("Account disconnected");
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "@brand@example.social", Exact = true })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "@other@example.social", Exact = true })).ToBeVisibleAsync();

        var left = await host.Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{slug}/connections");
        Assert.Equal(["@other@example.social"], left.EnumerateArray().Select(c => c.GetProperty("handle").GetString()!).ToArray());
        var audit = await host.Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{slug}/audit");
        Assert.Contains(audit.EnumerateArray(), e => e.GetProperty("action").GetString() == "ui./w/{workspace}/connections/{id:long}/disconnect");
    }
}
